"""Kernels and workers forked from one warm process: their imports are paid once per close.

A notebook's kernel spends about a second of CPU importing IPython, pandas, matplotlib
and the package before its first cell, and a close worker half a second importing
papermill and jupyter_client; a close of four notebooks on two workers paid that six
times on a machine whose cores are all busy. The close therefore starts one *fork
server* (:class:`ForkServer`, a fresh interpreter): it does those imports once, then
forks a kernel or a worker for each request. Each notebook still gets its own process,
fresh namespace and own sockets: only the already imported modules are shared,
copy-on-write (which also saves memory).

How a process is forked while its launcher keeps managing it (:mod:`._stub`):

1. A *stub* is launched instead of the real thing: for a kernel, jupyter_client runs
   ``python -m backoffice_lib.close._stub -f {connection_file}`` instead of ``python -m
   ipykernel_launcher ...`` (:func:`forked_kernel_specs`: the ``python3`` kernelspec with
   its ``argv`` changed); for a worker, the close runs ``python -m
   backoffice_lib.close._spawn FD`` as always, which starts as a stub.
2. The stub sends the server its role, arguments, working folder, environment and
   standard file descriptors (``SCM_RIGHTS``; a worker's socket to the close too); the
   server forks; the child takes them over and becomes an ipykernel exactly as
   ``ipykernel_launcher`` would start it, or a worker (:func:`.worker.main`).
3. The stub stays as the stand-in its launcher manages: the signals it gets (interrupt,
   terminate) go to the forked process; it ends when that process ends, the same way
   (the server reaps its children and reports a worker's exit status, so a worker
   killed by a signal shows as such to the close); if the stub is killed, the forked
   process follows at once (it watches the stub); if the launcher dies, the stub kills
   the forked process. If the server cannot be reached, the stub does the work itself:
   nothing depends on the server.

The server runs while the close runs: it exits when the close closes its stdin, or
dies. POSIX only (``fork``, ``SCM_RIGHTS``, ``pidfd``); elsewhere the close launches
ordinary kernels and workers.
"""

from __future__ import annotations

import gc
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from functools import cache
from pathlib import Path
from typing import Any

from .kernels import SOCKET_ENV

__all__ = ["SOCKET_ENV", "ForkServer", "available", "forked_kernel_specs", "serve"]

#: Seconds the server waits for a stub's whole request.
REQUEST_TIMEOUT = 10.0
#: Seconds between two collections of ended children (a worker's stub waits for that).
REAP_EVERY = 0.2
#: File descriptors a request may carry: stdin, stdout, stderr, a worker's socket.
MAX_FDS = 4
#: Longest socket path ``bind`` accepts (108 bytes on Linux, the terminating NUL included).
MAX_SOCKET_PATH = 107
#: Bytes of a request read at a time.
CHUNK = 65536
STUB_MODULE = "backoffice_lib.close._stub"
#: What ipykernel sets itself when it starts; set before matplotlib is imported, so
#: that a forked kernel has the backend a normal kernel has.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def available() -> bool:
    """True where kernels can be forked (POSIX with pidfd and fd passing)."""
    return (os.name == "posix" and hasattr(os, "fork") and hasattr(os, "pidfd_open")
            and hasattr(socket, "send_fds"))


# --------------------------------------------------------------------------- close side


