"""Fast lanes of value parsing give, value for value, what the general path gives."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from unittest import mock

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backoffice_lib.loading import lanes, values
from backoffice_lib.loading.lanes import decimal_cents, dmy_fixed, string_bytes
from backoffice_lib.loading.totals import _label_candidates
from backoffice_lib.loading.values import parse_dates, parse_float, parse_money

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"
_NEVER = r"[^\x{0}-\x{10FFFF}]"  # RE2: matches no character, so no value takes the lane


def _general_numbers():
    """Every number through the general normalisation."""
    return mock.patch.object(values, "_LANE", _NEVER)


def _general_dates():
    """Every date through the patterns."""
    def nothing(text):
        return np.zeros(len(text), dtype=bool), {}
    return mock.patch.object(values, "dmy_fixed", nothing)


_NUMBER_TEXT = st.one_of(
    st.from_regex(r"\A-?[0-9]{1,12}(,[0-9]{1,4})?\Z"),
    st.from_regex(r"\A-?[0-9]{1,3}([ \u00a0\u202f\u2009][0-9]{3}){0,4}(,[0-9]{0,3})?\Z"),
    st.from_regex(r"\A[-+(]?[0-9 .,'€%]{0,12}[)-]?\Z"),
    st.text(alphabet=st.sampled_from(list("0123456789 ,.-+()%eE€") + [NBSP, NNBSP]),
            max_size=14),
    st.none(),
)


@given(st.lists(_NUMBER_TEXT, min_size=1, max_size=30))
def test_number_lane_gives_what_the_general_path_gives(texts):
    arr = pa.array(texts, pa.string())
    money, money_bad = parse_money(arr)
    floats, float_bad = parse_float(arr)
    with _general_numbers():
        ref_money, ref_money_bad = parse_money(arr)
        ref_floats, ref_float_bad = parse_float(arr)
    assert money.to_pylist() == ref_money.to_pylist()
    assert money_bad.tolist() == ref_money_bad.tolist()
    assert np.array_equal(floats.to_numpy(zero_copy_only=False),
                          ref_floats.to_numpy(zero_copy_only=False), equal_nan=True)
    assert float_bad.tolist() == ref_float_bad.tolist()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1 234,56", Decimal("1234.56")), (f"-12{NBSP}345{NNBSP}678,9", Decimal("-12345678.90")),
     ("0012,005", Decimal("12.01")), ("-0,004", Decimal("0.00")), ("1234.5", Decimal("1234.50")),
     (f"7{THIN}000", Decimal("7000.00")), ("1,234", Decimal("1.23"))],
    ids=repr,
)
def test_number_lane_reads_french_amounts(text, expected):
    parsed, bad = parse_money(pa.array([text, "n/a"]))
    assert parsed.to_pylist() == [expected, None]
    assert bad.tolist() == [False, True]


@given(st.lists(st.one_of(
    st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)).map(
        lambda d: d.strftime("%d/%m/") + f"{d.year:04d}"),
    st.from_regex(r"\A[0-9]{1,2}[/.-][0-9]{1,2}[/.-]([0-9]{4}|[0-9]{2})\Z"),
    st.from_regex(r"\A[0-9]{2}[/.-][0-9]{2}[/.-][0-9]{4}( 1[0-9]:[0-5][0-9])?\Z"),
    st.from_regex(r"\A20[0-9]{2}-[01][0-9]-[0-3][0-9]\Z"),
    st.text(alphabet=st.sampled_from(list("0123456789/.- ")), max_size=11),
    st.none(),
), min_size=1, max_size=30))
def test_date_lane_gives_what_the_patterns_give(texts):
    arr = pa.array(texts, pa.string())
    fast = parse_dates(arr)
    with _general_dates():
        ref = parse_dates(arr)
    assert fast.values.to_pylist() == ref.values.to_pylist()
    assert fast.bad.tolist() == ref.bad.tolist()
    assert fast.ambiguous.tolist() == ref.ambiguous.tolist()


def test_dmy_fixed_reads_only_the_exact_shape():
    mask, parts = dmy_fixed(pa.array(["05/10/2026", "5/10/2026", "31.12.1999", None,
                                      "05/10/26", "05-10/2026", "0a/10/2026"]))
    assert mask.tolist() == [True, False, True, False, False, True, False]
    assert parts["d"][[0, 2, 5]].tolist() == [5, 31, 5]
    assert parts["m"][[0, 2, 5]].tolist() == [10, 12, 10]
    assert parts["y"][[0, 2, 5]].tolist() == [2026, 1999, 2026]


def test_parse_dates_month_first_column_still_detected_with_the_lane():
    result = parse_dates(pa.array(["12/31/2026", "01/15/2026", "02/03/2026"]))
    assert result.values.to_pylist() == [dt.datetime(2026, 12, 31), dt.datetime(2026, 1, 15),
                                         dt.datetime(2026, 2, 3)]
    assert not result.bad.any() and not result.ambiguous.any()


@given(st.lists(st.from_regex(r"\A[0-9]{1,16}(\.[0-9]{0,8})?\Z"), min_size=1, max_size=40))
def test_decimal_cents_round_half_up_on_the_third_decimal(texts):
    texts = [t.rstrip(".") for t in texts]
    expected = [int(Decimal(t).quantize(Decimal("0.01"), ROUND_HALF_UP) * 100) for t in texts]
    assert decimal_cents(pa.array(texts)).tolist() == expected
    assert lanes._digit_cents(pa.array(texts)).tolist() == expected  # the long-text path


def test_decimal_cents_beyond_arrow_decimal_precision():
    texts = ["1." + "0" * 2 + "5" + "1" * 40, "12.3", "0." + "9" * 45]
    assert decimal_cents(pa.array(texts)).tolist() == [101, 1230, 100]


def test_decimal_cents_reads_a_sliced_array():
    arr = pa.array(["9", "1.005", "9999999999999999.995", "0.004"]).slice(1)
    assert decimal_cents(arr).tolist() == [101, 10**18, 0]


def test_string_bytes_skips_nulls():
    data, starts, lengths, valid = string_bytes(pa.array(["ab", None, "é"]))
    assert valid.tolist() == [True, False, True]
    assert lengths.tolist() == [2, 0, 2]
    assert bytes(data[starts[2]:starts[2] + 2]).decode() == "é"


def _reference_candidates(arr: pa.Array) -> list[int]:
    first = pc.ascii_lower(pc.utf8_slice_codeunits(arr, 0, 2))
    hits = pc.or_kleene(pc.is_in(first, value_set=pa.array(["to", "so", "gr", "su", "cu"])),
                        pc.starts_with(arr, " "))
    maybe = np.flatnonzero(pc.fill_null(hits, False).to_numpy(zero_copy_only=False))
    keep = pc.match_substring_regex(arr.take(pa.array(maybe, pa.int64())),
                                    r"(?i)^\s*(sous[- ]?|grand |sub[- ]?)?tota|^\s*somme"
                                    r"|^\s*sum\b|^\s*cumul")
    return maybe[np.asarray(pc.fill_null(keep, False).to_numpy(zero_copy_only=False),
                            dtype=bool)].tolist()


@given(st.lists(st.one_of(
    st.sampled_from(["Total", "TOTAL GÉNÉRAL", " total", "Sous-total", "Grand total", "Somme",
                     "sum", "Cumul", "Totaux", "CC010", "Tô", "tö", "Su", "S", "", "été"]),
    st.text(alphabet=st.sampled_from(list("toTOsSuUgGrRcC @[`{é ")), max_size=6),
    st.none()), min_size=1, max_size=30))
def test_totals_label_candidates_read_from_bytes_as_before(texts):
    arr = pa.array(texts, pa.string())
    assert _label_candidates(arr).tolist() == _reference_candidates(arr)


@given(st.lists(st.one_of(st.none(), st.text(
    alphabet=st.sampled_from(list("ab1 \t\n\x0b\x1c\x7fé") + [NBSP, NNBSP, THIN, "\u2028", "\u3000",
                                                          "\x85"]), max_size=6)),
    min_size=1, max_size=30))
def test_blank_to_null_trims_only_what_utf8_trim_whitespace_trims(texts):
    arr = pa.array(texts, pa.string())
    trimmed = pc.utf8_trim_whitespace(arr)
    expected = pc.if_else(pc.equal(pc.utf8_length(trimmed), 0), pa.scalar(None, pa.string()),
                          trimmed)
    assert values._blank_to_null(arr).to_pylist() == expected.to_pylist()


def _python_datetime(y, m, d, hh, mi, ss):
    try:
        return np.datetime64(dt.datetime(y, m, d, hh, mi, ss), "us")
    except ValueError:
        return np.datetime64("NaT", "us")


@given(st.lists(st.tuples(st.integers(990, 10_010), st.integers(0, 13), st.integers(0, 32),
                          st.integers(0, 25), st.integers(0, 61), st.integers(0, 61)),
                min_size=1, max_size=40))
def test_compose_builds_the_dates_python_builds(parts):
    y, m, d, hh, mi, ss = (np.array(c, dtype="float64") for c in zip(*parts, strict=True))
    result, ok = values._compose(y, m, d, hh, mi, ss)
    expected = [_python_datetime(*map(int, p)) if 1000 <= p[0] <= 9999 else
                np.datetime64("NaT", "us") for p in parts]
    assert result.dtype == np.dtype("datetime64[us]")
    assert [str(v) for v in result] == [str(v) for v in expected]
    assert ok.tolist() == [not np.isnat(v) for v in expected]
