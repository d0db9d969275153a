"""Workforce size: headcount and FTE (kpi-reference §2, H1–H3).

Month-end headcount (H1), monthly FTE with calendar-day pro-rata (H2) and average FTE
over a range of months (H3), by any column of ``employees`` or any cost-centre
attribute (``department``, ``office``, ``name``). The other HR measures, built on the
same employee × month grid (:func:`employee_months`), are in the sibling modules.

Every result carries ``n_people`` (people active in the cell) so that a report can
apply small-group suppression (:mod:`backoffice_lib.privacy`, H17).

Employees that cannot be counted are left out: no ``hire_date``, ``exit_date`` before
``hire_date``, or ``fte`` outside (0, 1] (validation reports these rows). Interns and
agency temps (``contract_type`` in :data:`EXCLUDED_CONTRACTS`, compared case- and
accent-insensitively) are out by default; apprentices are in.

Example::

    fte = monthly_fte(employees, ["2026-09", "2026-10"], by=["department"],
                      cost_centers=cost_centers)
    avg = average_fte(employees, periods.ytd_range("2026-10"), by=["office"],
                      cost_centers=cost_centers)
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..accounts import COST_CENTER_ATTRIBUTES, UNALLOCATED, map_cost_centers
from ..periods import calendar_days, period_end, period_start, validate_period
from ..tables import normalize_header

__all__ = ["EXCLUDED_CONTRACTS", "average_fte", "headcount", "monthly_fte", "workforce_size"]

#: Contract types out of headcount and FTE by default (§2: interns and agency temps).
EXCLUDED_CONTRACTS: tuple[str, ...] = ("stage", "stagiaire", "interim", "intern", "temp")


def _periods_frame(periods: Sequence[str]) -> pd.DataFrame:
    """One row per period: start, end (datetime64[us]) and calendar days."""
    return pd.DataFrame(_period_columns(tuple(validate_period(p) for p in periods)))


@functools.lru_cache(maxsize=256)
def _period_columns(periods: tuple[str, ...]) -> dict[str, object]:
    """The columns of :func:`_periods_frame` (read-only arrays, kept per run of periods)."""
    columns = {
        "period": pd.array(list(periods), dtype="str"),
        "_start": np.array([period_start(p) for p in periods], dtype="datetime64[us]"),
        "_end": np.array([period_end(p) for p in periods], dtype="datetime64[us]"),
        "_days": np.array([calendar_days(p) for p in periods], dtype="int64"),
    }
    for values in columns.values():
        if isinstance(values, np.ndarray):
            values.flags.writeable = False
    return columns


def _folded(values: pd.Series) -> pd.Series:
    """:func:`~backoffice_lib.tables.normalize_header` of each value (NA stays NA), computed
    once per distinct value rather than once per row."""
    return values.map({v: normalize_header(v) for v in values.dropna().unique()})


def _distinct(values: pd.Series) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """The distinct values of a column, for ``isin``: pandas tests Arrow strings against
    each value given in Python, so a long column with repeats is slow to pass as is."""
    return values.unique()


def _among(values: pd.Series, keys: pd.Series) -> np.ndarray:
    """``values.isin(keys)`` as a bool array. Between two columns of the same string
    dtype (employee ids), through a hash index of the distinct keys: ``isin`` would turn
    each key into a Python object first."""
    distinct = keys.unique()
    if isinstance(values.dtype, pd.StringDtype) and values.dtype == keys.dtype:
        return pd.Index(distinct).get_indexer(values) >= 0
    return values.isin(distinct).to_numpy(dtype=bool)


def _countable(
    employees: pd.DataFrame,
    cost_center_filter: Sequence[str] | None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
) -> pd.DataFrame:
    """Employees with a hire date, a coherent exit date and fte in (0, 1], optionally
    filtered; a missing cost centre is :data:`UNALLOCATED`."""
    excluded = {normalize_header(c) for c in exclude_contracts}
    contract = employees["contract_type"]
    # fold each distinct contract once, then test the raw values (NA is never excluded)
    out = [v for v in contract.unique() if not pd.isna(v) and normalize_header(v) in excluded]
    # numpy arrays, not Series: every report builds this grid a dozen times and each
    # Series operation costs more than the comparison itself (NaT and NaN compare False)
    hire, exit_date = employees["hire_date"].to_numpy(), employees["exit_date"].to_numpy()
    fte = employees["fte"].to_numpy(dtype="float64", na_value=np.nan)
    ok = ~pd.isna(hire) & (pd.isna(exit_date) | (exit_date >= hire))
    ok &= (fte > 0) & (fte <= 1)
    keep = ok & ~contract.isin(out).to_numpy(dtype=bool)
    cost_center = employees["cost_center"].fillna(UNALLOCATED)
    if cost_center_filter is not None:
        keep &= cost_center.isin(list(cost_center_filter)).to_numpy(dtype=bool)
    emp = employees[keep]
    return emp.assign(cost_center=cost_center[keep])


def _with_attributes(
    emp: pd.DataFrame, by: list[str], cost_centers: pd.DataFrame | None
) -> pd.DataFrame:
    """Add the cost-centre attributes named in ``by`` (department, office, name)."""
    wanted = [c for c in by if c in COST_CENTER_ATTRIBUTES]
    if not wanted:
        return emp
    attrs = map_cost_centers(emp["cost_center"], cost_centers)
    # the attributes are row for row those of emp (same index): set them by position
    # rather than by an index join, which costs more than the mapping
    kept = emp.drop(columns=[c for c in wanted if c in emp.columns])
    return kept.assign(**{c: attrs[c].array for c in wanted})


def employee_months(
    employees: pd.DataFrame,
    periods: Sequence[str],
    by: list[str],
    cost_centers: pd.DataFrame | None,
    cost_center_filter: Sequence[str] | None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
) -> pd.DataFrame:
    """Employee × period rows: ``active_days`` (calendar days under contract in the month),
    ``fte_month`` (pro-rated FTE), ``at_month_end`` (counted in the closing headcount),
    with the period's ``_start``/``_end`` (datetime64) and ``_days`` (calendar days).

    Only countable employees (see the module docstring), filtered and with the columns
    named in ``by``; every employee × period pair, active or not."""
    emp = _countable(employees, cost_center_filter, exclude_contracts)
    emp = _with_attributes(emp, by, cost_centers)
    names = ["employee_id", "hire_date", "exit_date", "fte", *by]
    months = _period_columns(tuple(validate_period(p) for p in periods))
    n_months = len(months["period"])
    # employee-major, as a cross merge: each employee with every period in turn
    person = np.repeat(np.arange(len(emp)), n_months)
    month = np.tile(np.arange(n_months), len(emp))
    values = [emp[name].array.take(person) for name in names]
    start, end = months["_start"][month], months["_end"][month]
    days = months["_days"][month]
    hire, exit_date, fte = values[1].to_numpy(), values[2].to_numpy(), values[3]
    staying = np.isnat(exit_date)
    last = np.minimum(np.where(staying, end, exit_date), end)
    first = np.maximum(hire, start)
    active = np.clip((last - first) // np.timedelta64(1, "D") + 1, 0, None).astype("int64")
    values += [months["period"].take(month), start, end, days, active, fte * active / days,
               (hire <= end) & (staying | (exit_date > end))]
    names += ["period", "_start", "_end", "_days", "active_days", "fte_month", "at_month_end"]
    grid = pd.DataFrame(dict(enumerate(values)))
    grid.columns = names
    return grid


def monthly_fte(
    employees: pd.DataFrame,
    periods: Sequence[str],
    by: Sequence[str] | None = None,
    cost_centers: pd.DataFrame | None = None,
    cost_center_filter: Sequence[str] | None = None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
) -> pd.DataFrame:
    """FTE of each month with calendar-day pro-rata (kpi-reference H2).

    ``FTE(m) = Σ_i fte_i × active_days_i(m) / calendar_days(m)``, active days being the
    days of m within [hire_date, exit_date] (exit_date = last day under contract).

    Parameters
    ----------
    employees:
        Canonical ``employees`` table: ``employee_id, hire_date, exit_date, cost_center,
        fte`` (fraction in (0, 1]) and any column named in ``by``.
    periods:
        ``YYYY-MM`` periods to compute.
    by:
        Grouping columns: employees' columns or cost-centre attributes
        ``department``/``office``/``name`` (then ``cost_centers`` is used).
    cost_centers:
        Canonical ``cost_centers`` master data (needed for department/office).
    cost_center_filter:
        Keep only employees of these cost centres (same filter as the cost side).
    exclude_contracts:
        Contract types left out (default interns and agency temps).

    Returns
    -------
    DataFrame
        ``period, *by, fte`` (FTE, float) ``, n_people`` (people with at least one active
        day in the month); every period × group that has employees, zeros included.
    """
    by = list(by or [])
    size = workforce_size(employees, periods, by, cost_centers, cost_center_filter,
                          exclude_contracts)
    return size[["period", *by, "fte", "n_people"]]


def _finish(out: pd.DataFrame, periods: Sequence[str], by: list[str]) -> pd.DataFrame:
    """Reset the index; a range without employees still lists its periods with zeros."""
    values = list(out.columns)
    out = out.reset_index()
    if out.empty and not by:
        out = pd.DataFrame({"period": pd.Series(list(periods), dtype="str")})
        out = out.assign(**{c: 0.0 if c == "fte" else 0 for c in values})
    for col in ("n_people", "headcount"):
        if col in out:
            out[col] = out[col].astype("int64")
    return out[["period", *by, *values]]


def headcount(
    employees: pd.DataFrame,
    periods: Sequence[str],
    by: Sequence[str] | None = None,
    cost_centers: pd.DataFrame | None = None,
    cost_center_filter: Sequence[str] | None = None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
) -> pd.DataFrame:
    """Month-end (closing) headcount (kpi-reference H1).

    ``HC_close(m) = #{hire_date ≤ last_day(m) and (exit_date null or exit_date > last_day(m))}``:
    someone leaving on the last day of the month is not counted at its end.

    Parameters are those of :func:`monthly_fte`.

    Returns
    -------
    DataFrame
        ``period, *by, headcount`` (persons, int).
    """
    by = list(by or [])
    size = workforce_size(employees, periods, by, cost_centers, cost_center_filter,
                          exclude_contracts)
    return size[["period", *by, "headcount"]]


def workforce_size(
    employees: pd.DataFrame,
    periods: Sequence[str],
    by: Sequence[str] | None = None,
    cost_centers: pd.DataFrame | None = None,
    cost_center_filter: Sequence[str] | None = None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
) -> pd.DataFrame:
    """:func:`headcount` and :func:`monthly_fte` of each month in one pass.

    Parameters are those of :func:`monthly_fte`.

    Returns
    -------
    DataFrame
        ``period, *by, headcount`` (persons at month end, int64, H1) ``, fte`` (FTE,
        float, H2) ``, n_people`` (people with at least one active day in the month);
        every period × group that has employees, zeros included.
    """
    by = list(by or [])
    grid = employee_months(employees, periods, by, cost_centers, cost_center_filter,
                           exclude_contracts)
    grid["_active"] = grid["active_days"] > 0
    # one groupby sum of the three columns: a named aggregation runs one aggregation per
    # column (about three times the time for the same sums)
    out = grid.groupby(["period", *by], sort=True, dropna=False)[
        ["at_month_end", "fte_month", "_active"]].sum()
    return _finish(out.set_axis(["headcount", "fte", "n_people"], axis=1), periods, by)


def average_fte(
    employees: pd.DataFrame,
    periods: Sequence[str],
    by: Sequence[str] | None = None,
    cost_centers: pd.DataFrame | None = None,
    cost_center_filter: Sequence[str] | None = None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
) -> pd.DataFrame:
    """Average FTE over ``periods``: the mean of the monthly FTE (kpi-reference H3).

    Parameters are those of :func:`monthly_fte`.

    Returns
    -------
    DataFrame
        ``*by, avg_fte`` (FTE, float: Σ monthly FTE / number of periods) ``, n_people``
        (distinct people active at least one day in the range) ``, n_periods``.
        Without ``by``, one row.
    """
    by = list(by or [])
    grid = employee_months(employees, periods, by, cost_centers, cost_center_filter,
                           exclude_contracts)
    return _average_fte(grid, by, len(periods))


def _average_fte(grid: pd.DataFrame, by: list[str], n_periods: int) -> pd.DataFrame:
    """:func:`average_fte` of an :func:`employee_months` grid of ``n_periods`` periods."""
    grid = grid.assign(_person=grid["employee_id"].where(grid["active_days"] > 0))
    keys = by or [np.zeros(len(grid), dtype="int8")]
    # two plain aggregations on one grouping: cheaper than a named aggregation
    grouped = grid.groupby(keys, sort=True, dropna=False)
    out = grouped[["fte_month"]].sum().set_axis(["avg_fte"], axis=1)
    out["n_people"] = grouped["_person"].nunique()
    out["avg_fte"] = out["avg_fte"] / n_periods if n_periods else np.nan
    out = out.reset_index(drop=not by)
    if out.empty and not by:
        out = pd.DataFrame({"avg_fte": [0.0 if n_periods else np.nan], "n_people": [0]})
    out["n_people"] = out["n_people"].astype("int64")
    out["n_periods"] = n_periods
    return out[[*by, "avg_fte", "n_people", "n_periods"]]
