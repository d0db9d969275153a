"""The figures of each section of the headcount report: HR KPIs with the run's options.

One function per section, each a call of :mod:`backoffice_lib.hr` with the period, the
fiscal year and the cost-centre filter of :class:`~.inputs.HeadcountInputs`, plus the
privacy rules of the managers' report (kpi-reference H17, ``k = min_group_size``):

- a rate, a mean or an amount is computed from the people of its group (``n_people``):
  a department with fewer than ``k`` people has its row hidden, with a complementary
  row so that the company total does not give it away
  (:func:`privacy.suppress_small_groups`);
- a count of events (hires, leavers) is computed from the people it counts: a count of
  1 to ``k − 1`` is hidden, and so is its partner in the bridge (hires with leavers) so
  that it cannot be recomputed from the opening and closing headcount.

No name, birth date or employee id leaves these functions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import hr, privacy
from ...money import to_cents
from ...periods import r12_range, shift_period, ytd_range
from ..sections import first_value, last_months, once
from .inputs import PERMANENT_CONTRACTS, HeadcountInputs

__all__ = [
    "FLOWS",
    "LEAVER_SPLIT",
    "absence_trend",
    "absence_types",
    "bridge",
    "departments",
    "headline",
    "payroll_reconciliation",
    "tenure",
    "tenure_summary",
    "turnover_trend",
    "workforce_trend",
]

#: Columns of the bridge that count events (hidden from 1 to k − 1).
FLOWS = ("hires", "leavers")
LEAVER_SPLIT = ("leavers_voluntary", "leavers_involuntary", "leavers_other")
_TOTAL = "TOTAL"


# --------------------------------------------------------------------------- headline


def headline(d: HeadcountInputs) -> dict[str, object]:
    """The month's key figures, each None when it cannot be shown.

    Keys: ``headcount`` and ``headcount_previous`` (persons at month end, H1), ``fte``
    (FTE of the month, H2), ``turnover_r12`` (sum of the 12 monthly rates, SHRM, H5) and
    ``turnover_ytd`` (YTD annualised), ``absence_rate`` and ``absence_rate_r12``
    (fractions, H11), ``cost_per_fte`` (payroll cost, employer charges included, per
    average FTE over the 12 months: EUR per FTE per year, H13) and ``charge_ratio``;
    ``n_people`` (people in the month's headcount) and ``suppressed`` (True when the scope
    has fewer than ``min_group_size`` people: rates and amounts are then None).
    """
    months = r12_range(d.period)
    count = hr.headcount(d.employees, [shift_period(d.period, -1), d.period], **d.scope)
    fte = hr.monthly_fte(d.employees, [d.period], **d.scope)
    n_people = int(first_value(fte, "n_people") or 0)
    small = 0 < n_people < d.min_group_size
    out: dict[str, object] = {
        "headcount": int(count["headcount"].iloc[-1]) if not count.empty else 0,
        "headcount_previous": int(count["headcount"].iloc[0]) if len(count) > 1 else None,
        "fte": first_value(fte, "fte"), "n_people": n_people, "suppressed": small,
        "turnover_r12": None, "turnover_ytd": None, "absence_rate": None,
        "absence_rate_r12": None, "cost_per_fte": None, "charge_ratio": None,
    }
    if small:  # even the head count describes fewer than k people
        return {**out, "headcount": None, "headcount_previous": None, "fte": None}
    rates = hr.turnover_rates(d.employees, d.period, fiscal_year_start=d.fiscal_year_start,
                              **d.scope)
    out["turnover_r12"] = first_value(rates, "r12")
    out["turnover_ytd"] = first_value(rates, "ytd_annualised")
    if d.absences is not None:
        month = hr.absence_rate(d.absences, d.employees, [d.period], **d.scope)
        out["absence_rate"] = first_value(month, "absence_rate")
        out["absence_rate_r12"] = _r12_absence(d, months)
    if d.payroll is not None:
        cost = hr.payroll_cost_per_fte(d.payroll, d.employees, months, **d.scope)
        out["cost_per_fte"] = first_value(cost, "cost_per_fte")
        out["charge_ratio"] = first_value(cost, "charge_ratio")
    return out


def _r12_absence(d: HeadcountInputs, months: list[str]) -> float | None:
    """Absence days over planned days of the 12 months (not the mean of monthly rates)."""
    rates = _absence_rates(d, months)
    planned = float(rates["planned_days"].sum())
    return float(rates["absence_days"].sum()) / planned if planned else None


def _absence_rates(d: HeadcountInputs, months: list[str]) -> pd.DataFrame:
    """:func:`hr.absence_rate` of the scope by month, computed once per report for the
    same months (the headline's 12 months are the absence chart's)."""
    return once(d, ("absence_rate", tuple(months)),
                lambda: hr.absence_rate(d.absences, d.employees, months, **d.scope))


# --------------------------------------------------------------------------- trends


def workforce_trend(d: HeadcountInputs, months: int = 24) -> pd.DataFrame:
    """Month-end headcount (persons) and FTE of each of the ``months`` to the period.

    Returns
    -------
    DataFrame
        ``period, headcount, fte, n_people``; the months of a scope with fewer than
        ``min_group_size`` people have NA values (``suppressed``).
    """
    table = hr.workforce_size(d.employees, last_months(d.period, months), **d.scope)
    return _hide_small_months(table, d, ["headcount", "fte"])


def _hide_small_months(table: pd.DataFrame, d: HeadcountInputs,
                       columns: list[str]) -> pd.DataFrame:
    """Blank the months whose scope has 1 to k − 1 people (primary suppression only: a
    month has no total to recompute it from)."""
    small = (table["n_people"] > 0) & (table["n_people"] < d.min_group_size)
    table = table.reset_index(drop=True)
    for col in columns:
        table[col] = table[col].astype("float64").mask(small)
    return table.assign(suppressed=small.to_numpy(dtype=bool))


def turnover_trend(d: HeadcountInputs, months: int = 12) -> pd.DataFrame:
    """Monthly turnover (H5) of the ``months`` to the period: all leavers, voluntary
    leavers only, and permanent contracts only.

    Returns
    -------
    DataFrame
        ``period, avg_headcount`` (mean daily headcount, persons) ``, leavers`` (persons)
        ``, turnover, voluntary, permanent`` (fractions of the month, not annualised)
        ``, n_people, suppressed``.
    """
    periods = last_months(d.period, months)
    allx = hr.turnover(d.employees, periods, **d.scope)
    vol = hr.turnover(d.employees, periods, voluntary_only=True, **d.scope)
    perm = hr.turnover(d.employees, periods, contract_types=PERMANENT_CONTRACTS, **d.scope)
    table = allx[["period", "avg_headcount", "leavers", "turnover", "n_people"]].assign(
        voluntary=vol["turnover"].to_numpy(), permanent=perm["turnover"].to_numpy())
    table = _hide_small_months(table, d, ["avg_headcount", "turnover", "voluntary",
                                          "permanent"])
    table["leavers"] = _hide_counts(table["leavers"], d.min_group_size)
    return table[["period", "avg_headcount", "leavers", "turnover", "voluntary", "permanent",
                  "n_people", "suppressed"]]


def absence_trend(d: HeadcountInputs, months: int = 12) -> pd.DataFrame:
    """Monthly absenteeism rate (H11) of the ``months`` to the period.

    Returns
    -------
    DataFrame
        ``period, absence_days, planned_days`` (working days) ``, absence_rate``
        (fraction) ``, n_people, suppressed``; empty without the absences table.
    """
    columns = ["period", "absence_days", "planned_days", "absence_rate", "n_people",
               "suppressed"]
    if d.absences is None:
        return pd.DataFrame(columns=columns)
    table = _absence_rates(d, last_months(d.period, months))
    return _hide_small_months(table, d, ["absence_days", "planned_days", "absence_rate"])[
        columns]


def absence_types(d: HeadcountInputs) -> pd.DataFrame:
    """Absence days by type over the 12 months to the period, in-scope types first.

    Returns
    -------
    DataFrame
        ``type, in_scope, absence_days`` (working days) ``, spells, n_people,
        suppressed``: a type taken by fewer than ``min_group_size`` people has its
        figures hidden (and a partner, since the rows add up to the total of days).
    """
    if d.absences is None:
        return pd.DataFrame(columns=["type", "in_scope", "absence_days", "spells",
                                     "n_people", "suppressed"])
    table = hr.absence_by_type(d.absences, d.employees, r12_range(d.period), **d.scope)
    table = table.sort_values(["in_scope", "absence_days"], ascending=[False, False])
    return privacy.suppress_small_groups(
        table.reset_index(drop=True), value_columns=["absence_days", "spells", "n_people"],
        k=d.min_group_size).drop(columns="suppression")


# --------------------------------------------------------------------------- bridge


def _hide_counts(counts: pd.Series, k: int) -> pd.Series:
    """Counts of 1 to k − 1 events become NA (zero stays: it describes nobody)."""
    values = counts.astype("Int64")
    return values.mask((values > 0) & (values < k))


def bridge(d: HeadcountInputs) -> pd.DataFrame:
    """Opening headcount + hires − leavers = closing headcount (H8), for the month, the
    fiscal year to date and the 12 months to the period, for the scope.

    Returns
    -------
    DataFrame
        ``window`` (``month``, ``ytd``, ``r12``) ``, start, end`` (first and last period)
        ``, opening, hires, leavers, leavers_voluntary, leavers_involuntary,
        leavers_other, closing`` (persons) ``, residual`` (persons: not 0 means
        inconsistent dates, never plugged). Counts of 1 to ``k − 1`` are NA (``< k`` in
        the report): when hires or leavers is hidden, both are; when one part of the
        leavers' split is hidden, the whole split is.
    """
    windows = {"month": [d.period], "ytd": ytd_range(d.period, d.fiscal_year_start),
               "r12": r12_range(d.period)}
    monthly = hr.headcount_bridge(d.employees, windows["r12"], split_leavers=True,
                                  **d.scope).set_index("period")
    rows = []
    for name, periods in windows.items():
        part = monthly.loc[periods]
        sums = part[[*FLOWS, *LEAVER_SPLIT, "residual"]].sum()
        rows.append({"window": name, "start": periods[0], "end": periods[-1],
                     "opening": int(part["opening"].iloc[0]),
                     **{c: int(sums[c]) for c in sums.index},
                     "closing": int(part["closing"].iloc[-1])})
    table = pd.DataFrame(rows)
    return _suppress_flows(table, d.min_group_size)


def _suppress_flows(table: pd.DataFrame, k: int) -> pd.DataFrame:
    """Primary suppression of small counts, then the bridge's complementary cells."""
    out = table.copy()
    for col in (*FLOWS, *LEAVER_SPLIT):
        out[col] = _hide_counts(out[col], k)
    # hires − leavers = closing − opening: one hidden flow could be recomputed.
    lone = out[list(FLOWS)].isna().any(axis=1)
    for col in FLOWS:
        out[col] = out[col].mask(lone)
    # the split adds up to the leavers: hide all its parts, or none.
    split = out[list(LEAVER_SPLIT)].isna().any(axis=1) | out["leavers"].isna()
    for col in LEAVER_SPLIT:
        out[col] = out[col].mask(split)
    return out


