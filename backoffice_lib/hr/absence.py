"""Absenteeism (kpi-reference §2 H11): absence rate by month and absence days by type.

``absence_rate(m) = Σ in-scope absence working days in m / Σ planned working days in m``
(a fraction: 0.045 is 4.5 %). Planned days are ``Σ_i working days of m while active ×
fte_i``; working days are Monday–Friday minus French public holidays
(:func:`backoffice_lib.periods.french_holidays`, §0), the same calendar as
:func:`backoffice_lib.periods.is_working_day`. The people and their groups come from
:func:`~backoffice_lib.hr.workforce.employee_months`, so the population is the one of
headcount and FTE: countable employees, interns and agency temps out by default,
``cost_center_filter`` applied.

Spells (``absences`` rows) are placed in months by working days: a spell crossing a
month end is split in proportion to its working days in each month (``days × working
days of the spell in m / working days of the spell``); a spell without any working day
(a weekend, a holiday) goes whole to the month it starts in. ``days`` (working days,
half days allowed) is taken as written: the validation step, not this module, flags a
``days`` inconsistent with the dates (H11 edge rule), because recomputing it here would
silently overwrite what HR keyed. For the same reason spells are not cut to the
contract dates: a spell running past ``exit_date`` keeps its days (validation's job).

Absences of employees outside the population (unknown ``employee_id``, intern or
agency temp, invalid employee record, cost centre outside ``cost_center_filter``) are
left out of both results: they would have no planned days to be compared with.
Validation reports absences of unknown employees. Spells without a ``start_date`` are
left out too (they cannot be placed in a month); an ``end_date`` missing or before the
start counts as a one-day spell on ``start_date``.

In-scope types (:data:`ABSENCE_TYPES_IN_SCOPE`, H11 default: sickness, work and commute
accidents, occupational disease, unauthorised absence) are compared after
:func:`~backoffice_lib.tables.normalize_header` (case, accents and punctuation ignored):
``"Arrêt maladie"``, ``"ARRET MALADIE"`` and ``"arret_maladie"`` are one type. Paid leave,
RTT, training and maternity/paternity leave are out of scope by default.

Every row carries ``n_people`` for small-group suppression (H17,
:mod:`backoffice_lib.privacy`).

Example::

    rate = absence_rate(absences, employees, periods.r12_range("2026-10"),
                        by=["department"], cost_centers=cost_centers)
    kinds = absence_by_type(absences, employees, periods.r12_range("2026-10"))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..periods import french_holidays
from ..tables import normalize_header
from .workforce import EXCLUDED_CONTRACTS, _among, _folded, _periods_frame, employee_months

__all__ = ["ABSENCE_TYPES_IN_SCOPE", "absence_by_type", "absence_rate"]

#: Absence types counted by the absence rate by default (H11), as normalised names
#: (:func:`~backoffice_lib.tables.normalize_header`), French then English.
ABSENCE_TYPES_IN_SCOPE: tuple[str, ...] = (
    # sickness
    "maladie", "arret maladie", "conge maladie", "maladie ordinaire",
    "sickness", "sick leave", "sickness absence", "illness",
    # work and commute accidents, occupational disease
    "accident du travail", "accident de travail", "at", "at mp", "accident de trajet",
    "maladie professionnelle", "work accident", "workplace accident",
    "occupational accident", "commute accident", "commuting accident",
    "occupational disease", "occupational illness",
    # unauthorised absence
    "absence injustifiee", "absence non justifiee", "absence non autorisee",
    "unauthorised absence", "unauthorized absence", "unjustified absence",
)

_GROUP_COLUMNS = ["employee_id", "period"]


# --------------------------------------------------------------------------- working days


def _holidays(years: Iterable[int], alsace_moselle: bool,
              extra_holidays: Iterable[dt.date]) -> np.ndarray:
    """French public holidays of ``years`` plus ``extra_holidays`` as ``datetime64[D]``."""
    days = set(extra_holidays)
    for year in years:
        days |= french_holidays(year, alsace_moselle)
    return np.array(sorted(days), dtype="datetime64[D]")


def _working_days(first: pd.Series | np.ndarray, last: pd.Series | np.ndarray,
                  holidays: np.ndarray) -> np.ndarray:
    """Working days in ``[first, last]`` row by row (int64; 0 when ``last < first``)."""
    begin = np.asarray(first).astype("datetime64[D]")
    end = np.asarray(last).astype("datetime64[D]") + np.timedelta64(1, "D")
    return np.clip(np.busday_count(begin, end, holidays=holidays), 0, None).astype("int64")


def _years(*dates: pd.Series) -> range:
    """The calendar years spanned by all the given datetime columns."""
    lows = [d.min() for d in dates if d.notna().any()]
    highs = [d.max() for d in dates if d.notna().any()]
    return range(min(lows).year, max(highs).year + 1) if lows else range(0)


# --------------------------------------------------------------------------- spells


def _one_row_per_person_month(grid: pd.DataFrame) -> pd.DataFrame:
    """The grid with one row per employee × period (the most active contract of the id)."""
    ordered = grid.sort_values("active_days", ascending=False, kind="stable")
    return ordered.drop_duplicates(_GROUP_COLUMNS).sort_index()


def _spells(absences: pd.DataFrame, grid: pd.DataFrame, start: pd.Timestamp,
            end: pd.Timestamp) -> pd.DataFrame:
    """Absences of the grid's people that touch ``[start, end]``, one id per spell."""
    sp = absences[["employee_id", "start_date", "end_date", "type", "days"]]
    first = sp["start_date"]
    last = sp["end_date"].where(sp["end_date"] >= first, first)
    keep = (first.notna() & (first <= end) & (last >= start)).to_numpy(dtype=bool)
    keep = keep & _among(sp["employee_id"], grid["employee_id"])
    sp = sp[keep].assign(end_date=last[keep]).reset_index(drop=True)
    return sp.assign(_spell=np.arange(len(sp)))


