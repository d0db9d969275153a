"""load_table on workbooks: header detection, canonical typing, issues, errors, safety."""

from __future__ import annotations

import datetime as dt
import gzip
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter

from backoffice_lib import (
    CorruptFileError,
    HeaderNotFoundError,
    MissingColumnError,
    MissingFileError,
    MissingSheetError,
    PasswordProtectedError,
    ResourceLimitError,
    UnsupportedFormatError,
    load_table,
)
from backoffice_lib.loading import Limits, list_sheets
from backoffice_lib.tables import MONEY

# --------------------------------------------------------------------------- workbooks

GL_HEADERS = ["N° écriture", "Date comptable", "Compte", "Libellé", "Centre de coût",
              "Débit", "Crédit", "Fournisseur"]


def _gl_rows(ws, wb, first_row: int) -> None:
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    rows = [
        ["E001", dt.datetime(2026, 10, 5), "601000", "Achats fournitures", "00420", 1234.56, None,
         "F001"],
        ["E001", dt.datetime(2026, 10, 5), "401000", "Fournisseur X", None, None, 1234.56, "F001"],
        ["E002", "12/10/2026", 606300, "Électricité", "CC010", "1 000,50", None, None],
        ["E002", dt.datetime(2026, 10, 12), "512000", "Banque", None, None, 1000.5, None],
    ]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if isinstance(value, dt.datetime):
                ws.write_datetime(first_row + i, j, value, date)
            elif value is not None:
                ws.write(first_row + i, j, value)


