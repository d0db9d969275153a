"""Workforce flows: hires, leavers, headcount bridge and turnover (kpi-reference H1, H3–H5, H8).

Everything is built on the employee × month grid of :func:`.workforce.employee_months`,
so the population rules are those of headcount and FTE: employees without a hire date,
with an exit date before the hire date or an ``fte`` outside (0, 1] are left out, and
interns and agency temps (``exclude_contracts``) are out by default.

Conventions
-----------
- A **hire** of month m has ``hire_date`` in m; a **leaver** of m has ``exit_date`` (the
  last day under contract) in m (H4). Counts are persons (int). A rehire is a new hire.
- **Month-end headcount** is H1's closing rule: ``hire_date ≤ last_day(m)`` and
  ``exit_date`` null or ``> last_day(m)``. Someone leaving on the last day of m is a
  leaver of m and not in its closing; someone hired and leaving in m is +1 −1.
- **Average headcount** of a month is the mean daily headcount (H3 default, heads not
  FTE): ``Σ active_days / calendar_days``.
- **Groups** (``by``) use each employee's *current* attributes (cost centre, department,
  ...): there is no assignment history, so transfers between groups are not seen (H8
  ``NO_HISTORY``). Company-level figures are unaffected.
- Rates are fractions (0.05 = 5 %). A rate whose denominator is 0 is NaN (the
  DataFrame form of the reference's ``None`` / ``DENOM_ZERO``), never 0 or inf.
- Every result carries ``n_people`` (except the pure count tables) so that a report can
  apply small-group suppression (:mod:`backoffice_lib.privacy`, H17); nothing is
  suppressed here.

Example::

    bridge = headcount_bridge(employees, periods.ytd_range("2026-10"), by=["department"],
                              cost_centers=cost_centers)
    rates = turnover_rates(employees, "2026-10", fiscal_year_start=4,
                           contract_types=("CDI",))
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..periods import calendar_days, r12_range, validate_period, ytd_range
from ..tables import normalize_header
from .workforce import EXCLUDED_CONTRACTS, _folded, employee_months

__all__ = ["headcount_bridge", "hires_leavers", "turnover", "turnover_rates"]

#: Exit reasons, in output order (H4). Any other value, NA included, counts as "other".
_REASONS = ("voluntary", "involuntary", "other")


def _only_contracts(
    employees: pd.DataFrame, contract_types: Sequence[str] | None
) -> pd.DataFrame:
    """Employees whose contract type is in ``contract_types`` (folded like EXCLUDED_CONTRACTS)."""
    if contract_types is None:
        return employees
    wanted = {normalize_header(c) for c in contract_types}
    return employees[_folded(employees["contract_type"]).isin(wanted)]


def _flow_grid(
    employees: pd.DataFrame,
    periods: Sequence[str],
    by: list[str],
    cost_centers: pd.DataFrame | None,
    cost_center_filter: Sequence[str] | None,
    exclude_contracts: Sequence[str],
) -> pd.DataFrame:
    """:func:`employee_months` (``exit_reason`` carried along) with ``hired``/``left`` flags."""
    extra = [] if "exit_reason" in by else ["exit_reason"]
    grid = employee_months(employees, periods, [*by, *extra], cost_centers,
                           cost_center_filter, exclude_contracts)
    start, end = grid["_start"], grid["_end"]
    grid["hired"] = (grid["hire_date"] >= start) & (grid["hire_date"] <= end)
    grid["left"] = (grid["exit_date"] >= start) & (grid["exit_date"] <= end)
    return grid


def _unique_periods(periods: Sequence[str]) -> list[str]:
    """Validated periods, sorted, without duplicates (a duplicate would count people twice)."""
    return sorted({validate_period(p) for p in periods})


def _sum_by_period(
    grid: pd.DataFrame, periods: list[str], by: list[str], columns: list[str]
) -> pd.DataFrame:
    """Σ ``columns`` per period × group (int64), sorted; without ``by`` every period is listed."""
    out = grid.groupby(["period", *by], sort=True, dropna=False)[columns].sum()
    if not by:
        out = out.reindex(pd.Index(periods, dtype="str", name="period"), fill_value=0)
    return out.astype("int64").reset_index()


def hires_leavers(
    employees: pd.DataFrame,
    periods: Sequence[str],
    *,
    by: Sequence[str] | None = None,
    cost_centers: pd.DataFrame | None = None,
    cost_center_filter: Sequence[str] | None = None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
) -> pd.DataFrame:
    """Hires and leavers of each month, leavers split by exit reason (kpi-reference H4).

    ``hires(m) = #{hire_date in m}``, ``leavers(m) = #{exit_date in m}`` (exit_date = last
    day under contract, so a leaver on the last day of m is a leaver of m). A missing or
    unrecognised ``exit_reason`` counts as ``other`` so that the three splits add up to
    ``leavers`` (H4 also asks for an issue: that belongs to validation, not to this
    pure function).

    Parameters
    ----------
    employees, periods, by, cost_centers, cost_center_filter, exclude_contracts:
        As in :func:`.workforce.monthly_fte`.

    Returns
    -------
    DataFrame
        ``period, *by, hires, leavers, leavers_voluntary, leavers_involuntary,
        leavers_other`` (persons, int64); every period × group that has employees,
        zeros included, sorted by period then groups.
    """
    by, periods = list(by or []), _unique_periods(periods)
    grid = _flow_grid(employees, periods, by, cost_centers, cost_center_filter,
                      exclude_contracts)
    split = _leaver_split(grid)
    out = _sum_by_period(grid.assign(**split), periods, by, ["hired", "left", *split])
    return out.rename(columns={"hired": "hires", "left": "leavers"})


def _leaver_split(grid: pd.DataFrame) -> dict[str, pd.Series]:
    """``leavers_voluntary/_involuntary/_other`` flags of a flow grid (any exit reason
    other than voluntary or involuntary, NA included, is ``other``)."""
    reason = grid["exit_reason"].where(grid["exit_reason"].isin(_REASONS[:2]), "other")
    return {f"leavers_{r}": grid["left"] & (reason == r) for r in _REASONS}


def headcount_bridge(
    employees: pd.DataFrame,
    periods: Sequence[str],
    *,
    by: Sequence[str] | None = None,
    cost_centers: pd.DataFrame | None = None,
    cost_center_filter: Sequence[str] | None = None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
    split_leavers: bool = False,
) -> pd.DataFrame:
    """Headcount bridge of each month: opening + hires − leavers = closing (kpi-reference H8).

    ``closing`` is H1's month-end headcount of m (``exit_date > last_day(m)``) and
    ``opening`` the month-end headcount of m − 1, computed with the same rule on the
    previous month's last day. With that rule the identity holds for every countable
    employee: a leaver on the last day of m is in ``leavers`` and not in ``closing``; a
    hire who leaves within m is +1 −1. ``residual = opening + hires − leavers − closing``
    is therefore 0 on coherent data; it is reported as computed, never plugged (any
    other value is a ``BRIDGE_RESIDUAL`` data error).

    Groups use the employee's *current* cost centre (and its attributes): without
    assignment history a transfer is not seen as transfer out / in, the employee is
    counted in the current group for every month (H8 ``NO_HISTORY``).

    Parameters
    ----------
    employees, periods, by, cost_centers, cost_center_filter, exclude_contracts:
        As in :func:`.workforce.monthly_fte`.
    split_leavers:
        Also give the leavers by exit reason, as :func:`hires_leavers` does (one pass).

    Returns
    -------
    DataFrame
        ``period, *by, opening, hires, leavers, closing, residual`` (persons, int64),
        then with ``split_leavers`` ``leavers_voluntary, leavers_involuntary,
        leavers_other``; every period × group that has employees, sorted by period then
        groups.
    """
    by, periods = list(by or []), _unique_periods(periods)
    grid = _flow_grid(employees, periods, by, cost_centers, cost_center_filter,
                      exclude_contracts)
    prev_end = grid["_start"] - pd.Timedelta(days=1)
    still_there = grid["exit_date"].isna() | (grid["exit_date"] > prev_end)
    grid["opening"] = (grid["hire_date"] <= prev_end) & still_there
    split = _leaver_split(grid) if split_leavers else {}
    columns = ["opening", "hired", "left", "at_month_end", *split]
    out = _sum_by_period(grid.assign(**split), periods, by, columns)
    out = out.rename(columns={"hired": "hires", "left": "leavers", "at_month_end": "closing"})
    out["residual"] = out["opening"] + out["hires"] - out["leavers"] - out["closing"]
    return out[["period", *by, "opening", "hires", "leavers", "closing", "residual", *split]]


def _turnover_grid(
    employees: pd.DataFrame,
    periods: list[str],
    by: list[str],
    options: dict,
    voluntary_only: bool,
    contract_types: Sequence[str] | None,
) -> pd.DataFrame:
    """The flow grid restricted to ``contract_types``, with ``_leaver`` and ``_person``."""
    grid = _flow_grid(_only_contracts(employees, contract_types), periods, by, **options)
    voluntary = (grid["exit_reason"] == "voluntary").fillna(False)
    grid["_leaver"] = grid["left"] & voluntary if voluntary_only else grid["left"]
    grid["_person"] = grid["employee_id"].where(grid["active_days"] > 0)
    return grid


def _monthly_rates(grid: pd.DataFrame, periods: list[str], by: list[str]) -> pd.DataFrame:
    """``period, *by, leavers, avg_headcount, turnover, n_people`` from a turnover grid."""
    # two plain aggregations on one grouping: cheaper than a named aggregation
    grouped = grid.groupby(["period", *by], sort=True, dropna=False)
    out = grouped[["_leaver", "active_days"]].sum().set_axis(["leavers", "active_days"], axis=1)
    out["n_people"] = grouped["_person"].nunique()
    if not by:
        out = out.reindex(pd.Index(periods, dtype="str", name="period"), fill_value=0)
    out = out.astype("int64").reset_index()
    # int64 even without rows (grouped, nobody counted): an empty map keeps the str dtype
    days = out["period"].map({p: calendar_days(p) for p in periods}).astype("int64")
    out["avg_headcount"] = out["active_days"] / days
    out["turnover"] = out["leavers"] / out["avg_headcount"].where(out["avg_headcount"] > 0)
    return out[["period", *by, "leavers", "avg_headcount", "turnover", "n_people"]]


def turnover(
    employees: pd.DataFrame,
    periods: Sequence[str],
    *,
    by: Sequence[str] | None = None,
    cost_centers: pd.DataFrame | None = None,
    cost_center_filter: Sequence[str] | None = None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
    voluntary_only: bool = False,
    contract_types: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Monthly turnover rate, SHRM style (kpi-reference H5): ``leavers(m) / avg_HC(m)``.

    ``avg_HC(m)`` is the mean daily headcount of the month (H3 default, heads not FTE):
    ``Σ active_days / calendar_days(m)``; someone hired on the 16th of a 30-day month
    counts 15/30.

    Parameters
    ----------
    employees, periods, by, cost_centers, cost_center_filter, exclude_contracts:
        As in :func:`.workforce.monthly_fte`.
    voluntary_only:
        Count voluntary leavers only (H5 voluntary variant); the denominator is unchanged.
    contract_types:
        Keep only these contract types, e.g. ``("CDI",)`` for H5's "permanent contracts
        only" variant, in both leavers and headcount. Compared case- and
        accent-insensitively; ``exclude_contracts`` still applies.

    Returns
    -------
    DataFrame
        ``period, *by, leavers`` (persons, int64) ``, avg_headcount`` (persons, float)
        ``, turnover`` (fraction of avg_headcount; NaN when avg_headcount is 0)
        ``, n_people`` (people with at least one active day in the month, int64).
        Every period × group that has employees, sorted by period then groups.
    """
    by, periods = list(by or []), _unique_periods(periods)
    options = {"cost_centers": cost_centers, "cost_center_filter": cost_center_filter,
               "exclude_contracts": exclude_contracts}
    grid = _turnover_grid(employees, periods, by, options, voluntary_only, contract_types)
    return _monthly_rates(grid, periods, by)


