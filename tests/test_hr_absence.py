"""Absenteeism (kpi-reference H11) on a hand-made staff list and absence file.

Calendar used below (French working days, Mon–Fri minus public holidays):
October 2025 has 23 working days (no holiday on a weekday); November 2025 has 20
weekdays minus Tuesday 11 November = 19 (1 November 2025 is a Saturday).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from backoffice_lib import hr
from backoffice_lib.tables import ABSENCES, COST_CENTERS, EMPLOYEES

PERIODS = ["2025-10", "2025-11"]


@pytest.fixture(scope="module")
def employees() -> pd.DataFrame:
    """A full time; B 80 %; C hired Mon 17 Nov 2025 (Sales); D intern (Sales);
    E 50 % leaving Wed 15 Oct 2025."""
    return EMPLOYEES.frame([
        {"employee_id": "A", "cost_center": "F1", "fte": 1.0, "hire_date": "2020-01-01",
         "contract_type": "CDI"},
        {"employee_id": "B", "cost_center": "F1", "fte": 0.8, "hire_date": "2020-01-01",
         "contract_type": "CDI"},
        {"employee_id": "C", "cost_center": "S1", "fte": 1.0, "hire_date": "2025-11-17",
         "contract_type": "CDI"},
        {"employee_id": "D", "cost_center": "S1", "fte": 1.0, "hire_date": "2020-01-01",
         "contract_type": "Stage"},
        {"employee_id": "E", "cost_center": "F1", "fte": 0.5, "hire_date": "2020-01-01",
         "exit_date": "2025-10-15", "contract_type": "CDI"},
    ])


@pytest.fixture(scope="module")
def ccs() -> pd.DataFrame:
    """F1 finance, S1 sales."""
    return COST_CENTERS.frame([
        {"cost_center": "F1", "name": "Compta", "department": "Finance", "office": "back"},
        {"cost_center": "S1", "name": "Ventes", "department": "Sales", "office": "front"},
    ])


@pytest.fixture(scope="module")
def absences() -> pd.DataFrame:
    """Spells: crossing the October/November month end, half days, out-of-scope types,
    spellings of one type, and absences of people outside the population."""
    return ABSENCES.frame([
        # Thu 30 Oct – Tue 4 Nov: 2 working days in October, 2 in November
        {"employee_id": "A", "start_date": "2025-10-30", "end_date": "2025-11-04",
         "type": "Maladie", "days": 4.0},
        {"employee_id": "A", "start_date": "2025-10-06", "end_date": "2025-10-10",
         "type": "Congés payés", "days": 5.0},
        {"employee_id": "A", "start_date": "2025-11-20", "end_date": "2025-11-20",
         "type": "Absence injustifiée", "days": 0.5},
        # Thu 30 Oct – Wed 12 Nov: 2 working days in October, 7 in November (11 Nov off)
        {"employee_id": "B", "start_date": "2025-10-30", "end_date": "2025-11-12",
         "type": "Accident du travail", "days": 9.0},
        {"employee_id": "C", "start_date": "2025-11-24", "end_date": "2025-11-25",
         "type": "MALADIE", "days": 2.0},
        {"employee_id": "D", "start_date": "2025-11-03", "end_date": "2025-11-03",
         "type": "Maladie", "days": 1.0},
        {"employee_id": "Z", "start_date": "2025-11-03", "end_date": "2025-11-03",
         "type": "Maladie", "days": 1.0},
        {"employee_id": "E", "start_date": "2025-10-13", "end_date": "2025-10-13",
         "type": "RTT", "days": 1.0},
        {"employee_id": "E", "start_date": "2025-10-14", "end_date": "2025-10-15",
         "type": "Arrêt maladie", "days": 1.5},
    ])


def rate_frame(rows: list[tuple], by: list[str]) -> pd.DataFrame:
    """Expected absence_rate output from (period, *by, absence, planned, n_people) tuples."""
    cols = ["period", *by, "absence_days", "planned_days", "n_people"]
    frame = pd.DataFrame(rows, columns=cols)
    frame = frame.astype({c: "str" for c in ["period", *by]})
    frame = frame.astype({"absence_days": "float64", "planned_days": "float64",
                          "n_people": "int64"})
    planned = frame["planned_days"].where(frame["planned_days"] > 0)
    frame["absence_rate"] = frame["absence_days"] / planned
    return frame[["period", *by, "absence_days", "planned_days", "absence_rate", "n_people"]]


def test_absence_rate_whole_company(absences, employees):
    result = hr.absence_rate(absences, employees, PERIODS)
    # planned Oct: A 23 + B 0.8 × 23 + E 0.5 × 11 (1–15 Oct) + C 0 (not hired) = 46.9
    # planned Nov: A 19 + B 0.8 × 19 + C 10 (17–28 Nov) = 44.2; E has left
    # absent Oct: A 2 (Maladie) + B 2 (AT) + E 1.5 (Arrêt maladie) = 5.5
    # absent Nov: A 2 + A 0.5 (half day) + B 7 + C 2 = 11.5
    # out: A Congés payés, E RTT, D (intern), Z (unknown)
    expected = rate_frame([("2025-10", 5.5, 46.9, 3), ("2025-11", 11.5, 44.2, 3)], [])
    assert result["absence_rate"].tolist() == pytest.approx([5.5 / 46.9, 11.5 / 44.2], rel=1e-12)
    pd.testing.assert_frame_equal(result, expected, rtol=1e-12)


def test_absence_rate_by_department_with_zero_planned_days(absences, employees, ccs):
    result = hr.absence_rate(absences, employees, PERIODS, by=["department"], cost_centers=ccs)
    expected = rate_frame([
        ("2025-10", "Finance", 5.5, 46.9, 3),
        ("2025-10", "Sales", 0.0, 0.0, 0),      # C not hired yet, D intern: planned 0 → NaN
        ("2025-11", "Finance", 9.5, 34.2, 2),   # A 19 + B 15.2
        ("2025-11", "Sales", 2.0, 10.0, 1),     # C from Mon 17 Nov: 10 working days
    ], ["department"])
    pd.testing.assert_frame_equal(result, expected, rtol=1e-12)
    assert np.isnan(result.loc[1, "absence_rate"])
    assert result.loc[3, "absence_rate"] == 0.2


def test_absence_rate_part_time_planned_days(absences, employees):
    b_only = employees[employees["employee_id"] == "B"]
    result = hr.absence_rate(absences, b_only, PERIODS)
    assert result["planned_days"].tolist() == pytest.approx([0.8 * 23, 0.8 * 19], rel=1e-12)
    assert result["absence_days"].tolist() == [2.0, 7.0]


def test_absence_rate_one_month_keeps_the_split(absences, employees):
    # only November asked: the spells crossing from October still give November its share
    result = hr.absence_rate(absences, employees, ["2025-11"])
    assert result["absence_days"].tolist() == [11.5]
    assert result["planned_days"].tolist() == pytest.approx([44.2], rel=1e-12)


def test_absence_rate_spell_without_working_day_goes_to_start_month(employees):
    # Sat 31 May – Sun 1 Jun 2025: no working day, the 1 day keyed goes to May
    spells = ABSENCES.frame([{"employee_id": "A", "start_date": "2025-05-31",
                              "end_date": "2025-06-01", "type": "Maladie", "days": 1.0}])
    a_only = employees[employees["employee_id"] == "A"]
    result = hr.absence_rate(spells, a_only, ["2025-05", "2025-06"])
    # May 2025: 22 weekdays − 1 May, 8 May, 29 May (Ascension) = 19; June: 21 − 9 June = 20
    assert result["absence_days"].tolist() == [1.0, 0.0]
    assert result["planned_days"].tolist() == [19.0, 20.0]


def test_absence_rate_custom_types_and_filter(absences, employees):
    result = hr.absence_rate(absences, employees, PERIODS, types=("congés payés",),
                             cost_center_filter=["F1"])
    assert result["absence_days"].tolist() == [5.0, 0.0]
    assert result["planned_days"].tolist() == pytest.approx([46.9, 34.2], rel=1e-12)


def test_absence_rate_without_employees_lists_periods():
    result = hr.absence_rate(ABSENCES.empty_frame(), EMPLOYEES.empty_frame(), PERIODS)
    expected = rate_frame([("2025-10", 0.0, 0.0, 0), ("2025-11", 0.0, 0.0, 0)], [])
    pd.testing.assert_frame_equal(result, expected)


def test_absence_by_type(absences, employees):
    result = hr.absence_by_type(absences, employees, PERIODS)
    expected = pd.DataFrame({
        "type": pd.Series(["Accident du travail", "Maladie", "Congés payés", "Arrêt maladie",
                           "RTT", "Absence injustifiée"], dtype="str"),
        "in_scope": [True, True, False, True, False, True],
        # Maladie: A 4 + C "MALADIE" 2 (same normalised type); D and Z are left out
        "absence_days": [9.0, 6.0, 5.0, 1.5, 1.0, 0.5],
        "spells": np.array([1, 2, 1, 1, 1, 1], dtype="int64"),
        "n_people": np.array([1, 2, 1, 1, 1, 1], dtype="int64"),
    })
    pd.testing.assert_frame_equal(result, expected)
    in_scope = result.loc[result["in_scope"], "absence_days"].sum()
    assert in_scope == hr.absence_rate(absences, employees, PERIODS)["absence_days"].sum() == 17.0


def test_absence_by_type_by_department(absences, employees, ccs):
    result = hr.absence_by_type(absences, employees, ["2025-11"], by=["department"],
                                cost_centers=ccs)
    got = list(zip(result["department"], result["type"], result["absence_days"], strict=True))
    assert got == [("Finance", "Accident du travail", 7.0), ("Finance", "Maladie", 2.0),
                   ("Finance", "Absence injustifiée", 0.5), ("Sales", "MALADIE", 2.0)]
