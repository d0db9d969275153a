"""The company's staff: hires, leavers, part-time, transfers and managers.

:func:`make_staff` draws everyone employed at some point of the window: the staff in
place on its first day (hired up to 35 years earlier) and the hires made during it.
Permanent contracts (CDI) leave at a monthly rate that depends on the department;
fixed-term (CDD) and apprenticeship contracts end on their term ("Fin de CDD"). One
manager per cost centre never leaves and never moves; a few other employees move once
to another cost centre of the same department family (the employees file shows the
current one; ``previous_cc``/``transfer_date`` keep the history for the payroll's
postings).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import names
from ._random import stream
from .company import CADRE, COST_CENTRES, DEPARTMENTS, ROLES
from .periods import DAY, Window

__all__ = ["EXIT_MOTIVES", "Staff", "make_staff"]

#: French exit motives as the HR system writes them (kpi-reference H4).
EXIT_MOTIVES = ("Démission", "Licenciement", "Rupture conventionnelle", "Fin de CDD", "Retraite")

#: Monthly leaving rate of permanent staff, by department function.
_MONTHLY_LEAVE_RATE = {"production": 0.011, "logistics": 0.013, "customer_service": 0.012,
                       "sales": 0.010}
_DEFAULT_LEAVE_RATE = 0.007
_GROWTH_PER_YEAR = 0.02
#: Monthly hires replacing fixed-term contracts that end, per head in place.
_FIXED_TERM_REPLACEMENT = 0.006
_TRANSFER_SHARE = 0.05
_YEAR = 365.25


@dataclass(frozen=True)
class Staff:
    """Everyone employed during the window.

    ``employees`` holds one row per person: employee_id, last_name, first_name, gender
    (M/F), birth_date, hire_date, exit_date (NaT while employed), exit_motive (French),
    cost_center (current), job_title, job_category, manager_id, fte (0.5/0.8/1.0),
    contract_type (CDI/CDD/Apprentissage), annual_salary (EUR, full-time base),
    previous_cc and transfer_date (the one move, if any; else empty/NaT).
    ``managers`` maps each cost centre to its manager's employee id.
    """

    employees: pd.DataFrame
    managers: dict[str, str]


def _choice(rng: np.random.Generator, options: tuple, size: int, p=None) -> np.ndarray:
    idx = rng.choice(len(options), size=size, p=p)
    return np.asarray(options, dtype=object)[idx]


def make_staff(window: Window, scale: int, seed: int) -> Staff:
    """Draw the staff of the window (about 400 people in place at scale 1)."""
    rng = stream(seed, "people")
    start, end = window.start, window.end
    span_days = int((end - start) / DAY) + 1
    cc_codes = np.array([cc.code for cc in COST_CENTRES], dtype=object)
    functions = np.array([cc.function for cc in COST_CENTRES], dtype=object)
    rates = np.array([_MONTHLY_LEAVE_RATE.get(f, _DEFAULT_LEAVE_RATE) for f in functions])

    # --- who: staff in place on day one, then hires spread over the window
    n0 = np.array([max(1, round(cc.headcount * scale)) for cc in COST_CENTRES])
    n_hires = rng.poisson(
        n0 * (rates + _FIXED_TERM_REPLACEMENT + _GROWTH_PER_YEAR / 12) * window.months)
    cc_idx = np.concatenate([np.repeat(np.arange(len(n0)), n0),
                             np.repeat(np.arange(len(n0)), n_hires)])
    initial = np.arange(cc_idx.size) < n0.sum()
    n = cc_idx.size
    func = functions[cc_idx]

    # --- contract and hire date
    u = rng.random(n)
    contract = np.where(initial,
                        np.where(u < 0.90, "CDI", np.where(u < 0.96, "CDD", "Apprentissage")),
                        np.where(u < 0.74, "CDI", np.where(u < 0.96, "CDD", "Apprentissage")))
    tenure = np.maximum(rng.exponential(8 * _YEAR, n), 30)
    tenure = np.where(tenure > 35 * _YEAR, rng.uniform(15 * _YEAR, 35 * _YEAR, n), tenure)
    tenure = np.where(contract == "CDD", rng.uniform(30, 240, n), tenure)
    tenure = np.where(contract == "Apprentissage", rng.uniform(30, 600, n), tenure)
    hire = np.where(initial, start - tenure.astype("timedelta64[D]"),
                    start + rng.integers(0, span_days, n).astype("timedelta64[D]"))
    hire = hire.astype("datetime64[D]")

    # --- managers: the longest-serving permanent employee of each cost centre
    is_manager = np.zeros(n, dtype=bool)
    order = np.lexsort((hire, cc_idx))
    for k in range(len(n0)):
        rows = order[(cc_idx[order] == k) & initial[order] & (contract[order] == "CDI")]
        chosen = rows[0] if rows.size else np.flatnonzero(cc_idx == k)[0]
        is_manager[chosen] = True
        contract[chosen] = "CDI"

    # --- people: gender, names, age, part time
    female_share = np.array([DEPARTMENTS[f].female_share for f in func])
    female = rng.random(n) < female_share
    first = np.where(female, _choice(rng, names.FIRST_NAMES_F, n),
                     _choice(rng, names.FIRST_NAMES_M, n))
    last = _choice(rng, names.LAST_NAMES, n)
    age_at_hire = np.where(contract == "Apprentissage", rng.uniform(18, 24, n),
                           np.clip(19 + rng.gamma(2.0, 6.0, n), 19, 58))
    age_at_hire = np.where(is_manager, np.maximum(age_at_hire, 30), age_at_hire)
    birth = hire - (age_at_hire * _YEAR).astype("timedelta64[D]")
    too_old = (end - birth) / DAY > 65 * _YEAR   # nobody still employed beyond 65
    birth = np.where(too_old, end - ((63 + rng.random(n)) * _YEAR).astype("timedelta64[D]"), birth)
    birth = np.minimum(birth, hire - np.timedelta64(int(18 * _YEAR), "D"))
    fte = np.where(rng.random(n) < 0.85, 1.0, np.where(rng.random(n) < 0.72, 0.8, 0.5))
    fte = np.where((contract == "Apprentissage") | is_manager, 1.0, fte)

    # --- jobs and pay
    title = np.empty(n, dtype=object)
    category = np.empty(n, dtype=object)
    salary = np.zeros(n)
    for f in np.unique(func):
        rows = np.flatnonzero(func == f)
        roles = ROLES[f]
        weights = np.array([r.weight for r in roles])
        pick = rng.choice(len(roles), size=rows.size, p=weights / weights.sum())
        title[rows] = [roles[i].title for i in pick]
        category[rows] = [roles[i].category for i in pick]
        lo = np.array([roles[i].salary_min for i in pick])
        hi = np.array([roles[i].salary_max for i in pick])
        salary[rows] = lo + rng.random(rows.size) * (hi - lo)
    salary = np.where(contract == "Apprentissage", salary * 0.55, salary)
    cc_names = np.array([cc.name for cc in COST_CENTRES], dtype=object)
    title[is_manager] = "Responsable " + cc_names[cc_idx[is_manager]]
    category[is_manager] = CADRE
    salary[is_manager] = rng.uniform(58000, 90000, is_manager.sum())
    ceo = is_manager & (func == "management")
    title[ceo] = "Directeur général"
    salary[ceo] = 185000
    salary = np.round(salary / 100) * 100

    # --- leaving
    exit_ = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    motive = np.full(n, None, dtype=object)
    term_days = np.where(contract == "CDD", rng.uniform(90, 365, n), 730).astype("timedelta64[D]")
    term_end = np.where(initial & (contract == "CDD"),
                        start + rng.uniform(10, 330, n).astype("timedelta64[D]"),
                        hire + term_days)
    on_term = (contract != "CDI") & (term_end <= end)
    exit_[on_term] = term_end[on_term]
    motive[on_term] = "Fin de CDD"
    rate = rates[cc_idx] * np.where(initial, 1.0, 1.6)
    from_day = np.maximum(hire, start)
    leave = from_day + (rng.exponential(1 / rate, n) * 30.44).astype("timedelta64[D]")
    quits = (contract == "CDI") & ~is_manager & (leave <= end)
    exit_[quits] = leave[quits]
    age_at_exit = (leave - birth) / DAY / _YEAR
    retire = quits & (age_at_exit >= 61) & (rng.random(n) < 0.8)
    motive[retire] = "Retraite"
    other = quits & ~retire
    motive[other] = _choice(rng, ("Démission", "Rupture conventionnelle", "Licenciement"),
                            int(other.sum()), p=[0.58, 0.22, 0.20])

    # --- one transfer for a few, to another cost centre of the same department
    last_day = np.where(np.isnat(exit_), end, exit_)
    span = (last_day - np.maximum(hire, start)) / DAY
    siblings = {f: np.flatnonzero(functions == f) for f in np.unique(functions)}
    can_move = (~is_manager & (span > 120)
                & np.array([siblings[f].size > 1 for f in func]))
    moves = can_move & (rng.random(n) < _TRANSFER_SHARE)
    previous_cc = np.full(n, None, dtype=object)
    transfer = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    for i in np.flatnonzero(moves):
        options = siblings[func[i]][siblings[func[i]] != cc_idx[i]]
        previous_cc[i] = cc_codes[cc_idx[i]]
        cc_idx[i] = options[rng.integers(options.size)]
        lo = np.maximum(hire[i], start) + 60 * DAY
        transfer[i] = lo + int(rng.integers(0, max(1, int((last_day[i] - lo) / DAY) - 60))) * DAY

    # --- matricules in order of hire
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((rng.random(n), hire))] = np.arange(n)
    ids = np.array([f"{100 + r:06d}" for r in rank], dtype=object)
    managers = {cc_codes[cc_idx[i]]: ids[i] for i in np.flatnonzero(is_manager)}
    manager_id = _managers_of(cc_codes[cc_idx], is_manager, managers)

    employees = pd.DataFrame({
        "employee_id": ids, "last_name": last, "first_name": first,
        "gender": np.where(female, "F", "M"),
        "birth_date": birth.astype("datetime64[s]"), "hire_date": hire.astype("datetime64[s]"),
        "exit_date": exit_.astype("datetime64[s]"), "exit_motive": motive,
        "cost_center": cc_codes[cc_idx], "job_title": title, "job_category": category,
        "manager_id": manager_id, "fte": fte, "contract_type": contract,
        "annual_salary": salary.astype(np.int64), "previous_cc": previous_cc,
        "transfer_date": transfer.astype("datetime64[s]"),
    }).sort_values("employee_id", kind="stable").reset_index(drop=True)
    for col in ("employee_id", "last_name", "first_name", "gender", "exit_motive",
                "cost_center", "job_title", "job_category", "manager_id", "contract_type",
                "previous_cc"):
        employees[col] = employees[col].astype("str")
    return Staff(employees=employees, managers=managers)


def _managers_of(cc: np.ndarray, is_manager: np.ndarray, managers: dict[str, str]) -> np.ndarray:
    """Manager of each person: the cost centre's manager; managers report to their
    department head (manager of the department's first cost centre), heads to the CEO."""
    head_cc = {}
    for c in COST_CENTRES:
        head_cc.setdefault(c.function, c.code)
    function_of = {c.code: c.function for c in COST_CENTRES}
    ceo = managers[head_cc["management"]]
    out = np.empty(cc.size, dtype=object)
    for i, code in enumerate(cc):
        if not is_manager[i]:
            out[i] = managers[code]
            continue
        head = managers[head_cc[function_of[code]]]
        own = managers[code]
        out[i] = None if own == ceo else (ceo if own == head else head)
    return out
