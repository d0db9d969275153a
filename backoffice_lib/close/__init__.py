"""The monthly close: one command runs every analysis for a period and publishes it.

::

    summary = run_close("parameters/close.yaml", period="2026-10", jobs=4, force=True)
    print(summary.describe())          # per notebook: status, time; where the index is
    sys.exit(summary.exit_code)        # 0 ok, 1 data errors or a failed analysis

Modules, one job each: :mod:`.pipeline` (the steps, :func:`run_close`), :mod:`.inputs`
(load and validate once), :mod:`.runner` (the worker pool, parameters to inject),
:mod:`.worker` (one notebook in one kernel), :mod:`.engine` (papermill's engine, saving
less), :mod:`.kernels` (warm kernels), :mod:`.forkserver` (kernels forked with their
imports done),
:mod:`.outputs` (HTML, Excel, tiles of a run), :mod:`.publish` (atomic folder,
manifest), :mod:`.history` (KPI history), :mod:`.progress` (progress lines),
:mod:`.results` (records). The managers' pages are built by
:mod:`backoffice_lib.report.export_html` and :mod:`backoffice_lib.report.index`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .pipeline import run_close
    from .results import CloseSummary, NotebookResult, NotebookTask

__all__ = ["CloseSummary", "NotebookResult", "NotebookTask", "run_close"]

#: Where each public name lives. Imported on first use, so that a worker process
#: (``python -m backoffice_lib.close._spawn``) can start its kernel before pandas loads.
_EXPORTS = {"run_close": ".pipeline", "CloseSummary": ".results", "NotebookResult": ".results",
            "NotebookTask": ".results"}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
