"""Month-end stock rebuilt from the movements, valued at the periodic weighted average cost
(kpi-reference S9, « CUMP de période »).

There are no stock snapshots among the inputs, so quantities and values are rebuilt from
``stock_movements`` (flow table: a month inside the movements' range without rows for a
(sku, warehouse) is a true zero; a month before the first movement is not loaded).

Valuation: IAS 2 allows FIFO or weighted average for interchangeable items; this package
uses the **periodic** weighted average, one average per (sku, warehouse) and month — the
variant S9 names — rather than the perpetual one, because it is exact to reproduce from
monthly flows (no re-sequencing of same-day movements) and vectorises across items. The
method is the same for every category (S9: it must not switch silently).

For each (sku, warehouse) and month::

    avg_cost = (opening_value + Σ inflow qty × inflow unit_cost)
               / (opening_qty + Σ inflow qty)

- *inflows* feed the average at their own ``unit_cost``: receipts and transfer legs with
  ``qty > 0`` (a transfer enters at the cost its origin carried in the source system);
- every other movement — issues, adjustments, outgoing transfer legs, receipts without a
  cost (S9: excluded from the average) or with a negative quantity (returns to the
  supplier) — is valued at the month's average, and so is the closing stock;
- a negative or zero opening stock does not enter the average; when nothing is left to
  average (``opening_qty + inflows ≤ 0``) the previous average is kept (S9), or the cost
  of the last movement for a pair that never had one; a negative closing quantity is
  flagged ``negative_stock`` (S9 ``NEGATIVE_STOCK``).

The average is rounded half away from zero to the cent (the precision of every
``unit_cost``) and each value is ``qty × avg_cost`` in cents, so values are exact and
add up; the difference between the month's pool (opening + inflows) and what the
average gives back is the ``revaluation`` column (a few cents at most), which makes
``opening + receipts + issues + adjustments + transfers + revaluation = closing`` hold
exactly.

Example::

    ledger = monthly_stock(movements, period_range("2025-10", "2026-10"))
    ledger.groupby("period")["closing_value"].sum()
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..periods import period_range, validate_period
from ..tables import MONEY
from ._common import (
    cents_of,
    money_of,
    month_numbers,
    pair_numbers,
    round_half,
    usable_movements,
    value_cents,
)

__all__ = ["FLOWS", "monthly_stock"]

#: Flow columns of :func:`monthly_stock`, by movement type (signed: + in, − out).
FLOWS = ("receipts", "issues", "adjustments", "transfers")

_MONEY_COLUMNS = ("avg_cost", "opening_value", "receipts_value", "issues_value",
                  "adjustments_value", "transfers_value", "revaluation", "closing_value")


def _grid(mv: pd.DataFrame, months: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """The (sku, warehouse) pairs, sorted, and each movement's flat pair × month index."""
    pairs, pair = pair_numbers(mv)
    return pairs, pair * len(months) + month_numbers(mv["period"], months)


