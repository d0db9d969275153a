"""The headcount report's sections (backoffice_lib.analyses.headcount) on a small hand-made
company whose figures are worked out below. Closing month 2026-03 (31 days, 22 working
days, no public holiday), k = 5.

People (all CDI, full time, unless said):
- Finance (FIN): F1–F5 hired 2020-01-01; F6 hired 2020-01-01, left 2026-03-31
  (voluntary); F7 hired 2026-03-16.
- IT: I1–I6 hired 2015-06-01; C1 (CDD) hired 2025-10-01, left 2026-02-28 (other);
  T1, an intern (Stage) since 2026-01-01: out of every figure.
- Direction (DG): D1, D2 hired 2024-01-01: too few to be shown.
- Sales (SAL): S1–S8 hired 2025-06-01; S6–S8 left 2025-12-31 (involuntary).

So at the end of March 2026: 19 people (FIN 6, IT 6, DG 2, SAL 5), as at the end of
February; FTE of March 19 + 16/31 (F7 from the 16th). Leavers: 3 in December (avg
headcount 23), 1 in February (avg 20), 1 in March (avg 19 + 16/31): R12 turnover
3/23 + 1/20 + 31/605. Bridge over 12 months: 14 + 10 hires − 5 leavers = 19.

Absences: F1 sick 2–6 March (5 working days, counted), I1 on paid leave 9–13 March (not
counted); planned days of March = 19 × 22 + 12 (F7) = 430.

Payroll, January to March 2026: 3 000.00 gross and 1 350.00 charges per person and
month (F7 half in March), the intern 600.00 gross; the ledger books the same totals on
641 and 645 except February's gross pay, 100.00 short.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from backoffice_lib import hr
from backoffice_lib.analyses import headcount
from backoffice_lib.errors import ParameterError
from backoffice_lib.i18n import use_language
from backoffice_lib.report.display import table_bundle
from backoffice_lib.tables import TABLES

PERIOD = "2026-03"


def canonical(table: str, rows: list[dict]) -> pd.DataFrame:
    return TABLES[table].frame(rows)


def _person(eid: str, cc: str, hired: str, left: str | None = None, reason: str | None = None,
            contract: str = "CDI") -> dict:
    return {"employee_id": eid, "name": f"Person {eid}", "gender": "F", "hire_date": hired,
            "exit_date": left, "exit_reason": reason, "cost_center": cc, "fte": 1.0,
            "contract_type": contract}


def _employees() -> pd.DataFrame:
    rows = [_person(f"F{i}", "FIN", "2020-01-01") for i in range(1, 6)]
    rows += [_person("F6", "FIN", "2020-01-01", "2026-03-31", "voluntary"),
             _person("F7", "FIN", "2026-03-16")]
    rows += [_person(f"I{i}", "IT", "2015-06-01") for i in range(1, 7)]
    rows += [_person("C1", "IT", "2025-10-01", "2026-02-28", "other", "CDD"),
             _person("T1", "IT", "2026-01-01", contract="Stage")]
    rows += [_person(f"D{i}", "DG", "2024-01-01") for i in (1, 2)]
    rows += [_person(f"S{i}", "SAL", "2025-06-01") for i in range(1, 6)]
    rows += [_person(f"S{i}", "SAL", "2025-06-01", "2025-12-31", "involuntary")
             for i in range(6, 9)]
    return canonical("employees", rows)


def _active(month: str) -> list[str]:
    """Employees paid in ``month`` (January to March 2026), the intern included."""
    people = [f"F{i}" for i in range(1, 7)] + [f"I{i}" for i in range(1, 7)]
    people += ["D1", "D2", "S1", "S2", "S3", "S4", "S5", "T1"]
    if month in ("2026-01", "2026-02"):
        people.append("C1")
    if month == "2026-03":
        people.append("F7")
    return people


def _payroll() -> pd.DataFrame:
    rows = []
    for month in ("2026-01", "2026-02", "2026-03"):
        for eid in _active(month):
            gross, charges = ("600.00", "0.00") if eid == "T1" else \
                ("1500.00", "675.00") if eid == "F7" else ("3000.00", "1350.00")
            rows.append({"period": month, "employee_id": eid, "gross_salary": gross,
                         "employer_charges": charges})
    return canonical("payroll", rows)


#: Payroll totals by month (gross, charges), from the rows above.
TOTALS = {"2026-01": ("60600.00", "27000.00"), "2026-02": ("60600.00", "27000.00"),
          "2026-03": ("59100.00", "26325.00")}


def _ledger() -> pd.DataFrame:
    rows = []
    for month, (gross, charges) in TOTALS.items():
        booked = str(Decimal(gross) - 100) if month == "2026-02" else gross
        total = str(-(Decimal(booked) + Decimal(charges)))
        for i, (account, amount) in enumerate((("6411", booked), ("6451", charges),
                                               ("421", total)), 1):
            rows.append({"entry_id": f"PAY-{month}", "line_no": i,
                         "posting_date": f"{month}-28", "period": month, "account": account,
                         "amount": amount, "currency": "EUR"})
    return canonical("gl_lines", rows)


def _absences() -> pd.DataFrame:
    return canonical("absences", [
        {"employee_id": "F1", "start_date": "2026-03-02", "end_date": "2026-03-06",
         "type": "Maladie", "days": 5.0},
        {"employee_id": "I1", "start_date": "2026-03-09", "end_date": "2026-03-13",
         "type": "Congés payés", "days": 5.0},
    ])


def _tables() -> dict[str, pd.DataFrame]:
    centres = canonical("cost_centers", [
        {"cost_center": "FIN", "name": "Comptabilité", "department": "Finance", "office": "back"},
        {"cost_center": "IT", "name": "Informatique", "department": "IT", "office": "back"},
        {"cost_center": "DG", "name": "Direction", "department": "Direction", "office": "back"},
        {"cost_center": "SAL", "name": "Ventes", "department": "Sales", "office": "front"},
    ])
    return {"employees": _employees(), "cost_centers": centres, "payroll": _payroll(),
            "absences": _absences(), "gl_lines": _ledger()}


@pytest.fixture(scope="module")
def data() -> headcount.HeadcountInputs:
    return headcount.from_tables(_tables(), PERIOD)


@pytest.fixture(scope="module")
def top(data) -> dict:
    return headcount.headline(data)


# --------------------------------------------------------------------------- inputs


def test_from_tables_needs_employees():
    with use_language("en"), pytest.raises(ParameterError, match="needs the \"employees\""):
        headcount.from_tables({"payroll": _payroll()}, PERIOD)


def test_unknown_cost_center_in_the_filter_names_the_closest():
    with use_language("en"), pytest.raises(ParameterError, match="FNI.*did you mean \"FIN\""):
        headcount.from_tables(_tables(), PERIOD, cost_center_filter=["FNI"])


def test_privacy_threshold_cannot_go_below_five():
    with pytest.raises(ParameterError):
        headcount.from_tables(_tables(), PERIOD, min_group_size=3)


# --------------------------------------------------------------------------- headline


def test_headline_figures(top):
    assert top["headcount"] == 19 and top["headcount_previous"] == 19
    assert top["fte"] == pytest.approx(19 + 16 / 31)
    assert top["n_people"] == 20  # F6 worked in March
    assert top["turnover_r12"] == pytest.approx(3 / 23 + 1 / 20 + 31 / 605)
    assert top["turnover_ytd"] == pytest.approx((0 + 1 / 20 + 31 / 605) * 12 / 3)
    assert top["absence_rate"] == pytest.approx(5 / 430)
    assert top["suppressed"] is False


def test_headline_cost_per_fte_ties_to_the_hr_function(data, top):
    direct = hr.payroll_cost_per_fte(data.payroll, data.employees,
                                     [f"2025-{m:02d}" for m in range(4, 13)]
                                     + ["2026-01", "2026-02", "2026-03"],
                                     cost_centers=data.cost_centers)
    assert top["cost_per_fte"] == direct["cost_per_fte"].iloc[0]
    # 87 000 + 87 000 + 84 825 for the counted people; the intern's pay is not in it
    assert direct["total_cost"].iloc[0] == Decimal("258825.00")
    assert top["charge_ratio"] == pytest.approx(80325 / 178500)  # 1 350 / 3 000 = 0.45


def test_headline_tiles(data, top):
    with use_language("en"):
        tiles = {tile.key: tile for tile in headcount.headline_tiles(top, data)}
    assert list(tiles) == ["headcount", "fte", "turnover_r12", "absence_rate",
                           "payroll_cost_per_fte"]
    assert tiles["headcount"].value == 19 and tiles["headcount"].delta == 0
    assert tiles["absence_rate"].delta == pytest.approx(top["absence_rate"]
                                                        - top["absence_rate_r12"])


def test_a_scope_of_fewer_than_k_people_shows_nothing():
    small = headcount.from_tables(_tables(), PERIOD, cost_center_filter=["DG"])
    top = headcount.headline(small)
    assert top["suppressed"] is True
    assert top["headcount"] is None and top["fte"] is None and top["cost_per_fte"] is None
    bridge = headcount.bridge(small)
    with use_language("en"):
        text = headcount.summary_sentence(top, bridge, small)
    assert text == "Fewer than 5 people in the chosen scope: the figures are not shown."


# --------------------------------------------------------------------------- bridge


def test_bridge_balances_and_hides_small_counts(data):
    bridge = headcount.bridge(data).set_index("window")
    assert bridge["opening"].tolist() == [19, 20, 14]
    assert bridge["closing"].tolist() == [19, 19, 19]
    assert bridge["residual"].tolist() == [0, 0, 0]
    # the month (1 hire, 1 leaver) and the YTD (1, 2): hidden together
    assert bridge.loc[["month", "ytd"], ["hires", "leavers"]].isna().all().all()
    # 12 months: 10 hires, 5 leavers shown; their split (1 / 3 / 1) hidden as a whole
    assert bridge.loc["r12", "hires"] == 10 and bridge.loc["r12", "leavers"] == 5
    assert bridge.loc["r12", list(headcount.kpis.LEAVER_SPLIT)].isna().all()


def test_bridge_table_marks_hidden_cells_and_drops_a_zero_residual(data):
    with use_language("fr"):
        spec = headcount.bridge_table(headcount.bridge(data), data)
    assert "residual" not in spec["df"].columns
    assert spec["df"]["window"].tolist() == ["mars 2026", "Exercice, janv. 2026 – mars 2026",
                                             "12 mois, avr. 2025 – mars 2026"]
    hidden = spec["suppressed"]
    assert hidden["hires"].tolist() == [True, True, False]
    assert hidden["opening"].tolist() == [False, False, False]


def test_summary_sentence_says_fewer_than_k_for_hidden_counts(data, top):
    with use_language("fr"):
        text = headcount.summary_sentence(top, headcount.bridge(data), data)
    assert text.startswith("Fin mars 2026, l'effectif est de 19 personnes (19,5 ETP) : "
                           "moins de 5 entrée(s) et moins de 5 sortie(s) sur le mois.")


# --------------------------------------------------------------------------- departments


def test_departments_hide_direction_and_a_partner(data, top):
    table = headcount.departments(data, top=top).set_index("department")
    assert table.index.tolist() == ["Direction", "Finance", "IT", "Sales", "TOTAL"]
    assert table["suppressed"].tolist() == [True, False, False, True, False]
    assert table.loc["Finance", "headcount"] == 6 and table.loc["IT", "headcount"] == 6
    assert table.loc["TOTAL", "headcount"] == 19
    assert table.loc["Finance", "turnover_r12"] == pytest.approx(31 / 202)
    assert table.loc["IT", "turnover_r12"] == pytest.approx(1 / 7)
    hidden = table.loc[["Direction", "Sales"], ["headcount", "fte", "cost_per_fte"]]
    assert hidden.isna().all().all()


def test_no_personal_data_in_any_table(data, top):
    specs = [headcount.departments_table(headcount.departments(data, top=top), data),
             headcount.bridge_table(headcount.bridge(data), data),
             headcount.tenure_table(headcount.tenure(data), data),
             headcount.absence_types_table(headcount.absence_types(data), data),
             headcount.turnover_table(headcount.turnover_trend(data), data)]
    for spec in specs:
        html = table_bundle(**spec)["text/html"]
        assert "Person " not in html and "F1" not in html, spec["name"]


# --------------------------------------------------------------------------- tenure, absences


def test_tenure_bands_hide_the_small_band_and_its_partner(data):
    bands = headcount.tenure(data).set_index("band")
    assert bands.index.tolist() == ["lt1", "1-2", "2-5", "5-10", "ge10"]
    assert bands.loc["lt1", "headcount"] == 6 and bands.loc["ge10", "headcount"] == 6
    assert bands.loc["1-2", "headcount"] == 0  # nobody: shown
    assert bands["suppressed"].tolist() == [False, False, True, True, False]
    assert bands.loc["lt1", "share"] == pytest.approx(6 / 19)


def test_absence_types_of_one_person_are_hidden(data):
    types = headcount.absence_types(data)
    assert types["type"].tolist() == ["Maladie", "Congés payés"]  # in scope first
    assert types["in_scope"].tolist() == [True, False]
    assert types["suppressed"].all() and types["absence_days"].isna().all()


def test_absence_trend_month(data):
    trend = headcount.absence_trend(data, months=1)
    assert trend["planned_days"].tolist() == [430.0]
    assert trend["absence_days"].tolist() == [5.0]


# --------------------------------------------------------------------------- payroll


def test_payroll_reconciliation_finds_february(data):
    recon = headcount.payroll_reconciliation(data)
    assert recon["period"].tolist() == ["2026-01", "2026-02", "2026-03"]
    assert recon["ties"].tolist() == [True, False, True]
    assert recon["gross_difference"].tolist() == [Decimal("0.00"), Decimal("100.00"),
                                                  Decimal("0.00")]
    assert recon["payroll_gross"].tolist() == [Decimal(g) for g, _ in TOTALS.values()]
    with use_language("en"):
        text = headcount.payroll_sentence(recon, data)
    assert text == ("Payroll does not tie to the ledger in 1 month(s) of the fiscal year "
                    "(largest gap in February 2026).")


def test_without_payroll_or_absences_the_sections_say_so():
    tables = {k: v for k, v in _tables().items() if k in ("employees", "cost_centers")}
    data = headcount.from_tables(tables, PERIOD)
    top = headcount.headline(data)
    assert top["cost_per_fte"] is None and top["absence_rate"] is None
    assert headcount.absence_trend(data).empty and headcount.payroll_reconciliation(data).empty
    with use_language("en"):
        tiles = {tile.key: tile for tile in headcount.headline_tiles(top, data)}
        assert tiles["payroll_cost_per_fte"].footnote == "No payroll table in the data."
        spec = headcount.departments_table(headcount.departments(data, top=top), data)
    assert "cost_per_fte" not in spec["df"].columns
    assert "absence_rate_r12" not in spec["df"].columns
