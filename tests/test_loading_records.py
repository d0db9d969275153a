"""Text splitting: the pyarrow fast path gives what the csv module gives, or steps aside."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_lib import load_table
from backoffice_lib.loading import text as text_module
from backoffice_lib.loading.records import python_records
from backoffice_lib.loading.records_arrow import arrow_records

NBSP, NNBSP = "\u00a0", "\u202f"


def _both(text: str, sep: str = ";"):
    """(fast, reference) records of ``text``."""
    return arrow_records(text, sep, 60), python_records(text, sep, 60)


def _assert_same(fast, slow, starts=(0, 1, 2), widths=(0, 3, 9)) -> None:
    assert fast.starts.tolist() == slow.starts.tolist()
    assert fast.head == slow.head
    for start in starts:
        for width in widths:
            got = [c.to_pylist() for c in fast.columns(start, width)]
            want = [c.to_pylist() for c in slow.columns(start, width)]
            assert got == want, (start, width)


def _load_both(path: Path, **kwargs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``load_table`` on the fast path, then with the fast splitter switched off."""
    fast = load_table(path, cache=False, **kwargs)
    with mock.patch.object(text_module, "arrow_records", return_value=None):
        slow = load_table(path, cache=False, **kwargs)
    return fast, slow


class _Spy:
    """Stands in for the fast splitter and remembers what it answered."""

    def __init__(self) -> None:
        self.answers: list = []

    def __call__(self, *args):
        answer = arrow_records(*args)
        self.answers.append(answer)
        return answer

    @property
    def fast(self) -> bool:
        """The last load took the fast path."""
        return self.answers[-1] is not None


