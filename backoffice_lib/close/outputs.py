"""What a worker makes of an executed notebook: HTML for managers, Excel, headline tiles.

The notebook hands its headline KPIs and key tables to the close through display outputs
with our MIME types (:mod:`backoffice_lib.report.display`); :func:`export` reads them
back and writes, next to the executed ``<name>.ipynb``:

- ``<name>.html``: the managers' report (:mod:`backoffice_lib.report.export_html`), with
  the trend of its headline KPIs across closes appended;
- ``<name>.xlsx``: its key tables, formatted and formula-neutralised
  (:func:`backoffice_lib.report.excel.write_workbook`), when it showed any;

and stores the tiles and table names in the :class:`~.results.NotebookResult`. The title
of a report is translated when the catalogues know its notebook (``costs.title``).
A failed notebook gets the plain failure page instead (:func:`export_failed`).
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from ..i18n import t
from ..report.export_html import DataQuality, ReportHeader, export_failure, export_report
from .results import NotebookResult, NotebookTask

__all__ = ["export", "export_failed", "header_for"]


def header_for(task: NotebookTask, result: NotebookResult) -> ReportHeader:
    """The header of a notebook's page: company, period, quality and links."""
    lang = task.lang
    links = [(t("close.link_index", lang), "index.html")]
    if "xlsx" in result.files:
        links.append((t("close.link_excel", lang), result.files["xlsx"]))
    if "ipynb" in result.files:
        links.append((t("close.link_notebook", lang), result.files["ipynb"]))
    errors, warnings, href = task.data_quality
    return ReportHeader(
        company=task.company, period=task.period, lang=lang, title=result.title or None,
        generated_at=dt.datetime.fromisoformat(task.generated_at),
        data_quality=DataQuality(errors, warnings, href), links=tuple(links),
    )


def _title(task: NotebookTask) -> str:
    """The report's title in the run's language: the catalogue's ``<notebook>.title``
    (``costs.title`` for ``costs.ipynb``) when there is one, else the notebook's first
    ``# heading``, else the notebook's name."""
    import nbformat

    from ..i18n import catalogue
    from ..report.export_html import notebook_title

    translated = catalogue(task.lang).get(f"{Path(task.input_path).stem}.title")
    if translated:
        return translated
    return notebook_title(nbformat.read(task.input_path, as_version=4)) or task.name


def export(task: NotebookTask, result: NotebookResult, executed: Path) -> None:
    """Write the HTML (and Excel) of a notebook run; fills ``result.files``/``tiles``."""
    result.title = _title(task)
    if not result.ok:
        export_failed(task, result)
        return
    import nbformat

    from ..report.display import read_outputs
    from ..report.excel import write_workbook
    from ..report.index import render_trend
    from .history import tile_rows

    nb = nbformat.read(str(executed), as_version=4)
    found = read_outputs(nb)
    out_dir = Path(task.out_dir)
    if found.tables:
        sheets = {name: table.frame for name, table in found.tables.items()}
        formats = {name: table.formats for name, table in found.tables.items()}
        headers: dict[str, str] = {}
        for table in found.tables.values():
            headers.update(table.frame.attrs.get("headers") or {})
        workbook = write_workbook(out_dir / f"{task.name}.xlsx", sheets, lang=task.lang,
                                  formats=formats, headers=headers)
        result.files["xlsx"] = workbook.name
    result.tiles = list(found.tiles)
    result.tables = list(found.tables)
    current = tile_rows(result.tiles, period=task.period, notebook=task.name,
                        generated_at=task.generated_at)
    trend = render_trend([*task.history, *current], period=task.period, lang=task.lang)
    if trend:
        trend = f'<h2 id="trend">{html.escape(t("close.trend_title", task.lang))}</h2>{trend}'
    html_path = out_dir / f"{task.name}.html"
    export_report(nb, html_path, header_for(task, result), extra_html=trend,
                  redactions=task.redactions)
    result.files["html"] = html_path.name


def export_failed(task: NotebookTask, result: NotebookResult) -> None:
    """Write the plain "this analysis failed" page of a notebook."""
    if not result.title:
        try:
            result.title = _title(task)
        except (OSError, ValueError):
            result.title = task.name
    html_path = Path(task.out_dir) / f"{task.name}.html"
    export_failure(html_path, header_for(task, result), result.error,
                   notebook_href=result.files.get("ipynb"), redactions=task.redactions)
    result.files["html"] = html_path.name
