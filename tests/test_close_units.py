"""Parts of the close that run without a kernel: planning, publishing, history, progress."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import re
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import papermill
import pytest

from backoffice_lib.close import history
from backoffice_lib.close.kernels import notebook_imports, warmup_code
from backoffice_lib.close.progress import Progress
from backoffice_lib.close.publish import Staging, check_target, period_lock
from backoffice_lib.close.results import CloseSummary, NotebookResult
from backoffice_lib.close.runner import (
    NotebookPool,
    claim,
    declared_parameters,
    plan_parameters,
)
from backoffice_lib.close.schedule import longest_first, previous_durations
from backoffice_lib.errors import ParameterError
from backoffice_lib.params import load_params

TESTS_DATA = Path(__file__).resolve().parent / "data"
NOTEBOOKS = TESTS_DATA / "notebooks"
CENTRES = TESTS_DATA / "close" / "centres.csv"


# --------------------------------------------------------------------------- planning


def _manifest(out: Path, period: str, runs: dict[str, tuple[str, float]]) -> None:
    folder = out / period
    folder.mkdir(parents=True)
    notebooks = [{"name": name, "status": status, "seconds": seconds}
                 for name, (status, seconds) in runs.items()]
    (folder / "manifest.json").write_text(json.dumps({"notebooks": notebooks}), "utf-8")


def test_durations_come_from_the_previous_close_of_the_period_or_before(tmp_path):
    _manifest(tmp_path, "2026-08", {"costs": ("ok", 8.0)})
    _manifest(tmp_path, "2026-09", {"costs": ("ok", 5.5), "stock": ("failed", 0.4),
                                    "headcount": ("ok", 3.25)})
    _manifest(tmp_path, "2026-11", {"costs": ("ok", 1.0)})
    (tmp_path / "2026-10-validation").mkdir()  # not a period folder
    (tmp_path / "2026-10-validation" / "manifest.json").write_text("{}", "utf-8")
    # A failed notebook's time says nothing about its length: left out.
    assert previous_durations(tmp_path, "2026-10") == {"costs": 5.5, "headcount": 3.25}
    assert previous_durations(tmp_path, "2026-08") == {"costs": 8.0}  # a re-run
    assert previous_durations(tmp_path, "2026-01") == {"costs": 1.0}  # the latest close
    assert previous_durations(tmp_path / "nothing-yet", "2026-10") == {}


def test_an_unreadable_manifest_gives_no_durations(tmp_path):
    (tmp_path / "2026-09").mkdir()
    (tmp_path / "2026-09" / "manifest.json").write_text('{"notebooks": [{"name"', "utf-8")
    assert previous_durations(tmp_path, "2026-10") == {}
    (tmp_path / "2026-09" / "manifest.json").write_text('{"notebooks": 3}', "utf-8")
    assert previous_durations(tmp_path, "2026-10") == {}


def test_notebooks_start_longest_first_and_untimed_ones_before_them():
    seconds = {"costs": 5.5, "headcount": 3.25, "stock": 4.0, "process": 3.25}
    names = ["costs", "headcount", "new", "process", "stock", "other"]
    assert longest_first(names, seconds) == ["new", "other", "costs", "stock", "headcount",
                                             "process"]
    assert longest_first(names, {}) == names


@pytest.mark.parametrize("name", ["kpis", "fails", "plain", "slow", "bench"])
def test_declared_parameters_match_papermill(name):
    path = NOTEBOOKS / f"{name}.ipynb"
    result = {k: (v["inferred_type_name"], v["default"])
              for k, v in declared_parameters(path).items()}
    expected = {k: (v["inferred_type_name"], v["default"])
                for k, v in papermill.inspect_notebook(str(path)).items()}
    assert result == expected


def test_plan_parameters_injects_only_declared_names(tmp_path):
    path = tmp_path / "close.yaml"
    path.write_text(textwrap.dedent(f"""\
        company: X
        period: "2026-10"
        inputs: {{cost_centers: {CENTRES}}}
        notebooks_dir: {NOTEBOOKS}
        notebooks: [plain, {{name: kpis, parameters: {{secret_token: abc}}}}]
        """), encoding="utf-8")
    result = plan_parameters(load_params(path, language="en"))
    assert result == {
        "plain": {"period": "2026-10"},
        "kpis": {"period": "2026-10", "language": "en", "company": "X",
                 "inputs": {"cost_centers": str(CENTRES)}, "min_group_size": 5,
                 "secret_token": "abc"},
    }


def test_notebook_imports_and_warmup_code():
    modules = notebook_imports([NOTEBOOKS / "kpis.ipynb", NOTEBOOKS / "plain.ipynb"])
    assert modules == {
        "sys": [], "warnings": [], "decimal": ["Decimal"],
        "backoffice_lib.i18n": ["set_language"], "backoffice_lib.loading": ["load_tables"],
        "backoffice_lib.report.display": ["section", "show_chart", "show_table", "show_tiles",
                                          "show_commentary"],
        "backoffice_lib.report.tiles": ["Tile"], "matplotlib.pyplot": [],
    }
    namespace: dict = {}
    exec(warmup_code(["json", "no_such_module_xyz"]), namespace)  # noqa: S102
    assert set(namespace) == {"__builtins__"}
    assert "json" in sys.modules


def test_warmup_imports_the_submodules_a_notebook_takes_from_a_package():
    code = warmup_code({"backoffice_lib.analyses": ["headcount", "not_a_module"]})
    subprocess_code = code + "import sys; print('backoffice_lib.analyses.headcount' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", subprocess_code], capture_output=True,
                           text=True, check=True)
    assert found.stdout.strip() == "True"


def test_claim_is_granted_once(tmp_path):
    assert [claim(tmp_path, "gl_lines"), claim(tmp_path, "gl_lines"),
            claim(tmp_path / "gone", "budget")] == [True, False, False]


# --------------------------------------------------------------------------- publishing


def test_staging_is_removed_when_not_published(tmp_path):
    with Staging(tmp_path, "2026-10") as staging:
        (staging.path / "index.html").write_text("x", encoding="utf-8")
        assert staging.path.name.startswith(".2026-10.tmp-")
    assert list(tmp_path.iterdir()) == []


def test_publish_moves_the_folder_in_place(tmp_path):
    with Staging(tmp_path, "2026-10") as staging:
        (staging.path / "index.html").write_text("new", encoding="utf-8")
        staging.publish(force=False)
    assert [p.name for p in tmp_path.iterdir()] == ["2026-10"]
    assert (tmp_path / "2026-10" / "index.html").read_text(encoding="utf-8") == "new"
    assert (tmp_path / "2026-10" / "index.html").stat().st_mode & 0o044 == 0o044


def test_publish_replaces_only_with_force(tmp_path):
    (tmp_path / "2026-10").mkdir()
    (tmp_path / "2026-10" / "index.html").write_text("old", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"déjà été publiée.*--force"):
        check_target(tmp_path / "2026-10", force=False)
    with Staging(tmp_path, "2026-10") as staging:
        (staging.path / "index.html").write_text("new", encoding="utf-8")
        with pytest.raises(ParameterError):
            staging.publish(force=False)
        staging.publish(force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-10"]
    assert (tmp_path / "2026-10" / "index.html").read_text(encoding="utf-8") == "new"


def test_stale_staging_of_a_dead_close_is_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f".2026-10.tmp-{dead}-abcd"
    alive = tmp_path / f".2026-10.tmp-{os.getpid()}-beef"
    stale.mkdir()
    alive.mkdir()
    with Staging(tmp_path, "2026-10"):
        names = sorted(p.name for p in tmp_path.iterdir())
    assert stale.name not in names
    assert alive.name in names


def test_period_lock_refuses_a_second_close(tmp_path):
    with period_lock(tmp_path, "2026-10"):
        code = ("import sys; from pathlib import Path\n"
                "from backoffice_lib.close.publish import period_lock\n"
                "from backoffice_lib.errors import ParameterError\n"
                "try:\n"
                f"    with period_lock(Path({str(tmp_path)!r}), '2026-10'): sys.exit(0)\n"
                "except ParameterError as exc:\n"
                "    print(exc); sys.exit(2)\n")
        other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert other.returncode == 2
    assert "une autre clôture de la période 2026-10 est en cours" in other.stdout


# --------------------------------------------------------------------------- history


def _row(period: str, key: str, value: float) -> dict:
    return {"period": period, "notebook": "costs", "key": key, "label": key, "value": value,
            "kind": "money", "generated_at": f"{period}-05T10:00:00+01:00"}


def test_history_appends_and_replaces_the_same_period(tmp_path):
    path = tmp_path / history.FILE_NAME
    history.append_history(path, [_row("2026-09", "total", 1.0)], "2026-09")
    history.append_history(path, [_row("2026-10", "total", 2.0)], "2026-10")
    history.append_history(path, [_row("2026-10", "total", 3.0)], "2026-10")
    result = pd.read_parquet(path)[["period", "key", "value"]]
    expected = pd.DataFrame({"period": ["2026-09", "2026-10"], "key": ["total", "total"],
                             "value": [1.0, 3.0]})
    pd.testing.assert_frame_equal(result, expected, check_dtype=False)
    assert [p.name for p in tmp_path.iterdir()] == [history.FILE_NAME]


def test_history_rows_before_a_period(tmp_path):
    path = tmp_path / history.FILE_NAME
    frame = history.append_history(
        path, [_row("2026-08", "total", 1.0), _row("2026-09", "total", 2.0),
               _row("2026-10", "total", 3.0)], "2026-10")
    result = [r["period"] for r in history.rows_before(frame, "costs", "2026-10")]
    assert result == ["2026-08", "2026-09"]
    assert history.rows_before(frame, "stock", "2026-10") == ()


def test_history_without_anything_to_write_creates_no_file(tmp_path):
    history.append_history(tmp_path / history.FILE_NAME, [], "2026-10")
    assert list(tmp_path.iterdir()) == []
    assert list(history.read_history(tmp_path / history.FILE_NAME).columns) == history.COLUMNS


def test_tile_rows_turn_values_into_floats():
    from decimal import Decimal

    from backoffice_lib.report.tiles import Tile

    rows = history.tile_rows([Tile("total", "Total", Decimal("12.50"), "money"),
                              Tile("ratio", "Ratio", None, "percent")],
                             period="2026-10", notebook="costs", generated_at="t")
    assert [(r["key"], r["value"], r["kind"]) for r in rows][0] == ("total", 12.5, "money")
    assert pd.isna(rows[1]["value"])


# --------------------------------------------------------------------------- progress, summary


def test_progress_lines():
    stream = io.StringIO()
    progress = Progress(2, "en", stream, heartbeat=0)
    progress.started("costs")
    progress.tick()
    progress.done("costs", True, 4.25)
    progress.done("stock", False, 1.0, "ValueError: boom\nmore")
    progress.export_failed("costs", 4.5, "OSError: disk full")
    lines = stream.getvalue().splitlines()
    assert lines[0] == "[close] costs: started"
    # the elapsed time is whatever the machine took between the two calls
    assert re.match(r"\[close\] running: costs \d+\.\d s \(0/2 finished\)", lines[1])
    assert lines[2:] == ["[close] costs: succeeded in 4.2 s (1/2)",
                         "[close] stock: FAILED after 1.0 s (2/2) — ValueError: boom",
                         "[close] costs: FAILED after 4.5 s (2/2) — OSError: disk full"]
    assert (progress.finished, progress.failed) == (2, 2)


class _ScriptedWorker:
    """A worker of :class:`NotebookPool` played by a thread: each notebook it is given
    ends when its gate opens (or after 5 s); what happens is appended to ``log``."""

    def __init__(self, gates: dict[str, threading.Event], log: list[str]) -> None:
        self.conn, theirs = multiprocessing.Pipe(duplex=True)
        self.task, self.alive, self.loads = None, True, 0
        self.process = SimpleNamespace(wait=lambda: 0)  # it exits once told to (None)
        self.thread = threading.Thread(target=self._serve, args=(theirs, gates, log))
        self.thread.start()

    @staticmethod
    def _serve(conn, gates, log) -> None:
        while (message := conn.recv()) is not None:
            name = message[1].name
            conn.send(("started", name))
            gates[name].wait(5)
            log.append(f"ran {name}")
            conn.send(("done", NotebookResult(name, "ok", seconds=1.0)))

    def send(self, message) -> bool:
        self.conn.send(message)
        return True


def test_exports_wait_for_a_spare_core_and_are_done_while_the_last_notebook_runs():
    gates = {name: threading.Event() for name in ("costs", "stock", "hr")}
    gates["stock"].set()
    threading.Timer(0.5, gates["hr"].set).start()  # hr runs half a second
    log: list[str] = []
    pool = NotebookPool(jobs=2, total=3, env={})
    pool._workers = [_ScriptedWorker(gates, log) for _ in range(2)]

    def finish(task, result):
        log.append(f"export {result.name}")
        if result.name == "hr":  # costs runs until the others are exported
            gates["costs"].set()
        return result

    tasks = [SimpleNamespace(name=name) for name in ("costs", "stock", "hr")]
    results = pool.run(tasks, Progress(3, "en", None), finish=finish, cores=2)
    for worker in pool._workers:  # each was told to leave once it had nothing to run
        worker.thread.join(5)
    assert [r.name for r in results] == ["costs", "stock", "hr"]
    # stock ends while costs and hr run (two notebooks, two cores): its export waits
    # until hr has run too; both are exported while costs still runs.
    assert log == ["ran stock", "ran hr", "export stock", "export hr", "ran costs",
                   "export costs"]


def test_summary_exit_codes():
    ok = NotebookResult("costs", "ok", seconds=1.0)
    failed = NotebookResult("stock", "failed", error="boom", seconds=2.0)
    folder = Path("/out/2026-10")
    assert CloseSummary("2026-10", "en", folder, [ok]).exit_code == 0
    assert CloseSummary("2026-10", "en", folder, [ok, failed]).exit_code == 1
    assert CloseSummary("2026-10", "en", folder, stopped_by_data=True).exit_code == 1
    text = CloseSummary("2026-10", "en", folder, [ok, failed], seconds=3.0).describe()
    assert text.splitlines() == [
        "Close 2026-10 finished in 3.0 s",
        "  costs                    succeeded 1.0 s",
        "  stock                    failed   2.0 s  boom",
        "Home page: /out/2026-10/index.html",
        "1 analysis(es) failed: see the home page and the executed notebooks.",
    ]


# --------------------------------------------------------------------------- report titles


@pytest.mark.parametrize(("path", "lang", "expected"), [
    (Path(__file__).resolve().parents[1] / "notebooks" / "costs.ipynb", "fr", "Analyse des coûts"),
    (Path(__file__).resolve().parents[1] / "notebooks" / "costs.ipynb", "en", "Cost analysis"),
    (NOTEBOOKS / "kpis.ipynb", "en", "Centres de coût (test)"),  # no catalogue title
], ids=["costs-fr", "costs-en", "heading"])
def test_report_title_comes_from_the_catalogue_when_it_has_one(path, lang, expected):
    from backoffice_lib.close.outputs import _title
    from backoffice_lib.close.results import NotebookTask

    task = NotebookTask(name="x", input_path=str(path), out_dir="", parameters={}, timeout=1,
                        lang=lang, company="", period="2026-10", currency="EUR",
                        generated_at="2026-11-05T10:00:00+01:00")
    assert _title(task) == expected


def test_costs_notebook_receives_the_run_values_and_its_filter(tmp_path):
    path = tmp_path / "close.yaml"
    path.write_text(textwrap.dedent(f"""\
        company: X
        period: "2026-09"
        fiscal_year_start: 4
        inputs: {{cost_centers: {CENTRES}}}
        thresholds: {{materiality_abs: 2500, top_movers: 5}}
        notebooks: [{{name: costs, parameters: {{cost_center_filter: ["CC200"]}}}}]
        """), encoding="utf-8")
    result = plan_parameters(load_params(path))["costs"]
    assert result == {
        "period": "2026-09", "language": "fr", "company": "X", "currency": "EUR",
        "inputs": {"cost_centers": str(CENTRES)}, "materiality_abs": 2500,
        "materiality_pct": 0.10, "top_movers": 5, "cost_center_filter": ["CC200"],
        "fiscal_year_start": 4, "close_working_day": 5, "min_group_size": 5,
    }
    path.write_text(path.read_text().replace('["CC200"]', '"CC200"'), encoding="utf-8")
    with pytest.raises(ParameterError, match="cost_center_filter"):
        plan_parameters(load_params(path))


def test_close_engine_writes_the_executed_notebook_at_start_and_end_only(tmp_path, monkeypatch):
    """Papermill's own engine writes the notebook around every cell; ours twice in all,
    and the final copy holds every output, the failing cell's error included."""
    from papermill import engines

    from backoffice_lib.close.engine import register

    written = []
    real_write = engines.write_ipynb
    monkeypatch.setattr(engines, "write_ipynb",
                        lambda nb, path: (written.append(path), real_write(nb, path)))
    out = tmp_path / "fails.ipynb"
    with pytest.raises(papermill.PapermillExecutionError, match="boom"):
        papermill.execute_notebook(str(NOTEBOOKS / "fails.ipynb"), str(out), kernel_name="python3",
                                   progress_bar=False, engine_name=register(),
                                   cwd=str(NOTEBOOKS))
    assert written == [str(out), str(out)]
    cells = [c for c in json.loads(out.read_text(encoding="utf-8"))["cells"]
             if c["cell_type"] == "code" and "parameters" not in c["metadata"].get("tags", [])]
    assert [[o.get("output_type") for o in c["outputs"]] for c in cells] == [
        ["display_data"], ["error"], []]
    assert [c["metadata"]["papermill"]["status"] for c in cells] == [
        "completed", "failed", "pending"]


