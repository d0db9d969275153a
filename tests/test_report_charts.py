"""Report charts (backoffice_lib.report.charts): labels, ticks and colours in both languages."""

from __future__ import annotations

import io
from decimal import Decimal

import matplotlib.colors as mcolors
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from backoffice_lib.report import charts

NB = "\u00a0"


def _ticks(axis) -> list[str]:
    """Labels of the ticks inside the axis's view (after drawing)."""
    axis.figure.canvas.draw()
    low, high = sorted(axis.get_view_interval())
    return [label.get_text() for loc, label in zip(axis.get_majorticklocs(),
                                                     axis.get_majorticklabels(), strict=True)
            if low - 1e-9 <= loc <= high + 1e-9 and label.get_text()]


def _texts(ax) -> list[str]:
    return [text.get_text() for text in ax.texts]


def _legend(ax) -> list[str]:
    return [text.get_text() for text in ax.get_legend().get_texts()]


@pytest.fixture
def steps() -> pd.DataFrame:
    """Budget → actual variances by category (Decimal amounts)."""
    return pd.DataFrame({"label": ["Achats", "Personnel"],
                         "amount": [Decimal("38000"), Decimal("-12500")]})


@pytest.fixture
def months() -> pd.DataFrame:
    """24 months of actual and budget, 2025-01 to 2026-12."""
    periods = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)]
    return pd.DataFrame({"period": periods,
                         "actual": [Decimal(1000 * (i + 1)) for i in range(24)],
                         "budget": [Decimal("12000")] * 24})


# --------------------------------------------------------------------------- formatters


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", [f"0{NB}€", f"0,5{NB}M{NB}€", f"1,0{NB}M{NB}€", f"1,5{NB}M{NB}€"]),
     ("en", ["€0", "€0.5m", "€1.0m", "€1.5m"])],
    ids=["fr", "en"],
)
def test_axis_formatter_money_uses_one_compact_unit(lang, expected):
    formatter = charts.axis_formatter("money", lang)
    assert formatter.format_ticks([0, 500_000, 1_000_000, 1_500_000]) == expected
    assert formatter(250_000) == ("0,25\u00a0M\u00a0€" if lang == "fr" else "€0.25m")


def test_axis_formatter_percent_uses_decimal_comma_in_french():
    assert charts.axis_formatter("percent", "fr").format_ticks([0, 0.025, 0.05]) == [
        f"0,0{NB}%", f"2,5{NB}%", f"5,0{NB}%"]


def test_new_figure_is_agg_9_by_4_5_at_100_dpi_without_pyplot():
    fig, ax = charts.new_figure("Titre")
    assert isinstance(fig, Figure) and isinstance(fig.canvas, FigureCanvasAgg)
    assert tuple(fig.get_size_inches()) == (9.0, 4.5) and fig.dpi == 100
    assert ax.get_title(loc="left") == "Titre"


# --------------------------------------------------------------------------- waterfall


def test_waterfall_labels_bars_and_axis_in_french(steps):
    fig = charts.waterfall(steps, start=Decimal("1200000"), lang="fr")
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Du budget au réel"
    assert _ticks(ax.xaxis) == ["Budget", "Achats", "Personnel", "Réel"]
    assert _texts(ax) == [f"1,20{NB}M{NB}€", f"+38{NB}k{NB}€", f"-12,5{NB}k{NB}€",
                          f"1,23{NB}M{NB}€"]
    assert ax.get_ylabel() == "Montant"
    assert _ticks(ax.yaxis)[:2] == [f"1,17{NB}M{NB}€", f"1,18{NB}M{NB}€"]
    assert _legend(ax) == ["Hausse", "Baisse"]


def test_waterfall_bars_float_between_levels_with_increase_and_decrease_colours(steps):
    fig = charts.waterfall(steps, start=1_200_000, lang="en", start_label="Budget 2026",
                           end_label="Actual 2026", title="Bridge")
    ax = fig.axes[0]
    bars = ax.patches[:4]
    assert [(round(b.get_y()), round(b.get_height())) for b in bars] == [
        (0, 1_200_000), (1_200_000, 38_000), (1_225_500, 12_500), (0, 1_225_500)]
    colours = [mcolors.to_hex(b.get_facecolor()).upper() for b in bars]
    assert colours == [charts.PALETTE["grey"], charts.PALETTE["vermillion"],
                       charts.PALETTE["blue"], charts.PALETTE["grey"]]
    assert _ticks(ax.xaxis) == ["Budget 2026", "Achats", "Personnel", "Actual 2026"]
    assert ax.get_title(loc="left") == "Bridge"
    assert _texts(ax)[0] == "€1.20m"


def test_waterfall_rejects_a_missing_amount():
    steps = pd.DataFrame({"label": ["a"], "amount": [None]})
    with pytest.raises(ValueError, match="must all have an amount"):
        charts.waterfall(steps, start=1, lang="fr")


# --------------------------------------------------------------------------- trend


