"""Managers' HTML from an executed notebook: no code, self-contained, safe to e-mail.

What a manager gets (:func:`export_report`):

- only the markdown cells and the display outputs of the notebook; every code input,
  the ``parameters`` and ``injected-parameters`` cells with their outputs, papermill's
  error banners, stream outputs (stdout, stderr, warnings), errors and bare ``text/plain``
  reprs are dropped (the executed ``.ipynb`` keeps all of it for analysts). Cells tagged
  ``remove-cell``/``remove-output`` (nbconvert's usual tags) are dropped too;
- a header (company, period in words « octobre 2026 », generated at, data-quality
  counts) and a table of contents built from the ``##``/``###`` headings;
- one file: CSS inlined, images as ``data:`` URIs (PNG/JPEG; SVG as an ``<img>`` data
  URI so it can neither run script nor fetch anything), and a Content-Security-Policy
  that forbids scripts and any request (``default-src 'none'``). The nbconvert template
  (``templates/backoffice``) extends nbconvert's ``base`` templates, never ``lab`` or
  ``classic``, so no require.js, MathJax or CDN link is written.

Escaping: tables reach the page as ``text/html`` built by :mod:`backoffice_lib.report.html`
(escaped); data from the inputs never goes through markdown. Every text this module
adds is escaped here. Finally :func:`redact` replaces the input paths and secret
parameter values with harmless text, so no path or secret given as a parameter reaches
a manager's page even through an error message.

A failed notebook gets a plain page instead (:func:`export_failure`): "this analysis
failed", the first lines of the error and a link to the executed notebook.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import babel.dates

from ..i18n import t
from ..i18n.formatting import format_date, format_month, format_number, locale_for

if TYPE_CHECKING:  # nbformat is imported when a notebook is exported, not before
    import nbformat

__all__ = [
    "CSP",
    "DataQuality",
    "ReportHeader",
    "export_failure",
    "export_report",
    "manager_notebook",
    "notebook_title",
    "page",
    "redact",
    "render_cells",
]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "backoffice"

#: Nothing may run and nothing may be fetched: inline CSS and data: images only.
CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
       "base-uri 'none'; form-action 'none'")

#: MIME types a manager's page shows, best first.
KEPT_MIME = ("text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg")
#: Cell tags that drop a cell (or only its outputs) from the managers' view.
DROP_CELL_TAGS = frozenset({
    "parameters", "injected-parameters", "papermill-error-cell-tag", "remove-cell",
    "remove_cell",
})
DROP_OUTPUT_TAGS = frozenset({"remove-output", "remove_output"})
_LEADING_STYLE = re.compile(r"\A\s*<style>.*?</style>\s*", re.S)


@dataclass(frozen=True)
class DataQuality:
    """Counts from the validation of the inputs, and the link to its report."""

    errors: int = 0
    warnings: int = 0
    href: str | None = None


@dataclass(frozen=True)
class ReportHeader:
    """What the header of a manager's page says.

    ``title`` defaults to the notebook's first ``# heading``; ``links`` are
    (label, relative href) pairs shown under the header (Excel, notebook, index).
    """

    company: str
    period: str
    lang: str
    generated_at: dt.datetime
    title: str | None = None
    data_quality: DataQuality | None = None
    links: tuple[tuple[str, str], ...] = field(default_factory=tuple)


# --------------------------------------------------------------------------- cleaning


def _first_heading(nb: nbformat.NotebookNode) -> str | None:
    """Take the first ``# Title`` line out of the first markdown cell and return it."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            if line.startswith("# "):
                cell.source = "\n".join(lines[:i] + lines[i + 1:]).strip()
                return line[2:].strip()
            return None
        return None
    return None


def notebook_title(nb: nbformat.NotebookNode) -> str | None:
    """The notebook's title: the first ``# heading`` of its first markdown cell."""
    return _first_heading(copy.deepcopy(nb))


