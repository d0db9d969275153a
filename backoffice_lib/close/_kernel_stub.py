"""A kernel's stand-in: ``python -m backoffice_lib.close._kernel_stub -f CONNECTION_FILE``.

Launched by jupyter_client in place of ``python -m ipykernel_launcher`` (see
:mod:`.forkserver`). It asks the fork server for a kernel with its own arguments,
folder, environment and standard files, then stands in for it: the signals it gets
(interrupt, terminate, hang-up) go to the kernel; it exits when the kernel exits; if the
process that launched it dies, it stops the kernel. When the server cannot be reached
it becomes an ordinary kernel instead (``exec``). Standard library only, so that it
starts in milliseconds (:mod:`.kernels` imports nothing else).
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys

from .kernels import SOCKET_ENV

#: Seconds between two looks at the launching process while the kernel runs.
PARENT_POLL = 0.5
#: Seconds to wait for the server's answer (it may still be importing).
ANSWER_TIMEOUT = 60.0


def _ask_server(path: str, argv: list[str]) -> int:
    """The pid of a kernel forked by the server at ``path`` for ``argv``."""
    request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "stub": os.getpid()}
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(ANSWER_TIMEOUT)
        conn.connect(path)
        socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
        answer = b""
        while not answer.endswith(b"\n"):
            more = conn.recv(4096)
            if not more:
                raise ConnectionError("the fork server gave no kernel")
            answer += more
    return int(json.loads(answer)["pid"])


def _stand_in(pid: int) -> int:
    """Relay signals to kernel ``pid`` until it exits (or our launcher dies)."""
    launcher = os.getppid()

    def relay(signum: int, _frame: object) -> None:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT,
                   signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(signum, relay)
    try:
        kernel = os.pidfd_open(pid)
    except ProcessLookupError:
        return 0
    while True:
        ready, _, _ = select.select([kernel], [], [], PARENT_POLL)
        if ready:
            return 0
        if os.getppid() != launcher:  # launched by a worker that has died
            relay(signal.SIGKILL, None)
            return 1


def main(argv: list[str]) -> int:
    """Get a forked kernel and stand in for it, or become a kernel ourselves."""
    path = os.environ.get(SOCKET_ENV)
    if path:
        try:
            return _stand_in(_ask_server(path, argv))
        except (OSError, ValueError, KeyError):
            pass
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])
    return 1  # pragma: no cover - execv does not return


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