class ForkServer:
    """The fork-server process of one close: :meth:`start` it first thing (it imports
    what does not depend on the run), :meth:`warm_up` it with the notebooks' imports once
    the parameters are read, give :attr:`worker_env` to the workers, :meth:`stop` it at
    the end (idempotent). Without :func:`available`, it does nothing."""

    def __init__(self) -> None:
        self.folder: str | None = None
        self.path: str | None = None
        self.process: subprocess.Popen | None = None

    def start(self) -> ForkServer:
        """Start the server (it imports in the background); returns self."""
        if not available():
            return self
        self.folder = tempfile.mkdtemp(prefix="backoffice-kernels-")
        self.path = os.path.join(self.folder, "server.sock")
        if len(os.fsencode(self.path)) > MAX_SOCKET_PATH:  # a long TMPDIR: no server
            self.stop()
            return self
        package_parent = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
        # stdin stays an open pipe: the warm-up code comes that way, and its end (stop(),
        # or the close's death) stops the server.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "backoffice_lib.close.forkserver", self.path],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=env, start_new_session=True,  # a Ctrl-C of the close is not the kernels'
        )
        return self

    def warm_up(self, code: str) -> None:
        """Give the server the kernels' warm-up code (:func:`.kernels.warmup_code`): it
        runs it, then starts forking. Forked children get the environment of whoever
        asks, so nothing else of the run is needed here."""
        if self.process is None or self.process.stdin is None:
            return
        try:
            self.process.stdin.write(json.dumps(code).encode("utf-8") + b"\n")
            self.process.stdin.flush()
        except OSError:
            self.stop()  # no server: the stubs do the work themselves

    @property
    def worker_env(self) -> dict[str, str]:
        """What the workers need in their environment to have their kernels forked and be
        forked themselves (nothing once the server is stopped)."""
        return {SOCKET_ENV: self.path} if self.path else {}

    def stop(self) -> None:
        """Stop the server at once (processes it forked carry on) and clean up."""
        process, self.process = self.process, None
        if process is not None:
            process.kill()
            process.wait()
            if process.stdin is not None:
                process.stdin.close()
        if self.folder is not None:
            for name in os.listdir(self.folder) if os.path.isdir(self.folder) else ():
                os.unlink(os.path.join(self.folder, name))
            os.rmdir(self.folder)
            self.folder = self.path = None


@cache
def _forked_specs_class() -> type:
    """The kernelspec manager class (jupyter_client is imported on first use)."""
    from jupyter_client.kernelspec import KernelSpecManager

    class ForkedKernelSpecs(KernelSpecManager):
        """The installed kernelspecs, with the ``python3`` kernel launched through the
        fork server's stub (same arguments, same metadata: encryption, debugger...)."""

        def get_kernel_spec(self, kernel_name: str) -> Any:
            spec = super().get_kernel_spec(kernel_name)
            if spec.argv[1:3] == ["-m", "ipykernel_launcher"]:
                spec.argv = [sys.executable, "-m", STUB_MODULE, *spec.argv[3:]]
            return spec

    return ForkedKernelSpecs


def forked_kernel_specs() -> Any:
    """A jupyter_client kernelspec manager whose ``python3`` kernel is forked by the
    server (give it to the kernel manager: ``kernel_spec_manager=``)."""
    return _forked_specs_class()()


# --------------------------------------------------------------------------- server side


#: Modules every kernel imports as it starts (found by comparing a forked kernel's
#: ``sys.modules`` with the server's): ipykernel's debugger with debugpy and pydevd
#: (140 modules), IPython's shell parts, the history's sqlite3. Imported once here.
KERNEL_START_MODULES = (
    "ipykernel.debugger", "ipykernel.ipkernel", "ipykernel.kernelapp",
    "IPython.core.completerlib", "IPython.core.debugger", "IPython.core.oinspect",
    "IPython.extensions.storemagic", "sqlite3", "tornado.platform.asyncio",
)


def _import_common() -> None:
    """Import what every kernel and every worker imports, whatever the notebooks:
    ipykernel (:data:`KERNEL_START_MODULES`), pandas, matplotlib, papermill and the
    close's worker."""
    import importlib

    from . import worker

    worker.block_slow_imports()  # before anything imports jsonschema
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # pydevd's import warning
    for name in KERNEL_START_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # another ipykernel version: its kernels import it themselves
            pass
    import matplotlib.figure  # noqa: F401
    import pandas  # noqa: F401

    worker.preload()


def _warm(code: str) -> None:
    """Run the kernels' warm-up code (the notebooks' imports)."""
    if code:
        try:
            exec(compile(code, "<kernel warm-up>", "exec"), {})  # noqa: S102 - our own code
        except Exception:  # noqa: BLE001 - the kernels will show the error themselves
            pass


