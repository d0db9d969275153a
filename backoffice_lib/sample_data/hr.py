"""Monthly payroll and absence spells of the staff.

Money is held in integer cents (``*_cents`` columns, int64) so that every total ties out
exactly; the writers print them as euros with a decimal comma.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._random import stream
from .company import CADRE, COST_CENTRES
from .people import Staff
from .periods import DAY, Window, french_holidays

__all__ = ["ABSENCE_TYPES", "make_absences", "make_payroll"]

_FUNCTION = {cc.code: cc.function for cc in COST_CENTRES}
#: Employer charges as a share of gross pay (excluding severance), by contract and CSP.
_CHARGE_RATE_CADRE, _CHARGE_RATE_OTHER, _CHARGE_RATE_APPRENTICE = 0.45, 0.42, 0.12
_MONTHLY_HOURS = 151.67


def make_payroll(staff: Staff, window: Window, seed: int) -> pd.DataFrame:
    """One row per (period, employee) employed at least one day of the month.

    Columns: period (``YYYY-MM``), employee_id, cost_center (the centre charged that
    month, before or after a transfer), base_pay_cents (monthly base × FTE, pro-rated by
    calendar days), variable_pay_cents (sales commission, March bonus of managers and
    engineers, 13th month in December), severance_cents (month of a dismissal, a
    negotiated exit or a retirement), gross_salary_cents (the sum of the three),
    employer_charges_cents (on base + variable) and hours_paid.
    """
    rng = stream(seed, "payroll")
    emp = staff.employees
    n_emp, n_m = len(emp), window.months
    e = np.repeat(np.arange(n_emp), n_m)
    m = np.tile(np.arange(n_m), n_emp)
    m_start, m_end = window.month_starts[m], window.month_ends[m]
    hire = emp["hire_date"].to_numpy().astype("datetime64[D]")[e]
    exit_ = emp["exit_date"].to_numpy().astype("datetime64[D]")[e]
    last = np.where(np.isnat(exit_), m_end, np.minimum(exit_, m_end))
    first = np.maximum(hire, m_start)
    active = first <= last
    e, m, m_start, m_end, first, last, hire, exit_ = (
        a[active] for a in (e, m, m_start, m_end, first, last, hire, exit_))

    days_in_month = (m_end - m_start) / DAY + 1
    prorata = ((last - first) / DAY + 1) / days_in_month
    annual = emp["annual_salary"].to_numpy()[e].astype(float)
    fte = emp["fte"].to_numpy()[e]
    monthly_full = annual * 100 / 12 * fte
    base = np.rint(monthly_full * prorata).astype(np.int64)

    current_cc = emp["cost_center"].to_numpy(dtype=object)[e]
    previous_cc = emp["previous_cc"].to_numpy(dtype=object)[e]
    moved = emp["transfer_date"].to_numpy().astype("datetime64[D]")[e]
    before_move = ~np.isnat(moved) & (moved > last)
    cc = np.where(before_move, previous_cc, current_cc)

    month_no = (window.start_month + m).astype(int) % 12 + 1
    category = emp["job_category"].to_numpy(dtype=object)[e]
    contract = emp["contract_type"].to_numpy(dtype=object)[e]
    is_sales = np.array([_FUNCTION[c] == "sales" for c in cc])
    variable = np.where(is_sales, base * rng.uniform(0.0, 0.3, base.size), 0.0)
    december = (month_no == 12) & (last == m_end)
    variable += np.where(december, monthly_full * np.minimum(1.0, (m_end - hire) / DAY / 365), 0)
    march = (month_no == 3) & (category == CADRE) & (last == m_end) & ((m_end - hire) / DAY > 180)
    variable += np.where(march, annual * 100 * rng.uniform(0.03, 0.12, base.size), 0)
    variable = np.rint(variable).astype(np.int64)

    motive = emp["exit_motive"].to_numpy(dtype=object)[e]
    leaves = ~np.isnat(exit_) & (exit_ <= m_end)
    tenure_years = (last - hire) / DAY / 365.25
    factor = np.select([motive == "Licenciement", motive == "Rupture conventionnelle",
                        motive == "Retraite"], [0.25, 0.30, 0.20], 0.0)
    severance = np.where(leaves, np.rint(factor * annual * 100 / 12 * tenure_years), 0)
    severance = severance.astype(np.int64)

    rate = np.where(contract == "Apprentissage", _CHARGE_RATE_APPRENTICE,
                    np.where(category == CADRE, _CHARGE_RATE_CADRE, _CHARGE_RATE_OTHER))
    charges = np.rint((base + variable) * rate).astype(np.int64)
    payroll = pd.DataFrame({
        "period": np.array(window.periods, dtype=object)[m],
        "employee_id": emp["employee_id"].to_numpy(dtype=object)[e],
        "cost_center": cc,
        "base_pay_cents": base,
        "variable_pay_cents": variable,
        "severance_cents": severance,
        "gross_salary_cents": base + variable + severance,
        "employer_charges_cents": charges,
        "hours_paid": np.round(_MONTHLY_HOURS * fte * prorata, 2),
    })
    for col in ("period", "employee_id", "cost_center"):
        payroll[col] = payroll[col].astype("str")
    return payroll.sort_values(["period", "employee_id"], kind="stable").reset_index(drop=True)


#: Absence types: spells per person-year, duration choices (working days), paid.
ABSENCE_TYPES: dict[str, tuple[float, tuple[float, ...], bool]] = {
    "Congés payés": (3.2, (2, 3, 5, 5, 10, 10), True),
    "RTT": (4.0, (0.5, 1, 1, 1, 2), True),
    "Maladie": (1.1, (1, 2, 2, 3, 3, 4, 5, 8, 10, 15, 30, 60), True),
    "Accident du travail": (0.0, (3, 5, 10, 20, 40), True),
    "Formation": (0.6, (1, 1, 2, 3), True),
    "Congé maternité": (0.0, (80,), True),
    "Congé paternité": (0.0, (18,), True),
    "Absence injustifiée": (0.05, (0.5, 1), False),
    "Congé sans solde": (0.03, (5, 10, 20), False),
}


def _rates(staff: Staff) -> dict[str, np.ndarray]:
    """Spells per person-year of each type, per employee (some depend on job or gender)."""
    emp = staff.employees
    n = len(emp)
    func = np.array([_FUNCTION[c] for c in emp["cost_center"]])
    female = emp["gender"].to_numpy() == "F"
    rates = {k: np.full(n, v[0]) for k, v in ABSENCE_TYPES.items()}
    rates["Accident du travail"] = np.where(np.isin(func, ["production", "logistics"]), 0.08, 0.01)
    rates["Congé maternité"] = np.where(female, 0.025, 0.0)
    rates["Congé paternité"] = np.where(female, 0.0, 0.025)
    return rates


def make_absences(staff: Staff, window: Window, seed: int) -> pd.DataFrame:
    """Absence spells within each person's employment, never overlapping for one person.

    Columns: employee_id, start_date, end_date, type (French label), days (working
    days, half days allowed), paid.
    """
    rng = stream(seed, "absences")
    emp = staff.employees
    years = range(int(window.start_period[:4]), int(window.end_period[:4]) + 2)
    holidays = np.concatenate([french_holidays(y) for y in years])
    hire = np.maximum(emp["hire_date"].to_numpy().astype("datetime64[D]"), window.start)
    exit_ = emp["exit_date"].to_numpy().astype("datetime64[D]")
    last = np.where(np.isnat(exit_), window.end, np.minimum(exit_, window.end))
    span = np.maximum((last - hire) / DAY + 1, 0)
    frames = []
    for kind, rate in _rates(staff).items():
        _, durations, paid = ABSENCE_TYPES[kind]
        count = rng.poisson(rate * span / 365.25)
        who = np.repeat(np.arange(len(emp)), count)
        offset = (rng.random(who.size) * span[who]).astype(np.int64)
        start = np.busday_offset(hire[who] + offset * DAY, 0, roll="forward", holidays=holidays)
        days = np.asarray(durations, dtype=float)[rng.integers(len(durations), size=who.size)]
        end = np.busday_offset(start, np.maximum(np.ceil(days) - 1, 0).astype(np.int64),
                               holidays=holidays)
        frames.append(pd.DataFrame({"who": who, "start_date": start, "end_date": end,
                                    "type": kind, "days": days, "paid": paid}))
    spells = pd.concat(frames, ignore_index=True)
    spells = spells[spells["end_date"].to_numpy() <= last[spells["who"].to_numpy()]]
    spells = spells.sort_values(["who", "start_date", "end_date"], kind="stable")
    # keep a spell only if it starts after every earlier spell of the same person ended
    ends = spells["end_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    prev_end = pd.Series(ends).groupby(spells["who"].to_numpy()).cummax()
    prev_end = prev_end.groupby(spells["who"].to_numpy()).shift(1).to_numpy()
    starts = spells["start_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    spells = spells[np.isnan(prev_end) | (starts > np.nan_to_num(prev_end, nan=-1))]
    out = pd.DataFrame({
        "employee_id": emp["employee_id"].to_numpy(dtype=object)[spells["who"].to_numpy()],
        "start_date": spells["start_date"].to_numpy().astype("datetime64[s]"),
        "end_date": spells["end_date"].to_numpy().astype("datetime64[s]"),
        "type": spells["type"].to_numpy(dtype=object),
        "days": spells["days"].to_numpy(),
        "paid": spells["paid"].to_numpy(dtype=bool),
    })
    out = out.sort_values(["start_date", "employee_id"], kind="stable").reset_index(drop=True)
    for col in ("employee_id", "type"):
        out[col] = out[col].astype("str")
    return out
