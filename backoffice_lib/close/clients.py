"""Kernel clients of the close: jupyter_client's, ready without an idle wait.

jupyter_client's ``wait_for_ready`` ends by draining IOPub until it has been silent for
0.2 s. papermill calls it once per notebook, so every notebook of a close started 0.2 s
late, doing nothing. The clients here are given to the kernel managers of the close's
kernels (:class:`.kernels.WarmKernel`): papermill's ``PapermillNotebookClient`` then gets
a :class:`PromptKernelClient` from ``km.client()``.

Imported by the workers only (it imports jupyter_client), never by the close's main
process.
"""

from __future__ import annotations

import math
import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.blocking import BlockingKernelClient
from jupyter_core.utils import ensure_async, run_sync

__all__ = ["IOPUB_CHECK", "PromptBlockingKernelClient", "PromptKernelClient"]

#: Seconds a client gives IOPub to show the status messages of a kernel_info request
#: (proof that its subscription is connected) before it asks again.
IOPUB_CHECK = 0.2


async def _wait_for_ready(client: Any, timeout: float | None = None) -> None:
    """jupyter_client's ``wait_for_ready`` without its final wait for silence.

    Like jupyter_client, it asks for kernel_info until a reply arrives on the shell
    channel and a message on IOPub (so that no output of the first cell is lost to a
    subscription not yet connected), then drains IOPub. jupyter_client drains until IOPub
    has been silent for 0.2 s; here the drain takes what IOPub holds and stops: any
    status message still to come answers a kernel_info request, not a cell, and nbclient
    skips the messages that are not its cell's.
    """
    deadline = time.monotonic() + (math.inf if timeout is None else timeout)
    while True:
        client.kernel_info()
        try:
            reply = await ensure_async(client.shell_channel.get_msg(timeout=1))
        except Empty:
            pass
        else:
            if reply["msg_type"] == "kernel_info_reply":
                try:
                    await ensure_async(client.iopub_channel.get_msg(timeout=IOPUB_CHECK))
                except Empty:
                    pass  # IOPub not connected yet: ask again
                else:
                    client._handle_kernel_info_reply(reply)
                    break
        if not await client._async_is_alive():
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
    while True:
        try:
            await ensure_async(client.iopub_channel.get_msg(timeout=0))
        except Empty:
            break


class PromptKernelClient(AsyncKernelClient):
    """The kernel client papermill gets for a close's kernels: ready without the idle
    0.2 s of jupyter_client's ``wait_for_ready`` (see :func:`_wait_for_ready`)."""

    wait_for_ready = _wait_for_ready  # type: ignore[assignment]


class PromptBlockingKernelClient(BlockingKernelClient):
    """The blocking twin of :class:`PromptKernelClient` (the kernel's warm-up)."""

    wait_for_ready = run_sync(_wait_for_ready)  # type: ignore[assignment]
