"""Warm kernels: a notebook's kernel started, and its imports done, before it is needed.

Starting a Python kernel and importing pandas, matplotlib and the package costs one to
two seconds per notebook. A close worker starts the kernel for its next notebook while
the inputs are being validated (or while nothing else is happening), runs the import
statements found in the close's notebooks in it (silently: no output, no execution
count, no name bound in the user namespace), then hands it to papermill with ``km=``.
Each notebook still gets its own, fresh kernel; only ``sys.modules`` is warm. When the
close runs a fork server (:mod:`.forkserver`), the kernel is forked from it, imports
done: the warm-up code then finds every module loaded.

The kernel runs in the project folder with the close's environment, talks over
CurveZMQ-encrypted sockets when the kernelspec supports it (payroll data stays
private even on the loopback interface), and its own stdout/stderr are discarded so
that they do not mix with the close's progress lines.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["WARMUP_ENV", "WarmKernel", "Warmer", "notebook_imports", "warmup_code"]

KERNEL_NAME = "python3"
#: Environment variable giving a worker its kernels' warm-up code at start (the worker
#: then starts its first kernel before anything else: :mod:`._spawn`).
WARMUP_ENV = "BACKOFFICE_KERNEL_WARMUP"
START_TIMEOUT = 60
#: Module of the kernel clients given to the kernel managers (:mod:`.clients`).
CLIENTS = f"{__package__}.clients"
#: Environment variable with the socket of the close's kernel fork server
#: (:mod:`.forkserver`), when it runs one.
SOCKET_ENV = "BACKOFFICE_KERNEL_FORKSERVER"


def notebook_imports(paths: Iterable[str | Path]) -> dict[str, list[str]]:
    """What the code cells of the notebooks at ``paths`` import: absolute module name →
    the names taken from it (``from a.b import c, d`` gives ``{"a.b": ["c", "d"]}``;
    ``import a.b`` gives ``{"a.b": []}``).

    The names matter: ``from package import module`` imports the submodule, which is
    often what takes time. Notebooks are read as plain JSON (no nbformat import in the
    close's main process).
    """
    found: dict[str, dict[str, None]] = {}
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            cells = json.load(handle).get("cells", [])
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            try:
                tree = ast.parse("".join(source) if isinstance(source, list) else source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        found.setdefault(alias.name, {})
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names = found.setdefault(node.module, {})
                    names.update((alias.name, None) for alias in node.names
                                 if alias.name != "*")
    return {module: list(names) for module, names in found.items()}


def warmup_code(modules: Mapping[str, Iterable[str]] | Iterable[str]) -> str:
    """Kernel code importing ``modules`` (with the names taken from each, so that
    submodules are imported too) without binding any name; failures are ignored."""
    wanted = modules if isinstance(modules, Mapping) else {m: () for m in modules}
    pairs = sorted((module, sorted(set(names))) for module, names in wanted.items())
    return (
        f"for __bo_module, __bo_names in {pairs!r}:\n"
        "    try:\n"
        "        __import__(__bo_module, fromlist=__bo_names)\n"
        "    except BaseException:\n"
        "        pass\n"
        "del __bo_module, __bo_names\n"
    )


class WarmKernel:
    """One kernel, started (and warmed) ahead of the notebook that will use it."""

    def __init__(self, cwd: str | Path, env: Mapping[str, str], code: str = "") -> None:
        self.cwd = str(cwd)
        self.env = dict(env)
        self.code = code
        self.km = None

    def start(self) -> WarmKernel:
        """Start the kernel and run the warm-up code; returns self."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        options = {}
        if self.env.get(SOCKET_ENV):  # the close runs a fork server: fork, do not launch
            from .forkserver import forked_kernel_specs

            options["kernel_spec_manager"] = forked_kernel_specs()
        km = AsyncKernelManager(kernel_name=KERNEL_NAME, transport_encryption="auto",
                                client_class=f"{CLIENTS}.PromptKernelClient",
                                blocking_class=f"{CLIENTS}.PromptBlockingKernelClient",
                                **options)
        run_sync(km.start_kernel)(cwd=self.cwd, env=self.env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        self.km = km
        if self.code:
            client = km.blocking_client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=START_TIMEOUT)
                msg_id = client.execute(self.code, silent=True, store_history=False)
                while True:
                    reply = client.get_shell_msg(timeout=START_TIMEOUT)
                    if reply["parent_header"].get("msg_id") == msg_id:
                        break
            finally:
                client.stop_channels()
        return self

    @property
    def pid(self) -> int | None:
        """Process id of the kernel, if it is running."""
        provisioner = getattr(self.km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        return getattr(process, "pid", None)

    def signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel process (SIGINT interrupts the running cell)."""
        pid = self.pid
        if pid is not None:
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

    def interrupt(self) -> None:
        """Interrupt the running cell (KeyboardInterrupt in the notebook)."""
        self.signal(signal.SIGINT)

    def kill(self) -> None:
        """Stop the kernel at once."""
        self.signal(signal.SIGKILL)

    def shutdown(self) -> None:
        """Shut the kernel down (immediately) and free its resources."""
        if self.km is None:
            return
        from jupyter_core.utils import run_sync

        km, self.km = self.km, None
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except RuntimeError:  # already dead
            pass


class Warmer:
    """Starts (and warms) a worker's next kernel in a background thread."""

    def __init__(self, code: str) -> None:
        self.code = code
        self._thread: threading.Thread | None = None
        self._kernel: WarmKernel | None = None

    @property
    def started(self) -> bool:
        """True while a kernel is being warmed (or is ready and not taken)."""
        return self._thread is not None

    def _start(self) -> None:
        from .. import config

        try:
            self._kernel = WarmKernel(config.PROJ_ROOT, os.environ, self.code).start()
        except Exception:  # noqa: BLE001 - papermill then starts a kernel itself
            self._kernel = None

    def begin(self) -> None:
        """Start warming a kernel now (nothing if one is being warmed already)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._start, name="warm-kernel",
                                            daemon=True)
            self._thread.start()

    def take(self) -> WarmKernel | None:
        """The warmed kernel (waiting for it if needed), or None."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        kernel, self._kernel = self._kernel, None
        return kernel

    def discard(self) -> None:
        """Shut down a kernel nobody will use."""
        kernel = self.take()
        if kernel is not None:
            kernel.shutdown()
