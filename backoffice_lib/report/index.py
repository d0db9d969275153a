"""The managers' landing page of a close: ``outputs/<period>/index.html``.

It says, in the run's language: the company, the period in words, when it was generated;
the data-quality summary (errors and warnings by table, links to the validation report);
then one block per analysis with its status (a failed one shows the first lines of its
error, escaped), its headline tiles (:func:`~backoffice_lib.report.tiles.render_tiles`),
the trend of each headline KPI across closes (:func:`render_trend`: previous close, this
close, change and a small inline-SVG sparkline) and relative links to its report, its
Excel file and the executed notebook. The page is self-contained like the reports
(:func:`~backoffice_lib.report.export_html.page`).
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..i18n import t
from ..i18n.formatting import format_month, format_number, format_value
from .export_html import ReportHeader, header_html, page
from .tiles import default_delta_kind, render_tiles

__all__ = ["DataQualitySummary", "TableQuality", "render_index", "render_trend"]

#: Closes shown in a trend (the current one included).
TREND_LENGTH = 6
_ESC = html.escape


@dataclass(frozen=True)
class TableQuality:
    """Errors and warnings found in one input table, its file's name and its row count."""

    table: str
    rows: int
    errors: int
    warnings: int
    file: str = ""


@dataclass(frozen=True)
class DataQualitySummary:
    """The validation of the inputs, as the index shows it."""

    errors: int
    warnings: int
    tables: tuple[TableQuality, ...] = field(default_factory=tuple)
    html_href: str | None = None
    xlsx_href: str | None = None


# --------------------------------------------------------------------------- trend


def _sparkline(values: Sequence[float], label: str) -> str:
    """An inline SVG polyline of ``values`` (missing values leave a gap)."""
    points = [(i, v) for i, v in enumerate(values) if not math.isnan(v)]
    if len(points) < 2:
        return ""
    width, height, pad = 96, 24, 3
    low = min(v for _, v in points)
    high = max(v for _, v in points)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(1, len(values) - 1)
    coords = " ".join(
        f"{pad + i * step:.1f},{height - pad - (v - low) / span * (height - 2 * pad):.1f}"
        for i, v in points
    )
    last_x, last_y = coords.split(" ")[-1].split(",")
    return (f'<svg class="bo-spark" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{_ESC(label, quote=True)}">'
            f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{coords}"/>'
            f'<circle cx="{last_x}" cy="{last_y}" r="2.2" fill="currentColor"/></svg>')


