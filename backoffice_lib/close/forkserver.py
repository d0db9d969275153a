"""Kernels forked from one warm process: the imports of a kernel are paid once per close.

A notebook's kernel spends about a second of CPU importing IPython, pandas, matplotlib
and the package before its first cell; a close of four notebooks paid that four times
on a machine whose cores are all busy. The close therefore starts one *fork server*
(:class:`ForkServer`, a fresh interpreter): it does those imports once, then forks
a kernel for each request. Each notebook still gets its own process, fresh namespace
and own sockets: only the already imported modules are shared, copy-on-write (which
also saves memory).

How a worker gets a forked kernel, with jupyter_client left in charge of it:

1. The worker's kernel manager launches, instead of ``python -m ipykernel_launcher -f
   {connection_file}``, the stub :mod:`._kernel_stub` with the same arguments
   (:func:`forked_kernel_specs`: the ``python3`` kernelspec with its ``argv`` changed).
2. The stub sends the server its argv, working folder, environment and standard file
   descriptors (``SCM_RIGHTS``); the server forks; the child takes them over and becomes
   an ipykernel (:func:`_become_kernel`), exactly as ``ipykernel_launcher`` would start.
3. The stub stays as the kernel's stand-in for jupyter_client: it passes on the signals
   it gets (interrupt, terminate), ends when the kernel ends, and if it is killed the
   kernel follows at once (the kernel watches the stub). If the worker dies, the stub
   kills the kernel. If the server cannot be reached, the stub simply *becomes* a
   normal kernel (``exec`` of ``ipykernel_launcher``): nothing depends on the server.

The server runs while the close runs: it exits when the close closes its stdin, or
dies. POSIX only (``fork``, ``SCM_RIGHTS``, ``pidfd``); elsewhere the close launches
ordinary kernels.
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
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .kernels import SOCKET_ENV, WARMUP_ENV

__all__ = ["SOCKET_ENV", "ForkServer", "available", "forked_kernel_specs", "serve"]

#: Seconds the server waits for a stub's whole request.
REQUEST_TIMEOUT = 10.0
#: Bytes of a request read at a time.
CHUNK = 65536
STUB_MODULE = "backoffice_lib.close._kernel_stub"
#: What ipykernel sets itself when it starts; set before matplotlib is imported, so
#: that a forked kernel has the backend a normal kernel has.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def available() -> bool:
    """True where kernels can be forked (POSIX with pidfd and fd passing)."""
    return (os.name == "posix" and hasattr(os, "fork") and hasattr(os, "pidfd_open")
            and hasattr(socket, "send_fds"))


# --------------------------------------------------------------------------- close side


class ForkServer:
    """The fork-server process of one close: :meth:`start`, give :attr:`env` to the
    workers, :meth:`stop` at the end (idempotent)."""

    def __init__(self, env: Mapping[str, str], warmup: str = "") -> None:
        self.env = dict(env)
        self.warmup = warmup
        self.folder: str | None = None
        self.path: str | None = None
        self.process: subprocess.Popen | None = None

    def start(self) -> ForkServer:
        """Start the server (it imports in the background); returns self."""
        self.folder = tempfile.mkdtemp(prefix="backoffice-kernels-")
        self.path = os.path.join(self.folder, "server.sock")
        package_parent = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, **self.env}
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
        env[WARMUP_ENV] = self.warmup
        # stdin stays an open pipe: its end (stop(), or the close's death) stops the server.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "backoffice_lib.close.forkserver", self.path],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=env, start_new_session=True,  # a Ctrl-C of the close is not the kernels'
        )
        return self

    @property
    def worker_env(self) -> dict[str, str]:
        """What the workers need in their environment to launch forked kernels."""
        return {SOCKET_ENV: self.path} if self.path else {}

    def stop(self) -> None:
        """Stop the server (kernels already forked are not touched) and clean up."""
        process, self.process = self.process, None
        if process is not None:
            try:
                if process.stdin is not None:
                    process.stdin.close()
                process.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()
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


def _warm(code: str) -> None:
    """Import what every kernel imports: ipykernel, then the notebooks' modules."""
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.kernelapp  # noqa: F401

    if code:
        try:
            exec(compile(code, "<kernel warm-up>", "exec"), {})  # noqa: S102 - our own code
        except Exception:  # noqa: BLE001 - the kernels will show the error themselves
            pass


def _read_request(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """A stub's request (one JSON line) and the file descriptors sent with it."""
    conn.settimeout(REQUEST_TIMEOUT)
    data, fds, _, _ = socket.recv_fds(conn, CHUNK, 3)
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


def _become_kernel(request: dict[str, Any], fds: list[int]) -> int:
    """In the forked child: take over the stub's files, folder and environment, then run
    ipykernel as ``python -m ipykernel_launcher ARGS`` would. Returns the exit code."""
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for target, fd in enumerate(fds[:3]):
        os.dup2(fd, target)
    for fd in fds:
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["ipykernel_launcher", *request["argv"]]
    _watch(int(request["stub"]))
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
    return 0


def _fork(request: dict[str, Any], fds: list[int], closing: list[Any]) -> int:
    """Fork a kernel for ``request``; in the parent, its pid. The child never returns."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        for item in closing:
            item.close()
        code = _become_kernel(request, fds)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - never fall back into the server's loop
        import traceback

        traceback.print_exc()
    finally:
        try:
            import atexit

            atexit._run_exitfuncs()  # the kernel's own (IPython's history...)
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
    return 0  # pragma: no cover - unreachable


def serve(path: str, code: str) -> int:
    """The server's loop: warm up, then fork a kernel per request until stdin closes."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)  # stubs may connect (and wait) while the imports run
    _warm(code)
    # What the imports allocated lives as long as the kernels: out of the garbage
    # collector's sight, its pages stay shared between the kernels (a collection would
    # write to every object's header, copying each page into each kernel).
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forked kernels are reaped by the system
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    selector.register(sys.stdin, selectors.EVENT_READ)
    try:
        while True:
            for key, _ in selector.select():
                if key.fileobj is sys.stdin:
                    if not os.read(sys.stdin.fileno(), CHUNK):
                        return 0  # the close is over
                    continue
                conn, _ = listener.accept()
                with conn:
                    try:
                        request, fds = _read_request(conn)
                    except (OSError, ValueError):
                        continue  # the stub sees the connection close: it runs alone
                    try:
                        pid = _fork(request, fds, [listener, conn, selector])
                        conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
                    except OSError:
                        pass
                    finally:
                        for fd in fds:
                            os.close(fd)
    finally:
        selector.close()
        listener.close()


if __name__ == "__main__":
    # As ipykernel_launcher does: the kernels' folder comes first on their path, not ours.
    if sys.path and sys.path[0] and Path(sys.path[0]) == Path.cwd():
        del sys.path[0]
    sys.exit(serve(sys.argv[1], os.environ.get(WARMUP_ENV, "")))
