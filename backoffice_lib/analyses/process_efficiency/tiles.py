"""Headline tiles of the process-efficiency report: invoice cycle time, touchless and
exception rates, on-time payment, cost of late payment, DPO and service-desk SLA."""

from __future__ import annotations

from collections.abc import Mapping

from ...i18n import t
from ...i18n.formatting import format_month, format_value
from ...periods import shift_period
from ...process import RECOVERY_INDEMNITY
from ...report.tiles import Tile
from .inputs import ProcessInputs

__all__ = ["headline_tiles"]


def _favourable(change: object, lower_is_better: bool) -> bool | None:
    """Whether a change is favourable; no change (or unknown) is neutral."""
    if change is None or change == 0:
        return None
    return bool(change < 0) if lower_is_better else bool(change > 0)  # type: ignore[operator]


def _delta(value: object, base: object) -> object:
    return None if value is None or base is None else value - base  # type: ignore[operator]


def _rate_tile(key: str, label: str, value: object, r12: object, *, lower_is_better: bool,
               note: str) -> Tile:
    """A rate of the month with its change against the 12-month rate, in points."""
    change = _delta(value, r12)
    return Tile(key, label, value, "percent", delta=change, delta_kind="signed_points",
                delta_label=None if r12 is None else t("process_efficiency.tile.vs_r12",
                                                       rate=format_value(r12, "percent")),
                favourable=_favourable(change, lower_is_better), footnote=note)


def headline_tiles(headline: Mapping[str, object], d: ProcessInputs) -> list[Tile]:
    """Seven tiles from :func:`.kpis.headline`, labels in the language in force.

    Keys (the KPI history and the index use them): ``invoice_cycle_days`` (median days
    from receipt to approval, vs the previous month; lower is favourable),
    ``touchless_rate``, ``exception_rate`` and ``on_time_payment_rate`` (the month, vs
    the 12-month rate in points), ``late_payment_exposure`` (EUR: penalties and
    indemnities on the month's late payments), ``dpo`` (days over 12 months) and
    ``sla_compliance`` (the month, vs 12 months). A figure whose table is missing shows
    "n/a" and says so.
    """
    h = headline
    no_invoices = None if d.has_invoices else t("process_efficiency.tile.no_invoices")
    cycle, previous = h["cycle_days"], h["cycle_days_previous"]
    cycle_change = _delta(cycle, previous)
    cycle_note = no_invoices or t("process_efficiency.tile.cycle_note",
                                  mean=format_value(h["cycle_mean"], "number:1"),
                                  p90=format_value(h["cycle_p90"], "number:1"))
    exposure_note = no_invoices or t(
        "process_efficiency.tile.exposure_note",
        count=format_value(h["late_invoices"], "int"),
        rate=format_value(d.late_payment_rate, "percent:2"),
        indemnity=format_value(RECOVERY_INDEMNITY, "money0"))
    if h["dpo"] is None:
        dpo_note = t("process_efficiency.tile.no_dpo")
    else:
        dpo_note = t(f"process_efficiency.tile.dpo_{h['dpo_method']}")
    sla_note = t("process_efficiency.tile.no_tickets") if not d.has_tickets else t(
        "process_efficiency.tile.sla_note", backlog=format_value(h["backlog"], "int"),
        breached=format_value(h["sla_breached_open"], "int"))
    return [
        Tile("invoice_cycle_days", t("process_efficiency.tile.cycle"), cycle, "number:1",
             delta=cycle_change, delta_kind="signed_number:1",
             delta_label=None if previous is None else t(
                 "process_efficiency.tile.vs_month",
                 month=format_month(shift_period(d.period, -1))),
             favourable=_favourable(cycle_change, lower_is_better=True),
             footnote=cycle_note),
        _rate_tile("touchless_rate", t("process_efficiency.tile.touchless"),
                   h["touchless_rate"], h["touchless_rate_r12"], lower_is_better=False,
                   note=no_invoices or t("process_efficiency.tile.touchless_note")),
        _rate_tile("exception_rate", t("process_efficiency.tile.exception"),
                   h["exception_rate"], h["exception_rate_r12"], lower_is_better=True,
                   note=no_invoices or t("process_efficiency.tile.exception_note")),
        _rate_tile("on_time_payment_rate", t("process_efficiency.tile.on_time"),
                   h["on_time_rate"], h["on_time_rate_r12"], lower_is_better=False,
                   note=no_invoices or t("process_efficiency.tile.on_time_note")),
        Tile("late_payment_exposure", t("process_efficiency.tile.exposure"),
             h["late_payment_exposure"], "money0", footnote=exposure_note),
        Tile("dpo", t("process_efficiency.tile.dpo"), h["dpo"], "number:1", footnote=dpo_note),
        _rate_tile("sla_compliance", t("process_efficiency.tile.sla"), h["sla_compliance"],
                   h["sla_compliance_r12"], lower_is_better=False, note=sla_note),
    ]
