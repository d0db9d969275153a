"""Stock on hand, coverage in days and stockout rates (kpi-reference S3, S5), per
(sku, warehouse) — the stock grain of §5.5 — from the movements.

On hand at a date = Σ ``qty`` of the movements dated up to that day included (end of
day). Demand over a window = quantities issued (``type = 'issue'``, net of returns) in
the ``window_days`` days ending on the date, the date included (S3 *default*: 90 days;
there is no forecast among the inputs).

- Coverage (S3): ``qty_on_hand / (demand / window_days)`` in days; stock ≤ 0 → 0;
  no demand with stock on hand → None, ``NO_DEMAND`` (such stock feeds S6).
- Stockout rate (S5), for the month end and over the month: a pair is *active* when it
  had demand in the ``window_days`` to the month end — issues at the pair, or the
  caller's extra ``demand`` events (order lines: they name the sku but not the
  warehouse, so they make every pair of the sku active; unserved demand leaves no
  issue) — and *out* when its on-hand is ≤ 0 (negative stock is a data error and counts
  as out, S5). Snapshot rate = active pairs out at the month end / active pairs;
  time-weighted rate = active pairs' days out in the month (end of day) / (active pairs
  × days of the month). Only pairs that have moved are counted: demand for an item never
  stocked anywhere has no warehouse to be out of.

Example::

    coverage(movements, date(2026, 10, 31))
    stockout_rate(movements, r12_range("2026-10"))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..periods import calendar_days, period_end, period_start, validate_period
from ._common import (
    DENOM_ZERO,
    NO_DEMAND,
    check_days,
    day_number,
    pair_numbers,
    usable_movements,
)

__all__ = ["coverage", "on_hand", "stockout_rate"]


def _upto(mv: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    return mv[day_number(mv["date"]) <= day_number(as_of)]


def on_hand(movements: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Quantity on hand of each (sku, warehouse) at the end of ``as_of``.

    Returns
    -------
    DataFrame
        ``sku, warehouse, qty_on_hand`` (units, float; below 0 is a data error). One row
        per pair with a movement up to ``as_of``, sorted.
    """
    mv = _upto(usable_movements(movements), as_of)
    out = mv.groupby(["sku", "warehouse"], sort=True)["qty"].sum()
    return out.rename("qty_on_hand").reset_index()


def coverage(movements: pd.DataFrame, as_of: dt.date, *, window_days: int = 90
             ) -> pd.DataFrame:
    """Days of supply of each (sku, warehouse) at the end of ``as_of`` (S3).

    Returns
    -------
    DataFrame
        ``sku, warehouse, qty_on_hand`` (units) ``, demand_qty`` (units issued in the
        ``window_days`` to ``as_of``) ``, daily_demand`` (units per day)
        ``, coverage_days`` (days, float: 0 when the stock is ≤ 0, None with ``reason =
        NO_DEMAND`` when there is stock and no demand). One row per pair with a movement
        up to ``as_of``, sorted.
    """
    window_days = check_days(window_days, "window_days")
    mv = _upto(usable_movements(movements), as_of)
    recent = (mv["kind"] == "issue") & (day_number(mv["date"]) > day_number(as_of) - window_days)
    # sums by pair number (the same sums, row order kept, as by the two key texts)
    out, pair = pair_numbers(mv)
    sums = pd.DataFrame({"qty_on_hand": mv["qty"].to_numpy(dtype="float64"),
                         "demand_qty": -mv["qty"].where(recent, 0.0).to_numpy(dtype="float64")}
                        ).groupby(pair, sort=True).sum()
    out = out.assign(qty_on_hand=sums["qty_on_hand"].to_numpy(),
                     demand_qty=sums["demand_qty"].to_numpy())
    out["demand_qty"] = out["demand_qty"] + 0.0  # no "-0.0"
    daily = out["demand_qty"] / window_days
    stock, has_demand = out["qty_on_hand"], daily > 0
    out["daily_demand"] = daily
    out["coverage_days"] = np.where(stock <= 0, 0.0, np.where(
        has_demand, stock / daily.where(has_demand, 1.0), np.nan))
    out["reason"] = pd.Series(np.where((stock > 0) & ~has_demand, NO_DEMAND, None),
                              dtype="str")
    return out