def turnover_rates(
    employees: pd.DataFrame,
    period: str,
    *,
    fiscal_year_start: int = 1,
    by: Sequence[str] | None = None,
    cost_centers: pd.DataFrame | None = None,
    cost_center_filter: Sequence[str] | None = None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
    voluntary_only: bool = False,
    contract_types: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Turnover of ``period``: the month, fiscal YTD annualised and rolling 12 months (H5).

    From the monthly rates of :func:`turnover` (same options):

    - ``month``: the rate of ``period``;
    - ``ytd_annualised = Σ monthly rates of the fiscal YTD × 12 / n_months`` (labelled
      annualised; ``n_months`` = months from the fiscal-year start to ``period``);
    - ``r12 = Σ`` of the 12 monthly rates ending at ``period`` (SHRM annual rate, not
      ``leavers(12 m) / avg_HC(12 m)``).

    A month without population (avg headcount 0, rate NaN) has no leavers either (a
    leaver is active on his exit day), so it adds 0 to the sums; a sum is NaN only when
    no month of its window has a population. This keeps ``n_months`` the calendar length
    of the YTD, as the reference's formula says.

    Returns
    -------
    DataFrame
        ``*by, month, ytd_annualised, r12`` (fractions, float) ``, leavers_r12``
        (persons, int64) ``, n_people`` (distinct people active at least one day in the
        12 months, int64). One row per group; one row without ``by``.
    """
    by, window = list(by or []), r12_range(validate_period(period))
    ytd = ytd_range(period, fiscal_year_start)
    options = {"cost_centers": cost_centers, "cost_center_filter": cost_center_filter,
               "exclude_contracts": exclude_contracts}
    grid = _turnover_grid(employees, window, by, options, voluntary_only, contract_types)
    rates = _monthly_rates(grid, window, by)
    rates["month"] = rates["turnover"].where(rates["period"] == period)
    rates["ytd_annualised"] = rates["turnover"].where(rates["period"].isin(ytd))
    rates["r12"] = rates["turnover"]
    out = _groups(rates, by)[["month", "ytd_annualised", "r12"]].sum(min_count=1)
    out["ytd_annualised"] = out["ytd_annualised"] * 12 / len(ytd)
    out["leavers_r12"] = _groups(rates, by)["leavers"].sum()
    out["n_people"] = _groups(grid, by)["_person"].nunique()
    out["n_people"] = out["n_people"].fillna(0).astype("int64")
    return out.reset_index(drop=not by)[[*by, "month", "ytd_annualised", "r12",
                                         "leavers_r12", "n_people"]]


def _groups(frame: pd.DataFrame, by: list[str]) -> pd.api.typing.DataFrameGroupBy:
    """Group ``frame`` by ``by``, or into one group (key 0) without ``by``."""
    keys = by or [np.zeros(len(frame), dtype="int8")]
    return frame.groupby(keys, sort=True, dropna=False)
