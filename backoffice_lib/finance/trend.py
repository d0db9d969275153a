"""Cost over time: monthly trend with MoM and rolling 12 months (F3, F5), run-rate (F6)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import numpy as np
import pandas as pd

from ..accounts import CATEGORIES, COST_CATEGORIES
from ..money import from_cents, to_cents
from ..periods import period_range, shift_period, ytd_range
from ..tables import MONEY
from ._common import (
    NEW,
    NOT_LOADED,
    SHORT_BASE,
    UNBUDGETED,
    _check_choice,
    _is_provisional,
    _loaded,
    _monthly_cents,
    _rolling12,
    _sorted,
    _sum_money,
    _variance,
)
from .budget import budget_lines
from .costs import cost_lines

__all__ = ["cost_trend", "run_rate"]


# --------------------------------------------------------------------------- F3/F5 trend


def _shift_in_group(grid: pd.DataFrame, keys: list[str], column: str, n: int) -> pd.Series:
    """``column`` shifted by ``n`` rows within each group of ``keys``."""
    if not keys:
        return grid[column].shift(n)
    return grid.groupby(keys, sort=False)[column].shift(n)


def _pct_columns(new: pd.Series, base: pd.Series, zero_reason: str) -> tuple[pd.Series, pd.Series]:
    """(new − base)/|base| on nullable cents; reason ``NOT_LOADED`` / ``zero_reason``."""
    n = new.astype("float64").to_numpy()
    b = base.astype("float64").to_numpy()
    missing = np.isnan(n) | np.isnan(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(~missing & (b != 0), (n - b) / np.abs(b), np.nan)
    reason = np.select([missing, b == 0], [NOT_LOADED, zero_reason], default=None)
    return (pd.Series(pct, index=new.index, dtype="float64"),
            pd.Series(reason, index=new.index, dtype="str"))


def cost_trend(
    gl_lines: pd.DataFrame,
    budget: pd.DataFrame | None,
    cost_centers: pd.DataFrame | None,
    account_map: pd.DataFrame | None,
    period: str,
    *,
    months: int = 24,
    by: Sequence[str] | None = None,
    scope: str = "class6",
    fiscal_year_start: int = 1,
    last_closed_period: str | None = None,
    loaded_periods: Iterable[str] | None = None,
    cost_center_filter: Sequence[str] | None = None,
    lines: pd.DataFrame | None = None,
    prepared_budget: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Monthly cost with budget, month-over-month (F3) and rolling 12 months (F5).

    Parameters
    ----------
    period, months:
        The ``months`` periods ending with ``period`` are returned.
    by:
        Optional grouping: columns of :func:`cost_lines` (budget only for the budget grain).
    budget:
        Canonical budget, or None (budget column NA).
    fiscal_year_start:
        First month of the fiscal year: annual budget rows are phased over its months.
    lines:
        :func:`cost_lines` of the whole ledger already computed (its ``prepared``); None:
        computed here from ``gl_lines``.
    prepared_budget:
        :func:`budget_lines` of the whole ``budget`` already computed (no cost-centre
        filter, the same ``fiscal_year_start``); None: computed here from ``budget``.

    Returns
    -------
    DataFrame
        ``period, *by, actual, budget`` (EUR, money; actual NA if the month is not loaded,
        budget NA if none) ``, mom`` (A(m) − A(m−1)) ``, mom_pct`` (/|A(m−1)|) ``, mom_reason``
        (``NEW`` when A(m−1) = 0, ``NOT_LOADED``) ``, r12`` (Σ A(m−11..m); NA with
        ``SHORT_BASE`` when fewer than 12 loaded months) ``, r12_reason, r12_growth``
        (r12(m)/r12(m−12) − 1 on |base|) ``, r12_growth_reason, loaded, provisional``.
    """
    keys = list(by or [])
    shown = period_range(shift_period(period, -(months - 1)), period)
    window = period_range(shift_period(shown[0], -23), period)
    lines = cost_lines(gl_lines, cost_centers, account_map, scope=scope, periods=window,
                       cost_center_filter=cost_center_filter, prepared=lines,
                       columns=list(dict.fromkeys([*keys, "period", "amount"])))
    grid = _monthly_cents(lines, window, keys, _loaded(gl_lines, loaded_periods))
    grid = _trend_columns(grid, keys)
    grid = grid[grid["period"].isin(shown)]
    grid = grid.merge(_budget_by_period(budget, cost_centers, account_map, keys, shown,
                                        cost_center_filter, scope, fiscal_year_start,
                                        prepared_budget),
                      on=[*keys, "period"], how="left")
    grid["provisional"] = [_is_provisional(p, last_closed_period) for p in grid["period"]]
    cols = ["period", *keys, "actual", "budget", "mom", "mom_pct", "mom_reason", "r12",
            "r12_reason", "r12_growth", "r12_growth_reason", "loaded", "provisional"]
    return _sorted(grid[cols], [*keys, "period"])[cols]


