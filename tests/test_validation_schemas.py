"""One table on its own: pandera schemas built from the table specs, run lazily."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from test_validation_helpers import build_tables, canonical_frame, cell, clean_rows, found

from backoffice_lib.i18n import t
from backoffice_lib.issues import ERROR
from backoffice_lib.tables import TABLES, get_table
from backoffice_lib.validation import validate
from backoffice_lib.validation.schemas import Bounds, schema_for


def _validate_one(table: str, rows: list[dict], **kwargs):
    return validate({table: canonical_frame(table, rows, **kwargs)})


@pytest.mark.parametrize("table", sorted(TABLES))
def test_schema_for_is_named_after_table_and_has_spec_columns(table):
    schema = schema_for(table)
    assert schema.name == table
    assert list(schema.columns) == get_table(table).column_names


def test_schema_for_unknown_table_raises_value_error():
    with pytest.raises(ValueError, match="unknown table 'ledger'"):
        schema_for("ledger")


def test_missing_value_is_reported_at_its_cell():
    rows = clean_rows()["employees"]
    rows[1]["hire_date"] = None  # source row 3
    report = _validate_one("employees", rows)
    assert found(report) == [("employees", cell("employees", "hire_date", 3), "MISSING_VALUE")]
    assert report.issues.loc[0, "message"] == (
        "valeur obligatoire manquante dans la colonne hire_date.")


def test_optional_column_may_be_empty():
    rows = clean_rows()["employees"]
    assert rows[0].get("manager_id") is None
    assert _validate_one("employees", rows).issues.empty


def test_value_outside_allowed_set_is_invalid_value():
    rows = clean_rows()["cost_centers"]
    rows[0]["office"] = "middle"
    report = _validate_one("cost_centers", rows)
    issue = report.issues.iloc[0]
    assert (issue["cell"], issue["rule"], issue["value"]) == ("D2", "INVALID_VALUE", "middle")
    assert issue["message"] == (
        "« middle » n'est pas une valeur admise dans la colonne office (back, front, other).")


@pytest.mark.parametrize(("fte", "fails"), [(1.0, False), (0.5, False), (0.0, True), (1.5, True)],
                         ids=["one", "half", "zero", "above-one"])
def test_fte_must_be_in_zero_one(fte, fails):
    rows = clean_rows()["employees"]
    rows[0]["fte"] = fte
    result = found(_validate_one("employees", rows))
    assert result == ([("employees", cell("employees", "fte", 2), "OUT_OF_RANGE")] if fails else [])


def test_out_of_range_message_states_the_bounds():
    rows = clean_rows()["employees"]
    rows[0]["fte"] = 1.5
    report = _validate_one("employees", rows)
    assert report.issues.loc[0, "message"] == (
        "« 1,50 » est hors des bornes admises pour fte (> 0 et ≤ 1).")
    assert report.frame("en").loc[0, "message"] == (
        "'1.50' is outside the allowed range for fte (> 0 and ≤ 1).")


def test_negative_money_is_out_of_range_where_bounded():
    rows = clean_rows()["items"]
    rows[1]["unit_cost"] = "-0.05"
    report = _validate_one("items", rows)
    assert found(report) == [("items", cell("items", "unit_cost", 3), "OUT_OF_RANGE")]
    assert report.issues.loc[0, "value"] == "-0,05\u00a0€"


def test_bounds_within_compares_decimals_exactly():
    values = canonical_frame("items", [{"unit_cost": "0.00"}, {"unit_cost": "-0.01"}])["unit_cost"]
    assert Bounds(lower=0).within(values).tolist() == [True, False]


def test_malformed_period_is_invalid_period():
    rows = clean_rows()["payroll"]
    rows[2]["period"] = "2026-13"  # source row 4
    report = _validate_one("payroll", rows)
    assert ("payroll", "A4", "INVALID_PERIOD") in found(report)


def test_duplicate_key_is_reported_after_the_first_occurrence():
    rows = clean_rows()["items"]
    rows += [dict(rows[0]), dict(rows[0])]  # rows 4 and 5 repeat row 2
    report = _validate_one("items", rows)
    assert found(report) == [("items", "A4", "DUPLICATE_KEY"), ("items", "A5", "DUPLICATE_KEY")]
    assert report.issues.loc[0, "message"] == (
        "« SKU1 » apparaît plusieurs fois ; la clé sku doit être unique.")


def test_duplicate_composite_key_names_every_key_column():
    rows = clean_rows()["gl_lines"]
    rows[1]["line_no"] = 1  # row 3 repeats (E1, 1) of row 2 ... and unbalances nothing
    report = validate({"gl_lines": canonical_frame("gl_lines", rows)})
    issue = report.issues[report.issues["rule"] == "DUPLICATE_KEY"].iloc[0]
    assert (issue["cell"], issue["value"]) == ("A3", "E1 / 1")
    assert "la clé entry_id + line_no doit être unique" in issue["message"]


def test_empty_key_is_missing_value_not_duplicate():
    rows = clean_rows()["items"]
    rows[0]["sku"] = None
    rows[1]["sku"] = None
    report = _validate_one("items", rows)
    assert found(report) == [("items", "A2", "MISSING_VALUE"), ("items", "A3", "MISSING_VALUE")]


def test_lazy_validation_reports_every_problem_of_a_table():
    rows = clean_rows()["employees"]
    rows[0]["gender"] = "H?"
    rows[1]["fte"] = 2.0
    rows[2]["cost_center"] = None
    rows.append(dict(rows[0], gender="F"))  # row 5: duplicate E001
    report = _validate_one("employees", rows)
    assert found(report) == [
        ("employees", cell("employees", "employee_id", 5), "DUPLICATE_KEY"),
        ("employees", cell("employees", "gender", 2), "INVALID_VALUE"),
        ("employees", cell("employees", "cost_center", 4), "MISSING_VALUE"),
        ("employees", cell("employees", "fte", 3), "OUT_OF_RANGE"),
    ]
    assert set(report.issues["severity"]) == {ERROR}


def test_missing_required_column_is_one_issue():
    frame = canonical_frame("items", clean_rows()["items"]).drop(columns="category")
    report = validate({"items": frame})
    assert found(report) == [("items", None, "MISSING_COLUMN")]
    assert report.issues.loc[0, "message"] == (
        "colonne obligatoire category absente de la table.")


def test_missing_derived_or_optional_column_is_accepted():
    frame = canonical_frame("gl_lines", clean_rows()["gl_lines"])
    report = validate({"gl_lines": frame.drop(columns=["currency", "vendor_id"])})
    assert report.issues.empty


def test_wrong_dtype_is_one_invalid_type_issue_and_skips_value_checks():
    frame = canonical_frame("items", clean_rows()["items"])
    frame["unit_cost"] = [0.10, -1.0]  # floats: not exact money
    report = validate({"items": frame})
    assert found(report) == [("items", None, "INVALID_TYPE")]
    assert report.issues.loc[0, "message"] == (
        "la colonne unit_cost est de type float64, attendu : montant exact (décimal).")


def test_hand_built_frame_without_source_uses_index_as_row():
    rows = clean_rows()["employees"]
    rows[2]["hire_date"] = None
    frame = canonical_frame("employees", rows, source=False).reset_index(drop=True)
    issue = validate({"employees": frame}).issues.iloc[0]
    assert issue[["file", "sheet", "cell"]].isna().all()
    assert (issue["row"], issue["table"], issue["column"]) == (2, "employees", "hire_date")


def test_header_as_written_names_the_column_in_messages():
    frame = canonical_frame("employees", clean_rows()["employees"])
    frame.loc[3, "hire_date"] = pd.NaT
    frame.attrs["source"] = replace(frame.attrs["source"], headers={"hire_date": "Date d'entrée"})
    issue = validate({"employees": frame}).issues.iloc[0]
    assert issue["column"] == "hire_date"
    assert issue["message"] == t("rules.MISSING_VALUE", "fr", column="Date d'entrée")


def test_other_tables_are_not_needed_for_single_table_checks():
    report = validate(build_tables({"items": clean_rows()["items"]}))
    assert report.ok and report.tables == {"items": 2}
