"""Days payable outstanding, DPO (kpi-reference P10), by the two methods of the reference.

- :func:`dpo_invoices`, invoice method: ``Σ amount × (paid_date − invoice_date) / Σ
  amount`` over the invoices paid in the window (HT amounts; credit notes left out, their
  negative weight would pull the mean towards nothing meaningful).
- :func:`dpo_ledger`, balance method: ``average trade payables / purchases × days``.
  Payables are the credit balance of 401, 403 and 408 net of supplier debit balances
  (409), at each month end from the month before the window to its last month (13
  points for a year, 2 for a month), averaged. Payables are TTC, so purchases are put on
  the same basis (P10): accounts 60 (603, stock variation, excluded), 61 and 62 plus the
  deductible VAT on them (44566, and 44586 on invoices not yet received) booked in the
  window — the "achats TTC" of the Banque de France's supplier-delay ratio. ``days`` is
  the window's calendar days.

The balance method needs the ledger from its opening balances (à-nouveaux, as a FEC
has): a balance is the sum of every line up to the month end. Every month of the window
must be in the ledger (``loaded_periods``, default the periods present), otherwise the
result is NA with ``NOT_LOADED``; zero purchases give NA with ``DENOM_ZERO`` (§0).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from ..accounts import distinct_accounts
from ..money import DENOM_ZERO, ZERO, money_sum
from ..periods import calendar_days, shift_period
from ..tables import MONEY
from ._common import NO_POPULATION, NOT_LOADED, _loaded, _periods
from .invoices import invoice_durations

__all__ = ["PAYABLE_ACCOUNTS", "PURCHASE_ACCOUNTS", "PURCHASE_VAT_ACCOUNTS", "dpo_invoices",
           "dpo_ledger"]

#: Trade payables (PCG prefixes): suppliers, notes payable, invoices not received, and
#: supplier debit balances (409: advances, credit notes to receive) netted against them.
PAYABLE_ACCOUNTS = ("401", "403", "408", "409")
#: Purchases and external charges (P&L, HT); 603 (stock variation) is not a purchase.
PURCHASE_ACCOUNTS = ("60", "61", "62")
_NOT_PURCHASES = ("603",)
#: Deductible VAT on goods and services (and on invoices not yet received).
PURCHASE_VAT_ACCOUNTS = ("44566", "44586")
_CENT = Decimal("0.01")


def _window(periods: Sequence[str]) -> tuple[str, str, int]:
    periods = _periods(periods)
    return periods[0], periods[-1], sum(calendar_days(p) for p in periods)


def dpo_invoices(
    supplier_invoices: pd.DataFrame,
    periods: Sequence[str],
    *,
    durations: pd.DataFrame | None = None,
    loaded_periods: Iterable[str] | None = None,
) -> pd.DataFrame:
    """DPO by the invoice method over the invoices paid in ``periods`` (one window);
    invoices with dates out of order are left out, as in the cycle times.

    Returns
    -------
    DataFrame
        One row: ``start, end, invoices, amount`` (EUR HT paid, money) ``, dpo``
        (amount-weighted mean of ``paid_date − invoice_date``, calendar days)
        ``, coverage`` (share of the months covered) ``, reason``.
    """
    start, end, _ = _window(periods)
    periods = _periods(periods)
    inv = invoice_durations(supplier_invoices) if durations is None else durations
    loaded = _loaded(inv["received_date"], loaded_periods)
    paid = inv.loc[inv["paid_period"].isin(periods) & ~inv["credit_note"]
                   & inv["invoice_to_payment"].notna(), ["amount_cents", "invoice_to_payment"]]
    cents = paid["amount_cents"]
    days = paid["invoice_to_payment"].astype("int64")
    total = int(cents.sum())
    coverage = sum(p in loaded for p in periods) / len(periods)
    reason = NOT_LOADED if coverage < 1 else (NO_POPULATION if total <= 0 else None)
    dpo = float((cents * days).sum()) / total if reason is None else np.nan
    return pd.DataFrame({
        "start": [start], "end": [end], "invoices": pd.Series([len(paid)], dtype="Int64"),
        "amount": pd.Series([Decimal(total) / 100], dtype=MONEY), "dpo": [dpo],
        "coverage": [coverage], "reason": pd.Series([reason], dtype="str"),
    }).astype({"start": "str", "end": "str", "dpo": "float64"})


def _starts(accounts: pd.Series, prefixes: Sequence[str]) -> np.ndarray:
    """Accounts (text, stripped) starting with one of ``prefixes``."""
    return accounts.str.startswith(tuple(prefixes)).fillna(False).to_numpy(bool)


def dpo_ledger(
    gl_lines: pd.DataFrame,
    periods: Sequence[str],
    *,
    loaded_periods: Iterable[str] | None = None,
) -> pd.DataFrame:
    """DPO by the balance method over the window ``periods`` (consecutive months).

    Returns
    -------
    DataFrame
        One row: ``start, end, payables_open`` (at the end of the month before the
        window) ``, payables_close, avg_payables`` (EUR TTC, money; the average rounded
        to the cent for display only) ``, purchases`` (EUR TTC, money) ``, days, dpo``
        (days) ``, coverage`` (share of the months in the ledger) ``, reason``.
    """
    start, end, days = _window(periods)
    periods = _periods(periods)
    loaded = _loaded_periods(gl_lines, loaded_periods)
    gl = gl_lines[["period", "account", "amount"]]
    # A ledger repeats a few hundred accounts: the prefixes are tested on each distinct
    # account (stripped) once, and line i takes the answer of its account codes[i].
    codes, account = distinct_accounts(gl["account"])
    payable = gl[_starts(account, PAYABLE_ACCOUNTS)[codes]]
    monthly = payable.groupby("period")["amount"].sum()
    points = [shift_period(start, -1), *periods]
    # credit balance: payables are credits (amount = debit − credit < 0)
    balances = [-total for total in _totals_to(monthly, points)]
    bought = _starts(account, PURCHASE_ACCOUNTS) & ~_starts(account, _NOT_PURCHASES)
    bought |= _starts(account, PURCHASE_VAT_ACCOUNTS)
    in_window = gl["period"].isin(periods).to_numpy(bool)
    purchases = money_sum(gl.loc[bought[codes] & in_window, "amount"])
    coverage = sum(p in loaded for p in periods) / len(periods)
    reason = NOT_LOADED if coverage < 1 else (DENOM_ZERO if purchases <= 0 else None)
    average = sum(balances, ZERO) / len(balances)
    dpo = float(average / purchases * days) if reason is None else np.nan
    money = [balances[0], balances[-1], average.quantize(_CENT, ROUND_HALF_UP), purchases]
    if coverage < 1:
        money = [None] * 4
    out = pd.DataFrame({"start": [start], "end": [end]}, dtype="str")
    for name, value in zip(("payables_open", "payables_close", "avg_payables", "purchases"),
                           money, strict=True):
        out[name] = pd.Series([value], dtype=MONEY)
    return out.assign(days=days, dpo=dpo, coverage=coverage,
                      reason=pd.Series([reason], dtype="str"))


def _totals_to(monthly: pd.Series, points: Sequence[str]) -> list[Decimal]:
    """Exact Σ of the monthly amounts (money, indexed by period) of the periods up to
    each point, as two-decimal Decimals (0.00 when none; NA skipped), like
    :func:`~backoffice_lib.money.money_sum` of ``monthly[monthly.index <= point]``.

    Summed in Python on a dozen Decimals: filtering the Series and summing it again for
    each point costs a millisecond a point."""
    amounts = [(period, amount) for period, amount in zip(monthly.index, monthly.tolist(),
                                                          strict=True)
               if not pd.isna(amount)]
    return [sum((Decimal(amount) for period, amount in amounts if period <= point), ZERO)
            .quantize(_CENT) for point in points]


def _loaded_periods(gl_lines: pd.DataFrame, loaded_periods: Iterable[str] | None) -> set[str]:
    """The ledger's periods: given, or every period with a line."""
    if loaded_periods is not None:
        return set(loaded_periods)
    return set(gl_lines["period"].dropna().unique())
