"""Headline tiles of the cost report: total cost, vs budget, vs last year, back-office share."""

from __future__ import annotations

import pandas as pd

from ...i18n import t
from ...i18n.formatting import format_month, format_value, is_missing
from ...periods import shift_period
from ...report.tiles import Tile
from .inputs import CostInputs

__all__ = ["headline_tiles"]


def _row(headline: pd.DataFrame, kpi: str) -> tuple[object, str | None, bool]:
    """(value, reason, provisional) of one KPI of :func:`finance.headline`."""
    row = headline.set_index("kpi").loc[kpi]
    value = None if is_missing(row["value"]) else row["value"]
    reason = None if is_missing(row["reason"]) else str(row["reason"])
    return value, reason, bool(row["provisional"])


def _reason(reason: str | None) -> str | None:
    return None if reason is None else t(f"finance.reason.{reason}")


def _favourable(change: object) -> bool | None:
    """A cost going down is favourable; no change (or unknown) is neutral."""
    if change is None or change == 0:
        return None
    return bool(change < 0)  # type: ignore[operator]


def headline_tiles(headline: pd.DataFrame, d: CostInputs) -> list[Tile]:
    """Four tiles from :func:`finance.headline`, labels in the language in force.

    Keys (the KPI history and the index use them): ``total_cost`` (60–68, money),
    ``budget_variance`` (EUR, with its % of budget), ``yoy_pct`` (vs the same month last
    year) and ``bo_share`` (back-office share of operating cost, vs its R12 value, in
    points). A value that cannot be computed carries its reason as footnote.
    """
    total, total_reason, provisional = _row(headline, "total_cost")
    budget, _, _ = _row(headline, "budget")
    var, var_reason, _ = _row(headline, "budget_variance")
    var_pct, _, _ = _row(headline, "budget_variance_pct")
    yoy, yoy_reason, _ = _row(headline, "yoy_pct")
    share, share_reason, _ = _row(headline, "bo_share")
    share_r12, _, _ = _row(headline, "bo_share_r12")
    last_year = format_month(shift_period(d.period, -12))
    return [
        Tile("total_cost", t("costs.tile.total_cost"), total, "money0",
             footnote=_reason(total_reason) or t("costs.tile.total_cost_note"),
             provisional=provisional),
        Tile("budget_variance", t("costs.tile.vs_budget"), var, "signed_money",
             delta=var_pct, delta_kind="signed_percent",
             delta_label=t("costs.tile.of_budget", budget=format_value(budget, "money0")),
             favourable=_favourable(var), footnote=_reason(var_reason),
             provisional=provisional),
        Tile("yoy_pct", t("costs.tile.vs_last_year"), yoy, "signed_percent",
             favourable=_favourable(yoy),
             footnote=_reason(yoy_reason) or t("costs.tile.vs_month", month=last_year),
             provisional=provisional),
        Tile("bo_share", t("costs.tile.bo_share"), share, "percent",
             delta=None if share is None or share_r12 is None else share - share_r12,
             delta_kind="signed_points",
             delta_label=t("costs.tile.vs_r12", share=format_value(share_r12, "percent")),
             footnote=_reason(share_reason) or t("costs.tile.bo_share_note"),
             provisional=provisional),
    ]