def _keep_output(output: Mapping) -> nbformat.NotebookNode | None:
    """A display output reduced to the MIME types a manager sees, or None."""
    import nbformat

    if output.get("output_type") not in ("display_data", "execute_result"):
        return None
    data = {k: v for k, v in output.get("data", {}).items() if k in KEPT_MIME}
    if not data:
        return None
    for key in ("image/png", "image/jpeg"):
        if key in data:
            data[key] = re.sub(r"\s+", "", data[key])
    if "text/html" in data:  # the page has the stylesheet once, in its <head>
        html_text = data["text/html"]
        if not isinstance(html_text, str):
            html_text = "".join(html_text)
        data["text/html"] = _LEADING_STYLE.sub("", html_text)
    return nbformat.from_dict({
        "output_type": "display_data", "data": data, "metadata": output.get("metadata", {}),
    })


def manager_notebook(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, str | None]:
    """A copy of ``nb`` with only what a manager reads, and the title taken from it."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & DROP_CELL_TAGS or cell.cell_type == "raw":
            continue
        if cell.cell_type == "code":
            outputs = [] if tags & DROP_OUTPUT_TAGS else [
                kept for kept in map(_keep_output, cell.get("outputs", [])) if kept is not None
            ]
            if not outputs:
                continue
            cell.outputs = outputs
            cell.source = ""
        cells.append(cell)
    nb.cells = cells
    title = _first_heading(nb)
    nb.metadata = {}
    return nb, title


# --------------------------------------------------------------------------- rendering


def _svg_b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


@cache
def _exporter():
    """The nbconvert exporter on our template (built once per process)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter

    class ManagerExporter(HTMLExporter):
        """HTMLExporter without its final BeautifulSoup pass.

        That pass parses the whole page again (base64 images included) only to add
        ``alt`` to images that lack one and ``tabindex`` to JupyterLab's cell wrappers:
        our template writes neither (every ``<img>`` has its ``alt``; no ``jp-`` cells).
        It cost as much as the rest of the export.
        """

        def from_notebook_node(self, nb, resources=None, **kw):  # type: ignore[override]
            from nbconvert.filters.highlight import Highlight2HTML
            from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

            resources = self._init_resources(resources)
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(parent=self)))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    exporter = ManagerExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        embed_images=True,
        optimistic_validation=True,  # validate once, not after each of its preprocessors
    )
    exporter.display_data_priority = list(KEPT_MIME)
    exporter.register_filter("svg_b64", _svg_b64)
    return exporter


def render_cells(nb: nbformat.NotebookNode) -> str:
    """The HTML fragment of an already cleaned notebook (see :func:`manager_notebook`)."""
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"path": ""}})
    return body


class _Headings(HTMLParser):
    """Collects (level, id, text) of h2/h3 elements that carry an id.

    The text leaves out the heading's ``¶`` anchor link and its status badge.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []
        self._current: tuple[int, str] | None = None
        self._text: list[str] = []
        self._in_anchor = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if (tag == "a" and "anchor-link" in classes) or (tag == "span" and "bo-status" in classes):
            self._in_anchor = True
        elif tag in ("h2", "h3"):
            ident = dict(attrs).get("id")
            if ident:
                self._current, self._text = (int(tag[1]), ident), []

    def handle_data(self, data: str) -> None:
        if self._current is not None and not self._in_anchor:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("a", "span"):
            self._in_anchor = False
        if self._current is not None and tag == f"h{self._current[0]}":
            level, ident = self._current
            self.found.append((level, ident, "".join(self._text).strip()))
            self._current = None


def table_of_contents(body: str, lang: str) -> str:
    """A ``<nav>`` listing the h2/h3 headings of ``body`` (empty if fewer than two)."""
    parser = _Headings()
    parser.feed(body)
    if len(parser.found) < 2:
        return ""
    items = "".join(
        f'<li class="bo-toc-l{level}"><a href="#{html.escape(ident, quote=True)}">'
        f"{html.escape(text)}</a></li>"
        for level, ident, text in parser.found
    )
    return (f'<nav class="bo-toc" aria-label="{html.escape(t("close.toc", lang))}">'
            f'<h2>{html.escape(t("close.toc", lang))}</h2><ol>{items}</ol></nav>')


def format_generated_at(when: dt.datetime, lang: str) -> str:
    """``31/10/2026 18:05`` (date and 24-hour time in the report's locale)."""
    time = babel.dates.format_time(when, "HH:mm", locale=locale_for(lang))
    return t("close.generated_at_value", lang, date=format_date(when, lang), time=time)


def header_html(header: ReportHeader, title: str) -> str:
    """The escaped header block: title, company, period, generated at, quality, links."""
    lang = header.lang
    esc = html.escape
    facts = [
        (t("close.company", lang), header.company),
        (t("close.period", lang), format_month(header.period, lang)),
        (t("close.generated_at", lang), format_generated_at(header.generated_at, lang)),
    ]
    dl = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in facts)
    quality = ""
    if header.data_quality is not None:
        dq = header.data_quality
        text = t("close.quality_line", lang, errors=format_number(dq.errors, lang),
                 warnings=format_number(dq.warnings, lang))
        css = "bo-dq-warn" if dq.warnings or dq.errors else "bo-dq-ok"
        link = (f' <a href="{esc(dq.href, quote=True)}">{esc(t("close.quality_link", lang))}</a>'
                if dq.href else "")
        quality = f'<p class="bo-dq {css}">{esc(text)}{link}</p>'
    links = ""
    if header.links:
        links = '<p class="bo-links">' + " · ".join(
            f'<a href="{esc(href, quote=True)}">{esc(label)}</a>' for label, href in header.links
        ) + "</p>"
    return (f'<header class="bo-header"><p class="bo-kicker">{esc(header.company)}</p>'
            f"<h1>{esc(title)}</h1><dl>{dl}</dl>{quality}{links}</header>")


