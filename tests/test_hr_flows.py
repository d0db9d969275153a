"""Hires, leavers, headcount bridge and turnover (kpi-reference H1, H3–H5, H8)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backoffice_lib import hr
from backoffice_lib.periods import period_end, period_range, shift_period
from backoffice_lib.tables import TABLES

PERIODS = ["2024-03", "2024-04", "2024-05"]  # 31, 30 and 31 days


def canonical(table: str, rows: list[dict]) -> pd.DataFrame:
    """A canonical table (spec columns and dtypes) from row dicts."""
    return TABLES[table].frame(rows)


def _emp(eid: str, cc: str, contract: str, hire: str, exit_: str | None = None,
         reason: str | None = None) -> dict:
    return {"employee_id": eid, "cost_center": cc, "fte": 1.0, "contract_type": contract,
            "hire_date": hire, "exit_date": exit_, "exit_reason": reason}


@pytest.fixture(scope="module")
def employees() -> pd.DataFrame:
    """Eight people around March–May 2024; F1 = Finance, S1 = Sales.

    A CDI all along; B CDI hired 16 Apr; C CDI leaves 30 Apr (last day, voluntary);
    D CDD hired 10 Apr and leaves 20 Apr, reason missing; E CDD leaves 15 May
    (involuntary); F intern (Stage, excluded) 1 Apr – 31 May; G CDI hired 31 May
    (last day); H CDI leaves 31 Mar (last day, other).
    """
    return canonical("employees", [
        _emp("A", "F1", "CDI", "2020-01-01"),
        _emp("B", "F1", "CDI", "2024-04-16"),
        _emp("C", "S1", "CDI", "2022-06-01", "2024-04-30", "voluntary"),
        _emp("D", "S1", "CDD", "2024-04-10", "2024-04-20"),
        _emp("E", "F1", "CDD", "2023-01-01", "2024-05-15", "involuntary"),
        _emp("F", "F1", "Stage", "2024-04-01", "2024-05-31", "other"),
        _emp("G", "S1", "CDI", "2024-05-31"),
        _emp("H", "S1", "CDI", "2019-03-01", "2024-03-31", "other"),
    ])


@pytest.fixture(scope="module")
def ccs() -> pd.DataFrame:
    """F1 finance, S1 sales."""
    return canonical("cost_centers", [
        {"cost_center": "F1", "name": "Compta", "department": "Finance", "office": "back"},
        {"cost_center": "S1", "name": "Ventes", "department": "Sales", "office": "front"},
    ])


def _ints(*values: int) -> np.ndarray:
    return np.array(values, dtype="int64")


def _periods(*values: str) -> pd.Series:
    return pd.Series(list(values), dtype="str")


# --------------------------------------------------------------------------- hires_leavers


def test_hires_leavers_company(employees):
    result = hr.hires_leavers(employees, PERIODS)
    # Mar: H leaves on the 31st (other). Apr: B and D hired; C (30th, voluntary) and D
    # (same month, reason missing → other) leave. May: G hired on the 31st; E leaves.
    # F (Stage) is never counted.
    expected = pd.DataFrame({
        "period": _periods(*PERIODS),
        "hires": _ints(0, 2, 1),
        "leavers": _ints(1, 2, 1),
        "leavers_voluntary": _ints(0, 1, 0),
        "leavers_involuntary": _ints(0, 0, 1),
        "leavers_other": _ints(1, 1, 0),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_hires_leavers_by_department(employees, ccs):
    result = hr.hires_leavers(employees, PERIODS, by=["department"], cost_centers=ccs)
    expected = pd.DataFrame({
        "period": _periods("2024-03", "2024-03", "2024-04", "2024-04", "2024-05", "2024-05"),
        "department": pd.Series(["Finance", "Sales"] * 3, dtype="str"),
        "hires": _ints(0, 0, 1, 1, 0, 1),
        "leavers": _ints(0, 1, 0, 2, 1, 0),
        "leavers_voluntary": _ints(0, 0, 0, 1, 0, 0),
        "leavers_involuntary": _ints(0, 0, 0, 0, 1, 0),
        "leavers_other": _ints(0, 1, 0, 1, 0, 0),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_hires_leavers_interns_counted_when_not_excluded(employees):
    result = hr.hires_leavers(employees, PERIODS, exclude_contracts=())
    # F (Stage) is hired in April and leaves on 31 May (reason other)
    assert result["hires"].tolist() == [0, 3, 1]
    assert result["leavers"].tolist() == [1, 2, 2]
    assert result["leavers_other"].tolist() == [1, 1, 1]


def test_hires_leavers_no_employees_lists_periods_with_zeros():
    result = hr.hires_leavers(TABLES["employees"].empty_frame(), ["2024-02", "2024-01"])
    assert result["period"].tolist() == ["2024-01", "2024-02"]
    assert result["hires"].tolist() == [0, 0] and result["leavers_other"].tolist() == [0, 0]


# --------------------------------------------------------------------------- headcount_bridge


def test_headcount_bridge_company(employees):
    result = hr.headcount_bridge(employees, PERIODS)
    # end Feb: A C E H; end Mar: A C E (H left on the 31st); end Apr: A B E (C left on
    # the 30th, D came and went); end May: A B G (E left, G hired on the 31st)
    expected = pd.DataFrame({
        "period": _periods(*PERIODS),
        "opening": _ints(4, 3, 3),
        "hires": _ints(0, 2, 1),
        "leavers": _ints(1, 2, 1),
        "closing": _ints(3, 3, 3),
        "residual": _ints(0, 0, 0),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_headcount_bridge_can_split_its_leavers_like_hires_leavers(employees, ccs):
    split = ["leavers_voluntary", "leavers_involuntary", "leavers_other"]
    bridge = hr.headcount_bridge(employees, PERIODS, by=["department"], cost_centers=ccs,
                                 split_leavers=True)
    flows = hr.hires_leavers(employees, PERIODS, by=["department"], cost_centers=ccs)
    assert list(bridge.columns[-3:]) == split
    pd.testing.assert_frame_equal(bridge[["period", "department", *split]],
                                  flows[["period", "department", *split]])
    assert (bridge[split].sum(axis=1) == bridge["leavers"]).all()


def test_headcount_bridge_by_department(employees, ccs):
    result = hr.headcount_bridge(employees, PERIODS, by=["department"], cost_centers=ccs)
    expected = pd.DataFrame({
        "period": _periods("2024-03", "2024-03", "2024-04", "2024-04", "2024-05", "2024-05"),
        "department": pd.Series(["Finance", "Sales"] * 3, dtype="str"),
        "opening": _ints(2, 2, 2, 1, 3, 0),
        "hires": _ints(0, 0, 1, 1, 0, 1),
        "leavers": _ints(0, 1, 0, 2, 1, 0),
        "closing": _ints(2, 1, 3, 0, 2, 1),
        "residual": _ints(0, 0, 0, 0, 0, 0),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_headcount_bridge_matches_month_end_headcount(employees):
    bridge = hr.headcount_bridge(employees, PERIODS)
    closing = hr.headcount(employees, [shift_period(PERIODS[0], -1), *PERIODS])["headcount"]
    assert bridge["opening"].tolist() == closing.tolist()[:-1]
    assert bridge["closing"].tolist() == closing.tolist()[1:]


_DAY0 = dt.date(2022, 10, 1)
_MONTH_ENDS = [period_end(p) for p in period_range("2022-10", "2025-03")]


@st.composite
def _staff(draw: st.DrawFn) -> pd.DataFrame:
    """Up to 12 employees hired 2022-10 … 2025-03, month ends over-represented;
    exits on or after the hire date (some the same day), some at month ends."""
    n = draw(st.integers(0, 12))
    rows = []
    for i in range(n):
        hire = draw(st.one_of(st.dates(_DAY0, dt.date(2025, 3, 31)),
                              st.sampled_from(_MONTH_ENDS)))
        exit_ = draw(st.one_of(
            st.none(),
            st.integers(0, 700).map(lambda d, h=hire: h + dt.timedelta(days=d)),
            st.sampled_from([e for e in _MONTH_ENDS if e >= hire] or [None]),
        ))
        rows.append(_emp(f"E{i}", draw(st.sampled_from(["F1", "S1"])),
                         draw(st.sampled_from(["CDI", "CDD", "Stage"])),
                         hire.isoformat(), exit_ and exit_.isoformat(),
                         draw(st.sampled_from(["voluntary", "involuntary", "other", None]))))
    return canonical("employees", rows)


@settings(max_examples=50)
@given(staff=_staff())
def test_headcount_bridge_identity_on_random_staff(staff):
    periods = period_range("2023-01", "2024-12")
    bridge = hr.headcount_bridge(staff, periods, by=["cost_center"])
    assert (bridge["residual"] == 0).all()
    closing = hr.headcount(staff, periods, by=["cost_center"])
    assert bridge["closing"].tolist() == closing["headcount"].tolist()
    opening = hr.headcount(staff, [shift_period(p, -1) for p in periods], by=["cost_center"])
    assert bridge["opening"].tolist() == opening["headcount"].tolist()
    flows = hr.hires_leavers(staff, periods, by=["cost_center"])
    split = flows[["leavers_voluntary", "leavers_involuntary", "leavers_other"]].sum(axis=1)
    assert split.tolist() == flows["leavers"].tolist()
    assert bridge["hires"].tolist() == flows["hires"].tolist()


# --------------------------------------------------------------------------- turnover


def test_turnover_monthly(employees):
    result = hr.turnover(employees, PERIODS)
    # avg headcount = Σ active days / calendar days:
    # Mar (31): A, C, E, H 31 each → 4; 1 leaver (H)
    # Apr (30): A 30 + B 15 (16–30) + C 30 + D 11 (10–20) + E 30 = 116 → 116/30; 2 leavers
    # May (31): A 31 + B 31 + E 15 + G 1 = 78 → 78/31; 1 leaver (E)
    expected = pd.DataFrame({
        "period": _periods(*PERIODS),
        "leavers": _ints(1, 2, 1),
        "avg_headcount": [4.0, 116 / 30, 78 / 31],
        "turnover": [0.25, 2 * 30 / 116, 31 / 78],
        "n_people": _ints(4, 5, 4),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_turnover_voluntary_only(employees):
    result = hr.turnover(employees, PERIODS, voluntary_only=True)
    assert result["leavers"].tolist() == [0, 1, 0]            # C only
    assert result["avg_headcount"].tolist() == pytest.approx([4.0, 116 / 30, 78 / 31])
    assert result["turnover"].tolist() == pytest.approx([0.0, 30 / 116, 0.0])


def test_turnover_permanent_contracts_only(employees):
    # "cdi" matches "CDI" (case-insensitive); D and E (CDD) leave both sides
    result = hr.turnover(employees, PERIODS, contract_types=("cdi",))
    # Mar: A, C, H → 3, H leaves; Apr: A 30 + B 15 + C 30 = 75 → 2.5, C leaves;
    # May: A 31 + B 31 + G 1 = 63 → 63/31, nobody leaves
    expected = pd.DataFrame({
        "period": _periods(*PERIODS),
        "leavers": _ints(1, 1, 0),
        "avg_headcount": [3.0, 2.5, 63 / 31],
        "turnover": [1 / 3, 0.4, 0.0],
        "n_people": _ints(3, 3, 3),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_turnover_contract_types_accent_insensitive():
    staff = canonical("employees", [
        _emp("A", "F1", "Intérim", "2024-01-01", "2024-01-15", "other"),
        _emp("B", "F1", "CDI", "2024-01-01"),
    ])
    result = hr.turnover(staff, ["2024-01"], exclude_contracts=(), contract_types=("INTERIM",))
    assert result["leavers"].tolist() == [1]
    assert result["avg_headcount"].tolist() == pytest.approx([15 / 31])
    assert result["n_people"].tolist() == [1]


def test_turnover_by_department(employees, ccs):
    result = hr.turnover(employees, ["2024-04"], by=["department"], cost_centers=ccs)
    # Finance: A 30 + B 15 + E 30 = 75 → 2.5, no leaver; Sales: C 30 + D 11 = 41 → 41/30
    assert result["department"].tolist() == ["Finance", "Sales"]
    assert result["leavers"].tolist() == [0, 2]
    assert result["avg_headcount"].tolist() == pytest.approx([2.5, 41 / 30])
    assert result["turnover"].tolist() == pytest.approx([0.0, 60 / 41])
    assert result["n_people"].tolist() == [3, 2]


def test_turnover_without_population_is_nan_not_zero(employees, ccs):
    # nobody is active in January 2019 (H is hired in March 2019)
    result = hr.turnover(employees, ["2019-01"], by=["department"], cost_centers=ccs)
    assert result["avg_headcount"].tolist() == [0.0, 0.0]
    assert result["turnover"].isna().tolist() == [True, True]
    assert result["leavers"].tolist() == [0, 0] and result["n_people"].tolist() == [0, 0]
    empty = hr.turnover(TABLES["employees"].empty_frame(), ["2024-01"])
    assert empty["avg_headcount"].tolist() == [0.0] and empty["turnover"].isna().all()


def test_turnover_no_employees_lists_periods_without_rate(employees):
    result = hr.turnover(employees.iloc[0:0], ["2024-04", "2024-03"])
    # every period is listed: nobody leaves, avg headcount 0, rate NaN (DENOM_ZERO)
    expected = pd.DataFrame({
        "period": _periods("2024-03", "2024-04"),
        "leavers": _ints(0, 0),
        "avg_headcount": [0.0, 0.0],
        "turnover": [np.nan, np.nan],
        "n_people": _ints(0, 0),
    })
    pd.testing.assert_frame_equal(result, expected)


@pytest.mark.parametrize("by", [["cost_center"], ["department"], ["department", "contract_type"]])
def test_turnover_no_employees_by_group_is_empty(employees, ccs, by):
    # used to raise TypeError (the empty period column kept its str dtype in the division)
    result = hr.turnover(employees.iloc[0:0], PERIODS, by=by, cost_centers=ccs)
    expected = pd.DataFrame({
        "period": _periods(), **{c: _periods() for c in by},
        "leavers": _ints(), "avg_headcount": np.array([], dtype="float64"),
        "turnover": np.array([], dtype="float64"), "n_people": _ints(),
    })
    pd.testing.assert_frame_equal(result, expected)
    # same columns and dtypes as a result with groups
    full = hr.turnover(employees, PERIODS, by=by, cost_centers=ccs)
    pd.testing.assert_series_equal(result.dtypes, full.dtypes)


# --------------------------------------------------------------------------- turnover_rates

# Monthly rates June 2023 – Feb 2024 are 0 (A, C, E, H, nobody leaves), then
_MAR, _APR, _MAY = 0.25, 60 / 116, 31 / 78


def test_turnover_rates_fiscal_year_from_april(employees):
    result = hr.turnover_rates(employees, "2024-05", fiscal_year_start=4)
    expected = pd.DataFrame({
        "month": [_MAY],
        "ytd_annualised": [(_APR + _MAY) * 12 / 2],           # April and May
        "r12": [_MAR + _APR + _MAY],                          # June 2023 – May 2024
        "leavers_r12": _ints(4),                              # H, C, D, E
        "n_people": _ints(7),                                 # A B C D E G H
    })
    pd.testing.assert_frame_equal(result, expected)


@pytest.mark.parametrize(("start", "expected"), [
    (1, (_MAR + _APR + _MAY) * 12 / 5),                       # Jan – May
    (6, _MAR + _APR + _MAY),                                  # 12 months: equals r12
    (5, _MAY * 12),                                           # first month of the year
], ids=["calendar", "june", "may"])
def test_turnover_rates_ytd_annualised(employees, start, expected):
    result = hr.turnover_rates(employees, "2024-05", fiscal_year_start=start)
    assert result["ytd_annualised"].tolist() == pytest.approx([expected])


def test_turnover_rates_by_department_and_variants(employees, ccs):
    result = hr.turnover_rates(employees, "2024-05", fiscal_year_start=4, by=["department"],
                               cost_centers=ccs)
    # Finance: only E leaves, in May (A 31 + B 31 + E 15 = 77 days → 77/31)
    # Sales: Mar 1/2 (C, H), Apr 2/(41/30), May 0/(1/31) (G on the 31st)
    expected = pd.DataFrame({
        "department": pd.Series(["Finance", "Sales"], dtype="str"),
        "month": [31 / 77, 0.0],
        "ytd_annualised": [31 / 77 * 6, 60 / 41 * 6],
        "r12": [31 / 77, 0.5 + 60 / 41],
        "leavers_r12": _ints(1, 3),
        "n_people": _ints(3, 4),
    })
    pd.testing.assert_frame_equal(result, expected)
    voluntary = hr.turnover_rates(employees, "2024-05", voluntary_only=True)
    assert voluntary["r12"].tolist() == pytest.approx([30 / 116])          # C only
    assert voluntary["leavers_r12"].tolist() == [1]
    cdi = hr.turnover_rates(employees, "2024-05", contract_types=("CDI",))
    assert cdi["r12"].tolist() == pytest.approx([1 / 3 + 0.4])              # H, C
    assert cdi["n_people"].tolist() == [5]                                  # A B C G H


def test_turnover_rates_months_without_population():
    staff = canonical("employees", [
        _emp("X", "F1", "CDI", "2024-04-01", "2024-05-15", "voluntary"),
        _emp("Y", "F1", "CDI", "2024-04-01"),
    ])
    result = hr.turnover_rates(staff, "2024-05")
    # June 2023 – March 2024 have no population (rate NaN, no leaver): they add 0.
    # April 0/2; May 1/((15 + 31)/31)
    assert result["month"].tolist() == pytest.approx([31 / 46])
    assert result["r12"].tolist() == pytest.approx([31 / 46])
    assert result["ytd_annualised"].tolist() == pytest.approx([31 / 46 * 12 / 5])
    nobody = hr.turnover_rates(staff, "2023-12")
    assert nobody[["month", "ytd_annualised", "r12"]].isna().all(axis=None)
    assert nobody["leavers_r12"].tolist() == [0] and nobody["n_people"].tolist() == [0]


def test_turnover_rates_no_employees_one_row_without_rates(employees):
    result = hr.turnover_rates(employees.iloc[0:0], "2024-05", fiscal_year_start=4)
    # no month of any window has a population: rates NaN, never 0
    expected = pd.DataFrame({
        "month": [np.nan], "ytd_annualised": [np.nan], "r12": [np.nan],
        "leavers_r12": _ints(0), "n_people": _ints(0),
    })
    pd.testing.assert_frame_equal(result, expected)


@pytest.mark.parametrize("by", [["cost_center"], ["department"], ["department", "contract_type"]])
def test_turnover_rates_no_employees_by_group_is_empty(employees, ccs, by):
    # used to raise TypeError, as turnover did
    result = hr.turnover_rates(employees.iloc[0:0], "2024-05", fiscal_year_start=4, by=by,
                               cost_centers=ccs)
    empty_floats = np.array([], dtype="float64")
    expected = pd.DataFrame({
        **{c: _periods() for c in by},
        "month": empty_floats, "ytd_annualised": empty_floats, "r12": empty_floats,
        "leavers_r12": _ints(), "n_people": _ints(),
    })
    pd.testing.assert_frame_equal(result, expected)
    full = hr.turnover_rates(employees, "2024-05", fiscal_year_start=4, by=by, cost_centers=ccs)
    pd.testing.assert_series_equal(result.dtypes, full.dtypes)