def _trend_columns(grid: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Add actual, MoM and R12 columns to a cents grid."""
    grid = grid.reset_index(drop=True)
    prev = _shift_in_group(grid, keys, "cents", 1)
    grid["actual"] = from_cents(grid["cents"])
    grid["mom"] = from_cents(grid["cents"] - prev)
    grid["mom_pct"], grid["mom_reason"] = _pct_columns(grid["cents"], prev, NEW)
    roll = _rolling12(grid, keys)
    full = roll["n_loaded"] == 12
    grid["_r12"] = roll["r12"].astype("Int64").where(full)
    grid["r12"] = from_cents(grid["_r12"])
    grid["r12_reason"] = pd.Series(np.where(full, None, SHORT_BASE), dtype="str")
    prev12 = _shift_in_group(grid, keys, "_r12", 12)
    grid["r12_growth"], grid["r12_growth_reason"] = _pct_columns(grid["_r12"], prev12, NEW)
    grid.loc[prev12.isna() | ~full, "r12_growth_reason"] = SHORT_BASE
    return grid


def _budget_by_period(budget, cost_centers, account_map, keys, periods, cc_filter,
                      scope, fiscal_year_start, prepared_budget=None) -> pd.DataFrame:
    """Budget summed by group and period (empty frame when there is no budget)."""
    empty = pd.DataFrame({**{k: pd.Series(dtype="str") for k in [*keys, "period"]},
                          "budget": pd.Series(dtype=MONEY)})
    if budget is None:
        return empty
    bud = budget_lines(budget, cost_centers, account_map, fiscal_year_start=fiscal_year_start,
                       cost_center_filter=cc_filter, prepared=prepared_budget)
    bud = bud[bud["period"].isin(periods)]
    if scope != "class6":
        bud = bud[bud["category"].isin(_scope_categories(scope))]
    missing = [k for k in keys if k not in bud.columns]
    if missing or bud.empty:
        return empty
    return _sum_money(bud, [*keys, "period"]).rename(columns={"amount": "budget"})


def _scope_categories(scope: str) -> tuple[str, ...]:
    """Budget categories of a scope (budgets have no account below the category)."""
    if scope == "operating":
        return COST_CATEGORIES[:5]
    if scope == "total":
        return COST_CATEGORIES[:-1]
    return CATEGORIES


# --------------------------------------------------------------------------- F6 run-rate


def run_rate(
    gl_lines: pd.DataFrame,
    cost_centers: pd.DataFrame | None,
    account_map: pd.DataFrame | None,
    period: str,
    *,
    method: str = "3m",
    budget: pd.DataFrame | None = None,
    fiscal_year_start: int = 1,
    last_closed_period: str | None = None,
    loaded_periods: Iterable[str] | None = None,
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Annualised run-rate of total cost (F6), excluding 67 and 687 (one-offs).

    ``method="3m"``: 12 × mean of the last 3 closed months (≤ ``period`` and
    ``last_closed_period``); ``"1m"``: 12 × the last closed month. Fewer closed loaded
    months than the method needs → uses those available, reason ``SHORT_BASE``.

    Returns
    -------
    DataFrame
        One row: ``period, method, months_used, run_rate`` (EUR per year, money, rounded
        to the cent) ``, reason, budget_full_year`` (sum of the fiscal year's monthly
        budget for 60–68, NA without budget) ``, var, var_pct`` (run-rate vs that budget).
    """
    n_wanted = {"3m": 3, "1m": 1}[_check_choice(method, ("3m", "1m"), "method")]
    last = min(period, last_closed_period) if last_closed_period else period
    loaded = _loaded(gl_lines, loaded_periods)
    base = [p for p in period_range(shift_period(last, -(n_wanted - 1)), last) if p in loaded]
    lines = cost_lines(gl_lines, cost_centers, account_map, scope="total", periods=base,
                       cost_center_filter=cost_center_filter)
    lines = lines[~lines["account"].str.strip().str[:2].eq("67")
                  & ~lines["account"].str.strip().str[:3].eq("687")]
    total_cents = int(to_cents(lines["amount"]).sum()) if len(lines) else 0
    value = (Decimal(total_cents) * 12 / len(base) / 100).quantize(Decimal("0.01")) \
        if base else None
    row = {"period": period, "method": method, "months_used": len(base), "run_rate": value,
           "reason": SHORT_BASE if len(base) < n_wanted else None}
    out = pd.DataFrame([row]).astype({"run_rate": MONEY, "reason": "str"})
    return out.join(_full_year_budget(budget, cost_centers, account_map, period, out["run_rate"],
                                      fiscal_year_start, cost_center_filter))


def _full_year_budget(budget, cost_centers, account_map, period, run_rate_value, fys,
                      cc_filter) -> pd.DataFrame:
    """Full fiscal-year budget (60–68) and the run-rate's variance to it."""
    if budget is None:
        amount = pd.Series([pd.NA], dtype=MONEY)
    else:
        year = period_range(ytd_range(period, fys)[0], shift_period(ytd_range(period, fys)[0], 11))
        bud = budget_lines(budget, cost_centers, account_map, fiscal_year_start=fys,
                           cost_center_filter=cc_filter)
        bud = bud[bud["period"].isin(year) & bud["category"].isin(COST_CATEGORIES[:-1])]
        amount = _sum_money(bud, [])["amount"]
    var = _variance(run_rate_value, amount, UNBUDGETED)
    if budget is None:
        var.loc[:, ["var_pct"]] = np.nan
        var["var"] = pd.Series([pd.NA], dtype=MONEY)
    return pd.DataFrame({"budget_full_year": amount, "var": var["var"],
                         "var_pct": var["var_pct"]})