def _sums(flat: np.ndarray, weights: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    return np.bincount(flat, weights=weights, minlength=shape[0] * shape[1]).reshape(shape)


def _last_costs(mv: pd.DataFrame, flat: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Cost of each pair's last movement with a cost, to each month (cents, NaN before)."""
    cents = cents_of(mv["unit_cost"])
    has = ~np.isnan(cents)
    last = pd.Series(cents[has]).groupby(flat[has]).last()
    out = np.full(shape[0] * shape[1], np.nan)
    out[last.index.to_numpy()] = last.to_numpy()
    return pd.DataFrame(out.reshape(shape)).ffill(axis=1).to_numpy()


def _flows(mv: pd.DataFrame, flat: np.ndarray, shape: tuple[int, int]) -> dict[str, np.ndarray]:
    """Pair × month sums: inflows (quantity, cents) by type, and the other flows by type."""
    qty = mv["qty"].to_numpy(dtype="float64")
    cents = value_cents(qty, cents_of(mv["unit_cost"]))
    # one boolean mask per movement type, compared on the Arrow texts (np.isin on an
    # object array of 82k texts costs several ms per call)
    kind = {name: (mv["kind"] == name).to_numpy(dtype=bool) for name in
            ("receipt", "issue", "adjustment", "transfer")}
    inflow = (kind["receipt"] | kind["transfer"]) & (qty > 0) & ~np.isnan(cents)
    out = {}
    for name, one in (("receipts", "receipt"), ("transfers", "transfer")):
        mask = inflow & kind[one]
        out[f"in_{name}_qty"] = _sums(flat, np.where(mask, qty, 0.0), shape)
        out[f"in_{name}_cents"] = _sums(flat, np.where(mask, cents, 0.0), shape)
    for name, one in (("receipts", "receipt"), ("issues", "issue"),
                      ("adjustments", "adjustment"), ("transfers", "transfer")):
        mask = ~inflow & kind[one]
        out[f"out_{name}_qty"] = _sums(flat, np.where(mask, qty, 0.0), shape)
    return out


def _roll(f: dict[str, np.ndarray], fallback: np.ndarray, n_pairs: int,
          n_months: int) -> dict[str, np.ndarray]:
    """Month by month (vectorised over pairs): average, closing quantity and values."""
    cols = {c: np.zeros((n_pairs, n_months)) for c in (
        "opening_qty", "closing_qty", "avg", "opening_value", "receipts_value",
        "issues_value", "adjustments_value", "transfers_value", "revaluation",
        "closing_value", *(f"{flow}_qty" for flow in FLOWS))}
    open_q, open_c = np.zeros(n_pairs), np.zeros(n_pairs)
    avg = np.full(n_pairs, np.nan)
    for j in range(n_months):
        in_q = f["in_receipts_qty"][:, j] + f["in_transfers_qty"][:, j]
        in_c = f["in_receipts_cents"][:, j] + f["in_transfers_cents"][:, j]
        use_open = (open_q > 0) & ~np.isnan(open_c)
        pool_q = np.where(use_open, open_q, 0.0) + in_q
        pool_c = np.where(use_open, open_c, 0.0) + in_c
        new = round_half(pool_c / np.where(pool_q > 0, pool_q, 1.0))
        avg = np.where(pool_q > 0, new, np.where(np.isnan(avg), fallback[:, j], avg))
        out = {flow: f[f"out_{flow}_qty"][:, j] for flow in FLOWS}
        values = {flow: value_cents(out[flow], avg) for flow in FLOWS}
        values["receipts"] += f["in_receipts_cents"][:, j]
        values["transfers"] += f["in_transfers_cents"][:, j]
        close_q = open_q + in_q + sum(out.values())
        close_c = value_cents(close_q, avg)
        for flow in FLOWS:
            cols[f"{flow}_qty"][:, j] = out[flow]
            cols[f"{flow}_value"][:, j] = values[flow]
        cols["receipts_qty"][:, j] += f["in_receipts_qty"][:, j]
        cols["transfers_qty"][:, j] += f["in_transfers_qty"][:, j]
        cols["opening_qty"][:, j], cols["opening_value"][:, j] = open_q, open_c
        cols["closing_qty"][:, j], cols["closing_value"][:, j] = close_q, close_c
        cols["avg"][:, j] = avg
        cols["revaluation"][:, j] = close_c - open_c - sum(values.values())
        open_q, open_c = close_q, close_c
    return cols


def monthly_stock(movements: pd.DataFrame, periods: Sequence[str]) -> pd.DataFrame:
    """Opening stock, flows and closing stock of every (sku, warehouse) and month (S9).

    The stock is rebuilt from the first movement; movements after the last of
    ``periods`` are ignored. See the module docstring for the valuation.

    Parameters
    ----------
    movements:
        Canonical ``stock_movements`` (``qty`` signed: + in, − out).
    periods:
        ``YYYY-MM`` months to return. Months before the first movement are not loaded
        and have no rows.

    Returns
    -------
    DataFrame
        ``sku, warehouse, period, opening_qty, receipts_qty, issues_qty,
        adjustments_qty, transfers_qty, closing_qty`` (units, float, signed: + in, − out)
        ``, avg_cost`` (EUR per unit, MONEY; NA for a pair that never had a cost)
        ``, opening_value, receipts_value, issues_value, adjustments_value,
        transfers_value, revaluation, closing_value`` (EUR, MONEY, signed like the
        quantities: ``issues_value`` is minus the consumption at cost)
        ``, negative_stock`` (closing quantity below zero). One row per pair that has a
        movement up to the last period, for every loaded month of ``periods`` (zeros
        included); sorted by sku, warehouse and period.
    """
    wanted = sorted({validate_period(p) for p in periods})
    mv = usable_movements(movements)
    mv = mv[(mv["period"] <= wanted[-1]).to_numpy(dtype=bool)]
    columns = ["sku", "warehouse", "period", "opening_qty", *(f"{f}_qty" for f in FLOWS),
               "closing_qty", *_MONEY_COLUMNS, "negative_stock"]
    if mv.empty:
        return _empty(columns)
    months = period_range(min(mv["period"].min(), wanted[-1]), wanted[-1])
    pairs, flat = _grid(mv, months)
    shape = (len(pairs), len(months))
    cols = _roll(_flows(mv, flat, shape), _last_costs(mv, flat, shape), *shape)
    out = pairs.loc[pairs.index.repeat(len(months))].reset_index(drop=True)
    out["period"] = pd.Series(np.tile(months, len(pairs)), dtype="str")
    for name in ("opening_qty", *(f"{f}_qty" for f in FLOWS), "closing_qty"):
        out[name] = cols[name].ravel()
    out["avg_cost"] = money_of(cols["avg"].ravel())
    for name in _MONEY_COLUMNS[1:]:
        out[name] = money_of(cols[name].ravel())
    out["negative_stock"] = out["closing_qty"] < 0
    keep = out["period"].isin(wanted).to_numpy()
    return out[keep].reset_index(drop=True)[columns]


def _empty(columns: list[str]) -> pd.DataFrame:
    dtypes = {"sku": "str", "warehouse": "str", "period": "str", "negative_stock": "bool"}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, MONEY if c in _MONEY_COLUMNS
                                                        else "float64")) for c in columns})