def render_trend(rows: Iterable[Mapping[str, Any]], *, period: str, lang: str,
                 title: str | None = None, limit: int = TREND_LENGTH) -> str:
    """A table of each KPI of ``period`` across the last ``limit`` closes up to it.

    ``rows`` are KPI history records (``period, key, label, value, kind``); the KPIs
    listed are those of ``period``, in their order. Empty string when there are none.
    """
    rows = [r for r in rows if str(r["period"]) <= period]
    current = [r for r in rows if r["period"] == period]
    if not current:
        return ""
    periods = sorted({str(r["period"]) for r in rows})[-limit:]
    by_key: dict[str, dict[str, float]] = {}
    for r in rows:
        by_key.setdefault(r["key"], {})[str(r["period"])] = float(r["value"])
    previous = periods[-2] if len(periods) > 1 else None
    head = [t("close.trend_kpi", lang),
            format_month(previous, lang, short=True) if previous else t("close.trend_previous",
                                                                        lang),
            format_month(period, lang, short=True), t("close.trend_change", lang),
            t("close.trend_closes", lang, count=format_number(len(periods), lang))]
    body = []
    for r in current:
        series = by_key.get(r["key"], {})
        values = [series.get(p, math.nan) for p in periods]
        now = series.get(period, math.nan)
        before = series.get(previous, math.nan) if previous else math.nan
        change = now - before
        kind = str(r["kind"])
        cells = [
            _ESC(str(r["label"])),
            _ESC(format_value(None if math.isnan(before) else before, kind, lang)),
            _ESC(format_value(None if math.isnan(now) else now, kind, lang)),
            _ESC(format_value(None if math.isnan(change) else change,
                              default_delta_kind(kind), lang)),
            _sparkline(values, t("close.trend_aria", lang, label=str(r["label"]))),
        ]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    caption = f"<caption>{_ESC(title)}</caption>" if title else ""
    header = "".join(f'<th scope="col">{_ESC(h)}</th>' for h in head)
    note = ""
    if previous is None:
        note = f'<p class="bo-meta">{_ESC(t("close.trend_first", lang))}</p>'
    return (f'<section class="bo-trend-block"><table class="bo-trend">{caption}'
            f"<thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            f"{note}</section>")


# --------------------------------------------------------------------------- page


def _quality_html(quality: DataQualitySummary | None, lang: str) -> str:
    if quality is None:
        return ""
    title = _ESC(t("close.quality_title", lang))
    line = _ESC(t("close.quality_line", lang, errors=format_number(quality.errors, lang),
                  warnings=format_number(quality.warnings, lang)))
    css = "bo-dq-error" if quality.errors else ("bo-dq-warn" if quality.warnings else "bo-dq-ok")
    rows = "".join(
        f"<tr><td>{_ESC(q.table)}</td><td>{_ESC(q.file)}</td>"
        f"<td>{_ESC(format_number(q.rows, lang))}</td>"
        f"<td>{_ESC(format_number(q.errors, lang))}</td>"
        f"<td>{_ESC(format_number(q.warnings, lang))}</td></tr>"
        for q in quality.tables
    )
    table = ""
    if rows:
        heads = "".join(f'<th scope="col">{_ESC(t(f"close.quality_{k}", lang))}</th>'
                        for k in ("table", "file", "rows", "errors", "warnings"))
        table = (f'<table class="bo-dq-table"><thead><tr>{heads}</tr></thead>'
                 f"<tbody>{rows}</tbody></table>")
    links = [(t("close.quality_report", lang), quality.html_href),
             (t("close.quality_excel", lang), quality.xlsx_href)]
    link_html = " · ".join(f'<a href="{_ESC(href, quote=True)}">{_ESC(label)}</a>'
                           for label, href in links if href)
    if link_html:
        link_html = f'<p class="bo-links">{link_html}</p>'
    return (f'<section class="bo-quality"><h2 id="quality">{title}</h2>'
            f'<p class="bo-dq {css}">{line}</p>{table}{link_html}</section>')


def _analysis_html(result: Any, history: Sequence[Mapping[str, Any]], period: str,
                   lang: str) -> str:
    name = result.name
    title = getattr(result, "title", "") or name
    status = "ok" if result.ok else "failed"
    badge = (f'<span class="bo-status bo-status-{status}">'
             f'{_ESC(t(f"close.status_{status}", lang))}</span>')
    meta = _ESC(t("close.duration", lang, seconds=format_number(result.seconds, lang, 1)))
    links = []
    for kind in ("html", "xlsx", "ipynb"):
        if kind in result.files:
            links.append(f'<a href="{_ESC(result.files[kind], quote=True)}">'
                         f'{_ESC(t(f"close.open_{kind}", lang))}</a>')
    parts = [f'<section class="bo-analysis bo-analysis-{status}" id="analysis-{_ESC(name)}">',
             f'<h2 id="{_ESC(name, quote=True)}">{_ESC(title)} {badge}</h2>',
             f'<p class="bo-meta">{meta}</p>']
    if not result.ok:
        parts.append(f'<p>{_ESC(t("close.failed_body", lang))}</p>'
                     f'<pre class="bo-error">{_ESC(result.error or "")}</pre>')
    if result.tiles:
        parts.append(render_tiles(result.tiles, lang))
    rows = [r for r in history if r["notebook"] == name]
    parts.append(render_trend(rows, period=period, lang=lang,
                              title=t("close.trend_title", lang)))
    if links:
        parts.append(f'<p class="bo-links">{" · ".join(links)}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def render_index(*, company: str, period: str, lang: str, generated_at: dt.datetime,
                 results: Sequence[Any], history: Iterable[Mapping[str, Any]] = (),
                 quality: DataQualitySummary | None = None) -> str:
    """The whole index page as HTML.

    ``results`` are :class:`~backoffice_lib.close.results.NotebookResult`; ``history``
    the KPI history records including this close's (see :mod:`backoffice_lib.close.history`).
    """
    history = list(history)
    title = t("close.index_title", lang, period=format_month(period, lang))
    failed = sum(1 for r in results if not r.ok)
    header = header_html(ReportHeader(company=company, period=period, lang=lang,
                                      generated_at=generated_at, title=title), title)
    summary_key = "close.index_summary_failed" if failed else "close.index_summary_ok"
    summary = _ESC(t(summary_key, lang, total=format_number(len(results), lang),
                     ok=format_number(len(results) - failed, lang),
                     failed=format_number(failed, lang)))
    css = "bo-dq-error" if failed else "bo-dq-ok"
    body = [f'<p class="bo-dq {css}" role="status">{summary}</p>',
            _quality_html(quality, lang)]
    body += [_analysis_html(r, history, period, lang) for r in results]
    body.append(f'<footer class="bo-footer">{_ESC(t("close.footer", lang))}</footer>')
    return page(f"{company} — {title}", "\n".join(body), lang=lang, header=header)
