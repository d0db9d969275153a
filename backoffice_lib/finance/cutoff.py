"""Cut-off checks of the close (F12): one function per check, then the tidy table.

Each check returns rows with :data:`EXCEPTION_COLUMNS`; :func:`cutoff_exceptions`
gathers them in :data:`CUTOFF_CHECKS` order and :func:`cutoff_summary` counts them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache

import numpy as np
import pandas as pd

from ..accounts import UNALLOCATED
from ..money import DENOM_ZERO, ZERO, as_money, from_cents, to_cents
from ..periods import close_date, period_end, period_range, periods_of, r12_range, shift_period
from ..tables import MONEY
from ._common import _isin, _loaded, _propagate_vendor, _sum_money

__all__ = [
    "ACCRUAL_ACCOUNTS",
    "CUTOFF_CHECKS",
    "EXCEPTION_COLUMNS",
    "accrual_reversal_rate",
    "cutoff_exceptions",
    "cutoff_summary",
    "duplicate_lines",
    "late_postings",
    "missing_invoice_accruals",
    "posting_outside_period",
    "recurring_cost_gaps",
    "unbalanced_entries",
    "unreversed_accruals",
]


#: Accrual/deferral accounts and the sign of their booking (−1 credit, +1 debit), F12.
ACCRUAL_ACCOUNTS: dict[str, int] = {"408": -1, "4286": -1, "4386": -1, "486": 1, "487": -1}
#: Cut-off check codes, in report order.
CUTOFF_CHECKS = (
    "POSTED_AFTER_CLOSE", "POSTING_OUTSIDE_PERIOD", "UNBALANCED_ENTRY", "DUPLICATE_LINE",
    "ACCRUAL_NOT_REVERSED", "MISSING_INVOICE_ACCRUAL", "POSSIBLE_MISSING_ACCRUAL",
)
#: Columns of the cut-off exceptions table.
EXCEPTION_COLUMNS = [
    "check", "period", "entry_id", "account", "vendor_id", "document_ref",
    "posting_date", "entry_date", "amount", "expected",
]


# --------------------------------------------------------------------------- exception rows


def _entry_rows(lines: pd.DataFrame, check: str, amount: pd.Series, expected: pd.Series
                ) -> pd.DataFrame:
    """One exception row per entry of ``lines`` (first line's attributes)."""
    if lines.empty:
        return _exceptions_frame()
    first = lines.sort_values(["entry_id", "line_no"], kind="stable").drop_duplicates("entry_id")
    first = first.set_index("entry_id")
    out = pd.DataFrame({"entry_id": first.index.astype("str")})
    out["check"] = check
    for col in ("period", "document_ref", "posting_date", "entry_date"):
        out[col] = first[col].to_numpy()
    out["account"], out["vendor_id"] = pd.NA, pd.NA
    out["amount"] = as_money(amount.reindex(first.index).astype(MONEY)).to_numpy()
    out["expected"] = expected.reindex(first.index).astype("str").to_numpy()
    return _exceptions_frame(out)


_EXCEPTION_DTYPES = {"check": "str", "period": "str", "entry_id": "str", "account": "str",
                     "vendor_id": "str", "document_ref": "str",
                     "posting_date": "datetime64[us]", "entry_date": "datetime64[us]",
                     "amount": MONEY, "expected": "str"}


@cache
def _no_exceptions() -> pd.DataFrame:
    """The empty exceptions table (built once: most checks find nothing in a month)."""
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in _EXCEPTION_DTYPES.items()})


