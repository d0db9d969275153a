"""KPI tiles (backoffice_lib.report.tiles)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backoffice_lib.report.tiles import Tile, default_delta_kind, render_tile, render_tiles

NNBSP, NBSP = "\u202f", "\u00a0"


def test_render_tile_favourable_money_in_french():
    tile = Tile("total_cost", "Coût total", Decimal("1234567.89"), "money0",
                delta=Decimal("-38000"), delta_label="vs budget", favourable=True)
    expected = "\n".join([
        '<div class="bo-tile bo-tile-f" data-key="total_cost">',
        '<div class="bo-tile-label">Coût total</div>',
        f'<div class="bo-tile-value">1{NNBSP}234{NNBSP}568{NBSP}€</div>',
        '<div class="bo-tile-delta"><span class="bo-flag bo-flag-f" title="favorable">F</span> '
        f"-38{NNBSP}000{NBSP}€ vs budget</div>",
        "</div>",
    ])
    assert render_tile(tile, "fr") == expected


def test_render_tile_unfavourable_rate_in_english_shows_points_and_letter():
    tile = Tile("turnover", "Turnover", 0.125, "percent", delta=0.004,
                delta_label="vs last year", favourable=False)
    result = render_tile(tile, "en")
    assert '<div class="bo-tile bo-tile-u" data-key="turnover">' in result
    assert '<div class="bo-tile-value">12.5%</div>' in result
    assert ('<div class="bo-tile-delta"><span class="bo-flag bo-flag-u" title="unfavourable">U'
            f"</span> +0.4{NBSP}pp vs last year</div>") in result


def test_render_tile_unfavourable_letter_is_d_in_french():
    result = render_tile(Tile("k", "K", 1, "int", favourable=False), "fr")
    assert '<span class="bo-flag bo-flag-u" title="défavorable">D</span>' in result


def test_render_tile_neutral_has_no_flag_and_no_delta_line():
    result = render_tile(Tile("fte", "ETP", 41.5, "number"), "fr")
    assert 'class="bo-tile"' in result
    assert "bo-flag" not in result and "bo-tile-delta" not in result
    assert '<div class="bo-tile-value">41,5</div>' in result


def test_render_tile_escapes_label_key_delta_label_and_footnote():
    tile = Tile('a"b', "<script>alert(1)</script>", 1, "int", delta=1,
                delta_label="<b>vs</b>", footnote="<img src=x onerror=alert(1)>")
    result = render_tile(tile, "en")
    assert "<script" not in result and "<img" not in result and "<b>" not in result
    assert 'data-key="a&quot;b"' in result
    assert '<div class="bo-tile-label">&lt;script&gt;alert(1)&lt;/script&gt;</div>' in result
    assert '<div class="bo-tile-delta">+1 &lt;b&gt;vs&lt;/b&gt;</div>' in result
    assert '<div class="bo-tile-note">&lt;img src=x onerror=alert(1)&gt;</div>' in result


@pytest.mark.parametrize(
    ("footnote", "fr_note"),
    [
        (None, "* n.d. : non disponible (valeur non calculable ou donnée manquante)."),
        ("Aucun départ sur la période", "* Aucun départ sur la période"),
    ],
    ids=["generic", "reason"],
)
def test_render_tile_missing_value_shows_not_available_and_its_note(footnote, fr_note):
    result = render_tile(Tile("turnover", "Rotation", None, "percent", footnote=footnote), "fr")
    assert '<div class="bo-tile-value">n.d.<sup class="bo-fn">*</sup></div>' in result
    assert f'<div class="bo-tile-note">{fr_note}</div>' in result


def test_render_tile_missing_delta_with_label_shows_not_available():
    tile = Tile("cost", "Cost", Decimal("10"), "money", delta_label="vs budget")
    assert '<div class="bo-tile-delta">n/a vs budget</div>' in render_tile(tile, "en")


@pytest.mark.parametrize(("lang", "word"), [("fr", "provisoire"), ("en", "provisional")])
def test_render_tile_provisional_badge(lang, word):
    result = render_tile(Tile("cost", "Coût", Decimal("1"), "money", provisional=True), lang)
    assert f'<span class="bo-badge">{word}</span></div>' in result


def test_render_tiles_keeps_order_in_a_grid():
    tiles = [Tile("b", "B", 2, "int"), Tile("a", "A", 1, "int")]
    result = render_tiles(tiles, "fr")
    assert result.startswith('<div class="bo-tiles">\n<div class="bo-tile" data-key="b">')
    assert result.index('data-key="b"') < result.index('data-key="a"')
    assert result.endswith("</div>\n</div>")


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("money", "signed_money"), ("money0", "signed_money"), ("percent", "signed_points"),
     ("number:2", "signed_number"), ("int", "signed_number:0"), ("text", "signed_number")],
)
def test_default_delta_kind(kind, expected):
    assert default_delta_kind(kind) == expected


def test_tile_rejects_unknown_kinds():
    with pytest.raises(ValueError, match="unknown value kind 'eur'"):
        Tile("k", "K", 1, "eur")
    with pytest.raises(ValueError, match="unknown value kind 'pct'"):
        Tile("k", "K", 1, "percent", delta_kind="pct")
