"""Tenure of the month-end headcount and tenure bands (kpi-reference H9).

The population is H1's month-end headcount of the period (``hire_date ≤ last_day`` and
``exit_date`` null or after it), with the rules of :func:`.workforce.employee_months`
(uncountable rows, interns and agency temps left out). The reference date is the last
day of the period. A rehire's tenure restarts at the new ``hire_date`` (there is no
``seniority_date`` column).

Two measures of the same tenure:

- ``tenure_years = (ref_date − hire_date).days / 365.25`` (H9), used for the mean and
  median (years, float);
- the band (:data:`TENURE_BANDS`, lower bound inclusive) uses *completed years*: a year
  is complete on the hiring anniversary. This deviates from banding
  ``days / 365.25`` on purpose: 365.25 days is not a whole number of days, so with the
  formula an anniversary spanning no 29 February (365 days = 0.9993 years) would stay in
  ``lt1``, and a 10th anniversary with two leap days (3,652 days) in ``5-10``. Someone
  hired on 29 February completes a year on 1 March in non-leap years.

Groups (``by``) use the employee's current attributes.

Example::

    bands = tenure_bands(employees, "2026-10", by=["department"], cost_centers=ccs)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..periods import validate_period
from .workforce import EXCLUDED_CONTRACTS, employee_months

__all__ = ["TENURE_BANDS", "tenure_bands", "tenure_summary"]

#: Tenure band codes, in order: < 1 year, 1–2, 2–5, 5–10, ≥ 10 (lower bound inclusive, H9).
TENURE_BANDS: tuple[str, ...] = ("lt1", "1-2", "2-5", "5-10", "ge10")

#: Lower bounds (completed years) of the bands after the first.
_BAND_EDGES = (1, 2, 5, 10)

_BAND_DTYPE = pd.CategoricalDtype(list(TENURE_BANDS), ordered=True)


def _tenure_grid(
    employees: pd.DataFrame,
    period: str,
    by: list[str],
    cost_centers: pd.DataFrame | None,
    cost_center_filter: Sequence[str] | None,
    exclude_contracts: Sequence[str],
) -> pd.DataFrame:
    """Employee rows of ``period`` with ``_years`` (H9) and ``band`` (completed years)."""
    grid = employee_months(employees, [validate_period(period)], by, cost_centers,
                           cost_center_filter, exclude_contracts)
    ref, hire = grid["_end"], grid["hire_date"]
    grid["_years"] = (ref - hire).dt.days / 365.25
    before_anniversary = hire.dt.month * 100 + hire.dt.day > ref.dt.month * 100 + ref.dt.day
    completed = (ref.dt.year - hire.dt.year - before_anniversary.astype("int64")).to_numpy()
    codes = np.searchsorted(np.array(_BAND_EDGES), completed, side="right")
    grid["band"] = pd.Categorical.from_codes(codes, dtype=_BAND_DTYPE)
    return grid


def tenure_bands(
    employees: pd.DataFrame,
    period: str,
    *,
    by: Sequence[str] | None = None,
    cost_centers: pd.DataFrame | None = None,
    cost_center_filter: Sequence[str] | None = None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
) -> pd.DataFrame:
    """Month-end headcount of ``period`` by tenure band (kpi-reference H9).

    Bands are :data:`TENURE_BANDS` on completed years at the last day of ``period``
    (lower bound inclusive: exactly one year → ``"1-2"``; see the module docstring).

    Parameters
    ----------
    employees, by, cost_centers, cost_center_filter, exclude_contracts:
        As in :func:`.workforce.monthly_fte`.
    period:
        ``YYYY-MM``; the reference date is its last day.

    Returns
    -------
    DataFrame
        ``*by, band`` (ordered categorical, :data:`TENURE_BANDS`) ``, headcount``
        (persons, int64). Every band of every group that has employees, zeros
        included, sorted by groups then band order.
    """
    by = list(by or [])
    grid = _tenure_grid(employees, period, by, cost_centers, cost_center_filter,
                        exclude_contracts)
    counts = (grid[grid["at_month_end"]]
              .groupby([*by, "band"], observed=True, dropna=False).size()
              .rename("headcount").reset_index())
    groups = grid[by].drop_duplicates() if by else pd.DataFrame(index=[0])
    bands = pd.DataFrame({"band": pd.Categorical(list(TENURE_BANDS), dtype=_BAND_DTYPE)})
    out = groups.merge(bands, how="cross").merge(counts, on=[*by, "band"], how="left")
    out["headcount"] = out["headcount"].fillna(0).astype("int64")
    return out.sort_values([*by, "band"], ignore_index=True)[[*by, "band", "headcount"]]


def tenure_summary(
    employees: pd.DataFrame,
    period: str,
    *,
    by: Sequence[str] | None = None,
    cost_centers: pd.DataFrame | None = None,
    cost_center_filter: Sequence[str] | None = None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
) -> pd.DataFrame:
    """Mean and median tenure of the month-end headcount of ``period`` (kpi-reference H9).

    ``tenure_years = (last_day(period) − hire_date).days / 365.25``.

    Parameters are those of :func:`tenure_bands`.

    Returns
    -------
    DataFrame
        ``*by, headcount`` (persons, int64) ``, mean_years, median_years`` (years,
        float; NaN for a group with nobody at month end). One row per group that has
        employees; one row without ``by``.
    """
    by = list(by or [])
    grid = _tenure_grid(employees, period, by, cost_centers, cost_center_filter,
                        exclude_contracts)
    grid["_years"] = grid["_years"].where(grid["at_month_end"])
    keys = by or [np.zeros(len(grid), dtype="int8")]
    # each statistic by its own method on one grouping (a named aggregation gives the
    # same frame at about twice the cost)
    grouped = grid.groupby(keys, sort=True, dropna=False)
    out = pd.DataFrame({"headcount": grouped["at_month_end"].sum(),
                        "mean_years": grouped["_years"].mean(),
                        "median_years": grouped["_years"].median()})
    out = out.reset_index(drop=not by)
    if out.empty and not by:
        out = pd.DataFrame({"headcount": [0], "mean_years": [np.nan], "median_years": [np.nan]})
    out["headcount"] = out["headcount"].astype("int64")
    return out[[*by, "headcount", "mean_years", "median_years"]]