def _exceptions_frame(rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Exceptions with :data:`EXCEPTION_COLUMNS` and stable dtypes."""
    if rows is None or rows.empty:
        return _no_exceptions().copy()
    return rows.reindex(columns=EXCEPTION_COLUMNS).astype(_EXCEPTION_DTYPES).reset_index(
        drop=True)


def _member(values: pd.Series, wanted: pd.Series) -> np.ndarray:
    """``values.isin(wanted)`` (NA matches NA) through Arrow (:func:`._common._isin`)."""
    wanted = pd.Series(wanted)
    found = _isin(values, wanted)
    if wanted.isna().any():
        found |= values.isna().to_numpy(dtype=bool)
    return found


def _debit_total(lines: pd.DataFrame) -> pd.Series:
    """Σ debits per entry: the size of an entry."""
    amount = as_money(lines["amount"])
    return as_money(amount.where(amount > 0, ZERO).groupby(lines["entry_id"]).sum())


# --------------------------------------------------------------------------- entries


def late_postings(
    gl_lines: pd.DataFrame,
    period: str,
    *,
    close_working_day: int = 5,
    extra_holidays: Iterable = (),
    alsace_moselle: bool = False,
) -> pd.DataFrame:
    """Entries of ``period`` keyed after its close date (F12 ``POSTED_AFTER_CLOSE``).

    The close date is the ``close_working_day``-th working day of the next month
    (:func:`periods.close_date`); ``entry_date`` is when the entry was keyed/validated
    (lines without it cannot be judged and are skipped).

    Returns
    -------
    DataFrame
        :data:`EXCEPTION_COLUMNS`, one row per entry; ``amount`` = Σ debits of the entry;
        ``expected`` = the close date (ISO).
    """
    limit = pd.Timestamp(close_date(period, close_working_day, tuple(extra_holidays),
                                    alsace_moselle))
    lines = gl_lines[(gl_lines["period"] == period)]
    late = lines[lines["entry_date"].dt.normalize() > limit]
    entries = lines[lines["entry_id"].isin(late["entry_id"])]
    expected = pd.Series(limit.date().isoformat(), index=entries["entry_id"].unique())
    return _entry_rows(entries, "POSTED_AFTER_CLOSE", _debit_total(entries), expected)


def posting_outside_period(gl_lines: pd.DataFrame, period: str) -> pd.DataFrame:
    """Entries whose period differs from their posting date's month (F12).

    Looks at lines booked in ``period`` or dated in it. ``expected`` = the posting
    date's period; ``amount`` = Σ debits of the entry.
    """
    dated = periods_of(gl_lines["posting_date"])
    touched = (gl_lines["period"] == period) | (dated == period)
    wrong = touched & dated.notna() & (gl_lines["period"] != dated)
    entries = gl_lines[touched & _member(gl_lines["entry_id"], gl_lines.loc[wrong, "entry_id"])]
    expected = dated[wrong].groupby(gl_lines.loc[wrong, "entry_id"]).first()
    return _entry_rows(entries, "POSTING_OUTSIDE_PERIOD", _debit_total(entries), expected)


def unbalanced_entries(gl_lines: pd.DataFrame, period: str) -> pd.DataFrame:
    """Entries with a line in ``period`` whose lines do not sum to 0.00 (F12).

    ``amount`` = Σ amount of the entry (debit − credit, the imbalance); ``expected`` 0.00.
    """
    ids = gl_lines.loc[gl_lines["period"] == period, "entry_id"].unique()
    rows = np.flatnonzero(_member(gl_lines["entry_id"], ids))
    entries = gl_lines[["entry_id", "amount"]].iloc[rows]
    balance = as_money(as_money(entries["amount"]).groupby(entries["entry_id"]).sum())
    off = balance[to_cents(balance).fillna(0) != 0]
    entries = gl_lines.iloc[rows[entries["entry_id"].isin(off.index).to_numpy(dtype=bool)]]
    return _entry_rows(entries, "UNBALANCED_ENTRY", off, pd.Series("0.00", index=off.index))


def duplicate_lines(gl_lines: pd.DataFrame, period: str) -> pd.DataFrame:
    """Lines of ``period`` sharing ``entry_id`` + ``line_no`` (F1: reported, never dropped).

    One row per repeated line; ``amount`` is that line's amount (it stays in totals).
    """
    lines = gl_lines[gl_lines["period"] == period]
    dup = lines[lines.duplicated(["entry_id", "line_no"], keep=False)]
    out = dup.reindex(columns=EXCEPTION_COLUMNS).assign(check="DUPLICATE_LINE",
                                                        expected=dup["line_no"].astype("str"))
    out["amount"] = dup["amount"]
    return _exceptions_frame(out)


# --------------------------------------------------------------------------- accruals


def _accrual_prefix(accounts: pd.Series, accrual_accounts: Mapping[str, int]) -> pd.Series:
    """The accrual account prefix of each account (longest match), else NA."""
    # A ledger repeats a few hundred accounts: match each distinct account once.
    codes, distinct = pd.factorize(accounts.astype("str"), use_na_sentinel=False)
    acc = pd.Series(distinct, dtype="str").str.strip()
    prefix = pd.Series(pd.NA, index=acc.index, dtype="str")
    for p in sorted(accrual_accounts, key=len, reverse=True):
        prefix = prefix.mask(prefix.isna() & acc.str.startswith(p).fillna(False), p)
    return prefix.iloc[codes].set_axis(accounts.index)


def _undoes(lines: pd.DataFrame, cents: pd.Series, before: str, period: str) -> np.ndarray:
    """Per line (positional): in ``period``, with (account, key, -cents) a line of ``before``."""
    keys = pd.DataFrame({"account": lines["account"].to_numpy(dtype=object),
                         "_key": lines["_key"].to_numpy(dtype=object),
                         "_cents": cents.to_numpy()})
    earlier = (lines["period"] == before).to_numpy()
    current = (lines["period"] == period).to_numpy()
    undone = keys[earlier].assign(_cents=lambda f: -f["_cents"])
    hit = pd.MultiIndex.from_frame(keys).isin(pd.MultiIndex.from_frame(undone))
    return current & hit


def _accrual_matches(gl_lines: pd.DataFrame, period: str,
                     accrual_accounts: Mapping[str, int]) -> pd.DataFrame:
    """Accruals booked in ``period`` and how much of each the next period reverses.

    One row per booking (account, vendor — or document_ref without a vendor — and
    document_ref), in cents: ``booked`` and ``reversed`` (≤ booked). A reversal first
    goes to the booking of its own document_ref; reversals left over (another reference,
    or more than that booking) cover the vendor's other bookings on the account, oldest
    first. So a vendor with two accruals of which one is forgotten is reported on the
    forgotten entry, while the totals per account and vendor are unchanged.

    A line of ``period`` that exactly undoes a line of the period before (same account,
    same key, opposite amount) is that line's reversal, not a new booking: the reversal
    of an accrued credit note (debit on 408 in M-1, credit in M) is not an accrual of M.
    """
    cols = ["period", "account", "amount", "vendor_id", "document_ref", "entry_id", "posting_date"]
    window = [shift_period(period, -1), period, shift_period(period, 1)]
    lines = gl_lines.loc[gl_lines["period"].isin(window), cols]
    lines["_prefix"] = _accrual_prefix(lines["account"], accrual_accounts)
    lines = lines[lines["_prefix"].notna()]
    cents = to_cents(lines["amount"]).fillna(0).astype("int64")
    lines["_key"] = lines["vendor_id"].fillna(lines["document_ref"]).fillna("")
    lines["_ref"] = lines["document_ref"].fillna("")
    keep = (lines["period"] != window[0]).to_numpy()
    undoes_previous = _undoes(lines, cents, window[0], period)[keep]
    lines, cents = lines[keep], cents[keep]
    side = lines["_prefix"].map(accrual_accounts).astype("int64")
    booked = (lines["period"] == period) & (np.sign(cents) == side) & ~undoes_previous
    reversed_ = (lines["period"] != period) & (np.sign(cents) == -side)
    lines["booked"] = (cents * side).where(booked, 0)
    lines["reversed"] = (-cents * side).where(reversed_, 0)
    # The entry and date shown are those of the booking, not of a reversal beside it.
    lines["entry_id"] = lines["entry_id"].where(booked)
    lines["posting_date"] = lines["posting_date"].where(booked)
    refs = lines.groupby(["account", "_key", "_ref"], sort=True).agg(
        booked=("booked", "sum"), reversed=("reversed", "sum"), vendor_id=("vendor_id", "first"),
        document_ref=("document_ref", "first"), entry_id=("entry_id", "first"),
        posting_date=("posting_date", "min")).reset_index()
    short = (refs["booked"] - refs["reversed"]).clip(lower=0)
    spare = (refs["reversed"] - refs["booked"]).clip(lower=0)
    refs = refs.assign(_short=short, _spare=spare).sort_values(
        ["account", "_key", "posting_date", "entry_id"], na_position="last")
    group = refs.groupby(["account", "_key"], sort=False)
    pool = group["_spare"].transform("sum")
    before = group["_short"].cumsum() - refs["_short"]
    covered = (pool - before).clip(lower=0).clip(upper=refs["_short"])
    refs["reversed"] = refs["booked"] - (refs["_short"] - covered)
    refs = refs[refs["booked"] > 0].sort_values(["account", "_key", "_ref"])
    return refs.drop(columns=["_ref", "_short", "_spare"]).reset_index(drop=True)


def unreversed_accruals(
    gl_lines: pd.DataFrame,
    period: str,
    *,
    accrual_accounts: Mapping[str, int] = ACCRUAL_ACCOUNTS,
    loaded_periods: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Accruals booked in ``period`` not reversed in the next one (F12 ``ACCRUAL_NOT_REVERSED``).

    An accrual is a line on 408/4286/4386/486/487 on its booking side (credit for 408,
    4286, 4386, 487; debit for 486). It must be reversed in ``period`` + 1 by the
    opposite amount on the same account and vendor (or document_ref when there is no
    vendor): a reversal goes to the booking of its own document_ref first, then to the
    vendor's other bookings on the account, oldest first. A partial reversal leaves the
    rest as exception, one row per booking entry. If the next period is not loaded,
    nothing can be judged yet.

    Returns
    -------
    DataFrame
        :data:`EXCEPTION_COLUMNS`; ``amount`` = unreversed amount (EUR, positive);
        ``expected`` = the period the reversal was due in.
    """
    due = shift_period(period, 1)
    if due not in _loaded(gl_lines, loaded_periods):
        return _exceptions_frame()
    match = _accrual_matches(gl_lines, period, accrual_accounts)
    left = match[match["booked"] > match["reversed"]]
    rows = left.assign(check="ACCRUAL_NOT_REVERSED", period=period, expected=due,
                       entry_date=pd.NaT,
                       amount=from_cents(left["booked"] - left["reversed"]).to_numpy())
    return _exceptions_frame(rows)


def accrual_reversal_rate(
    gl_lines: pd.DataFrame,
    period: str,
    *,
    accrual_accounts: Mapping[str, int] = ACCRUAL_ACCOUNTS,
) -> pd.DataFrame:
    """``accrual_reversal_rate = reversed / booked`` for accruals booked in ``period`` (F12).

    Reversals count up to the booked amount of each account and key.

    Returns
    -------
    DataFrame
        One row: ``period, booked, reversed`` (EUR, money, positive) ``, rate, reason``.
    """
    match = _accrual_matches(gl_lines, period, accrual_accounts)
    booked = int(match["booked"].sum())
    reversed_ = int(np.minimum(match["booked"], match["reversed"]).sum())
    rate = reversed_ / booked if booked else np.nan
    out = pd.DataFrame({"period": [period]})
    out["booked"] = from_cents(pd.Series([booked]))
    out["reversed"] = from_cents(pd.Series([reversed_]))
    out["rate"] = rate
    out["reason"] = pd.Series([None if booked else DENOM_ZERO], dtype="str")
    return out


def missing_invoice_accruals(
    gl_lines: pd.DataFrame, supplier_invoices: pd.DataFrame, period: str
) -> pd.DataFrame:
    """Invoices dated in or before ``period`` but received after it, with no 408 accrual
    for their vendor in ``period`` (F12 ``MISSING_INVOICE_ACCRUAL``).

    Returns
    -------
    DataFrame
        :data:`EXCEPTION_COLUMNS`; ``document_ref`` = invoice_id, ``amount`` = invoice HT,
        ``expected`` = ``"408"``.
    """
    end = pd.Timestamp(period_end(period))
    inv = supplier_invoices
    late = inv[(inv["invoice_date"] <= end) & (inv["received_date"] > end)]
    acc408 = gl_lines.loc[(gl_lines["period"] == period)
                          & gl_lines["account"].astype("str").str.startswith("408").fillna(False)
                          & (as_money(gl_lines["amount"]) < 0).fillna(False), ["vendor_id"]]
    late = late[~late["vendor_id"].isin(acc408["vendor_id"].dropna())]
    rows = pd.DataFrame({
        "check": "MISSING_INVOICE_ACCRUAL", "period": period, "vendor_id": late["vendor_id"],
        "document_ref": late["invoice_id"], "posting_date": late["invoice_date"],
        "amount": late["amount"], "expected": "408"})
    return _exceptions_frame(rows)


def recurring_cost_gaps(
    gl_lines: pd.DataFrame,
    period: str,
    *,
    months: int = 3,
    account_prefixes: Sequence[str] = ("60", "61", "62"),
) -> pd.DataFrame:
    """Vendors with spend in each of the ``months`` previous months and none in ``period``
    (F12 ``POSSIBLE_MISSING_ACCRUAL``).

    Returns
    -------
    DataFrame
        :data:`EXCEPTION_COLUMNS`; ``amount`` = the vendor's mean monthly spend over those
        months (the likely missing amount), ``expected`` = their first period.
    """
    before = period_range(shift_period(period, -months), shift_period(period, -1))
    cols = ["entry_id", "period", "account", "vendor_id", "amount"]
    lines = gl_lines.loc[gl_lines["period"].isin([*before, period]), cols]
    acc = lines["account"].astype("str").str.strip()
    lines = lines[acc.str.startswith(tuple(account_prefixes)).fillna(False)].copy()
    lines["vendor_id"] = _propagate_vendor(gl_lines, lines)
    lines = lines[lines["vendor_id"].notna()]
    spend = _sum_money(lines, ["vendor_id", "period"])
    spend["cents"] = to_cents(spend["amount"]).astype("int64")
    wide = spend.pivot(index="vendor_id", columns="period", values="cents")
    wide = wide.reindex(columns=[*before, period]).fillna(0)
    gap = wide[(wide[before] > 0).all(axis=1) & (wide[period] <= 0)]
    mean_cents = (gap[before].sum(axis=1) // months).astype("int64")
    rows = pd.DataFrame({"check": "POSSIBLE_MISSING_ACCRUAL", "period": period,
                         "vendor_id": gap.index, "expected": before[0],
                         "amount": from_cents(mean_cents).to_numpy()})
    return _exceptions_frame(rows)


# --------------------------------------------------------------------------- all checks


def _scope_entries(gl_lines: pd.DataFrame, period: str,
                   cost_center_filter: Sequence[str]) -> tuple[set, set]:
    """Entries (ids) of the 12 months to ``period`` that have a line on one of the cost
    centres, and the vendors of those entries. ``UNALLOCATED`` in the filter stands for
    class-6 lines without a cost centre (balance-sheet lines never carry one)."""
    window = gl_lines[gl_lines["period"].isin(r12_range(period))]
    centre = window["cost_center"]
    wanted = centre.isin(list(cost_center_filter)).fillna(False)
    if UNALLOCATED in cost_center_filter:
        expense = window["account"].astype("str").str.startswith("6").fillna(False)
        wanted |= centre.isna() & expense
    entries = set(window.loc[wanted.to_numpy(dtype=bool), "entry_id"].dropna())
    touched = window[window["entry_id"].isin(entries)]
    return entries, set(touched["vendor_id"].dropna())


def cutoff_exceptions(
    gl_lines: pd.DataFrame,
    period: str,
    *,
    close_working_day: int = 5,
    extra_holidays: Iterable = (),
    alsace_moselle: bool = False,
    supplier_invoices: pd.DataFrame | None = None,
    accrual_accounts: Mapping[str, int] = ACCRUAL_ACCOUNTS,
    loaded_periods: Iterable[str] | None = None,
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every cut-off exception of the close of ``period`` (F12), one tidy table.

    Checks: entries posted after the close date, postings outside their period,
    unbalanced entries, duplicate lines, accruals booked in the previous month and not
    reversed in ``period``, invoices without FNP accrual (when ``supplier_invoices`` is
    given), recurring vendors missing this month.

    With ``cost_center_filter``, the checks still look at whole entries (a balance or a
    reversal is judged on the entry), then only the exceptions in that scope are kept:
    an entry with a line on one of those cost centres, and a vendor-level exception
    (no entry) for a vendor whose entries of the 12 months to ``period`` touch them
    (:func:`_scope_entries`).

    Returns
    -------
    DataFrame
        :data:`EXCEPTION_COLUMNS`, ordered by :data:`CUTOFF_CHECKS` then entry.
    """
    parts = [
        late_postings(gl_lines, period, close_working_day=close_working_day,
                      extra_holidays=extra_holidays, alsace_moselle=alsace_moselle),
        posting_outside_period(gl_lines, period),
        unbalanced_entries(gl_lines, period),
        duplicate_lines(gl_lines, period),
        unreversed_accruals(gl_lines, shift_period(period, -1), accrual_accounts=accrual_accounts,
                            loaded_periods=loaded_periods),
        recurring_cost_gaps(gl_lines, period),
    ]
    if supplier_invoices is not None:
        parts.append(missing_invoice_accruals(gl_lines, supplier_invoices, period))
    out = pd.concat([p for p in parts if not p.empty] or [_exceptions_frame()],
                    ignore_index=True)
    if cost_center_filter is not None:
        entries, vendors = _scope_entries(gl_lines, period, cost_center_filter)
        keep = out["entry_id"].isin(entries) | (out["entry_id"].isna()
                                                & out["vendor_id"].isin(vendors))
        out = out[keep.to_numpy(dtype=bool)]
    order = out["check"].map({c: i for i, c in enumerate(CUTOFF_CHECKS)})
    out = out.assign(_o=order).sort_values(["_o", "entry_id", "account", "vendor_id"],
                                           kind="stable", na_position="last")
    return _exceptions_frame(out.drop(columns="_o"))


def cutoff_summary(exceptions: pd.DataFrame) -> pd.DataFrame:
    """Count and EUR amount of exceptions per check (F12 KPIs), every check listed.

    Returns
    -------
    DataFrame
        ``check, count, amount`` (EUR, money; Σ of the exceptions' amounts).
    """
    counts = exceptions.groupby("check").size()
    amounts = _sum_money(exceptions, ["check"]).set_index("check")["amount"]
    out = pd.DataFrame({"check": pd.Series(CUTOFF_CHECKS, dtype="str")})
    out["count"] = out["check"].map(counts).fillna(0).astype("int64")
    out["amount"] = as_money(out["check"].map(amounts).astype(MONEY).fillna(ZERO))
    return out
