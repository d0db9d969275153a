"""A close worker: a process that runs notebooks one after another, each in its own kernel.

:func:`main` runs in each worker process (``python -m backoffice_lib.close._spawn FD``,
started by :mod:`backoffice_lib.close.runner`; FD is its end of a socket pair). It
imports papermill once, warms a kernel for its next notebook (:mod:`.kernels`), then
runs the tasks the close sends until it receives ``None``. For each
:class:`~.results.NotebookTask` it:

1. runs the notebook with papermill (``kernel_name="python3"`` and ``language="python"``,
   so a notebook saved without kernel metadata runs too; ``cwd`` = project root,
   parameters injected after the ``parameters`` cell; our engine, :mod:`.engine`, writes
   the executed copy when the run starts and when it ends, not around each cell), with
   a wall-clock timeout per notebook: the kernel is interrupted (KeyboardInterrupt in
   the cell), then killed if it does not stop within :data:`KILL_GRACE` seconds;
2. keeps the executed copy whatever happens (written at the end in every case, with
   papermill's error banner on failure).

The close then exports it (:func:`export_task`, in the close's own process, which is idle
while the kernels compute): the managers' HTML, the Excel file and the headline tiles
(:mod:`.outputs`), or, for a failure, the plain "this analysis failed" page. So a worker
never imports pandas or nbconvert unless it loads inputs.

Any failure is caught and reported in the :class:`~.results.NotebookResult`: one notebook
never stops the others. Events go back to the close as ``("started", name)`` and
``("done", result)`` (see :func:`serve`).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import Any

from .kernels import Warmer
from .results import FAILED, OK, NotebookResult, NotebookTask, now
from .runner import claim

__all__ = ["block_slow_imports", "execute_task", "export_task", "main", "preload",
           "preload_exports", "serve"]

#: Seconds a kernel gets to stop after the timeout interrupt before it is killed.
KILL_GRACE = 10.0
#: Extra time given to nbclient's own per-cell timeout beyond the notebook's.
CELL_TIMEOUT_MARGIN = 30.0
#: Lines of an error kept for the index and the failure page.
ERROR_LINES = 4
ERROR_CHARS = 600


def block_slow_imports() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` (2 s spent compiling a grammar).

    nbformat validates notebooks with jsonschema, which loads this optional checker of
    IRI formats at import time; notebook schemas never use those formats.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _now() -> str:
    return now().isoformat(timespec="seconds")


def _first_lines(text: str) -> str:
    """The first few lines of an error message, trimmed."""
    lines = [line.rstrip() for line in text.strip().splitlines() if line.strip()]
    short = "\n".join(lines[:ERROR_LINES])
    return short if len(short) <= ERROR_CHARS else short[: ERROR_CHARS - 1] + "…"


class _Deadline:
    """Interrupts, then kills, a kernel that runs past the notebook's timeout."""

    def __init__(self, kernel: Any, seconds: float) -> None:
        self.kernel = kernel
        self.seconds = seconds
        self.expired = False
        self._interrupt = threading.Timer(seconds, self._fire)
        self._kill = threading.Timer(seconds + KILL_GRACE, self._force)
        for timer in (self._interrupt, self._kill):
            timer.daemon = True

    def _fire(self) -> None:
        self.expired = True
        if self.kernel is not None:
            self.kernel.interrupt()

    def _force(self) -> None:
        if self.kernel is not None:
            self.kernel.kill()

    def __enter__(self) -> _Deadline:
        if self.kernel is not None:
            self._interrupt.start()
            self._kill.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._interrupt.cancel()
        self._kill.cancel()


