"""The validation report: table, counts, text, HTML, Excel, errors; merging loader issues."""

from __future__ import annotations

import pickle
import re

import openpyxl
import pytest
from test_validation_helpers import build_tables, canonical_frame, cell, clean_rows, found

from backoffice_lib.errors import InputValidationError
from backoffice_lib.issues import ERROR, ISSUE_COLUMNS, WARNING, Issue
from backoffice_lib.validation import ValidationReport, validate


def _loader_issue(table: str, rule: str, column: str, row: int, value: str) -> Issue:
    return Issue(rule=rule, file=f"/data/{table}.xlsx", sheet="Feuil1",
                 cell=cell(table, column, row), row=row, table=table, column=column, value=value)


@pytest.fixture
def mixed_report() -> ValidationReport:
    """Two errors and one warning in two files."""
    rows = clean_rows()
    rows["gl_lines"][0]["cost_center"] = "CC99"  # error, gl_lines G2
    rows["employees"][1]["fte"] = 1.2  # error, employees row 3
    rows["employees"][1]["manager_id"] = "E999"  # warning, employees row 3
    return validate(build_tables(rows))


# --------------------------------------------------------------------------- table


def test_issues_table_has_issue_columns_errors_first(mixed_report):
    issues = mixed_report.issues
    assert list(issues.columns) == ISSUE_COLUMNS
    assert issues["severity"].tolist() == [ERROR, ERROR, WARNING]
    assert issues["rule"].tolist() == ["OUT_OF_RANGE", "UNKNOWN_COST_CENTER", "UNKNOWN_MANAGER"]


def test_errors_warnings_ok(mixed_report):
    assert len(mixed_report.errors) == 2
    assert mixed_report.warnings["rule"].tolist() == ["UNKNOWN_MANAGER"]
    assert not mixed_report.ok


def test_counts_by_table_rule_severity(mixed_report):
    counts = mixed_report.counts()
    assert counts.to_dict("records") == [
        {"table": "employees", "rule": "OUT_OF_RANGE", "severity": ERROR, "count": 1},
        {"table": "gl_lines", "rule": "UNKNOWN_COST_CENTER", "severity": ERROR, "count": 1},
        {"table": "employees", "rule": "UNKNOWN_MANAGER", "severity": WARNING, "count": 1},
    ]


def test_warnings_only_report_is_ok():
    rows = clean_rows()
    rows["employees"][1]["manager_id"] = "E999"
    report = validate(build_tables(rows))
    assert report.ok and report.error_count == 0 and report.warning_count == 1


def test_missing_tables_skip_their_rules():
    rows = clean_rows()
    rows["payroll"][0]["employee_id"] = "E404"
    report = validate(build_tables({"payroll": rows["payroll"]}))
    assert report.ok and report.issues.empty


def test_unknown_table_name_raises():
    with pytest.raises(ValueError, match="unknown table 'ledger'"):
        validate({"ledger": canonical_frame("gl_lines", [])})


# --------------------------------------------------------------------------- loader issues


def test_loader_issues_are_included_and_not_repeated():
    rows = clean_rows()["gl_lines"]
    rows[1]["amount"] = None  # the loader could not read "12,3,4" at H3
    rows[2]["account"] = None  # a plain empty cell at E4
    unreadable = _loader_issue("gl_lines", "INVALID_NUMBER", "amount", 3, "12,3,4")
    report = validate({"gl_lines": canonical_frame("gl_lines", rows, issues=(unreadable,))})
    assert found(report) == [("gl_lines", "E4", "MISSING_VALUE"),
                             ("gl_lines", "H3", "INVALID_NUMBER")]


def test_loader_issue_without_table_gets_the_mapping_key():
    total = Issue(rule="TOTAL_ROW_EXCLUDED", file="/data/items.xlsx", sheet="Feuil1", row=9)
    frame = canonical_frame("items", clean_rows()["items"], issues=(total,))
    issue = validate({"items": frame}).issues.iloc[0]
    result = (issue["table"], issue["rule"], issue["severity"])
    assert result == ("items", "TOTAL_ROW_EXCLUDED", WARNING)


# --------------------------------------------------------------------------- text


def test_text_has_summary_then_lines_grouped_by_file(mixed_report):
    text = mixed_report.to_text()
    lines = text.splitlines()
    assert lines[0] == ("2 erreur(s) et 1 avertissement(s) dans 12 table(s) "
                        "(27 ligne(s) vérifiée(s)).")
    assert "employees.xlsx" in lines and "gl_lines.xlsx" in lines
    assert ("  gl_lines.xlsx › Feuil1 › G2: centre de coût « CC99 » inconnu du référentiel "
            "des centres de coût. [UNKNOWN_COST_CENTER]") in lines
    assert str(mixed_report) == text


