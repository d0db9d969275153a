"""Dead stock and slow movers (kpi-reference S6), per (sku, warehouse) in stock.

``days_since_issue = as_of − last issue date``: receipts, transfers and adjustments do
not reset it; a pair never issued counts from its first receipt (the first movement
that brought stock in: a receipt, an incoming transfer leg or a positive adjustment).
Status, the thresholds being *defaults* (always print them):

- ``new``: first received less than ``slow_days`` days before ``as_of`` (``NEW_ITEM``,
  left out of slow and dead stock);
- ``dead``: more than ``dead_days`` days since the last issue (S6 default 365);
- ``slow``: more than ``slow_days`` days, ``dead_days`` at most (S6 default 180);
- ``active`` otherwise.

Only pairs with stock on hand at the month end are classified; values are the month-end
values of :func:`.valuation.monthly_stock` (a dormant-stock figure always states its
date, S6 [V: S31]).

Example::

    pairs = dormant_stock(movements, ledger, "2026-10")
    dormant_summary(pairs)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..periods import period_end, validate_period
from ..tables import MONEY
from ._common import (
    cents_of,
    check_days,
    day_number,
    money_of,
    pair_numbers,
    param_error,
    usable_movements,
)

__all__ = ["STATUSES", "check_thresholds", "dormant_stock", "dormant_summary"]

#: Statuses of :func:`dormant_stock`, in the order of the summary.
STATUSES = ("active", "slow", "dead", "new")


def check_thresholds(slow_days: int, dead_days: int) -> tuple[int, int]:
    """``(slow_days, dead_days)`` if they are whole days with ``0 < slow < dead``, else
    a ParameterError saying which."""
    slow_days = check_days(slow_days, "slow_days")
    dead_days = check_days(dead_days, "dead_days")
    if dead_days <= slow_days:
        raise param_error("dormant_days", slow=slow_days, dead=dead_days)
    return slow_days, dead_days


def dormant_stock(movements: pd.DataFrame, ledger: pd.DataFrame, period: str, *,
                  slow_days: int = 180, dead_days: int = 365) -> pd.DataFrame:
    """The pairs in stock at the end of ``period`` with their days since the last issue.

    Parameters
    ----------
    movements:
        Canonical ``stock_movements`` (the dates).
    ledger:
        :func:`.valuation.monthly_stock` with ``period`` (the quantities and values).
    slow_days, dead_days:
        Thresholds in days, ``0 < slow_days < dead_days``.

    Returns
    -------
    DataFrame
        ``sku, warehouse, qty_on_hand`` (units) ``, stock_value`` (EUR, MONEY)
        ``, first_receipt, last_issue`` (dates; NaT when never issued)
        ``, days_since_issue`` (days, Int64) ``, status`` (:data:`STATUSES`). Pairs with
        a closing quantity above zero, by value descending then sku and warehouse.
    """
    period = validate_period(period)
    slow_days, dead_days = check_thresholds(slow_days, dead_days)
    as_of = period_end(period)
    stock = ledger[(ledger["period"] == period) & (ledger["closing_qty"] > 0)]
    mv = usable_movements(movements)
    mv = mv[day_number(mv["date"]) <= day_number(as_of)]
    # grouped by pair number rather than by the two key texts: the same dates, cheaper
    pairs, pair = pair_numbers(mv)
    dates = pd.DataFrame({"last_issue": mv["date"].where(mv["kind"] == "issue").to_numpy(),
                          "first_receipt": mv["date"].where(mv["qty"] > 0).to_numpy()}
                         ).groupby(pair, sort=True).agg({"last_issue": "max",
                                                         "first_receipt": "min"})
    dates = pairs.assign(last_issue=dates["last_issue"].to_numpy(),
                         first_receipt=dates["first_receipt"].to_numpy())
    out = stock[["sku", "warehouse", "closing_qty", "closing_value"]].merge(
        dates, on=["sku", "warehouse"], how="left")
    ref = out["last_issue"].fillna(out["first_receipt"])
    today = day_number(as_of)
    days = today - day_number(ref)
    age = today - day_number(out["first_receipt"])
    status = np.select([age < slow_days, days > dead_days, days > slow_days],
                       ["new", "dead", "slow"], "active")
    out = out.assign(days_since_issue=pd.array(np.where(ref.isna(), None, days),
                                               dtype="Int64"),
                     status=pd.Series(status, dtype="str", index=out.index))
    out = out.rename(columns={"closing_qty": "qty_on_hand", "closing_value": "stock_value"})
    order = np.lexsort((out["warehouse"].to_numpy(), out["sku"].to_numpy(),
                        -np.nan_to_num(cents_of(out["stock_value"]))))
    return out.iloc[order].reset_index(drop=True)[[
        "sku", "warehouse", "qty_on_hand", "stock_value", "first_receipt", "last_issue",
        "days_since_issue", "status"]]


def dormant_summary(pairs: pd.DataFrame) -> pd.DataFrame:
    """Count, value and share of value of each status of :func:`dormant_stock` (S6 KPIs).

    Returns
    -------
    DataFrame
        ``status`` (:data:`STATUSES`, in that order) ``, pairs`` (sku-warehouses)
        ``, stock_value`` (EUR, MONEY) ``, share`` (fraction of the value of every pair
        in stock; None when that value is 0).
    """
    cents = pairs.assign(_cents=np.nan_to_num(cents_of(pairs["stock_value"])))
    sums = cents.groupby("status", sort=False).agg(pairs=("sku", "size"),
                                                   cents=("_cents", "sum"))
    sums = sums.reindex(list(STATUSES), fill_value=0)
    total = float(sums["cents"].sum())
    out = pd.DataFrame({
        "status": pd.Series(STATUSES, dtype="str"),
        "pairs": sums["pairs"].to_numpy(dtype="int64"),
        "stock_value": money_of(sums["cents"].to_numpy()).astype(MONEY),
        "share": sums["cents"].to_numpy() / total if total else np.nan,
    })
    return out
