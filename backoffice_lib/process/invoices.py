"""Supplier-invoice processing (kpi-reference §4): cycle time (P1), touchless, exception
and first-pass rates (P4–P6), exceptions by code (P5) and on-time payment (P7).

Every KPI starts from :func:`invoice_durations`, one row per invoice with its stage
durations and flags: callers computing several KPIs on one table derive it once and pass
it as ``durations=``.

Populations (each function says which):

- P1: an invoice counts in the month its stage ends — receipt → approval in the month of
  ``approved_date``; approval → payment, receipt → payment and the legal view invoice →
  payment in the month of ``paid_date``. Open invoices are not in the means: they are in
  the overdue report (:func:`~backoffice_lib.process.payments.overdue_invoices`).
- P4–P6: invoices processed, i.e. approved in the month.
- P7: invoices paid in the month, credit notes (``amount < 0``) left out: nothing is
  owed on them.

Invoices whose dates go backwards (``invoice_date ≤ received_date ≤ approved_date ≤
paid_date`` broken) are left out of the cycle times and counted in ``n_excluded``;
validation reports each one (``DATE_ORDER``). Durations are calendar days; the
working-day variant counts Monday–Friday minus French public holidays
(:func:`backoffice_lib.periods.french_holidays`) after the start date up to the end date.

A month outside the months the table covers (``loaded_periods``, default every month
from the first to the last ``received_date``) gives NA with ``NOT_LOADED``; a covered
month without invoices gives counts of 0 and NA rates with ``NO_POPULATION`` (§0).

Example::

    inv = invoice_durations(supplier_invoices)
    months = periods.r12_range("2026-10")
    cycle_times(supplier_invoices, months, durations=inv)
    invoice_processing(supplier_invoices, months, durations=inv)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..money import as_money, from_cents, to_cents
from ..periods import periods_of
from ._common import (
    _days,
    _describe,
    _grid,
    _holidays,
    _loaded,
    _periods,
    _ratio,
    _reason,
    _working_days,
)
from .legal import legal_due_cap

__all__ = [
    "STAGES",
    "cycle_times",
    "exception_breakdown",
    "invoice_durations",
    "invoice_processing",
    "payment_timeliness",
]

#: P1 stages: name → (start date, end date); the end date decides the month.
STAGES: dict[str, tuple[str, str]] = {
    "receipt_to_approval": ("received_date", "approved_date"),
    "approval_to_payment": ("approved_date", "paid_date"),
    "receipt_to_payment": ("received_date", "paid_date"),
    "invoice_to_payment": ("invoice_date", "paid_date"),
}
_CHAIN = ("invoice_date", "received_date", "approved_date", "paid_date")
_KEPT = ["invoice_id", "vendor_id", *_CHAIN, "due_date", "amount", "amount_ttc", "po_id",
         "touchless", "exception_code"]


def _dates_in_order(inv: pd.DataFrame) -> pd.Series:
    """True where the known dates of the chain never go backwards."""
    dates = [inv[c].to_numpy(dtype="datetime64[D]") for c in _CHAIN]
    days = np.column_stack([np.where(np.isnat(d), np.nan, d.view("int64")) for d in dates])
    latest = np.fmax.accumulate(days, axis=1)
    backwards = days[:, 1:] < latest[:, :-1]  # NaN compares False: a missing date is fine
    return pd.Series(~backwards.any(axis=1), index=inv.index)


def invoice_durations(
    supplier_invoices: pd.DataFrame,
    *,
    extra_holidays: Iterable[object] = (),
    alsace_moselle: bool = False,
) -> pd.DataFrame:
    """One row per invoice: its stage durations, months and flags (P1–P10 grain).

    Parameters
    ----------
    supplier_invoices:
        Canonical ``supplier_invoices`` (§5.1; ``amount`` HT and ``amount_ttc`` money).
    extra_holidays, alsace_moselle:
        Company days off and the Alsace-Moselle holidays, for the working-day durations.

    Returns
    -------
    DataFrame
        ``invoice_id, vendor_id, invoice_date, received_date, approved_date, paid_date,
        due_date, amount, amount_ttc, po_id, exception_code``; ``invoice_period,
        received_period, approved_period, paid_period`` (``YYYY-MM``, NA when the date
        is); for each stage of :data:`STAGES` its calendar days and ``<stage>_wd``
        working days (float; NaN when open or when ``dates_ok`` is False);
        ``dates_ok``; ``touchless`` and ``has_exception`` (bool); ``credit_note``
        (``amount < 0``); ``days_late`` (``paid_date − due_date`` in days, NaN if unpaid;
        > 0 is late); ``term_days`` (``due_date − invoice_date``); ``legal_cap``
        (:func:`~.legal.legal_due_cap`) and ``beyond_cap`` (due date after it);
        ``owed`` (``amount_ttc``, else ``amount``: money) and ``ht_basis`` (no TTC);
        ``amount_cents`` and ``owed_cents`` (int64 cents, a missing amount as 0).
    """
    inv = supplier_invoices[_KEPT].reset_index(drop=True)
    ok = _dates_in_order(inv)
    holidays = _holidays([inv[c] for c in _CHAIN], extra_holidays, alsace_moselle)
    out = inv.assign(**{
        f"{name}_period": periods_of(inv[f"{name}_date"])
        for name in ("invoice", "received", "approved", "paid")
    })
    for stage, (start, end) in STAGES.items():
        out[stage] = _days(inv[start], inv[end]).where(ok)
        out[f"{stage}_wd"] = _working_days(inv[start], inv[end], holidays).where(ok)
    code = inv["exception_code"].astype("str").str.strip()
    cap = legal_due_cap(inv["invoice_date"])
    owed = as_money(inv["amount_ttc"].fillna(inv["amount"]))
    cents = to_cents(inv["amount"])
    return out.assign(
        dates_ok=ok.to_numpy(bool),
        touchless=inv["touchless"].fillna(False).astype(bool),
        has_exception=(code.fillna("") != "").to_numpy(bool),
        credit_note=(cents < 0).fillna(False).to_numpy(bool),
        days_late=_days(inv["due_date"], inv["paid_date"]),
        term_days=_days(inv["invoice_date"], inv["due_date"]),
        legal_cap=cap,
        beyond_cap=(inv["due_date"] > cap).fillna(False).to_numpy(bool),
        owed=owed,
        ht_basis=inv["amount_ttc"].isna().to_numpy(bool),
        amount_cents=cents.fillna(0).astype("int64"),
        owed_cents=to_cents(owed).fillna(0).astype("int64"),
    )


def _prepared(supplier_invoices: pd.DataFrame, durations: pd.DataFrame | None) -> pd.DataFrame:
    return invoice_durations(supplier_invoices) if durations is None else durations


def cycle_times(
    supplier_invoices: pd.DataFrame,
    periods: Sequence[str],
    *,
    durations: pd.DataFrame | None = None,
    loaded_periods: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Invoice processing cycle time by month and stage (P1), calendar days.

    Returns
    -------
    DataFrame
        One row per period and stage of :data:`STAGES` (periods in the given order):
        ``period, stage, n`` (invoices measured) ``, mean, median, p90`` (calendar days;
        p90 by linear interpolation) ``, median_wd`` (working days) ``, n_excluded``
        (invoices ending the stage in the month with dates out of order) ``, reason``.
    """
    periods = _periods(periods)
    inv = _prepared(supplier_invoices, durations)
    loaded = _loaded(inv["received_date"], loaded_periods)
    parts = []
    for stage, (_, end) in STAGES.items():
        when = f"{end.removesuffix('_date')}_period"
        done = inv.loc[inv[when].isin(periods), [when, stage, f"{stage}_wd", "dates_ok"]]
        parts.append(pd.DataFrame({
            "period": done[when], "stage": stage, "days": done[stage],
            "working": done[f"{stage}_wd"], "excluded": ~done["dates_ok"],
        }))
    long = pd.concat(parts, ignore_index=True).astype({"stage": "str"})
    stats = _describe(long, ["period", "stage"], "days")
    working = _describe(long, ["period", "stage"], "working", p90=False)[
        ["period", "stage", "median"]]
    excluded = long.groupby(["period", "stage"], sort=False)["excluded"].sum().rename(
        "n_excluded").reset_index()
    stages = pd.DataFrame({"stage": pd.Series(list(STAGES), dtype="str")})
    out = _grid(periods).merge(stages, how="cross")
    out = out.merge(stats, on=["period", "stage"], how="left").merge(
        working.rename(columns={"median": "median_wd"}), on=["period", "stage"], how="left"
    ).merge(excluded, on=["period", "stage"], how="left")
    covered = out["period"].isin(loaded)
    for col in ("n", "n_excluded"):
        out[col] = out[col].fillna(0).astype("Int64").where(covered)
    for col in ("mean", "median", "p90", "median_wd"):
        out[col] = out[col].where(covered)
    out["reason"] = _reason(out["n"].fillna(0), covered)
    return out[["period", "stage", "n", "mean", "median", "p90", "median_wd", "n_excluded",
                "reason"]]


