"""The charts of the cost report (matplotlib figures from :mod:`backoffice_lib.report.charts`).

Titles, axis labels and legends come from the catalogues in the language in force; the
value axes are money (compact euros, thousands separators) or percentages.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ... import finance
from ...i18n import t
from ...i18n.formatting import format_month
from ...money import to_cents
from ...report import charts
from ..sections import month_span
from .inputs import CostInputs
from .tables import _labels

__all__ = ["cost_per_fte_chart", "offices_chart", "pareto_chart", "trend_chart",
           "waterfall_chart"]


def waterfall_chart(bva: pd.DataFrame, d: CostInputs) -> Figure:
    """Budget → one step per category variance → actual (:func:`finance.budget_waterfall`)."""
    steps = finance.budget_waterfall(bva)
    moves = steps[steps["kind"] == "variance"]
    frame = pd.DataFrame({"label": _labels(moves["category"], "finance.category"),
                          "amount": moves["amount"]})
    start = steps.loc[steps["kind"] == "budget", "amount"].iloc[0]
    return charts.waterfall(frame, start=start, kind="money",
                            title=t("costs.chart.waterfall_title", month=format_month(d.period)),
                            value_label=t("costs.chart.cost_axis"))


def trend_chart(trend: pd.DataFrame) -> Figure:
    """Monthly class-6 cost with the budget line (the last month dashed if provisional)."""
    return charts.trend(trend, title=t("costs.chart.trend_title", **month_span(trend["period"])),
                        provisional=bool(trend["provisional"].iloc[-1]),
                        value_label=t("costs.chart.cost_axis"))


def offices_chart(offices: pd.DataFrame) -> Figure:
    """Operating cost by month stacked by office (back, front, other, unclassified)."""
    series = ["back", "front", "other"]
    if to_cents(offices["unclassified"]).fillna(0).abs().sum() > 0:
        series.append("unclassified")
    labels = {office: t(f"finance.office.{office}") for office in series}
    return charts.stacked_bars(offices, series=series, label="period", series_labels=labels,
                               title=t("costs.chart.offices_title",
                                       **month_span(offices["period"])),
                               value_label=t("costs.chart.cost_axis"))


def cost_per_fte_chart(per_fte: pd.DataFrame, d: CostInputs) -> Figure:
    """Annual operating cost per FTE by department, highest first, the company last (grey);
    suppressed departments are left out of the chart."""
    shown = per_fte[~per_fte["suppressed"] & per_fte["cost_per_fte_annual"].notna()]
    body = shown[shown["department"] != "TOTAL"].sort_values(
        "cost_per_fte_annual", ascending=False, kind="stable")
    company = t("costs.chart.company")
    total = shown[shown["department"] == "TOTAL"].assign(department=company)
    frame = pd.concat([body, total], ignore_index=True)
    return charts.bars(frame, kind="money", label="department", value="cost_per_fte_annual",
                       title=t("costs.chart.cost_per_fte_title", month=format_month(d.period)),
                       value_label=t("costs.chart.cost_per_fte_axis"),
                       category_label=t("costs.chart.department_axis"),
                       colours={company: "grey"})


def pareto_chart(pareto: pd.DataFrame, d: CostInputs, top: int = 20) -> Figure:
    """The ``top`` vendors by spend over 12 months and the cumulative share of spend."""
    ranked = pareto[pareto["rank"].notna()].head(top)
    return charts.pareto(ranked, label="vendor_id", value="spend", cum_share="cum_share",
                         title=t("costs.chart.pareto_title", month=format_month(d.period),
                                 count=len(ranked)),
                         value_label=t("costs.chart.spend_axis"),
                         category_label=t("costs.chart.vendor_axis"))
