"""The charts of the headcount report (matplotlib figures from :mod:`backoffice_lib.report.charts`).

Hidden months or bands (privacy) are simply not drawn; titles and legends come from the
``headcount`` catalogue in the language in force.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ...i18n import t
from ...i18n.formatting import format_month
from ...report import charts
from ..sections import month_span
from ..table_specs import code_labels
from .inputs import HeadcountInputs

__all__ = ["absence_chart", "tenure_chart", "turnover_chart", "workforce_chart"]


def workforce_chart(trend: pd.DataFrame) -> Figure:
    """Month-end headcount (persons) and FTE per month."""
    return charts.trend(trend, kind="number:0", actual="headcount", budget="fte",
                        actual_label=t("headcount.chart.headcount"),
                        budget_label=t("headcount.chart.fte"),
                        title=t("headcount.chart.workforce_title", **month_span(trend["period"])),
                        value_label=t("headcount.chart.people_axis"))


def turnover_chart(turnover: pd.DataFrame) -> Figure:
    """Monthly turnover rate, all leavers, with the permanent-contracts-only rate."""
    return charts.trend(turnover, kind="percent", actual="turnover", budget="permanent",
                        actual_label=t("headcount.chart.turnover_all"),
                        budget_label=t("headcount.chart.turnover_permanent"),
                        title=t("headcount.chart.turnover_title", **month_span(turnover["period"])),
                        value_label=t("headcount.chart.rate_axis"))


def absence_chart(absence: pd.DataFrame) -> Figure:
    """Monthly absenteeism rate (in-scope absence days over planned working days)."""
    return charts.trend(absence, kind="percent", actual="absence_rate", budget=None,
                        actual_label=t("headcount.chart.absence_rate"),
                        title=t("headcount.chart.absence_title", **month_span(absence["period"])),
                        value_label=t("headcount.chart.rate_axis"))


def tenure_chart(tenure: pd.DataFrame, d: HeadcountInputs) -> Figure:
    """People at month end by tenure band (a hidden band has no bar)."""
    frame = pd.DataFrame({"label": code_labels(tenure["band"], "headcount.band"),
                          "value": tenure["headcount"].astype("Float64")})
    return charts.bars(frame, kind="int", horizontal=False,
                       title=t("headcount.chart.tenure_title", month=format_month(d.period)),
                       value_label=t("headcount.chart.people_axis"),
                       category_label=t("headcount.chart.tenure_axis"))