def _assert_frames_equal(fast: pd.DataFrame, slow: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    assert fast.attrs["source"] == slow.attrs["source"]


# --------------------------------------------------------------------------- records


TRICKY = {
    "quoted-separator": 'a;b;c\n"1;5";x;"y"\n2;"";z\n',
    "doubled-quotes": 'a;b\n"dit ""bonjour""";"""";\n"x""";y\n',
    "blank-and-space-lines": f"a;b\n\n  \n;;\n{NBSP};{NNBSP}\n1;2\n\t;\n3;4\n",
    "python-only-whitespace": "a;b\n\x1c;\x1f\n\u2028;\n1;2\n",
    "non-ascii-only-line": "a;b\né;\n1;2\n",
    "ragged": "a;b;c\n1;2\n3;4;5;6\n7;8;9\n10\n",
    "quote-inside-field": 'a;b\n12" tube;x\n3;l\'"écu"\n',
    "title-above-header": "Grand livre 2026\n\nCompte;Montant\n601000;1 234,56\n606300;7\n",
    "trailing-separator": "a;b;\n1;2;\n3;4;\n",
    "no-final-newline": "a;b\n1;2",
    "quoted-only-blank": 'a;b\n" ";""\n1;2\n',
    "one-column": "Libellé\nx\n\ny\n",
}


@pytest.mark.parametrize("text", TRICKY.values(), ids=TRICKY.keys())
def test_arrow_records_match_the_csv_module(text):
    fast, slow = _both(text)
    assert fast is not None and fast.parser == "arrow"
    _assert_same(fast, slow)


def test_arrow_records_tab_and_pipe_separators():
    for sep in ("\t", "|", ","):
        text = f'Compte{sep}Libellé{sep}Montant\n601000{sep}"a{sep}b"{sep}1\n\n606300{sep}c{sep}\n'
        fast, slow = _both(text, sep)
        assert fast is not None
        _assert_same(fast, slow)


def test_arrow_records_keep_row_numbers_of_the_lines():
    fast, _ = _both("titre\n\na;b\n1;2\n\n\n3;4\n")
    assert fast.starts.tolist() == [1, 3, 4, 7]
    assert [c.to_pylist() for c in fast.columns(2, 2)] == [["1", "3"], ["2", "4"]]


def test_ragged_rows_on_the_fast_path_are_padded_and_widened():
    fast, _ = _both("a;b;c\n1;2\n3;4;5;6\n")
    assert [c.to_pylist() for c in fast.columns(1, 3)] == [
        ["1", "3"], ["2", "4"], [None, "5"], [None, "6"]]


ODD = {
    "multi-line-field": 'a;b\n"deux\nlignes";1\n',
    "text-after-closing-quote": 'a;b\n"ab"c;1\n',
    "unterminated-quote": 'a;b\n"ab;1\n2;3\n',
}


@pytest.mark.parametrize("text", ODD.values(), ids=ODD.keys())
def test_arrow_records_step_aside_when_a_record_may_span_lines(text):
    assert arrow_records(text, ";", 60) is None


def test_arrow_records_step_aside_for_multi_character_separators():
    assert arrow_records("a::b\n1::2\n", "::", 60) is None


# --------------------------------------------------------------------------- load_table


def test_load_table_fast_and_slow_paths_agree_on_a_french_export(tmp_path):
    path = tmp_path / "gl.csv"
    path.write_bytes((
        "Grand livre — exercice 2026\n;;;;\n"
        "N° écriture;Date comptable;Compte;Libellé;Débit;Crédit\n"
        f'E1;05/10/2026;00601;"Achat; papier";1{NBSP}234,56;\n'
        f"E1;05/10/2026;401000;Fournisseur;;1{NNBSP}234,56\n"
        "E2;31/04/2026;606300;Date impossible;12,5;\n"
        'E3;06/10/2026;606300;"Dit ""ok""";abc;\n'
        ";;;Total;1 247,06;1 234,56\n").encode("utf-8-sig"))
    fast, slow = _load_both(path, table="gl_lines")
    _assert_frames_equal(fast, slow)
    assert list(fast.index) == [4, 5, 6, 7]
    assert fast["account"].tolist() == ["00601", "401000", "606300", "606300"]
    assert fast["description"].tolist() == ["Achat; papier", "Fournisseur", "Date impossible",
                                            'Dit "ok"']
    assert fast["amount"].tolist()[:3] == [Decimal("1234.56"), Decimal("-1234.56"),
                                           Decimal("12.50")]
    assert pd.isna(fast["amount"].iloc[3])
    assert fast["posting_date"].tolist()[:2] == [pd.Timestamp("2026-10-05")] * 2
    issues = [(i.rule, i.cell, i.row) for i in fast.attrs["source"].issues]
    assert issues == [("INVALID_DATE", "B6", 6), ("INVALID_NUMBER", "E7", 7),
                      ("TOTAL_ROW_EXCLUDED", "D8", 8)]


def test_load_table_odd_file_falls_back_and_keeps_row_numbers(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text('Compte;Libellé;Montant\n601000;"sur\ndeux lignes";10\n'
                    "606300;court\n606400;x;n/a;extra\n613200;y;5\n", encoding="utf-8")
    spy = _Spy()
    with mock.patch.object(text_module, "arrow_records", spy):
        result = load_table(path, cache=False)
    assert not spy.fast  # the quoted line break sent the file to the csv module
    assert list(result.index) == [2, 4, 5, 6]
    assert result["Libellé"].tolist() == ["sur\ndeux lignes", "court", "x", "y"]
    assert result["D"].tolist()[2] == "extra"
    assert result["D"].isna().tolist() == [True, True, False, True]


def test_load_table_odd_file_reports_issues_at_their_physical_line(tmp_path):
    path = tmp_path / "paie.csv"
    path.write_text('Mois;Matricule;Salaire brut;Charges patronales\n'
                    '10/2026;"00042\n";3 250,50;1 300\n'
                    "10/2026;00043\n10/2026;00044;abc;12\n", encoding="utf-8")
    spy = _Spy()
    with mock.patch.object(text_module, "arrow_records", spy):
        result = load_table(path, table="payroll", cache=False)
    assert not spy.fast
    assert list(result.index) == [2, 4, 5]
    assert result["employee_id"].tolist() == ["00042", "00043", "00044"]
    issues = [(i.rule, i.cell, i.row, i.value) for i in result.attrs["source"].issues]
    assert issues == [("INVALID_NUMBER", "C5", 5, "abc")]


def test_load_table_ragged_file_stays_on_the_fast_path_with_its_row_numbers(tmp_path):
    path = tmp_path / "paie.csv"
    path.write_text("Mois;Matricule;Salaire brut;Charges patronales\n\n"
                    "10/2026;00042;3 250,50;1 300,20\n10/2026;00043\n"
                    "10/2026;00044;abc;12;note\n", encoding="utf-8")
    spy = _Spy()
    with mock.patch.object(text_module, "arrow_records", spy):
        fast = load_table(path, table="payroll", cache=False)
    assert spy.fast
    _, slow = _load_both(path, table="payroll")
    _assert_frames_equal(fast, slow)
    assert list(fast.index) == [3, 4, 5]
    assert fast["gross_salary"].tolist()[0] == Decimal("3250.50")
    assert fast["employer_charges"].tolist()[0] == Decimal("1300.20")
    issues = [(i.rule, i.cell, i.row, i.value) for i in fast.attrs["source"].issues]
    assert issues == [("INVALID_NUMBER", "C5", 5, "abc")]


# --------------------------------------------------------------------------- properties

_TEXT = st.text(alphabet=st.sampled_from(list("abcdéèçôÉ -'/;\"") + [NBSP]), max_size=12)
_ROW = st.tuples(
    st.integers(0, 99_999),  # account, written with leading zeros
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)),
    _TEXT,
    st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2),
    st.sampled_from([" ", NBSP, NNBSP, ""]),
)


