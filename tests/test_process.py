"""Process KPIs (kpi-reference §4) on hand-made invoices, ledger and tickets.

Calendar: February 2026 has 28 days; March 2026 has 22 working days and no public
holiday (Easter Monday is 6 April). Amounts TTC are HT × 1.2 unless said.

Invoices (vendor, invoice → received → approved → paid, due; HT):

- A (V1): 20 Feb → Mon 23 Feb → Mon 2 Mar → Fri 20 Mar, due 22 Mar; 1 000.00. On time.
- B (V2): 2 Mar → 2 Mar → 3 Mar → 31 Mar, due 31 Mar (paid on the day: on time);
  500.00; touchless.
- C (V3): Sat 10 Jan → Mon 12 Jan → Mon 16 Feb → Mon 16 Mar, due Sun 1 Mar: 15 days
  late; 2 000.00 (TTC 2 400.00); "Écart de prix".
- D (V4): 5 Mar → 6 Mar → Fri 20 Mar → unpaid, due 31 May (87 days: beyond the cap of
  15 May, end of March + 45 days, by 16 days); 3 000.00, no TTC; "Commande absente".
- E (V1): credit note of −100.00 (TTC −120.00): 10 Mar → 10 Mar → 11 Mar → 25 Mar, due
  12 Mar.
- F (V2): dated 10 Mar but received 9 Mar (out of order) → approved 12 Mar → unpaid,
  due 9 Apr; 400.00.
- G (V5): 5 Jan → 6 Jan → 20 Jan → unpaid, due 4 Feb: 55 days late at 31 Mar; 800.00.
- H (V6): 1 Dec 2025 → 2 Dec → never approved, due 31 Dec 2025: 90 days late at 31 Mar;
  1 500.00; "Litige".
- I (V5): Sun 1 Feb → 2 Feb → 5 Feb → paid 2 Apr (after the month), due 3 Mar: 28 days
  late at 31 Mar; 100.00; touchless.

The table covers December 2025 to March 2026 (first and last receipt).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from backoffice_lib import process
from backoffice_lib.errors import ParameterError
from backoffice_lib.i18n import use_language
from backoffice_lib.tables import GL_LINES, SERVICE_REQUESTS, SUPPLIER_INVOICES

MARCH = "2026-03"


def _invoice(iid, vendor, invoice, received, approved, paid, due, amount, ttc="x",
             touchless=False, exception=None, po=None) -> dict:
    ttc = str(Decimal(amount) * Decimal("1.2")) if ttc == "x" else ttc
    return {"invoice_id": iid, "vendor_id": vendor, "invoice_date": invoice,
            "received_date": received, "approved_date": approved, "paid_date": paid,
            "due_date": due, "amount": amount, "amount_ttc": ttc, "po_id": po,
            "touchless": touchless, "exception_code": exception}


@pytest.fixture(scope="module")
def invoices() -> pd.DataFrame:
    """The nine invoices of the module docstring."""
    return SUPPLIER_INVOICES.frame([
        _invoice("A", "V1", "2026-02-20", "2026-02-23", "2026-03-02", "2026-03-20",
                 "2026-03-22", "1000.00", po="P1"),
        _invoice("B", "V2", "2026-03-02", "2026-03-02", "2026-03-03", "2026-03-31",
                 "2026-03-31", "500.00", touchless=True, po="P2"),
        _invoice("C", "V3", "2026-01-10", "2026-01-12", "2026-02-16", "2026-03-16",
                 "2026-03-01", "2000.00", exception="Écart de prix", po="P3"),
        _invoice("D", "V4", "2026-03-05", "2026-03-06", "2026-03-20", None, "2026-05-31",
                 "3000.00", ttc=None, exception="Commande absente"),
        _invoice("E", "V1", "2026-03-10", "2026-03-10", "2026-03-11", "2026-03-25",
                 "2026-03-12", "-100.00"),
        _invoice("F", "V2", "2026-03-10", "2026-03-09", "2026-03-12", None, "2026-04-09",
                 "400.00"),
        _invoice("G", "V5", "2026-01-05", "2026-01-06", "2026-01-20", None, "2026-02-04",
                 "800.00"),
        _invoice("H", "V6", "2025-12-01", "2025-12-02", None, None, "2025-12-31", "1500.00",
                 exception="Litige"),
        _invoice("I", "V5", "2026-02-01", "2026-02-02", "2026-02-05", "2026-04-02",
                 "2026-03-03", "100.00", touchless=True),
    ])


@pytest.fixture(scope="module")
def durations(invoices) -> pd.DataFrame:
    """:func:`process.invoice_durations` of the invoices."""
    return process.invoice_durations(invoices)


# --------------------------------------------------------------------------- legal rules


@pytest.mark.parametrize(
    ("invoice_date", "cap"),
    [("2026-01-01", "2026-03-17"), ("2026-01-20", "2026-03-31"), ("2026-02-14", "2026-04-15")],
    ids=["end-of-month-plus-45", "plus-45-then-end-of-month", "sixty-days"],
)
def test_legal_due_cap_takes_the_latest_reading(invoice_date, cap):
    result = process.legal_due_cap(pd.Series([pd.Timestamp(invoice_date), pd.NaT]))
    assert result.iloc[0] == pd.Timestamp(cap)
    assert pd.isna(result.iloc[1])


def test_penalty_rate_by_half_year():
    days = pd.Series(pd.to_datetime(["2026-03-02", "2026-07-01"]))
    rates = process.penalty_rate(days, {"2026-H1": 0.12, "2026-H2": 0.115})
    assert rates.tolist() == [0.12, 0.115]
    with use_language("en"), pytest.raises(ParameterError, match="half-year 2026-H2"):
        process.penalty_rate(days, {"2026-H1": 0.12})


# --------------------------------------------------------------------------- durations


def test_invoice_durations_flags(durations):
    inv = durations.set_index("invoice_id")
    assert inv["dates_ok"].tolist() == [True, True, True, True, True, False, True, True, True]
    assert inv.loc["A", ["receipt_to_approval", "receipt_to_approval_wd"]].tolist() == [7, 5]
    assert np.isnan(inv.loc["F", "receipt_to_approval"])  # out of order: left out
    assert inv.loc["C", "days_late"] == 15 and inv.loc["B", "days_late"] == 0
    assert inv["beyond_cap"].tolist() == [False, False, False, True] + [False] * 5
    assert inv.loc["D", "legal_cap"] == pd.Timestamp("2026-05-15")
    assert inv["credit_note"].sum() == 1 and bool(inv.loc["E", "credit_note"])
    assert inv.loc["D", "owed"] == Decimal("3000.00") and bool(inv.loc["D", "ht_basis"])
    assert inv.loc["C", "owed_cents"] == 240000


# --------------------------------------------------------------------------- P1


def test_cycle_times_of_march(invoices, durations):
    result = process.cycle_times(invoices, [MARCH], durations=durations).set_index("stage")
    assert result.index.tolist() == list(process.STAGES)
    # receipt → approval, approved in March: A 7, B 1, D 14, E 1 days (F left out)
    assert result.loc["receipt_to_approval", ["n", "n_excluded"]].tolist() == [4, 1]
    assert result.loc["receipt_to_approval", "mean"] == 5.75
    assert result.loc["receipt_to_approval", "median"] == 4.0
    assert result.loc["receipt_to_approval", "p90"] == pytest.approx(11.9)  # 7 + 0.7 × 7
    assert result.loc["receipt_to_approval", "median_wd"] == 3.0  # 5, 1, 10, 1
    # paid in March: A, B, C, E
    expected = {  # stage: (mean, median, p90, median working days)
        "approval_to_payment": (22.0, 23.0, 28.0, 17.0),  # 18, 28, 28, 14
        "receipt_to_payment": (33.0, 27.0, 52.8, 20.0),  # 25, 29, 63, 15
        "invoice_to_payment": (34.25, 28.5, 54.2, 20.5),  # 28, 29, 65, 15
    }
    for stage, values in expected.items():
        row = result.loc[stage]
        assert row["n"] == 4 and row["n_excluded"] == 0
        assert [row["mean"], row["median"], row["p90"], row["median_wd"]] == \
            pytest.approx(list(values)), stage
    assert result["reason"].isna().all()


def test_cycle_times_month_not_covered_or_empty(invoices, durations):
    result = process.cycle_times(invoices, ["2025-11", "2025-12"], durations=durations)
    nov, dec = result[result["period"] == "2025-11"], result[result["period"] == "2025-12"]
    assert nov["n"].isna().all() and (nov["reason"] == process.NOT_LOADED).all()
    assert (dec["n"] == 0).all() and (dec["reason"] == process.NO_POPULATION).all()
    assert dec["median"].isna().all()


# --------------------------------------------------------------------------- P4–P6


def test_invoice_processing_rates(invoices, durations):
    result = process.invoice_processing(
        invoices, ["2025-11", "2025-12", "2026-01", "2026-02", MARCH], durations=durations)
    expected = pd.DataFrame({
        "period": pd.Series(["2025-11", "2025-12", "2026-01", "2026-02", MARCH], dtype="str"),
        "processed": pd.array([pd.NA, 0, 1, 2, 5], dtype="Int64"),
        "touchless": pd.array([pd.NA, 0, 0, 1, 1], dtype="Int64"),
        "exceptions": pd.array([pd.NA, 0, 0, 1, 1], dtype="Int64"),
        "touchless_rate": [np.nan, np.nan, 0.0, 0.5, 0.2],
        "exception_rate": [np.nan, np.nan, 0.0, 0.5, 0.2],
        "first_pass_yield": [np.nan, np.nan, 1.0, 0.5, 0.8],
        "reason": pd.Series([process.NOT_LOADED, process.NO_POPULATION, None, None, None],
                            dtype="str"),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_exception_breakdown_ranks_then_sorts_ties_by_code(invoices, durations):
    result = process.exception_breakdown(invoices, ["2026-01", "2026-02", MARCH],
                                         durations=durations)
    assert result["exception_code"].tolist() == ["Commande absente", "Écart de prix"]
    assert result["rank"].tolist() == [1, 2] and result["invoices"].tolist() == [1, 1]
    assert result["share_of_processed"].tolist() == [1 / 8, 1 / 8]  # 8 approved
    assert result["cum_share"].tolist() == [0.5, 1.0]


# --------------------------------------------------------------------------- P7, P8


def test_payment_timeliness_of_march(invoices, durations):
    row = process.payment_timeliness(invoices, [MARCH], durations=durations).iloc[0]
    # A and B on time, C 15 days late; the credit note E is left out
    assert (row["paid"], row["on_time"], row["late"]) == (3, 2, 1)
    assert row["on_time_rate"] == pytest.approx(2 / 3)
    assert row["amount_paid"] == Decimal("3500.00")
    assert row["amount_on_time"] == Decimal("1500.00")
    assert row["on_time_rate_amount"] == pytest.approx(1500 / 3500)
    assert row["avg_days_late"] == 15.0 and row["beyond_cap"] == 0


def test_late_payment_cost_is_exact(invoices, durations):
    row = process.late_payment_cost(invoices, [MARCH], rate=0.1215,
                                    durations=durations).iloc[0]
    # C: 2 400.00 TTC × 12.15 % × 15 / 365 = 11.9835... → 11.98, plus 40.00
    assert (row["late"], row["days_late"]) == (1, 15)
    assert row["interest"] == Decimal("11.98")
    assert row["indemnities"] == Decimal("40.00")
    assert row["exposure"] == Decimal("51.98")
    assert pd.isna(row["reason"])


def test_late_payment_cost_with_half_year_rates_and_a_quiet_month(invoices, durations):
    result = process.late_payment_cost(invoices, ["2026-02", MARCH],
                                       rate={"2026-H1": 0.12}, durations=durations)
    assert result["late"].tolist() == [0, 1]
    assert result["exposure"].tolist() == [Decimal("0.00"), Decimal("51.84")]  # 11.84 + 40


def test_late_payment_on_ht_basis_says_so():
    table = SUPPLIER_INVOICES.frame([_invoice(
        "X", "V1", "2026-03-01", "2026-03-02", "2026-03-03", "2026-03-31", "2026-03-21",
        "365.00", ttc=None)])
    row = process.late_payment_cost(table, [MARCH], rate=0.10).iloc[0]
    assert row["interest"] == Decimal("1.00")  # 365.00 × 10 % × 10 / 365
    assert row["ht_basis"] == 1 and row["reason"] == process.HT_BASIS


def test_terms_beyond_cap(invoices, durations):
    result = process.terms_beyond_cap(invoices, ["2026-01", "2026-02", MARCH],
                                      durations=durations)
    assert result.to_dict("records") == [{"vendor_id": "V4", "invoices": 1,
                                          "amount": Decimal("3000.00"), "max_term_days": 87,
                                          "max_days_over": 16}]


# --------------------------------------------------------------------------- P9


def test_overdue_invoices_statutory_buckets(invoices, durations):
    result = process.overdue_invoices(invoices, MARCH, months=4, durations=durations)
    assert result["bucket"].tolist() == ["1-30", "31-60", "61-90", "91+", "total"]
    assert result["invoices"].tolist() == [1, 1, 1, 0, 3]  # I 28 days, G 55, H 90
    assert result["amount"].tolist() == [Decimal(v) for v in
                                         ("120.00", "960.00", "1800.00", "0.00", "2880.00")]
    # purchases dated December to March, TTC (D on HT, E a credit note): 10 440.00
    assert result["share_of_purchases"].iloc[-1] == pytest.approx(2880 / 10440)
    assert result["reason"].isna().all()


def test_overdue_invoices_discloses_disputes_apart(invoices, durations):
    result = process.overdue_invoices(invoices, MARCH, months=4, disputed_codes=["Litige"],
                                      durations=durations).set_index("bucket")
    assert result.loc["61-90", "invoices"] == 0
    assert result.loc["total", "amount"] == Decimal("1080.00")
    assert result.loc["disputed", ["invoices", "amount"]].tolist() == [1, Decimal("1800.00")]


def test_overdue_share_needs_every_purchase_month(invoices, durations):
    result = process.overdue_invoices(invoices, MARCH, durations=durations)  # 12 months
    assert result["share_of_purchases"].isna().all()
    assert (result["reason"] == process.NOT_LOADED).all()
    assert result["invoices"].iloc[-1] == 3  # the counts do not depend on purchases


# --------------------------------------------------------------------------- P10


def test_dpo_invoices_weighted_by_amount(invoices, durations):
    row = process.dpo_invoices(invoices, [MARCH], durations=durations).iloc[0]
    # A 1 000 × 28 days, B 500 × 29, C 2 000 × 65: 172 500 / 3 500
    assert row["invoices"] == 3 and row["amount"] == Decimal("3500.00")
    assert row["dpo"] == pytest.approx(172500 / 3500)
    assert row["coverage"] == 1.0 and pd.isna(row["reason"])


def _entry(eid: str, date: str, lines: list[tuple[str, str]]) -> list[dict]:
    return [{"entry_id": eid, "line_no": i, "posting_date": date, "period": date[:7],
             "account": account, "amount": amount, "currency": "EUR"}
            for i, (account, amount) in enumerate(lines, 1)]


@pytest.fixture(scope="module")
def ledger() -> pd.DataFrame:
    """Payables 1 200 at the end of January, 600 at the end of February, 2 900 at the end
    of March (a 100 advance on 4091 nets against them); purchases TTC of February and
    March 3 000 (603, stock variation, is not a purchase)."""
    rows = _entry("HA1", "2026-01-15", [("601100", "1000.00"), ("445660", "200.00"),
                                        ("401000", "-1200.00")])
    rows += _entry("HA2", "2026-02-10", [("611000", "500.00"), ("445660", "100.00"),
                                         ("401000", "-600.00")])
    rows += _entry("BQ1", "2026-02-20", [("401000", "1200.00"), ("512000", "-1200.00")])
    rows += _entry("HA3", "2026-03-05", [("622600", "2000.00"), ("445660", "400.00"),
                                         ("401000", "-2400.00")])
    rows += _entry("BQ2", "2026-03-10", [("409100", "100.00"), ("512000", "-100.00")])
    rows += _entry("OD1", "2026-03-31", [("603100", "300.00"), ("310000", "-300.00")])
    return GL_LINES.frame(rows)


def test_dpo_ledger_balance_method(ledger):
    row = process.dpo_ledger(ledger, ["2026-02", MARCH]).iloc[0]
    assert (row["payables_open"], row["payables_close"]) == (Decimal("1200.00"),
                                                             Decimal("2900.00"))
    assert row["avg_payables"] == Decimal("1566.67")  # (1 200 + 600 + 2 900) / 3
    assert row["purchases"] == Decimal("3000.00") and row["days"] == 59
    assert row["dpo"] == pytest.approx(4700 / 3 / 3000 * 59)
    assert pd.isna(row["reason"])


def test_dpo_ledger_month_not_in_the_ledger(ledger):
    row = process.dpo_ledger(ledger, ["2026-04"]).iloc[0]
    assert row["coverage"] == 0.0 and row["reason"] == process.NOT_LOADED
    assert np.isnan(row["dpo"]) and pd.isna(row["avg_payables"])


# --------------------------------------------------------------------------- P13


def _ticket(tid, team, opened, resolved, sla, reopened=False, automated=False) -> dict:
    return {"ticket_id": tid, "team": team, "category": "c", "opened_at": opened,
            "resolved_at": resolved, "sla_hours": sla, "reopened": reopened,
            "automated": automated}


@pytest.fixture(scope="module")
def tickets() -> pd.DataFrame:
    """IT: five tickets resolved in March in 2, 24 (reopened), 6, 1.5 and 64 hours (the
    last opened in February), SLA breached once; two open at the month end, one 39 hours
    old (past its 8 hours), one 4 hours old. HR: one resolved in March in exactly its 48
    hours, one resolved before it was opened, one open since January, one of February."""
    return SERVICE_REQUESTS.frame([
        _ticket("T1", "IT", "2026-03-02 09:00", "2026-03-02 11:00", 4, automated=True),
        _ticket("T2", "IT", "2026-03-03 09:00", "2026-03-04 09:00", 8, reopened=True),
        _ticket("T3", "IT", "2026-03-05 10:00", "2026-03-05 16:00", 8),
        _ticket("T4", "IT", "2026-03-10 08:00", "2026-03-10 09:30", 4),
        _ticket("T5", "IT", "2026-02-27 17:00", "2026-03-02 09:00", 72),
        _ticket("T6", "IT", "2026-03-30 09:00", None, 8),
        _ticket("T7", "IT", "2026-03-31 20:00", "2026-04-01 08:00", 8),
        _ticket("T8", "HR", "2026-03-09 09:00", "2026-03-11 09:00", 48),
        _ticket("T9", "HR", "2026-03-12 10:00", "2026-03-12 09:00", 48),
        _ticket("T10", "HR", "2026-01-15 10:00", None, 120),
        _ticket("T11", "HR", "2026-02-10 10:00", "2026-02-11 10:00", 48),
    ])


def test_service_levels_by_team(tickets):
    result = process.service_levels(tickets, [MARCH]).set_index("team")
    assert result.index.tolist() == ["HR", "IT"]
    it = result.loc["IT"]
    assert (it["opened"], it["resolved"], it["within_sla"]) == (6, 5, 4)
    assert (it["sla_compliance"], it["reopen_rate"], it["automation_rate"]) == (0.8, 0.2, 0.2)
    assert it["mttr_mean_hours"] == 19.5 and it["mttr_median_hours"] == 6.0
    # HR: one ticket measured (T9 resolved before opened): counts only
    hr = result.loc["HR"]
    assert (hr["opened"], hr["resolved"], hr["n_excluded"]) == (2, 1, 1)
    assert hr[["within_sla", "sla_compliance", "mttr_median_hours"]].isna().all()
    assert hr["reason"] == process.SMALL_TEAM


def test_service_levels_all_teams_and_months(tickets):
    result = process.service_levels(tickets, ["2025-12", "2026-01", MARCH], by=[])
    assert result["reason"].iloc[:2].tolist() == [process.NOT_LOADED, process.NO_POPULATION]
    march = result.iloc[-1]
    assert (march["opened"], march["resolved"], march["within_sla"]) == (8, 6, 5)
    assert march["sla_compliance"] == pytest.approx(5 / 6)
    assert march["mttr_mean_hours"] == 24.25 and march["mttr_median_hours"] == 15.0


def test_service_backlog_by_age(tickets):
    result = process.service_backlog(tickets, MARCH)
    expected = pd.DataFrame({
        "team": pd.Series(["HR", "IT"], dtype="str"),
        "backlog": pd.array([1, 2], dtype="Int64"),
        "age_lt1": pd.array([0, 1], dtype="Int64"),
        "age_1_7": pd.array([0, 1], dtype="Int64"),
        "age_7_30": pd.array([0, 0], dtype="Int64"),
        "age_ge30": pd.array([1, 0], dtype="Int64"),
        "sla_breached_open": pd.array([1, 1], dtype="Int64"),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_totals_to_each_point_are_exact_money_sums():
    from backoffice_lib.money import money_sum
    from backoffice_lib.process.payables import _totals_to
    from backoffice_lib.tables import MONEY

    monthly = pd.Series([Decimal("1.10"), None, Decimal("-1.10"), Decimal("5.05")],
                        dtype=MONEY,
                        index=pd.Index(["2026-01", "2026-02", "2026-03", "2026-05"], dtype="str"))
    points = ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-06"]
    totals = _totals_to(monthly, points)
    assert [str(t) for t in totals] == ["0.00", "1.10", "1.10", "0.00", "0.00", "5.05"]
    assert totals == [money_sum(monthly[monthly.index <= p]) for p in points]
