"""Report charts: matplotlib figures in the report's language.

Every function takes a tidy, ready-made frame (no KPI is computed here) and returns a
:class:`matplotlib.figure.Figure` built without pyplot (Agg canvas, nothing to close,
no global state touched). Figures are 9 × 4.5 in at 100 dpi with a tight layout,
labelled axes, a title, and tick labels formatted like the tables: thousands
separators, compact money on axes (``1,5 M €`` / ``€1.5m``), percentages, months as
« oct. 2026 » / "Oct 2026". Colours come from the Okabe–Ito colour-blind-safe palette,
and increases/decreases are also told apart by their signed value labels.

Money columns may hold ``Decimal``; they are converted to float only to be drawn.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, Formatter, FuncFormatter, MaxNLocator

from ..i18n import get_language, t
from ..i18n.formatting import format_month, format_ticks, is_missing, parse_kind

__all__ = [
    "DPI",
    "FIGSIZE",
    "PALETTE",
    "LocaleFormatter",
    "axis_formatter",
    "bars",
    "month_axis",
    "new_figure",
    "pareto",
    "stacked_bars",
    "trend",
    "waterfall",
]

FIGSIZE = (9.0, 4.5)
DPI = 100

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "grey": "#6E6E6E",
    "light": "#BBBBBB",
}
_SERIES = ["blue", "orange", "green", "vermillion", "sky", "purple", "yellow", "grey"]
_INK = "#1F2328"
#: (most months, label every n-th month) for month axes.
_MONTH_STEPS = ((8, 1), (18, 2), (36, 3), (72, 6), (math.inf, 12))
_GRID = "#DDDDDD"


# --------------------------------------------------------------------------- axes helpers


class LocaleFormatter(Formatter):
    """Tick labels of a value axis, formatted by kind in the report's language.

    The ticks of an axis are formatted together (:func:`~backoffice_lib.i18n.formatting.
    format_ticks`): money in one compact unit, the fewest decimals that tell them apart.
    """

    def __init__(self, kind: str, lang: str | None = None) -> None:
        parse_kind(kind)
        self.kind = kind
        self.lang = lang or get_language()
        self._values: list[float] = []

    def set_locs(self, locs: Sequence[float]) -> None:
        """Remember the tick values, so a single label uses the same unit as the others."""
        self._values = [float(v) for v in locs]

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        """All labels of the axis at once."""
        self.set_locs(values)
        return format_ticks(list(self._values), self.kind, self.lang)

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The label of one value, in the unit of the current ticks."""
        return format_ticks([*self._values, float(x)], self.kind, self.lang)[-1]


def axis_formatter(kind: str, lang: str | None = None) -> LocaleFormatter:
    """A matplotlib tick formatter for values of ``kind`` (``money``, ``percent``...)."""
    return LocaleFormatter(kind, lang)


def _value_axis(axis: Axis, kind: str, lang: str) -> None:
    """Ticks at 1/2/5 × 10ⁿ steps (no 2.5: labels stay short) formatted by ``kind``."""
    axis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 5, 10]))
    axis.set_major_formatter(axis_formatter(kind, lang))


def month_axis(ax: Axes, periods: Sequence[str], lang: str | None = None) -> None:
    """Label positions ``0..n-1`` of the x axis with short months (« oct. 2026 »).

    One label a month up to 8 months, then every 2nd/3rd/6th/12th month (a small tick
    marks every month), always including the last one (the closing month).
    """
    periods = [str(p) for p in periods]
    n = len(periods)
    step = next(s for limit, s in _MONTH_STEPS if n <= limit)
    ax.xaxis.set_major_locator(FixedLocator(list(range(n - 1, -1, -step))[::-1]))
    ax.xaxis.set_minor_locator(FixedLocator(list(range(n))))

    def label(x: float, pos: int | None = None) -> str:
        i = int(round(x))
        if abs(x - i) > 1e-6 or not 0 <= i < n:
            return ""
        return format_month(periods[i], lang, short=True)

    ax.xaxis.set_major_formatter(FuncFormatter(label))


