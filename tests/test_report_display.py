"""Notebook display helpers and reading them back (backoffice_lib.report.display)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from decimal import Decimal

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from backoffice_lib.report import charts, display
from backoffice_lib.report.display import (
    KPIS_MIME,
    TABLE_MIME,
    chart_bundle,
    commentary_bundle,
    decode_value,
    encode_value,
    read_outputs,
    section_bundle,
    table_bundle,
    table_from_json,
    table_to_json,
    tile_from_json,
    tile_to_json,
    tiles_bundle,
)
from backoffice_lib.report.tiles import Tile
from backoffice_lib.tables import MONEY


@pytest.fixture
def costs() -> pd.DataFrame:
    """A small table with every dtype a report table holds."""
    return pd.DataFrame({
        "category": ["Achats", "<b>RH</b>"],
        "actual": pd.array([Decimal("1234567.89"), None], dtype=MONEY),
        "share": [0.5, np.nan],
        "headcount": pd.array([3, None], dtype="Int64"),
        "period": ["2026-10", "2026-09"],
        "posted": pd.to_datetime(["2026-10-31", "2026-09-30"]).astype("datetime64[us]"),
        "lines": [4, 7],
        "closed": [True, False],
    })


@pytest.fixture
def cost_tile() -> Tile:
    """A money tile with a favourable variance."""
    return Tile("total_cost", "Coût total", Decimal("1234567.89"), "money",
                delta=Decimal("-38000.00"), delta_label="vs budget", favourable=True,
                footnote="GL", provisional=True)


def _json_round_trip(data: object) -> object:
    return json.loads(json.dumps(data))


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (Decimal("1234567.89"), ("1234567.89", "decimal")),
        (3, (3, "int")),
        (np.int64(3), (3, "int")),
        (0.125, (0.125, "float")),
        (True, (True, "bool")),
        (np.True_, (True, "bool")),
        ("2026-10", ("2026-10", "str")),
        (dt.date(2026, 10, 31), ("2026-10-31", "date")),
        (pd.Timestamp("2026-10-31 08:30"), ("2026-10-31T08:30:00", "datetime")),
        (None, (None, "null")),
        (float("nan"), (None, "null")),
        (pd.NA, (None, "null")),
        (float("inf"), (None, "null")),
    ],
    ids=lambda v: repr(v)[:24],
)
def test_encode_value_and_back(value, encoded):
    assert encode_value(value) == encoded
    decoded = decode_value(*encoded)
    if encoded[1] == "null":
        assert decoded is None
    else:
        assert decoded == value and type(decoded) in (type(value), int, bool)


# --------------------------------------------------------------------------- tiles


def test_tile_to_json_keeps_decimal_as_text(cost_tile):
    result = tile_to_json(cost_tile, "fr")
    assert result == {
        "key": "total_cost", "label": "Coût total", "value": "1234567.89",
        "value_type": "decimal", "kind": "money", "text": "1\u202f234\u202f567,89\u00a0€",
        "delta": "-38000.00", "delta_type": "decimal", "delta_kind": None,
        "delta_label": "vs budget", "favourable": True, "footnote": "GL", "provisional": True,
    }
    assert tile_from_json(_json_round_trip(result)) == cost_tile


def test_tiles_bundle_has_html_plain_and_kpis_json(cost_tile):
    bundle = tiles_bundle([cost_tile, Tile("fte", "ETP", None, "number")], "fr")
    assert set(bundle) == {"text/html", "text/plain", KPIS_MIME}
    assert bundle["text/plain"] == "Coût total: 1\u202f234\u202f567,89\u00a0€\nETP: n.d."
    payload = bundle[KPIS_MIME]
    assert (payload["version"], payload["lang"]) == (1, "fr")
    assert [t["key"] for t in payload["tiles"]] == ["total_cost", "fte"]
    assert payload["tiles"][1]["value"] is None
    assert 'data-key="total_cost"' in bundle["text/html"]


# --------------------------------------------------------------------------- tables


def test_table_json_round_trip_preserves_values_and_dtypes(costs):
    payload = _json_round_trip(table_to_json(costs, "costs", title="Coûts", lang="fr",
                                             formats={"share": "percent"}))
    result = table_from_json(payload)
    pd.testing.assert_frame_equal(result.frame, costs)
    assert result.title == "Coûts"
    assert result.formats == {"category": "text", "actual": "money", "share": "percent",
                              "headcount": "int", "period": "month", "posted": "date",
                              "lines": "int", "closed": "text"}
    assert result.frame.attrs["headers"]["period"] == "Mois"
    assert payload["data"][0][1] == "1234567.89"


def test_table_json_leaves_suppressed_values_out(costs):
    df = costs[["category", "headcount"]].assign(small=[True, False])
    payload = table_to_json(df, "hc", suppressed="small", lang="en")
    assert payload["data"] == [["Achats", None], ["<b>RH</b>", None]]
    assert payload["suppressed"] == [[0, 1]]
    frame, formats, title = table_from_json(payload)
    assert list(frame.columns) == ["category", "headcount"]
    assert frame.attrs["suppressed"].to_dict("list") == {"category": [False, False],
                                                         "headcount": [True, False]}
    assert (formats, title) == ({"category": "text", "headcount": "int"}, None)


def test_table_json_shows_a_named_index_as_a_column():
    df = pd.DataFrame({"fte": [1.5]}, index=pd.Index(["CC01"], name="cost_center"))
    frame = table_from_json(_json_round_trip(table_to_json(df, "t"))).frame
    pd.testing.assert_frame_equal(frame, df.reset_index())


def test_table_bundle_exports_every_row_but_shows_max_rows(costs):
    bundle = table_bundle(costs, "costs", title="Coûts", lang="fr", max_rows=1)
    assert set(bundle) == {"text/html", "text/plain", TABLE_MIME}
    assert len(bundle[TABLE_MIME]["data"]) == 2
    assert "&lt;b&gt;RH&lt;/b&gt;" not in bundle["text/html"]
    assert bundle["text/plain"] == "Coûts (2 × 8)"


def test_table_bundle_without_export_has_no_json(costs):
    assert TABLE_MIME not in table_bundle(costs, "costs", export=False)


def test_table_bundle_needs_a_name(costs):
    with pytest.raises(ValueError, match="non-empty name"):
        table_bundle(costs, "")


# --------------------------------------------------------------------------- other bundles


def test_section_bundle_heading_matches_nbconvert_markdown_anchors():
    from nbconvert.filters.strings import add_anchor

    bundle = section_bundle("Coûts par catégorie & RH")
    expected_id = 'id="Co%C3%BBts-par-cat%C3%A9gorie-&amp;-RH"'
    assert expected_id in add_anchor("<h2>Coûts par catégorie &amp; RH</h2>")
    assert bundle["text/html"] == (
        f'<h2 class="bo-section" {expected_id}>Coûts par catégorie &amp; RH</h2>'
    )
    assert bundle["text/markdown"] == "## Coûts par catégorie & RH"
    assert section_bundle("1. <Résumé>", level=3)["text/markdown"] == "### 1. \\<Résumé\\>"


def test_commentary_bundle_escapes_and_splits_paragraphs():
    bundle = commentary_bundle("Hausse <b>contenue</b>.\nSuite\n\nDeuxième & dernier.")
    assert bundle["text/html"] == (
        '<div class="bo-commentary"><p>Hausse &lt;b&gt;contenue&lt;/b&gt;.<br>Suite</p>'
        "<p>Deuxième &amp; dernier.</p></div>"
    )


def _svg_of(bundle: dict) -> bytes:
    return base64.b64decode(bundle["text/html"].split("base64,")[1].split('"')[0])


def test_chart_bundle_is_an_svg_image_with_alt_text_from_the_title():
    fig = charts.bars(pd.DataFrame({"label": ["a"], "value": [1.0]}), lang="fr",
                      title='Coût "par" ETP')
    bundle = chart_bundle(fig)
    html = bundle["text/html"]
    assert html.startswith('<figure class="bo-chart"><img src="data:image/svg+xml;base64,')
    assert html.endswith('alt="Coût &quot;par&quot; ETP" width="900" height="450"></figure>')
    svg = _svg_of(bundle).decode("utf-8")
    assert '<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="648pt" height="324pt"' in svg
    assert "<dc:date>" not in svg  # no date: the same chart gives the same bytes
    assert "<text" not in svg  # glyphs drawn as paths: no font needed to show it
    assert "href=\"http" not in svg and "<image" not in svg  # nothing fetched, no raster
    assert bundle["text/plain"] == 'Coût "par" ETP'
    assert 'alt="Mon graphique"' in chart_bundle(fig, alt="Mon graphique")["text/html"]


def test_chart_svg_is_the_same_on_every_run_and_has_a_white_background():
    def make():
        return charts.bars(pd.DataFrame({"label": ["a", "b"], "value": [1.0, 2.0]}),
                           lang="fr", title="Deux barres")

    first, second = _svg_of(chart_bundle(make())), _svg_of(chart_bundle(make()))
    assert first == second
    assert re.search(rb'<path d="M 0 324 \nL 648 324 \nL 648 0 \nL 0 0 \nz\n" '
                     rb'style="fill: #ffffff"', first)


def test_chart_bundle_lays_the_figure_out_once_and_draws_it_once(monkeypatch):
    from matplotlib.figure import Figure

    fig = charts.bars(pd.DataFrame({"label": ["un libellé long"], "value": [1.0]}), lang="fr",
                      title="Titre")
    assert fig.get_layout_engine() is not None  # report figures use a tight layout
    before = fig.subplotpars.left
    draws = []
    original = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, r: (draws.append(1), original(self, r)))
    chart_bundle(fig)
    assert len(draws) == 1
    assert fig.get_layout_engine() is None and fig.dpi == 100  # its own dpi is kept
    assert fig.subplotpars.left > before  # the tight layout made room for the labels


def test_chart_bundle_measures_the_labels_once_for_matplotlibs_own_tight_layout(monkeypatch):
    from matplotlib.axes import Axes

    def make():
        return charts.bars(pd.DataFrame({"label": ["un libellé long", "court"],
                                         "value": [1500.0, -20.0]}), lang="fr", title="Titre")

    expected = make()
    expected.get_layout_engine().execute(expected)  # rect (0, 0, 1, 1): two passes
    measured = []
    original = Axes.get_tightbbox
    monkeypatch.setattr(Axes, "get_tightbbox",
                        lambda self, *a, **k: (measured.append(1), original(self, *a, **k))[1])
    fig = make()
    chart_bundle(fig)
    assert len(measured) == 1  # one axes, one measuring pass
    got, want = fig.subplotpars, expected.subplotpars
    assert (got.left, got.right, got.bottom, got.top) == (want.left, want.right, want.bottom,
                                                          want.top)
    assert got.left > 0.1  # room made for the long label


# --------------------------------------------------------------------------- show_*


def test_show_functions_publish_bundles_and_the_stylesheet_once(monkeypatch, costs, cost_tile):
    published = []
    monkeypatch.setattr(display, "_publish", published.append)
    monkeypatch.setattr(display, "_STYLE_SENT", False)
    display.section("Coûts")
    display.show_tiles([cost_tile], lang="fr")
    display.show_table(costs, "costs", lang="fr")
    display.show_commentary("Texte")
    assert [sorted(b) for b in published] == [
        ["text/html", "text/markdown", "text/plain"],
        [KPIS_MIME, "text/html", "text/plain"],
        [TABLE_MIME, "text/html", "text/plain"],
        ["text/html", "text/plain"],
    ]
    assert published[1]["text/html"].startswith("<style>\n")
    assert [b["text/html"].count("<style>") for b in published] == [0, 1, 0, 0]


# --------------------------------------------------------------------------- read_outputs


def _display(bundle: dict) -> nbformat.NotebookNode:
    return new_output("display_data", data=bundle)


def test_read_outputs_rebuilds_tiles_and_tables_from_a_notebook(costs, cost_tile):
    late = Tile("total_cost", "Coût total", Decimal("1"), "money")
    nb = new_notebook(cells=[
        new_markdown_cell("# Coûts"),
        new_code_cell("x", outputs=[_display(tiles_bundle([cost_tile], "fr"))]),
        new_code_cell("y", outputs=[
            _display(table_bundle(costs, "costs", title="Coûts", lang="fr")),
            new_output("stream", text="hello"),
            _display(tiles_bundle([Tile("fte", "ETP", 41.5, "number"), late], "fr")),
        ]),
    ])
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)  # as stored on disk
    result = read_outputs(nb)
    assert result.tiles == [late, Tile("fte", "ETP", 41.5, "number")]
    frame, formats, title = result.tables["costs"]
    pd.testing.assert_frame_equal(frame, costs)
    assert (formats["actual"], title) == ("money", "Coûts")


def test_read_outputs_of_a_notebook_without_our_outputs_is_empty():
    nb = new_notebook(cells=[new_code_cell("1", outputs=[
        new_output("execute_result", data={"text/plain": "1"}, execution_count=1)])])
    result = read_outputs(nb)
    assert (result.tiles, result.tables) == ([], {})


_NOTEBOOK_CODE = '''\
from decimal import Decimal
import pandas as pd
from backoffice_lib.i18n import set_language
from backoffice_lib.report import charts
from backoffice_lib.report.display import section, show_chart, show_table, show_tiles
from backoffice_lib.report.tiles import Tile
from backoffice_lib.tables import MONEY
set_language("fr")
section("Coûts du mois")
show_tiles([Tile("total_cost", "Coût total", Decimal("1234567.89"), "money",
                 delta=Decimal("-38000"), delta_label="vs budget", favourable=True)])
df = pd.DataFrame({"period": ["2026-10"], "category": ["<script>alert(1)</script>"],
                   "actual": pd.Series([Decimal("1234567.89")], dtype=MONEY)})
show_table(df, "costs", title="Coûts par catégorie")
show_chart(charts.bars(pd.DataFrame({"label": ["a"], "value": [1.0]}), title="Barres"))
'''


@pytest.mark.slow
def test_executed_notebook_round_trips_and_exports_html_only(tmp_path):
    nbclient = pytest.importorskip("nbclient")
    from nbconvert import HTMLExporter

    nb = new_notebook(cells=[new_markdown_cell("# Essai"), new_code_cell(_NOTEBOOK_CODE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbclient.execute(nb, kernel_name="python3", cwd=str(tmp_path), timeout=120)
    path = tmp_path / "executed.ipynb"
    nbformat.write(nb, path)
    result = read_outputs(nbformat.read(path, as_version=4))

    assert result.tiles == [Tile("total_cost", "Coût total", Decimal("1234567.89"), "money",
                                 delta=Decimal("-38000"), delta_label="vs budget",
                                 favourable=True)]
    frame, formats, title = result.tables["costs"]
    expected = pd.DataFrame({"period": ["2026-10"], "category": ["<script>alert(1)</script>"],
                             "actual": pd.Series([Decimal("1234567.89")], dtype=MONEY)})
    pd.testing.assert_frame_equal(frame, expected)
    assert (formats, title) == ({"period": "month", "category": "text", "actual": "money"},
                                "Coûts par catégorie")

    html, _ = HTMLExporter().from_notebook_node(nb)
    assert KPIS_MIME not in html and TABLE_MIME not in html and '"value_type"' not in html
    assert '<td class="bo-text">octobre 2026</td>' in html
    assert "<td class=\"bo-num\">1\u202f234\u202f567,89\u00a0€</td>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</td>" in html
    assert '<h2 class="bo-section" id="Co%C3%BBts-du-mois">Coûts du mois</h2>' in html
    assert 'alt="Barres"' in html
