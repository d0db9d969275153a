"""The figures of each section of the process-efficiency report: process KPIs with the
run's options.

One function per section, each a call of :mod:`backoffice_lib.process` with the period,
the per-invoice and per-ticket durations computed once by
:class:`~.inputs.ProcessInputs`, the team filter, the penalty rate and the dispute
codes. A section whose table is missing gets an empty frame with its columns (the
sentences say why). Tickets and supplier invoices describe no person: no small-group
suppression applies, only P13's rule that a team with fewer than 5 tickets resolved in
the month shows counts, not rates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import process
from ...periods import shift_period
from ...tables import MONEY
from ..sections import last_months, once
from .inputs import ProcessInputs

__all__ = [
    "HEADLINE_STAGE",
    "TOTAL",
    "cycle_times",
    "cycle_trend",
    "dpo",
    "exceptions",
    "headline",
    "overdue",
    "payments",
    "processing",
    "service_backlog",
    "service_levels",
    "terms",
]

#: The stage of the headline cycle time: receipt to approval, the processing time of the
#: Ardent Partners benchmark quoted in P1.
HEADLINE_STAGE = "receipt_to_approval"
#: Label of the all-teams row of the service-desk tables.
TOTAL = "TOTAL"

_CYCLE = ["period", "stage", "n", "mean", "median", "p90", "median_wd", "n_excluded", "reason"]
_PROCESSING = ["period", "processed", "touchless", "exceptions", "touchless_rate",
               "exception_rate", "first_pass_yield", "reason"]
_EXCEPTIONS = ["rank", "exception_code", "invoices", "share_of_processed",
               "share_of_exceptions", "cum_share"]
_PAYMENTS = ["period", "paid", "on_time", "late", "on_time_rate", "amount_paid",
             "amount_on_time", "on_time_rate_amount", "avg_days_late", "beyond_cap",
             "days_late", "interest", "indemnities", "exposure", "ht_basis", "reason"]
_TERMS = ["vendor_id", "invoices", "amount", "max_term_days", "max_days_over"]
_OVERDUE = ["bucket", "invoices", "amount", "share_of_purchases", "reason"]
_DPO = ["method", "start", "end", "invoices", "amount", "avg_payables", "dpo", "reason"]
_LEVELS = ["team", "opened", "resolved", "within_sla", "reopened", "automated",
           "sla_compliance", "reopen_rate", "automation_rate", "mttr_mean_hours",
           "mttr_median_hours", "n_excluded", "reason"]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


def _value(frame: pd.DataFrame, column: str, row: object = None) -> object:
    """One value of a result (its ``row`` label, else the last row); None when missing."""
    if frame.empty:
        return None
    value = frame[column].iloc[-1] if row is None else frame[column].get(row)
    if value is None or pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _share(frame: pd.DataFrame, part: str, whole: str) -> float | None:
    """Σ part / Σ whole over the rows (a 12-month rate from monthly counts); None when
    a month is not covered (§0: never a partial sum) or nothing was counted."""
    if frame.empty or frame[whole].isna().any():
        return None
    total = frame[whole].sum()
    return float(frame[part].sum() / total) if total else None


# --------------------------------------------------------------------------- headline


def headline(d: ProcessInputs) -> dict[str, object]:
    """The month's key figures, each None when it cannot be computed.

    Keys: ``cycle_days`` (median receipt → approval, calendar days, P1) with
    ``cycle_days_previous``, ``cycle_mean`` and ``cycle_p90``; ``touchless_rate``,
    ``exception_rate`` and ``on_time_rate`` (fractions of the month, P4, P5, P7), each
    with its 12-month rate (``..._r12``: counts of the 12 months, None unless every month
    is covered); ``late_payment_exposure`` (EUR, P8) and ``late_invoices``; ``dpo``
    (days over 12 months, P10: by the balance method when the ledger gives it, else by
    the invoice method) and ``dpo_method`` (``ledger`` or ``invoices``);
    ``sla_compliance`` and ``sla_compliance_r12`` (P13: None for fewer than
    ``min_tickets`` tickets resolved), ``backlog`` and ``sla_breached_open`` (tickets
    open at month end).
    """
    keys = ("cycle_days", "cycle_days_previous", "cycle_mean", "cycle_p90",
            "touchless_rate", "touchless_rate_r12", "exception_rate", "exception_rate_r12",
            "on_time_rate", "on_time_rate_r12", "late_payment_exposure", "late_invoices",
            "dpo", "dpo_method", "sla_compliance", "sla_compliance_r12", "backlog",
            "sla_breached_open")
    out: dict[str, object] = dict.fromkeys(keys)
    if d.has_invoices:
        out.update(_invoice_headline(d))
    table = dpo(d)
    ledger = table[(table["method"] == "ledger") & table["dpo"].notna()]
    chosen = ledger if not ledger.empty else table[table["method"] == "invoices_r12"]
    if not chosen.empty:
        out["dpo"] = _value(chosen, "dpo")
        out["dpo_method"] = "invoices" if ledger.empty else "ledger"
    if d.has_tickets:
        # every count, then P13's rule on the month and on the 12 months as wholes
        levels = process.service_levels(
            d.service_requests, last_months(d.period, 12), by=[], min_tickets=1,
            durations=d.tickets, loaded_periods=d.ticket_months)
        if (_value(levels, "resolved") or 0) >= d.min_tickets:
            out["sla_compliance"] = _value(levels, "sla_compliance")
        if levels["resolved"].sum() >= d.min_tickets:
            out["sla_compliance_r12"] = _share(levels, "within_sla", "resolved")
        backlog = process.service_backlog(d.service_requests, d.period, by=[],
                                          durations=d.tickets)
        out["backlog"] = int(backlog["backlog"].iloc[0])
        out["sla_breached_open"] = int(backlog["sla_breached_open"].iloc[0])
    return out


def _invoice_headline(d: ProcessInputs) -> dict[str, object]:
    previous = shift_period(d.period, -1)
    cycle = _cycles(d, [previous, d.period])
    stage = cycle[cycle["stage"] == HEADLINE_STAGE].set_index("period")
    rates = processing(d, months=12)
    paid = payments(d, months=12)
    return {
        "cycle_days": _value(stage, "median", d.period),
        "cycle_days_previous": _value(stage, "median", previous),
        "cycle_mean": _value(stage, "mean", d.period),
        "cycle_p90": _value(stage, "p90", d.period),
        "touchless_rate": _value(rates, "touchless_rate"),
        "touchless_rate_r12": _share(rates, "touchless", "processed"),
        "exception_rate": _value(rates, "exception_rate"),
        "exception_rate_r12": _share(rates, "exceptions", "processed"),
        "on_time_rate": _value(paid, "on_time_rate"),
        "on_time_rate_r12": _share(paid, "on_time", "paid"),
        "late_payment_exposure": _value(paid, "exposure"),
        "late_invoices": _value(paid, "late"),
    }


# --------------------------------------------------------------------------- invoices

#: Months of cycle times computed at once for the headline, the cycle table and the
#: chart (:func:`_cycles`).
_CYCLE_MONTHS = 12


def _cycles(d: ProcessInputs, periods: list[str]) -> pd.DataFrame:
    """:func:`process.cycle_times` of ``periods`` (calendar and working days).

    A month's rows depend on that month's invoices only (and on the months the table
    covers, not on the window asked), so months among the :data:`_CYCLE_MONTHS` to the
    period are cut from one computation kept for the report: the headline (this month
    and the previous one), the cycle table and the 12-month chart share it instead of
    computing the same rows three times.

    Why only for whole days: pandas sums a group's values in an order that depends on
    how the groups are laid out in the window (``ufunc.reduceat`` when they are
    contiguous, a compensated loop otherwise), so a mean of fractional days could differ
    in its last bit from the one computed on the month alone. Durations of dates without
    a time of day are whole days, summed exactly in any order. Other windows (older
    months, an order other than oldest first, a month twice) and dates with times are
    computed directly.
    """
    window = last_months(d.period, _CYCLE_MONTHS)
    shared = set(periods) <= set(window) and list(periods) == sorted(set(periods))
    if not shared or not _whole_days(d):
        return process.cycle_times(d.supplier_invoices, periods, durations=d.invoices)
    table = once(d, ("cycle_times", _CYCLE_MONTHS), lambda: process.cycle_times(
        d.supplier_invoices, window, durations=d.invoices))
    return table[table["period"].isin(periods)].reset_index(drop=True)


def _whole_days(d: ProcessInputs) -> bool:
    """True when every known calendar-day stage duration of the invoices is a whole
    number of days (working days always are)."""
    def check() -> bool:
        days = d.invoices[list(process.STAGES)].to_numpy(dtype="float64")
        return bool(np.all(np.nan_to_num(days) % 1 == 0))
    return once(d, "whole_days", check)


def cycle_times(d: ProcessInputs) -> pd.DataFrame:
    """:func:`process.cycle_times` of the month: one row per stage (P1)."""
    if not d.has_invoices:
        return _empty(_CYCLE)
    return _cycles(d, [d.period])


def cycle_trend(d: ProcessInputs, months: int = 12) -> pd.DataFrame:
    """Receipt → approval by month over the ``months`` to the period: ``period, n, mean,
    median, p90`` (calendar days), for the chart."""
    if not d.has_invoices:
        return _empty(["period", "n", "mean", "median", "p90"])
    table = _cycles(d, last_months(d.period, months))
    table = table[table["stage"] == HEADLINE_STAGE]
    return table[["period", "n", "mean", "median", "p90"]].reset_index(drop=True)


def processing(d: ProcessInputs, months: int = 12) -> pd.DataFrame:
    """:func:`process.invoice_processing`: touchless, exception and first-pass rates of
    each of the ``months`` to the period (P4–P6)."""
    if not d.has_invoices:
        return _empty(_PROCESSING)
    return once(d, ("processing", months), lambda: process.invoice_processing(
        d.supplier_invoices, last_months(d.period, months), durations=d.invoices))


def exceptions(d: ProcessInputs, months: int = 12) -> pd.DataFrame:
    """:func:`process.exception_breakdown` over the ``months`` to the period (P5)."""
    if not d.has_invoices:
        return _empty(_EXCEPTIONS)
    return process.exception_breakdown(d.supplier_invoices, last_months(d.period, months),
                                       durations=d.invoices)


def payments(d: ProcessInputs, months: int = 12) -> pd.DataFrame:
    """On-time payment (P7) and the cost of late payment at the run's penalty rate (P8),
    one row per month of the ``months`` to the period.

    Returns
    -------
    DataFrame
        :func:`process.payment_timeliness` columns, then ``days_late, interest,
        indemnities, exposure, ht_basis`` of :func:`process.late_payment_cost`, and
        ``reason`` (the first of the two).
    """
    if not d.has_invoices:
        return _empty(_PAYMENTS)
    return once(d, ("payments", months), lambda: _payments(d, months))


def _payments(d: ProcessInputs, months: int) -> pd.DataFrame:
    window = last_months(d.period, months)
    paid = process.payment_timeliness(d.supplier_invoices, window, durations=d.invoices)
    cost = process.late_payment_cost(d.supplier_invoices, window, rate=d.late_payment_rate,
                                     durations=d.invoices)
    table = paid.merge(cost.drop(columns="late"), on="period", how="left",
                       suffixes=("", "_cost"))
    table["reason"] = table["reason"].fillna(table.pop("reason_cost"))
    return table[_PAYMENTS]


def terms(d: ProcessInputs, months: int = 12) -> pd.DataFrame:
    """:func:`process.terms_beyond_cap`: suppliers with due dates beyond the legal cap on
    invoices received in the ``months`` to the period (P8)."""
    if not d.has_invoices:
        return _empty(_TERMS)
    return process.terms_beyond_cap(d.supplier_invoices, last_months(d.period, months),
                                    durations=d.invoices)


def overdue(d: ProcessInputs) -> pd.DataFrame:
    """:func:`process.overdue_invoices` at the end of the month, purchases of the 12
    months, the run's dispute codes apart (P9)."""
    if not d.has_invoices:
        return _empty(_OVERDUE)
    return process.overdue_invoices(d.supplier_invoices, d.period,
                                    disputed_codes=d.dispute_codes, durations=d.invoices)