@cache
def _close_css() -> str:
    return (TEMPLATES_DIR / TEMPLATE_NAME / "close.css").read_text(encoding="utf-8")


def stylesheet() -> str:
    """The report CSS (:func:`backoffice_lib.report.html.css`) plus the close's own rules."""
    from .html import css

    return css() + "\n" + _close_css()


def page(title: str, body: str, *, lang: str, header: str = "", toc: bool = True) -> str:
    """A whole self-contained HTML document around ``body`` (already safe HTML)."""
    nav = table_of_contents(body, lang) if toc else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang, quote=True)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{stylesheet()}\n</style>\n</head>\n"
        f'<body class="bo-page">\n{header}\n{nav}\n<main class="bo-main">\n{body}\n</main>\n'
        "</body>\n</html>\n"
    )


def redact(text: str, replacements: Iterable[tuple[str, str]]) -> str:
    """Replace each ``old`` by ``new`` in ``text``, also in its HTML-escaped form.

    Longest first, so a file path is replaced before the folder that contains it.
    """
    for old, new in sorted(replacements, key=lambda pair: -len(pair[0])):
        if not old:
            continue
        text = text.replace(old, new)
        escaped = html.escape(old, quote=True)
        if escaped != old:
            text = text.replace(escaped, html.escape(new, quote=True))
    return text


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def export_report(nb: nbformat.NotebookNode, path: str | Path, header: ReportHeader, *,
                  extra_html: str = "", redactions: Sequence[tuple[str, str]] = ()) -> Path:
    """Write the managers' HTML of an executed notebook to ``path``.

    ``extra_html`` (already safe HTML, e.g. the KPI trend across closes) is appended
    after the notebook's content.
    """
    clean, found_title = manager_notebook(nb)
    title = header.title or found_title or Path(path).stem
    body = render_cells(clean) + extra_html
    document = page(f"{title} — {format_month(header.period, header.lang)}", body,
                    lang=header.lang, header=header_html(header, title))
    return _write(Path(path), redact(document, redactions))


def export_failure(path: str | Path, header: ReportHeader, error: str, *,
                   notebook_href: str | None = None,
                   redactions: Sequence[tuple[str, str]] = ()) -> Path:
    """Write the page of an analysis that failed: what happened, in plain words."""
    lang = header.lang
    title = header.title or Path(path).stem
    esc = html.escape
    link = ""
    if notebook_href:
        name = esc(Path(notebook_href).name)
        link = (f'<p>{esc(t("close.failed_see_notebook", lang))} '
                f'<a href="{esc(notebook_href, quote=True)}">{name}</a></p>')
    body = (f'<section class="bo-failed" role="alert"><h2 id="failed">'
            f'{esc(t("close.failed_title", lang))}</h2>'
            f'<p>{esc(t("close.failed_body", lang))}</p>'
            f'<pre class="bo-error">{esc(error)}</pre>{link}</section>')
    document = page(f"{title} — {format_month(header.period, lang)}", body, lang=lang,
                    header=header_html(header, title), toc=False)
    return _write(Path(path), redact(document, redactions))