def _spell_parts(spells: pd.DataFrame, months: pd.DataFrame, holidays: np.ndarray,
                 types: Sequence[str]) -> pd.DataFrame:
    """Spell × month parts with their ``_days`` (working days), ``_type_key`` and ``_in_scope``.

    Only the months a spell touches can hold a part: the pairs are those of a cross
    merge (spell by spell, months in the given order) whose dates overlap."""
    start, end = spells["start_date"].to_numpy(), spells["end_date"].to_numpy()
    m_start, m_end = months["_start"].to_numpy(), months["_end"].to_numpy()
    spell, month = np.nonzero((start[:, None] <= m_end) & (end[:, None] >= m_start))
    total = _working_days(start[spell], end[spell], holidays)
    first = np.maximum(start[spell], m_start[month])
    last = np.minimum(end[spell], m_end[month])
    overlap = _working_days(first, last, holidays)
    starts_here = (start[spell] >= m_start[month]) & (start[spell] <= m_end[month])
    no_wd = total == 0
    parts = spells.take(spell)
    parts["period"] = months["period"].array.take(month)
    days = parts["days"].to_numpy(dtype="float64")
    share = days * overlap / np.where(no_wd, 1, total)
    parts["_days"] = np.where(no_wd, np.where(starts_here, days, 0.0), share)
    parts = parts[np.where(no_wd, starts_here, overlap > 0)]
    parts["_type_key"] = _folded(parts["type"])
    parts["_in_scope"] = parts["_type_key"].isin({normalize_header(t) for t in types})
    return parts


def _prepare(absences, employees, periods, by, cost_centers, cost_center_filter,
             exclude_contracts, types, alsace_moselle, extra_holidays):
    """The employee × month grid with ``_planned`` days and the spells' month parts
    (with the ``by`` columns of their employee)."""
    grid = employee_months(employees, periods, by, cost_centers, cost_center_filter,
                           exclude_contracts)
    months = _periods_frame(periods)
    lo = months["_start"].min() if len(months) else pd.Timestamp(0)
    hi = months["_end"].max() if len(months) else pd.Timestamp(0)
    spells = _spells(absences, grid, lo, hi)
    holidays = _holidays(_years(months["_start"], spells["start_date"], spells["end_date"]),
                         alsace_moselle, extra_holidays)
    start, end = grid["_start"].to_numpy(), grid["_end"].to_numpy()
    exit_date = grid["exit_date"].to_numpy()
    first = np.maximum(grid["hire_date"].to_numpy(), start)
    last = np.minimum(np.where(np.isnat(exit_date), end, exit_date), end)
    grid["_planned"] = _working_days(first, last, holidays) * grid["fte"].to_numpy()
    grid["_active"] = grid["active_days"].to_numpy() > 0
    parts = _spell_parts(spells, months, holidays, types)
    if not by:  # every part's person × month is in the grid: nothing to add or drop
        return grid, parts.reset_index(drop=True)
    people = _one_row_per_person_month(grid)[[*_GROUP_COLUMNS, *by]]
    return grid, parts.merge(people, on=_GROUP_COLUMNS)


# --------------------------------------------------------------------------- KPIs


