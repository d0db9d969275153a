"""Vectorised value parsing: numbers, money, dates, periods (kpi-reference §5.6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_lib.loading.values import (
    parse_bool,
    parse_dates,
    parse_float,
    parse_money,
    parse_period,
    render_text,
)

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,56", Decimal("1234.56")),
        ("1.234,56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("(1 234,56)", Decimal("-1234.56")),
        ("-1234.56 €", Decimal("-1234.56")),
        ("1234,56-", Decimal("-1234.56")),
        (f"1{NBSP}234,5", Decimal("1234.50")),
        (f"1{NNBSP}234{NNBSP}567,89", Decimal("1234567.89")),
        ("1'234.50", Decimal("1234.50")),
        ("12,5", Decimal("12.50")),
        ("1.234.567", Decimal("1234567.00")),
        ("0,125", Decimal("0.13")),
        ("-0,125", Decimal("-0.13")),
        ("1e3", Decimal("1000.00")),
        ("  42  ", Decimal("42.00")),
    ],
    ids=lambda v: repr(v),
)
def test_parse_money_french_and_english_writings(text, expected):
    values, bad = parse_money(pa.array([text]))
    assert values.to_pylist() == [expected]
    assert not bad[0]


@pytest.mark.parametrize("text", ["abc", "12,34,5", "31.12.2026", "(-5)", "80 %", "1-2"])
def test_parse_money_flags_unreadable_text(text):
    values, bad = parse_money(pa.array([text]))
    assert values.to_pylist() == [None]
    assert bad.tolist() == [True]


def test_parse_money_blank_is_missing_not_bad():
    values, bad = parse_money(pa.array(["", "  ", None]))
    assert values.to_pylist() == [None, None, None]
    assert bad.tolist() == [False, False, False]


def test_parse_money_excel_floats_round_half_away_on_displayed_digits():
    # 1.005 and 2.675 are stored just below the half cent; Excel shows 1.005 / 2.675.
    values, bad = parse_money(pa.array([1.005, 2.675, -0.125, 1234.5, None, 1e20]))
    assert values.to_pylist() == [Decimal("1.01"), Decimal("2.68"), Decimal("-0.13"),
                                  Decimal("1234.50"), None, None]
    assert bad.tolist() == [False, False, False, False, False, True]
    assert values.type == pa.decimal128(18, 2)


def test_parse_float_percent_and_grouping():
    values, bad = parse_float(pa.array(["80 %", "1,5", "1.234.567", "x"]))
    assert values.to_pylist() == [0.8, 1.5, 1234567.0, None]
    assert bad.tolist() == [False, False, False, True]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/01/2026", dt.datetime(2026, 1, 5)),
        ("5/1/26", dt.datetime(2026, 1, 5)),
        ("05-01-2026", dt.datetime(2026, 1, 5)),
        ("05.01.2026", dt.datetime(2026, 1, 5)),
        ("2026-01-05", dt.datetime(2026, 1, 5)),
        ("20260105", dt.datetime(2026, 1, 5)),
        ("2026-01-05 13:30:00", dt.datetime(2026, 1, 5, 13, 30)),
        ("05/01/2026 08:15", dt.datetime(2026, 1, 5, 8, 15)),
        ("07/10/83", dt.datetime(1983, 10, 7)),
    ],
)
def test_parse_dates_day_first_iso_and_fec(text, expected):
    result = parse_dates(pa.array([text]))
    assert result.values.to_pylist() == [expected]
    assert not result.bad[0] and not result.ambiguous[0]


def test_parse_dates_rejects_impossible_dates():
    result = parse_dates(pa.array(["31/02/2026", "13/13/2026", "demain"]))
    assert result.values.to_pylist() == [None, None, None]
    assert result.bad.tolist() == [True, True, True]


def test_parse_dates_column_read_month_first_only_when_it_cannot_be_day_first():
    result = parse_dates(pa.array(["03/25/2026", "01/02/2026"]))
    assert result.values.to_pylist() == [dt.datetime(2026, 3, 25), dt.datetime(2026, 1, 2)]
    assert not result.bad.any() and not result.ambiguous.any()


def test_parse_dates_flags_a_month_first_value_in_a_day_first_column():
    result = parse_dates(pa.array(["25/02/2026", "03/25/2026"]))
    assert result.values.to_pylist() == [dt.datetime(2026, 2, 25), None]
    assert result.ambiguous.tolist() == [False, True]
    assert result.bad.tolist() == [False, False]


def test_parse_dates_excel_serials_1900_system_with_its_leap_year_bug():
    result = parse_dates(pa.array([1.0, 59.0, 60.0, 61.0, 46022.5]))
    assert result.values.to_pylist() == [
        dt.datetime(1900, 1, 1), dt.datetime(1900, 2, 28), None, dt.datetime(1900, 3, 1),
        dt.datetime(2025, 12, 31, 12, 0)]
    assert result.bad.tolist() == [False, False, True, False, False]


def test_parse_dates_excel_serials_1904_system():
    result = parse_dates(pa.array([0.0, 44561.0]), date1904=True)
    assert result.values.to_pylist() == [dt.datetime(1904, 1, 1), dt.datetime(2026, 1, 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-10", "2026-10"), ("10/2026", "2026-10"), ("202610", "2026-10"),
     ("octobre 2026", "2026-10"), ("Oct 2026", "2026-10"), ("15/10/2026", "2026-10")],
)
def test_parse_period_writings(text, expected):
    values, bad = parse_period(pa.array([text]))
    assert values.to_pylist() == [expected]
    assert not bad[0]


def test_parse_period_flags_text():
    values, bad = parse_period(pa.array(["bientôt", "2026-13"]))
    assert values.to_pylist() == [None, None]
    assert bad.tolist() == [True, True]


def test_parse_bool_french_words():
    aliases = {"oui": "true", "non": "false", "x": "true"}
    values, bad = parse_bool(pa.array(["Oui", "NON", "x", "peut-être", None]), aliases)
    assert values.to_pylist() == [True, False, True, None, None]
    assert bad.tolist() == [False, False, False, True, False]


def test_render_text_keeps_ids_as_written():
    assert render_text(pa.array([601000.0, 1.5, None])).to_pylist() == ["601000", "1.5", None]
    assert render_text(pa.array([" 00042 ", ""])).to_pylist() == ["00042", None]


# --------------------------------------------------------------------------- properties


def _french(amount: Decimal, group: str) -> str:
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{group.join(groups)},{cents}"


@given(
    st.decimals(min_value=Decimal("-99999999999.99"), max_value=Decimal("99999999999.99"),
                places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([" ", NBSP, NNBSP, ".", "'", ""]),
)
def test_money_written_the_french_way_parses_back_exactly(amount, group):
    text = _french(amount, group)
    values, bad = parse_money(pa.array([text]))
    assert values.to_pylist() == [amount]
    assert not bad.any()


@given(st.decimals(min_value=Decimal("-9999999.99"), max_value=Decimal("9999999.99"),
                   places=2, allow_nan=False, allow_infinity=False))
def test_money_in_parentheses_is_negative(amount):
    text = f"({_french(abs(amount), ' ')})"
    values, _ = parse_money(pa.array([text]))
    assert values.to_pylist() == [-abs(amount)]


@given(st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31)),
       st.sampled_from(["/", "-", "."]))
def test_dates_written_day_first_parse_back(day, sep):
    text = day.strftime(f"%d{sep}%m{sep}%Y")
    result = parse_dates(pa.array([text, "31/12/2000"]))  # a day > 12 fixes the order
    assert result.values.to_pylist()[0] == dt.datetime(day.year, day.month, day.day)
    assert not result.bad.any() and not result.ambiguous.any()


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2099, 12, 31)))
def test_excel_serials_round_trip(day):
    serial = (day - dt.date(1899, 12, 30)).days
    result = parse_dates(pa.array([float(serial)]))
    assert result.values.to_pylist() == [dt.datetime(day.year, day.month, day.day)]


def test_parsing_is_vectorised_on_large_columns():
    # Not a timing assertion: 200,000 values go through in one call and come out aligned.
    n = 200_000
    texts = pa.array([f"{i % 1000},{i % 100:02d}" for i in range(n)])
    values, bad = parse_money(texts)
    assert len(values) == n and not bad.any()
    assert values[123_456].as_py() == Decimal("456.56")
    assert np.count_nonzero(bad) == 0
