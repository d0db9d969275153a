"""The process-efficiency report's sections (backoffice_lib.analyses.process_efficiency) on
a small hand-made company whose figures are worked out below. Closing month 2026-03
(no public holiday in March 2026); penalty rate 12.15 %; amounts TTC = HT × 1.2.

Supplier invoices (invoice → received → approved → paid, due; HT). The first receipt is
in April 2025, the last in March 2026: every month of the 12 is covered.

- Q (V7): 1 Apr 2025 → 2 Apr → 3 Apr → 2 May 2025, due 1 May: 1 day late; 100.00.
- H (V6): 1 Dec 2025 → 2 Dec → never approved, unpaid, due 31 Dec: 90 days late at
  31 March; 1 500.00; "Litige fournisseur".
- G (V5): 5 Jan → 6 Jan → 20 Jan → unpaid, due 4 Feb: 55 days late; 800.00.
- C (V3): 10 Jan → 12 Jan → 16 Feb → 16 Mar, due 1 Mar: 15 days late; 2 000.00;
  "Écart de prix".
- P (V1): 2 Feb → 3 Feb → 4 Feb → 27 Feb, due 4 Mar; 300.00; touchless.
- A (V1): 20 Feb → 23 Feb → 2 Mar → 20 Mar, due 22 Mar; 1 000.00.
- B (V2): 2 Mar → 2 Mar → 3 Mar → 31 Mar, due 31 Mar; 500.00; touchless.
- D (V4): 5 Mar → 6 Mar → 20 Mar → unpaid, due 31 May (87 days: beyond the legal cap of
  15 May); 3 000.00; "Commande absente".

So in March: approved A, B, D in 7, 1 and 14 days from receipt (median 7, mean 22/3,
p90 12.6; February: C 35 and P 1, median 18); touchless 1/3, exceptions 1/3 (12 months:
2/7 and 2/7); paid A, B on time and C 15 days late (on time 2/3; 12 months: Q late, P,
A, B on time, C late: 3/5); C's cost: 2 400.00 × 12.15 % × 15 / 365 = 11.98 + the 40.00
indemnity = 51.98. At 31 March, G (55 days) and H (90 days) are overdue: 2 760.00 TTC of
11 040.00 purchases TTC dated in the 12 months (25 %). DPO by the invoice method in
March: (1 000 × 28 + 500 × 29 + 2 000 × 65) / 3 500 days.

Ledger, April 2025 to March 2026: each month a purchase of 1 000.00 + 200.00 VAT on 401,
paid the next month: payables 1 200.00 at each month end from April (0 at the end of
March 2025), purchases TTC 14 400.00 over 365 days: DPO (12 × 1 200 / 13) / 14 400 ×
365 = 365 / 13 days.

Service desks: IT resolves K0 (April 2025, 1 hour, within its 4) and in March T1–T5 in 2
(automated), 24 (reopened, past its 8), 6, 1.5 and 4 hours (4 within); T6 (opened
30 March, SLA 8 hours) is open at the month end. HR resolves S1 in 48 hours, exactly its
SLA (one ticket: counts only), and S2 (opened 16 March, SLA 120 hours) is open. March, all
teams: 6 resolved, 5 within (12 months: 6 of 7), median 5 hours.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from backoffice_lib.analyses import process_efficiency as pe
from backoffice_lib.errors import ParameterError
from backoffice_lib.i18n import use_language
from backoffice_lib.periods import period_range
from backoffice_lib.report.display import table_bundle
from backoffice_lib.tables import TABLES

PERIOD = "2026-03"


def canonical(table: str, rows: list[dict]) -> pd.DataFrame:
    return TABLES[table].frame(rows)


def _invoice(iid, vendor, invoice, received, approved, paid, due, amount, touchless=False,
             exception=None) -> dict:
    return {"invoice_id": iid, "vendor_id": vendor, "invoice_date": invoice,
            "received_date": received, "approved_date": approved, "paid_date": paid,
            "due_date": due, "amount": amount,
            "amount_ttc": str(Decimal(amount) * Decimal("1.2")), "touchless": touchless,
            "exception_code": exception}


def _invoices() -> pd.DataFrame:
    return canonical("supplier_invoices", [
        _invoice("Q", "V7", "2025-04-01", "2025-04-02", "2025-04-03", "2025-05-02",
                 "2025-05-01", "100.00"),
        _invoice("H", "V6", "2025-12-01", "2025-12-02", None, None, "2025-12-31", "1500.00",
                 exception="Litige fournisseur"),
        _invoice("G", "V5", "2026-01-05", "2026-01-06", "2026-01-20", None, "2026-02-04",
                 "800.00"),
        _invoice("C", "V3", "2026-01-10", "2026-01-12", "2026-02-16", "2026-03-16",
                 "2026-03-01", "2000.00", exception="Écart de prix"),
        _invoice("P", "V1", "2026-02-02", "2026-02-03", "2026-02-04", "2026-02-27",
                 "2026-03-04", "300.00", touchless=True),
        _invoice("A", "V1", "2026-02-20", "2026-02-23", "2026-03-02", "2026-03-20",
                 "2026-03-22", "1000.00"),
        _invoice("B", "V2", "2026-03-02", "2026-03-02", "2026-03-03", "2026-03-31",
                 "2026-03-31", "500.00", touchless=True),
        _invoice("D", "V4", "2026-03-05", "2026-03-06", "2026-03-20", None, "2026-05-31",
                 "3000.00", exception="Commande absente"),
    ])


def _ledger() -> pd.DataFrame:
    rows = []
    months = period_range("2025-04", PERIOD)
    for month, previous in zip(months, [None, *months[:-1]], strict=True):
        lines = [("601100", "1000.00"), ("445660", "200.00"), ("401000", "-1200.00")]
        rows += [{"entry_id": f"HA-{month}", "line_no": i, "posting_date": f"{month}-10",
                  "period": month, "account": a, "amount": v, "currency": "EUR"}
                 for i, (a, v) in enumerate(lines, 1)]
        if previous:
            rows += [{"entry_id": f"BQ-{month}", "line_no": i, "posting_date": f"{month}-05",
                      "period": month, "account": a, "amount": v, "currency": "EUR"}
                     for i, (a, v) in enumerate((("401000", "1200.00"),
                                                 ("512000", "-1200.00")), 1)]
    return canonical("gl_lines", rows)


def _ticket(tid, team, opened, resolved, sla, reopened=False, automated=False) -> dict:
    return {"ticket_id": tid, "team": team, "category": "Demande", "opened_at": opened,
            "resolved_at": resolved, "sla_hours": sla, "reopened": reopened,
            "automated": automated}


def _tickets() -> pd.DataFrame:
    return canonical("service_requests", [
        _ticket("K0", "IT", "2025-04-01 09:00", "2025-04-01 10:00", 4),
        _ticket("T1", "IT", "2026-03-02 09:00", "2026-03-02 11:00", 4, automated=True),
        _ticket("T2", "IT", "2026-03-03 09:00", "2026-03-04 09:00", 8, reopened=True),
        _ticket("T3", "IT", "2026-03-05 10:00", "2026-03-05 16:00", 8),
        _ticket("T4", "IT", "2026-03-10 08:00", "2026-03-10 09:30", 4),
        _ticket("T5", "IT", "2026-03-11 08:00", "2026-03-11 12:00", 4),
        _ticket("T6", "IT", "2026-03-30 09:00", None, 8),
        _ticket("S1", "HR", "2026-03-09 09:00", "2026-03-11 09:00", 48),
        _ticket("S2", "HR", "2026-03-16 09:00", None, 120),
    ])


def _tables() -> dict[str, pd.DataFrame]:
    return {"supplier_invoices": _invoices(), "service_requests": _tickets(),
            "gl_lines": _ledger()}


@pytest.fixture(scope="module")
def data() -> pe.ProcessInputs:
    return pe.from_tables(_tables(), PERIOD, late_payment_rate=0.1215,
                          dispute_codes=["Litige fournisseur"])


@pytest.fixture(scope="module")
def top(data) -> dict:
    return pe.headline(data)


# --------------------------------------------------------------------------- inputs


def test_from_tables_needs_invoices_or_tickets():
    with use_language("en"), pytest.raises(ParameterError, match="needs the \"supplier_inv"):
        pe.from_tables({"gl_lines": _ledger()}, PERIOD)


def test_unknown_team_in_the_filter_names_the_closest():
    with use_language("en"), pytest.raises(ParameterError, match="ITS.*did you mean \"IT\""):
        pe.from_tables(_tables(), PERIOD, team_filter=["ITS"])


@pytest.mark.parametrize("rate", [-0.01, 1.5, True], ids=["negative", "percent", "bool"])
def test_penalty_rate_must_be_a_fraction(rate):
    with pytest.raises(ParameterError):
        pe.from_tables(_tables(), PERIOD, late_payment_rate=rate)


def test_durations_are_computed_once(data):
    assert data.invoices is data.invoices and data.tickets is data.tickets
    assert data.ledger_dpo is data.ledger_dpo


# --------------------------------------------------------------------------- headline


def test_headline_figures(top):
    assert (top["cycle_days"], top["cycle_days_previous"]) == (7.0, 18.0)
    assert top["cycle_mean"] == pytest.approx(22 / 3)
    assert top["cycle_p90"] == pytest.approx(12.6)
    assert top["touchless_rate"] == pytest.approx(1 / 3)
    assert top["touchless_rate_r12"] == pytest.approx(2 / 7)
    assert top["exception_rate_r12"] == pytest.approx(2 / 7)
    assert top["on_time_rate"] == pytest.approx(2 / 3) and top["on_time_rate_r12"] == 0.6
    assert top["late_payment_exposure"] == Decimal("51.98") and top["late_invoices"] == 1
    assert top["dpo"] == pytest.approx(365 / 13) and top["dpo_method"] == "ledger"
    assert top["sla_compliance"] == pytest.approx(5 / 6)
    assert top["sla_compliance_r12"] == pytest.approx(6 / 7)
    assert (top["backlog"], top["sla_breached_open"]) == (2, 2)


def test_headline_tiles(data, top):
    with use_language("en"):
        tiles = {tile.key: tile for tile in pe.headline_tiles(top, data)}
    assert list(tiles) == ["invoice_cycle_days", "touchless_rate", "exception_rate",
                           "on_time_payment_rate", "late_payment_exposure", "dpo",
                           "sla_compliance"]
    cycle = tiles["invoice_cycle_days"]
    assert (cycle.value, cycle.delta, cycle.favourable) == (7.0, -11.0, True)
    assert cycle.delta_label == "vs February 2026"
    assert tiles["exception_rate"].favourable is False  # 1/3 is above 2/7
    assert tiles["exception_rate"].delta == pytest.approx(1 / 3 - 2 / 7)
    assert tiles["late_payment_exposure"].footnote == (
        "1 invoice(s) paid late: penalties at a yearly rate of 12.15% and a fixed indemnity "
        "of €40 per invoice.")
    assert tiles["dpo"].footnote.startswith("Balance method")


# --------------------------------------------------------------------------- invoices


def test_cycle_section(data):
    cycles = pe.cycle_times(data)
    with use_language("en"):
        spec = pe.cycle_table(cycles, data)
        text = pe.cycle_sentence(cycles, data)
    assert spec["df"]["stage"].tolist() == ["Receipt → approval", "Approval → payment",
                                            "Receipt → payment", "Invoice date → payment"]
    assert spec["df"]["invoices"].tolist() == [3, 3, 3, 3]
    assert "n_excluded" not in spec["df"].columns  # no inconsistent dates
    assert spec["headers"]["median_wd"] == "Median (working days)"
    assert text == ("In March 2026, 3 invoices were approved, 7.0 days after receipt (median); "
                    "90% of them within 12.6 days. 3 invoices were paid, 29.0 days after "
                    "receipt (median).")
    trend = pe.cycle_trend(data)
    assert trend["period"].tolist() == period_range("2025-04", PERIOD)
    assert trend["median"].iloc[-2:].tolist() == [18.0, 7.0]


def test_cycle_months_cut_from_one_computation_match_a_direct_one():
    from backoffice_lib import process
    from backoffice_lib.analyses.process_efficiency.kpis import _cycles

    data = pe.from_tables(_tables(), PERIOD)  # nothing kept yet
    for periods in (["2026-02", PERIOD], [PERIOD], period_range("2025-04", PERIOD),
                    [PERIOD, "2026-02"], ["2025-03", PERIOD]):
        direct = process.cycle_times(data.supplier_invoices, periods,
                                     durations=data.invoices)
        pd.testing.assert_frame_equal(_cycles(data, periods), direct)
    pd.testing.assert_frame_equal(pe.cycle_times(data), process.cycle_times(
        data.supplier_invoices, [PERIOD], durations=data.invoices))
    # dates with a time of day: fractional days, computed directly (not cut)
    tables = _tables()
    timed = tables["supplier_invoices"].copy()
    timed["approved_date"] += pd.Timedelta(hours=7)
    data = pe.from_tables({**tables, "supplier_invoices": timed}, PERIOD)
    direct = process.cycle_times(timed, [PERIOD], durations=data.invoices)
    pd.testing.assert_frame_equal(_cycles(data, [PERIOD]), direct)
    assert ("cycle_times", 12) not in vars(data).get("_once", {})


def test_automation_section(data):
    processing = pe.processing(data)
    exceptions = pe.exceptions(data)
    assert processing["processed"].sum() == 7 and len(processing) == 12
    assert exceptions["exception_code"].tolist() == ["Commande absente", "Écart de prix"]
    with use_language("fr"):
        text = pe.automation_sentence(processing, exceptions, data)
    assert text == ("En mars 2026, 33,3\u00a0% des factures validées l'ont été sans "
                    "intervention et 33,3\u00a0% ont eu une anomalie. Motif le plus fréquent "
                    "sur 12 mois : « Commande absente » (50,0\u00a0% des anomalies).")


def test_payments_section(data):
    payments = pe.payments(data)
    march = payments.iloc[-1]
    assert (march["paid"], march["late"], march["beyond_cap"]) == (3, 1, 0)
    assert march["exposure"] == Decimal("51.98")
    may = payments.set_index("period").loc["2025-05"]
    assert may["late"] == 1 and may["interest"] == Decimal("0.04")  # 120 × 12.15 % / 365
    terms = pe.terms(data)
    assert terms["vendor_id"].tolist() == ["V4"] and terms["max_days_over"].tolist() == [16]
    with use_language("en"):
        spec = pe.payments_table(payments, data)
        text = pe.payments_sentence(payments, terms, data)
    assert spec["df"]["period"].iloc[0] == PERIOD  # latest month first
    assert text == ("In March 2026, 66.7% of paid invoices were paid on time; 1 were paid "
                    "late, by 15.0 days on average. Penalties and indemnities owed for them: "
                    "€52.\n\n1 supplier(s) have due dates beyond the legal cap over the last "
                    "12 months (1 invoices): see the table below.")


def test_overdue_section_shows_disputes_apart(data):
    overdue = pe.overdue(data).set_index("bucket")
    assert overdue.index.tolist() == ["1-30", "31-60", "61-90", "91+", "total", "disputed"]
    assert overdue.loc["total", ["invoices", "amount"]].tolist() == [1, Decimal("960.00")]
    assert overdue.loc["disputed", "amount"] == Decimal("1800.00")
    assert overdue.loc["total", "share_of_purchases"] == pytest.approx(960 / 11040)
    with use_language("en"):
        text = pe.overdue_sentence(pe.overdue(data), data)
        spec = pe.overdue_table(pe.overdue(data), data)
    assert text == ("At 31/03/2026, 1 overdue supplier invoices remain unpaid, for €960 incl. "
                    "VAT (8.70% of the last 12 months' purchases). 1 invoices in dispute "
                    "(€1,800 incl. VAT) are shown apart.")
    assert spec["df"]["bucket"].iloc[-1] == "In dispute (outside the legal table)"


def test_overdue_without_dispute_codes():
    data = pe.from_tables(_tables(), PERIOD)
    overdue = pe.overdue(data).set_index("bucket")
    assert "disputed" not in overdue.index
    assert overdue.loc["total", "amount"] == Decimal("2760.00")
    assert overdue.loc["total", "share_of_purchases"] == pytest.approx(0.25)


def test_dpo_section(data):
    dpo = pe.dpo(data).set_index("method")
    assert dpo.index.tolist() == ["invoices_month", "invoices_r12", "ledger"]
    assert dpo.loc["invoices_month", "dpo"] == pytest.approx(172500 / 3500)
    # + Q 100 × 31 days and P 300 × 25 days
    assert dpo.loc["invoices_r12", "dpo"] == pytest.approx(183100 / 3900)
    assert dpo.loc["ledger", "avg_payables"] == Decimal("1107.69")
    assert dpo.loc["ledger", "amount"] == Decimal("14400.00")
    with use_language("en"):
        spec = pe.dpo_table(pe.dpo(data), data)
    assert spec["df"]["window"].tolist() == ["March 2026", "12 months, Apr 2025 – Mar 2026",
                                             "12 months, Apr 2025 – Mar 2026"]
    assert spec["df"]["basis"].iloc[-1] == ("Average trade payables €1,108, purchases incl. "
                                            "VAT €14,400")


# --------------------------------------------------------------------------- service desk


def test_service_section(data):
    levels = pe.service_levels(data).set_index("team")
    assert levels.index.tolist() == ["HR", "IT", "TOTAL"]
    assert levels.loc["IT", "sla_compliance"] == 0.8
    assert levels.loc["IT", "mttr_median_hours"] == 4.0
    assert pd.isna(levels.loc["HR", "sla_compliance"])  # one ticket: counts only
    assert levels.loc["TOTAL", "mttr_median_hours"] == 5.0
    backlog = pe.service_backlog(data)
    assert backlog["backlog"].tolist() == [1, 1]
    assert backlog["age_7_30"].tolist() == [1, 0] and backlog["age_1_7"].tolist() == [0, 1]
    with use_language("en"):
        spec = pe.service_table(pe.service_levels(data), data)
        text = pe.service_sentence(pe.service_levels(data), backlog, data)
    assert spec["df"]["team"].tolist() == ["HR", "IT", "All teams"]
    assert spec["footnotes"][-1] == ("A team with fewer than 5 tickets resolved in the month "
                                     "shows its volumes only.")
    assert text == ("In March 2026, 6 tickets were resolved, 83.3% within their target time; "
                    "median time to resolve: 5.0 h. 2 ticket(s) remain open at month end, 2 "
                    "of them past their target time.")


def test_team_filter_keeps_one_team(data):
    it = pe.from_tables(_tables(), PERIOD, team_filter=["IT"])
    levels = pe.service_levels(it).set_index("team")
    assert levels.index.tolist() == ["IT", "TOTAL"]
    assert levels.loc["TOTAL", "resolved"] == 5
    assert pe.headline(it)["backlog"] == 1


def test_no_code_reaches_the_tables(data):
    specs = [pe.cycle_table(pe.cycle_times(data), data),
             pe.overdue_table(pe.overdue(data), data),
             pe.dpo_table(pe.dpo(data), data),
             pe.backlog_table(pe.service_backlog(data), data)]
    with use_language("en"):
        for spec in specs:
            html = table_bundle(**spec)["text/html"]
            for code in ("receipt_to_approval", "invoices_r12", "process_efficiency.",
                         "61-90", "age_lt1"):
                assert code not in html, (spec["name"], code)


# --------------------------------------------------------------------------- missing tables


def test_without_invoices_the_purchase_sections_say_so():
    data = pe.from_tables({"service_requests": _tickets()}, PERIOD)
    top = pe.headline(data)
    assert top["cycle_days"] is None and top["dpo"] is None
    assert pe.cycle_times(data).empty and pe.payments(data).empty and pe.dpo(data).empty
    with use_language("en"):
        tiles = {tile.key: tile for tile in pe.headline_tiles(top, data)}
        assert tiles["touchless_rate"].footnote == "No supplier invoices in the data."
        assert tiles["dpo"].footnote == ("Neither supplier invoices nor a general ledger in "
                                         "the data.")
        assert pe.cycle_sentence(pe.cycle_times(data), data) == (
            "No supplier invoices in the data: this section is empty.")
        assert pe.dpo_sentence(pe.dpo(data), data).startswith("Neither supplier invoices")
    assert tiles["sla_compliance"].value == pytest.approx(5 / 6)


def test_without_tickets_or_ledger():
    data = pe.from_tables({"supplier_invoices": _invoices()}, PERIOD)
    top = pe.headline(data)
    assert top["sla_compliance"] is None and top["backlog"] is None
    assert top["dpo_method"] == "invoices"
    assert top["dpo"] == pytest.approx(183100 / 3900)
    assert pe.service_levels(data).empty
    with use_language("en"):
        assert pe.service_sentence(pe.service_levels(data), pe.service_backlog(data),
                                   data) == ("No service requests in the data: this section "
                                             "is empty.")
        assert pe.dpo_sentence(pe.dpo(data), data).endswith(
            "Without a general ledger in the data, the balance method is not computed.")


def test_load_inputs_reads_only_the_report_tables(tmp_path):
    from backoffice_lib.params import InputSpec, RunParams

    path = tmp_path / "tickets.csv"
    _tickets().assign(reopened=lambda f: f["reopened"].astype(str).str.lower(),
                      automated=lambda f: f["automated"].astype(str).str.lower()) \
        .to_csv(path, index=False)
    params = RunParams(company="Test", period=PERIOD, notebooks=(),
                       inputs={"service_requests": InputSpec(path),
                               "employees": InputSpec(tmp_path / "not-read.xlsx")})
    data = pe.load_inputs(params, ["IT"], cache=False)
    assert not data.has_invoices and data.gl_lines is None
    assert data.team_filter == ("IT",) and len(data.tickets) == 7
    with use_language("en"), pytest.raises(ParameterError, match="needs the"):
        pe.load_inputs(RunParams(company="Test", period=PERIOD, notebooks=(),
                                 inputs={"employees": InputSpec(path)}), cache=False)