# --------------------------------------------------------------------------- departments


def departments(d: HeadcountInputs, top: dict[str, object] | None = None) -> pd.DataFrame:
    """One row per department (or cost centre) and a ``TOTAL`` row, for the month and
    the 12 months to it. ``top``: the :func:`headline` already computed (the total row).

    Returns
    -------
    DataFrame
        ``department`` (or ``cost_center``) ``, headcount`` (persons at month end)
        ``, fte`` (FTE of the month) ``, turnover_r12`` (sum of 12 monthly rates)
        ``, absence_rate_r12`` (fraction) ``, cost_per_fte`` (EUR per FTE over 12 months,
        employer charges included) ``, n_people`` (people active in the month),
        ``suppressed``: departments of fewer than ``min_group_size`` people are hidden,
        with a complementary one so the total does not give them away.
    """
    by = d.by_department
    key = by[0]
    table = hr.workforce_size(d.employees, [d.period], by=by, **d.scope).drop(columns="period")
    rates = hr.turnover_rates(d.employees, d.period, fiscal_year_start=d.fiscal_year_start,
                              by=by, **d.scope)[[key, "r12"]]
    table = table.merge(rates.rename(columns={"r12": "turnover_r12"}), on=key, how="left")
    table = table.merge(_department_absence(d, by), on=key, how="left")
    table = table.merge(_department_cost(d, by), on=key, how="left")
    total = _total_row(top if top is not None else headline(d), key)
    table = pd.concat([table.sort_values(key), total], ignore_index=True)
    table["headcount"] = table["headcount"].astype("Int64")
    return privacy.suppress_small_groups(
        table, value_columns=["headcount", "fte", "turnover_r12", "absence_rate_r12",
                              "cost_per_fte", "n_people"],
        k=d.min_group_size, label_column=key, total_label=_TOTAL).drop(columns="suppression")