def _read_request(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """A stub's request (one JSON line) and the file descriptors sent with it."""
    conn.settimeout(REQUEST_TIMEOUT)
    data, fds, _, _ = socket.recv_fds(conn, CHUNK, MAX_FDS)
    while not data.endswith(b"\n"):
        more = conn.recv(CHUNK)
        if not more:
            raise ConnectionError("request cut short")
        data += more
    return json.loads(data), list(fds)


def _watch(pid: int) -> None:
    """End this process at once when process ``pid`` (the stub) ends."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)

    def wait() -> None:
        watcher = selectors.DefaultSelector()
        watcher.register(fd, selectors.EVENT_READ)
        watcher.select()
        os._exit(1)

    threading.Thread(target=wait, name="stub-watch", daemon=True).start()


def _take_over(request: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: the stub's standard files, folder, environment and signals."""
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for target, fd in enumerate(fds[:3]):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    _watch(int(request["stub"]))


def _become_kernel(request: dict[str, Any], fds: list[int]) -> int:
    """Run ipykernel as ``python -m ipykernel_launcher ARGS`` would; the exit code."""
    _take_over(request, fds)
    sys.argv = ["ipykernel_launcher", *request["argv"]]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
    return 0


def _become_worker(request: dict[str, Any], fds: list[int]) -> int:
    """Serve the close as a worker on the socket passed after the standard files."""
    _take_over(request, fds)
    from .worker import main

    return main([str(fds[3])])


ROLES = {"kernel": _become_kernel, "worker": _become_worker}


def _fork(request: dict[str, Any], fds: list[int], closing: list[Any]) -> int:
    """Fork a process for ``request``; in the parent, its pid. The child never returns."""
    become = ROLES[request.get("role", "kernel")]
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        for item in closing:
            item.close()
        code = become(request, fds)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - never fall back into the server's loop
        import traceback

        traceback.print_exc()
    finally:
        try:
            import atexit

            atexit._run_exitfuncs()  # the process's own (IPython's history...)
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
    return 0  # pragma: no cover - unreachable


def _reap(waiting: dict[int, socket.socket]) -> None:
    """Collect the children that have ended; tell the stub of a worker how it ended."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = waiting.pop(pid, None)
        if conn is not None:
            code = os.waitstatus_to_exitcode(status)
            try:
                conn.sendall(json.dumps({"exit": code}).encode() + b"\n")
            except OSError:
                pass
            conn.close()


def serve(path: str) -> int:
    """The server's loop: import, read and run the warm-up code (a JSON string on the
    first line of stdin), then fork a process per request until stdin closes."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)  # stubs may connect (and wait) while the imports run
    _import_common()
    line = sys.stdin.buffer.readline()
    if not line:
        return 0  # the close stopped before it had notebooks to run
    _warm(json.loads(line))
    # What the imports allocated lives as long as the children: out of the garbage
    # collector's sight, its pages stay shared between them (a collection would write
    # to every object's header, copying each page into each child).
    gc.collect()
    gc.freeze()
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    selector.register(sys.stdin, selectors.EVENT_READ)
    workers: dict[int, socket.socket] = {}  # pid -> its stub's connection
    try:
        while True:
            for key, _ in selector.select(REAP_EVERY):
                if key.fileobj is sys.stdin:
                    if not os.read(sys.stdin.fileno(), CHUNK):
                        return 0  # the close is over
                    continue
                conn, _ = listener.accept()
                fds: list[int] = []
                try:
                    request, fds = _read_request(conn)
                    pid = _fork(request, fds, [listener, selector, conn, *workers.values()])
                    conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
                except (OSError, ValueError, KeyError):
                    conn.close()  # the stub sees the connection close: it runs alone
                    continue
                finally:
                    for fd in fds:  # the child has them now
                        os.close(fd)
                if request.get("role") == "worker":
                    workers[pid] = conn
                else:
                    conn.close()
            _reap(workers)
    finally:
        for conn in workers.values():
            conn.close()
        selector.close()
        listener.close()


if __name__ == "__main__":
    # As ipykernel_launcher does: the kernels' folder comes first on their path, not ours.
    if sys.path and sys.path[0] and Path(sys.path[0]) == Path.cwd():
        del sys.path[0]
    sys.exit(serve(sys.argv[1]))