def make_gl_workbook(path: Path, *, totals: bool = True, extra_rows=()) -> Path:
    """Title merged over A1:H1, blank row, French header on row 3, four lines, totals row."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Écritures")
    ws.merge_range(0, 0, 0, 7, "Grand livre — octobre 2026")
    ws.write_row(2, 0, GL_HEADERS)
    _gl_rows(ws, wb, 3)
    row = 7
    for extra in extra_rows:
        ws.write_row(row, 0, extra)
        row += 1
    if totals:
        ws.write(row, 3, "Total")
        ws.write(row, 5, 2235.06)
        ws.write(row, 6, 2235.06)
    wb.close()
    return path


def expected_gl(rows=(4, 5, 6, 7)) -> pd.DataFrame:
    n = len(rows)
    frame = pd.DataFrame({
        "entry_id": pd.Series(["E001", "E001", "E002", "E002"], dtype="str"),
        "line_no": pd.Series([1, 2, 1, 2], dtype="Int64"),
        "posting_date": pd.Series([dt.datetime(2026, 10, 5), dt.datetime(2026, 10, 5),
                                   dt.datetime(2026, 10, 12), dt.datetime(2026, 10, 12)],
                                  dtype="datetime64[us]"),
        "period": pd.Series(["2026-10"] * n, dtype="str"),
        "account": pd.Series(["601000", "401000", "606300", "512000"], dtype="str"),
        "account_label": pd.Series([None] * n, dtype="str"),
        "cost_center": pd.Series(["00420", None, "CC010", None], dtype="str"),
        "amount": pd.Series([Decimal("1234.56"), Decimal("-1234.56"), Decimal("1000.50"),
                             Decimal("-1000.50")], dtype=MONEY),
        "currency": pd.Series(["EUR"] * n, dtype="str"),
        "vendor_id": pd.Series(["F001", "F001", None, None], dtype="str"),
        "description": pd.Series(["Achats fournitures", "Fournisseur X", "Électricité", "Banque"],
                                 dtype="str"),
        "journal_code": pd.Series([None] * n, dtype="str"),
        "document_ref": pd.Series([None] * n, dtype="str"),
        "orig_amount": pd.Series([None] * n, dtype=MONEY),
        "entry_date": pd.Series([None] * n, dtype="datetime64[us]"),
    })
    frame.index = pd.Index(list(rows), name="source_row", dtype="int64")
    return frame


@pytest.fixture
def gl_xlsx(tmp_path: Path) -> Path:
    """A French general ledger with a merged title, Débit/Crédit and a totals row."""
    return make_gl_workbook(tmp_path / "grand_livre.xlsx")


# --------------------------------------------------------------------------- canonical GL


def test_load_table_gl_canonical_columns_dtypes_and_values(gl_xlsx):
    result = load_table(gl_xlsx, table="gl_lines", cache=False)
    pd.testing.assert_frame_equal(result, expected_gl())


def test_load_table_gl_provenance(gl_xlsx):
    info = load_table(gl_xlsx, table="gl_lines", cache=False).attrs["source"]
    assert info.file == str(gl_xlsx.resolve())
    assert (info.sheet, info.format, info.header_row, info.table) == ("Écritures", "xlsx", 3,
                                                                      "gl_lines")
    assert info.columns["amount"] == "F:G"
    assert info.columns["account"] == "C"
    assert info.headers["amount"] == "Débit / Crédit"
    assert info.headers["cost_center"] == "Centre de coût"
    assert len(info.sha256) == 64


def test_load_table_totals_row_excluded_with_warning_at_its_cell(gl_xlsx):
    info = load_table(gl_xlsx, table="gl_lines", cache=False).attrs["source"]
    totals = [i for i in info.issues if i.rule == "TOTAL_ROW_EXCLUDED"]
    assert [(i.cell, i.row, i.severity, i.value) for i in totals] == [("D8", 8, "warning", "Total")]


def test_load_table_label_total_without_sum_is_data(tmp_path):
    # "Total Energies" is a supplier: its line has a date and an account of its own.
    path = make_gl_workbook(tmp_path / "gl.xlsx", totals=False, extra_rows=[
        ["E003", "15/10/2026", "606100", "Total Energies", "CC010", 80, None, "F009"]])
    result = load_table(path, table="gl_lines", cache=False)
    assert result.loc[8, "description"] == "Total Energies"
    assert result.loc[8, "amount"] == Decimal("80.00")
    assert result.attrs["source"].issues == ()


def test_load_table_unreadable_values_are_na_with_issue_at_exact_cell(tmp_path):
    path = make_gl_workbook(tmp_path / "gl.xlsx", totals=False, extra_rows=[
        ["E003", "32/13/2026", "606100", "Erreur", "CC010", "abc", None, None]])
    result = load_table(path, table="gl_lines", cache=False)
    issues = {(i.rule, i.cell, i.column, i.value) for i in result.attrs["source"].issues}
    assert issues == {("INVALID_DATE", "B8", "posting_date", "32/13/2026"),
                      ("INVALID_NUMBER", "F8", "amount", "abc")}
    assert pd.isna(result.loc[8, "posting_date"])
    assert pd.isna(result.loc[8, "amount"])
    message = next(i for i in result.attrs["source"].issues if i.rule == "INVALID_NUMBER").message()
    assert "abc" in message and "Débit" in message


def test_load_table_without_table_returns_sheet_as_found(gl_xlsx):
    result = load_table(gl_xlsx, cache=False)
    assert list(result.columns) == GL_HEADERS
    assert list(result.index) == [4, 5, 6, 7]
    # Numbers typed as numbers (text "1 000,50" included), IDs with leading zeros kept as text.
    assert result["Compte"].tolist() == [601000, 401000, 606300, 512000]
    assert str(result["Compte"].dtype) == "Int64"
    assert result["Débit"].tolist()[::2] == [1234.56, 1000.5]
    assert result["Centre de coût"].tolist()[0] == "00420"
    assert str(result["Centre de coût"].dtype) == "str"
    assert result["Date comptable"].tolist()[2] == pd.Timestamp("2026-10-12")
    assert result.attrs["source"].table is None


# --------------------------------------------------------------------------- layouts


def test_load_table_two_row_header_with_merged_cells(tmp_path):
    path = tmp_path / "two_rows.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("GL")
    for col, name in enumerate(["N° écriture", "Date comptable", "Compte"]):
        ws.merge_range(0, col, 1, col, name)
    ws.merge_range(0, 3, 0, 4, "Montant")
    ws.write_row(1, 3, ["Débit", "Crédit"])
    ws.write_row(2, 0, ["E1", "05/10/2026", "601000", 10.0])
    ws.write_row(3, 0, ["E1", "05/10/2026", "401000", None, 10.0])
    wb.close()
    result = load_table(path, table="gl_lines", cache=False)
    assert result["amount"].tolist() == [Decimal("10.00"), Decimal("-10.00")]
    assert list(result.index) == [3, 4]
    assert result.attrs["source"].header_row == 2
    as_found = load_table(path, cache=False)
    assert list(as_found.columns) == ["N° écriture", "Date comptable", "Compte",
                                      "Montant Débit", "Montant Crédit"]


def test_load_table_skips_hidden_first_sheet_and_cover_page(tmp_path):
    path = tmp_path / "book.xlsx"
    wb = xlsxwriter.Workbook(path)
    hidden = wb.add_worksheet("Paramètres")
    hidden.write_row(0, 0, ["Clé", "Valeur"])
    hidden.write_row(1, 0, ["taux", 0.2])
    hidden.write_row(2, 0, ["seuil", 5])
    cover = wb.add_worksheet("Couverture")
    cover.write(0, 0, "Rapport des centres de coût")
    cover.write(2, 0, "Société : Exemple SAS")
    data = wb.add_worksheet("Centres")
    data.write_row(0, 0, ["Centre de coût", "Libellé", "Direction", "Type de fonction"])
    data.write_row(1, 0, ["00420", "Comptabilité", "Finance", "Back office"])
    data.write_row(2, 0, ["CC010", "Ventes", "Commerce", "Front office"])
    data.write_row(3, 0, ["CC020", "Usine", "Production", "Autre"])
    cover.activate()
    hidden.hide()
    wb.close()
    as_found = load_table(path, cache=False)
    assert as_found.attrs["source"].sheet == "Centres"
    result = load_table(path, table="cost_centers", cache=False)
    assert result.attrs["source"].sheet == "Centres"
    assert result["cost_center"].tolist() == ["00420", "CC010", "CC020"]
    assert result["office"].tolist() == ["back", "front", "other"]
    assert [(s.name, s.visible, s.rows, s.cols) for s in list_sheets(path)] == [
        ("Paramètres", False, 3, 2), ("Couverture", True, 3, 1), ("Centres", True, 4, 4)]


def test_load_table_1904_workbook_dates_and_serials(tmp_path):
    path = tmp_path / "mac.xlsx"
    wb = xlsxwriter.Workbook(path, {"date_1904": True})
    ws = wb.add_worksheet("Absences")
    fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, ["Matricule", "Date de début", "Date de fin", "Motif", "Nb jours"])
    ws.write(1, 0, "00042")
    ws.write_datetime(1, 1, dt.datetime(2026, 1, 5), fmt)
    ws.write_number(1, 2, 44561 + 6)  # a bare 1904 serial: 2026-01-07
    ws.write_row(1, 3, ["Maladie", 3])
    wb.close()
    result = load_table(path, table="absences", cache=False)
    assert result["employee_id"].tolist() == ["00042"]
    assert result["start_date"].tolist() == [pd.Timestamp("2026-01-05")]
    assert result["end_date"].tolist() == [pd.Timestamp("2026-01-07")]
    assert result["days"].tolist() == [3.0]


def test_load_table_employees_aliases_gender_fte_and_joined_name(tmp_path):
    path = tmp_path / "rh.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Salariés")
    ws.write_row(0, 0, ["Matricule", "Nom", "Prénom", "Sexe", "Date d'entrée", "Service",
                        "Taux d'activité", "Type de contrat"])
    ws.write_row(1, 0, ["00042", "DUPONT", "Jeanne", "F", "01/03/2020", "CC010", 80, "CDI"])
    ws.write_row(2, 0, ["00043", "MARTIN", "Paul", "H", "15/09/2021", "CC020", 100, "CDD"])
    ws.write_row(3, 0, ["00044", "DURAND", "Alex", "?", "02/01/2024", "CC020", 50, "CDI"])
    wb.close()
    result = load_table(path, table="employees", cache=False)
    assert result["employee_id"].tolist() == ["00042", "00043", "00044"]
    assert result["name"].tolist() == ["DUPONT Jeanne", "MARTIN Paul", "DURAND Alex"]
    assert result["gender"].tolist()[:2] == ["F", "M"]
    assert pd.isna(result["gender"].iloc[2])
    assert result["fte"].tolist() == [0.8, 1.0, 0.5]
    assert result["hire_date"].tolist()[0] == pd.Timestamp("2020-03-01")
    invalid = [(i.rule, i.cell, i.value) for i in result.attrs["source"].issues]
    assert invalid == [("INVALID_VALUE", "D4", "?")]


# --------------------------------------------------------------------------- errors


def test_missing_file_error_names_the_file(tmp_path):
    with pytest.raises(MissingFileError, match=r"absent\.xlsx: fichier introuvable"):
        load_table(tmp_path / "absent.xlsx")


def test_missing_sheet_error_lists_available_sheets(gl_xlsx):
    with pytest.raises(MissingSheetError, match=r"grand_livre\.xlsx: .*« Nope ».*« Écritures »"):
        load_table(gl_xlsx, sheet="Nope", cache=False)


def test_header_not_found_names_file_and_sheet(tmp_path):
    path = tmp_path / "numbers.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Feuil1")
    for r in range(5):
        ws.write_row(r, 0, [r, r * 2, r * 3])
    wb.close()
    with pytest.raises(HeaderNotFoundError, match=r"numbers\.xlsx › Feuil1: aucune ligne"):
        load_table(path, table="gl_lines", cache=False)


def test_missing_column_error_gives_closest_header(tmp_path):
    path = tmp_path / "gl.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("GL")
    ws.write_row(0, 0, ["N° écriture", "Date comptable", "Cmpte", "Débit", "Crédit"])
    ws.write_row(1, 0, ["E1", "05/10/2026", "601000", 10, None])
    wb.close()
    with pytest.raises(MissingColumnError) as err:
        load_table(path, table="gl_lines", cache=False)
    assert err.value.params["column"] == "account"
    assert "« Cmpte »" in str(err.value)
    assert str(err.value).startswith("gl.xlsx › GL: colonne obligatoire « account »")


def test_corrupt_truncated_workbook(gl_xlsx, tmp_path):
    broken = tmp_path / "tronque.xlsx"
    broken.write_bytes(gl_xlsx.read_bytes()[:3000])
    with pytest.raises(CorruptFileError, match=r"tronque\.xlsx: le fichier est endommagé"):
        load_table(broken, cache=False)


@pytest.mark.parametrize(
    ("name", "content", "detail"),
    [("export.csv", gzip.compress(b"a;b\n1;2\n", mtime=0), "gzip"),
     ("releve.csv", b"%PDF-1.4\n%binary", "pdf"),
     ("feuille.slk", b"ID;PWXL;N;E\nC;Y1;X1;K\"a\"\nE\n", "SYLK")],
    ids=["gzip", "pdf", "sylk"],
)
def test_unsupported_formats_are_named(tmp_path, name, content, detail):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnsupportedFormatError, match=rf"{name}: .*\({detail}\)"):
        load_table(path, cache=False)


def test_password_protected_workbook(corpus_dir):
    path = corpus_dir / "robustness/python-calamine/password.xlsx"
    with pytest.raises(PasswordProtectedError, match=r"password\.xlsx: le classeur est protégé"):
        load_table(path, cache=False)


def test_resource_limits_refuse_before_reading(gl_xlsx):
    with pytest.raises(ResourceLimitError, match=r"grand_livre\.xlsx: lecture refusée"):
        load_table(gl_xlsx, cache=False, limits=Limits(max_file_bytes=1000))
    with pytest.raises(ResourceLimitError, match=r"parties"):
        load_table(gl_xlsx, cache=False, limits=Limits(max_zip_entries=3))


def test_reader_timeout_becomes_resource_limit_error(gl_xlsx):
    with pytest.raises(ResourceLimitError, match=r"la lecture a dépassé"):
        load_table(gl_xlsx, cache=False, limits=Limits(read_timeout_s=0.000001))
    assert load_table(gl_xlsx, table="gl_lines", cache=False).shape == (4, 15)


def test_far_apart_cells_cannot_take_the_process_down(tmp_path, gl_xlsx):
    # Two cells, A1 and XFD1048576: calamine allocates a dense 17-billion-cell grid and
    # aborts. The reader process dies; this process gets an error and carries on.
    path = tmp_path / "bombe.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet()
    ws.write(0, 0, "a")
    ws.write(1048575, 16383, "b")
    wb.close()
    assert path.stat().st_size < 10_000
    with pytest.raises((ResourceLimitError, CorruptFileError), match=r"bombe\.xlsx"):
        load_table(path, cache=False)
    assert load_table(gl_xlsx, table="gl_lines", cache=False).shape == (4, 15)


# --------------------------------------------------------------------------- safety


def test_input_file_is_never_modified_and_nothing_is_written_beside_it(gl_xlsx):
    before = (gl_xlsx.read_bytes(), gl_xlsx.stat().st_mtime_ns, sorted(gl_xlsx.parent.iterdir()))
    load_table(gl_xlsx, table="gl_lines")
    load_table(gl_xlsx, table="gl_lines")  # second time from the cache
    load_table(gl_xlsx, cache=False)
    after = (gl_xlsx.read_bytes(), gl_xlsx.stat().st_mtime_ns, sorted(gl_xlsx.parent.iterdir()))
    assert after == before