def _sku_demand(demand: pd.DataFrame, pairs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Days and pair numbers of the ``demand`` events, each repeated for every pair of
    its sku (demand without a warehouse); events of a sku without a pair are dropped.

    ``pairs`` is sorted by sku, so the pairs of a sku are consecutive numbers: each event
    is repeated once per pair of its sku with numbers ``first .. first + count − 1``
    (the rows of an inner merge on ``sku``, in another order, which the counts of
    :func:`_active` do not depend on; without the merge's string join)."""
    events = demand.dropna(subset=["sku", "date"])
    skus, first, count = np.unique(pairs["sku"].to_numpy(dtype=object), return_index=True,
                                   return_counts=True)
    # each distinct sku of the events looked up once (the events' skus are factorized:
    # fewer texts to hash than one lookup per event)
    codes, distinct = pd.factorize(events["sku"])
    sku = pd.Index(skus).get_indexer(distinct)[codes]
    known = sku >= 0
    sku, days = sku[known], day_number(events["date"])[known]
    repeats = count[sku]
    # position of each repeated row within its event's run: 0, 1, ... count − 1
    offset = np.arange(repeats.sum()) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    return np.repeat(days, repeats), np.repeat(first[sku], repeats) + offset


def _active(days: np.ndarray, pair: np.ndarray, ends: np.ndarray, window: int,
            n_pairs: int) -> np.ndarray:
    """Pair × month: some demand dated in (month end − window, month end]."""
    width = len(ends) + 1
    lo = pair * width + np.searchsorted(ends, days, side="left")
    hi = pair * width + np.searchsorted(ends, days + window, side="left")
    marks = (np.bincount(lo, minlength=n_pairs * width)
             - np.bincount(hi, minlength=n_pairs * width)).reshape(n_pairs, width)
    return np.cumsum(marks, axis=1)[:, :-1] > 0


def _days_out(day: np.ndarray, pair: np.ndarray, qty: np.ndarray, n_pairs: int,
              starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Pair × month: days whose end-of-day on-hand is ≤ 0, from each pair's steps."""
    if not len(day):  # no movement up to the last month: no pair, no day out
        return np.zeros((n_pairs, len(ends)))
    # Σ qty by (pair, day), grouped on one int64 key pair × span + day: the same groups,
    # in the same (pair, day) order and summed in the same row order, as grouping on the
    # two columns, without building their MultiIndex
    first_day = int(day.min()) if len(day) else 0
    span = int(day.max()) - first_day + 1 if len(day) else 1
    key = pair.astype("int64") * span + (day - first_day)
    sums = pd.Series(qty).groupby(key, sort=True).sum()
    steps = pd.DataFrame({"pair": sums.index.to_numpy() // span,
                          "day": sums.index.to_numpy() % span + first_day,
                          "qty": sums.to_numpy()})
    level = steps.groupby("pair")["qty"].cumsum().to_numpy()
    p, d = steps["pair"].to_numpy(), steps["day"].to_numpy()
    last = np.r_[p[1:] != p[:-1], True]
    until = np.where(last, np.iinfo("int64").max // 4, np.r_[d[1:], 0])
    first = np.r_[True, p[1:] != p[:-1]]
    # intervals at zero or below: each step's level, and each pair before its first step
    out_p = np.r_[p[level <= 1e-9], p[first]]
    out_from = np.r_[d[level <= 1e-9], np.full(first.sum(), -(2**40))]
    out_to = np.r_[until[level <= 1e-9], d[first]]
    overlap = (np.minimum(out_to[:, None], ends[None, :] + 1)
               - np.maximum(out_from[:, None], starts[None, :])).clip(min=0)
    # Σ of each pair's intervals, month by month: one bincount on pair × month (whole
    # days, so exact in any order; np.add.at on rows is several times slower)
    n_months = len(ends)
    flat = (out_p[:, None] * n_months + np.arange(n_months)[None, :]).ravel()
    days = np.bincount(flat, weights=overlap.ravel().astype("float64"),
                       minlength=n_pairs * n_months)
    return days.reshape(n_pairs, n_months)


def stockout_rate(movements: pd.DataFrame, periods: Sequence[str], *, window_days: int = 90,
                  demand: pd.DataFrame | None = None) -> pd.DataFrame:
    """Stockout rates of each month of ``periods`` (S5): at the month end and over the month.

    Parameters
    ----------
    movements:
        Canonical ``stock_movements``.
    periods:
        ``YYYY-MM`` months.
    window_days:
        Demand window that makes a pair active (S3/S5 *default* 90 days).
    demand:
        Extra demand events, ``sku, date`` (e.g. order lines): they carry no warehouse
        and make every pair of their sku active. Issues are always demand.

    Returns
    -------
    DataFrame
        ``period, active_pairs, out_pairs`` (active pairs with on-hand ≤ 0 at the month
        end) ``, negative_pairs`` (on-hand < 0, all pairs) ``, snapshot_rate`` (fraction)
        ``, active_days, out_days`` (pair-days) ``, time_weighted_rate`` (fraction)
        ``, reason`` (``DENOM_ZERO`` without active pairs). One row per period, sorted.
    """
    window_days = check_days(window_days, "window_days")
    months = sorted({validate_period(p) for p in periods})
    starts = np.array([day_number(period_start(p)) for p in months])
    ends = np.array([day_number(period_end(p)) for p in months])
    mv = _upto(usable_movements(movements), period_end(months[-1]))
    pairs, mv_pair = pair_numbers(mv)  # every pair that moved, sorted
    n = len(pairs)
    day, qty = day_number(mv["date"]), mv["qty"].to_numpy(dtype="float64")
    issue = (mv["kind"] == "issue").to_numpy()
    events_day, events_pair = day[issue], mv_pair[issue]
    if demand is not None:
        extra_day, extra_pair = _sku_demand(demand, pairs)
        events_day, events_pair = np.r_[events_day, extra_day], np.r_[events_pair, extra_pair]
    active = _active(events_day, events_pair, ends, window_days, n)
    width = len(months) + 1
    flat = mv_pair * width + np.searchsorted(ends, day, side="left")
    level = np.bincount(flat, weights=qty, minlength=n * width).reshape(n, width)
    level = np.cumsum(level, axis=1)[:, :-1]
    out_days = _days_out(day, mv_pair, qty, n, starts, ends)
    n_days = np.array([calendar_days(p) for p in months])
    out = pd.DataFrame({
        "period": pd.Series(months, dtype="str"),
        "active_pairs": active.sum(axis=0).astype("int64"),
        "out_pairs": (active & (level <= 1e-9)).sum(axis=0).astype("int64"),
        "negative_pairs": (level < -1e-9).sum(axis=0).astype("int64"),
        "active_days": (active * n_days).sum(axis=0).astype("int64"),
        "out_days": (active * out_days).sum(axis=0).round().astype("int64"),
    })
    ok = out["active_pairs"] > 0
    out["snapshot_rate"] = (out["out_pairs"] / out["active_pairs"]).where(ok)
    out["time_weighted_rate"] = (out["out_days"] / out["active_days"]).where(ok)
    out["reason"] = pd.Series(np.where(ok, None, DENOM_ZERO), dtype="str")
    return out[["period", "active_pairs", "out_pairs", "negative_pairs", "snapshot_rate",
                "active_days", "out_days", "time_weighted_rate", "reason"]]
