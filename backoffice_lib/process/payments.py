"""Payment terms and lateness under French law (kpi-reference P8, P9).

- :func:`late_payment_cost` (P8): penalties and €40 indemnities owed on the invoices
  paid late in each month — the exposure the law creates, whether or not suppliers
  claim it.
- :func:`terms_beyond_cap` (P8): suppliers whose due dates exceed the legal cap
  (:func:`~.legal.legal_due_cap`).
- :func:`overdue_invoices` (P9): the statutory table of unpaid invoices past due at a
  date, by lateness bucket, as a share of purchases; run monthly it is the payables
  ageing.

The rules and their limits are in :mod:`.legal`. Amounts owed are TTC (``amount_ttc``);
an invoice without it is counted on its HT ``amount`` and the result says so
(``HT_BASIS``). Credit notes (``amount < 0``) are left out: nothing is owed on them.
Interest is exact: ``Σ cents × days`` per rate is an integer, multiplied by the rate and
divided by 365 once, then rounded to the cent (kpi-reference §0).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from ..money import ZERO, from_cents, to_cents, to_money
from ..periods import period_end, period_range, shift_period, validate_period
from ..tables import MONEY
from ._common import HT_BASIS, NOT_LOADED, _grid, _loaded, _periods
from .invoices import invoice_durations
from .legal import DEFAULT_PENALTY_RATE, OVERDUE_BUCKETS, RECOVERY_INDEMNITY, penalty_rate

__all__ = ["late_payment_cost", "overdue_invoices", "terms_beyond_cap"]

_CENT = Decimal("0.01")


def _prepared(supplier_invoices: pd.DataFrame, durations: pd.DataFrame | None) -> pd.DataFrame:
    return invoice_durations(supplier_invoices) if durations is None else durations


def late_payment_cost(
    supplier_invoices: pd.DataFrame,
    periods: Sequence[str],
    *,
    rate: float | Mapping[str, float] = DEFAULT_PENALTY_RATE,
    indemnity: Decimal = RECOVERY_INDEMNITY,
    durations: pd.DataFrame | None = None,
    loaded_periods: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Late-payment penalties and indemnities of the invoices paid late in each month (P8).

    ``interest = owed × rate × days_late / 365`` per invoice (``owed``: TTC, else HT;
    ``days_late = paid_date − due_date``), the rate of the half-year of the first late
    day (:func:`~.legal.penalty_rate`); ``indemnities = indemnity × late invoices``;
    ``exposure = interest + indemnities``.

    Returns
    -------
    DataFrame
        ``period, late`` (invoices paid late) ``, days_late`` (their total days late)
        ``, interest, indemnities, exposure`` (EUR, money) ``, ht_basis`` (late invoices
        counted on HT) ``, reason`` (``NOT_LOADED`` for a month not covered, then
        ``HT_BASIS``). A month without late payment is 0.
    """
    periods = _periods(periods)
    inv = _prepared(supplier_invoices, durations)
    loaded = _loaded(inv["received_date"], loaded_periods)
    late = inv.loc[~inv["credit_note"] & inv["paid_period"].isin(periods)
                   & (inv["days_late"] > 0),
                   ["paid_period", "due_date", "days_late", "owed_cents", "ht_basis"]]
    first_day = late["due_date"] + pd.Timedelta(days=1)
    work = pd.DataFrame({
        "period": late["paid_period"],
        "rate": penalty_rate(first_day, rate),
        "days": late["days_late"].astype("int64"),
        "weighted": late["owed_cents"] * late["days_late"].astype("int64"),
        "ht": late["ht_basis"].astype("int64"),
    })
    interest: dict[str, Decimal] = {}
    for (month, yearly), weighted in work.groupby(["period", "rate"], sort=False)[
            "weighted"].sum().items():
        interest[month] = interest.get(month, ZERO) + Decimal(int(weighted)) * Decimal(
            str(yearly)) / 36500
    # one sum and one size on the same grouping (a named aggregation runs one per column)
    grouped = work.groupby("period", sort=False)
    counts = grouped[["days", "ht"]].sum().set_axis(["days_late", "ht_basis"], axis=1)
    counts.insert(0, "late", grouped.size())
    out = _grid(periods).merge(counts.reset_index(), on="period", how="left")
    covered = out["period"].isin(loaded)
    for col in ("late", "days_late", "ht_basis"):
        out[col] = out[col].fillna(0).astype("Int64").where(covered)
    euros = out["period"].map(lambda month: interest.get(month, ZERO).quantize(
        _CENT, ROUND_HALF_UP))
    out["interest"] = to_money(euros).where(covered)
    out["indemnities"] = from_cents((out["late"] * int(indemnity * 100)).astype("Int64"))
    out["exposure"] = from_cents(to_cents(out["interest"]) + to_cents(out["indemnities"]))
    reason = np.select([~covered.to_numpy(bool), out["ht_basis"].fillna(0).to_numpy() > 0],
                       [NOT_LOADED, HT_BASIS], default=None)
    out["reason"] = pd.Series(reason, index=out.index, dtype="str")
    return out[["period", "late", "days_late", "interest", "indemnities", "exposure",
                "ht_basis", "reason"]]


