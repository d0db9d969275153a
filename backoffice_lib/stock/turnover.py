"""Stock value, consumption, inventory turnover and days inventory outstanding
(kpi-reference S1, S2), from the month-end stock of :func:`.valuation.monthly_stock`.

- Consumption (COGS) = issues valued at cost: ``−issues_value`` of the ledger (issues
  × the month's weighted average cost). Adjustments are not consumption (S10).
- Average inventory = mean of the month-end values of the window and of the month
  before it: 13 points for 12 months, 2 for a month. The ledger is continuous from the
  first movement, so when the first point is loaded every point is (S1's fallback
  ``(open + close) / 2`` is never needed); a point before the first movement makes the
  result None with ``NOT_LOADED``.
- ``turns = COGS / average inventory × 12 / months`` (per year: a window shorter than
  12 months is annualised, S1); ``dio = average inventory / COGS × days``, days being
  365 for a 12-month window (S2) and the calendar days of the window otherwise.

``by`` may hold ``period`` (each month its own window), ``sku``, ``warehouse`` and
``category`` (from ``items``).

Example::

    ledger = monthly_stock(movements, period_range("2025-10", "2026-10"))
    inventory_turnover(ledger, r12_range("2026-10"), by=["category"], items=items)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..periods import calendar_days, period_range, shift_period, validate_period
from ._common import (
    DENOM_ZERO,
    NO_CONSUMPTION,
    NOT_LOADED,
    cents_of,
    check_by,
    money_of,
    round_half,
    with_category,
)

__all__ = ["consumption", "inventory_turnover", "inventory_value"]

_BY = ("period", "sku", "warehouse", "category")
_ALL = "_all"


def _window(periods: Sequence[str]) -> list[str]:
    """The months of ``periods`` as a contiguous, sorted window."""
    wanted = sorted({validate_period(p) for p in periods})
    return period_range(wanted[0], wanted[-1])


def _prepared(ledger: pd.DataFrame, by: list[str], items: pd.DataFrame | None) -> pd.DataFrame:
    return with_category(ledger, items) if "category" in by else ledger


def _columns(ledger: pd.DataFrame, *values: str) -> pd.DataFrame:
    """The ledger's keys and the ``values`` columns only: its rows are filtered next, and
    taking the ~20 columns of the ledger (Arrow money and texts) row by row is most of
    the cost of a KPI otherwise."""
    return ledger[["sku", "warehouse", "period", *values]]


def _sum_cents(frame: pd.DataFrame, keys: list[str], columns: dict[str, str]) -> pd.DataFrame:
    """Σ of money ``columns`` (source → name) in cents (float64) by ``keys`` (one row
    without keys)."""
    cents = pd.DataFrame({name: cents_of(frame[src]) for src, name in columns.items()},
                         index=frame.index)
    if not keys:
        return cents.sum().to_frame().T
    cents[keys] = frame[keys]
    return cents.groupby(keys, sort=True).sum().reset_index()


def inventory_value(ledger: pd.DataFrame, periods: Sequence[str], *,
                    by: Sequence[str] | None = None,
                    items: pd.DataFrame | None = None) -> pd.DataFrame:
    """Stock value at each month end of ``periods`` (quantities × average cost, S9).

    Returns
    -------
    DataFrame
        ``period, *by, stock_value`` (EUR, MONEY) ``, pairs_in_stock`` (sku-warehouses
        with a closing quantity above zero) ``, negative_pairs`` (below zero: a data
        error, S5). One row per loaded period (× group with a ledger row), sorted.
    """
    by = [k for k in check_by(by, _BY) if k != "period"]
    wanted = [validate_period(p) for p in periods]
    ledger = _columns(ledger, "closing_value", "closing_qty")
    rows = _prepared(ledger[ledger["period"].isin(wanted)], by, items)
    keys = ["period", *by]
    out = _sum_cents(rows, keys, {"closing_value": "stock_value"})
    counts = rows.assign(pairs_in_stock=rows["closing_qty"] > 0,
                         negative_pairs=rows["closing_qty"] < 0)
    counts = counts.groupby(keys, sort=True)[["pairs_in_stock", "negative_pairs"]].sum()
    out = out.merge(counts.reset_index(), on=keys, how="left")
    out["stock_value"] = money_of(out["stock_value"].to_numpy())
    return out.astype({"pairs_in_stock": "int64", "negative_pairs": "int64"})[
        [*keys, "stock_value", "pairs_in_stock", "negative_pairs"]]


def consumption(ledger: pd.DataFrame, periods: Sequence[str], *,
                by: Sequence[str] | None = None,
                items: pd.DataFrame | None = None) -> pd.DataFrame:
    """Issues of ``periods`` at cost (COGS, S1), by ``by``.

    Returns
    -------
    DataFrame
        ``*by, consumption_qty`` (units issued, net of returns) ``, consumption``
        (EUR, MONEY: ``−issues_value``). One row per group with a ledger row in the
        window (one row without ``by``), sorted.
    """
    by = check_by(by, _BY)
    ledger = _columns(ledger, "issues_value", "issues_qty")
    rows = _prepared(ledger[ledger["period"].isin(_window(periods))], by, items)
    out = _sum_cents(rows, by, {"issues_value": "consumption"})
    qty = rows.groupby(by, sort=True)["issues_qty"].sum() if by else \
        pd.Series([rows["issues_qty"].sum()])
    out["consumption_qty"] = -qty.to_numpy(dtype="float64") + 0.0
    out["consumption"] = money_of(-out["consumption"].to_numpy())
    return out[[*by, "consumption_qty", "consumption"]]


def inventory_turnover(ledger: pd.DataFrame, periods: Sequence[str], *,
                       by: Sequence[str] | None = None,
                       items: pd.DataFrame | None = None) -> pd.DataFrame:
    """Inventory turnover (S1) and days inventory outstanding (S2) over a window.

    Parameters
    ----------
    ledger:
        :func:`.valuation.monthly_stock` covering the window and the month before it.
    periods:
        The window (contiguous months), e.g. :func:`periods.r12_range`.
    by:
        ``period`` (each month on its own: average of its opening and closing values),
        ``sku``, ``warehouse``, ``category`` (needs ``items``).

    Returns
    -------
    DataFrame
        ``*by, consumption`` (COGS, EUR, MONEY) ``, avg_inventory`` (EUR, MONEY, mean of
        the month-end values, rounded to the cent) ``, closing_value`` (EUR at the last
        month end) ``, n_points`` (month-end values averaged) ``, turns`` (per year,
        float; None when the average inventory is 0: ``turns_reason = DENOM_ZERO``)
        ``, dio`` (days, float; None without consumption: ``dio_reason =
        NO_CONSUMPTION``). ``NOT_LOADED`` in both reasons when a month end is before the
        first movement. Sorted by ``by``.
    """
    by = check_by(by, _BY)
    window = _window(periods)
    groups = [k for k in by if k != "period"] or [_ALL]
    points = [shift_period(window[0], -1), *window]
    ledger = _columns(ledger, "closing_value", "issues_value")
    rows = _prepared(ledger[ledger["period"].isin(points)], by, items).assign(**{_ALL: 0})
    grid = _pivot(rows, groups, points, "closing_value")
    loaded = set(ledger["period"].unique())
    grid.loc[:, [p not in loaded for p in points]] = np.nan
    spend = -_pivot(rows[rows["period"].isin(window)], groups, window, "issues_value")
    spend = spend.reindex(index=grid.index, fill_value=0.0)
    out = (_monthly if "period" in by else _whole)(grid, spend, window)
    return _finish(out, by)


def _pivot(rows: pd.DataFrame, groups: list[str], columns: list[str],
           money: str) -> pd.DataFrame:
    """Groups × months of Σ ``money`` in cents (0 for a group without a row that month);
    a single row ``0`` for the whole scope."""
    if len(groups) == 1 and len(rows):
        return _pivot_one(rows, groups[0], columns, money)
    sums = _sum_cents(rows, [*groups, "period"], {money: "cents"})
    if sums.empty:
        index = pd.MultiIndex.from_arrays([[] for _ in groups], names=groups)
        grid = pd.DataFrame(index=index if len(groups) > 1 else index.levels[0])
    else:  # one row per group × period: a reshape (as a pivot table, sorted both ways)
        grid = sums.set_index([*groups, "period"])["cents"].unstack("period", fill_value=0.0)
    if groups == [_ALL]:
        grid = grid.reindex(index=pd.Index([0], name=_ALL), fill_value=0.0)
    return grid.reindex(columns=columns, fill_value=0.0)


def _pivot_one(rows: pd.DataFrame, group: str, columns: list[str], money: str
               ) -> pd.DataFrame:
    """:func:`_pivot` by one key (the whole scope, a category...), with numpy: each row's
    group and month number, and one bincount of the cents on group × month.

    The same table as the groupby and unstack of :func:`_pivot`: the groups with a row
    (sorted; a missing key left out, like the groupby's), the ``columns`` in order.
    Money values are whole cents, so their float sums are exact in any order (under
    2⁵³ cents) and equal to the groupby's; a missing value adds 0, as in its sum.
    """
    codes, labels = pd.factorize(rows[group], sort=True)
    period_codes, periods = pd.factorize(rows["period"])
    month = pd.Index(columns).get_indexer(periods)[period_codes]
    keep = (codes >= 0) & (month >= 0)
    cents = np.nan_to_num(cents_of(rows[money]))
    size = len(labels) * len(columns)
    sums = np.bincount(codes[keep] * len(columns) + month[keep], weights=cents[keep],
                       minlength=size)
    return pd.DataFrame(sums.reshape(len(labels), len(columns)),
                        index=pd.Index(labels, name=group),
                        columns=pd.Index(columns, name="period"))


def _whole(grid: pd.DataFrame, spend: pd.DataFrame, window: list[str]) -> pd.DataFrame:
    days = 365 if len(window) == 12 else sum(calendar_days(p) for p in window)
    out = pd.DataFrame({
        "consumption": spend.sum(axis=1).to_numpy(),
        "avg": grid.mean(axis=1, skipna=False).to_numpy(),
        "closing": grid[window[-1]].to_numpy(),
        "n_points": np.full(len(grid), len(window) + 1),
        "months": len(window), "days": days,
    })
    return pd.concat([grid.index.to_frame(index=False), out], axis=1)


def _monthly(grid: pd.DataFrame, spend: pd.DataFrame, window: list[str]) -> pd.DataFrame:
    """One row per month × group, month by month (the groups in ``grid``'s order within
    each month): each month its own window, averaging its opening and closing values."""
    n, points = len(grid), grid.to_numpy(dtype="float64")
    # (opening + closing) / 2, NaN when either is: what a two-column mean(skipna=False)
    # computes, for every month at once; month-major like the rows
    avg = (points[:, :-1] + points[:, 1:]) / 2
    part = pd.DataFrame({
        "period": pd.Series(np.repeat(window, n), dtype="str"),
        "consumption": spend[window].to_numpy(dtype="float64").T.ravel(),
        "avg": avg.T.ravel(), "closing": points[:, 1:].T.ravel(), "n_points": 2,
        "months": 1, "days": np.repeat([calendar_days(p) for p in window], n),
    })
    groups = grid.index.to_frame(index=False)
    return pd.concat([groups.iloc[np.tile(np.arange(n), len(window))].reset_index(drop=True),
                      part], axis=1)


def _finish(out: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    avg, cogs = out["avg"].to_numpy(dtype="float64"), out["consumption"].to_numpy(dtype="float64")
    missing = np.isnan(avg)
    ok_avg, ok_cogs = ~missing & (avg != 0), ~missing & (cogs != 0)
    out["turns"] = np.where(ok_avg, cogs / np.where(ok_avg, avg, 1.0) * 12 / out["months"],
                            np.nan)
    out["dio"] = np.where(ok_cogs, avg / np.where(ok_cogs, cogs, 1.0) * out["days"], np.nan)
    out["turns_reason"] = pd.Series(np.where(missing, NOT_LOADED, np.where(
        ok_avg, None, DENOM_ZERO)), dtype="str")
    out["dio_reason"] = pd.Series(np.where(missing, NOT_LOADED, np.where(
        ok_cogs, None, NO_CONSUMPTION)), dtype="str")
    out["consumption"] = money_of(cogs)
    out["avg_inventory"] = money_of(round_half(avg))
    out["closing_value"] = money_of(out["closing"].to_numpy())
    out = out.sort_values(by, kind="stable", ignore_index=True) if by else out
    return out[[*by, "consumption", "avg_inventory", "closing_value", "n_points", "turns",
                "dio", "turns_reason", "dio_reason"]].astype({"n_points": "int64"})
