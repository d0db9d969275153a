"""The monthly close, step by step (:func:`run_close`).

1. **Parameters** (:func:`backoffice_lib.params.load_params`): the YAML file with the
   command-line values over it, validated strictly; each notebook's parameters cell is
   read and the values to inject are checked (:func:`.runner.plan_parameters`). An
   existing period without ``force`` stops here (exit 2): nothing runs.
2. **Workers** start at once (:class:`.runner.NotebookPool`), each warming a kernel
   forked from the close's kernel fork server (:mod:`.forkserver`: the kernels' imports
   are done once), while every input is **loaded once** into the shared table cache, in
   parallel by the main process and the workers (:meth:`.runner.NotebookPool.prefetch`,
   :func:`.inputs.load_inputs`). A file that cannot be read stops the close here.
3. **Notebooks** start, ``jobs`` at a time, longest first by the previous close's times
   (:mod:`.schedule`), each in its own kernel, while this process
   **validates** the inputs together (:func:`.inputs.validate_inputs`): the notebooks
   only read the cache, and validation would otherwise leave a core idle. Data errors
   stop the close: the running notebooks are killed and nothing of them is kept (the
   staging folder is removed); the validation report is published (text on the
   terminal; HTML and Excel in ``outputs/<period>-validation/``), exit 1. Warnings go on;
   their count and a link to the data-quality report are in every page's header. The
   notebooks run in parallel with a timeout each and progress lines on stderr; a
   failing notebook never stops the others. Each executed notebook is exported (HTML,
   Excel, tiles) by this process, and the data-quality report written, when a core is
   spare (fewer notebooks running than cores, e.g. while the last ones run): done
   while every core runs a kernel, the same work would only slow the kernels down.
4. **Publish** (:mod:`.publish`): everything is written into a staging folder —
   ``index.html``, per notebook ``<name>.html``/``.ipynb``/``.xlsx``, ``data-quality.html``
   and ``.xlsx``, ``manifest.json`` — then moved to ``outputs/<period>/`` in one rename;
   the KPI history (``outputs/kpi_history.parquet``) gets this close's headline KPIs.

Exit codes (:attr:`CloseSummary.exit_code`): 0 all analyses ok; 1 data errors stopped
the close or an analysis failed; 2 unreadable input or invalid parameters (raised as
:class:`~backoffice_lib.errors.BackofficeError`, turned into exit 2 by the CLI).

Languages: ``language`` in the parameters (default ``fr``), or ``--lang``; every text of
the index, the reports' headers, the progress lines and the summary follows it, and the
kernels get ``BACKOFFICE_LANG``.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import platform
import shutil
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from .. import config
from ..i18n import use_language
from ..params import PARAMS_FILE_ENV, RunParams, load_params
from ..report.export_html import redact
from .forkserver import ForkServer
from .kernels import notebook_imports, warmup_code
from .progress import Progress
from .publish import Staging, check_target, period_lock, write_manifest
from .results import FAILED, OK, CloseSummary, NotebookResult, NotebookTask, now
from .runner import NotebookPool, plan_parameters
from .schedule import longest_first, previous_durations
from .worker import block_slow_imports, export_task, preload_exports

if TYPE_CHECKING:
    from .inputs import InputCheck

# pandas comes with the steps that need it (inputs, history, index), imported once the
# fork server and the workers are started: their imports then overlap this process's.

__all__ = ["kernel_environment", "redactions", "run_close"]

QUALITY_HTML = "data-quality.html"
#: Inputs loaded by the close's own process (one workbook reader process, not one per
#: worker); the others are shared out with the workers.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
QUALITY_XLSX = "data-quality.xlsx"
#: Parameter names whose values are secrets: replaced in managers' pages.
SECRET_HINTS = ("password", "passwd", "pwd", "secret", "token", "api_key", "apikey",
                "credential")
VERSIONED = ("backoffice-analytics", "pandas", "numpy", "pyarrow", "pandera", "openpyxl",
             "python-calamine", "fastexcel", "xlsxwriter", "papermill", "nbclient",
             "nbconvert", "nbformat", "ipykernel", "jupyter_client", "matplotlib", "babel",
             "pyyaml")


def kernel_environment(params: RunParams) -> dict[str, str]:
    """Environment of the workers and their kernels: the run's cache, language, files."""
    env = {
        "BACKOFFICE_CACHE_DIR": str(config.cache_dir()),
        "BACKOFFICE_LANG": params.language,
        "BACKOFFICE_ROOT": str(config.PROJ_ROOT),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    if params.source is not None:
        env[PARAMS_FILE_ENV] = str(params.source)
    return env


def redactions(params: RunParams) -> tuple[tuple[str, str], ...]:
    """(text, replacement) pairs that keep paths and secrets out of managers' pages.

    Input files become their bare name, the parameter file and the cache folder too,
    the project folder disappears from any other path, and the string values of
    notebook parameters whose name looks secret (``password``, ``token``...) become
    ``•••``.
    """
    pairs = [(str(spec.path), spec.path.name) for spec in params.inputs.values()]
    if params.source is not None:
        pairs.append((str(params.source), params.source.name))
    pairs.append((str(config.cache_dir()), "…"))
    pairs.append((str(config.PROJ_ROOT) + os.sep, ""))
    home = str(Path.home())
    if len(home) > 1:
        pairs.append((home + os.sep, "~" + os.sep))
    for spec in params.notebooks:
        for key, value in spec.parameters.items():
            if isinstance(value, str) and value and any(h in key.lower() for h in SECRET_HINTS):
                pairs.append((value, "•••"))
    return tuple(pairs)


def _cores() -> int:
    """Cores this process may use (its CPU affinity, e.g. in a container)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _versions() -> dict[str, str | None]:
    found: dict[str, str | None] = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    return found


def _iso(when: dt.datetime) -> str:
    return when.isoformat(timespec="seconds")


def _load_here(table: str, spec: Any) -> Any:
    """This process's share of the parallel loading (errors are raised later, located)."""
    from .worker import prefetch

    return prefetch(table, spec)


def _prefetch(params: RunParams, pool: NotebookPool, inputs: Mapping[str, Any],
              sizes: Mapping[str, int]) -> dict[str, Any]:
    """Fill the table cache, in parallel: the tables already in the cache are read by
    this process first (reading an entry takes less time than a worker spends importing
    pandas to do it), then the workers and this process load the others, the workbooks
    here (through one reader process). Returns the frames this process holds."""
    from ..loading import load_cached, start_reader

    workbooks = {name for name, spec in params.inputs.items()
                 if spec.path.suffix.lower() in WORKBOOK_SUFFIXES}
    ready = load_cached(inputs)
    rest = {name: spec for name, spec in inputs.items() if name not in ready}
    if workbooks & set(rest):
        start_reader()  # it starts while this process reads the largest text file
    ready.update(pool.prefetch(rest, sizes, _load_here, local=workbooks))
    return ready


def _write_quality(check: InputCheck, folder: Path, lang: str) -> None:
    """The validation report as HTML and Excel, for the index's data-quality links."""
    check.report.to_html(folder / QUALITY_HTML, lang)
    check.report.to_excel(folder / QUALITY_XLSX, lang)


def _stop_for_data(check: InputCheck, params: RunParams, out_root: Path,
                   started: dt.datetime) -> CloseSummary:
    """Publish the validation report into ``outputs/<period>-validation/`` and stop."""
    lang = params.language
    with Staging(out_root, f"{params.period}-validation") as staging:
        _write_quality(check, staging.path, lang)
        write_manifest(staging.path / "manifest.json", {
            "period": params.period, "status": "stopped_by_data", "started_at": _iso(started),
            "parameters": params.to_dict(), "inputs": check.manifest(params),
            "validation": {"errors": check.errors, "warnings": check.warnings,
                           "summary": check.report.summary(lang)},
        })
        folder = staging.publish(force=True)
    return CloseSummary(
        period=params.period, lang=lang, out_dir=folder, stopped_by_data=True,
        validation_errors=check.errors, validation_warnings=check.warnings,
        validation_text=check.report.to_text(lang),
    )


def _tasks(params: RunParams, planned: dict[str, dict[str, Any]], staging: Path,
           generated_at: dt.datetime, history: Any) -> list[NotebookTask]:
    """The notebooks to run (their ``data_quality`` is set once the inputs are validated)."""
    from .history import rows_before as history_rows_before

    hidden = redactions(params)
    return [
        NotebookTask(
            name=spec.name, input_path=str(spec.path), out_dir=str(staging),
            parameters=planned[spec.name], timeout=spec.timeout or params.notebook_timeout,
            lang=params.language, company=params.company, period=params.period,
            currency=params.currency, generated_at=_iso(generated_at),
            history=history_rows_before(history, spec.name, params.period),
            redactions=hidden,
        )
        for spec in params.notebooks
    ]


def _longest_first(tasks: Sequence[NotebookTask], out_root: Path,
                   period: str) -> list[NotebookTask]:
    """The tasks in the order to start them (:mod:`.schedule`)."""
    by_name = {task.name: task for task in tasks}
    seconds = previous_durations(out_root, period)
    return [by_name[name] for name in longest_first(by_name, seconds)]


def _publish(params: RunParams, check: InputCheck, results: Sequence[NotebookResult],
             staging: Staging, generated_at: dt.datetime, started: dt.datetime,
             history: Any, jobs: int, force: bool) -> list[dict[str, Any]]:
    """Write index and manifest into the staging folder, move it in place; new KPI rows."""
    from ..report.index import render_index
    from . import history as kpi_history

    lang = params.language
    rows = [row for r in results for row in kpi_history.tile_rows(
        r.tiles, period=params.period, notebook=r.name, generated_at=_iso(generated_at))]
    previous = history[history["period"] != params.period].to_dict("records")
    page = render_index(
        company=params.company, period=params.period, lang=lang, generated_at=generated_at,
        results=results, history=[*previous, *rows],
        quality=check.quality(params, QUALITY_HTML, QUALITY_XLSX),
    )
    (staging.path / "index.html").write_text(redact(page, redactions(params)), encoding="utf-8")
    ended = now()
    write_manifest(staging.path / "manifest.json", {
        "period": params.period, "company": params.company, "language": lang,
        "status": OK if all(r.ok for r in results) else FAILED,
        "generated_at": _iso(generated_at), "started_at": _iso(started), "ended_at": _iso(ended),
        "jobs": jobs, "parameters": params.to_dict(), "inputs": check.manifest(params),
        "validation": {"errors": check.errors, "warnings": check.warnings,
                       "summary": check.report.summary(lang),
                       "report_html": QUALITY_HTML, "report_xlsx": QUALITY_XLSX},
        "notebooks": [r.to_manifest() for r in results],
        "kpis": rows, "cache_dir": str(config.cache_dir()), "versions": _versions(),
    })
    staging.publish(force)
    return rows


def run_close(params_file: str | os.PathLike[str] | None = None, period: str | None = None,
              jobs: int | None = None, force: bool = False,
              out_dir: str | os.PathLike[str] | None = None, lang: str | None = None, *,
              quiet: bool = False, progress_stream: TextIO | None = None) -> CloseSummary:
    """Run the monthly close and publish ``outputs/<period>/`` (see the module docstring).

    Parameters
    ----------
    params_file:
        The run's YAML parameters (default ``parameters/close.yaml``).
    period, jobs, lang:
        Command-line values that override the file (``None``: keep the file's).
    force:
        Replace an existing period folder.
    out_dir:
        Root of the outputs (default ``outputs/`` in the project folder).
    quiet, progress_stream:
        No progress lines at all, or where to write them (default: stderr).

    Raises
    ------
    ParameterError
        Invalid parameters, or the period exists and ``force`` is not given.
    InputError
        An input file cannot be read.
    """
    clock = time.perf_counter()
    started = now()
    block_slow_imports()
    server = ForkServer().start()  # its imports overlap the reading of the parameters
    try:
        summary = _run(params_file, period, jobs, force, out_dir, lang, quiet,
                       progress_stream, started, server)
    finally:
        server.stop()
    summary.seconds = time.perf_counter() - clock
    return summary


def _run(params_file: str | os.PathLike[str] | None, period: str | None, jobs: int | None,
         force: bool, out_dir: str | os.PathLike[str] | None, lang: str | None, quiet: bool,
         progress_stream: TextIO | None, started: dt.datetime,
         server: ForkServer) -> CloseSummary:
    """:func:`run_close` with its fork server started."""
    params = load_params(params_file, period=period, language=lang, jobs=jobs)
    with use_language(params.language):
        out_root = Path(out_dir).resolve() if out_dir is not None else config.OUTPUTS_DIR
        check_target(out_root / params.period, force)
        stream = None if quiet else (progress_stream or sys.stderr)
        with period_lock(out_root, params.period):
            check_target(out_root / params.period, force)
            warmup = warmup_code(notebook_imports(spec.path for spec in params.notebooks))
            if params.notebooks:
                server.warm_up(warmup)
            else:
                server.stop()
            pool = NotebookPool(params.jobs or _cores(), len(params.notebooks),
                                {**kernel_environment(params), **server.worker_env},
                                warmup).start()
            try:
                return _close(params, pool, out_root, force, stream, started)
            except BaseException:
                pool.terminate()
                raise
            finally:
                pool.close()


class _DataErrors(Exception):
    """The validation found data errors while the first notebooks ran: stop the close."""

    def __init__(self, check: InputCheck) -> None:
        super().__init__(check.errors)
        self.check = check


def _close(params: RunParams, pool: NotebookPool, out_root: Path, force: bool,
           stream: TextIO | None, started: dt.datetime) -> CloseSummary:
    """Steps 1 to 4 with the workers started (see the module docstring)."""
    from . import history as kpi_history
    from .inputs import load_inputs, validate_inputs

    planned = plan_parameters(params)
    pool.warm_up()
    tables = load_inputs(params, prefetch=lambda inputs, sizes: _prefetch(
        params, pool, inputs, sizes))
    generated_at = now()
    history_file = out_root / kpi_history.FILE_NAME
    history = kpi_history.read_history(history_file)
    lang = params.language
    checked: list[InputCheck] = []
    with Staging(out_root, params.period) as staging:
        tasks = _tasks(params, planned, staging.path, generated_at, history)
        progress = Progress(len(tasks), lang, stream)

        def meanwhile() -> None:
            check = validate_inputs(params, tables)
            checked.append(check)
            if not check.ok:
                raise _DataErrors(check)
            progress.message("progress_begin", total=len(tasks), jobs=pool.jobs)
            _write_quality(check, staging.path, lang)
            preload_exports()

        def finish(task: NotebookTask, result: NotebookResult) -> NotebookResult:
            quality = (checked[0].errors, checked[0].warnings, QUALITY_HTML)
            return export_task(replace(task, data_quality=quality), result)

        try:
            results = pool.run(
                _longest_first(tasks, out_root, params.period), progress,
                meanwhile=meanwhile, finish=finish, cores=_cores())
            order = [task.name for task in tasks]
            results = sorted(results, key=lambda result: order.index(result.name))
        except _DataErrors:
            pool.terminate()  # the notebooks started on data that failed: none is kept
            results = None
        else:
            rows = _publish(params, checked[0], results, staging, generated_at, started,
                            history, pool.jobs, force)
    if results is None:
        return _stop_for_data(checked[0], params, out_root, started)
    pool.close(wait=False)  # nothing left to run: they exit on their own
    kpi_history.append_history(history_file, rows, params.period)
    shutil.rmtree(out_root / f"{params.period}-validation", ignore_errors=True)
    return CloseSummary(
        period=params.period, lang=lang, out_dir=out_root / params.period,
        results=list(results), validation_errors=checked[0].errors,
        validation_warnings=checked[0].warnings,
    )