def terms_beyond_cap(
    supplier_invoices: pd.DataFrame,
    periods: Sequence[str],
    *,
    durations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Suppliers with invoices received in ``periods`` whose due date is beyond the legal
    cap (P8: 60 days, or 45 days end of month), most invoices first, ties by vendor.

    Returns
    -------
    DataFrame
        ``vendor_id, invoices`` (beyond the cap) ``, amount`` (their HT amount, money)
        ``, max_term_days`` (longest ``due_date − invoice_date``, calendar days)
        ``, max_days_over`` (longest ``due_date − cap``).
    """
    periods = _periods(periods)
    inv = _prepared(supplier_invoices, durations)
    beyond = inv.loc[inv["received_period"].isin(periods) & ~inv["credit_note"]
                     & inv["beyond_cap"],
                     ["vendor_id", "amount_cents", "term_days", "due_date", "legal_cap"]]
    over = ((beyond["due_date"] - beyond["legal_cap"]) / pd.Timedelta(days=1)).astype("int64")
    work = pd.DataFrame({"vendor_id": beyond["vendor_id"],
                         "cents": beyond["amount_cents"],
                         "term": beyond["term_days"].astype("int64"), "over": over})
    out = work.groupby("vendor_id", sort=False).agg(
        invoices=("cents", "size"), cents=("cents", "sum"), max_term_days=("term", "max"),
        max_days_over=("over", "max")).reset_index()
    out = out.sort_values(["invoices", "vendor_id"], ascending=[False, True], kind="stable")
    out["amount"] = from_cents(out["cents"].astype("Int64")).to_numpy()
    out = out.astype({"vendor_id": "str", "invoices": "Int64", "amount": MONEY,
                      "max_term_days": "Int64", "max_days_over": "Int64"})
    return out[["vendor_id", "invoices", "amount", "max_term_days", "max_days_over"]] \
        .reset_index(drop=True)


def overdue_invoices(
    supplier_invoices: pd.DataFrame,
    period: str,
    *,
    months: int = 12,
    disputed_codes: Sequence[str] = (),
    durations: pd.DataFrame | None = None,
    loaded_periods: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The statutory table of supplier invoices unpaid and past due at the end of
    ``period`` (P9, Code de commerce D441-6), by lateness bucket.

    Invoices received by the report date (the last day of ``period``), not paid by then,
    with ``due_date`` before it: ``days_late = report date − due_date`` (1 day and more).
    Amounts are TTC (HT for an invoice without ``amount_ttc``: ``HT_BASIS``). Purchases
    are the invoices dated in the ``months`` to the period, on the same basis: at a
    fiscal year end with the default 12 months they are the year's purchases the law
    asks for. Invoices whose ``exception_code`` is in ``disputed_codes`` are not in the
    buckets: they are disclosed on their own row, as the law allows.

    Returns
    -------
    DataFrame
        One row per bucket of :data:`~.legal.OVERDUE_BUCKETS`, then ``total`` (the
        buckets together), then ``disputed`` when ``disputed_codes`` are given:
        ``bucket, invoices, amount`` (EUR, money) ``, share_of_purchases`` (fraction;
        NA with ``NOT_LOADED`` when the purchase months are not all covered) ``, reason``.
    """
    validate_period(period)
    inv = _prepared(supplier_invoices, durations)
    loaded = _loaded(inv["received_date"], loaded_periods)
    report = pd.Timestamp(period_end(period))
    unpaid = inv["paid_date"].isna() | (inv["paid_date"] > report)
    due = inv.loc[~inv["credit_note"] & (inv["received_date"] <= report) & unpaid
                  & (inv["due_date"] < report),
                  ["due_date", "exception_code", "owed_cents", "ht_basis"]]
    days = ((report - due["due_date"]) / pd.Timedelta(days=1)).astype("int64")
    edges = [first - 1 for _, first, _ in OVERDUE_BUCKETS] + [np.inf]
    codes = [code for code, _, _ in OVERDUE_BUCKETS]
    disputed = due["exception_code"].str.strip().isin(list(disputed_codes)).to_numpy(bool)
    bucket = pd.cut(days, edges, labels=codes, right=True).astype("str")
    bucket = bucket.where(~disputed, "disputed")
    work = pd.DataFrame({"bucket": bucket, "cents": due["owed_cents"].to_numpy(),
                         "ht": due["ht_basis"].astype("int64")})
    # one sum and one size on the same grouping (a named aggregation runs one per column)
    grouped = work.groupby("bucket", sort=False)
    sums = grouped[["cents", "ht"]].sum()
    sums.insert(0, "invoices", grouped.size())
    rows = [*codes, "total"] + (["disputed"] if disputed_codes else [])
    sums.loc["total"] = sums.loc[sums.index.isin(codes)].sum()
    sums = sums.reindex(rows).fillna(0).astype("int64")
    window = period_range(shift_period(period, -(months - 1)), period)
    purchases = int(inv.loc[inv["invoice_period"].isin(window), "owed_cents"].sum())
    complete = set(window) <= loaded
    share = (sums["cents"] / purchases).to_numpy("float64") if purchases and complete \
        else np.full(len(rows), np.nan)
    reason = np.select([np.full(len(rows), not complete), sums["ht"].to_numpy() > 0],
                       [NOT_LOADED, HT_BASIS], default=None)
    out = pd.DataFrame({
        "bucket": pd.Series(rows, dtype="str"),
        "invoices": pd.Series(sums["invoices"].to_numpy(), dtype="Int64"),
        "amount": from_cents(pd.Series(sums["cents"].to_numpy(), dtype="Int64")),
        "share_of_purchases": pd.Series(share, dtype="float64"),
        "reason": pd.Series(reason, dtype="str"),
    })
    return out
