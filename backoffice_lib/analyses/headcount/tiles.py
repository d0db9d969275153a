"""Headline tiles of the headcount report: headcount, FTE, turnover, absenteeism, cost."""

from __future__ import annotations

from collections.abc import Mapping

from ...i18n import t
from ...i18n.formatting import format_month, format_value
from ...periods import shift_period
from ...report.tiles import Tile
from .inputs import HeadcountInputs

__all__ = ["headline_tiles"]


def _lower_is_better(change: object) -> bool | None:
    """A rate going down is favourable; no change (or unknown) is neutral."""
    if change is None or change == 0:
        return None
    return bool(change < 0)  # type: ignore[operator]


def headline_tiles(headline: Mapping[str, object], d: HeadcountInputs) -> list[Tile]:
    """Five tiles from :func:`.kpis.headline`, labels in the language in force.

    Keys (the KPI history and the index use them): ``headcount`` (persons at month end,
    vs the previous month), ``fte`` (FTE of the month), ``turnover_r12`` (sum of the 12
    monthly rates), ``absence_rate`` (the month, vs its 12-month rate, in points; lower
    is favourable) and ``payroll_cost_per_fte`` (EUR per FTE over 12 months). A figure
    hidden for privacy or that cannot be computed shows "n/a" with its reason.
    """
    previous = headline["headcount_previous"]
    count = headline["headcount"]
    hidden = t("headcount.tile.small_scope", k=d.min_group_size) \
        if headline["suppressed"] else None
    absence, absence_r12 = headline["absence_rate"], headline["absence_rate_r12"]
    absence_delta = None if absence is None or absence_r12 is None \
        else absence - absence_r12  # type: ignore[operator]
    ratio = headline["charge_ratio"]
    return [
        Tile("headcount", t("headcount.tile.headcount"), count, "int",
             delta=None if previous is None or count is None
             else count - previous,  # type: ignore[operator]
             delta_kind="signed_number:0",
             delta_label=t("headcount.tile.vs_month",
                           month=format_month(shift_period(d.period, -1))),
             footnote=hidden or t("headcount.tile.headcount_note")),
        Tile("fte", t("headcount.tile.fte"), headline["fte"], "number:1",
             footnote=hidden or t("headcount.tile.fte_note")),
        Tile("turnover_r12", t("headcount.tile.turnover"), headline["turnover_r12"],
             "percent", footnote=hidden or t(
                 "headcount.tile.turnover_note",
                 ytd=format_value(headline["turnover_ytd"], "percent"))),
        Tile("absence_rate", t("headcount.tile.absence"), absence, "percent",
             delta=absence_delta, delta_kind="signed_points",
             delta_label=t("headcount.tile.vs_r12",
                           rate=format_value(absence_r12, "percent")),
             favourable=_lower_is_better(absence_delta),
             footnote=hidden or (t("headcount.tile.no_absences") if d.absences is None
                                 else t("headcount.tile.absence_note"))),
        Tile("payroll_cost_per_fte", t("headcount.tile.cost_per_fte"),
             headline["cost_per_fte"], "money0",
             footnote=hidden or (t("headcount.tile.no_payroll") if d.payroll is None else t(
                 "headcount.tile.cost_per_fte_note",
                 ratio=format_value(ratio, "percent")))),
    ]
