"""Headline tiles of the stock report: value, turnover, DIO, service, dormant stock, accuracy."""

from __future__ import annotations

from collections.abc import Mapping

from ... import stock
from ...i18n import t
from ...i18n.formatting import format_month, format_value
from ...periods import shift_period
from ...report.tiles import Tile
from .inputs import LEAD_DAYS, StockInputs

__all__ = ["headline_tiles"]


def _difference(value: object, base: object) -> object:
    return None if value is None or base is None else value - base  # type: ignore[operator]


def _higher_is_better(change: object) -> bool | None:
    """A rate going up is favourable; no change (or unknown) is neutral."""
    if change is None or change == 0:
        return None
    return bool(change > 0)  # type: ignore[operator]


def _reason(reason: object) -> str | None:
    return None if reason is None else t(f"stock.reason.{reason}")


def _accuracy_note(ira: object, d: StockInputs) -> str:
    if d.cycle_counts is None:
        return t("stock.tile.no_counts")
    return t("stock.tile.no_count_month") if ira is None else t("stock.tile.accuracy_note")


def headline_tiles(headline: Mapping[str, object], d: StockInputs) -> list[Tile]:
    """Seven tiles from :func:`.kpis.headline`, labels in the language in force.

    Keys (the KPI history and the index use them): ``stock_value`` (EUR at month end,
    vs the previous month end, neutral), ``inventory_turns`` (turns over 12 months, S1),
    ``dio`` (days over 12 months, S2), ``fill_rate`` (unit fill of the month vs 12
    months, in points; higher is favourable, S4), ``stockout_rate`` (active
    sku-warehouses out of stock at month end, S5), ``dormant_stock_value`` (slow and dead
    stock, EUR, S6) and ``record_accuracy`` (IRA of the month's counts vs the 95 %
    target, S11). A figure that cannot be computed shows "n/a" with its reason.
    """
    value, previous = headline["stock_value"], headline["stock_value_previous"]
    fill, fill_r12 = headline["fill_rate"], headline["fill_rate_r12"]
    fill_delta = _difference(fill, fill_r12)
    ira = headline["record_accuracy"]
    ira_delta = _difference(ira, None if ira is None else stock.IRA_TARGET)
    return [
        Tile("stock_value", t("stock.tile.stock_value"), value, "money0",
             delta=_difference(value, previous), delta_kind="signed_money",
             delta_label=t("stock.tile.vs_month",
                           month=format_month(shift_period(d.period, -1))),
             footnote=t("stock.tile.stock_value_note")),
        Tile("inventory_turns", t("stock.tile.turns"), headline["turns_r12"], "number:1",
             footnote=_reason(headline["turns_reason"]) or t(
                 "stock.tile.turns_note",
                 consumption=format_value(headline["consumption_r12"], "money_compact"))),
        Tile("dio", t("stock.tile.dio"), headline["dio_r12"], "number:0",
             footnote=_reason(headline["dio_reason"]) or t("stock.tile.dio_note")),
        Tile("fill_rate", t("stock.tile.fill_rate"), fill, "percent",
             delta=fill_delta, delta_kind="signed_points",
             delta_label=t("stock.tile.vs_r12", rate=format_value(fill_r12, "percent")),
             favourable=_higher_is_better(fill_delta),
             footnote=t("stock.tile.no_orders") if d.order_lines is None
             else t("stock.tile.fill_rate_note", days=format_value(LEAD_DAYS, "int"))),
        Tile("stockout_rate", t("stock.tile.stockout_rate"), headline["stockout_rate"],
             "percent", footnote=t(
                 "stock.tile.stockout_note",
                 rate=format_value(headline["stockout_days_rate"], "percent"))),
        Tile("dormant_stock_value", t("stock.tile.dormant"), headline["dormant_value"],
             "money0", footnote=t(
                 "stock.tile.dormant_note", days=format_value(d.slow_mover_days, "int"),
                 share=format_value(headline["dormant_share"], "percent"),
                 dead=format_value(headline["dead_value"], "money0"),
                 dead_days=format_value(d.dead_stock_days, "int"))),
        Tile("record_accuracy", t("stock.tile.accuracy"), ira, "percent",
             delta=ira_delta, delta_kind="signed_points",
             delta_label=t("stock.tile.vs_target",
                           target=format_value(stock.IRA_TARGET, "percent:0")),
             favourable=None if ira is None else bool(ira >= stock.IRA_TARGET),  # type: ignore[operator]
             footnote=_accuracy_note(ira, d)),
    ]
