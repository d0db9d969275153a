"""Private helpers shared by the process KPI modules of :mod:`backoffice_lib.process`.

Reason codes, the months a flow table covers, calendar and working-day durations on
date columns, grouped duration statistics and the period × group grid every monthly
result is laid on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..periods import french_holidays, period_range, periods_of, validate_period

# --------------------------------------------------------------------------- reason codes

#: Nothing to measure: no invoice or ticket in the population (kpi-reference §0).
NO_POPULATION = "NO_POPULATION"
#: The month is outside the months the table covers (§0: a period not loaded is None).
NOT_LOADED = "NOT_LOADED"
#: A team with fewer than ``min_tickets`` resolved tickets: counts only (P13).
SMALL_TEAM = "SMALL_TEAM"
#: Late-payment interest or overdue amounts computed on HT, no ``amount_ttc`` (P8).
HT_BASIS = "HT_BASIS"


# --------------------------------------------------------------------------- periods


def _periods(periods: Sequence[str]) -> list[str]:
    """The periods as a checked list (``YYYY-MM``), in the given order."""
    return [validate_period(p) for p in periods]


def _loaded(dates: pd.Series, loaded_periods: Iterable[str] | None) -> set[str]:
    """The months a flow table covers: given, or every month from its first to its last
    event (``dates``); inside them no row is a true zero (§0)."""
    if loaded_periods is not None:
        return set(loaded_periods)
    known = dates.dropna()
    if known.empty:
        return set()
    first, last = periods_of(pd.Series([known.min(), known.max()]))
    return set(period_range(first, last))


def _grid(periods: list[str], groups: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every period (× every row of ``groups``), periods in the given order."""
    grid = pd.DataFrame({"period": pd.Series(periods, dtype="str")})
    if groups is not None and len(groups.columns):
        grid = grid.merge(groups.drop_duplicates().sort_values(list(groups.columns)),
                          how="cross")
    return grid


def _reason(n: pd.Series, loaded: pd.Series) -> pd.Series:
    """``NOT_LOADED`` for months not covered, ``NO_POPULATION`` for an empty one, else NA."""
    values = np.select([~loaded.to_numpy(bool), n.to_numpy() == 0],
                       [NOT_LOADED, NO_POPULATION], default=None)
    return pd.Series(values, index=n.index, dtype="str")


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """``numerator / denominator`` as float64, NaN where the denominator is 0 or missing."""
    den = denominator.astype("float64")
    return (numerator.astype("float64") / den.where(den != 0)).astype("float64")


# --------------------------------------------------------------------------- durations


def _days(start: pd.Series, end: pd.Series) -> pd.Series:
    """Calendar days from ``start`` to ``end`` (float64; NaN when either is missing)."""
    return ((end - start) / pd.Timedelta(days=1)).astype("float64")


def _holidays(dates: Iterable[pd.Series], extra_holidays: Iterable[object] = (),
              alsace_moselle: bool = False) -> np.ndarray:
    """French public holidays (:func:`periods.french_holidays`) of the years the dates
    span, plus ``extra_holidays``, as ``datetime64[D]``."""
    years = pd.concat([d.dt.year for d in dates]).dropna()
    days = {pd.Timestamp(d).date() for d in extra_holidays}
    if len(years):
        for year in range(int(years.min()), int(years.max()) + 1):
            days |= french_holidays(year, alsace_moselle)
    return np.array(sorted(days), dtype="datetime64[D]")


def _working_days(start: pd.Series, end: pd.Series, holidays: np.ndarray) -> pd.Series:
    """Working days from ``start`` (excluded) to ``end`` (included): a Friday to the next
    Monday is 1 (float64; NaN when either date is missing, negative when ``end`` is
    before ``start``)."""
    known = (start.notna() & end.notna()).to_numpy(bool)
    first = start.to_numpy(dtype="datetime64[D]")[known] + np.timedelta64(1, "D")
    last = end.to_numpy(dtype="datetime64[D]")[known] + np.timedelta64(1, "D")
    out = np.full(len(start), np.nan)
    out[known] = np.busday_count(first, last, holidays=holidays)
    return pd.Series(out, index=start.index, dtype="float64")


def _describe(frame: pd.DataFrame, keys: list[str], column: str, *,
              p90: bool = True) -> pd.DataFrame:
    """``n, mean, median, p90`` of ``column`` by ``keys`` (NaN values left out; p90 by
    linear interpolation between the closest ranks, as ``Series.quantile``; without
    ``p90`` when the caller does not use it)."""
    values = frame[[*keys, column]].dropna(subset=[column])
    grouped = values.groupby(keys, sort=False)[column]
    # each statistic by its own method on one grouping: ``agg([...])`` gives the same
    # frame at twice the cost
    out = pd.DataFrame({"n": grouped.count(), "mean": grouped.mean(),
                        "median": grouped.median()})
    if p90:
        out["p90"] = grouped.quantile(0.9)
    return out.reset_index()