def dpo(d: ProcessInputs) -> pd.DataFrame:
    """DPO (P10): by the invoice method for the month and the 12 months, and by the
    balance method over the 12 months when the ledger is given.

    Returns
    -------
    DataFrame
        One row per ``method`` (``invoices_month``, ``invoices_r12``, ``ledger``):
        ``start, end, invoices`` (paid; NA for the ledger) ``, amount`` (paid HT, or
        purchases TTC for the ledger: EUR, money) ``, avg_payables`` (EUR TTC; NA for the
        invoice method) ``, dpo`` (days) ``, reason``.
    """
    return once(d, "dpo", lambda: _dpo(d))


def _dpo(d: ProcessInputs) -> pd.DataFrame:
    rows = []
    if d.has_invoices:
        for method, window in (("invoices_month", [d.period]),
                               ("invoices_r12", last_months(d.period, 12))):
            one = process.dpo_invoices(d.supplier_invoices, window,
                                       durations=d.invoices).iloc[0]
            rows.append({**one[["start", "end", "invoices", "amount", "dpo", "reason"]],
                         "method": method, "avg_payables": None})
    if d.ledger_dpo is not None:
        one = d.ledger_dpo.iloc[0]
        rows.append({**one[["start", "end", "avg_payables", "dpo", "reason"]],
                     "method": "ledger", "invoices": None, "amount": one["purchases"]})
    table = pd.DataFrame(rows, columns=_DPO)
    return table.astype({"method": "str", "start": "str", "end": "str", "invoices": "Int64",
                         "amount": MONEY, "avg_payables": MONEY, "dpo": "float64",
                         "reason": "str"})


# --------------------------------------------------------------------------- service desk


def service_levels(d: ProcessInputs) -> pd.DataFrame:
    """:func:`process.service_levels` of the month by team, then the teams in scope
    together (``team`` = :data:`TOTAL`); a team with fewer than 5 tickets resolved shows
    counts only (P13)."""
    if not d.has_tickets:
        return _empty(_LEVELS)
    options = {"min_tickets": d.min_tickets, "durations": d.tickets,
               "loaded_periods": d.ticket_months}
    teams = process.service_levels(d.service_requests, [d.period], by=["team"], **options)
    total = process.service_levels(d.service_requests, [d.period], by=[], **options)
    table = pd.concat([teams, total.assign(team=TOTAL)], ignore_index=True)
    return table[_LEVELS].astype({"team": "str"})


def service_backlog(d: ProcessInputs) -> pd.DataFrame:
    """:func:`process.service_backlog` at the end of the month by team (P13)."""
    if not d.has_tickets:
        return _empty(["team", "backlog", *(f"age_{c}" for c, _, _ in process.AGE_BUCKETS),
                       "sla_breached_open"])
    return process.service_backlog(d.service_requests, d.period, by=["team"],
                                   durations=d.tickets)
