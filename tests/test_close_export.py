"""Managers' pages of the close without running a kernel: report export, index, trend."""

from __future__ import annotations

import base64
import datetime as dt
import re
from decimal import Decimal

import nbformat
import pytest

from backoffice_lib.close.results import NotebookResult
from backoffice_lib.report.export_html import (
    CSP,
    DataQuality,
    ReportHeader,
    export_failure,
    export_report,
    manager_notebook,
    redact,
)
from backoffice_lib.report.index import (
    DataQualitySummary,
    TableQuality,
    render_index,
    render_trend,
)
from backoffice_lib.report.tiles import Tile

NBSP = "\u00a0"
NNBSP = "\u202f"  # thousands separator of French numbers
WHEN = dt.datetime(2026, 11, 5, 18, 7)
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()


def _code(source: str, outputs: list[dict], tags: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    return cell


def _display(data: dict, kind: str = "display_data") -> dict:
    out = {"output_type": kind, "data": data, "metadata": {}}
    if kind == "execute_result":
        out["execution_count"] = 3
    return out


@pytest.fixture
def executed() -> nbformat.NotebookNode:
    """An executed notebook with everything a manager must not see, and what he must."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Coûts du mois\nCe que coûte chaque service."),
        _code('period = "2026-10"', [], ("parameters",)),
        _code('period = "2026-10"\ninputs = {"gl": "/secret/path/gl.csv"}', [],
              ("injected-parameters",)),
        _code("import pandas", [{"output_type": "stream", "name": "stderr",
                                 "text": "DeprecationWarning: old\n"}]),
        _code("print(inputs)", [{"output_type": "stream", "name": "stdout",
                                 "text": "{'gl': '/secret/path/gl.csv'}\n"}]),
        nbformat.v4.new_markdown_cell("## Par service\nDétail."),
        _code("show_table(df)", [_display({
            "text/html": "<style>.x{}</style>\n<table class='bo-table'><td>&lt;script&gt;"
                         "</td><td>/secret/path/gl.csv</td></table>",
            "text/plain": "table", "application/vnd.backoffice.table+json": {"name": "t"}})]),
        _code("df.shape", [_display({"text/plain": "(3, 2)"}, "execute_result")]),
        _code("chart", [_display({"image/png": PNG[:8] + "\n" + PNG[8:], "text/plain": "<Fig>"})]),
        nbformat.v4.new_markdown_cell("### Détail fin"),
        _code("hidden", [_display({"text/html": "<p>hidden output</p>"})], ("remove-output",)),
        _code("gone", [_display({"text/html": "<p>gone cell</p>"})], ("remove-cell",)),
        _code("x = 1/0", [{"output_type": "error", "ename": "ZeroDivisionError",
                           "evalue": "division by zero", "traceback": ["Traceback..."]}]),
        nbformat.v4.new_raw_cell("raw text"),
        nbformat.v4.new_markdown_cell("An Exception was encountered",
                                      metadata={"tags": ["papermill-error-cell-tag"]}),
    ]
    return nb


def _header(lang: str = "fr", **kw) -> ReportHeader:
    return ReportHeader(company="Dupont & Fils <SA>", period="2026-10", lang=lang,
                        generated_at=WHEN, **kw)


# --------------------------------------------------------------------------- cleaning


def test_manager_notebook_keeps_only_markdown_and_displays(executed):
    clean, title = manager_notebook(executed)
    assert title == "Coûts du mois"
    kinds = [(c.cell_type, [sorted(o.data) for o in c.get("outputs", [])]) for c in clean.cells]
    assert kinds == [
        ("markdown", []),
        ("markdown", []),
        ("code", [["text/html"]]),
        ("code", [["image/png"]]),
        ("markdown", []),
    ]
    assert clean.cells[0].source == "Ce que coûte chaque service."
    assert all(c.source == "" for c in clean.cells if c.cell_type == "code")


def test_manager_notebook_strips_the_repeated_stylesheet_and_base64_newlines(executed):
    clean, _ = manager_notebook(executed)
    assert clean.cells[2].outputs[0].data["text/html"].startswith("<table")
    assert clean.cells[3].outputs[0].data["image/png"] == PNG


def test_manager_notebook_leaves_the_executed_notebook_alone(executed):
    before = nbformat.writes(executed)
    manager_notebook(executed)
    assert nbformat.writes(executed) == before


# --------------------------------------------------------------------------- report page


def test_export_report_writes_a_self_contained_page(executed, tmp_path):
    path = export_report(executed, tmp_path / "costs.html",
                         _header(data_quality=DataQuality(0, 2, "data-quality.html"),
                                 links=(("Excel", "costs.xlsx"),)),
                         redactions=(("/secret/path/gl.csv", "gl.csv"),))
    page = path.read_text(encoding="utf-8")
    assert f'content="{CSP}"' in page
    assert "<script" not in page.lower()
    assert re.findall(r'(?:src|href)="(?!data:|#|costs\.xlsx|data-quality\.html)[^"]*"', page) == []
    for text in ("require.js", "mathjax", "cdn", "In&nbsp;[", "print(inputs)", "DeprecationWarning",
                 "/secret/path", "hidden output", "gone cell", "division by zero", "raw text",
                 "An Exception was encountered", "(3, 2)"):
        assert text.lower() not in page.lower(), text
    assert "<td>&lt;script&gt;</td><td>gl.csv</td>" in page
    assert f'src="data:image/png;base64,{PNG}"' in page
    assert page.count("<style>") == 1


def test_export_report_header_is_escaped_and_in_words(executed, tmp_path):
    page = export_report(executed, tmp_path / "r.html", _header()).read_text(encoding="utf-8")
    assert '<p class="bo-kicker">Dupont &amp; Fils &lt;SA&gt;</p><h1>Coûts du mois</h1>' in page
    assert "<dd>octobre 2026</dd>" in page
    assert "<dd>05/11/2026 à 18:07</dd>" in page
    assert "<title>Coûts du mois — octobre 2026</title>" in page


def test_export_report_builds_a_table_of_contents(executed, tmp_path):
    page = export_report(executed, tmp_path / "r.html", _header()).read_text(encoding="utf-8")
    toc = re.search(r'<nav class="bo-toc".*?</nav>', page, re.S).group(0)
    assert re.findall(r'<li class="bo-toc-l(\d)"><a href="#([^"]+)">([^<]+)</a>', toc) == [
        ("2", "Par-service", "Par service"), ("3", "D%C3%A9tail-fin", "Détail fin")]
    assert 'id="Par-service"' in page


def test_export_report_in_english(executed, tmp_path):
    page = export_report(executed, tmp_path / "r.html", _header("en")).read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert "<dt>Period</dt><dd>October 2026</dd>" in page
    assert "<dd>05/11/2026 at 18:07</dd>" in page
    assert "Contents" in page


def test_export_failure_shows_the_error_as_text(tmp_path):
    page = export_failure(tmp_path / "f.html", _header(title="Stocks"),
                          "ValueError: <img src=x onerror=alert(1)> in /secret/a.csv",
                          notebook_href="stock.ipynb",
                          redactions=(("/secret/a.csv", "a.csv"),)).read_text(encoding="utf-8")
    assert "Cette analyse a échoué" in page
    assert "ValueError: &lt;img src=x onerror=alert(1)&gt; in a.csv" in page
    assert '<a href="stock.ipynb">stock.ipynb</a>' in page
    assert "<img" not in page


# --------------------------------------------------------------------------- redaction


def test_redact_replaces_longest_first_and_escaped_forms():
    text = "/p/data/a&b.csv and /p/data/x.csv and /p/data/a&amp;b.csv"
    result = redact(text, [("/p/", ""), ("/p/data/a&b.csv", "a&b.csv")])
    assert result == "a&b.csv and data/x.csv and a&amp;b.csv"


# --------------------------------------------------------------------------- trend


def _rows(values: dict[str, float], key: str = "budget", kind: str = "money0") -> list[dict]:
    return [{"period": p, "notebook": "kpis", "key": key, "label": "Budget", "value": v,
             "kind": kind, "generated_at": "x"} for p, v in values.items()]


def test_render_trend_shows_previous_close_change_and_sparkline():
    html = render_trend(_rows({"2026-08": 8000, "2026-09": 9000, "2026-10": 10000,
                               "2026-11": 99999}), period="2026-10", lang="fr")
    cells = re.findall(r"<td>(.*?)</td>", html)
    assert cells[:4] == ["Budget", f"9{NNBSP}000{NBSP}€", f"10{NNBSP}000{NBSP}€",
                         f"+1{NNBSP}000{NBSP}€"]
    points = re.search(r'points="([^"]+)"', html).group(1).split()
    assert len(points) == 3  # 2026-11 comes after the period: not shown
    assert [float(p.split(",")[1]) for p in points] == [21.0, 12.0, 3.0]
    assert "sept. 2026" in html


def test_render_trend_of_a_first_close_says_so():
    html = render_trend(_rows({"2026-10": 0.25}, kind="percent"), period="2026-10", lang="en")
    assert re.findall(r"<td>(.*?)</td>", html)[:4] == ["Budget", "n/a", "25.0%", "n/a"]
    assert "First close on record" in html
    assert "<svg" not in html


def test_render_trend_is_empty_without_kpis_for_the_period():
    assert render_trend(_rows({"2026-09": 1.0}), period="2026-10", lang="fr") == ""


# --------------------------------------------------------------------------- index


def _results() -> list[NotebookResult]:
    ok = NotebookResult("kpis", "ok", title="Centres <de> coût", seconds=2.5,
                        tiles=[Tile("budget", "Budget", Decimal("10000"), "money0")],
                        files={"html": "kpis.html", "xlsx": "kpis.xlsx", "ipynb": "kpis.ipynb"})
    failed = NotebookResult("fails", "failed", title="Échec", seconds=1.0,
                            error="ValueError: <script>alert(1)</script>",
                            files={"html": "fails.html", "ipynb": "fails.ipynb"})
    return [ok, failed]


def _quality() -> DataQualitySummary:
    return DataQualitySummary(errors=0, warnings=3,
                              tables=(TableQuality("cost_centers", 5, 0, 3, "cc.xlsx"),),
                              html_href="data-quality.html", xlsx_href="data-quality.xlsx")


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("fr", ["Clôture mensuelle", "octobre 2026", "Généré le", "en échec", "réussie",
                f"2 analyse(s){NBSP}: 1 réussie(s), 1 en échec.", "Qualité des données",
                "Tableaux Excel", "Évolution sur les clôtures"]),
        ("en", ["Monthly close: October 2026", "Generated", "failed", "succeeded",
                "2 analysis(es): 1 succeeded, 1 failed.", "Data quality", "Excel tables",
                "Trend across closes"]),
    ],
    ids=["fr", "en"],
)
def test_render_index_in_both_languages(lang, texts):
    page = render_index(company="Dupont & Fils", period="2026-10", lang=lang,
                        generated_at=WHEN, results=_results(),
                        history=_rows({"2026-09": 9000, "2026-10": 10000}),
                        quality=_quality())
    missing = [text for text in texts if text not in page]
    assert missing == []
    assert f'<html lang="{lang}">' in page


def test_render_index_escapes_errors_and_titles_and_links_relatively():
    page = render_index(company="Dupont & Fils", period="2026-10", lang="fr",
                        generated_at=WHEN, results=_results(), quality=_quality())
    assert "<script>" not in page
    assert "ValueError: &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Centres &lt;de&gt; coût" in page
    hrefs = re.findall(r'href="(?!data:)([^"#]+)"', page)
    assert sorted(set(hrefs)) == ["data-quality.html", "data-quality.xlsx", "fails.html",
                                  "fails.ipynb", "kpis.html", "kpis.ipynb", "kpis.xlsx"]
    assert 'class="bo-tile-value">10' in page
    assert "<td>cost_centers</td><td>cc.xlsx</td><td>5</td><td>0</td><td>3</td>" in page