def _department_absence(d: HeadcountInputs, by: list[str]) -> pd.DataFrame:
    key = by[0]
    if d.absences is None:
        return pd.DataFrame({key: pd.Series(dtype="str"), "absence_rate_r12": []})
    rates = hr.absence_rate(d.absences, d.employees, r12_range(d.period), by=by, **d.scope)
    sums = rates.groupby(key, sort=True)[["absence_days", "planned_days"]].sum()
    planned = sums["planned_days"].replace(0, np.nan)
    return (sums["absence_days"] / planned).rename("absence_rate_r12").reset_index()


def _department_cost(d: HeadcountInputs, by: list[str]) -> pd.DataFrame:
    key = by[0]
    if d.payroll is None:
        return pd.DataFrame({key: pd.Series(dtype="str"), "cost_per_fte": []})
    cost = hr.payroll_cost_per_fte(d.payroll, d.employees, r12_range(d.period), by=by,
                                   **d.scope)
    return cost[[key, "cost_per_fte"]]


def _total_row(top: dict[str, object], key: str) -> pd.DataFrame:
    """The scope's own figures (not a sum of hidden rows): the ``TOTAL`` row."""
    return pd.DataFrame([{
        key: _TOTAL, "headcount": top["headcount"], "fte": top["fte"],
        "turnover_r12": top["turnover_r12"], "absence_rate_r12": top["absence_rate_r12"],
        "cost_per_fte": top["cost_per_fte"], "n_people": top["n_people"],
    }])


