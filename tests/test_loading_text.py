"""load_table on text files: encodings, separators, line numbers, FEC."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from backoffice_lib import EmptyFileError, load_table
from backoffice_lib.tables import MONEY

CSV_TEXT = (
    "Matricule;Nom;Date d'entrée;Salaire brut\n"
    "00042;Élodie Durand;01/03/2020;3 250,50\n"
    "00043;François Nguyên;15/09/2021;2 980,00\n"
)


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"],
    ids=["utf8", "utf8-bom", "cp1252", "utf16-bom", "utf16le-nobom"],
)
def test_load_table_csv_encodings(tmp_path, encoding):
    path = tmp_path / "salaries.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    result = load_table(path, cache=False)
    assert list(result.columns) == ["Matricule", "Nom", "Date d'entrée", "Salaire brut"]
    assert result["Matricule"].tolist() == ["00042", "00043"]
    assert result["Nom"].tolist() == ["Élodie Durand", "François Nguyên"]
    assert result["Date d'entrée"].tolist() == [pd.Timestamp("2020-03-01"),
                                               pd.Timestamp("2021-09-15")]
    assert result["Salaire brut"].tolist() == [3250.5, 2980.0]
    assert list(result.index) == [2, 3]


@pytest.mark.parametrize("sep", [";", "\t", "|", ","], ids=["semicolon", "tab", "pipe", "comma"])
def test_load_table_csv_separators(tmp_path, sep):
    path = tmp_path / "t.csv"
    path.write_text(f"Compte{sep}Montant\n601000{sep}12.5\n606300{sep}7\n", encoding="utf-8")
    result = load_table(path, cache=False)
    assert result.to_dict("list") == {"Compte": [601000, 606300], "Montant": [12.5, 7.0]}


def test_load_table_excel_sep_line_and_quoted_multiline_field(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('sep=;\nCode;Libellé;Montant\nA1;"deux\nlignes";1,5\nA2;simple;2\n',
                    encoding="utf-8")
    result = load_table(path, cache=False)
    assert result["Libellé"].tolist() == ["deux\nlignes", "simple"]
    assert list(result.index) == [3, 5]  # the physical line each record starts on
    assert result.attrs["source"].header_row == 2


def test_load_table_csv_ragged_rows_keep_every_value(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,c\n1,2\n3,4,5,6\n", encoding="utf-8")
    result = load_table(path, cache=False)
    assert list(result.columns) == ["a", "b", "c", "D"]
    assert result["c"].tolist()[1] == 5
    assert result["D"].tolist()[1] == 6
    assert pd.isna(result["c"].iloc[0])


def test_load_table_csv_canonical_payroll(tmp_path):
    path = tmp_path / "paie.csv"
    path.write_text("Mois;Matricule;Salaire brut;Charges patronales\n"
                    "10/2026;00042;3 250,50;1 300,20\n"
                    "2026-10;00043;(12,00);abc\n", encoding="cp1252")
    result = load_table(path, table="payroll", cache=False)
    assert result["period"].tolist() == ["2026-10", "2026-10"]
    assert result["employee_id"].tolist() == ["00042", "00043"]
    assert result["gross_salary"].tolist() == [Decimal("3250.50"), Decimal("-12.00")]
    assert result["gross_salary"].dtype == MONEY
    issues = [(i.rule, i.cell, i.row, i.value) for i in result.attrs["source"].issues]
    assert issues == [("INVALID_NUMBER", "D3", 3, "abc")]


def test_load_table_csv_title_lines_above_header(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Budget 2026;;;\n;;;\nPériode;Centre de coût;Compte;Montant\n"
                    "2026-01;CC010;601000;1 000\n2026-02;CC010;601000;1 100\n",
                    encoding="utf-8")
    result = load_table(path, table="budget", cache=False)
    assert list(result.index) == [4, 5]
    assert result["amount"].tolist() == [Decimal("1000.00"), Decimal("1100.00")]
    assert result["category"].isna().all()


@pytest.mark.parametrize("content", [b"", b"\n", b"  \r\n\r\n"], ids=["0-byte", "newline", "blank"])
def test_empty_text_file_raises(tmp_path, content):
    path = tmp_path / "vide.csv"
    path.write_bytes(content)
    with pytest.raises(EmptyFileError, match=r"vide\.csv: le fichier ne contient aucune donnée"):
        load_table(path, cache=False)


FEC_HEADER = ("JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|"
              "CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|"
              "ValidDate|Montantdevise|Idevise")
FEC_LINES = [
    "AC|Achats|1|20261005|606300|Fournitures||||20261004|Papier|100,00|0,00||||||",
    "AC|Achats|1|20261005|445660|TVA déductible||||20261004|TVA|20,00|0,00||||||",
    "AC|Achats|1|20261005|401000|Fournisseurs|F042|Papeterie||20261004|Papier|0,00|120,00||||||",
    "BQ|Banque|1|20261020|401000|Fournisseurs|F042|Papeterie|||Règlement|120,00|0,00||||||",
    "BQ|Banque|1|20261020|512000|Banque||||||0,00|120,00||||||",
]


def test_load_table_fec_as_gl_lines(tmp_path):
    path = tmp_path / "123456789FEC20261231.txt"
    path.write_text("\n".join([FEC_HEADER, *FEC_LINES]) + "\n", encoding="utf-8")
    result = load_table(path, table="gl_lines", cache=False)
    assert result.attrs["source"].format == "fec"
    assert result["entry_id"].tolist() == ["AC-1", "AC-1", "AC-1", "BQ-1", "BQ-1"]
    assert result["line_no"].tolist() == [1, 2, 3, 1, 2]
    assert result["posting_date"].tolist() == [pd.Timestamp(dt.date(2026, 10, 5))] * 3 + \
        [pd.Timestamp(dt.date(2026, 10, 20))] * 2
    assert result["period"].tolist() == ["2026-10"] * 5
    assert result["amount"].tolist() == [Decimal("100.00"), Decimal("20.00"), Decimal("-120.00"),
                                         Decimal("120.00"), Decimal("-120.00")]
    # The supplier of the 401 line is carried to the other lines of its entry.
    assert result["vendor_id"].tolist() == ["F042"] * 5
    assert result["account_label"].tolist()[0] == "Fournitures"
    assert result["currency"].tolist() == ["EUR"] * 5
    assert result["journal_code"].tolist() == ["AC", "AC", "AC", "BQ", "BQ"]
    assert list(result.index) == [2, 3, 4, 5, 6]
    assert result.attrs["source"].issues == ()


def test_load_table_fec_vendor_only_from_an_entry_naming_one_supplier(tmp_path):
    lines = [
        "AC|Achats|1|20261005|606300|Fournitures||||20261004|Papier|100,00|0,00||||||",
        "AC|Achats|1|20261005|401000|Fournisseurs|F042|Papeterie||20261004|Papier|0,00|60,00||||||",
        "AC|Achats|1|20261005|401000|Fournisseurs|F042|Papeterie||20261004|Papier|0,00|40,00||||||",
        "AC|Achats|2|20261006|606300|Fournitures||||20261006|Lot|50,00|0,00||||||",
        "AC|Achats|2|20261006|401000|Fournisseurs|F042|Papeterie||20261006|Lot|0,00|20,00||||||",
        "AC|Achats|2|20261006|401000|Fournisseurs|F077|Encres||20261006|Lot|0,00|30,00||||||",
    ]
    path = tmp_path / "123456789FEC20261231.txt"
    path.write_text("\n".join([FEC_HEADER, *lines]) + "\n", encoding="utf-8")
    result = load_table(path, table="gl_lines", cache=False)
    # Entry AC-1 names F042 twice (one supplier): its expense line gets it. Entry AC-2
    # names two suppliers: its expense line stays without one.
    assert result["vendor_id"].tolist()[:3] == ["F042"] * 3
    assert pd.isna(result["vendor_id"].iloc[3])
    assert result["vendor_id"].tolist()[4:] == ["F042", "F077"]


def test_workbook_extension_with_plain_sentence_is_corrupt(tmp_path):
    from backoffice_lib import CorruptFileError

    path = tmp_path / "piece.xls"
    path.write_bytes(b"Attachment not found!\r\n")
    with pytest.raises(CorruptFileError, match=r"piece\.xls: .*pas un classeur"):
        load_table(path, cache=False)


def test_sap_xls_that_is_tab_separated_text_loads(tmp_path: Path):
    path = tmp_path / "sap.xls"
    path.write_bytes("Liste\t\t\n\nCode\tLibellé\tDébut\nP1\tProgramme 1\t01.01.2023\n"
                     "P2\tProgramme 2\t01.02.2023\n".encode("cp1252"))
    result = load_table(path, cache=False)
    assert result["Code"].tolist() == ["P1", "P2"]
    assert result["Début"].tolist() == [pd.Timestamp("2023-01-01"), pd.Timestamp("2023-02-01")]


def test_header_matching_prefers_earlier_alias_and_uses_each_column_once(tmp_path):
    path = tmp_path / "journal.csv"
    path.write_text("Date;Date comptable;N° écriture;Compte;Compte;Libellé compte;Libellé;Montant\n"
                    "01/10/2026;05/10/2026;E1;601000;999999;Achats;Papier;10\n",
                    encoding="utf-8")
    result = load_table(path, table="gl_lines", cache=False)
    info = result.attrs["source"]
    assert result["posting_date"].tolist() == [pd.Timestamp("2026-10-05")]
    assert info.columns["posting_date"] == "B"
    assert result["account"].tolist() == ["601000"]
    assert (result["account_label"].tolist(), result["description"].tolist()) == (["Achats"],
                                                                                  ["Papier"])
    duplicates = [(i.rule, i.cell, i.severity) for i in info.issues]
    assert duplicates == [("DUPLICATE_HEADER", "E1", "warning")]


def test_subtotal_and_grand_total_rows_are_set_aside(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_text("Période;Centre de coût;Catégorie;Montant\n"
                    "2026-01;CC010;Achats;1 000\n"
                    "2026-01;CC010;Loyers;500\n"
                    ";;Sous-total CC010;1 500\n"
                    "2026-01;CC020;Achats;600\n"
                    ";;TOTAL GÉNÉRAL;2 100\n", encoding="utf-8")
    result = load_table(path, table="budget", cache=False)
    assert list(result.index) == [2, 3, 5]
    assert result["amount"].sum() == Decimal("2100.00")
    totals = [(i.rule, i.cell, i.value) for i in result.attrs["source"].issues]
    assert totals == [("TOTAL_ROW_EXCLUDED", "C4", "Sous-total CC010"),
                      ("TOTAL_ROW_EXCLUDED", "C6", "TOTAL GÉNÉRAL")]
