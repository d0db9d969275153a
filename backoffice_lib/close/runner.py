"""Run the close's notebooks in parallel: a pool of worker processes, one kernel each.

Why processes: papermill and nbclient keep per-thread event loops and global loggers;
a process per worker keeps notebooks apart (a worker that dies takes only its notebook
with it) and uses every core. A worker is launched as ``python -m
backoffice_lib.close._spawn FD`` (never a fork of this process, which may hold threads,
and no re-import of the caller's ``__main__``) at the very beginning of the close; with
the close's fork server (:mod:`.forkserver`) that process only stands in for a worker
forked with its imports done. Its first kernel (:mod:`.kernels`) warms while the main
process loads and validates the inputs.
Notebooks are handed out once the inputs are known to be good, each to the next free
worker; :meth:`NotebookPool.cancel` stops the workers when the inputs are not good.

Before anything runs, :func:`plan_tasks` reads each notebook's ``parameters`` cell
(``papermill.inspect_notebook``), injects only the declared names, and refuses a
notebook-specific value the notebook does not declare or whose type differs from the
annotation (a code written ``00042`` without quotes would otherwise lose its zeros).

A worker that dies (killed, out of memory) fails the notebook it was running; the other
workers carry on with the rest.
"""

from __future__ import annotations

import ast
import atexit
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from ..errors import ParameterError
from ..i18n import t
from ..params import RunParams
from .kernels import WARMUP_ENV
from .progress import Progress
from .results import FAILED, NotebookResult, NotebookTask

__all__ = ["NotebookPool", "claim", "declared_parameters", "plan_parameters"]

#: Seconds between two looks at the workers' health while waiting for events.
POLL = 0.5
def claim(folder: Path | str, table: str) -> bool:
    """Claim the loading of ``table`` (True once, for the first caller; False after, or if
    the claims folder is gone)."""
    try:
        os.close(os.open(os.path.join(folder, table), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except (FileExistsError, FileNotFoundError):
        return False
    return True


_TYPES = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,),
          "list": (list,), "dict": (dict,)}


def declared_parameters(path: str | Path) -> dict[str, dict[str, Any]]:
    """The parameters a notebook declares: name → ``{name, inferred_type_name, default}``.

    The same answer as ``papermill.inspect_notebook`` for a ``parameters`` cell of
    assignments (``period: str = "2026-10"``, ``x = 1``), read with :mod:`ast` from the
    notebook's JSON: the close then never imports papermill and nbformat in the main
    process, which keeps its start fast. A notebook without a ``parameters`` cell
    declares nothing (papermill would inject at the top; we inject nothing).
    """
    with open(path, encoding="utf-8") as handle:
        nb = json.load(handle)
    found: dict[str, dict[str, Any]] = {}
    for cell in nb.get("cells", []):
        if "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        for node in ast.parse(source).body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                name, annotation = node.target.id, ast.unparse(node.annotation)
                default = (ast.get_source_segment(source, node.value)
                           if node.value is not None else None)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name):
                name, annotation = node.targets[0].id, "None"
                default = ast.get_source_segment(source, node.value)
            else:
                continue
            found[name] = {"name": name, "inferred_type_name": annotation, "default": default}
        break
    return found


def _type_ok(value: Any, type_name: str) -> bool:
    expected = _TYPES.get(type_name)
    if expected is None or value is None:
        return True
    if isinstance(value, bool) and bool not in expected:
        return False
    return isinstance(value, expected)


def plan_parameters(params: RunParams) -> dict[str, dict[str, Any]]:
    """The values to inject into each notebook of the run; ParameterError if one is wrong."""
    planned: dict[str, dict[str, Any]] = {}
    for spec in params.notebooks:
        try:
            declared = declared_parameters(spec.path)
        except (OSError, ValueError, SyntaxError) as exc:
            raise ParameterError(file=params.source, detail=t(
                "params.notebook_unreadable", notebook=spec.name, detail=str(exc))) from None
        values = params.notebook_parameters(declared, notebook=spec.name)
        for key, value in spec.parameters.items():
            type_name = str(declared[key].get("inferred_type_name", ""))
            if not _type_ok(value, type_name):
                raise ParameterError(file=params.source, detail=t(
                    "params.notebook_wrong_type", notebook=spec.name, key=key,
                    expected=t(f"params.type_{_TYPE_WORDS.get(type_name, 'plain')}"),
                    value=repr(value)))
        planned[spec.name] = values
    return planned


_TYPE_WORDS = {"str": "text", "int": "int", "float": "number", "bool": "plain", "list": "list",
               "dict": "mapping"}


#: Workers left to exit on their own (``close(wait=False)``), reaped later.
_DETACHED: list[subprocess.Popen] = []


def _reap(block: bool = False) -> None:
    """Collect detached workers that have exited (all of them, waiting, if ``block``)."""
    for process in list(_DETACHED):
        if block:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.poll() is not None:
            _DETACHED.remove(process)


atexit.register(_reap, True)


