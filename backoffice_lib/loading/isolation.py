"""Reading workbooks in a child process, so that no file can take the caller down.

Why a process, measured on this project's corpus and benchmark:

- python-calamine/fastexcel are Rust: a failed allocation *aborts* the process
  (``SIGABRT``), it does not raise. A 6 KB xlsx holding two cells, ``A1`` and
  ``XFD1048576``, makes calamine allocate a dense 17-billion-cell grid; fuzzed xls files
  (``xls_oleloop.xls``, ``OOM_alloc*.xls``) do the same through broken sector chains.
  ``RLIMIT_AS`` in the caller would only turn the abort into an earlier abort.
- A file's declared dimensions cannot decide beforehand: they lie both ways
  (``issue_174.xlsx`` declares ``A1:XFD1048576`` over a few cells; a crafted file can
  declare ``A1`` over far-apart cells). Bounding the real extent means decompressing and
  scanning every cell reference: about 0.3 s on the 200,000-row benchmark workbook, in
  Python, before the read even starts.
- A child process costs one start per session (about 0.5 s, imports included, on the
  first load) and then only the hand-over of the table: an Arrow IPC file written in a
  private spool folder (``/dev/shm`` when there is one) and memory-mapped here, a few
  hundredths of a second for that workbook. While the reader opens the workbook
  (:meth:`ReaderWorker.prefetch`), this process peeks at the header on the other core.
  It also gives what no in-process guard can: a timeout on a reader stuck in native code.

So every Excel-family read (xlsx, xlsm, xlsb, xls, ods) goes through one persistent
worker (:mod:`._worker`), started with ``subprocess`` (fork+exec of a fresh interpreter:
never a ``fork()`` of a caller that may have Rust/rayon threads), capped with
``RLIMIT_AS`` (:attr:`Limits.reader_memory_bytes`) and watched by a timeout
(:attr:`Limits.read_timeout_s`). A worker that dies or times out is replaced for the
next call; its death becomes a :class:`~backoffice_lib.errors.ResourceLimitError`
(memory, time) or :class:`~backoffice_lib.errors.CorruptFileError`. Text files (csv,
FEC) and the xlsx header peek are pure Python and stay in the caller.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from ..errors import (
    CorruptFileError,
    PasswordProtectedError,
    ResourceLimitError,
    UnsupportedFormatError,
)
from ..i18n import t
from .limits import Limits, human_bytes

__all__ = ["ReaderWorker", "WorkerResult", "worker"]

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
_BOOT = (
    "import sys; sys.path.insert(0, {parent!r}); "
    "from backoffice_lib.loading import _worker; _worker.main()"
)


@dataclass
class WorkerResult:
    """A successful answer: JSON header fields and the Arrow table, if any."""

    header: dict
    table: pa.Table | None = None


class _WorkerDied(Exception):
    """The reader process ended or was killed while answering."""

    def __init__(self, reason: str, stderr: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.stderr = stderr


class ReaderWorker:
    """One persistent reader process, restarted after a crash, a timeout or a new memory cap."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen | None = None
        self._memory = 0
        self._stderr = None
        self._lock = threading.RLock()
        self._ready = False
        self._spool: str | None = None
        self._pending = 0

    # ------------------------------------------------------------------ lifecycle

    def start(self, memory_bytes: int) -> None:
        """Start the process now (in the background: the first request waits for it)."""
        with self._lock:
            running = self._proc is not None and self._proc.poll() is None
            if running and self._memory == memory_bytes:
                return
            self.stop()
            self._stderr = tempfile.TemporaryFile()
            if self._spool is None or not os.path.isdir(self._spool):
                shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) \
                    else None
                self._spool = tempfile.mkdtemp(prefix="backoffice-reader-", dir=shm)
            env = dict(os.environ)
            env.setdefault("MALLOC_ARENA_MAX", "2")  # glibc arenas reserve address space
            env.setdefault("RAYON_NUM_THREADS", str(min(4, os.cpu_count() or 1)))
            env.setdefault("RUST_BACKTRACE", "0")
            self._proc = subprocess.Popen(
                [sys.executable, "-c", _BOOT.format(parent=_PACKAGE_PARENT), str(memory_bytes)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                env=env, close_fds=True,
            )
            self._memory = memory_bytes
            self._ready = False
            self._pending = 0

    def stop(self) -> None:
        """Stop the process (it also ends by itself when the caller exits)."""
        with self._lock:
            proc, self._proc = self._proc, None
            if proc is None:
                return
            try:
                if proc.stdin:
                    proc.stdin.close()
                proc.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired):
                self._kill(proc)
            if proc.stdout:
                proc.stdout.close()
            if self._stderr is not None:
                self._stderr.close()
                self._stderr = None
            if self._spool is not None:
                shutil.rmtree(self._spool, ignore_errors=True)
                self._spool = None

    def forget(self) -> None:
        """In a forked child: drop the parent's process, pipes and spool without touching them."""
        self._proc, self._stderr, self._spool, self._ready = None, None, None, False
        self._pending = 0
        self._lock = threading.RLock()

    @staticmethod
    def _kill(proc: subprocess.Popen) -> None:
        try:
            proc.kill()  # the pid of the process we started, nothing else
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass

    @property
    def pid(self) -> int | None:
        """Process id of the running reader, if any."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    # ------------------------------------------------------------------ requests

    def request(self, payload: dict, limits: Limits, file: Path, sheet: str | None = None
                ) -> WorkerResult:
        """Send one request; return the answer or raise the matching ``InputError``."""
        with self._lock:
            self.start(limits.reader_memory_bytes)
            deadline = time.monotonic() + limits.read_timeout_s
            try:
                self._drain(deadline)
                self._send({**payload, "spool": self._spool})
                header, body = self._receive(deadline)
            except _WorkerDied as died:
                self._discard()
                raise self._death_error(died, limits, file, sheet) from None
        if not header.get("ok"):
            raise _answer_error(header, file, sheet)
        return WorkerResult(header, self._take_table(header.get("arrow")))

    def _take_table(self, path: str | None) -> pa.Table | None:
        """Map the table the reader wrote in our spool folder, then delete the file."""
        if not path:
            return None
        if self._spool is None or os.path.dirname(os.path.abspath(path)) != self._spool:
            raise CorruptFileError(file=path, detail="unexpected spool path")
        try:
            with pa.memory_map(path) as source:
                return pa.ipc.open_file(source).read_all()
        finally:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def prefetch(self, path: Path, limits: Limits) -> None:
        """Ask the reader to open ``path`` now, without waiting: the caller keeps working
        (hashing, peeking at the header) while the reader parses the workbook's parts."""
        with self._lock:
            self.start(limits.reader_memory_bytes)
            try:
                self._send({"op": "open", "path": str(path)})
                self._pending += 1
            except _WorkerDied:
                self._discard()

    def _drain(self, deadline: float) -> None:
        """Read the boot frame and the answers to prefetches before a real request."""
        if not self._ready:
            self._receive(deadline + 30)  # the boot frame; imports are not the file's fault
            self._ready = True
        while self._pending:
            self._receive(deadline)
            self._pending -= 1

    def peak_bytes(self) -> int:
        """Peak resident memory of the reader process so far (0 if not running)."""
        if self.pid is None:
            return 0
        try:
            return int(self.request({"op": "stats"}, Limits(), Path("-")).header["peak_bytes"])
        except (CorruptFileError, ResourceLimitError):
            return 0

    def _send(self, payload: dict) -> None:
        data = json.dumps(payload).encode("utf-8")
        try:
            assert self._proc is not None and self._proc.stdin is not None
            self._proc.stdin.write(struct.pack(">I", len(data)) + data)
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise _WorkerDied("pipe") from None

    def _read_exact(self, n: int, deadline: float) -> bytes:
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        chunks, got = [], 0
        while got < n:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _WorkerDied("timeout")
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                raise _WorkerDied("timeout")
            chunk = os.read(fd, min(n - got, 1 << 20))
            if not chunk:
                raise _WorkerDied("exit")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def _receive(self, deadline: float) -> tuple[dict, bytes]:
        (n,) = struct.unpack(">I", self._read_exact(4, deadline))
        header = json.loads(self._read_exact(n, deadline).decode("utf-8"))
        (size,) = struct.unpack(">Q", self._read_exact(8, deadline))
        body = self._read_exact(size, deadline) if size else b""
        return header, body

    def _discard(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            self._kill(proc)
            for stream in (proc.stdin, proc.stdout):
                try:
                    if stream:
                        stream.close()
                except OSError:
                    pass
        self._ready = False
        self._pending = 0

    def _stderr_tail(self) -> str:
        if self._stderr is None:
            return ""
        try:
            self._stderr.seek(0, os.SEEK_END)
            size = self._stderr.tell()
            self._stderr.seek(max(0, size - 4096))
            return self._stderr.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def _death_error(self, died: _WorkerDied, limits: Limits, file: Path, sheet: str | None):
        tail = self._stderr_tail()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if died.reason == "timeout":
            return ResourceLimitError(
                file=file, sheet=sheet,
                detail=t("loading.limit_time", seconds=f"{limits.read_timeout_s:g}"),
                limit=t("loading.seconds", seconds=f"{limits.read_timeout_s:g}"))
        if "memory allocation" in tail or "MemoryError" in tail or "capacity overflow" in tail:
            return ResourceLimitError(
                file=file, sheet=sheet, detail=t("loading.limit_memory"),
                limit=human_bytes(limits.reader_memory_bytes))
        return CorruptFileError(file=file, sheet=sheet, detail=t("loading.reader_crashed"))


def _answer_error(header: dict, file: Path, sheet: str | None):
    kind, detail = header.get("error", "corrupt"), header.get("detail", "")
    if kind == "password":
        return PasswordProtectedError(file=file, sheet=sheet)
    if kind == "limit":
        return ResourceLimitError(file=file, sheet=sheet, detail=detail,
                                  limit=t("loading.reader_cell_limit"))
    if kind == "unsupported":
        return UnsupportedFormatError(file=file, detail=detail)
    return CorruptFileError(file=file, sheet=sheet, detail=detail)


_WORKER = ReaderWorker()
atexit.register(_WORKER.stop)
# The worker must not outlive a forked child's copy of this object either.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_WORKER.forget)

def worker() -> ReaderWorker:
    """The process-wide reader worker."""
    return _WORKER