def _monthly_counts(inv: pd.DataFrame, when: str, periods: list[str],
                    counts: dict[str, pd.Series], loaded: set[str]) -> pd.DataFrame:
    """Counts of ``counts`` (boolean columns over ``inv``) by month of ``when``, laid on
    every period; NA in months not covered."""
    rows = inv[when].isin(periods)
    frame = pd.DataFrame({"period": inv.loc[rows, when],
                          **{k: v[rows].astype("int64") for k, v in counts.items()}})
    sums = frame.groupby("period", sort=False).sum().reset_index()
    out = _grid(periods).merge(sums, on="period", how="left")
    covered = out["period"].isin(loaded)
    for col in counts:
        out[col] = out[col].fillna(0).astype("Int64").where(covered)
    out["_covered"] = covered
    return out


def invoice_processing(
    supplier_invoices: pd.DataFrame,
    periods: Sequence[str],
    *,
    durations: pd.DataFrame | None = None,
    loaded_periods: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Touchless (P4), exception (P5) and first-pass (P6) rates of the invoices approved
    in each month.

    First-pass yield needs rework and reopen flags the invoice table does not have: with
    only ``exception_code`` it is ``1 − exception rate`` (P6).

    Returns
    -------
    DataFrame
        ``period, processed, touchless, exceptions`` (invoices) ``, touchless_rate,
        exception_rate, first_pass_yield`` (fractions) ``, reason``.
    """
    periods = _periods(periods)
    inv = _prepared(supplier_invoices, durations)
    loaded = _loaded(inv["received_date"], loaded_periods)
    ones = pd.Series(True, index=inv.index)
    out = _monthly_counts(inv, "approved_period", periods,
                          {"processed": ones, "touchless": inv["touchless"],
                           "exceptions": inv["has_exception"]}, loaded)
    out["touchless_rate"] = _ratio(out["touchless"], out["processed"])
    out["exception_rate"] = _ratio(out["exceptions"], out["processed"])
    out["first_pass_yield"] = 1 - out["exception_rate"]
    out["reason"] = _reason(out["processed"].fillna(0), out["_covered"])
    return out[["period", "processed", "touchless", "exceptions", "touchless_rate",
                "exception_rate", "first_pass_yield", "reason"]]


def exception_breakdown(
    supplier_invoices: pd.DataFrame,
    periods: Sequence[str],
    *,
    durations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Exceptions by ``exception_code`` among the invoices approved in ``periods`` taken
    together (P5's breakdown), most frequent first, ties by code.

    Returns
    -------
    DataFrame
        ``rank, exception_code, invoices, share_of_processed`` (of the invoices approved
        in the periods) ``, share_of_exceptions, cum_share`` (fractions).
    """
    periods = _periods(periods)
    inv = _prepared(supplier_invoices, durations)
    processed = inv.loc[inv["approved_period"].isin(periods), ["has_exception",
                                                                "exception_code"]]
    codes = processed.loc[processed["has_exception"], "exception_code"].str.strip()
    counts = codes.value_counts().rename("invoices").reset_index()
    counts = counts.sort_values(["invoices", "exception_code"], ascending=[False, True],
                                kind="stable").reset_index(drop=True)
    total = int(counts["invoices"].sum())
    out = counts.assign(
        rank=np.arange(1, len(counts) + 1),
        share_of_processed=counts["invoices"] / len(processed) if len(processed) else np.nan,
        share_of_exceptions=counts["invoices"] / total if total else np.nan,
        cum_share=counts["invoices"].cumsum() / total if total else np.nan,
    )
    out = out.astype({"rank": "Int64", "exception_code": "str", "invoices": "Int64",
                      "share_of_processed": "float64", "share_of_exceptions": "float64",
                      "cum_share": "float64"})
    return out[["rank", "exception_code", "invoices", "share_of_processed",
                "share_of_exceptions", "cum_share"]]


def payment_timeliness(
    supplier_invoices: pd.DataFrame,
    periods: Sequence[str],
    *,
    durations: pd.DataFrame | None = None,
    loaded_periods: Iterable[str] | None = None,
) -> pd.DataFrame:
    """On-time payment rate of the invoices paid in each month (P7), by count and by
    amount, with the lateness of the late ones and the due dates beyond the legal cap
    (P8's check: flagged even when paid on time). Credit notes are left out.

    Returns
    -------
    DataFrame
        ``period, paid, on_time, late`` (invoices; on time = ``paid_date ≤ due_date``)
        ``, on_time_rate`` (fraction of invoices) ``, amount_paid, amount_on_time``
        (EUR HT, money) ``, on_time_rate_amount`` (fraction of the amount)
        ``, avg_days_late`` (mean calendar days late of the late ones) ``, beyond_cap``
        (paid invoices whose due date is beyond :func:`~.legal.legal_due_cap`) ``, reason``.
    """
    periods = _periods(periods)
    inv = _prepared(supplier_invoices, durations)
    loaded = _loaded(inv["received_date"], loaded_periods)
    inv = inv.loc[~inv["credit_note"] & inv["paid_period"].isin(periods),
                  ["paid_period", "days_late", "beyond_cap", "amount_cents"]]
    on_time = (inv["days_late"] <= 0).to_numpy(bool)
    out = _monthly_counts(inv, "paid_period", periods,
                          {"paid": pd.Series(True, index=inv.index),
                           "on_time": pd.Series(on_time, index=inv.index),
                           "late": pd.Series(~on_time, index=inv.index),
                           "beyond_cap": inv["beyond_cap"]}, loaded)
    cents = pd.DataFrame({"period": inv["paid_period"], "all": inv["amount_cents"],
                          "kept": inv["amount_cents"].where(on_time, 0),
                          "late_days": inv["days_late"].where(~on_time)})
    # one sum and one mean on the same grouping (a named aggregation runs one per column)
    grouped = cents.groupby("period", sort=False)
    sums = grouped[["all", "kept"]].sum()
    sums["late_days"] = grouped["late_days"].mean()
    sums = sums.reset_index()
    out = out.merge(sums, on="period", how="left")
    covered = out["_covered"]
    out["amount_paid"] = from_cents(out["all"].fillna(0).astype("Int64").where(covered))
    out["amount_on_time"] = from_cents(out["kept"].fillna(0).astype("Int64").where(covered))
    out["on_time_rate"] = _ratio(out["on_time"], out["paid"])
    out["on_time_rate_amount"] = _ratio(out["kept"], out["all"]).where(covered)
    out["avg_days_late"] = out["late_days"].astype("float64").where(covered)
    out["reason"] = _reason(out["paid"].fillna(0), covered)
    return out[["period", "paid", "on_time", "late", "on_time_rate", "amount_paid",
                "amount_on_time", "on_time_rate_amount", "avg_days_late", "beyond_cap",
                "reason"]]