def test_text_in_english(mixed_report):
    assert mixed_report.to_text("en").splitlines()[0] == (
        "2 error(s) and 1 warning(s) in 12 table(s) (27 row(s) checked).")


def test_text_of_clean_report():
    report = validate(build_tables(clean_rows()))
    assert report.to_text() == "Aucun problème : 12 table(s), 27 ligne(s) vérifiée(s)."


def test_text_truncates_each_rule_after_max_lines():
    rows = [{"sku": f"S{n}", "description": "x", "category": "c", "unit_cost": "-1"}
            for n in range(25)]
    report = validate({"items": canonical_frame("items", rows)})
    lines = report.to_text(max_per_rule=10).splitlines()
    shown = [line for line in lines if line.endswith("[OUT_OF_RANGE]")]
    assert len(shown) == 11
    assert shown[0].startswith("  items.xlsx › Feuil1 › D2: ")
    assert shown[-1] == "  … et 15 de plus [OUT_OF_RANGE]"
    assert len(report.issues) == 25


def test_text_of_hand_built_frame_names_table_and_row():
    rows = clean_rows()["items"]
    rows[0]["unit_cost"] = "-1"
    report = validate({"items": canonical_frame("items", rows, source=False)})
    assert report.to_text().splitlines()[2:] == [
        "(items)",
        "  items › ligne 2: « -1,00\u00a0€ » est hors des bornes admises pour unit_cost (≥ 0). "
        "[OUT_OF_RANGE]",
    ]


# --------------------------------------------------------------------------- HTML


def _report_with_script_value() -> ValidationReport:
    rows = clean_rows()
    rows["gl_lines"][0]["cost_center"] = "<script>alert(1)</script>"
    return validate(build_tables(rows))


def test_html_escapes_values_from_the_data(tmp_path):
    path = _report_with_script_value().to_html(tmp_path / "report.html")
    page = path.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page


def test_html_is_self_contained_with_every_issue(tmp_path, mixed_report):
    page = mixed_report.to_html(tmp_path / "out" / "report.html", lang="en").read_text("utf-8")
    assert re.search(r"<(script|link)\b", page) is None and "<style>" in page
    assert page.count('<tr class="error">') == 2 + 2  # two issues, two count rows
    assert "<th scope=\"col\">Severity</th>" in page
    assert "cost centre &#39;CC99&#39; is not in the cost-centre master data." in page


def test_html_of_clean_report_says_so(tmp_path):
    page = validate(build_tables(clean_rows())).to_html(tmp_path / "r.html").read_text("utf-8")
    assert "<p>Aucun problème trouvé.</p>" in page
    assert "<table" not in page


def test_notebook_html_fragment_shows_summary(mixed_report):
    fragment = mixed_report._repr_html_()
    assert fragment.startswith('<div class="backoffice-validation">')
    assert "2 erreur(s) et 1 avertissement(s)" in fragment


# --------------------------------------------------------------------------- Excel


def test_excel_report_has_issues_and_counts_sheets(tmp_path, mixed_report):
    path = mixed_report.to_excel(tmp_path / "report.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Problèmes", "Synthèse"]
    issues = book["Problèmes"]
    header = [c.value for c in issues[1]]
    assert header == ["Fichier", "Feuille", "Cellule", "Ligne", "Table", "Colonne", "Valeur",
                      "Règle", "Gravité", "Message"]
    assert [c.value for c in issues[3]][:4] == ["gl_lines.xlsx", "Feuil1", "G2", 2]
    assert issues["I3"].value == "erreur"
    assert issues.max_row == 4
    assert [c.value for c in book["Synthèse"][2]] == ["employees", "OUT_OF_RANGE", "erreur", 1]


def test_excel_report_neutralises_formulas_from_the_data(tmp_path):
    rows = clean_rows()
    rows["gl_lines"][0]["cost_center"] = "=HYPERLINK(\"http://x\")"
    path = validate(build_tables(rows)).to_excel(tmp_path / "report.xlsx")
    value = openpyxl.load_workbook(path)["Problèmes"]["G2"]
    assert value.data_type == "s"
    assert value.value == "'=HYPERLINK(\"http://x\")"


# --------------------------------------------------------------------------- errors


def test_raise_for_errors_carries_the_report(mixed_report):
    with pytest.raises(InputValidationError, match=r"2 problème\(s\) dans les données") as info:
        mixed_report.raise_for_errors()
    assert info.value.report is mixed_report
    assert info.value.exit_code == 1


def test_raise_for_errors_returns_report_when_ok():
    report = validate(build_tables(clean_rows()))
    assert report.raise_for_errors() is report


def test_report_survives_pickling(mixed_report):
    copy = pickle.loads(pickle.dumps(mixed_report))
    assert copy.issues.equals(mixed_report.issues)