def test_a_worker_can_start_its_kernel_before_loading_pandas():
    """``_spawn`` starts the first kernel right after importing ``.kernels``: that import
    (and the package's) must not pull in pandas, papermill or nbconvert."""
    code = ("import sys, backoffice_lib.close, backoffice_lib.close.kernels; "
            "print(sorted(m for m in ('pandas', 'papermill', 'nbconvert') if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)
    assert found.stdout.strip() == "[]"


def test_close_kernels_get_a_prompt_client_that_loses_no_output(tmp_path):
    """papermill's client comes from ``km.client()``: ours, ready without jupyter_client's
    idle wait; the first cell's output still arrives (IOPub was connected)."""
    from jupyter_core.utils import run_sync

    from backoffice_lib.close.clients import PromptKernelClient
    from backoffice_lib.close.kernels import SOCKET_ENV, WarmKernel

    env = {k: v for k, v in os.environ.items() if k != SOCKET_ENV}
    kernel = WarmKernel(tmp_path, env).start()
    try:
        client = kernel.km.client()
        assert isinstance(client, PromptKernelClient)

        async def first_output() -> list[str]:
            client.start_channels()
            try:
                await client.wait_for_ready(timeout=30)
                msg_id = client.execute("print('first', 6 * 7)")
                printed = []
                while True:
                    msg = await client.get_iopub_msg(timeout=30)
                    if msg["parent_header"].get("msg_id") != msg_id:
                        continue
                    if msg["msg_type"] == "stream":
                        printed.append(msg["content"]["text"])
                    if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                        return printed
            finally:
                client.stop_channels()

        assert run_sync(first_output)() == ["first 42\n"]
    finally:
        kernel.shutdown()


def _task(folder: Path, name: str):
    from backoffice_lib.close.results import NotebookTask

    return NotebookTask(name=name, input_path=str(NOTEBOOKS / "plain.ipynb"),
                        out_dir=str(folder), parameters={}, timeout=60, lang="en", company="",
                        period="2026-10", currency="EUR",
                        generated_at="2026-11-05T10:00:00+01:00")


def test_a_worker_shuts_its_kernels_down_before_it_returns(tmp_path, monkeypatch):
    """A notebook's kernel is shut down in the background; ``serve`` waits for it."""
    from backoffice_lib.close import worker

    class Kernel:
        def __init__(self):
            self.stopped = False

        def shutdown(self):
            time.sleep(0.2)
            self.stopped = True

    kernels = [Kernel(), Kernel()]

    class Conn:
        def __init__(self):
            self.sent, self.queue = [], [("run", _task(tmp_path, "a"), False),
                                         ("run", _task(tmp_path, "b"), False), None]

        def poll(self):
            return True

        def recv(self):
            return self.queue.pop(0)

        def send(self, message):
            self.sent.append(message)

    class Warmer:
        started = False

        def take(self):
            return kernels.pop(0) if kernels else None

        def discard(self):
            pass

    retired = list(kernels)
    monkeypatch.setattr(worker, "preload", lambda: None)
    monkeypatch.setattr(worker, "_execute", lambda task, output, kernel: ("", None))
    conn = Conn()
    worker.serve(conn, Warmer())
    assert [m[0] for m in conn.sent] == ["started", "done", "started", "done"]
    assert [k.stopped for k in retired] == [True, True]


def test_the_close_reads_its_parameters_without_importing_pandas():
    """The close starts its workers right after reading the parameters: pandas (and the
    table dtypes) come later, when the inputs are loaded."""
    code = ("import sys; from backoffice_lib.params import load_params; "
            "run = load_params('parameters/close.yaml'); "
            "print(len(run.inputs), 'pandas' in sys.modules); "
            "from backoffice_lib.tables import MONEY, TABLES; "
            "print(MONEY, TABLES['budget'].column('amount').dtype is MONEY)")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, cwd=Path(__file__).resolve().parents[1])
    assert found.stdout.split("\n")[0] == "12 False"
    assert found.stdout.split("\n")[1] == "decimal128(18, 2)[pyarrow] True"
