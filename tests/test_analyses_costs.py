"""The cost report's sections (backoffice_lib.analyses.costs, GitHub issue 5) on a small
hand-made company whose figures are worked out below.

Cost centres: FIN (Finance, back office, 5 people), IT (IT, back, 6), SAL (Sales, front, 5)
and DG (Direction, back, 2 people: too few to show their pay). Every month from 2025-01
to 2026-03: rent 6132 FIN 1 000.00 (vendor V1 on the 401 line) and payroll 6411 FIN
5 000, IT 6 000, SAL 5 000, DG 4 000. In 2026-03 also: a bonus 6411 DG 8 000 and fees
6226 IT 6 000 (vendor V2). Budget 2026-03: FIN external services 1 000 and personnel
5 000, IT personnel 6 000 and external services 2 000, SAL personnel 5 000, DG personnel
4 000.

So in 2026-03: actual 35 000 (external services 7 000, personnel 28 000), budget 23 000,
variance +12 000 (+52.2 %), personnel +8 000 (+40 %), all of it DG's bonus; March 2025
cost 21 000 (+66.7 % on a year); back office 30 000 of 35 000 operating cost.
Over the 12 months to 2026-03: Finance 72 000 for 5 FTE, IT 78 000 for 6, Sales
60 000 for 5, Direction 56 000 for 2, company 266 000 for 18 FTE.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from backoffice_lib import periods as P
from backoffice_lib.analyses import costs
from backoffice_lib.errors import ParameterError
from backoffice_lib.i18n import use_language
from backoffice_lib.params import load_params
from backoffice_lib.report.display import table_bundle
from backoffice_lib.tables import TABLES

TESTS_DATA = Path(__file__).resolve().parent / "data"
PERIOD = "2026-03"
NBSP, NNBSP = "\u00a0", "\u202f"

# --------------------------------------------------------------------------- fixtures


def canonical(table: str, rows: list[dict]) -> pd.DataFrame:
    """A canonical table (spec columns and dtypes) from row dicts."""
    return TABLES[table].frame(rows)


def _entry(rows: list[dict], eid: str, period: str, lines: list[tuple]) -> None:
    for i, (account, cc, amount, vendor) in enumerate(lines, 1):
        rows.append({"entry_id": eid, "line_no": i, "posting_date": f"{period}-15",
                     "period": period, "account": account, "cost_center": cc,
                     "amount": amount, "currency": "EUR", "vendor_id": vendor})


def _ledger() -> pd.DataFrame:
    rows: list[dict] = []
    for p in P.period_range("2025-01", PERIOD):
        _entry(rows, f"RENT-{p}", p, [("6132", "FIN", "1000.00", None),
                                      ("401", None, "-1000.00", "V1")])
        _entry(rows, f"PAY-{p}", p, [("6411", "FIN", "5000.00", None),
                                     ("6411", "IT", "6000.00", None),
                                     ("6411", "SAL", "5000.00", None),
                                     ("6411", "DG", "4000.00", None),
                                     ("421", None, "-20000.00", None)])
    _entry(rows, "BONUS", PERIOD, [("6411", "DG", "8000.00", None),
                                   ("421", None, "-8000.00", None)])
    _entry(rows, "FEES", PERIOD, [("6226", "IT", "6000.00", None), ("401", None, "-6000.00", "V2")])
    return canonical("gl_lines", rows)


def _people() -> pd.DataFrame:
    rows, n = [], 0
    for cc, count in (("FIN", 5), ("IT", 6), ("SAL", 5), ("DG", 2)):
        for _ in range(count):
            n += 1
            rows.append({"employee_id": f"{n:05d}", "hire_date": "2020-01-01", "cost_center": cc,
                         "fte": 1.0, "contract_type": "CDI"})
    return canonical("employees", rows)


def _tables() -> dict[str, pd.DataFrame]:
    centres = canonical("cost_centers", [
        {"cost_center": "FIN", "name": "Comptabilité", "department": "Finance", "office": "back"},
        {"cost_center": "IT", "name": "Informatique", "department": "IT", "office": "back"},
        {"cost_center": "SAL", "name": "Ventes", "department": "Sales", "office": "front"},
        {"cost_center": "DG", "name": "Direction", "department": "Direction", "office": "back"},
    ])
    budget = canonical("budget", [
        {"period": PERIOD, "cost_center": cc, "category": cat, "amount": amount}
        for cc, cat, amount in (("FIN", "external_services", "1000"), ("FIN", "personnel", "5000"),
                                ("IT", "personnel", "6000"), ("IT", "external_services", "2000"),
                                ("SAL", "personnel", "5000"), ("DG", "personnel", "4000"))])
    return {"gl_lines": _ledger(), "budget": budget, "cost_centers": centres,
            "employees": _people()}


@pytest.fixture(scope="module")
def data() -> costs.CostInputs:
    """The company above, every cost centre, default thresholds (€5 000 and 10 %)."""
    return costs.from_tables(_tables(), PERIOD)


def D(text: str) -> Decimal:
    return Decimal(text)


# --------------------------------------------------------------------------- inputs


def test_from_tables_needs_the_report_tables():
    tables = _tables()
    del tables["employees"]
    with use_language("en"), pytest.raises(ParameterError, match='needs the table "employees"'):
        costs.from_tables(tables, PERIOD)


def test_from_tables_refuses_an_unknown_cost_centre_with_the_closest_one():
    with use_language("en"), pytest.raises(ParameterError,
                                           match=r'unknown cost centre "ITT".*did you mean "IT"'):
        costs.from_tables(_tables(), PERIOD, cost_center_filter=["FIN", "ITT"])


def test_from_tables_refuses_another_currency_and_a_small_privacy_threshold():
    with use_language("en"), pytest.raises(ParameterError, match='"USD" is not supported'):
        costs.from_tables(_tables(), PERIOD, currency="USD")
    with pytest.raises(ParameterError):
        costs.from_tables(_tables(), PERIOD, min_group_size=3)


def test_from_tables_options():
    result = costs.from_tables(_tables(), PERIOD, cost_center_filter=["IT", "IT", "FIN"],
                               materiality_abs=2500.5, top_movers=3)
    assert result.cost_center_filter == ("IT", "FIN")
    assert result.filter == {"cost_center_filter": ["IT", "FIN"]}
    assert (result.materiality_abs, result.top_movers) == (D("2500.5"), 3)
    assert costs.from_tables(_tables(), PERIOD).filter == {"cost_center_filter": None}


def test_load_inputs_names_the_missing_table(tmp_path):
    params = tmp_path / "close.yaml"
    params.write_text(textwrap.dedent(f"""\
        company: X
        period: "2026-10"
        inputs: {{cost_centers: {TESTS_DATA / "close" / "centres.csv"}}}
        notebooks_dir: {TESTS_DATA / "notebooks"}
        notebooks: [plain]
        """), encoding="utf-8")
    with use_language("en"), pytest.raises(ParameterError, match='needs the table "gl_lines"'):
        costs.load_inputs(load_params(params))


# --------------------------------------------------------------------------- headline


def test_headline_tiles(data):
    with use_language("fr"):
        tiles = costs.headline_tiles(costs.headline(data), data)
    result = {tile.key: tile for tile in tiles}
    assert list(result) == ["total_cost", "budget_variance", "yoy_pct", "bo_share"]
    assert (result["total_cost"].label, result["total_cost"].value) == (
        "Coût total du mois", D("35000.00"))
    variance = result["budget_variance"]
    assert (variance.value, variance.favourable) == (D("12000.00"), False)
    assert variance.delta == pytest.approx(12000 / 23000)
    assert variance.delta_label == f"sur un budget de 23{NNBSP}000{NBSP}€"
    assert result["yoy_pct"].value == pytest.approx(35000 / 21000 - 1)
    assert result["yoy_pct"].footnote == "par rapport à mars 2025"
    share = result["bo_share"]
    assert share.value == pytest.approx(30000 / 35000)
    assert share.delta == pytest.approx(30000 / 35000 - 206000 / 266000)


def test_headline_tiles_in_english(data):
    with use_language("en"):
        tiles = costs.headline_tiles(costs.headline(data), data)
    assert [tile.label for tile in tiles] == [
        "Total cost of the month", "Budget variance", "Change on last year",
        "Back-office cost share"]


def test_cost_centre_filter_applies_to_every_figure():
    it_only = costs.from_tables(_tables(), PERIOD, cost_center_filter=["IT"])
    headline = costs.headline(it_only).set_index("kpi")["value"]
    assert headline["total_cost"] == D("12000.00")              # payroll 6 000 + fees 6 000
    assert headline["budget"] == D("8000.00")
    recon = costs.reconcile(it_only, headline=costs.headline(it_only),
                            bva=costs.budget_vs_actual(it_only), trend=costs.trend(it_only),
                            offices=costs.offices(it_only))
    assert recon["ledger"].tolist() == [D("12000.00")] * 4
    assert recon["ties"].all()


def test_figures_shared_by_sections_are_computed_once_and_handed_out_as_copies():
    d = costs.from_tables(_tables(), PERIOD)
    first = costs.budget_vs_actual(d)
    first["actual"] = None                                       # a caller changing its copy
    assert costs.budget_vs_actual(d)["actual"].notna().all()
    fresh = costs.from_tables(_tables(), PERIOD)
    pd.testing.assert_frame_equal(costs.headline(d), costs.headline(fresh))
    pd.testing.assert_frame_equal(costs.offices(d), costs.offices(fresh))
    assert costs.commentary(d) == costs.commentary(fresh)
    assert set(vars(d)["_once"]) == {("budget_vs_actual", "category"), ("offices", 24)}


# --------------------------------------------------------------------------- budget, trend


def test_budget_table_labels_flags_and_notes(data):
    with use_language("fr"):
        spec = costs.budget_table(costs.budget_vs_actual(data), data)
    df = spec["df"]
    assert df["category"].tolist() == ["Services extérieurs", "Charges de personnel"]
    assert df["var"].tolist() == [D("4000.00"), D("8000.00")]
    assert df["flag"].tolist() == ["D", "D"]
    assert (spec["name"], spec["title"]) == ("Budget et réel",
                                             "Réel et budget par catégorie, mars 2026")
    assert spec["headers"]["var_pct"] == "Écart (%)"
    assert spec["total_row"] is True


def test_trend_table_latest_month_first(data):
    spec = costs.trend_table(costs.trend(data, months=3))
    df = spec["df"]
    assert df["period"].tolist() == ["2026-03", "2026-02", "2026-01"]
    assert df["actual"].tolist() == [D("35000.00"), D("21000.00"), D("21000.00")]
    assert df["budget"].iloc[0] == D("23000.00")
    assert df["mom"].iloc[0] == D("14000.00")


def test_waterfall_and_trend_charts_speak_the_language(data):
    with use_language("en"):
        waterfall = costs.waterfall_chart(costs.budget_vs_actual(data), data)
        trend = costs.trend_chart(costs.trend(data, months=6))
    ax = waterfall.axes[0]
    assert ax.get_title(loc="left") == "From budget to actual by category, March 2026"
    assert [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()] == [
        "Budget", "External services", "Personnel costs", "Actual"]
    assert ax.get_ylabel() == "Cost"
    assert trend.axes[0].get_title(loc="left") == (
        "Costs (class 6) and budget by month, Oct 2025 – Mar 2026")


# --------------------------------------------------------------------------- offices, FTE


def test_offices_split_month_and_12_months(data):
    split = costs.offices_split(costs.offices(data)).set_index("office")
    assert split.index.tolist() == ["back", "front", "other"]
    assert split.loc["back", "month_cost"] == D("30000.00")
    assert split.loc["back", "month_share"] == pytest.approx(30000 / 35000)
    assert split.loc["back", "r12_cost"] == D("206000.00")
    assert split.loc["front", "r12_cost"] == D("60000.00")
    assert split.loc["other", "r12_share"] == 0.0


def test_cost_per_fte_hides_departments_of_fewer_than_five(data):
    # Direction (2 people) is hidden, and Finance with it (the smallest other group):
    # otherwise Direction would be the company total minus the departments shown.
    table = costs.cost_per_fte(data).set_index("department")
    assert table.loc["IT", "cost_per_fte_annual"] == pytest.approx(13000)
    assert table.loc["Sales", "cost_per_fte_annual"] == pytest.approx(12000)
    assert table.loc["TOTAL", "cost"] == D("266000.00")
    assert table.loc["TOTAL", "cost_per_fte_annual"] == pytest.approx(266000 / 18)
    assert table["suppression"].fillna("").tolist() == ["primary", "secondary", "", "", ""]
    assert table.loc[["Direction", "Finance"], ["cost", "avg_fte", "n_people"]].isna().all(
        axis=None)


def test_cost_per_fte_table_and_chart_show_no_small_department(data):
    per_fte = costs.cost_per_fte(data)
    with use_language("fr"):
        spec = costs.cost_per_fte_table(per_fte, data)
        fig = costs.cost_per_fte_chart(per_fte, data)
    bundle = table_bundle(**spec)
    html = bundle["text/html"]
    for department in ("Direction", "Finance"):
        row = html.split(f">{department}<")[1].split("</tr>")[0]
        assert row.count("&lt; 5") == 4, row
    assert "56" not in html and "72" not in html
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["IT", "Sales", "Ensemble de l'entreprise"]


# --------------------------------------------------------------------------- movers


def test_top_movers_blank_the_pay_of_a_small_cost_centre(data):
    movers = costs.top_movers(data)
    assert movers[["cost_center", "category", "suppressed"]].values.tolist() == [
        ["DG", "personnel", True]]
    assert movers[["actual", "base", "delta", "delta_pct", "flag"]].isna().all(axis=None)
    assert costs.small_groups(data) == {"DG", "UNALLOCATED", "UNKNOWN"}


def test_movers_table_never_exports_hidden_amounts(data):
    with use_language("en"):
        spec = costs.movers_table(costs.top_movers(data), data)
    bundle = table_bundle(**spec)
    table = bundle["application/vnd.backoffice.table+json"]
    assert table["data"] == [[1, "DG", "Direction", "Personnel costs", None, None, None, None,
                              None, "6411"]]
    assert [table["columns"][j]["name"] for _, j in table["suppressed"]] == [
        "actual", "budget", "var", "var_pct", "flag"]
    assert "8,000" not in bundle["text/html"] and "12,000" not in bundle["text/html"]
    assert spec["footnotes"] == ["Material move: at least €5,000 and 10% away from the month's "
                                 "budget, by cost centre and category; ranked by absolute "
                                 "variance."]


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Personnel costs are 40.0% over budget (+€8k)."),
    ("fr", f"Les charges de personnel sont 40,0{NBSP}% au-dessus du budget (+8{NBSP}k{NBSP}€)."),
], ids=["en", "fr"])
def test_commentary_does_not_name_a_small_department(data, lang, expected):
    with use_language(lang):
        assert costs.commentary(data) == expected


def test_commentary_names_a_large_department():
    # With a €3 000 threshold the IT fees (+4 000 on 2 000) are material too, but the
    # personnel variance (+8 000) is larger; with the filter FIN+IT only IT's fees move.
    data = costs.from_tables(_tables(), PERIOD, cost_center_filter=["FIN", "IT"],
                             materiality_abs=3000)
    with use_language("en"):
        assert costs.commentary(data) == (
            "External services are 133.3% over budget, mostly IT (+€4k).")


# --------------------------------------------------------------------------- vendors, cut-off


def test_vendors_sentence_and_table(data):
    pareto = costs.vendor_pareto(data)
    with use_language("en"):
        assert costs.vendors_sentence(pareto) == (
            "2 vendors out of 2 make up 80% of spend on accounts 60 to 62 over 12 months; "
            "the top 10 make up 100.0%.")
        spec = costs.vendors_table(pareto, data)
    assert spec["df"][["vendor_id", "spend"]].values.tolist() == [["V1", D("12000.00")],
                                                                  ["V2", D("6000.00")]]


def test_cutoff_without_exceptions(data):
    exceptions = costs.cutoff_exceptions(data)
    with use_language("fr"):
        sentence = costs.cutoff_sentence(exceptions, data)
    assert sentence == "Aucune exception de cut-off en mars 2026."
    with use_language("fr"):
        summary = costs.cutoff_summary_table(exceptions, data)["df"]
    assert summary["count"].sum() == 0
    assert summary["check"].iloc[0] == "écriture saisie après la date de clôture"


def test_cutoff_table_writes_expected_values_in_words():
    exceptions = pd.DataFrame({
        "check": ["ACCRUAL_NOT_REVERSED", "POSTED_AFTER_CLOSE", "MISSING_INVOICE_ACCRUAL",
                  "UNBALANCED_ENTRY"],
        "period": ["2026-09"] * 4, "entry_id": ["E1", "E2", None, "E4"],
        "account": [None] * 4, "vendor_id": [None] * 4, "document_ref": [None] * 4,
        "posting_date": pd.to_datetime(["2026-09-01"] * 4), "amount": [D("1.00")] * 4,
        "expected": ["2026-10", "2026-10-07", "408", "0.00"]})
    with use_language("fr"):
        df = costs.cutoff_table(exceptions)["df"]
    assert df["expected"].tolist() == ["octobre 2026", "07/10/2026", "408", f"0,00{NBSP}€"]


# --------------------------------------------------------------------------- reconciliation


def test_reconciliation_ties_every_table_to_the_cent(data):
    with use_language("en"):
        recon = costs.reconcile(data, headline=costs.headline(data),
                                bva=costs.budget_vs_actual(data), trend=costs.trend(data),
                                offices=costs.offices(data))
        sentence = costs.reconciliation_sentence(recon)
        spec = costs.reconciliation_table(recon, data)
    assert recon["table"].tolist() == ['"Total cost of the month" tile', "Actual by category",
                                       "Costs of the month (trend)", "Operating cost by function"]
    assert recon["ledger"].tolist() == [D("35000.00")] * 4
    assert recon["difference"].tolist() == [D("0.00")] * 4
    assert sentence == "Every table ties to the general ledger to the cent."
    assert spec["df"]["scope"].tolist() == ["total cost (60 to 68)", "expenses (class 6)",
                                            "expenses (class 6)",
                                            "operating cost (60 to 65 + 681)"]


def test_reconciliation_sentence_names_the_largest_gap():
    recon = pd.DataFrame({"table": ["A", "B"], "difference": [D("-0.01"), D("12.50")],
                          "ties": [False, False]})
    with use_language("en"):
        assert costs.reconciliation_sentence(recon) == (
            '2 table(s) do not tie to the general ledger: largest difference +€12.50 ("B").')
