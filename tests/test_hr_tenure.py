"""Tenure bands and tenure summary of the month-end headcount (kpi-reference H9)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from backoffice_lib import hr
from backoffice_lib.tables import TABLES

BAND_DTYPE = pd.CategoricalDtype(["lt1", "1-2", "2-5", "5-10", "ge10"], ordered=True)


def canonical(table: str, rows: list[dict]) -> pd.DataFrame:
    """A canonical table (spec columns and dtypes) from row dicts."""
    return TABLES[table].frame(rows)


def _emp(eid: str, cc: str, hire: str, exit_: str | None = None,
         contract: str = "CDI") -> dict:
    return {"employee_id": eid, "cost_center": cc, "fte": 1.0, "contract_type": contract,
            "hire_date": hire, "exit_date": exit_}


@pytest.fixture(scope="module")
def employees() -> pd.DataFrame:
    """Reference date 30 June 2025 (period 2025-06). Days of tenure in brackets.

    F1 (Finance): P1 exactly 1 year [365]; P2 one day short of 1 year [364]; P5 exactly
    5 years [1826]; P8 leaves on 30 June 2025 (not at month end).
    S1 (Sales): P3 exactly 2 years [731]; P4 one day short of 5 years [1825]; P6 exactly
    10 years [3653]; P9 intern (Stage, excluded).
    H1 (HR): P10 hired 1 July 2025 (after the reference date).
    """
    return canonical("employees", [
        _emp("P1", "F1", "2024-06-30"),
        _emp("P2", "F1", "2024-07-01"),
        _emp("P3", "S1", "2023-06-30"),
        _emp("P4", "S1", "2020-07-01"),
        _emp("P5", "F1", "2020-06-30"),
        _emp("P6", "S1", "2015-06-30"),
        _emp("P8", "F1", "2010-01-01", "2025-06-30"),
        _emp("P9", "S1", "2010-01-01", contract="Stage"),
        _emp("P10", "H1", "2025-07-01"),
    ])


@pytest.fixture(scope="module")
def ccs() -> pd.DataFrame:
    """F1 finance, S1 sales, H1 human resources."""
    return canonical("cost_centers", [
        {"cost_center": "F1", "name": "Compta", "department": "Finance", "office": "back"},
        {"cost_center": "S1", "name": "Ventes", "department": "Sales", "office": "front"},
        {"cost_center": "H1", "name": "RH", "department": "HR", "office": "back"},
    ])


def test_tenure_bands_constant():
    assert hr.TENURE_BANDS == ("lt1", "1-2", "2-5", "5-10", "ge10")


def test_tenure_bands_company(employees):
    result = hr.tenure_bands(employees, "2025-06")
    expected = pd.DataFrame({
        "band": pd.Categorical(["lt1", "1-2", "2-5", "5-10", "ge10"], dtype=BAND_DTYPE),
        "headcount": np.array([1, 1, 2, 1, 1], dtype="int64"),   # P2 | P1 | P3 P4 | P5 | P6
    })
    pd.testing.assert_frame_equal(result, expected)


def test_tenure_bands_by_department_lists_every_band(employees, ccs):
    result = hr.tenure_bands(employees, "2025-06", by=["department"], cost_centers=ccs)
    expected = pd.DataFrame({
        "department": pd.Series(["Finance"] * 5 + ["HR"] * 5 + ["Sales"] * 5, dtype="str"),
        "band": pd.Categorical(list(hr.TENURE_BANDS) * 3, dtype=BAND_DTYPE),
        "headcount": np.array([1, 1, 0, 1, 0,      # P2, P1, P5 (P8 left on the 30th)
                               0, 0, 0, 0, 0,      # P10 not hired yet
                               0, 0, 2, 0, 1],     # P3 P4, P6 (P9 intern excluded)
                              dtype="int64"),
    })
    pd.testing.assert_frame_equal(result, expected)


@pytest.mark.parametrize(("hire", "period", "band"), [
    ("2024-06-30", "2025-06", "1-2"),     # exactly 1 year, 365 days (365/365.25 < 1)
    ("2024-07-01", "2025-06", "lt1"),     # one day short
    ("2023-03-31", "2024-03", "1-2"),     # exactly 1 year over 29 Feb (366 days)
    ("2024-02-29", "2025-02", "lt1"),     # leap-day hire: anniversary is 1 March
    ("2024-02-29", "2025-03", "1-2"),
    ("2023-06-30", "2025-06", "2-5"),     # exactly 2 years
    ("2020-07-01", "2025-06", "2-5"),     # one day short of 5 years
    ("2020-06-30", "2025-06", "5-10"),    # exactly 5 years
    ("2015-07-01", "2025-06", "5-10"),    # one day short of 10 years
    ("2015-06-30", "2025-06", "ge10"),    # exactly 10 years
    ("2025-06-30", "2025-06", "lt1"),     # hired on the reference date
], ids=["1y", "1y-1d", "1y-leap", "feb29-before", "feb29-after", "2y", "5y-1d", "5y",
        "10y-1d", "10y", "0d"])
def test_tenure_band_boundaries(hire, period, band):
    staff = canonical("employees", [_emp("X", "F1", hire)])
    result = hr.tenure_bands(staff, period)
    assert result["headcount"].tolist() == [int(b == band) for b in hr.TENURE_BANDS]


def test_tenure_bands_without_employees_lists_bands_with_zeros():
    result = hr.tenure_bands(TABLES["employees"].empty_frame(), "2025-06")
    assert result["band"].tolist() == list(hr.TENURE_BANDS)
    assert result["headcount"].tolist() == [0] * 5


def test_tenure_summary_company(employees):
    result = hr.tenure_summary(employees, "2025-06")
    days = [364, 365, 731, 1825, 1826, 3653]             # P2 P1 P3 P4 P5 P6
    expected = pd.DataFrame({
        "headcount": np.array([6], dtype="int64"),
        "mean_years": [sum(days) / 6 / 365.25],
        "median_years": [(731 + 1825) / 2 / 365.25],
    })
    pd.testing.assert_frame_equal(result, expected)


def test_tenure_summary_by_department(employees, ccs):
    result = hr.tenure_summary(employees, "2025-06", by=["department"], cost_centers=ccs)
    expected = pd.DataFrame({
        "department": pd.Series(["Finance", "HR", "Sales"], dtype="str"),
        "headcount": np.array([3, 0, 3], dtype="int64"),
        "mean_years": [(365 + 364 + 1826) / 3 / 365.25, np.nan,
                       (731 + 1825 + 3653) / 3 / 365.25],
        "median_years": [365 / 365.25, np.nan, 1825 / 365.25],
    })
    pd.testing.assert_frame_equal(result, expected)


def test_tenure_summary_filter_and_interns(employees):
    # the intern P9 (hired 2010) only counts when interns are not excluded
    result = hr.tenure_summary(employees, "2025-06", cost_center_filter=["S1"],
                               exclude_contracts=())
    assert result["headcount"].tolist() == [4]
    assert result["median_years"].tolist() == pytest.approx([(1825 + 3653) / 2 / 365.25])
    empty = hr.tenure_summary(TABLES["employees"].empty_frame(), "2025-06")
    assert empty["headcount"].tolist() == [0] and empty["mean_years"].isna().all()
