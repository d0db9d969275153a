"""The tables of the stock report, ready for ``show_table(**spec)``.

Each function turns a frame of :mod:`.kpis` into the keyword arguments of
:func:`backoffice_lib.report.display.show_table` (headers and sheet names from the
``stock`` catalogue). Codes (coverage bands, statuses, ABC classes, ``TOTAL``) become
catalogue labels; item descriptions and categories are shown as the data gives them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ... import stock
from ...i18n import t
from ...i18n.formatting import format_month, format_value
from ...money import to_cents
from ..table_specs import code_labels, table_spec
from .inputs import DEMAND_DAYS, LEAD_DAYS, StockInputs

__all__ = ["abc_table", "accuracy_table", "coverage_table", "dormant_items_table",
           "dormant_table", "service_table", "shrinkage_table", "turnover_table",
           "value_table"]

_ANALYSIS = "stock"


def _spec(df: pd.DataFrame, key: str, title: str, formats: dict[str, str],
          **extra: Any) -> dict[str, Any]:
    return table_spec(_ANALYSIS, df, key, title, formats, **extra)


def _labels(values: pd.Series, prefix: str) -> pd.Series:
    """Codes → catalogue labels (``TOTAL`` → « Ensemble »), as text."""
    return code_labels(values, prefix).astype("str")


def _valuation_note() -> str:
    return t("stock.valuation.footnote")


def value_table(trend: pd.DataFrame, d: StockInputs) -> dict[str, Any]:
    """Month-end stock value, consumption at cost and DIO by month."""
    df = trend[["period", "stock_value", "consumption", "dio", "pairs_in_stock"]]
    formats = {"period": "month", "stock_value": "money0", "consumption": "money0",
               "dio": "number:0", "pairs_in_stock": "int"}
    return _spec(df, "value", t("stock.table.value"), formats,
                 footnotes=[_valuation_note(), t("stock.value.dio_footnote")])


def turnover_table(table: pd.DataFrame, d: StockInputs) -> dict[str, Any]:
    """Stock value, consumption, turnover and DIO over 12 months by item category."""
    df = table[["category", "stock_value", "value_share", "consumption", "avg_inventory",
                "turns", "dio"]].assign(category=_labels(table["category"], "stock.code"))
    formats = {"category": "text", "stock_value": "money0", "value_share": "percent",
               "consumption": "money0", "avg_inventory": "money0", "turns": "number:1",
               "dio": "number:0"}
    return _spec(df, "turnover",
                 t("stock.table.turnover", month=format_month(d.period)), formats,
                 footnotes=[t("stock.turnover.footnote")])


def service_table(service: pd.DataFrame, d: StockInputs) -> dict[str, Any]:
    """Fill rates and stockout rates by month; without order lines, stockouts only."""
    df = service[["period", "lines", "unit_fill", "line_fill", "order_fill",
                  "stockout_rate", "stockout_days_rate"]]
    notes = [t("stock.service.stockout_footnote", days=format_value(DEMAND_DAYS, "int"))]
    if d.order_lines is None:
        df = df.drop(columns=["lines", "unit_fill", "line_fill", "order_fill"])
        notes.insert(0, t("stock.service.no_orders"))
    else:
        notes.insert(0, t("stock.service.fill_footnote", days=format_value(LEAD_DAYS, "int")))
    formats = {"period": "month", "lines": "int", "unit_fill": "percent",
               "line_fill": "percent", "order_fill": "percent", "stockout_rate": "percent",
               "stockout_days_rate": "percent"}
    return _spec(df, "service", t("stock.table.service"),
                 {k: v for k, v in formats.items() if k in df.columns}, footnotes=notes)


def coverage_table(coverage: pd.DataFrame, d: StockInputs) -> dict[str, Any]:
    """Sku-warehouses and stock value by coverage band at the end of the period."""
    df = coverage[["band", "pairs", "stock_value", "value_share"]].assign(
        band=_labels(coverage["band"], "stock.band"))
    return _spec(df, "coverage", t("stock.table.coverage", month=format_month(d.period)),
                 {"band": "text", "pairs": "int", "stock_value": "money0",
                  "value_share": "percent"}, total_row=True,
                 footnotes=[t("stock.coverage.footnote", days=format_value(DEMAND_DAYS, "int"))])


def dormant_table(summary: pd.DataFrame, d: StockInputs) -> dict[str, Any]:
    """Sku-warehouses in stock and their value by status: active, slow, dead, new."""
    days = {"slow": format_value(d.slow_mover_days, "int"),
            "dead": format_value(d.dead_stock_days, "int")}
    status = summary["status"].map(lambda s: t(f"stock.status.{s}", **days)).astype("str")
    df = pd.DataFrame({"status": status, "pairs": summary["pairs"],
                       "stock_value": summary["stock_value"],
                       "value_share": summary["share"]})
    return _spec(df, "dormant", t("stock.table.dormant", month=format_month(d.period)),
                 {"status": "text", "pairs": "int", "stock_value": "money0",
                  "value_share": "percent"}, total_row=True,
                 footnotes=[t("stock.dormant.footnote")])


def dormant_items_table(pairs: pd.DataFrame, d: StockInputs, top: int = 15) -> dict[str, Any]:
    """The ``top`` slow and dead sku-warehouses by value (the rest are in the export)."""
    rows = pairs[pairs["status"].isin(["slow", "dead"])].reset_index(drop=True)
    df = rows[["sku", "description", "category", "warehouse", "qty_on_hand", "stock_value",
               "last_issue", "days_since_issue"]].assign(
        status=_labels(rows["status"], "stock.status_short"))
    formats = {"sku": "text", "description": "text", "category": "text",
               "warehouse": "text", "qty_on_hand": "number:0", "stock_value": "money0",
               "last_issue": "date", "days_since_issue": "int", "status": "text"}
    return _spec(df, "dormant_items",
                 t("stock.table.dormant_items", top=format_value(top, "int")), formats,
                 max_rows=top, footnotes=[t("stock.dormant.items_footnote")])


def abc_table(abc: pd.DataFrame, d: StockInputs) -> dict[str, Any]:
    """Items, consumption and stock value by ABC class, with the month's class changes."""
    df = abc.assign(abc=_labels(abc["abc"], "stock.code"))
    formats = {"abc": "text", "items": "int", "consumption": "money0",
               "consumption_share": "percent", "stock_value": "money0",
               "value_share": "percent", "changed": "int"}
    return _spec(df, "abc", t("stock.table.abc", month=format_month(d.period)), formats,
                 footnotes=[t("stock.abc.footnote")])


