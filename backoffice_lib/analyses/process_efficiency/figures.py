"""The charts of the process-efficiency report (matplotlib figures from
:mod:`backoffice_lib.report.charts`): three, each drawn once by the notebook (the
statutory overdue table reads better as a table than as four bars).

Titles, axis labels and legends come from the ``process_efficiency`` catalogue in the
language in force.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ...i18n import t
from ...i18n.formatting import format_month
from ...report import charts
from ..sections import month_span
from .inputs import ProcessInputs
from .kpis import TOTAL

__all__ = ["cycle_chart", "exceptions_chart", "service_chart"]

_ANALYSIS = "process_efficiency"


def cycle_chart(trend: pd.DataFrame) -> Figure:
    """Median and 90th percentile of the days from receipt to approval, by month."""
    return charts.trend(trend, kind="number:0", actual="median", budget="p90",
                        actual_label=t(f"{_ANALYSIS}.chart.median"),
                        budget_label=t(f"{_ANALYSIS}.chart.p90"),
                        title=t(f"{_ANALYSIS}.chart.cycle_title", **month_span(trend["period"])),
                        value_label=t(f"{_ANALYSIS}.chart.days_axis"))


def exceptions_chart(exceptions: pd.DataFrame, d: ProcessInputs) -> Figure:
    """Exceptions by reason over 12 months and their cumulative share (Pareto)."""
    return charts.pareto(exceptions, kind="int", label="exception_code", value="invoices",
                         cum_share="cum_share",
                         title=t(f"{_ANALYSIS}.chart.exceptions_title",
                                 month=format_month(d.period)),
                         value_label=t(f"{_ANALYSIS}.chart.invoices_axis"),
                         category_label=t(f"{_ANALYSIS}.chart.reason_axis"))


def service_chart(levels: pd.DataFrame, d: ProcessInputs) -> Figure:
    """Share of the month's tickets resolved within their target time, by team, all
    teams last (grey); a team with too few tickets has no bar."""
    all_teams = t(f"{_ANALYSIS}.total")
    frame = pd.DataFrame({
        "label": levels["team"].mask(levels["team"] == TOTAL, all_teams).astype("str"),
        "value": levels["sla_compliance"].astype("float64"),
    })
    return charts.bars(frame, kind="percent", colours={all_teams: "grey"},
                       title=t(f"{_ANALYSIS}.chart.sla_title", month=format_month(d.period)),
                       value_label=t(f"{_ANALYSIS}.chart.rate_axis"),
                       category_label=t(f"{_ANALYSIS}.chart.team_axis"))