def _execute(task: NotebookTask, output: Path, kernel: Any) -> tuple[str, int | None]:
    """Run the notebook; return ("", None) or (first lines of the error, failing cell)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .. import config
    from ..i18n import t
    from ..i18n.formatting import format_number
    from .engine import register

    deadline = _Deadline(kernel, task.timeout)
    error, cell = "", None
    try:
        with deadline:
            papermill.execute_notebook(
                task.input_path, str(output), parameters=task.parameters,
                kernel_name="python3", language="python", cwd=str(config.PROJ_ROOT),
                progress_bar=False, log_output=False,
                execution_timeout=task.timeout + CELL_TIMEOUT_MARGIN,
                km=None if kernel is None else kernel.km, engine_name=register(),
            )
    except PapermillExecutionError as exc:
        error, cell = f"{exc.ename}: {exc.evalue}", exc.exec_count
    except Exception as exc:  # noqa: BLE001 - isolation: report it, never stop the close
        error = f"{type(exc).__name__}: {exc}"
    if deadline.expired:  # the KeyboardInterrupt of the interrupt says nothing more
        error = t("close.timeout", task.lang, seconds=format_number(task.timeout, task.lang))
    return _first_lines(error), cell


#: Threads shutting down the kernels of finished notebooks (:func:`_retire`).
_retiring: list[threading.Thread] = []


def _retire(kernel: Any) -> None:
    """Shut down the kernel of a finished notebook without keeping the close waiting.

    jupyter_client checks every 0.1 s whether the killed kernel is gone, then removes its
    connection file: a tenth of a second per notebook, in a thread here, while the worker
    reports the result and takes its next notebook. :func:`serve` waits for these
    threads before it returns (no kernel is left behind).
    """
    thread = threading.Thread(target=kernel.shutdown, name="kernel-shutdown", daemon=True)
    thread.start()
    _retiring.append(thread)


def _join_retired() -> None:
    while _retiring:
        _retiring.pop().join()


def execute_task(task: NotebookTask, kernel: Any = None) -> NotebookResult:
    """Run one notebook (its executed copy is written) in ``kernel`` (None: papermill
    starts one); never raises for a problem of the notebook. The kernel is shut down
    in the background (:func:`_retire`)."""
    output = Path(task.out_dir) / f"{task.name}.ipynb"
    started, clock = _now(), time.perf_counter()
    try:
        error, cell = _execute(task, output, kernel)
    finally:
        if kernel is not None:
            _retire(kernel)
    result = NotebookResult(task.name, FAILED if error else OK, started_at=started,
                            error=error, error_cell=cell)
    if output.is_file():
        result.files["ipynb"] = output.name
    result.seconds = time.perf_counter() - clock
    return result


def export_task(task: NotebookTask, result: NotebookResult) -> NotebookResult:
    """Write the managers' HTML, the Excel file and the tiles of an executed notebook
    (:func:`.outputs.export`); a broken export fails this notebook only. The error is
    redacted and ``seconds`` grows by the export's time. Returns ``result``."""
    from ..report.export_html import redact
    from . import outputs

    clock = time.perf_counter()
    try:
        outputs.export(task, result, Path(task.out_dir) / f"{task.name}.ipynb")
    except Exception as exc:  # noqa: BLE001 - a broken export fails this notebook only
        result.status = FAILED
        result.error = _first_lines(f"{type(exc).__name__}: {exc}")
        outputs.export_failed(task, result)
    result.error = redact(result.error, task.redactions)
    result.ended_at = _now()
    result.seconds += time.perf_counter() - clock
    return result


def preload_exports() -> None:
    """Import and set up what :func:`export_task` needs (nbconvert's exporter, the report
    modules), so that the first export does not pay for it."""
    from ..report import display, excel, index  # noqa: F401
    from ..report.export_html import _exporter
    from . import history, outputs  # noqa: F401

    _exporter()


def _quiet() -> None:
    """Keep the worker's stderr for progress: no library warnings or info logs."""
    warnings.simplefilter("ignore")
    logging.getLogger("papermill").setLevel(logging.ERROR)
    logging.getLogger("traitlets").setLevel(logging.ERROR)


def preload() -> None:
    """Import papermill once, while the close is still checking its inputs."""
    import papermill  # noqa: F401

    from . import engine  # noqa: F401


def prefetch(table: str, spec: Any) -> Any:
    """Load one input into the shared table cache; its frame, or None if it failed.

    A failure is not reported here: the close loads the table again itself and raises
    the file's error with its location.
    """
    from ..errors import BackofficeError
    from ..loading import load_tables

    try:
        return load_tables({table: spec}, cache=True)[table]
    except (BackofficeError, OSError, ValueError):
        return None


def serve(conn: Any, warmer: Warmer | None = None) -> None:
    """Serve one close over ``conn`` until it sends ``None``; never leave a kernel behind.

    Messages received, in any order after ``("warm", code, now)``:

    - ``("warm", code, now)``: the warm-up code of kernels; start one at once if ``now``
      (unless ``warmer``, given by :mod:`._spawn`, is warming one already);
    - ``("load", table, spec, claims)``: load an input into the cache unless another
      process claimed it first (:func:`.runner.claim`); answer ``("loaded", table, done)``;
    - ``("run", task, warm_after)``: run a notebook (:func:`execute_task`: the close
      exports it, :func:`export_task`); answer ``("started", name)`` then
      ``("done", result)``; with ``warm_after``, the next kernel warms meanwhile.

    Papermill is imported the first time the worker has nothing else to do, or before
    its first run. The environment (cache folder,
    language...) was given to the process at its start.
    """
    _quiet()
    warmer = warmer or Warmer("")
    preloaded = False
    try:
        while True:
            if not preloaded and not conn.poll():
                preload()  # idle: the inputs are being checked, or loaded by others
                preloaded = True
            message = conn.recv()
            if message is None:
                break
            kind = message[0]
            if kind == "warm" and not warmer.started:
                warmer.code = message[1]
                if message[2]:
                    warmer.begin()
            elif kind == "load":
                table, spec, claims = message[1:]
                done = claim(claims, table) and prefetch(table, spec) is not None
                conn.send(("loaded", table, done))
            elif kind == "run":
                if not preloaded:
                    preload()
                    preloaded = True
                task, warm_after = message[1], message[2]
                kernel = warmer.take()
                conn.send(("started", task.name))
                if warm_after:
                    warmer.begin()  # the next kernel warms while this notebook runs
                conn.send(("done", execute_task(task, kernel)))
    finally:
        warmer.discard()
        _join_retired()


def main(argv: list[str], warmer: Warmer | None = None) -> int:
    """Body of a worker process (see :mod:`._spawn`): serve the close on socket ``FD``."""
    from multiprocessing.connection import Connection

    conn = Connection(int(argv[0]))
    try:
        serve(conn, warmer)
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        return 1  # the close went away: nothing left to report to
    finally:
        conn.close()
    return 0