#: Space between the title and the axes (points); more when a legend sits in between.
_TITLE_PAD, _TITLE_PAD_OVER_LEGEND = 10, 28


def new_figure(title: str | None = None, *, figsize: tuple[float, float] = FIGSIZE,
               legend_above: bool = False) -> tuple[Figure, Axes]:
    """An empty report figure (Agg canvas, tight layout) and its styled axes.

    With ``legend_above`` the title is raised to leave room for a legend placed just
    above the axes (right-aligned), so a long title never runs into it.
    """
    fig = Figure(figsize=figsize, dpi=DPI, layout="tight", facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    _style(ax)
    if title:
        pad = _TITLE_PAD_OVER_LEGEND if legend_above else _TITLE_PAD
        ax.set_title(title, loc="left", fontsize=12, fontweight="bold", color=_INK, pad=pad)
    return fig, ax


def _style(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(PALETTE["grey"])
    ax.tick_params(labelsize=9, colors=_INK)
    ax.set_axisbelow(True)


def _grid(ax: Axes, axis: str) -> None:
    ax.grid(axis=axis, color=_GRID, linewidth=0.8)


def _floats(values: Sequence[object]) -> np.ndarray:
    """Decimal/float/NA values as floats (NaN for missing), for drawing only."""
    return np.array([math.nan if is_missing(v) else float(v) for v in values], dtype=float)


def _signed_kind(kind: str) -> str:
    base, decimals = parse_kind(kind)
    if base in ("money", "money0", "money_compact", "signed_money"):
        return "signed_money"
    if base in ("percent", "signed_percent"):
        return "signed_percent"
    return "signed_number" if decimals is None else f"signed_number:{decimals}"


def _label(value: float, kind: str, lang: str) -> str:
    """A value label on a bar: compact, one decimal at most."""
    return format_ticks([value], kind, lang, max_decimals=1)[0]


def _wrap(text: object, width: int = 16, lines: int = 2) -> str:
    return "\n".join(textwrap.wrap(str(text), width=width, max_lines=lines,
                                   placeholder="…")) or ""


def _axis_word(kind: str, lang: str) -> str:
    base = parse_kind(kind)[0]
    if base in ("percent", "signed_percent", "signed_points"):
        return t("report.axis.share", lang)
    if base in ("money", "money0", "money_compact", "signed_money"):
        return t("report.axis.amount", lang)
    return t("report.axis.value", lang)


# --------------------------------------------------------------------------- waterfall


def _nice_floor(value: float, span: float) -> float:
    step = 10 ** math.floor(math.log10(span)) if span > 0 else 1.0
    return math.floor(value / step) * step


def waterfall(
    steps: pd.DataFrame,
    *,
    start: object,
    start_label: str | None = None,
    end_label: str | None = None,
    lang: str | None = None,
    title: str | None = None,
    kind: str = "money",
    label: str = "label",
    amount: str = "amount",
    value_label: str | None = None,
    zoom: bool = True,
) -> Figure:
    """From a start total to an end total through signed steps (budget → actual).

    ``steps`` has one row per step (``label``, signed ``amount``); the end total is
    ``start`` plus the steps. Increases and decreases have their own colour and a
    signed value label; totals are grey. With ``zoom`` the value axis starts just
    below the lowest level, so that variances of a few percent stay visible.
    """
    lang = lang or get_language()
    fig, ax = new_figure(title or t("report.chart.waterfall_title", lang), legend_above=True)
    amounts = _floats(steps[amount])
    if np.isnan(amounts).any():
        raise ValueError("waterfall steps must all have an amount")
    first = float(start)  # type: ignore[arg-type]
    levels = first + np.concatenate([[0.0], np.cumsum(amounts)])
    last = float(levels[-1])
    names = [start_label or t("report.chart.budget", lang), *steps[label],
             end_label or t("report.chart.actual", lang)]
    x = np.arange(len(names))
    bottoms = np.concatenate([[0.0], np.minimum(levels[:-1], levels[1:]), [0.0]])
    heights = np.concatenate([[first], np.abs(amounts), [last]])
    colours = ([PALETTE["grey"]]
               + [PALETTE["vermillion"] if a > 0 else PALETTE["blue"] for a in amounts]
               + [PALETTE["grey"]])
    ax.bar(x, heights, bottom=bottoms, color=colours, width=0.6, zorder=2)
    for i, level in enumerate(levels):  # connectors between consecutive bars
        ax.plot([i + 0.3, i + 0.7], [level, level], color=PALETTE["grey"], linewidth=0.8)
    signed = _signed_kind(kind)
    start_text, end_text = format_ticks([first, last], kind, lang, max_decimals=2)
    texts = [start_text] + [_label(a, signed, lang) for a in amounts] + [end_text]
    tops = np.concatenate([[first], np.maximum(levels[:-1], levels[1:]), [last]])
    for i, text in enumerate(texts):
        down = 0 < i < len(texts) - 1 and amounts[i - 1] < 0
        y = bottoms[i] if down else tops[i]
        ax.annotate(text, (x[i], y), xytext=(0, -3 if down else 3), textcoords="offset points",
                    ha="center", va="top" if down else "bottom", fontsize=8.5, color=_INK)
    ax.set_xticks(x, [_wrap(n, lines=3) for n in names])  # category names in full
    if len(names) > 7:
        ax.tick_params(axis="x", labelrotation=30)
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("right")
    _value_axis(ax.yaxis, kind, lang)
    ax.set_ylabel(value_label or _axis_word(kind, lang))
    _grid(ax, "y")
    low, high = float(levels.min()), float(levels.max())
    if zoom and low > 0:
        span = high - low or high
        ax.set_ylim(bottom=max(0.0, _nice_floor(low - 0.6 * span, span)), top=high + 0.12 * span)
    ax.legend(handles=_legend_patches(lang), loc="lower right", bbox_to_anchor=(1.0, 1.0),
              ncols=2, fontsize=8.5, frameon=False)
    return fig


def _legend_patches(lang: str) -> list:
    from matplotlib.patches import Patch

    return [Patch(color=PALETTE["vermillion"], label=t("report.chart.increase", lang)),
            Patch(color=PALETTE["blue"], label=t("report.chart.decrease", lang))]


# --------------------------------------------------------------------------- trend


def trend(
    df: pd.DataFrame,
    *,
    lang: str | None = None,
    title: str | None = None,
    kind: str = "money",
    provisional: bool = False,
    period: str = "period",
    actual: str = "actual",
    budget: str | None = "budget",
    actual_label: str | None = None,
    budget_label: str | None = None,
    value_label: str | None = None,
) -> Figure:
    """A monthly line (e.g. 24 months of actual cost) with its budget line if present.

    ``df`` has one row per ``period`` (``YYYY-MM``, in order). With ``provisional`` the
    last month is not closed: its segment is dashed and its point hollow and labelled
    « provisoire ».
    """
    lang = lang or get_language()
    fig, ax = new_figure(title or t("report.chart.trend_title", lang))
    x = np.arange(len(df))
    values = _floats(df[actual])
    colour = PALETTE["blue"]
    closed = len(df) - 1 if provisional and len(df) > 1 else len(df)
    ax.plot(x[:closed], values[:closed], color=colour, linewidth=2, marker="o", markersize=3.5,
            label=actual_label or t("report.chart.actual", lang), zorder=3)
    if budget and budget in df.columns:
        ax.plot(x, _floats(df[budget]), color=PALETTE["orange"], linewidth=1.6, linestyle="--",
                label=budget_label or t("report.chart.budget", lang), zorder=2)
    if closed < len(df):
        word = t("report.provisional", lang)
        ax.plot(x[-2:], values[-2:], color=colour, linewidth=2, linestyle=":", zorder=3)
        ax.plot(x[-1:], values[-1:], linestyle="none", marker="o", markersize=7,
                markerfacecolor="white", markeredgecolor=colour, markeredgewidth=2, zorder=4)
        ax.annotate(word, (x[-1], values[-1]), xytext=(0, 8), textcoords="offset points",
                    ha="center", va="bottom", fontsize=8.5, color=PALETTE["grey"],
                    style="italic")
    month_axis(ax, list(df[period]), lang)
    ax.set_xlim(-0.5, len(df) - 0.5)
    _value_axis(ax.yaxis, kind, lang)
    ax.set_xlabel(t("report.axis.month", lang))
    ax.set_ylabel(value_label or _axis_word(kind, lang))
    _grid(ax, "y")
    ax.legend(loc="best", fontsize=8.5, frameon=False)
    return fig


# --------------------------------------------------------------------------- bars


def bars(
    df: pd.DataFrame,
    *,
    kind: str = "money",
    lang: str | None = None,
    horizontal: bool = True,
    title: str | None = None,
    label: str = "label",
    value: str = "value",
    value_label: str | None = None,
    category_label: str | None = None,
    colours: Mapping[object, str] | None = None,
) -> Figure:
    """One bar per row (back office vs front office, cost per FTE by department...).

    Bars keep the frame's order (top to bottom when horizontal) and carry their value
    label; a missing value has no bar and the label "n/a". ``colours`` may give a
    palette name or colour per label (default: all blue).
    """
    lang = lang or get_language()
    n = len(df)
    height = max(FIGSIZE[1], 0.38 * n + 1.4) if horizontal else FIGSIZE[1]
    name = title or value_label or _axis_word(kind, lang)
    fig, ax = new_figure(name, figsize=(FIGSIZE[0], height))
    values = _floats(df[value])
    labels = list(df[label])
    palette = colours or {}
    colour = [PALETTE.get(palette.get(lb, "blue"), palette.get(lb, "blue")) for lb in labels]
    pos = np.arange(n)
    drawn = np.nan_to_num(values)
    texts = format_ticks([None if np.isnan(v) else v for v in values], kind, lang, max_decimals=1)
    if horizontal:
        ax.barh(pos, drawn, color=colour, height=0.6, zorder=2)
        ax.set_yticks(pos, [_wrap(lb, 28) for lb in labels])
        ax.invert_yaxis()
        _value_axis(ax.xaxis, kind, lang)
        ax.set_xlabel(value_label or _axis_word(kind, lang))
        if category_label:
            ax.set_ylabel(category_label)
        _grid(ax, "x")
        for i, text in enumerate(texts):
            ax.annotate(text, (drawn[i], pos[i]), xytext=(4 if drawn[i] >= 0 else -4, 0),
                        textcoords="offset points", va="center",
                        ha="left" if drawn[i] >= 0 else "right", fontsize=8.5, color=_INK)
        ax.margins(x=0.12)
    else:
        ax.bar(pos, drawn, color=colour, width=0.6, zorder=2)
        ax.set_xticks(pos, [_wrap(lb) for lb in labels])
        _value_axis(ax.yaxis, kind, lang)
        ax.set_ylabel(value_label or _axis_word(kind, lang))
        if category_label:
            ax.set_xlabel(category_label)
        _grid(ax, "y")
        for i, text in enumerate(texts):
            ax.annotate(text, (pos[i], drawn[i]), xytext=(0, 3 if drawn[i] >= 0 else -3),
                        textcoords="offset points", ha="center",
                        va="bottom" if drawn[i] >= 0 else "top", fontsize=8.5, color=_INK)
        ax.margins(y=0.12)
    return fig


def stacked_bars(
    df: pd.DataFrame,
    *,
    series: Sequence[str],
    kind: str = "money",
    lang: str | None = None,
    title: str | None = None,
    label: str = "label",
    series_labels: Mapping[str, str] | None = None,
    value_label: str | None = None,
    category_label: str | None = None,
) -> Figure:
    """Vertical bars stacked by ``series`` columns (e.g. cost by category per month).

    When ``label`` is ``period`` the x axis shows months (« oct. 2026 »). Values should
    be non-negative: a stack of signed values does not read well.
    """
    lang = lang or get_language()
    fig, ax = new_figure(title or value_label or _axis_word(kind, lang))
    pos = np.arange(len(df))
    bottom = np.zeros(len(df))
    names = dict(series_labels or {})
    for i, col in enumerate(series):
        values = np.nan_to_num(_floats(df[col]))
        ax.bar(pos, values, bottom=bottom, width=0.65, zorder=2,
               color=PALETTE[_SERIES[i % len(_SERIES)]], label=names.get(col, str(col)))
        bottom = bottom + values
    if label == "period":
        month_axis(ax, list(df[label]), lang)
        ax.set_xlabel(category_label or t("report.axis.month", lang))
    else:
        ax.set_xticks(pos, [_wrap(lb) for lb in df[label]])
        if category_label:
            ax.set_xlabel(category_label)
    _value_axis(ax.yaxis, kind, lang)
    ax.set_ylabel(value_label or _axis_word(kind, lang))
    _grid(ax, "y")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8.5, frameon=False)
    return fig


# --------------------------------------------------------------------------- pareto


def pareto(
    df: pd.DataFrame,
    *,
    lang: str | None = None,
    title: str | None = None,
    kind: str = "money",
    label: str = "vendor",
    value: str = "spend",
    cum_share: str = "cum_share",
    threshold: float = 0.8,
    value_label: str | None = None,
    category_label: str | None = None,
) -> Figure:
    """Bars of spend by vendor (largest first) and the cumulative share on a % axis.

    ``df`` is ready-made: sorted, with ``cum_share`` as a fraction (0.8 = 80 %). A
    dashed line marks ``threshold`` (80 % by default).
    """
    lang = lang or get_language()
    fig, ax = new_figure(title or t("report.chart.pareto_title", lang), legend_above=True)
    pos = np.arange(len(df))
    ax.bar(pos, np.nan_to_num(_floats(df[value])), color=PALETTE["blue"], width=0.65, zorder=2,
           label=value_label or _axis_word(kind, lang))
    _value_axis(ax.yaxis, kind, lang)
    ax.set_ylabel(value_label or _axis_word(kind, lang))
    ax.set_xticks(pos, [_wrap(lb, 14) for lb in df[label]])
    if len(df) > 8:
        ax.tick_params(axis="x", labelrotation=45)
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("right")
    if category_label:
        ax.set_xlabel(category_label)
    _grid(ax, "y")
    share = ax.twinx()
    share.spines["top"].set_visible(False)
    share.tick_params(labelsize=9, colors=_INK)
    share.plot(pos, _floats(df[cum_share]), color=PALETTE["vermillion"], marker="o",
               markersize=3.5, linewidth=1.8, label=t("report.axis.cum_share", lang), zorder=3)
    share.set_ylim(0, 1.05)
    share.yaxis.set_major_locator(FixedLocator([0, 0.2, 0.4, 0.6, 0.8, 1.0]))
    share.yaxis.set_major_formatter(axis_formatter("percent", lang))
    share.set_ylabel(t("report.axis.cum_share", lang))
    threshold_text = t("report.chart.threshold", lang,
                       share=format_ticks([threshold], "percent", lang)[0])
    share.axhline(threshold, color=PALETTE["grey"], linestyle="--", linewidth=1)
    share.annotate(threshold_text, (1, threshold), xycoords=("axes fraction", "data"),
                   xytext=(-4, -3), textcoords="offset points", ha="right", va="top",
                   fontsize=8.5, color=PALETTE["grey"])
    handles = ax.get_legend_handles_labels()[0] + share.get_legend_handles_labels()[0]
    share.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=2,
                 fontsize=8.5, frameon=False)
    return fig
