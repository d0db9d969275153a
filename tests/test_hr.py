"""Headcount and FTE (kpi-reference H1–H3) on a hand-made staff list."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from backoffice_lib import hr
from backoffice_lib.tables import TABLES


def canonical(table: str, rows: list[dict]) -> pd.DataFrame:
    """A canonical table (spec columns and dtypes) from row dicts."""
    return TABLES[table].frame(rows)


@pytest.fixture(scope="module")
def employees() -> pd.DataFrame:
    """A: full time all along; B: 80 % hired 15 Feb 2024; C: 50 % leaving 29 Feb 2024 (last day);
    D: invalid (exit before hire); E: invalid fte 0; F: in cost centre S."""
    return canonical("employees", [
        {"employee_id": "A", "cost_center": "F1", "fte": 1.0, "hire_date": "2020-01-01"},
        {"employee_id": "B", "cost_center": "F1", "fte": 0.8, "hire_date": "2024-02-15"},
        {"employee_id": "C", "cost_center": "S1", "fte": 0.5, "hire_date": "2023-01-01",
         "exit_date": "2024-02-29"},
        {"employee_id": "D", "cost_center": "S1", "fte": 1.0, "hire_date": "2024-01-10",
         "exit_date": "2024-01-05"},
        {"employee_id": "E", "cost_center": "S1", "fte": 0.0, "hire_date": "2020-01-01"},
        {"employee_id": "F", "cost_center": "S1", "fte": 1.0, "hire_date": "2024-03-31"},
    ])


@pytest.fixture(scope="module")
def ccs() -> pd.DataFrame:
    """F1 finance (back office), S1 sales (front office)."""
    return canonical("cost_centers", [
        {"cost_center": "F1", "name": "Compta", "department": "Finance", "office": "back"},
        {"cost_center": "S1", "name": "Ventes", "department": "Sales", "office": "front"},
    ])


def test_monthly_fte_pro_rata_by_calendar_days(employees):
    result = hr.monthly_fte(employees, ["2024-01", "2024-02", "2024-03"])
    # Jan: A 1 + C 0.5 = 1.5
    # Feb (29 days): A 1 + B 0.8 × 15/29 + C 0.5 × 29/29
    # Mar (31 days): A 1 + B 0.8 + F 1 × 1/31
    expected = pd.DataFrame({
        "period": pd.Series(["2024-01", "2024-02", "2024-03"], dtype="str"),
        "fte": [1.5, 1 + 0.8 * 15 / 29 + 0.5, 1.8 + 1 / 31],
        "n_people": np.array([2, 3, 3], dtype="int64"),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_monthly_fte_by_department(employees, ccs):
    result = hr.monthly_fte(employees, ["2024-02"], by=["department"], cost_centers=ccs)
    assert result["department"].tolist() == ["Finance", "Sales"]
    assert result["fte"].tolist() == pytest.approx([1 + 0.8 * 15 / 29, 0.5])
    assert result["n_people"].tolist() == [2, 1]


def test_headcount_at_month_end(employees, ccs):
    result = hr.headcount(employees, ["2024-01", "2024-02", "2024-03"], by=["office"],
                          cost_centers=ccs)
    keys = zip(result["period"], result["office"], strict=True)
    got = dict(zip(keys, result["headcount"], strict=True))
    # C leaves on 29 Feb (last day): counted at end of January, not at end of February
    # F hired on 31 March: counted at end of March
    assert got == {("2024-01", "back"): 1, ("2024-01", "front"): 1,
                   ("2024-02", "back"): 2, ("2024-02", "front"): 0,
                   ("2024-03", "back"): 2, ("2024-03", "front"): 1}


def test_workforce_size_is_headcount_and_fte_in_one_pass(employees, ccs):
    periods = ["2024-01", "2024-02", "2024-03"]
    for by in ([], ["office"]):
        size = hr.workforce_size(employees, periods, by=by, cost_centers=ccs)
        assert list(size.columns) == ["period", *by, "headcount", "fte", "n_people"]
        pd.testing.assert_frame_equal(
            size[["period", *by, "headcount"]],
            hr.headcount(employees, periods, by=by, cost_centers=ccs))
        pd.testing.assert_frame_equal(
            size[["period", *by, "fte", "n_people"]],
            hr.monthly_fte(employees, periods, by=by, cost_centers=ccs))
    empty = hr.workforce_size(employees.iloc[:0], ["2024-01"])
    assert empty.to_dict("list") == {"period": ["2024-01"], "headcount": [0], "fte": [0.0],
                                     "n_people": [0]}


def test_average_fte_is_the_mean_of_monthly_fte(employees, ccs):
    result = hr.average_fte(employees, ["2024-01", "2024-02", "2024-03"])
    monthly = [1.5, 1 + 0.8 * 15 / 29 + 0.5, 1.8 + 1 / 31]
    assert result["avg_fte"].iloc[0] == pytest.approx(sum(monthly) / 3)
    assert result["n_people"].iloc[0] == 4            # A, B, C, F (D and E excluded)
    assert result["n_periods"].iloc[0] == 3


def test_average_fte_by_office_with_filter(employees, ccs):
    result = hr.average_fte(employees, ["2024-03"], by=["office"], cost_centers=ccs,
                            cost_center_filter=["S1"])
    assert result["office"].tolist() == ["front"]
    assert result["avg_fte"].tolist() == pytest.approx([1 / 31])
    assert result["n_people"].tolist() == [1]


def test_no_employees_gives_zero_not_missing():
    empty = TABLES["employees"].empty_frame()
    result = hr.monthly_fte(empty, ["2024-01"])
    assert result["fte"].tolist() == [0.0] and result["n_people"].tolist() == [0]
    assert hr.average_fte(empty, ["2024-01"])["avg_fte"].tolist() == [0.0]


def test_interns_and_temps_are_out_by_default():
    staff = canonical("employees", [
        {"employee_id": "A", "cost_center": "F1", "fte": 1.0, "hire_date": "2020-01-01",
         "contract_type": "CDI"},
        {"employee_id": "B", "cost_center": "F1", "fte": 1.0, "hire_date": "2020-01-01",
         "contract_type": "Stage"},
        {"employee_id": "C", "cost_center": "F1", "fte": 1.0, "hire_date": "2020-01-01",
         "contract_type": "Intérim"},
        {"employee_id": "D", "cost_center": "F1", "fte": 0.5, "hire_date": "2020-01-01",
         "contract_type": "apprentissage"},
    ])
    assert hr.monthly_fte(staff, ["2024-01"])["fte"].tolist() == [1.5]
    assert hr.monthly_fte(staff, ["2024-01"], exclude_contracts=())["fte"].tolist() == [3.5]