def absence_rate(
    absences: pd.DataFrame,
    employees: pd.DataFrame,
    periods: Sequence[str],
    *,
    by: Sequence[str] | None = None,
    cost_centers: pd.DataFrame | None = None,
    cost_center_filter: Sequence[str] | None = None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
    types: Sequence[str] = ABSENCE_TYPES_IN_SCOPE,
    alsace_moselle: bool = False,
    extra_holidays: Iterable[dt.date] = (),
) -> pd.DataFrame:
    """Absenteeism rate of each month (kpi-reference H11).

    ``absence_rate = absence_days / planned_days`` with ``planned_days = Σ_i working days
    of the month within [hire_date, exit_date] × fte_i``.

    Parameters
    ----------
    absences:
        Canonical ``absences``: ``employee_id, start_date, end_date, type, days`` (working
        days, half days allowed).
    employees:
        Canonical ``employees`` (see :func:`~backoffice_lib.hr.monthly_fte`).
    periods:
        ``YYYY-MM`` periods to compute (e.g. ``periods.r12_range(period)``).
    by, cost_centers, cost_center_filter, exclude_contracts:
        As :func:`~backoffice_lib.hr.monthly_fte`.
    types:
        In-scope absence types, compared after ``normalize_header``.
    alsace_moselle, extra_holidays:
        Working-day calendar options, as :func:`backoffice_lib.periods.working_days`.

    Returns
    -------
    DataFrame
        ``period, *by, absence_days`` (working days, float) ``, planned_days`` (working
        days × FTE, float) ``, absence_rate`` (fraction; NaN when ``planned_days`` is 0:
        the reason is then ``planned_days == 0``, never a 0 % rate) ``, n_people`` (people
        with at least one active day in the month). Every period × group that has
        employees, zeros included; sorted by period then ``by``.
    """
    by = list(by or [])
    grid, parts = _prepare(absences, employees, periods, by, cost_centers,
                           cost_center_filter, exclude_contracts, types, alsace_moselle,
                           extra_holidays)
    keys = ["period", *by]
    # one groupby sum of both columns (a named aggregation runs one per column)
    out = grid.groupby(keys, sort=True, dropna=False)[["_planned", "_active"]].sum() \
        .set_axis(["planned_days", "n_people"], axis=1)
    spent = parts[parts["_in_scope"]].groupby(keys, dropna=False)["_days"].sum()
    out["absence_days"] = spent.reindex(out.index).fillna(0.0).astype("float64")
    out = out.reset_index()
    if out.empty and not by:
        out = pd.DataFrame({"period": pd.Series(list(periods), dtype="str"),
                            "planned_days": 0.0, "n_people": 0, "absence_days": 0.0})
    out["planned_days"] = out["planned_days"].astype("float64")
    planned = out["planned_days"].where(out["planned_days"] > 0)
    out["absence_rate"] = (out["absence_days"] / planned).astype("float64")
    out["n_people"] = out["n_people"].astype("int64")
    return out[[*keys, "absence_days", "planned_days", "absence_rate", "n_people"]]


def absence_by_type(
    absences: pd.DataFrame,
    employees: pd.DataFrame,
    periods: Sequence[str],
    *,
    by: Sequence[str] | None = None,
    cost_centers: pd.DataFrame | None = None,
    cost_center_filter: Sequence[str] | None = None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
    types: Sequence[str] = ABSENCE_TYPES_IN_SCOPE,
    alsace_moselle: bool = False,
    extra_holidays: Iterable[dt.date] = (),
) -> pd.DataFrame:
    """Absence days by type over the whole range of ``periods``, in scope of H11 or not.

    Spells are cut to the range by working days as in :func:`absence_rate`, so the
    in-scope rows add up to the Σ ``absence_days`` of :func:`absence_rate` over the
    same periods. Parameters are those of :func:`absence_rate`.

    Returns
    -------
    DataFrame
        ``*by, type`` (as first written in ``absences``; spellings with the same
        normalised name are one type) ``, in_scope`` (bool) ``, absence_days`` (working
        days in the range, float) ``, spells`` (spells with at least one day in the range)
        ``, n_people`` (distinct people with such a spell). Sorted by ``by``, then
        ``absence_days`` descending, then type.
    """
    by = list(by or [])
    _, parts = _prepare(absences, employees, periods, by, cost_centers, cost_center_filter,
                        exclude_contracts, types, alsace_moselle, extra_holidays)
    parts = parts.sort_values(["_spell", "period"], kind="stable")
    # each statistic by its own method on one grouping (a named aggregation gives the
    # same frame at about twice the cost)
    grouped = parts.groupby([*by, "_type_key"], sort=False, dropna=False)
    out = pd.DataFrame({
        "type": grouped["type"].first(), "in_scope": grouped["_in_scope"].first(),
        "absence_days": grouped["_days"].sum(), "spells": grouped["_spell"].nunique(),
        "n_people": grouped["employee_id"].nunique()}).reset_index()
    out = out.astype({"in_scope": bool, "absence_days": "float64", "spells": "int64",
                      "n_people": "int64"})
    out = out.sort_values([*by, "absence_days", "type"], ascending=[*[True] * len(by), False, True],
                          kind="stable", na_position="last")
    return out[[*by, "type", "in_scope", "absence_days", "spells", "n_people"]].reset_index(
        drop=True)
