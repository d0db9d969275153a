"""Stand-ins for processes forked by the close's fork server (:mod:`.forkserver`).

A *kernel*: ``python -m backoffice_lib.close._stub -f CONNECTION_FILE``, launched by
jupyter_client in place of ``python -m ipykernel_launcher``. A *worker*: the start of
``python -m backoffice_lib.close._spawn FD`` (:func:`stand_in_for_worker`).

The stub asks the fork server for the process, with its own arguments, folder,
environment and standard files (and, for a worker, its socket to the close), then
stands in for it towards whoever launched the stub: the signals it gets (interrupt,
terminate, hang-up) go to the forked process; it ends when that process ends, and the
same way (exit code, or death by the same signal: the server reports it); if the
process that launched the stub dies, the stub kills the forked one; if the stub is
killed, the forked process follows at once (it watches the stub). When the server
cannot be reached, the caller does the work itself (a kernel stub becomes an ordinary
kernel with ``exec``). Standard library only, so that it starts in milliseconds
(:mod:`.kernels` imports nothing else).
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys
import time

from .kernels import SOCKET_ENV

__all__ = ["stand_in_for_worker"]

#: Seconds between two looks at the launching process while the forked one runs.
PARENT_POLL = 0.5
#: Seconds to wait for the server's answer (it may still be importing).
ANSWER_TIMEOUT = 60.0
#: Seconds to wait for the server's socket to appear.
CONNECT_TIMEOUT = 2.0
#: Seconds to keep trying a socket that refuses connections.
REFUSED_TIMEOUT = 0.1
RELAYED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1,
           signal.SIGUSR2)


def _read_line(conn: socket.socket) -> dict | None:
    """One JSON line from the server, or None if it closed the connection first."""
    data = b""
    while not data.endswith(b"\n"):
        more = conn.recv(4096)
        if not more:
            return None
        data += more
    return json.loads(data)


def _connect(conn: socket.socket, path: str) -> None:
    """Connect to the server, waiting a little for a server that is still starting (it
    is launched together with the workers: its socket appears some milliseconds later).
    A socket nobody listens on (a server that died) fails at once, give or take the
    instant between the server's ``bind`` and ``listen``."""
    started = time.monotonic()
    while True:
        try:
            conn.connect(path)
            return
        except FileNotFoundError:
            if time.monotonic() - started > CONNECT_TIMEOUT:
                raise
        except ConnectionRefusedError:
            if time.monotonic() - started > REFUSED_TIMEOUT:
                raise
        time.sleep(0.01)


def _ask_server(path: str, role: str, argv: list[str],
                fds: tuple[int, ...] = ()) -> tuple[int, socket.socket]:
    """Ask the server at ``path`` for a ``role`` process; its pid and our connection
    (on which the server reports how a worker ended)."""
    request = {"role": role, "argv": argv, "cwd": os.getcwd(), "env": dict(os.environ),
               "stub": os.getpid()}
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(ANSWER_TIMEOUT)
        _connect(conn, path)
        socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], [0, 1, 2, *fds])
        answer = _read_line(conn)
        if answer is None:
            raise ConnectionError("the fork server gave no process")
        return int(answer["pid"]), conn
    except BaseException:
        conn.close()
        raise


def _end_like(code: int) -> int:
    """Exit code to return for a forked process that ended with ``code``; a death by a
    signal is reproduced (the launcher then sees the same negative code)."""
    if code < 0:
        if -code in RELAYED:
            signal.signal(-code, signal.SIG_DFL)  # (SIGKILL's cannot be changed)
        os.kill(os.getpid(), -code)
    return code


def _stand_in(pid: int, conn: socket.socket | None = None) -> int:
    """Relay signals to ``pid`` until it exits (or our launcher dies); its exit code when
    the server reports it on ``conn``, else 0."""
    launcher = os.getppid()

    def relay(signum: int, _frame: object) -> None:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for signum in RELAYED:
        signal.signal(signum, relay)
    try:
        process = os.pidfd_open(pid)
    except ProcessLookupError:
        return 0
    watched = [process] if conn is None else [conn]
    while True:
        ready, _, _ = select.select(watched, [], [], PARENT_POLL)
        if ready and conn is not None:
            conn.settimeout(ANSWER_TIMEOUT)
            status = _read_line(conn)
            if status is not None:
                return _end_like(int(status["exit"]))
            conn, watched = None, [process]  # the server is gone: watch the process itself
        elif ready:
            return 0
        if os.getppid() != launcher:  # launched by a process that has died
            relay(signal.SIGKILL, None)
            return 1


def stand_in_for_worker(fd: int) -> int | None:
    """In ``_spawn``: have the fork server fork this worker (its socket to the close is
    ``fd``) and stand in for it; its exit code, or None if there is no server to ask."""
    path = os.environ.get(SOCKET_ENV)
    if not path:
        return None
    try:
        pid, conn = _ask_server(path, "worker", [], (fd,))
    except (OSError, ValueError, KeyError):
        return None
    os.close(fd)  # the worker has it now: the close must see EOF when the worker dies
    with conn:
        return _stand_in(pid, conn)


def main(argv: list[str]) -> int:
    """A kernel: get a forked one and stand in for it, or become one ourselves."""
    path = os.environ.get(SOCKET_ENV)
    if path:
        try:
            pid, conn = _ask_server(path, "kernel", argv)
            conn.close()
            return _stand_in(pid)
        except (OSError, ValueError, KeyError):
            pass
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])
    return 1  # pragma: no cover - execv does not return


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