def shrinkage_table(shrink: pd.DataFrame, d: StockInputs) -> dict[str, Any]:
    """Stock lost through adjustments, month and 12 months, with its rate; other
    adjustments only when there are some."""
    window = shrink.apply(lambda r: t(f"stock.window.{r['window']}",
                                      month=format_month(r["end"]),
                                      start=format_month(r["start"], short=True),
                                      end=format_month(r["end"], short=True)), axis=1)
    df = shrink[["loss_value", "count_loss_value", "count_gain_value", "shrink_value",
                 "other_value", "shrink_rate"]].copy()
    df.insert(0, "window", window.astype("str"))
    if (to_cents(df["other_value"]) == 0).all():
        df = df.drop(columns="other_value")
    formats = {"window": "text", "loss_value": "money0", "count_loss_value": "money0",
               "count_gain_value": "money0", "shrink_value": "money0",
               "other_value": "money0", "shrink_rate": "percent:2"}
    return _spec(df, "shrinkage", t("stock.table.shrinkage"),
                 {k: v for k, v in formats.items() if k in df.columns},
                 footnotes=[t("stock.shrinkage.footnote")])


def accuracy_table(accuracy: pd.DataFrame, d: StockInputs) -> dict[str, Any]:
    """Record accuracy by ABC class (with its tolerance) for the month and 12 months."""
    tolerance = {c: format_value(stock.TOLERANCES[c], "percent:0") for c in stock.ABC_CLASSES}
    label = accuracy["abc"].map(lambda c: t("stock.code.class_tolerance", abc=c,
                                            tolerance=tolerance[c]) if c in tolerance
                                else t(f"stock.code.{c}"))
    df = accuracy[["count_lines", "ira", "value_accuracy", "count_lines_r12", "ira_r12",
                   "value_accuracy_r12"]].copy()
    df.insert(0, "abc", label.astype("str"))
    formats = {"abc": "text", "count_lines": "int", "ira": "percent",
               "value_accuracy": "percent", "count_lines_r12": "int", "ira_r12": "percent",
               "value_accuracy_r12": "percent"}
    return _spec(df, "accuracy", t("stock.table.accuracy", month=format_month(d.period)),
                 formats, footnotes=[t("stock.accuracy.footnote", target=format_value(
                     stock.IRA_TARGET, "percent:0"))])