# --------------------------------------------------------------------------- tenure


def tenure(d: HeadcountInputs) -> pd.DataFrame:
    """People at month end by tenure band (H9), for the scope.

    Returns
    -------
    DataFrame
        ``band`` (``lt1``, ``1-2``, ``2-5``, ``5-10``, ``ge10``) ``, headcount``
        (persons; 1 to ``k − 1`` hidden, with a partner since the bands add up to the
        headcount) ``, share`` (fraction of the month-end headcount) ``, suppressed``.
    """
    bands = hr.tenure_bands(d.employees, d.period, **d.scope)
    total = int(bands["headcount"].sum())
    bands = bands.assign(n_people=bands["headcount"],
                         share=bands["headcount"] / total if total else np.nan)
    out = privacy.suppress_small_groups(bands, value_columns=["headcount", "share"],
                                        k=d.min_group_size)
    return out[["band", "headcount", "share", "suppressed"]]


def tenure_summary(d: HeadcountInputs) -> dict[str, float | None]:
    """Mean and median tenure in years of the month-end headcount (None for fewer than
    ``min_group_size`` people)."""
    summary = hr.tenure_summary(d.employees, d.period, **d.scope)
    if summary.empty or summary["headcount"].iloc[0] < d.min_group_size:
        return {"mean_years": None, "median_years": None}
    return {"mean_years": float(summary["mean_years"].iloc[0]),
            "median_years": float(summary["median_years"].iloc[0])}


# --------------------------------------------------------------------------- payroll


def payroll_reconciliation(d: HeadcountInputs) -> pd.DataFrame:
    """Payroll totals against the ledger (641 gross pay; 645 and 647 employer charges)
    for each month of the fiscal year to date (H13's check), whole company.

    Returns
    -------
    DataFrame
        ``period, payroll_gross, ledger_gross, gross_difference, payroll_charges,
        ledger_charges, charges_difference`` (EUR, exact; difference = payroll −
        ledger) ``, ties`` (both differences are 0.00); empty without payroll or ledger.
    """
    if d.payroll is None or d.gl_lines is None:
        return pd.DataFrame(columns=["period", "payroll_gross", "ledger_gross",
                                     "gross_difference", "payroll_charges",
                                     "ledger_charges", "charges_difference", "ties"])
    table = hr.payroll_vs_ledger(d.payroll, d.gl_lines,
                                 ytd_range(d.period, d.fiscal_year_start))
    # A month missing on one side has NA differences: it does not tie.
    ties = (to_cents(table["gross_difference"]) == 0) & (to_cents(table["charges_difference"]) == 0)
    return table.assign(ties=ties.fillna(False).astype(bool))
