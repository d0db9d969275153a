"""Rules across columns and tables: each fires at the exact cell, and not on clean data."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from test_validation_helpers import build_tables, cell, clean_rows, data_file, found

from backoffice_lib.issues import ERROR, WARNING
from backoffice_lib.validation import account_prefixes, validate
from backoffice_lib.validation.vectors import cents, months_between, period_numbers


def _report(rows, **kwargs):
    return validate(build_tables(rows), **kwargs)


# --------------------------------------------------------------------------- references


@pytest.mark.parametrize(
    ("table", "position", "row"),
    [("gl_lines", 0, 2), ("budget", 1, 3), ("employees", 2, 4)],
    ids=["ledger", "budget", "employees"],
)
def test_unknown_cost_center_is_error_at_its_cell(table, position, row):
    rows = clean_rows()
    rows[table][position]["cost_center"] = "CC99"
    report = _report(rows)
    assert found(report) == [(table, cell(table, "cost_center", row), "UNKNOWN_COST_CENTER")]
    assert report.issues.loc[0, "severity"] == ERROR
    assert report.issues.loc[0, "value"] == "CC99"


def test_unknown_cost_center_needs_the_master_data():
    rows = clean_rows()
    rows["gl_lines"][0]["cost_center"] = "CC99"
    del rows["cost_centers"]
    assert found(_report(rows)) == []


def test_unknown_account_is_a_warning():
    rows = clean_rows()
    rows["gl_lines"][0]["account"] = "901000"
    rows["gl_lines"][1]["account"] = "X401"
    report = _report(rows)
    assert found(report) == [("gl_lines", "E2", "UNKNOWN_ACCOUNT"),
                             ("gl_lines", "E3", "UNKNOWN_ACCOUNT")]
    assert set(report.issues["severity"]) == {WARNING}
    assert report.ok


def test_account_map_given_decides_known_accounts():
    rows = clean_rows()
    account_map = pd.DataFrame({"account_prefix": ["60", "4"], "category": ["purchases", "balance"],
                                "nature": ["cost", "balance"]})
    report = _report(rows, account_map=account_map)
    assert found(report) == [("gl_lines", "E4", "UNKNOWN_ACCOUNT")]  # 641000


def test_account_prefixes_default_to_the_pcg_map():
    prefixes = account_prefixes({})
    assert {"1", "4", "60", "641", "7"} <= set(prefixes)


def test_account_map_table_extends_the_default_map():
    extra = pd.DataFrame({"account_prefix": ["89"], "category": ["other"], "nature": ["balance"]})
    assert "89" in account_prefixes({"account_map": extra})
    assert "60" in account_prefixes({"account_map": extra})


@pytest.mark.parametrize(("table", "position", "row"), [("payroll", 3, 5), ("absences", 0, 2)],
                         ids=["payroll", "absences"])
def test_unknown_employee_is_error(table, position, row):
    rows = clean_rows()
    rows[table][position]["employee_id"] = "E404"
    assert found(_report(rows)) == [(table, cell(table, "employee_id", row), "UNKNOWN_EMPLOYEE")]


def test_unknown_manager_is_warning_for_employees_and_cost_centers():
    rows = clean_rows()
    rows["employees"][1]["manager_id"] = "E999"
    rows["cost_centers"][0]["manager_id"] = "E998"
    report = _report(rows)
    assert found(report) == [
        ("cost_centers", cell("cost_centers", "manager_id", 2), "UNKNOWN_MANAGER"),
        ("employees", cell("employees", "manager_id", 3), "UNKNOWN_MANAGER"),
    ]
    assert report.ok


@pytest.mark.parametrize(("table", "position", "row"),
                         [("stock_movements", 2, 4), ("cycle_counts", 0, 2), ("order_lines", 0, 2)],
                         ids=["movements", "counts", "orders"])
def test_unknown_sku_is_error(table, position, row):
    rows = clean_rows()
    rows[table][position]["sku"] = "SKU9"
    assert found(_report(rows)) == [(table, cell(table, "sku", row), "UNKNOWN_SKU")]


# --------------------------------------------------------------------------- ledger


def test_unbalanced_entry_is_reported_once_at_its_first_line_amount():
    rows = clean_rows()
    rows["gl_lines"][4]["amount"] = "-50.49"  # E2: lines at rows 4, 5, 6
    report = _report(rows)
    assert found(report) == [("gl_lines", cell("gl_lines", "amount", 4), "UNBALANCED_ENTRY")]
    issue = report.issues.iloc[0]
    assert issue["value"] == "E2"
    assert issue["message"] == "l'écriture E2 n'est pas équilibrée (débit − crédit = 0,01\u00a0€)."


def test_entry_balanced_to_the_cent_over_many_lines_is_not_reported():
    lines = [{"entry_id": "E7", "line_no": n + 1, "posting_date": "2026-01-31",
              "period": "2026-01", "account": "601000", "amount": "0.10", "currency": "EUR"}
             for n in range(30)]
    lines.append({**lines[0], "line_no": 31, "account": "401000", "amount": "-3.00"})
    assert found(_report({"gl_lines": lines})) == []


def test_entry_with_an_empty_amount_is_not_called_unbalanced():
    rows = clean_rows()
    rows["gl_lines"][1]["amount"] = None
    assert found(_report(rows)) == [("gl_lines", "H3", "MISSING_VALUE")]


def test_posting_outside_period_is_a_warning_at_the_period_cell():
    rows = clean_rows()
    rows["gl_lines"][2]["posting_date"] = "2026-03-01"
    report = _report(rows)
    assert found(report) == [("gl_lines", cell("gl_lines", "period", 4), "POSTING_OUTSIDE_PERIOD")]
    assert report.issues.loc[0, "message"] == (
        "la période 2026-02 ne correspond pas à la date comptable (2026-03).")
    assert report.ok


def test_missing_month_between_first_and_last_period():
    rows = clean_rows()
    for line in rows["gl_lines"][2:]:
        line.update(posting_date="2026-04-30", period="2026-04")
    report = _report(rows)
    missing = report.issues[report.issues["rule"] == "MISSING_PERIOD"]
    assert missing["value"].tolist() == ["2026-02", "2026-03"]
    assert missing["file"].tolist() == [data_file("gl_lines")] * 2
    assert missing["cell"].isna().all()


def test_missing_period_against_given_periods_for_ledger_and_payroll():
    report = _report(clean_rows(), periods=["2026-01", "2026-02", "2026-03"])
    missing = report.issues[report.issues["rule"] == "MISSING_PERIOD"]
    assert sorted(zip(missing["table"], missing["value"], strict=True)) == [
        ("gl_lines", "2026-03"), ("payroll", "2026-03")]


# --------------------------------------------------------------------------- dates and invoices


def test_invoice_received_before_invoice_date_is_date_order():
    rows = clean_rows()
    rows["supplier_invoices"][0]["received_date"] = "2026-01-04"
    report = _report(rows)
    assert found(report) == [("supplier_invoices", "D2", "DATE_ORDER")]
    assert report.issues.loc[0, "message"] == (
        "dates dans le désordre : received_date (04/01/2026) est antérieure à "
        "invoice_date (05/01/2026).")


def test_paid_before_approval_when_received_is_fine():
    rows = clean_rows()
    rows["supplier_invoices"][0]["paid_date"] = "2026-01-09"  # approved 10/01
    report = _report(rows)
    assert found(report) == [("supplier_invoices", cell("supplier_invoices", "paid_date", 2),
                              "DATE_ORDER")]
    assert "approved_date (10/01/2026)" in report.issues.loc[0, "message"]


def test_paid_before_invoice_with_no_approval_date_is_caught():
    rows = clean_rows()
    rows["supplier_invoices"][1]["paid_date"] = "2026-01-20"  # invoice 01/02, not approved
    assert found(_report(rows)) == [("supplier_invoices", cell("supplier_invoices", "paid_date", 3),
                                     "DATE_ORDER")]


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [("absences", "end_date", "2026-01-10"),
     ("service_requests", "resolved_at", "2026-01-05 09:00")],
    ids=["absence-ends-before-start", "ticket-resolved-before-opened"],
)
def test_other_date_chains(table, column, value):
    rows = clean_rows()
    rows[table][0][column] = value
    assert found(_report(rows)) == [(table, cell(table, column, 2), "DATE_ORDER")]


def test_duplicate_invoice_same_vendor_is_not_also_duplicate_key():
    rows = clean_rows()
    rows["supplier_invoices"].append(dict(rows["supplier_invoices"][0]))  # row 4
    report = _report(rows)
    assert found(report) == [("supplier_invoices", "A4", "DUPLICATE_INVOICE")]
    assert report.issues.loc[0, "message"] == "facture « F-001 » du fournisseur V1 en double."


def test_same_invoice_number_from_two_vendors_is_duplicate_key():
    rows = clean_rows()
    rows["supplier_invoices"].append(dict(rows["supplier_invoices"][0], vendor_id="V2"))
    assert found(_report(rows)) == [("supplier_invoices", "A4", "DUPLICATE_KEY")]


def test_exit_before_hire_is_error_at_exit_date():
    rows = clean_rows()
    rows["employees"][2]["exit_date"] = "2024-12-31"
    report = _report(rows)
    assert found(report) == [("employees", cell("employees", "exit_date", 4), "EXIT_BEFORE_HIRE")]
    assert report.issues.loc[0, "message"] == (
        "date de sortie 31/12/2024 antérieure à la date d'entrée (06/01/2025).")


# --------------------------------------------------------------------------- stock


def test_negative_stock_at_the_movement_that_crosses_zero():
    rows = clean_rows()
    moves = rows["stock_movements"]
    moves.append({"movement_id": "M4", "date": "2026-01-06", "sku": "SKU1", "warehouse": "W1",
                  "qty": -7.0, "type": "issue", "unit_cost": "0.10"})  # 10 - 4 - 7 = -1
    moves.append({"movement_id": "M5", "date": "2026-01-07", "sku": "SKU1", "warehouse": "W1",
                  "qty": -1.0, "type": "issue", "unit_cost": "0.10"})  # still negative: once
    report = _report(rows)
    expected = [("stock_movements", cell("stock_movements", "qty", 5), "NEGATIVE_STOCK")]
    assert found(report) == expected
    assert report.issues.loc[0, "message"] == (
        "le stock de SKU1/W1 devient négatif (-1) après ce mouvement.")


def test_negative_stock_follows_dates_not_file_order():
    rows = clean_rows()
    rows["stock_movements"][1]["date"] = "2026-01-01"  # the issue of 4 now precedes the receipt
    assert found(_report(rows)) == [("stock_movements", cell("stock_movements", "qty", 3),
                                     "NEGATIVE_STOCK")]


def test_same_day_movements_keep_file_order():
    rows = clean_rows()
    rows["stock_movements"][1]["date"] = "2026-01-02"  # same day as the receipt, after it
    assert found(_report(rows)) == []


def test_stock_is_counted_per_warehouse():
    rows = clean_rows()
    rows["stock_movements"][1]["warehouse"] = "W2"
    assert found(_report(rows)) == [("stock_movements", cell("stock_movements", "qty", 3),
                                     "NEGATIVE_STOCK")]


# --------------------------------------------------------------------------- vectors


def test_cents_are_exact_integers():
    from test_validation_helpers import canonical_frame

    amounts = canonical_frame("items", [{"unit_cost": "12.34"}, {}, {"unit_cost": "-0.01"}])
    units, missing, scale = cents(amounts["unit_cost"])
    assert (units.tolist(), missing.tolist(), scale) == ([1234, 0, -1], [False, True, False], 2)
    assert Decimal(int(units.sum())).scaleb(-scale) == Decimal("12.33")


def test_period_numbers_and_months_between():
    result = period_numbers(pd.Series(["2026-01", None, "2026-13", "2025-12"], dtype="str"))
    assert result[0] == 202601 and result[3] == 202512
    assert pd.isna(result[1]) and pd.isna(result[2])
    assert months_between(202511, 202602) == ["2025-11", "2025-12", "2026-01", "2026-02"]
