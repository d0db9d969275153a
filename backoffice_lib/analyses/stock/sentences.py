"""Short commentaries of the stock report, written from the figures in the language in
force. They only use figures the report shows, and say when a table is missing."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ... import stock
from ...i18n import t
from ...i18n.formatting import format_month, format_value, is_missing
from .inputs import StockInputs

__all__ = ["accuracy_sentence", "dormant_sentence", "service_sentence", "shrinkage_sentence",
           "summary_sentence"]


def summary_sentence(headline: Mapping[str, object], d: StockInputs) -> str:
    """« Fin octobre 2026, le stock vaut 947 130 € (935 couples article-dépôt en stock).
    Sur 12 mois, il a tourné 8,6 fois par an : 42 jours de consommation. »"""
    text = t("stock.summary.month", month=format_month(d.period),
             value=format_value(headline["stock_value"], "money0"),
             pairs=format_value(headline["pairs_in_stock"], "int"))
    if headline["turns_r12"] is not None:
        text += " " + t("stock.summary.turnover",
                        turns=format_value(headline["turns_r12"], "number:1"),
                        days=format_value(headline["dio_r12"], "number:0"))
    if d.warehouse_filter is not None:
        text += " " + t("stock.summary.scope", warehouses=", ".join(d.warehouse_filter))
    return text


def service_sentence(service: pd.DataFrame, d: StockInputs) -> str:
    """The month's fill rate and stockouts, or why the fill rate is missing."""
    month = service.iloc[-1]
    stockouts = t("stock.service.stockouts", rate=format_value(month["stockout_rate"],
                                                               "percent"))
    if d.order_lines is None:
        return t("stock.service.no_orders") + " " + stockouts
    if is_missing(month["unit_fill"]):
        return t("stock.service.no_lines", month=format_month(d.period)) + " " + stockouts
    return t("stock.service.month", month=format_month(d.period),
             unit=format_value(month["unit_fill"], "percent"),
             line=format_value(month["line_fill"], "percent"),
             order=format_value(month["order_fill"], "percent")) + " " + stockouts


def dormant_sentence(summary: pd.DataFrame, d: StockInputs) -> str:
    """« Sans sortie depuis plus de 180 jours : 107 couple(s) article-dépôt pour 53 332 €
    (5,6 % du stock), dont 73 sans sortie depuis plus de 365 jours (42 243 €). »"""
    rows = summary.set_index("status")
    slow, dead = rows.loc["slow"], rows.loc["dead"]
    pairs = int(slow["pairs"] + dead["pairs"])
    if pairs == 0:
        return t("stock.dormant.none", days=format_value(d.slow_mover_days, "int"))
    shares = rows.loc[["slow", "dead"], "share"]
    return t("stock.dormant.summary", pairs=format_value(pairs, "int"),
             days=format_value(d.slow_mover_days, "int"),
             value=format_value(slow["stock_value"] + dead["stock_value"], "money0"),
             share=format_value(None if shares.isna().all() else shares.sum(), "percent"),
             dead=format_value(dead["pairs"], "int"),
             dead_days=format_value(d.dead_stock_days, "int"),
             dead_value=format_value(dead["stock_value"], "money0"))


def shrinkage_sentence(shrink: pd.DataFrame, d: StockInputs) -> str:
    """The 12 months' shrinkage at cost, its rate on the average stock and its two parts:
    losses and net count differences."""
    r12 = shrink[shrink["window"] == "r12"].iloc[0]
    return t("stock.shrinkage.summary", value=format_value(r12["shrink_value"], "money0"),
             rate=format_value(r12["shrink_rate"], "percent:2"),
             loss=format_value(r12["loss_value"], "money0"),
             count=format_value(r12["count_loss_value"] - r12["count_gain_value"], "money0"))


def accuracy_sentence(accuracy: pd.DataFrame, d: StockInputs) -> str:
    """The month's record accuracy against the 95 % target, or why it is missing."""
    if d.cycle_counts is None:
        return t("stock.accuracy.unavailable")
    total = accuracy[accuracy["abc"] == "TOTAL"].iloc[0]
    target = format_value(stock.IRA_TARGET, "percent:0")
    if is_missing(total["ira"]):
        return t("stock.accuracy.no_counts", month=format_month(d.period))
    key = "stock.accuracy.on_target" if total["ira"] >= stock.IRA_TARGET \
        else "stock.accuracy.below_target"
    return t(key, lines=format_value(total["count_lines"], "int"),
             rate=format_value(total["ira"], "percent"), target=target,
             rate_r12=format_value(total["ira_r12"], "percent"))
