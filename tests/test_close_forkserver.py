"""Kernels forked from the close's fork server (backoffice_lib.close.forkserver)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from backoffice_lib.close import _stub
from backoffice_lib.close.forkserver import ForkServer, available
from backoffice_lib.close.kernels import SOCKET_ENV, WarmKernel, warmup_code

pytestmark = pytest.mark.skipif(not available(), reason="kernels are forked on POSIX only")

#: How often ipykernel's parent poller looks at its parent.
PARENT_POLL_SECONDS = 1.0
WARM = warmup_code({"backoffice_lib.periods": ["month_end"]})


def _run(kernel: WarmKernel, code: str) -> str:
    """Run ``code`` in the kernel; what it printed."""
    client = kernel.km.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=30)
        msg_id = client.execute(code)
        printed = []
        while True:
            msg = client.get_iopub_msg(timeout=30)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])
            if msg["msg_type"] == "error":
                printed.append(msg["content"]["ename"])
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return "".join(printed).strip()
    finally:
        client.stop_channels()


def _gone(pid: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("BACKOFFICE_TEST_MARK", "server")
    forks = ForkServer().start()
    forks.warm_up(WARM)
    yield forks
    forks.stop()


def test_each_kernel_is_a_fresh_fork_with_the_imports_done(server, tmp_path):
    env = {**os.environ, **server.worker_env, "BACKOFFICE_TEST_MARK": "kernel"}
    first = WarmKernel(tmp_path, env, WARM).start()
    second = WarmKernel(tmp_path, env, WARM).start()
    try:
        probe = ("import os, sys; print(os.getppid(), os.getcwd(), "
                 "os.environ['BACKOFFICE_TEST_MARK'], 'backoffice_lib.periods' in sys.modules)")
        for kernel in (first, second):
            parent, cwd, mark, warm = _run(kernel, probe).split()
            assert int(parent) == server.process.pid     # forked by the server
            assert (cwd, mark, warm) == (str(tmp_path), "kernel", "True")
        assert _run(first, "secret = 42; print(secret)") == "42"
        assert _run(second, "print('secret' in globals())") == "False"   # nothing shared
        assert _run(second, "print(os.getpid())") != _run(first, "print(os.getpid())")
        server.stop()                              # the kernels outlive the server
        time.sleep(PARENT_POLL_SECONDS + 0.5)      # (ipykernel looks at its parent each 1 s)
        assert _run(first, "print(secret)") == "42"
    finally:
        first.shutdown()
        second.shutdown()


def test_the_stub_relays_interrupts_and_its_death_ends_the_kernel(server, tmp_path):
    kernel = WarmKernel(tmp_path, {**os.environ, **server.worker_env}, WARM).start()
    stub = kernel.pid
    forked = int(_run(kernel, "import os; print(os.getpid())"))
    assert forked != stub
    client = kernel.km.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=30)
        msg_id = client.execute("import time; time.sleep(60)")
        time.sleep(0.5)
        kernel.interrupt()                                  # SIGINT to the stub...
        while True:
            reply = client.get_shell_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        assert reply["content"]["ename"] == "KeyboardInterrupt"   # ...reaches the kernel
    finally:
        client.stop_channels()
    os.kill(stub, signal.SIGKILL)
    assert _gone(forked)
    kernel.shutdown()


def test_without_a_server_the_stub_becomes_an_ordinary_kernel(tmp_path):
    env = {**os.environ, SOCKET_ENV: str(tmp_path / "nobody-listens.sock")}
    kernel = WarmKernel(tmp_path, env, WARM).start()
    try:
        assert int(_run(kernel, "import os; print(os.getpid())")) == kernel.pid
    finally:
        kernel.shutdown()


def test_stopping_the_server_removes_its_socket_and_leaves_no_process(tmp_path):
    forks = ForkServer().start()
    forks.warm_up(WARM)
    folder, process = Path(forks.folder), forks.process
    forks.stop()
    forks.stop()  # idempotent
    assert process.poll() is not None
    assert not folder.exists()
    assert forks.worker_env == {}  # workers started after this launch ordinary kernels


def _spawn_worker(env: dict[str, str]):
    """``python -m backoffice_lib.close._spawn FD`` as the close starts it: (process, conn)."""
    ours, theirs = multiprocessing.Pipe(duplex=True)
    process = subprocess.Popen([sys.executable, "-m", "backoffice_lib.close._spawn",
                                str(theirs.fileno())], pass_fds=(theirs.fileno(),), env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    theirs.close()
    return process, ours


def _forked_children(server: ForkServer, seconds: float = 30.0) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        children = psutil.Process(server.process.pid).children()
        if children:
            return children
        time.sleep(0.05)
    return []


def test_a_worker_is_forked_and_its_stub_ends_as_it_ends(server):
    env = {**os.environ, **server.worker_env}
    process, conn = _spawn_worker(env)
    [worker] = _forked_children(server)
    assert worker.pid != process.pid
    conn.send(None)                                  # the close has nothing to run
    assert process.wait(30) == 0
    assert _gone(worker.pid)

    process, conn = _spawn_worker(env)               # a worker killed by a signal...
    [worker] = _forked_children(server)
    os.kill(worker.pid, signal.SIGKILL)
    assert process.wait(30) == -signal.SIGKILL       # ...shows as killed to the close
    with pytest.raises(EOFError):
        conn.recv()                                  # and the close sees its socket close


class _FakeClock:
    """time.monotonic/time.sleep for _stub: sleeping advances the clock, nothing waits."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps = 0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        self.now += seconds


def test_the_stub_waits_for_a_starting_server_not_for_a_dead_one(tmp_path, monkeypatch):
    clock = _FakeClock()
    monkeypatch.setattr(_stub.time, "monotonic", clock.monotonic)
    monkeypatch.setattr(_stub.time, "sleep", clock.sleep)
    dead = tmp_path / "dead.sock"          # a server that died leaves its socket file
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(dead))
    listener.close()
    with socket.socket(socket.AF_UNIX) as conn, pytest.raises(ConnectionRefusedError):
        _stub._connect(conn, str(dead))
    assert clock.now == pytest.approx(_stub.REFUSED_TIMEOUT, abs=0.02)
    clock.now = 0.0                         # no socket yet: a server still starting
    with socket.socket(socket.AF_UNIX) as conn, pytest.raises(FileNotFoundError):
        _stub._connect(conn, str(tmp_path / "not-yet.sock"))
    assert clock.now == pytest.approx(_stub.CONNECT_TIMEOUT, abs=0.02)


def test_no_server_when_the_socket_path_would_be_too_long(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / ("x" * 120)))
    (tmp_path / ("x" * 120)).mkdir()
    forks = ForkServer().start()
    assert forks.process is None and forks.worker_env == {}
    forks.stop()
