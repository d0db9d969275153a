"""Payroll cost, cost per FTE and the ledger tie-out (kpi-reference H13), to the cent."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from backoffice_lib import hr
from backoffice_lib.accounts import UNALLOCATED
from backoffice_lib.tables import COST_CENTERS, EMPLOYEES, GL_LINES, MONEY, PAYROLL

PERIODS = ["2025-10", "2025-11"]


def money(*values: str | None) -> pd.Series:
    """A MONEY Series from decimal texts (None → NA)."""
    return pd.Series([None if v is None else Decimal(v) for v in values], dtype=MONEY)


@pytest.fixture(scope="module")
def employees() -> pd.DataFrame:
    """A full time, B 80 % (Finance); C hired Mon 17 Nov 2025, D intern (Sales)."""
    return EMPLOYEES.frame([
        {"employee_id": "A", "cost_center": "F1", "fte": 1.0, "hire_date": "2020-01-01",
         "contract_type": "CDI"},
        {"employee_id": "B", "cost_center": "F1", "fte": 0.8, "hire_date": "2020-01-01",
         "contract_type": "CDI"},
        {"employee_id": "C", "cost_center": "S1", "fte": 1.0, "hire_date": "2025-11-17",
         "contract_type": "CDI"},
        {"employee_id": "D", "cost_center": "S1", "fte": 1.0, "hire_date": "2020-01-01",
         "contract_type": "Stage"},
    ])


@pytest.fixture(scope="module")
def ccs() -> pd.DataFrame:
    """F1 finance, S1 sales."""
    return COST_CENTERS.frame([
        {"cost_center": "F1", "name": "Compta", "department": "Finance", "office": "back"},
        {"cost_center": "S1", "name": "Ventes", "department": "Sales", "office": "front"},
    ])


@pytest.fixture(scope="module")
def payroll() -> pd.DataFrame:
    """October and November 2025; D is an intern, Z is not in the staff list; September
    is outside the periods asked."""
    return PAYROLL.frame([
        {"period": "2025-09", "employee_id": "A", "gross_salary": "9999.99",
         "employer_charges": "1.00"},
        {"period": "2025-10", "employee_id": "A", "gross_salary": "3000.10",
         "employer_charges": "1260.04"},
        {"period": "2025-10", "employee_id": "B", "gross_salary": "2400.05",
         "employer_charges": "1008.02"},
        {"period": "2025-10", "employee_id": "D", "gross_salary": "600.00",
         "employer_charges": "0.00"},
        {"period": "2025-10", "employee_id": "Z", "gross_salary": "1000.00",
         "employer_charges": "420.00"},
        {"period": "2025-11", "employee_id": "A", "gross_salary": "3000.10",
         "employer_charges": "1260.04"},
        {"period": "2025-11", "employee_id": "B", "gross_salary": "2400.05",
         "employer_charges": "1008.02"},
        {"period": "2025-11", "employee_id": "C", "gross_salary": "1612.90",
         "employer_charges": "677.42"},
    ])


def test_payroll_cost_by_month(payroll, employees):
    result = hr.payroll_cost(payroll, employees, PERIODS)
    expected = pd.DataFrame({
        "period": pd.Series(PERIODS, dtype="str"),
        "gross_salary": money("5400.15", "7013.05"),       # A + B; A + B + C
        "employer_charges": money("2268.06", "2945.48"),
        "total_cost": money("7668.21", "9958.53"),
        "n_people": np.array([2, 3], dtype="int64"),
        "unmatched_cost": money("2020.00", "0.00"),        # D intern 600.00 + Z 1420.00
    })
    pd.testing.assert_frame_equal(result, expected)
    # every payroll row of the periods is either in the KPI or in unmatched_cost
    tied = result["total_cost"].sum() + result["unmatched_cost"].sum()
    assert tied == Decimal("19646.74")


def test_payroll_cost_by_department(payroll, employees, ccs):
    result = hr.payroll_cost(payroll, employees, PERIODS, by=["department"], cost_centers=ccs)
    expected = pd.DataFrame({
        "period": pd.Series(["2025-10"] * 3 + ["2025-11"] * 3, dtype="str"),
        "department": pd.Series(["Finance", "Sales", UNALLOCATED] * 2, dtype="str"),
        "gross_salary": money("5400.15", "0.00", "0.00", "5400.15", "1612.90", "0.00"),
        "employer_charges": money("2268.06", "0.00", "0.00", "2268.06", "677.42", "0.00"),
        "total_cost": money("7668.21", "0.00", "0.00", "7668.21", "2290.32", "0.00"),
        "n_people": np.array([2, 0, 0, 2, 1, 0], dtype="int64"),
        # the intern stays in Sales, the unknown employee has no cost centre
        "unmatched_cost": money("0.00", "600.00", "1420.00", "0.00", "0.00", "0.00"),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_payroll_cost_filter_and_contracts(payroll, employees):
    finance = hr.payroll_cost(payroll, employees, ["2025-10"], cost_center_filter=["F1"])
    assert finance["unmatched_cost"].tolist() == [Decimal("0.00")]   # D (S1), Z (no CC) out
    with_unallocated = hr.payroll_cost(payroll, employees, ["2025-10"],
                                       cost_center_filter=["F1", UNALLOCATED])
    assert with_unallocated["unmatched_cost"].tolist() == [Decimal("1420.00")]
    everyone = hr.payroll_cost(payroll, employees, ["2025-10"], exclude_contracts=())
    assert everyone["gross_salary"].tolist() == [Decimal("6000.15")]
    assert everyone["n_people"].tolist() == [3]


def test_payroll_cost_accepts_decimal_objects(payroll, employees):
    as_objects = payroll.astype({"gross_salary": "object", "employer_charges": "object"})
    result = hr.payroll_cost(as_objects, employees, PERIODS)
    assert result["total_cost"].dtype == MONEY
    pd.testing.assert_frame_equal(result, hr.payroll_cost(payroll, employees, PERIODS))


def test_payroll_cost_per_fte_company(payroll, employees):
    result = hr.payroll_cost_per_fte(payroll, employees, PERIODS)
    # avg FTE = (Oct 1 + 0.8 ; Nov 1 + 0.8 + 1 × 14/30) / 2 = 61/30
    # cost per FTE = 17626.74 × 30 / 61 = 8668.8885… → 8668.89 EUR per FTE over two months
    expected = pd.DataFrame({
        "total_cost": money("17626.74"),
        "avg_fte": [61 / 30],
        "cost_per_fte": money("8668.89"),
        "charge_ratio": [5213.54 / 12413.20],
        "n_people": np.array([3], dtype="int64"),
        "n_periods": np.array([2], dtype="int64"),
        "unmatched_cost": money("2020.00"),
    })
    pd.testing.assert_frame_equal(result, expected, rtol=1e-12)


def test_payroll_cost_per_fte_by_department(payroll, employees, ccs):
    result = hr.payroll_cost_per_fte(payroll, employees, PERIODS, by=["department"],
                                     cost_centers=ccs)
    expected = pd.DataFrame({
        "department": pd.Series(["Finance", "Sales", UNALLOCATED], dtype="str"),
        "total_cost": money("15336.42", "2290.32", "0.00"),
        "avg_fte": [1.8, 7 / 30, 0.0],
        # 15336.42 / 1.8 = 8520.233…; 2290.32 × 30 / 7 = 9815.657…; no FTE → NA
        "cost_per_fte": money("8520.23", "9815.66", None),
        "charge_ratio": [4536.12 / 10800.30, 677.42 / 1612.90, np.nan],
        "n_people": np.array([2, 1, 0], dtype="int64"),
        "n_periods": np.array([2, 2, 2], dtype="int64"),
        "unmatched_cost": money("0.00", "600.00", "1420.00"),
    })
    pd.testing.assert_frame_equal(result, expected, rtol=1e-12)


def test_payroll_cost_per_fte_rounds_half_up_to_the_cent():
    staff = EMPLOYEES.frame([
        {"employee_id": i, "cost_center": "F1", "fte": 1.0, "hire_date": "2020-01-01"}
        for i in ("A", "B")])
    pay = PAYROLL.frame([
        {"period": "2025-10", "employee_id": "A", "gross_salary": "100.00",
         "employer_charges": "0.00"},
        {"period": "2025-10", "employee_id": "B", "gross_salary": "0.01",
         "employer_charges": "0.00"}])
    result = hr.payroll_cost_per_fte(pay, staff, ["2025-10"])
    assert result["cost_per_fte"].tolist() == [Decimal("50.01")]     # 100.01 / 2 = 50.005
    assert result["charge_ratio"].tolist() == [0.0]


@pytest.fixture(scope="module")
def gl_lines() -> pd.DataFrame:
    """Payroll postings: October ties; November charges are 45.48 short in the books."""
    rows = [
        ("P10", 1, "2025-10", "6411000", "7050.15"),
        ("P10", 2, "2025-10", "6411000", "-50.00"),     # credit: correction of gross pay
        ("P10", 3, "2025-10", "4210000", "-7000.15"),   # net pay due: not a cost account
        ("C10", 1, "2025-10", "6451000", "2500.00"),
        ("C10", 2, "2025-10", "6475000", "188.06"),
        ("C10", 3, "2025-10", "6491000", "-100.00"),    # 649 reimbursements: in neither
        ("C10", 4, "2025-10", "4310000", "-2588.06"),
        ("P11", 1, "2025-11", "6411000", "6500.00"),
        ("P11", 2, "2025-11", "6413000", "513.05"),
        ("P11", 3, "2025-11", "6440000", "1000.00"),    # 644: not payroll of employees
        ("C11", 1, "2025-11", "6451000", "2900.00"),
    ]
    return GL_LINES.frame([
        {"entry_id": e, "line_no": n, "period": p, "posting_date": f"{p}-28", "account": a,
         "amount": amt, "currency": "EUR"} for e, n, p, a, amt in rows])


def test_payroll_vs_ledger(payroll, gl_lines):
    result = hr.payroll_vs_ledger(payroll, gl_lines, ["2025-10", "2025-11", "2025-12"])
    # whole payroll, intern and unknown employee included:
    # Oct gross 3000.10 + 2400.05 + 600.00 + 1000.00 = 7000.15, charges 2688.06
    expected = pd.DataFrame({
        "period": pd.Series(["2025-10", "2025-11", "2025-12"], dtype="str"),
        "payroll_gross": money("7000.15", "7013.05", None),
        "ledger_gross": money("7000.15", "7013.05", None),
        "gross_difference": money("0.00", "0.00", None),
        "payroll_charges": money("2688.06", "2945.48", None),
        "ledger_charges": money("2688.06", "2900.00", None),
        "charges_difference": money("0.00", "45.48", None),    # planted gap, payroll − ledger
    })
    pd.testing.assert_frame_equal(result, expected)


def test_payroll_vs_ledger_loaded_month_without_lines(payroll, gl_lines):
    result = hr.payroll_vs_ledger(payroll, gl_lines, ["2025-12"],
                                  loaded_periods=["2025-10", "2025-11", "2025-12"])
    assert result["ledger_gross"].tolist() == [Decimal("0.00")]   # loaded: a true zero
    assert result["payroll_gross"].isna().tolist() == [True]      # no payroll for December
    assert result["gross_difference"].isna().tolist() == [True]


def test_ledger_mask_tests_trimmed_accounts_by_prefix():
    from backoffice_lib.hr.payroll import _ledger_mask

    accounts = pd.Series([" 6411", "645000", None, "6470 ", "64", "x641", " 6411"],
                         dtype="str", index=[3, 1, 2, 9, 8, 7, 4], name="account")
    gross = _ledger_mask(accounts, ("641",))
    assert gross.tolist() == [True, False, False, False, False, False, True]
    assert list(gross.index) == [3, 1, 2, 9, 8, 7, 4] and gross.dtype == bool
    assert _ledger_mask(accounts, ("645", "647")).tolist() == [False, True, False, True, False,
                                                               False, False]
