"""The papermill engine of the close: papermill's nbclient engine, saving less often.

Papermill writes the whole executed notebook (charts included, so several hundred KB)
when it starts, before and after every cell, and at the end: some forty times for one
of our reports, a third of a worker's own time. The close reads the executed notebook
only once it is complete, so this engine writes it when the run starts (the file exists
from the first second) and when it ends, whatever the ending: the last cell's error,
a timeout interrupt, or a kernel killed past its grace time (papermill's ``finally``
calls :meth:`~papermill.engines.NotebookExecutionManager.notebook_complete` in every
case, and that is where the final write happens).

Use: ``papermill.execute_notebook(..., engine_name=ENGINE_NAME)`` after :func:`register`.
"""

from __future__ import annotations

from typing import Any

from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

__all__ = ["ENGINE_NAME", "CloseEngine", "SaveAtEnds", "register"]

ENGINE_NAME = "backoffice-close"


class SaveAtEnds(NotebookExecutionManager):
    """Papermill's execution manager, writing the notebook only when the run starts
    and when it ends (not around each cell)."""

    _writing = False

    def save(self, **kwargs: Any) -> None:
        if self._writing:
            super().save(**kwargs)

    def _saving(self, step: Any, **kwargs: Any) -> None:
        self._writing = True
        try:
            step(**kwargs)
        finally:
            self._writing = False

    def notebook_start(self, **kwargs: Any) -> None:
        self._saving(super().notebook_start, **kwargs)

    def notebook_complete(self, **kwargs: Any) -> None:
        self._saving(super().notebook_complete, **kwargs)


class CloseEngine(NBClientEngine):
    """:class:`~papermill.engines.NBClientEngine` with :class:`SaveAtEnds` as its manager
    (the body of papermill's ``Engine.execute_notebook``, with that one class changed)."""

    @classmethod
    def execute_notebook(cls, nb: Any, kernel_name: str, output_path: str | None = None,
                         progress_bar: bool = True, log_output: bool = False,
                         autosave_cell_every: int = 30, **kwargs: Any) -> Any:
        nb_man = SaveAtEnds(nb, output_path=output_path, progress_bar=progress_bar,
                            log_output=log_output, autosave_cell_every=autosave_cell_every)
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb


def register() -> str:
    """Make the engine known to papermill (idempotent); its name."""
    papermill_engines.register(ENGINE_NAME, CloseEngine)
    return ENGINE_NAME
