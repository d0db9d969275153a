"""The generic formatted Excel writer (backoffice_lib.report.excel)."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pytest

from backoffice_lib.report.excel import excel_number_format, sanitize_sheet_name, write_workbook
from backoffice_lib.tables import MONEY


@pytest.fixture
def costs() -> pd.DataFrame:
    """Money, a ratio, dates, integers, text and a missing value."""
    return pd.DataFrame({
        "cost_center": pd.Series(["CC10", "CC20"], dtype="str"),
        "amount": pd.Series([Decimal("1234.56"), None], dtype=MONEY),
        "share": [0.125, 0.875],
        "posted": pd.Series(pd.to_datetime(["2026-10-31", None])).astype("datetime64[us]"),
        "lines": pd.Series([3, 12], dtype="Int64"),
    })


def _read(path, sheet=None):
    book = openpyxl.load_workbook(path)
    return book[sheet] if sheet else book.worksheets[0]


def test_values_and_formats_by_kind(tmp_path, costs):
    path = write_workbook(tmp_path / "costs.xlsx", {"Costs": costs}, lang="fr",
                          formats={"Costs": {"share": "percent"}})
    sheet = _read(path)
    assert [c.value for c in sheet[1]] == ["cost_center", "amount", "share", "posted", "lines"]
    assert sheet["B2"].value == pytest.approx(1234.56) and sheet["B2"].data_type == "n"
    assert sheet["B2"].number_format == "#,##0.00 €"
    assert sheet["B3"].value is None
    assert (sheet["C2"].value, sheet["C2"].number_format) == (0.125, "0.0%")
    assert sheet["D2"].value == dt.datetime(2026, 10, 31)
    assert sheet["D2"].number_format == "dd/mm/yyyy"
    assert sheet["D3"].value is None
    assert (sheet["E3"].value, sheet["E3"].number_format) == (12, "#,##0")


def test_english_money_format(tmp_path, costs):
    sheet = _read(write_workbook(tmp_path / "c.xlsx", {"Costs": costs}, lang="en"))
    assert sheet["B2"].number_format == "€#,##0.00"


def test_header_is_bold_frozen_and_filtered(tmp_path, costs):
    sheet = _read(write_workbook(tmp_path / "c.xlsx", {"Costs": costs}))
    assert all(c.font.b for c in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3"


def test_column_widths_follow_content(tmp_path):
    frame = pd.DataFrame({"a": ["x"], "long": ["a fairly long label of forty characters."]})
    sheet = _read(write_workbook(tmp_path / "w.xlsx", {"S": frame}))
    assert sheet.column_dimensions["A"].width == 6  # minimum width
    assert sheet.column_dimensions["B"].width == 42  # 40 characters + 2


def test_headers_are_relabelled(tmp_path, costs):
    sheet = _read(write_workbook(tmp_path / "c.xlsx", {"Costs": costs},
                                 headers={"cost_center": "Centre de coût", "amount": "Montant"}))
    assert [c.value for c in sheet[1]][:3] == ["Centre de coût", "Montant", "share"]


@pytest.mark.parametrize("text", ["=1+1", "+33 1 23", "-2", "@SUM(A1)", "\tx", "\rx",
                                  "=HYPERLINK(\"http://evil\",\"clic\")"])
def test_text_that_looks_like_a_formula_is_neutralised(tmp_path, text):
    frame = pd.DataFrame({"name": pd.Series([text], dtype="str")})
    cell = _read(write_workbook(tmp_path / "f.xlsx", {"S": frame}))["A2"]
    assert cell.data_type == "s"
    # XML reads a carriage return back as a line feed; the quote prefix is what matters
    assert cell.value == "'" + text.replace("\r", "\n")


def test_plain_text_and_negative_numbers_are_untouched(tmp_path):
    frame = pd.DataFrame({"name": ["Ventes"], "delta": [-2.5]})
    sheet = _read(write_workbook(tmp_path / "p.xlsx", {"S": frame}))
    assert (sheet["A2"].value, sheet["B2"].value, sheet["B2"].data_type) == ("Ventes", -2.5, "n")


def test_illegal_control_characters_are_removed(tmp_path):
    frame = pd.DataFrame({"name": ["a\x00b\x07c"]})
    assert _read(write_workbook(tmp_path / "x.xlsx", {"S": frame}))["A2"].value == "abc"


def test_missing_numbers_and_infinities_are_empty(tmp_path):
    frame = pd.DataFrame({"x": [np.nan, np.inf, 1.5]})
    sheet = _read(write_workbook(tmp_path / "n.xlsx", {"S": frame}))
    assert [sheet[f"A{r}"].value for r in (2, 3, 4)] == [None, None, 1.5]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Coûts [2026/10]", "Coûts _2026_10_"), ("a:b*c?d\\e", "a_b_c_d_e"), ("", "Sheet"),
     ("x" * 40, "x" * 31), ("'quoted'", "quoted")],
    ids=["brackets-slash", "others", "empty", "long", "quotes"],
)
def test_sanitize_sheet_name(name, expected):
    assert sanitize_sheet_name(name) == expected


def test_sheet_names_are_unique_ignoring_case(tmp_path):
    frame = pd.DataFrame({"a": [1]})
    path = write_workbook(tmp_path / "u.xlsx", {"Data": frame, "data": frame, "DATA?": frame})
    assert openpyxl.load_workbook(path).sheetnames == ["Data", "data (2)", "DATA_"]


def test_named_index_is_written_as_columns(tmp_path):
    frame = pd.DataFrame({"amount": [1.0, 2.0]}, index=pd.Index(["CC10", "CC20"], name="cc"))
    sheet = _read(write_workbook(tmp_path / "i.xlsx", {"S": frame}))
    assert [c.value for c in sheet[1]] == ["cc", "amount"]
    assert sheet["A3"].value == "CC20"


def test_datetime_column_with_times_gets_time_format(tmp_path):
    frame = pd.DataFrame({"at": pd.to_datetime(["2026-10-01 09:30", "2026-10-02 00:00"])})
    assert _read(write_workbook(tmp_path / "t.xlsx", {"S": frame}))["A2"].number_format == (
        "dd/mm/yyyy hh:mm")


def test_explicit_excel_format_and_kind_with_decimals():
    assert excel_number_format("0.000") == "0.000"
    assert excel_number_format("percent:0") == "0%"
    assert excel_number_format("money0", "fr") == "#,##0 €"
    assert excel_number_format("signed_money", "en") == "+€#,##0;-€#,##0"
    assert excel_number_format("month") is None


def test_empty_frame_writes_header_only(tmp_path):
    frame = pd.DataFrame({"a": pd.Series([], dtype="str"), "b": pd.Series([], dtype=MONEY)})
    sheet = _read(write_workbook(tmp_path / "e.xlsx", {"S": frame}))
    assert [c.value for c in sheet[1]] == ["a", "b"] and sheet.max_row == 1


def test_write_is_atomic_and_replaces(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"old")
    result = write_workbook(path, {"S": pd.DataFrame({"a": [1]})})
    assert result == path
    assert _read(path)["A2"].value == 1
    assert os.listdir(tmp_path) == ["r.xlsx"]  # no temporary file left behind