def test_trend_labels_months_every_quarter_ending_with_the_last(months):
    fig = charts.trend(months, lang="fr")
    ax = fig.axes[0]
    assert _ticks(ax.xaxis) == ["mars 2025", "juin 2025", "sept. 2025", "déc. 2025",
                                "mars 2026", "juin 2026", "sept. 2026", "déc. 2026"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Mois", "Montant")
    assert _legend(ax) == ["Réel", "Budget"]
    assert _texts(ax) == []


def test_trend_marks_the_provisional_month_in_english(months):
    fig = charts.trend(months.iloc[-6:], lang="en", provisional=True, budget=None)
    ax = fig.axes[0]
    assert _ticks(ax.xaxis) == ["Jul 2026", "Aug 2026", "Sept 2026", "Oct 2026", "Nov 2026",
                                "Dec 2026"]
    assert _texts(ax) == ["provisional"]
    assert _legend(ax) == ["Actual"]
    solid, dotted, hollow = ax.lines[:3]
    assert len(solid.get_xdata()) == 5 and dotted.get_linestyle() == ":"
    assert hollow.get_markerfacecolor() == "white"
    assert _ticks(ax.yaxis)[-1].startswith("€") and _ticks(ax.yaxis)[-1].endswith("k")


# --------------------------------------------------------------------------- bars


def test_bars_horizontal_keep_order_and_label_values():
    df = pd.DataFrame({"label": ["Back office", "Front office", "Support"],
                       "value": [0.185, None, 0.05]})
    fig = charts.bars(df, kind="percent", lang="fr", title="Part des coûts")
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "Part des coûts"
    assert _ticks(ax.yaxis) == ["Back office", "Front office", "Support"]
    assert ax.yaxis_inverted()
    assert _texts(ax) == [f"18,5{NB}%", "n.d.", f"5,0{NB}%"]
    assert ax.get_xlabel() == "Part"
    assert _ticks(ax.xaxis)[:3] == [f"0{NB}%", f"5{NB}%", f"10{NB}%"]


def test_bars_vertical_money_in_english():
    df = pd.DataFrame({"label": ["Finance", "HR"], "value": [Decimal("85432.10"),
                                                             Decimal("92100")]})
    fig = charts.bars(df, kind="money", lang="en", horizontal=False,
                      value_label="Cost per FTE", category_label="Department")
    ax = fig.axes[0]
    assert _ticks(ax.xaxis) == ["Finance", "HR"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Department", "Cost per FTE")
    assert _texts(ax) == ["€85.4k", "€92.1k"]
    assert _ticks(ax.yaxis)[:3] == ["€0", "€20k", "€40k"]


# --------------------------------------------------------------------------- stacked, pareto


def test_stacked_bars_stack_series_with_month_axis():
    df = pd.DataFrame({"period": ["2026-09", "2026-10"], "purchases": [100.0, 120.0],
                       "personnel": [300.0, 310.0]})
    fig = charts.stacked_bars(df, series=["purchases", "personnel"], label="period", lang="fr",
                              series_labels={"purchases": "Achats", "personnel": "Personnel"})
    ax = fig.axes[0]
    assert _ticks(ax.xaxis) == ["sept. 2026", "oct. 2026"]
    assert _legend(ax) == ["Achats", "Personnel"]
    assert [round(b.get_y()) for b in ax.patches] == [0, 0, 100, 120]
    assert ax.get_xlabel() == "Mois"


def test_pareto_has_percent_axis_and_threshold_line():
    df = pd.DataFrame({"vendor": ["A", "B", "C"],
                       "spend": [Decimal("500000"), Decimal("300000"), Decimal("200000")],
                       "cum_share": [0.5, 0.8, 1.0]})
    fig = charts.pareto(df, lang="fr")
    ax, share = fig.axes
    assert ax.get_title(loc="left") == "Analyse de Pareto"
    assert _ticks(ax.xaxis) == ["A", "B", "C"]
    assert _ticks(share.yaxis) == [f"0{NB}%", f"20{NB}%", f"40{NB}%", f"60{NB}%", f"80{NB}%",
                                   f"100{NB}%"]
    assert _texts(share) == [f"Seuil 80{NB}%"]
    assert (ax.get_ylabel(), share.get_ylabel()) == ("Montant", "Part cumulée")
    assert _ticks(ax.yaxis)[:2] == [f"0{NB}€", f"100{NB}k{NB}€"]
    assert _legend(share) == ["Montant", "Part cumulée"]


def test_pareto_threshold_in_english():
    df = pd.DataFrame({"vendor": ["A"], "spend": [1.0], "cum_share": [1.0]})
    assert _texts(charts.pareto(df, lang="en", threshold=0.7).axes[1]) == ["70% threshold"]


# --------------------------------------------------------------------------- rendering


def test_every_chart_renders_to_png_without_warnings(steps, months):
    figures = [
        charts.waterfall(steps, start=1_000_000, lang="fr"),
        charts.trend(months, lang="fr", provisional=True),
        charts.bars(pd.DataFrame({"label": ["a"], "value": [1.0]}), lang="fr"),
    ]
    for fig in figures:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        assert buffer.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("chart", ["pareto", "waterfall"])
def test_a_long_title_stays_clear_of_the_legend_above_the_axes(chart):
    title = "Dépenses par fournisseur, 12 mois à fin octobre 2026 (20 premiers)"
    if chart == "pareto":
        df = pd.DataFrame({"vendor": list("ABCDEFGHIJ"), "spend": [10.0 - i for i in range(10)],
                           "cum_share": [0.1 * (i + 1) for i in range(10)]})
        fig = charts.pareto(df, lang="fr", title=title)
        legend = fig.axes[1].get_legend()
    else:
        steps = pd.DataFrame({"label": ["Achats", "Personnel"], "amount": [-20.0, 50.0]})
        fig = charts.waterfall(steps, start=1000, lang="fr", title=title)
        legend = fig.axes[0].get_legend()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    heading = fig.axes[0]._left_title.get_window_extent(renderer)
    assert not heading.overlaps(legend.get_window_extent(renderer))
