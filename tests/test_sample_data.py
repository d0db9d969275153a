"""The fictional company generator (issue: `backoffice sample-data`).

Files are read back with the csv module and openpyxl, never with the package loader, so
these tests check the generator on its own. Small windows keep them quick; the scale-10
run is a manual measurement (see the generator's report).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

from backoffice_lib import config
from backoffice_lib.cli import cli
from backoffice_lib.errors import ParameterError
from backoffice_lib.issues import RULES
from backoffice_lib.sample_data import COMPLETE_MARKER, DEFECTS_FILE, generate
from backoffice_lib.sample_data.build import build_company
from backoffice_lib.sample_data.data_model import DOC_PATH, render_data_model
from backoffice_lib.sample_data.fec import fec_file_name
from backoffice_lib.sample_data.journal import letter_codes
from backoffice_lib.sample_data.layouts import FEC_COLUMNS, LAYOUTS
from backoffice_lib.sample_data.periods import french_holidays, make_window
from backoffice_lib.sample_data.textformat import date_text, money_text, number_text
from backoffice_lib.sample_data.writers import WriteOptions, data_rows, write_fec
from backoffice_lib.tables import TABLES, normalize_header

MONTHS = 3  # enough for every property below except the FEC (a whole year)

# --------------------------------------------------------------------------- helpers


def _csv_rows(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def _dicts(path: Path, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    rows = _csv_rows(path, encoding)
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ".")) if text else Decimal(0)


def _sheet_rows(path: Path, sheet: str | None = None, header_row: int = 1) -> list[dict]:
    wb = openpyxl.load_workbook(path, read_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    wb.close()
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:] if any(v is not None for v in r)]


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> tuple[Path, object]:
    """A clean company of three months (folder, summary)."""
    out = tmp_path_factory.mktemp("sample") / "clean"
    return out, generate(out, months=MONTHS)


@pytest.fixture(scope="module")
def dirty(tmp_path_factory) -> tuple[Path, dict]:
    """The same company, dirty (folder, parsed defects.json)."""
    out = tmp_path_factory.mktemp("sample") / "dirty"
    generate(out, months=MONTHS, dirty=True)
    return out, json.loads((out / DEFECTS_FILE).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- small parts


def test_money_text_french_export_style():
    result = money_text(np.array([-123456, 5, 0, 100000000])).to_pylist()
    assert result == ["-1234,56", "0,05", "0,00", "1000000,00"]


def test_money_text_thousands_separator():
    result = money_text(np.array([123456789]), thousands="\u202f").to_pylist()
    assert result == ["1\u202f234\u202f567,89"]


def test_number_and_date_text():
    result = number_text(np.array([12.0, 0.5, 151.67, -3.0])).to_pylist()
    assert result == ["12", "0,5", "151,67", "-3"]
    dates = np.array(["2026-10-05", "NaT"], dtype="datetime64[D]")
    assert date_text(dates).to_pylist() == ["05/10/2026", ""]
    assert date_text(dates, "%Y%m%d").to_pylist() == ["20261005", ""]


def test_letter_codes():
    assert list(letter_codes(np.array([0, 1, 27, 675, 676]))) == ["AA", "AB", "BB", "ZZ", "AAA"]


def test_french_holidays_2026():
    days = {str(d) for d in french_holidays(2026)}
    # Easter 2026 is 5 April: Monday 6 April, Ascension 14 May, Whit Monday 25 May
    assert {"2026-04-06", "2026-05-14", "2026-05-25", "2026-07-14", "2026-11-11"} <= days
    assert len(days) == 11


def test_window_of_the_default_sample():
    window = make_window("2026-10", 24)
    assert (str(window.start), str(window.end)) == ("2024-11-01", "2026-10-31")
    assert window.complete_years() == [2025]
    assert make_window("2025-12", 12).complete_years() == [2025]
    assert make_window("2026-10", 6).complete_years() == []


def test_data_rows_count_title_header_and_blank_rows():
    options = WriteOptions(title=("Titre", "Sous-titre"), blank_rows_before=(1, 3))
    assert options.header_row == 4
    assert data_rows(4, options).tolist() == [5, 7, 8, 10]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"end_period": "2026-13"}, "2026-13"),
    ({"months": 0}, "0"),
    ({"scale": 0}, "0"),
], ids=["bad-period", "no-months", "no-scale"])
def test_generate_rejects_bad_parameters(tmp_path, kwargs, match):
    with pytest.raises(ParameterError, match=match):
        generate(tmp_path / "out", **kwargs)
    assert not (tmp_path / "out").exists()


def test_layout_headers_are_aliases_of_their_columns():
    for name, layout in LAYOUTS.items():
        spec = TABLES[name]
        for col in layout.columns:
            key = normalize_header(col.header)
            if col.canonical is None:   # informative: must not be taken for another column
                assert all(key not in c.header_keys() for c in spec.columns), (name, col.header)
            elif col.canonical in spec.signed_pairs:
                debit, credit = spec.signed_pairs[col.canonical]
                assert key in debit + credit, (name, col.header)
            elif col.canonical in spec.joined:
                first, second = spec.joined[col.canonical]
                assert key in first + second, (name, col.header)
            else:
                assert key in spec.column(col.canonical).header_keys(), (name, col.header)


def test_every_required_column_is_written():
    for name, layout in LAYOUTS.items():
        written = {c.canonical for c in layout.columns}
        required = {c.name for c in TABLES[name].columns if c.required and not c.derived}
        assert required <= written, name


def test_data_model_doc_is_current():
    assert render_data_model() in DOC_PATH.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- clean company


def test_clean_folder_is_complete_without_answer_key(clean):
    folder, summary = clean
    assert (folder / COMPLETE_MARKER).is_file()
    assert not (folder / DEFECTS_FILE).exists()
    assert {p.name for p in summary.files.values()} == {lay.file_name for lay in LAYOUTS.values()}
    assert all(path.is_file() for path in summary.files.values())
    assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".clean")] == []


def test_files_have_the_layout_headers(clean):
    folder, _ = clean
    for layout in LAYOUTS.values():
        expected = [c.header for c in layout.columns]
        if layout.is_csv:
            first = (folder / layout.file_name).read_bytes().split(b"\r\n", 1)[0]
            assert first.startswith(b"\xef\xbb\xbf")
            assert first[3:].decode("utf-8").split(";") == expected
        else:
            wb = openpyxl.load_workbook(folder / layout.file_name, read_only=True)
            assert wb.sheetnames == [layout.sheet]
            header = next(wb[layout.sheet].iter_rows(max_row=1, values_only=True))
            wb.close()
            assert list(header) == expected


def test_summary_counts_the_rows_written(clean):
    folder, summary = clean
    for name, layout in LAYOUTS.items():
        if layout.is_csv:
            assert len(_csv_rows(folder / layout.file_name)) - 1 == summary.rows[name]
    assert "grand_livre.csv" in summary.describe("fr")
    assert "rows" in summary.describe("en")


def test_every_ledger_entry_balances_to_the_cent(clean):
    folder, _ = clean
    balance: dict[str, Decimal] = defaultdict(Decimal)
    for row in _dicts(folder / "grand_livre.csv"):
        balance[row["N° écriture"]] += _amount(row["Débit"]) - _amount(row["Crédit"])
    assert len(balance) > 1000
    assert {k: v for k, v in balance.items() if v != 0} == {}


def test_ledger_641_645_equal_payroll_per_period_and_cost_centre(clean):
    folder, _ = clean
    gl: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in _dicts(folder / "grand_livre.csv"):
        if row["Compte"][:3] in ("641", "645"):
            period = row["Date comptable"][6:] + "-" + row["Date comptable"][3:5]
            gl[period, row["Centre de coût"]] += _amount(row["Débit"]) - _amount(row["Crédit"])
    pay: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in _dicts(folder / "paie.csv"):
        pay[row["Période"], row["Centre de coût"]] += (_amount(row["Salaire brut"])
                                                      + _amount(row["Charges patronales"]))
    assert len(pay) >= 3 * 25
    assert gl == pay


def test_payroll_lines_belong_to_employees_in_their_month(clean):
    folder, _ = clean
    staff = {r["Matricule"]: r for r in _sheet_rows(folder / "salaries.xlsx")}
    lines = _dicts(folder / "paie.csv")
    assert len(lines) > 1000
    for line in lines:
        person = staff[line["Matricule"]]
        year, month = map(int, line["Période"].split("-"))
        first = np.datetime64(f"{year:04d}-{month:02d}-01")
        last = (np.datetime64(f"{year:04d}-{month:02d}") + 1).astype("datetime64[D]") - 1
        assert np.datetime64(person["Date d'entrée"].date()) <= last
        if person["Date de sortie"] is not None:
            assert np.datetime64(person["Date de sortie"].date()) >= first


def test_employees_are_french_hr_export(clean):
    folder, _ = clean
    staff = _sheet_rows(folder / "salaries.xlsx")
    assert 380 <= sum(r["Date de sortie"] is None for r in staff) <= 440
    assert {r["Sexe"] for r in staff} == {"H", "F"}
    assert {r["Taux d'activité"] for r in staff} == {50, 80, 100}
    assert all(re.fullmatch(r"\d{6}", r["Matricule"]) for r in staff)
    ids = {r["Matricule"] for r in staff}
    assert {r["Responsable"] for r in staff} - {None} <= ids
    motives = {r["Motif de sortie"] for r in staff} - {None}
    assert motives <= {"Démission", "Licenciement", "Rupture conventionnelle", "Fin de CDD",
                       "Retraite"}
    centres = _sheet_rows(folder / "centres_de_cout.xlsx")
    assert {c["Type de fonction"] for c in centres} == {"Back office", "Front office", "Autre"}
    assert {c["Responsable"] for c in centres} <= ids


def test_stock_on_hand_never_negative_and_transfers_pair_up(clean):
    folder, _ = clean
    on_hand: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    legs: dict[str, list[Decimal]] = defaultdict(list)
    lowest = Decimal(0)
    for row in _dicts(folder / "mouvements_stock.csv"):
        key = (row["Article"], row["Dépôt"])
        on_hand[key] += _amount(row["Quantité"])
        lowest = min(lowest, on_hand[key])
        if row["Type de mouvement"] == "Transfert":
            legs[row["Référence transfert"]].append(_amount(row["Quantité"]))
    assert lowest == 0
    assert legs and all(len(v) == 2 and sum(v) == 0 for v in legs.values())
    # each item is held in its default warehouse (the item master's « Dépôt »)
    items = {r["Référence"]: r["Dépôt"] for r in _sheet_rows(folder / "articles.xlsx")}
    held = {sku for sku, warehouse in on_hand if items.get(sku) == warehouse}
    assert held == set(items)


def test_invoice_dates_in_processing_order(clean):
    folder, _ = clean
    invoices = _sheet_rows(folder / "factures_fournisseurs.xlsx")
    assert len({r["N° facture"] for r in invoices}) == len(invoices)
    for r in invoices:
        chain = [r["Date de facture"], r["Date de réception"], r["Date de validation"],
                 r["Date de paiement"]]
        known = [d for d in chain if d is not None]
        assert known == sorted(known) and chain[:2] == known[:2]
    assert any(r["Date de paiement"] is None for r in invoices)          # some still open
    assert any(r["Date de paiement"] and r["Date de paiement"] > r["Échéance"] for r in invoices)


def test_planted_close_findings_are_in_the_ledger(clean):
    folder, summary = clean
    findings = {f["kind"]: f for f in summary.findings}
    assert set(findings) == {"keyed_after_close", "accrual_not_reversed", "unbudgeted_cost"}
    lines = _dicts(folder / "grand_livre.csv")
    late = [r for r in lines if r["N° écriture"] == findings["keyed_after_close"]["entry_id"]]
    dates = {(r["Date comptable"], r["Date de saisie"]) for r in late}
    assert dates == {("30/09/2026", "20/10/2026")}
    accrual_ref = findings["accrual_not_reversed"]["document_ref"]
    assert {r["Date comptable"] for r in lines if r["Pièce"] == accrual_ref} == {"30/09/2026"}
    penalty = [r for r in lines if r["Compte"] == "671200"]
    assert [(p["Centre de coût"], p["Débit"]) for p in penalty] == [("PRD-LIL", "12500,00")]
    budget = _sheet_rows(folder / "budget.xlsx")
    assert "exceptional" not in {b["Catégorie"] for b in budget}
    assert {b["Période"] for b in budget} >= {"2026-08", "2026-12"}   # the whole fiscal year


def test_the_cost_kpis_find_the_planted_close_findings(clean):
    """The findings planted by the generator, found by the KPIs on the files it wrote:
    the entry keyed after September's close (its debits: the invoice with VAT), the
    September accrual left without reversal (named by its own entry), the unbudgeted
    penalty of October."""
    from backoffice_lib import accounts, finance
    from backoffice_lib.loading import load_tables

    folder, summary = clean
    findings = {f["kind"]: f for f in summary.findings}
    t = load_tables({"gl_lines": folder / "grand_livre.csv", "budget": folder / "budget.xlsx",
                     "cost_centers": folder / "centres_de_cout.xlsx"}, cache=False)
    late = finance.cutoff_exceptions(t["gl_lines"], "2026-09")
    late = late[late["check"] == "POSTED_AFTER_CLOSE"]
    assert late["entry_id"].tolist() == [findings["keyed_after_close"]["entry_id"]]
    accrual = finance.cutoff_exceptions(t["gl_lines"], "2026-10")
    accrual = accrual[accrual["check"] == "ACCRUAL_NOT_REVERSED"]
    planted = findings["accrual_not_reversed"]
    assert accrual[["entry_id", "amount"]].values.tolist() == [
        [planted["entry_id"], Decimal(planted["amount_cents"]) / 100]]
    bva = finance.budget_vs_actual(t["gl_lines"], t["budget"], t["cost_centers"],
                                   accounts.default_account_map(), "2026-10").set_index("category")
    assert bva.loc["exceptional", "actual"] == Decimal(findings["unbudgeted_cost"]
                                                       ["amount_cents"]) / 100
    assert bva.loc["exceptional", "reason"] == "UNBUDGETED"


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    generate(tmp_path / "a", months=1, seed=11)
    generate(tmp_path / "b", months=1, seed=11)
    generate(tmp_path / "c", months=1, seed=12)
    a, b, c = (_hashes(tmp_path / x) for x in "abc")
    assert a == b
    assert a["grand_livre.csv"] != c["grand_livre.csv"]
    assert a["salaries.xlsx"] != c["salaries.xlsx"]


def test_generate_replaces_an_existing_folder(tmp_path):
    out = tmp_path / "sample"
    out.mkdir()
    (out / "old.txt").write_text("stale", encoding="utf-8")
    generate(out, months=1)
    assert not (out / "old.txt").exists()
    assert (out / COMPLETE_MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sample"]


def test_scale_two_roughly_doubles_volumes():
    window = make_window("2026-10", 2)
    one = build_company(window, 1, 7).tables
    two = build_company(window, 2, 7).tables
    for name in ("gl_lines", "employees", "supplier_invoices", "payroll", "stock_movements",
                 "order_lines", "service_requests"):
        assert 1.7 <= len(two[name]) / len(one[name]) <= 2.3, name


def test_fec_of_the_last_complete_year(tmp_path):
    company = build_company(make_window("2025-12", 13), 1, 7)
    assert company.fec_year == 2025
    path = tmp_path / fec_file_name(2025)
    write_fec(company.fec, path)
    assert path.name == "732829320FEC20251231.txt"
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    assert lines[0].split("\t") == [name for name, _ in FEC_COLUMNS]
    names = lines[0].split("\t")
    rows = [dict(zip(names, line.split("\t"), strict=True)) for line in lines[1:] if line]
    balance: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in rows:
        balance[r["JournalCode"], r["EcritureNum"]] += _amount(r["Debit"]) - _amount(r["Credit"])
    assert {k: v for k, v in balance.items() if v != 0} == {}
    assert {r["EcritureDate"][:4] for r in rows} == {"2025"}
    assert rows[0]["JournalCode"] == "AN" and rows[0]["EcritureDate"] == "20250101"
    numbers = defaultdict(set)
    for r in rows:
        numbers[r["JournalCode"]].add(int(r["EcritureNum"]))
    assert all(max(n) - min(n) + 1 == len(n) for n in numbers.values())   # no gaps
    paid = [r for r in rows if r["CompteNum"] == "401000" and r["EcritureLet"]]
    assert paid and all(r["CompAuxNum"].startswith("F") and r["DateLet"] for r in paid)


def test_cli_sample_data(tmp_path):
    result = CliRunner().invoke(cli, ["sample-data", "--out", str(tmp_path / "s"), "--months", "1",
                                      "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "grand_livre.csv" in result.output
    assert (tmp_path / "s" / COMPLETE_MARKER).is_file()
    assert not (tmp_path / "s" / DEFECTS_FILE).exists()


def test_default_end_period_is_a_constant():
    assert config.SAMPLE_END_PERIOD == "2026-10"
    assert generate.__kwdefaults__["end_period"] == "2026-10"


# --------------------------------------------------------------------------- dirty company


def _cell_values(folder: Path, defects: list[dict]) -> list:
    """The content of each defect's cell in the written file (each file opened once)."""
    values: list = [None] * len(defects)
    by_file: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(defects):
        by_file[d["file"]].append(i)
    for name, indices in by_file.items():
        if name.endswith(".csv"):
            rows = _csv_rows(folder / name, "cp1252" if name == "paie.csv" else "utf-8-sig")
            for i in indices:
                letter = re.match(r"[A-Z]+", defects[i]["cell"]).group()
                values[i] = rows[defects[i]["row"] - 1][ord(letter) - ord("A")]
        else:
            wb = openpyxl.load_workbook(folder / name)
            for i in indices:
                values[i] = wb[defects[i]["sheet"]][defects[i]["cell"]].value
            wb.close()
    return values


