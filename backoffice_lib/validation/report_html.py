"""The validation report as HTML: one self-contained page (inline CSS, no script).

Rendered with jinja2 and autoescaping on: a value such as ``<script>alert(1)</script>``
in a cost-centre name shows as text. Texts come from ``i18n/*/validation.yaml``.
"""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd

from ..i18n import t
from ..i18n.formatting import format_number, is_missing
from ..issues import ISSUE_COLUMNS
from .report import displayed

if TYPE_CHECKING:
    from .report import ValidationReport

__all__ = ["html_fragment", "render_html", "write_html"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"
_ISSUE_COLUMNS = list(ISSUE_COLUMNS)
_COUNT_COLUMNS = ["table", "rule", "severity", "count"]


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("report.html.j2")


def _rows(frame: pd.DataFrame, severities: pd.Series, columns: list[str],
          lang: str | None) -> list[dict[str, str]]:
    """Rows as text (empty for NA); ``_severity`` keeps the code for the CSS class."""
    rows = []
    for record, severity in zip(frame[columns].to_dict("records"), severities, strict=True):
        row = {c: "" if is_missing(v) else str(v) for c, v in record.items()}
        if "count" in record:
            row["count"] = format_number(record["count"], lang)
        row["_severity"] = severity
        rows.append(row)
    return rows


def _context(report: ValidationReport, lang: str | None, limit: int | None) -> dict[str, Any]:
    raw = report.frame(lang)
    shown = displayed(raw, lang)
    if limit is not None:
        raw, shown = raw.head(limit), shown.head(limit)
    counts = report.counts()
    counts_shown = counts.assign(
        severity=counts["severity"].map(lambda s: t(f"validation.severity.{s}", lang)))
    hidden = len(report.records) - len(shown)
    return {
        "lang": lang,
        "title": t("validation.title", lang),
        "summary": report.summary(lang),
        "note": t("validation.html.note", lang),
        "no_issues": t("validation.html.none", lang),
        "counts_heading": t("validation.html.counts", lang),
        "issues_heading": t("validation.html.issues", lang),
        "labels": report.column_labels(lang),
        "columns": _ISSUE_COLUMNS,
        "count_columns": _COUNT_COLUMNS,
        "rows": _rows(shown, raw["severity"], _ISSUE_COLUMNS, lang),
        "counts": _rows(counts_shown, counts["severity"], _COUNT_COLUMNS, lang),
        "hidden": t("validation.more", lang, count=format_number(hidden, lang)) if hidden else "",
    }


def render_html(report: ValidationReport, lang: str | None = None) -> str:
    """The whole report as one HTML page."""
    return _template().render(fragment=False, **_context(report, lang, None))


def html_fragment(report: ValidationReport, lang: str | None = None, limit: int = 50) -> str:
    """The summary and the first ``limit`` issues, for a notebook's output."""
    return _template().render(fragment=True, **_context(report, lang, limit))


def write_html(report: ValidationReport, path: Path, lang: str | None = None) -> Path:
    """Write :func:`render_html` to ``path`` atomically (temporary file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = render_html(report, lang)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
