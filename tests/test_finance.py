"""Cost KPIs (kpi-reference §1, F1–F12) on a hand-made ledger with known figures.

The fixture company (cost centres FIN and IT back office, SAL front office, PRD other,
MKT without office) books every month from 2025-01 to 2026-03:
    rent   6132 FIN 1 000.00 (vendor V1 on the 401 line)
    payroll 6411 IT 3 000.00 + 6411 SAL 2 000.00
and on top:
    2026-02  fees 6226 IT 1 000.00 (V2 on the 401 line)
    2026-03  fees 6226 IT 6 000.00 (V2) · supplies 6063 no cost centre 250.50 (V3)
             depreciation 6811 PRD 400.00 · interest 6611 FIN 100.00 · income tax 695 FIN 300.00
             rebate 609 FIN −50.00 (V1) · odd account 6A10 MKT 10.00 · travel 6251 SAL 49.50
So 2026-03 by category: purchases 250.50 − 50 = 200.50; external services 1 000 + 6 000
+ 49.50 = 7 049.50; personnel 5 000; financial 100; depreciation 400; profit sharing/tax
300; unmapped 10 → class 6 = 13 060.00; total cost (60–68) = 13 060 − 300 − 10 = 12 750.00;
operating (60–65 + 681) = 12 750 − 100 = 12 650.00.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backoffice_lib import finance as F
from backoffice_lib import periods as P
from backoffice_lib.errors import ParameterError
from backoffice_lib.tables import MONEY, TABLES

# --------------------------------------------------------------------------- helpers


def canonical(table: str, rows: list[dict]) -> pd.DataFrame:
    """A canonical table (spec columns and dtypes) from row dicts."""
    return TABLES[table].frame(rows)


def money(*values: str) -> pd.Series:
    return pd.Series([None if v is None else Decimal(v) for v in values], dtype=MONEY)


def D(text: str) -> Decimal:
    return Decimal(text)


def _entry(rows, eid, period, lines, day=15, entry_date=None):
    for i, (acc, cc, amount, vendor) in enumerate(lines, 1):
        rows.append({"entry_id": eid, "line_no": i, "posting_date": f"{period}-{day:02d}",
                     "period": period, "account": acc, "cost_center": cc, "amount": amount,
                     "currency": "EUR", "vendor_id": vendor, "entry_date": entry_date})


def _ledger_rows() -> list[dict]:
    rows: list[dict] = []
    for p in P.period_range("2025-01", "2026-03"):
        _entry(rows, f"RENT-{p}", p, [("6132", "FIN", "1000.00", None),
                                      ("401", None, "-1000.00", "V1")])
        _entry(rows, f"PAY-{p}", p, [("6411", "IT", "3000.00", None),
                                     ("6411", "SAL", "2000.00", None),
                                     ("421", None, "-5000.00", None)])
    extras = [  # (entry, period, cost line, balancing line)
        ("FEES-02", "2026-02", ("6226", "IT", "1000.00", None), ("401", None, "-1000.00", "V2")),
        ("FEES-03", "2026-03", ("6226", "IT", "6000.00", None), ("401", None, "-6000.00", "V2")),
        ("SUP-03", "2026-03", ("6063", None, "250.50", None), ("401", None, "-250.50", "V3")),
        ("DEP-03", "2026-03", ("6811", "PRD", "400.00", None), ("2815", None, "-400.00", None)),
        ("INT-03", "2026-03", ("6611", "FIN", "100.00", None), ("512", None, "-100.00", None)),
        ("TAX-03", "2026-03", ("695", "FIN", "300.00", None), ("444", None, "-300.00", None)),
        ("CN-03", "2026-03", ("609", "FIN", "-50.00", None), ("401", None, "50.00", "V1")),
        ("ODD-03", "2026-03", ("6A10", "MKT", "10.00", None), ("401", None, "-10.00", None)),
        ("TRV-03", "2026-03", ("6251", "SAL", "49.50", None), ("512", None, "-49.50", None)),
    ]
    for eid, period, cost, balance in extras:
        _entry(rows, eid, period, [cost, balance])
    return rows


@pytest.fixture(scope="module")
def gl() -> pd.DataFrame:
    """The fixture ledger (see module docstring)."""
    return canonical("gl_lines", _ledger_rows())


@pytest.fixture(scope="module")
def ccs() -> pd.DataFrame:
    """Five cost centres: two back office, one front, one other, one without office."""
    return canonical("cost_centers", [
        {"cost_center": "FIN", "name": "Comptabilité", "department": "Finance", "office": "back"},
        {"cost_center": "IT", "name": "Informatique", "department": "IT", "office": "back"},
        {"cost_center": "SAL", "name": "Ventes", "department": "Sales", "office": "front"},
        {"cost_center": "PRD", "name": "Usine", "department": "Production", "office": "other"},
        {"cost_center": "MKT", "name": "Marketing", "department": "Marketing", "office": None},
    ])


@pytest.fixture(scope="module")
def budget() -> pd.DataFrame:
    """March 2026 budget by category/label/account, plus an annual-only row for PRD."""
    return canonical("budget", [
        {"period": "2026-03", "cost_center": "FIN", "category": "external_services",
         "amount": "1000.00"},
        {"period": "2026-03", "cost_center": "IT", "category": "Services extérieurs",
         "amount": "2000.00"},
        {"period": "2026-03", "cost_center": "IT", "account": "641", "amount": "3000.00"},
        {"period": "2026-03", "cost_center": "SAL", "category": "personnel", "amount": "1800.00"},
        {"period": "2026", "cost_center": "PRD", "category": "depreciation_provisions",
         "amount": "4800.05"},
    ])


@pytest.fixture(scope="module")
def employees() -> pd.DataFrame:
    """IT: E1 full time, E2 half time from 16 March 2026; SAL: E3 left 28 Feb, E4 80 %; FIN: E5."""
    return canonical("employees", [
        {"employee_id": "E1", "cost_center": "IT", "fte": 1.0, "hire_date": "2020-01-01"},
        {"employee_id": "E2", "cost_center": "IT", "fte": 0.5, "hire_date": "2026-03-16"},
        {"employee_id": "E3", "cost_center": "SAL", "fte": 1.0, "hire_date": "2020-01-01",
         "exit_date": "2026-02-28"},
        {"employee_id": "E4", "cost_center": "SAL", "fte": 0.8, "hire_date": "2020-01-01"},
        {"employee_id": "E5", "cost_center": "FIN", "fte": 1.0, "hire_date": "2020-01-01"},
    ])


# --------------------------------------------------------------------------- F1 costs


def test_costs_by_category_month(gl, ccs):
    result = F.costs_by(gl, ccs, None, by=["category"], periods=["2026-03"])
    expected = pd.DataFrame({
        "category": pd.Series(["purchases", "external_services", "personnel", "financial",
                               "depreciation_provisions", "profit_sharing_tax", "unmapped"],
                              dtype="str"),
        "amount": money("200.50", "7049.50", "5000.00", "100.00", "400.00", "300.00", "10.00"),
        "n_lines": np.array([2, 3, 2, 1, 1, 1, 1], dtype="int64"),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_costs_by_department_keeps_unallocated_and_unknown_office(gl, ccs):
    result = F.costs_by(gl, ccs, None, by=["department", "office"], periods=["2026-03"])
    keys = zip(result["department"], result["office"], strict=True)
    got = dict(zip(keys, result["amount"], strict=True))
    # FIN 1000 − 50 + 100 + 300; IT 3000 + 6000; SAL 2000 + 49.50; supplies without cc
    assert got == {
        ("Finance", "back"): D("1350.00"), ("IT", "back"): D("9000.00"),
        ("Marketing", "unclassified"): D("10.00"), ("Production", "other"): D("400.00"),
        ("Sales", "front"): D("2049.50"), ("UNALLOCATED", "unclassified"): D("250.50"),
    }


@pytest.mark.parametrize(("scope", "expected"), [
    ("class6", "13060.00"),    # every class-6 line
    ("total", "12750.00"),     # 60–68: minus 695 (300) and 6A10 (10)
    ("operating", "12650.00"),  # 60–65 + 681: minus 6611 (100) too
], ids=["class6", "total", "operating"])
def test_costs_by_scope_totals(gl, ccs, scope, expected):
    result = F.costs_by(gl, ccs, None, by=[], periods=["2026-03"], scope=scope)
    assert result["amount"].iloc[0] == D(expected)


def test_cost_lines_take_vendor_from_the_401_line(gl, ccs):
    lines = F.cost_lines(gl, ccs, None, periods=["2026-03"])
    vendors = dict(zip(lines["account"], lines["vendor_id"], strict=True))
    assert vendors["6226"] == "V2" and vendors["6063"] == "V3" and vendors["609"] == "V1"
    assert pd.isna(vendors["6251"])  # no 401 line in the travel entry


def test_vendor_from_the_401_line_only_when_the_entry_has_a_single_vendor():
    rows: list[dict] = []
    _entry(rows, "ONE", "2026-03", [("6226", "IT", "10.00", None), ("401", None, "-10.00", "V1")])
    _entry(rows, "TWO", "2026-03", [("6226", "IT", "20.00", None), ("401", None, "-15.00", "V1"),
                                    ("401", None, "-5.00", "V2")])
    _entry(rows, "OWN", "2026-03", [("6226", "IT", "30.00", "V9"), ("401", None, "-30.00", "V1")])
    _entry(rows, "OLD", "2026-02", [("6226", "IT", "40.00", None), ("401", None, "-40.00", "V4")])
    lines = F.cost_lines(canonical("gl_lines", rows), periods=["2026-03"])
    result = dict(zip(lines["entry_id"], lines["vendor_id"], strict=True))
    assert result["ONE"] == "V1" and result["OWN"] == "V9"
    assert pd.isna(result["TWO"]) and "OLD" not in result


def test_cost_center_filter_applies(gl, ccs):
    result = F.costs_by(gl, ccs, None, by=[], periods=["2026-03"], cost_center_filter=["IT"])
    assert result["amount"].iloc[0] == D("9000.00")  # 3000 payroll + 6000 fees


@pytest.mark.parametrize("scope", ["class6", "total", "operating"])
@pytest.mark.parametrize("cc_filter", [None, ["IT", "UNALLOCATED"]], ids=["all", "filtered"])
def test_cost_lines_from_prepared_lines_are_the_same(gl, ccs, scope, cc_filter):
    prepared = F.cost_lines(gl, ccs, None)
    opts = dict(scope=scope, periods=["2026-02", "2026-03"], cost_center_filter=cc_filter)
    result = F.cost_lines(gl, ccs, None, prepared=prepared, **opts)
    expected = F.cost_lines(gl, ccs, None, **opts)
    pd.testing.assert_frame_equal(result, expected)


@pytest.mark.parametrize("prepared", [False, True], ids=["ledger", "prepared"])
def test_cost_lines_keep_only_the_columns_asked(gl, ccs, prepared):
    opts = dict(scope="operating", periods=["2026-03"], cost_center_filter=["IT", "UNALLOCATED"])
    if prepared:
        opts["prepared"] = F.cost_lines(gl, ccs, None)
    full = F.cost_lines(gl, ccs, None, **opts)
    result = F.cost_lines(gl, ccs, None, columns=["office", "period", "amount"], **opts)
    assert list(result.columns) == ["office", "period", "amount"]
    pd.testing.assert_frame_equal(result, full[["office", "period", "amount"]])


def test_kpis_from_prepared_lines_are_the_same(gl, ccs, budget):
    lines = F.cost_lines(gl, ccs, None)
    calls = [
        lambda **kw: F.headline(gl, budget, ccs, None, "2026-03", **kw),
        lambda **kw: F.budget_vs_actual(gl, budget, ccs, None, "2026-03", **kw),
        lambda **kw: F.cost_trend(gl, budget, ccs, None, "2026-03", months=6, **kw),
        lambda **kw: F.back_office_share(gl, ccs, None, "2026-03", months=6, **kw),
        lambda **kw: F.top_movers(gl, ccs, None, "2026-03", budget=budget, **kw),
        lambda **kw: F.vendor_pareto(gl, ccs, None, "2026-03", **kw),
    ]
    for call in calls:
        pd.testing.assert_frame_equal(call(lines=lines), call())


@pytest.mark.parametrize("cc_filter", [None, ["IT", "PRD"]], ids=["all", "filtered"])
@pytest.mark.parametrize("fys", [1, 4])
def test_budget_lines_from_prepared_budget_are_the_same(budget, ccs, cc_filter, fys):
    prepared = F.budget_lines(budget, ccs, None, fiscal_year_start=fys)
    opts = dict(fiscal_year_start=fys, cost_center_filter=cc_filter)
    pd.testing.assert_frame_equal(F.budget_lines(budget, ccs, None, prepared=prepared, **opts),
                                  F.budget_lines(budget, ccs, None, **opts))


@pytest.mark.parametrize("cc_filter", [None, ["IT", "PRD"]], ids=["all", "filtered"])
def test_kpis_from_prepared_budget_are_the_same(gl, ccs, budget, cc_filter):
    lines = F.cost_lines(gl, ccs, None)
    bud = F.budget_lines(budget, ccs, None)
    calls = [
        lambda **kw: F.headline(gl, budget, ccs, None, "2026-03", **kw),
        lambda **kw: F.budget_vs_actual(gl, budget, ccs, None, "2026-03", view="ytd", **kw),
        lambda **kw: F.cost_trend(gl, budget, ccs, None, "2026-03", months=6, **kw),
        lambda **kw: F.top_movers(gl, ccs, None, "2026-03", budget=budget, **kw),
    ]
    for call in calls:
        pd.testing.assert_frame_equal(
            call(lines=lines, prepared_budget=bud, cost_center_filter=cc_filter),
            call(cost_center_filter=cc_filter))
    facts = F.commentary_facts(gl, budget, ccs, None, "2026-03", lines=lines,
                               prepared_budget=bud, cost_center_filter=cc_filter)
    assert facts == F.commentary_facts(gl, budget, ccs, None, "2026-03",
                                       cost_center_filter=cc_filter)


@pytest.mark.parametrize("cc_filter", [None, ["IT", "PRD"]], ids=["all", "filtered"])
def test_headline_and_commentary_from_figures_already_computed_are_the_same(gl, ccs, budget,
                                                                            cc_filter):
    opts = dict(cost_center_filter=cc_filter)
    bva = F.budget_vs_actual(gl, budget, ccs, None, "2026-03", by=["category"], **opts)
    offices = F.back_office_share(gl, ccs, None, "2026-03", months=24, **opts)
    pd.testing.assert_frame_equal(
        F.headline(gl, budget, ccs, None, "2026-03", bva=bva, offices=offices, **opts),
        F.headline(gl, budget, ccs, None, "2026-03", **opts))
    for threshold in (1000, 5000):
        facts = F.commentary_facts(gl, budget, ccs, None, "2026-03", abs_threshold=threshold,
                                   bva=bva, **opts)
        assert facts == F.commentary_facts(gl, budget, ccs, None, "2026-03",
                                           abs_threshold=threshold, **opts)


def test_unknown_scope_is_a_parameter_error(gl):
    with pytest.raises(ParameterError, match="scope"):
        F.costs_by(gl, scope="everything")


# --------------------------------------------------------------------------- budget


def test_budget_lines_phase_annual_budget_to_the_cent(budget, ccs):
    lines = F.budget_lines(budget, ccs, None)
    prd = lines[lines["cost_center"] == "PRD"].sort_values("period")
    # 4 800.05 = 480 005 cents = 12 × 40 000 + 5: the first five months get 400.01
    assert prd["amount"].tolist() == [D("400.01")] * 5 + [D("400.00")] * 7
    assert prd["period"].tolist() == P.period_range("2026-01", "2026-12")
    assert prd["phasing_flat"].all()
    assert sum(prd["amount"]) == D("4800.05")


def test_budget_lines_map_labels_and_accounts_to_categories(budget, ccs):
    lines = F.budget_lines(budget, ccs, None)
    it = lines[lines["cost_center"] == "IT"]
    assert sorted(it["category"]) == ["external_services", "personnel"]


def test_budget_vs_actual_month(gl, budget, ccs):
    result = F.budget_vs_actual(gl, budget, ccs, None, "2026-03")
    got = result.set_index("category")
    # external services: 7049.50 − (1000 + 2000) = 4049.50; 4049.50 / 3000 = 1.349833
    assert got.loc["external_services", "var"] == D("4049.50")
    assert got.loc["external_services", "var_pct"] == pytest.approx(4049.50 / 3000)
    assert got.loc["external_services", "flag"] == "U"
    # personnel: 5000 − (3000 via account 641 + 1800) = 200 → 4.17 %
    assert got.loc["personnel", "var"] == D("200.00")
    assert got.loc["personnel", "var_pct"] == pytest.approx(200 / 4800)
    # purchases: no budget → var = actual, pct None, UNBUDGETED
    assert got.loc["purchases", "var"] == D("200.50")
    assert np.isnan(got.loc["purchases", "var_pct"])
    assert got.loc["purchases", "reason"] == "UNBUDGETED"
    # depreciation: 400.00 vs 400.01 (3rd twelfth) → favourable, flat phasing
    assert got.loc["depreciation_provisions", "var"] == D("-0.01")
    assert got.loc["depreciation_provisions", "flag"] == "F"
    assert bool(got.loc["depreciation_provisions", "phasing_flat"])
    # prior year March 2025: 1000 external services → (7049.50 − 1000) / 1000
    assert got.loc["external_services", "yoy_pct"] == pytest.approx(6.0495)
    assert got.loc["purchases", "yoy_reason"] == "NEW"
    assert sum(result["actual"]) == D("13060.00")


def test_budget_vs_actual_ytd(gl, budget, ccs):
    result = F.budget_vs_actual(gl, budget, ccs, None, "2026-03", view="ytd").set_index("category")
    # external services Jan 1000 + Feb 2000 + Mar 7049.50 = 10049.50; budget only in March
    assert result.loc["external_services", "actual"] == D("10049.50")
    assert result.loc["external_services", "budget"] == D("3000.00")
    # depreciation budget: 400.01 × 3 = 1200.03; actual 400 → −800.03
    assert result.loc["depreciation_provisions", "budget"] == D("1200.03")
    assert result.loc["depreciation_provisions", "var"] == D("-800.03")
    assert result.loc["personnel", "prior_year"] == D("15000.00")
    assert (result["coverage"] == 1.0).all()


def test_budget_vs_actual_both_zero_is_denom_zero():
    gl = canonical("gl_lines", [{"entry_id": "1", "line_no": 1, "posting_date": "2026-03-01",
                                 "period": "2026-03", "account": "6132", "cost_center": "A",
                                 "amount": "0.00", "currency": "EUR"}])
    result = F.budget_vs_actual(gl, canonical("budget", []), None, None, "2026-03")
    assert result["var"].tolist() == [D("0.00")]
    assert np.isnan(result["var_pct"].iloc[0]) and result["reason"].iloc[0] == "DENOM_ZERO"
    assert pd.isna(result["flag"].iloc[0])


def test_budget_vs_actual_ytd_with_a_missing_month_is_not_loaded(gl, budget, ccs):
    loaded = [p for p in P.period_range("2025-01", "2026-03") if p != "2026-02"]
    result = F.budget_vs_actual(gl, budget, ccs, None, "2026-03", view="ytd",
                                loaded_periods=loaded)
    assert result["actual"].isna().all()
    assert (result["reason"] == "NOT_LOADED").all()
    assert result["coverage"].iloc[0] == pytest.approx(2 / 3)


def test_budget_vs_actual_flags_open_month_provisional(gl, budget, ccs):
    result = F.budget_vs_actual(gl, budget, ccs, None, "2026-03", last_closed_period="2026-02")
    assert result["provisional"].all()


def test_budget_waterfall_bridges_budget_to_actual(gl, budget, ccs):
    bva = F.budget_vs_actual(gl, budget, ccs, None, "2026-03")
    result = F.budget_waterfall(bva)
    assert result["kind"].tolist() == ["budget"] + ["variance"] * 7 + ["actual"]
    # budget 1000 + 2000 + 3000 + 1800 + 400.01 = 8200.01; actual 13060.00
    assert result["amount"].iloc[0] == D("8200.01")
    assert result["amount"].iloc[-1] == D("13060.00")
    assert sum(result["amount"].iloc[1:-1]) == D("13060.00") - D("8200.01")
    assert result["end"].iloc[-2] == pytest.approx(13060.00)


# --------------------------------------------------------------------------- F3/F5 trend


def test_cost_trend_mom_and_r12(gl, budget, ccs):
    result = F.cost_trend(gl, budget, ccs, None, "2026-03", months=6).set_index("period")
    # months: base 6000 each; Feb +1000; March 13060
    assert result.loc["2026-03", "actual"] == D("13060.00")
    assert result.loc["2026-03", "mom"] == D("6060.00")                 # 13060 − 7000
    assert result.loc["2026-03", "mom_pct"] == pytest.approx(6060 / 7000)
    # R12 March = 12 × 6000 + 1000 (Feb) + 7060 (March extras) = 80 060
    assert result.loc["2026-03", "r12"] == D("80060.00")
    assert result.loc["2026-02", "r12"] == D("73000.00")
    assert result.loc["2025-12", "r12"] == D("72000.00")                # 2025-01..12
    # 2025-11: the window starts in 2024-12, not loaded → fewer than 12 periods
    assert pd.isna(result.loc["2025-11", "r12"])
    assert result.loc["2025-11", "r12_reason"] == "SHORT_BASE"
    assert result.loc["2026-03", "r12_growth_reason"] == "SHORT_BASE"
    # budget: March 8200.01, January only the PRD twelfth 400.01, October 2025 none
    assert result.loc["2026-03", "budget"] == D("8200.01")
    assert result.loc["2026-01", "budget"] == D("400.01")
    assert pd.isna(result.loc["2025-10", "budget"])


def test_cost_trend_new_when_prior_month_zero(gl, ccs):
    result = F.cost_trend(gl, None, ccs, None, "2026-03", months=2, by=["category"])
    row = result[(result["period"] == "2026-03") & (result["category"] == "financial")].iloc[0]
    assert row["mom"] == D("100.00") and np.isnan(row["mom_pct"]) and row["mom_reason"] == "NEW"


def test_cost_trend_r12_growth_with_24_months():
    rows: list[dict] = []
    for i, p in enumerate(P.period_range("2024-01", "2025-12")):
        amount = "100.00" if i < 12 else "110.00"
        _entry(rows, f"E{p}", p, [("6132", "A", amount, None), ("401", None, f"-{amount}", "V")])
    gl = canonical("gl_lines", rows)
    result = F.cost_trend(gl, None, None, None, "2025-12", months=1)
    # r12 = 12 × 110 = 1320 vs 1200 → +10 %
    assert result["r12"].iloc[0] == D("1320.00")
    assert result["r12_growth"].iloc[0] == pytest.approx(0.10)


# --------------------------------------------------------------------------- F6 run-rate


def test_run_rate_three_months(gl, budget, ccs):
    result = F.run_rate(gl, ccs, None, "2026-03", budget=budget).iloc[0]
    # total cost Jan 6000 + Feb 7000 + Mar 12750 = 25 750; × 12 / 3 = 103 000
    assert result["run_rate"] == D("103000.00")
    assert result["months_used"] == 3 and pd.isna(result["reason"])
    # full-year budget: 3000 + 4800 + 4800.05 = 12 600.05
    assert result["budget_full_year"] == D("12600.05")
    assert result["var"] == D("90399.95")


def test_run_rate_short_base_and_exclusions():
    rows: list[dict] = []
    _entry(rows, "A", "2026-02", [("6132", "A", "300.00", None), ("6711", "A", "999.00", None),
                                  ("6875", "A", "50.00", None), ("401", None, "-1349.00", "V")])
    result = F.run_rate(canonical("gl_lines", rows), None, None, "2026-02").iloc[0]
    # only February loaded; 67 and 687 excluded → 12 × 300
    assert result["run_rate"] == D("3600.00")
    assert result["months_used"] == 1 and result["reason"] == "SHORT_BASE"


# --------------------------------------------------------------------------- F7/F8/F9


def test_back_office_share_month_and_r12(gl, ccs):
    result = F.back_office_share(gl, ccs, None, "2026-03", months=1).iloc[0]
    # operating March: back = FIN (1000 − 50) + IT (3000 + 6000) = 9950;
    # front SAL 2049.50; other PRD 400; unclassified: no cost centre 250.50 → 12 650
    assert (result["back"], result["front"], result["other"], result["unclassified"]) == (
        D("9950.00"), D("2049.50"), D("400.00"), D("250.50"))
    assert result["total"] == D("12650.00")
    assert result["bo_share"] == pytest.approx(9950 / 12650)
    # R12: back 12 × 4000 + 1000 + 5950 = 54 950; total 54 950 + 24 049.50 + 400 + 250.50
    assert result["bo_share_r12"] == pytest.approx(54950 / 79650)
    assert result["unclassified_share"] == pytest.approx(250.50 / 12650)
    assert not result["unclassified_warning"]


def test_back_office_share_warns_on_unclassified(gl, ccs):
    result = F.back_office_share(gl, ccs.iloc[:0], None, "2026-03", months=1).iloc[0]
    assert result["unclassified_share"] == 1.0 and result["unclassified_warning"]
    assert result["bo_share"] == 0.0


def test_cost_per_fte_by_department(gl, employees, ccs):
    result = F.cost_per_fte(gl, employees, ccs, None, P.ytd_range("2026-03"), total=True)
    got = result.set_index("department")
    # IT FTE: Jan 1, Feb 1, Mar 1 + 0.5 × 16/31 → mean (3 + 8/31) / 3
    it_fte = (3 + 8 / 31) / 3
    assert got.loc["IT", "cost"] == D("16000.00")            # 9000 payroll + 7000 fees
    assert got.loc["IT", "avg_fte"] == pytest.approx(it_fte)
    assert got.loc["IT", "cost_per_fte"] == pytest.approx(16000 / it_fte)
    assert got.loc["IT", "cost_per_fte_annual"] == pytest.approx(16000 / it_fte * 4)
    assert got.loc["IT", "n_people"] == 2
    # Sales: 1.8, 1.8, 0.8 → 4.4 / 3; cost 6000 + 49.50
    assert got.loc["Sales", "avg_fte"] == pytest.approx(4.4 / 3)
    assert got.loc["Sales", "cost"] == D("6049.50")
    # production has cost but no people: listed, ratio None
    assert got.loc["Production", "reason"] == "DENOM_ZERO"
    assert np.isnan(got.loc["Production", "cost_per_fte"])
    assert got.loc["TOTAL", "n_people"] == 5
    assert got.loc["TOTAL", "cost"] == D("25650.00")  # operating Jan–Mar: 6000 + 7000 + 12650


def test_cost_per_fte_filter_applies_to_cost_and_fte(gl, employees, ccs):
    result = F.cost_per_fte(gl, employees, ccs, None, ["2026-03"], by=["cost_center"],
                            cost_center_filter=["SAL"])
    assert result["cost_center"].tolist() == ["SAL"]
    assert result["cost"].iloc[0] == D("2049.50") and result["avg_fte"].iloc[0] == 0.8


def test_support_ratio_fte_and_cost(gl, employees, ccs):
    result = F.support_ratio(gl, employees, ccs, None, ["2026-03"]).iloc[0]
    # back FTE: IT 1 + 0.5 × 16/31, FIN 1; front: 0.8
    assert result["support_ratio_fte"] == pytest.approx(100 * (2 + 8 / 31) / 0.8)
    # back cost 9950 per front cost 2049.50
    assert result["support_ratio_cost"] == pytest.approx(100 * 9950 / 2049.50)
    assert (result["n_people_back"], result["n_people_front"]) == (3, 1)


def test_support_ratio_without_front_office_is_none(gl, employees, ccs):
    result = F.support_ratio(gl, employees, ccs, None, ["2026-03"],
                             cost_center_filter=["IT", "FIN"]).iloc[0]
    assert np.isnan(result["support_ratio_fte"])
    assert result["support_ratio_fte_reason"] == "DENOM_ZERO"


# --------------------------------------------------------------------------- F10 top movers


def test_top_movers_vs_budget(gl, budget, ccs):
    result = F.top_movers(gl, ccs, None, "2026-03", budget=budget, abs_threshold=100,
                          pct_threshold=0.10)
    # IT fees 6000 vs 2000; FIN tax 300 unbudgeted; supplies 250.50 unbudgeted;
    # SAL payroll 2000 vs 1800 (+11 %); FIN interest 100 unbudgeted.
    # Not material: SAL travel 49.50, FIN rebate −50, PRD −0.01, MKT 10.
    assert list(zip(result["cost_center"], result["category"], strict=True)) == [
        ("IT", "external_services"), ("FIN", "profit_sharing_tax"),
        ("UNALLOCATED", "purchases"), ("SAL", "personnel"), ("FIN", "financial")]
    assert result["delta"].tolist() == [D("4000.00"), D("300.00"), D("250.50"), D("200.00"),
                                        D("100.00")]
    assert result["reason"].fillna("").tolist() == ["", "UNBUDGETED", "UNBUDGETED", "",
                                                    "UNBUDGETED"]
    assert result["rank"].tolist() == [1, 2, 3, 4, 5]
    assert result["contributors"].iloc[0] == "6226"


def test_top_movers_pct_test_filters(gl, budget, ccs):
    result = F.top_movers(gl, ccs, None, "2026-03", budget=budget, abs_threshold=100,
                          pct_threshold=0.12)
    # SAL payroll +200 on 1800 = 11.1 % < 12 %: out
    cells = set(zip(result["cost_center"], result["category"], strict=True))
    assert ("SAL", "personnel") not in cells
    assert len(result) == 4


def test_top_movers_vs_prior_month(gl, ccs):
    result = F.top_movers(gl, ccs, None, "2026-03", basis="prior_month", abs_threshold=1000)
    assert len(result) == 1
    row = result.iloc[0]
    assert (row["cost_center"], row["base"], row["delta"]) == ("IT", D("1000.00"), D("5000.00"))
    assert row["delta_pct"] == 5.0 and row["flag"] == "U"


def test_top_movers_needs_budget(gl):
    with pytest.raises(ParameterError, match="budget"):
        F.top_movers(gl, None, None, "2026-03")


# --------------------------------------------------------------------------- F11 Pareto


def test_vendor_pareto_r12(gl, ccs):
    result = F.vendor_pareto(gl, ccs, None, "2026-03")
    # R12 on 60–62: V1 rent 12 × 1000 − 50 rebate = 11 950; V2 fees 7000; V3 250.50;
    # travel without vendor 49.50 → UNKNOWN_VENDOR, not ranked
    assert result["vendor_id"].tolist() == ["V1", "V2", "V3", "UNKNOWN_VENDOR"]
    assert result["spend"].tolist() == [D("11950.00"), D("7000.00"), D("250.50"), D("49.50")]
    assert result["rank"].tolist()[:3] == [1, 2, 3] and pd.isna(result["rank"].iloc[3])
    ranked = 19200.50
    assert result["cum_share"].iloc[:3].tolist() == pytest.approx(
        [11950 / ranked, 18950 / ranked, 1.0])
    assert result["within_threshold"].tolist() == [True, True, False, False]
    summary = F.vendor_pareto_summary(result).iloc[0]
    assert summary["n_vendors_threshold"] == 2 and summary["n_vendors"] == 3
    assert summary["top_n_share"] == 1.0
    assert summary["unknown_share"] == pytest.approx(49.50 / 19250)
    assert summary["total_spend"] == D("19250.00")


def test_vendor_pareto_ties_by_vendor_id():
    rows: list[dict] = []
    for vendor in ("B", "A", "C"):
        _entry(rows, vendor, "2026-03", [("6061", "X", "100.00", vendor),
                                         ("401", None, "-100.00", vendor)])
    result = F.vendor_pareto(canonical("gl_lines", rows), None, None, "2026-03")
    assert result["vendor_id"].tolist() == ["A", "B", "C"]
    # 1/3, 2/3, 1: two vendors are not enough for 80 %
    assert result["within_threshold"].tolist() == [True, True, True]


# --------------------------------------------------------------------------- F12 cut-off


def _cutoff_ledger() -> pd.DataFrame:
    rows: list[dict] = []
    # posted after the close of April 2026 (close = 5th working day of May = 11 May)
    _entry(rows, "LATE", "2026-04", [("6132", "A", "500.00", None),
                                     ("401", None, "-500.00", "V")], entry_date="2026-05-12")
    _entry(rows, "ONTIME", "2026-04", [("6132", "A", "70.00", None),
                                       ("401", None, "-70.00", "V")], entry_date="2026-05-11")
    # unbalanced: 100 debit, 90 credit
    _entry(rows, "UNBAL", "2026-04", [("6061", "A", "100.00", None), ("401", None, "-90.00", "V")])
    # accruals booked in March: 408 credit reversed only in part, 486 debit fully reversed
    _entry(rows, "FNP-03", "2026-03", [("6226", "A", "1200.00", None),
                                       ("408", None, "-1200.00", "V9")])
    _entry(rows, "EXT-04", "2026-04", [("408", None, "800.00", "V9"),
                                       ("6226", "A", "-800.00", None)])
    _entry(rows, "CCA-03", "2026-03", [("486", None, "300.00", None),
                                       ("6132", "A", "-300.00", None)])
    _entry(rows, "CCA-04", "2026-04", [("486", None, "-300.00", None),
                                       ("6132", "A", "300.00", None)])
    out = canonical("gl_lines", rows)
    # the 486 lines carry a document reference to match on
    out.loc[out["account"] == "486", "document_ref"] = "ASSUR-2026"
    # a line of April dated in May: posting outside period
    extra = canonical("gl_lines", [
        {"entry_id": "OUT", "line_no": 1, "posting_date": "2026-05-02", "period": "2026-04",
         "account": "6061", "cost_center": "A", "amount": "40.00", "currency": "EUR"},
        {"entry_id": "OUT", "line_no": 2, "posting_date": "2026-05-02", "period": "2026-04",
         "account": "401", "amount": "-40.00", "currency": "EUR", "vendor_id": "V"},
        {"entry_id": "OUT", "line_no": 2, "posting_date": "2026-05-02", "period": "2026-04",
         "account": "401", "amount": "0.00", "currency": "EUR", "vendor_id": "V"},
    ])
    return pd.concat([out, extra], ignore_index=True)


def test_cutoff_exceptions_each_check():
    gl = _cutoff_ledger()
    result = F.cutoff_exceptions(gl, "2026-04")
    rows = zip(result["check"], result["entry_id"], result["amount"], strict=True)
    got = {(c, e): a for c, e, a in rows}
    assert got[("POSTED_AFTER_CLOSE", "LATE")] == D("500.00")
    assert ("POSTED_AFTER_CLOSE", "ONTIME") not in got
    assert got[("UNBALANCED_ENTRY", "UNBAL")] == D("10.00")
    assert got[("POSTING_OUTSIDE_PERIOD", "OUT")] == D("40.00")
    # 1200 booked on 408 for V9 in March, 800 reversed in April → 400 unreversed
    assert got[("ACCRUAL_NOT_REVERSED", "FNP-03")] == D("400.00")
    assert not any(e == "CCA-03" for _, e in got)
    assert result.loc[result["check"] == "POSTED_AFTER_CLOSE", "expected"].iloc[0] == "2026-05-11"
    assert (result["check"] == "DUPLICATE_LINE").sum() == 2


def test_cutoff_exceptions_of_a_cost_center_scope():
    gl = _cutoff_ledger()
    # the late entry moves to cost centre B; the others stay on A
    gl.loc[(gl["entry_id"] == "LATE") & gl["cost_center"].notna(), "cost_center"] = "B"
    only_b = F.cutoff_exceptions(gl, "2026-04", cost_center_filter=["B"])
    assert only_b[["check", "entry_id"]].values.tolist() == [["POSTED_AFTER_CLOSE", "LATE"]]
    only_a = F.cutoff_exceptions(gl, "2026-04", cost_center_filter=["A"])
    assert "LATE" not in set(only_a["entry_id"])
    assert len(only_a) == len(F.cutoff_exceptions(gl, "2026-04")) - 1
    assert F.cutoff_exceptions(gl, "2026-04", cost_center_filter=["UNALLOCATED"]).empty


def test_cutoff_summary_counts_every_check():
    result = F.cutoff_summary(F.cutoff_exceptions(_cutoff_ledger(), "2026-04"))
    got = dict(zip(result["check"], result["count"], strict=True))
    assert got == {"POSTED_AFTER_CLOSE": 1, "POSTING_OUTSIDE_PERIOD": 1, "UNBALANCED_ENTRY": 1,
                   "DUPLICATE_LINE": 2, "ACCRUAL_NOT_REVERSED": 1,
                   "MISSING_INVOICE_ACCRUAL": 0, "POSSIBLE_MISSING_ACCRUAL": 0}


def test_accrual_reversal_rate():
    result = F.accrual_reversal_rate(_cutoff_ledger(), "2026-03").iloc[0]
    # booked 1200 (408) + 300 (486); reversed 800 + 300 → 1100 / 1500
    assert (result["booked"], result["reversed"]) == (D("1500.00"), D("1100.00"))
    assert result["rate"] == pytest.approx(1100 / 1500)


def test_unreversed_accruals_wait_for_the_next_period():
    gl = _cutoff_ledger()
    assert F.unreversed_accruals(gl, "2026-04").empty  # May not loaded yet


def test_reversal_of_an_accrued_credit_note_is_not_a_new_accrual():
    rows: list[dict] = []
    # February: a credit note accrued (debit 408) for V1, reversed in March (credit 408).
    _entry(rows, "CN-ACC", "2026-02", [("6061", "A", "-300.00", None),
                                       ("408", None, "300.00", "V1")])
    _entry(rows, "CN-REV", "2026-03", [("6061", "A", "300.00", None),
                                       ("408", None, "-300.00", "V1")])
    # March: a real accrual for V1, reversed in April by 150 of its 250.
    _entry(rows, "ACC", "2026-03", [("6061", "A", "250.00", None), ("408", None, "-250.00", "V1")],
           day=31)
    _entry(rows, "REV", "2026-04", [("6061", "A", "-150.00", None), ("408", None, "150.00", "V1")],
           day=1)
    got = F.unreversed_accruals(canonical("gl_lines", rows), "2026-03")
    assert got[["entry_id", "vendor_id", "amount"]].to_dict("records") == [
        {"entry_id": "ACC", "vendor_id": "V1", "amount": D("100.00")}]


def test_a_forgotten_accrual_is_named_among_the_vendors_others():
    def accrual(eid, period, day, ref, amount, vendor, sign=1):
        rows.extend({"entry_id": eid, "line_no": i, "posting_date": f"{period}-{day:02d}",
                     "period": period, "account": acc, "amount": f"{sign * a:.2f}",
                     "currency": "EUR", "vendor_id": vendor, "document_ref": ref}
                    for i, (acc, a) in enumerate((("6061", amount), ("408", -amount)), 1))

    rows: list[dict] = []
    # V1: two accruals in March; April reverses FNP-A (same reference), FNP-B is forgotten.
    accrual("ACC-A", "2026-03", 31, "FNP-A", 100, "V1")
    accrual("ACC-B", "2026-03", 31, "FNP-B", 400, "V1")
    accrual("REV-A", "2026-04", 1, "FNP-A", 100, "V1", sign=-1)
    # V2: two accruals; April reverses 50 under no reference: it covers the oldest (C).
    accrual("ACC-C", "2026-03", 30, "FNP-C", 50, "V2")
    accrual("ACC-D", "2026-03", 31, "FNP-D", 70, "V2")
    accrual("REV-X", "2026-04", 1, None, 50, "V2", sign=-1)
    got = F.unreversed_accruals(canonical("gl_lines", rows), "2026-03")
    assert got[["entry_id", "document_ref", "amount"]].to_dict("records") == [
        {"entry_id": "ACC-B", "document_ref": "FNP-B", "amount": D("400.00")},
        {"entry_id": "ACC-D", "document_ref": "FNP-D", "amount": D("70.00")}]
    rate = F.accrual_reversal_rate(canonical("gl_lines", rows), "2026-03").iloc[0]
    assert (rate["booked"], rate["reversed"]) == (D("620.00"), D("150.00"))


def test_missing_invoice_accrual_and_recurring_gap():
    rows: list[dict] = []
    for p in ("2026-01", "2026-02", "2026-03"):
        _entry(rows, f"CLEAN-{p}", p, [("6283", "A", "90.00", None), ("401", None, "-90.00", "W")])
    _entry(rows, "OTHER-04", "2026-04", [("6061", "A", "10.00", None),
                                         ("401", None, "-10.00", "Z")])
    gl = canonical("gl_lines", rows)
    invoices = canonical("supplier_invoices", [
        {"invoice_id": "F1", "vendor_id": "Z", "invoice_date": "2026-04-28",
         "received_date": "2026-05-04", "due_date": "2026-06-30", "amount": "75.00",
         "touchless": False},
        {"invoice_id": "F2", "vendor_id": "Z", "invoice_date": "2026-04-02",
         "received_date": "2026-04-05", "due_date": "2026-06-30", "amount": "10.00",
         "touchless": False},
    ])
    result = F.cutoff_exceptions(gl, "2026-04", supplier_invoices=invoices)
    gap = result[result["check"] == "POSSIBLE_MISSING_ACCRUAL"]
    assert gap["vendor_id"].tolist() == ["W"] and gap["amount"].tolist() == [D("90.00")]
    missing = result[result["check"] == "MISSING_INVOICE_ACCRUAL"]
    assert missing["document_ref"].tolist() == ["F1"]
    assert missing["amount"].tolist() == [D("75.00")]
    # vendor-level exceptions follow the vendor's entries: W's costs move to cost centre B
    gl.loc[gl["entry_id"].str.startswith("CLEAN") & gl["cost_center"].notna(),
           "cost_center"] = "B"
    scoped = F.cutoff_exceptions(gl, "2026-04", supplier_invoices=invoices,
                                 cost_center_filter=["B"])
    assert scoped[["check", "vendor_id"]].values.tolist() == [["POSSIBLE_MISSING_ACCRUAL", "W"]]


# --------------------------------------------------------------------------- reconciliation


def test_reconcile_every_displayed_table_ties(gl, budget, ccs):
    tables = {
        "bva": F.budget_vs_actual(gl, budget, ccs, None, "2026-03"),
        "by_department": F.costs_by(gl, ccs, None, by=["period", "department", "category"]),
        "trend": F.cost_trend(gl, budget, ccs, None, "2026-03", months=24),
    }
    result = F.reconcile(gl, tables, "2026-03")
    assert result["ledger"].tolist() == [D("13060.00")] * 3
    assert result["difference"].tolist() == [D("0.00")] * 3
    assert result["ties"].all()


def test_reconcile_reports_a_gap(gl, budget, ccs):
    bva = F.budget_vs_actual(gl, budget, ccs, None, "2026-03")
    result = F.reconcile(gl, bva[bva["category"] != "unmapped"], "2026-03").iloc[0]
    assert result["difference"] == D("-10.00") and not result["ties"]


def test_reconcile_ytd_and_scope(gl, budget, ccs):
    ytd = F.budget_vs_actual(gl, budget, ccs, None, "2026-03", view="ytd")
    assert F.reconcile(gl, ytd, P.ytd_range("2026-03"))["ties"].all()
    office = F.costs_by(gl, ccs, None, by=["period", "office"], scope="operating")
    result = F.reconcile(gl, office, "2026-03", scope="operating").iloc[0]
    assert result["ledger"] == D("12650.00") and result["ties"]


@settings(max_examples=60)
@given(
    lines=st.lists(
        st.tuples(
            st.sampled_from(["6061", "609", "6132", "6226", "6411", "6611", "6811", "6875",
                             "695", "6A1", "401", "7061", "6"]),
            st.sampled_from(["FIN", "SAL", "PRD", "ZZZ", None]),
            st.integers(min_value=-10**9, max_value=10**9),
            st.sampled_from(["2026-02", "2026-03"]),
            st.sampled_from(["V1", "V2", None]),
        ),
        max_size=30,
    ),
    by=st.lists(st.sampled_from(["period", "category", "sub_category", "cost_center",
                                 "department", "office", "account", "vendor_id"]),
                unique=True, max_size=3),
)
def test_costs_by_any_grouping_sums_to_ledger_class6(lines, by):
    # invariant: Σ costs_by(period, by) = Σ class-6 lines of the period, to the cent
    rows = [{"entry_id": str(i), "line_no": 1, "posting_date": f"{p}-10", "period": p,
             "account": acc, "cost_center": cc, "amount": Decimal(cents) / 100,
             "currency": "EUR", "vendor_id": vendor}
            for i, (acc, cc, cents, p, vendor) in enumerate(lines)]
    gl = canonical("gl_lines", rows)
    ccs = canonical("cost_centers", [
        {"cost_center": "FIN", "name": "F", "department": "Finance", "office": "back"},
        {"cost_center": "SAL", "name": "S", "department": "Sales", "office": "front"},
        {"cost_center": "PRD", "name": "P", "department": "Plant", "office": None}])
    table = F.costs_by(gl, ccs, None, by=by, periods=["2026-03"])
    expected = sum((Decimal(c) / 100 for a, _, c, p, _ in lines
                    if a.startswith("6") and p == "2026-03"), Decimal("0.00"))
    assert sum(table["amount"], Decimal("0.00")) == expected
    assert F.reconcile(gl, table.assign(period="2026-03"), "2026-03")["ties"].all()


# --------------------------------------------------------------------------- headline, commentary


def test_headline(gl, budget, ccs):
    result = F.headline(gl, budget, ccs, None, "2026-03").set_index("kpi")
    assert result.loc["total_cost", "value"] == D("12750.00")          # 60–68
    assert result.loc["budget", "value"] == D("8200.01")               # no 69 budget
    assert result.loc["budget_variance", "value"] == D("4549.99")
    assert result.loc["budget_variance_pct", "value"] == pytest.approx(4549.99 / 8200.01)
    # March 2025 total cost: 1000 + 5000 = 6000 → +112.5 %
    assert result.loc["yoy_pct", "value"] == pytest.approx(1.125)
    assert result.loc["bo_share", "value"] == pytest.approx(9950 / 12650)
    assert result.loc["bo_share_r12", "value"] == pytest.approx(54950 / 79650)
    assert result.loc["bo_share", "unit"] == "fraction"
    assert result.loc["bo_share", "label"] == "part des coûts back office"


def test_commentary_facts_pick_largest_material_variance(gl, budget, ccs):
    facts = F.commentary_facts(gl, budget, ccs, None, "2026-03", abs_threshold=1000)
    # external services +4049.50 on 3000; IT contributes +4000 (6000 vs 2000)
    assert facts["category"] == "external_services"
    assert facts["var"] == D("4049.50") and facts["var_pct"] == pytest.approx(4049.50 / 3000)
    assert (facts["driver"], facts["driver_var"]) == ("IT", D("4000.00"))


def test_commentary_facts_without_material_variance(gl, budget, ccs):
    facts = F.commentary_facts(gl, budget, ccs, None, "2026-03")  # €5 000 threshold
    assert facts["category"] is None
    assert F.commentary(facts, "en") == "No material budget variance in March 2026."
    assert F.commentary(facts, "fr") == "Aucun écart budgétaire significatif en mars 2026."


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Personnel costs are 4.2% over budget, mostly IT (+€38k)."),
    ("fr", "Les charges de personnel sont 4,2\u00a0% au-dessus du budget, "
           "principalement IT (+38\u00a0k\u00a0€)."),
], ids=["en", "fr"])
def test_commentary_sentence(lang, expected):
    facts = {"period": "2026-03", "category": "personnel", "var": D("42000.00"),
             "var_pct": 0.042, "reason": None, "driver": "IT", "driver_var": D("38000.00")}
    assert F.commentary(facts, lang) == expected


def test_commentary_under_budget_and_unbudgeted():
    under = {"period": "2026-03", "category": "purchases", "var": D("-12000"), "var_pct": -0.25,
             "reason": None, "driver": "UNALLOCATED", "driver_var": D("-12000")}
    assert F.commentary(under, "en") == \
        "Purchases are 25.0% under budget, mostly unallocated (-€12k)."
    unbudgeted = {**under, "var": D("5000"), "var_pct": None, "reason": "UNBUDGETED",
                  "driver": None, "driver_var": None}
    assert F.commentary(unbudgeted, "en") == "Purchases are unbudgeted (+€5k)."


def test_headline_without_budget(gl, ccs):
    result = F.headline(gl, None, ccs, None, "2026-03").set_index("kpi")
    assert result.loc["total_cost", "value"] == D("12750.00")
    assert result.loc["budget", "value"] is None
    assert result.loc["budget_variance", "value"] is None


def test_costs_by_unknown_column_is_a_parameter_error(gl):
    with pytest.raises(ParameterError, match="colour"):
        F.costs_by(gl, by=["colour"])


# --------------------------------------------------------------------------- fiscal year


def test_cost_trend_phases_annual_budget_on_the_fiscal_year(gl, budget, ccs):
    # The PRD annual row "2026" covers April 2026 to March 2027 when the year starts in
    # April: March 2026 keeps only its monthly rows (8 200.01 − 400.01), January none.
    result = F.cost_trend(gl, budget, ccs, None, "2026-03", months=3,
                          fiscal_year_start=4).set_index("period")
    assert result.loc["2026-03", "budget"] == D("7800.00")
    assert pd.isna(result.loc["2026-01", "budget"])


def test_top_movers_phase_annual_budget_on_the_fiscal_year(gl, budget, ccs):
    # PRD depreciation 400.00 vs 400.01 in a calendar year (−0.01, not material); with a
    # year starting in April, March 2026 has no PRD budget: 400.00 unbudgeted.
    calendar = F.top_movers(gl, ccs, None, "2026-03", budget=budget, abs_threshold=300)
    april = F.top_movers(gl, ccs, None, "2026-03", budget=budget, abs_threshold=300,
                         fiscal_year_start=4)
    assert "PRD" not in set(calendar["cost_center"])
    row = april.set_index("cost_center").loc["PRD"]
    assert (row["base"], row["delta"], row["reason"]) == (D("0.00"), D("400.00"), "UNBUDGETED")


def test_headline_phases_annual_budget_on_the_fiscal_year(gl, budget, ccs):
    result = F.headline(gl, budget, ccs, None, "2026-03", fiscal_year_start=4).set_index("kpi")
    assert result.loc["budget", "value"] == D("7800.00")
    assert result.loc["budget_variance", "value"] == D("4950.00")      # 12 750 − 7 800