def test_dirty_answer_key_is_well_formed(dirty):
    _, key = dirty
    assert key["seed"] == 7
    rules = [d["rule"] for d in key["defects"]]
    assert set(rules) == {"INVALID_DATE", "INVALID_NUMBER", "DUPLICATE_INVOICE",
                          "UNKNOWN_COST_CENTER", "TOTAL_ROW_EXCLUDED", "UNKNOWN_EMPLOYEE",
                          "NEGATIVE_STOCK"}
    assert all(r in RULES for r in rules) and len(rules) <= 20
    for d in key["defects"]:
        assert d["column"] in TABLES[d["table"]].column_names
        assert re.fullmatch(r"[A-Z]+" + str(d["row"]), d["cell"])
    kinds = {q["kind"] for q in key["quirks"]}
    assert kinds == {"title_above_header", "merged_title_cells", "hidden_first_sheet",
                     "amounts_as_text", "dates_as_text", "blank_rows", "cp1252_encoding"}


def test_dirty_every_defect_cell_holds_its_value(dirty):
    folder, key = dirty
    expected = [d["value"] for d in key["defects"]]
    assert _cell_values(folder, key["defects"]) == expected


def test_dirty_quirks_are_really_there(dirty):
    folder, _ = dirty
    wb = openpyxl.load_workbook(folder / "factures_fournisseurs.xlsx", read_only=True)
    assert wb.sheetnames == ["Paramètres", "Factures"]
    assert wb["Paramètres"].sheet_state == "hidden"
    amount = next(wb["Factures"].iter_rows(min_row=2, max_row=2, values_only=True))[8]
    wb.close()
    assert isinstance(amount, str) and re.fullmatch(r"-?\d{1,3}(\u00a0\d{3})*,\d\d", amount)
    wb = openpyxl.load_workbook(folder / "salaries.xlsx")
    ws = wb["Salariés"]
    assert ws["A1"].value.startswith("Liste du personnel au 31/10/2026")
    assert "A1:N1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A4"].value == "Matricule"
    wb.close()
    raw = (folder / "paie.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("cp1252").startswith("Période;Matricule")
    absences = _sheet_rows(folder / "absences.xlsx")
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", a["Date de début"]) for a in absences)


def test_dirty_quirk_tables_hold_the_clean_values(clean, dirty):
    clean_folder, _ = clean
    dirty_folder, _ = dirty
    clean_items = _sheet_rows(clean_folder / "articles.xlsx")
    assert _sheet_rows(dirty_folder / "articles.xlsx") == clean_items
    clean_abs = _sheet_rows(clean_folder / "absences.xlsx")
    dirty_abs = _sheet_rows(dirty_folder / "absences.xlsx")
    assert [a["Date de début"] for a in dirty_abs] == [
        a["Date de début"].strftime("%d/%m/%Y") for a in clean_abs]
    clean_staff = _sheet_rows(clean_folder / "salaries.xlsx")
    dirty_staff = _sheet_rows(dirty_folder / "salaries.xlsx", header_row=4)
    differing = [i for i, (a, b) in enumerate(zip(clean_staff, dirty_staff, strict=True)) if a != b]
    assert len(differing) == 1   # only the unreadable birth date


def test_dirty_defects_do_not_cascade(clean, dirty):
    clean_folder, _ = clean
    dirty_folder, key = dirty
    rows_of = defaultdict(set)
    for d in key["defects"]:
        rows_of[d["file"], d["rule"]].add(d["row"])
    # the ledger still balances
    balance: dict[str, Decimal] = defaultdict(Decimal)
    for row in _dicts(dirty_folder / "grand_livre.csv"):
        balance[row["N° écriture"]] += _amount(row["Débit"]) - _amount(row["Crédit"])
    assert all(v == 0 for v in balance.values())
    # stock goes below zero exactly at the NEGATIVE_STOCK rows, and nowhere else
    on_hand: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    crossings = set()
    for line, row in enumerate(_dicts(dirty_folder / "mouvements_stock.csv"), start=2):
        key_ = (row["Article"], row["Dépôt"])
        before = on_hand[key_]
        on_hand[key_] += _amount(row["Quantité"])
        if before >= 0 > on_hand[key_]:
            crossings.add(line)
    assert crossings == rows_of["mouvements_stock.csv", "NEGATIVE_STOCK"]
    assert min(on_hand.values()) >= 0
    # without the extra payroll lines, the payroll is the clean one
    extra = {r - 2 for r in rows_of["paie.csv", "UNKNOWN_EMPLOYEE"]}
    dirty_pay = [r for i, r in enumerate(_dicts(dirty_folder / "paie.csv", "cp1252"))
                 if i not in extra]
    assert dirty_pay == _dicts(clean_folder / "paie.csv")
    # without the copies, the invoices are the clean ones
    copies = rows_of["factures_fournisseurs.xlsx", "DUPLICATE_INVOICE"]
    wb = openpyxl.load_workbook(dirty_folder / "factures_fournisseurs.xlsx", read_only=True)
    ids = [r[0] for i, r in enumerate(wb["Factures"].iter_rows(values_only=True), start=1)
           if i > 1 and i not in copies]
    wb.close()
    clean_invoices = _sheet_rows(clean_folder / "factures_fournisseurs.xlsx")
    assert ids == [r["N° facture"] for r in clean_invoices]