def _french(amount: Decimal, group: str) -> str:
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{group.join(groups)},{cents}"


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ';"') else value


@given(rows=st.lists(_ROW, min_size=1, max_size=25),
       encoding=st.sampled_from(["cp1252", "utf-8-sig"]),
       blank_every=st.integers(2, 9), title=st.booleans())
def test_french_csv_loads_the_same_fast_and_slow(rows, encoding, blank_every, title):
    lines = ["Journal des achats", ""] if title else []
    lines.append("Compte;Date comptable;Libellé;Montant;Devise")
    for k, (account, day, label, amount, group) in enumerate(rows):
        if encoding == "cp1252" and group == NNBSP:
            group = NBSP  # cp1252 has no narrow no-break space
        lines.append(";".join([f"{account:06d}", day.strftime("%d/%m/%Y"), _quoted(label),
                               _french(amount, group), "EUR"]))
        if k % blank_every == 0:
            lines.append(";;;;")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "achats.csv"
        path.write_bytes("\r\n".join(lines).encode(encoding))
        spy = _Spy()
        with mock.patch.object(text_module, "arrow_records", spy):
            fast = load_table(path, cache=False)
        assert spy.fast
        with mock.patch.object(text_module, "arrow_records", return_value=None):
            slow = load_table(path, cache=False)
    _assert_frames_equal(fast, slow)
    assert fast["Compte"].tolist() == [f"{r[0]:06d}" for r in rows]
    assert fast["Date comptable"].tolist() == [pd.Timestamp(r[1]) for r in rows]
    assert fast["Montant"].tolist() == pytest.approx([float(r[3]) for r in rows])
    first = 4 if title else 2
    expected_rows, line = [], first
    for k in range(len(rows)):
        expected_rows.append(line)
        line += 2 if k % blank_every == 0 else 1
    assert list(fast.index) == expected_rows


@given(st.lists(st.text(alphabet=st.sampled_from(list('ab ;"\t') + [NBSP, "\x1c", "é", "Ж",
                                                                   "\u0663", "\u2028"]),
                        max_size=8), min_size=1, max_size=12))
def test_any_single_line_records_split_alike(lines):
    text = "\n".join(lines)
    fast, slow = _both(text)
    if fast is None:  # a quote that may open a multi-line record: the reference decides
        return
    _assert_same(fast, slow, starts=(0, 1), widths=(0, 4))


def test_arrow_records_columns_are_plain_string_arrays():
    fast, _ = _both("a;b\n1;2\n")
    assert all(c.type == pa.string() for c in fast.columns(0, 2))
