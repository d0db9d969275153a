"""The charts of the stock report (matplotlib figures from :mod:`backoffice_lib.report.charts`).

Three charts: the month-end stock value against the month's consumption, days of
inventory by item category, and the service level by month. Titles and legends come
from the ``stock`` catalogue in the language in force.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ...i18n import t
from ...i18n.formatting import format_month
from ...report import charts
from ..sections import month_span
from ..table_specs import code_labels
from .inputs import StockInputs

__all__ = ["dio_chart", "service_chart", "value_chart"]


def value_chart(trend: pd.DataFrame) -> Figure:
    """Month-end stock value and the month's consumption at cost (EUR)."""
    return charts.trend(trend, kind="money", actual="stock_value", budget="consumption",
                        actual_label=t("stock.chart.stock_value"),
                        budget_label=t("stock.chart.consumption"),
                        title=t("stock.chart.value_title", **month_span(trend["period"])),
                        value_label=t("stock.chart.money_axis"))


def dio_chart(table: pd.DataFrame, d: StockInputs) -> Figure:
    """Days of inventory over 12 months by item category, the scope's last."""
    frame = pd.DataFrame({"label": code_labels(table["category"], "stock.code"),
                          "value": table["dio"].astype("float64")})
    colours = {label: "grey" for label in frame["label"].iloc[-1:]}
    return charts.bars(frame, kind="number:0", colours=colours,
                       title=t("stock.chart.dio_title", month=format_month(d.period)),
                       value_label=t("stock.chart.days_axis"),
                       category_label=t("stock.chart.category_axis"))


def service_chart(service: pd.DataFrame, d: StockInputs) -> Figure:
    """Unit fill rate with the line fill rate by month; without order lines, the share of
    active sku-warehouses out of stock at month end."""
    if d.order_lines is None:
        return charts.trend(service, kind="percent", actual="stockout_rate", budget=None,
                            actual_label=t("stock.chart.stockout_rate"),
                            title=t("stock.chart.stockout_title", **month_span(service["period"])),
                            value_label=t("stock.chart.rate_axis"))
    return charts.trend(service, kind="percent", actual="unit_fill", budget="line_fill",
                        actual_label=t("stock.chart.unit_fill"),
                        budget_label=t("stock.chart.line_fill"),
                        title=t("stock.chart.service_title", **month_span(service["period"])),
                        value_label=t("stock.chart.rate_axis"))
