"""Records passed between the close, its workers and its caller (all picklable).

- :class:`NotebookTask`: everything a worker needs to run one notebook and export it.
- :class:`NotebookResult`: what came out of it (status, times, error, tiles, files).
- :class:`CloseSummary`: the close as a whole, with :meth:`~CloseSummary.describe` and
  :attr:`~CloseSummary.exit_code` for the command line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ..i18n import t
from ..i18n.formatting import format_number

__all__ = ["FAILED", "OK", "TIMEZONE", "CloseSummary", "NotebookResult", "NotebookTask", "now"]

OK = "ok"
FAILED = "failed"
#: Timestamps of the close are Paris wall time (kpi-reference §0).
TIMEZONE = ZoneInfo("Europe/Paris")


def now() -> dt.datetime:
    """The current time in :data:`TIMEZONE`."""
    return dt.datetime.now(TIMEZONE)


@dataclass(frozen=True)
class NotebookTask:
    """One notebook to run in a worker.

    ``out_dir`` is the staging folder of the close; the worker writes
    ``<name>.ipynb``, ``<name>.html`` and ``<name>.xlsx`` there. ``history`` holds the
    KPI rows of earlier closes of this notebook (for the trend table of its report);
    ``redactions`` are (text, replacement) pairs applied to the managers' HTML.
    """

    name: str
    input_path: str
    out_dir: str
    parameters: dict[str, Any]
    timeout: float
    lang: str
    company: str
    period: str
    currency: str
    generated_at: str
    data_quality: tuple[int, int, str | None] = (0, 0, None)
    history: tuple[dict[str, Any], ...] = ()
    redactions: tuple[tuple[str, str], ...] = ()


@dataclass
class NotebookResult:
    """How one notebook went.

    ``error`` holds the first lines of the error (``ValueError: boom``), already free of
    input paths, and ``error_cell`` the execution count of the failing cell (``In [4]``);
    ``tiles`` the headline KPIs it displayed (report.tiles.Tile objects);
    ``files`` maps ``html``/``ipynb``/``xlsx`` to file names in the period folder.
    """

    name: str
    status: str
    title: str = ""
    started_at: str = ""
    ended_at: str = ""
    seconds: float = 0.0
    error: str = ""
    error_cell: int | None = None
    tiles: list[Any] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the notebook ran to the end and was exported."""
        return self.status == OK

    def to_manifest(self) -> dict[str, Any]:
        """This result as manifest data (no tiles: they go to the KPI history)."""
        return {
            "name": self.name, "title": self.title, "status": self.status,
            "started_at": self.started_at,
            "ended_at": self.ended_at, "seconds": round(self.seconds, 3),
            "error": self.error or None, "error_cell": self.error_cell,
            "tables": list(self.tables), "files": dict(self.files),
        }


@dataclass
class CloseSummary:
    """The outcome of :func:`backoffice_lib.close.run_close`.

    ``out_dir`` is the published period folder (or the validation folder when data
    errors stopped the close); ``results`` one entry per notebook run.
    """

    period: str
    lang: str
    out_dir: Path
    results: list[NotebookResult] = field(default_factory=list)
    validation_errors: int = 0
    validation_warnings: int = 0
    stopped_by_data: bool = False
    validation_text: str = ""
    seconds: float = 0.0

    @property
    def failed(self) -> list[NotebookResult]:
        """The notebooks that failed."""
        return [r for r in self.results if not r.ok]

    @property
    def exit_code(self) -> int:
        """0 all analyses ok; 1 data errors stopped the close or an analysis failed."""
        return 1 if self.stopped_by_data or self.failed else 0

    @property
    def index(self) -> Path:
        """The managers' landing page."""
        return self.out_dir / "index.html"

    def describe(self) -> str:
        """A few lines for the terminal: each notebook's status and time, where to look."""
        lang = self.lang
        if self.stopped_by_data:
            lines = [self.validation_text.rstrip()] if self.validation_text else []
            lines.append(t("close.summary_stopped", lang,
                           errors=format_number(self.validation_errors, lang),
                           folder=str(self.out_dir)))
            return "\n".join(lines)
        lines = [t("close.summary_title", lang, period=self.period,
                   seconds=format_number(self.seconds, lang, 1))]
        for r in self.results:
            status = t(f"close.status_{r.status}", lang)
            line = f"  {r.name:<24} {status:<8} {format_number(r.seconds, lang, 1)} s"
            if r.error:
                line += f"  {r.error.strip().splitlines()[0]}"
            lines.append(line)
        if self.validation_warnings:
            lines.append(t("close.summary_warnings", lang,
                           warnings=format_number(self.validation_warnings, lang)))
        lines.append(t("close.summary_index", lang, path=str(self.index)))
        if self.failed:
            lines.append(t("close.summary_failed", lang,
                           count=format_number(len(self.failed), lang)))
        return "\n".join(lines)