class _Worker:
    """One worker process and our end of its socket."""

    def __init__(self, ident: int, env: Mapping[str, str]) -> None:
        ours, theirs = multiprocessing.Pipe(duplex=True)
        fd = theirs.fileno()
        child_env = {**os.environ, **env}
        package_parent = str(Path(__file__).resolve().parents[2])
        child_env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_parent, child_env.get("PYTHONPATH", "")) if p)
        self.ident = ident
        self.conn = ours
        self.process = subprocess.Popen(
            [sys.executable, "-m", "backoffice_lib.close._spawn", str(fd)],
            pass_fds=(fd,), env=child_env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        theirs.close()
        self.task: tuple[str, float] | None = None  # (notebook, start time) while busy
        self.loads = 0  # "load" messages not answered yet
        self.alive = True

    def send(self, message: Any) -> bool:
        """Send ``message``; False if the worker is gone."""
        try:
            self.conn.send(message)
            return True
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.alive = False
            return False


class NotebookPool:
    """``jobs`` worker processes; the close hands each a notebook as soon as it is free.

    Workers are plain subprocesses (``python -m backoffice_lib.close._spawn``) talking
    over a socket pair with pickled messages: nothing of the caller's ``__main__`` is
    re-imported (as ``multiprocessing``'s spawn would do), so ``run_close`` works from
    any script, notebook or test. Use as: :meth:`start` as early as possible,
    :meth:`warm_up`, then :meth:`run` or :meth:`cancel`; :meth:`close` always (idempotent).
    """

    def __init__(self, jobs: int, total: int, env: Mapping[str, str], warmup: str = "") -> None:
        self.jobs = max(1, min(jobs, total))
        self.total = total
        self.env = dict(env)
        self.warmup = warmup
        self._workers: list[_Worker] = []

    def start(self) -> NotebookPool:
        """Start the worker processes; with notebooks to run, each starts warming its
        first kernel (``warmup`` code) before its own imports."""
        _reap()
        env = dict(self.env)
        if self.total > 0:
            env[WARMUP_ENV] = self.warmup
        for ident in range(self.jobs):
            self._workers.append(_Worker(ident, env))
        return self

    def warm_up(self, code: str | None = None) -> None:
        """Let each worker warm its first kernel, importing ``code``'s modules (default:
        the pool's ``warmup``); a worker already warming one keeps it."""
        for worker in self._workers:
            worker.send(("warm", self.warmup if code is None else code, self.total > 0))

    def prefetch(self, inputs: Mapping[str, Any], sizes: Mapping[str, int],
                 load_here: Callable[[str, Any], Any],
                 local: Collection[str] = ()) -> dict[str, Any]:
        """Load the inputs into the shared cache in parallel: the workers and this process.

        Every table but the largest and those in ``local`` is offered to the workers
        (round robin, largest first); this process loads the largest one, then the
        ``local`` ones, then goes through the rest, largest first. (``local``: workbooks, read
        through one reader process per loading process —
        :mod:`backoffice_lib.loading.isolation` —, so all in this one.) Whoever *claims* a
        table first (an exclusive file in a claims folder) loads it, so a worker still
        starting never holds anything up: with a warm cache this process simply reads
        everything itself. Returns the frames loaded here (``load_here(table, spec)``);
        waits until the tables claimed by workers are in the cache. Failures are left to
        the caller's own load, which reports them with their location.
        """
        largest_first = sorted(inputs, key=lambda name: -sizes.get(name, 0))
        # This process starts with the largest table (workers may still be starting),
        # then its own tables (``local``), then what no worker has claimed, largest first.
        mine = largest_first[:1] + [t for t in largest_first[1:] if t in local]
        order = mine + [t for t in largest_first if t not in mine]
        claims = Path(tempfile.mkdtemp(prefix="backoffice-claims-"))
        try:
            offered = [table for table in largest_first if table not in mine]
            for i, table in enumerate(offered):
                worker = self._workers[i % len(self._workers)]
                if worker.send(("load", table, inputs[table], str(claims))):
                    worker.loads += 1
            loaded, elsewhere = {}, set()
            for table in order:
                if claim(claims, table):
                    loaded[table] = load_here(table, inputs[table])
                else:
                    elsewhere.add(table)
            self._await_loads(elsewhere)
        finally:
            shutil.rmtree(claims, ignore_errors=True)
        return {name: frame for name, frame in loaded.items() if frame is not None}

    def _await_loads(self, tables: set[str]) -> None:
        """Wait for the workers' ``loaded`` answers about ``tables``."""
        while tables:
            busy = {w.conn: w for w in self._workers if w.alive and w.loads}
            if not busy:
                return  # a worker died: the caller loads what is missing itself
            for conn in wait(list(busy)):
                worker = busy[conn]
                try:
                    _, table, _ = conn.recv()
                except (EOFError, OSError):
                    worker.alive = False
                    continue
                worker.loads -= 1
                tables.discard(table)

    def cancel(self) -> None:
        """Stop the workers without running anything (their kernels are shut down)."""
        for worker in self._workers:
            worker.send(None)
        self.close()

    def run(self, tasks: Sequence[NotebookTask], progress: Progress,
            meanwhile: Callable[[], None] | None = None,
            finish: Callable[[NotebookTask, NotebookResult], NotebookResult] | None = None,
            cores: int | None = None,
            ) -> list[NotebookResult]:
        """Run every task, at most ``jobs`` at a time; results in the order of ``tasks``.

        ``meanwhile`` is called once the first notebooks are handed out (the main process
        has nothing else to do while they run). ``finish(task, result)`` completes each
        result a worker sends back (the close exports the notebook there) when a core is
        spare: while fewer than ``cores`` notebooks run (``None``: at once), else once
        every notebook has run. With as many workers as cores, the exports thus wait for
        the last notebooks, when a core would idle, instead of slowing down the kernels:
        same work, less time.
        A notebook's progress line is printed when it has run; a failing export prints a
        second, failed line.
        """
        by_name = {task.name: task for task in tasks}
        waiting = list(tasks)
        results: dict[str, NotebookResult] = {}
        work: list[Callable[[], None]] = []  # finishing results, oldest first

        def feed(worker: _Worker) -> None:
            while waiting and worker.alive:
                task = waiting.pop(0)
                # Warm a next kernel only if every worker will get another notebook:
                # a spare kernel would cost a core for nothing and delay the exit.
                warm_after = len(waiting) >= sum(w.alive for w in self._workers)
                if worker.send(("run", task, warm_after)):
                    worker.task = (task.name, time.perf_counter())
                    return
                waiting.insert(0, task)
            worker.send(None)

        def finishing(result: NotebookResult) -> Callable[[], None]:
            def finish_one() -> None:
                was_ok = result.ok
                results[result.name] = done = finish(by_name[result.name], result)
                if was_ok and not done.ok:
                    progress.export_failed(done.name, done.seconds, done.error)
            return finish_one

        def spare_core() -> bool:
            running = sum(w.alive and w.task is not None for w in self._workers)
            return cores is None or running < cores or len(results) == len(tasks)

        for worker in self._workers:
            feed(worker)
        if meanwhile is not None:
            meanwhile()
        while len(results) < len(tasks):
            busy = {w.conn: w for w in self._workers if w.alive}
            if not busy:
                self._fail(waiting, results, progress, t("close.no_worker", progress.lang))
                break
            ready = wait(list(busy), timeout=0 if work and spare_core() else POLL)
            for conn in ready:
                worker = busy[conn]
                try:
                    kind, payload, *_ = conn.recv()
                except (EOFError, OSError):
                    self._lost(worker, results, progress)
                    continue
                if kind == "loaded":  # a late answer to prefetch: nothing to do
                    continue
                if kind == "started":
                    progress.started(payload)
                    continue
                worker.task = None
                feed(worker)
                results[payload.name] = payload
                progress.done(payload.name, payload.ok, payload.seconds, payload.error)
                if finish is not None:
                    work.append(finishing(payload))
            if not ready and work and spare_core():
                work.pop(0)()  # one piece at a time: the workers' messages come first
            progress.tick()
        while work:
            work.pop(0)()
        return [results[task.name] for task in tasks]

    def _lost(self, worker: _Worker, results: dict[str, NotebookResult],
              progress: Progress) -> None:
        """A worker died: the notebook it was running fails; the others carry on."""
        worker.alive = False
        code = worker.process.wait()
        if worker.task is not None:
            name, began = worker.task
            error = t("close.worker_died", progress.lang, code=code)
            results[name] = NotebookResult(name, FAILED, error=error,
                                           seconds=time.perf_counter() - began)
            progress.done(name, False, results[name].seconds, error)
            worker.task = None

    def _fail(self, waiting: list[NotebookTask], results: dict[str, NotebookResult],
              progress: Progress, error: str) -> None:
        for task in waiting:
            results[task.name] = NotebookResult(task.name, FAILED, error=error)
            progress.done(task.name, False, 0.0, error)
        waiting.clear()

    def close(self, timeout: float = 30.0, wait: bool = True) -> None:
        """Tell the workers to leave; wait for them (terminating them past ``timeout``)
        unless ``wait`` is False (they then shut their kernels down and exit on their own,
        while the close reports)."""
        deadline = time.monotonic() + timeout
        for worker in self._workers:
            worker.send(None)
        for worker in self._workers:
            if wait:
                try:
                    worker.process.wait(max(0.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    worker.process.terminate()
                    worker.process.wait(5)
            elif worker.process.poll() is None:
                _DETACHED.append(worker.process)
            worker.conn.close()
        self._workers = []

    def terminate(self) -> None:
        """Stop every worker now (interrupted close); their kernels follow them."""
        for worker in self._workers:
            if worker.process.poll() is None:
                worker.process.terminate()
        self.close(timeout=5.0)
