"""Exact money helpers (backoffice_lib.money)."""

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backoffice_lib import money as M
from backoffice_lib.tables import MONEY


def test_to_money_rounds_half_up_to_the_cent():
    result = M.to_money([0.1, 2.675, "1 234.5".replace(" ", ""), None, Decimal("-0.005")])
    assert result.dtype == MONEY
    assert result.tolist()[:3] == [Decimal("0.10"), Decimal("2.68"), Decimal("1234.50")]
    assert pd.isna(result.iloc[3])
    assert result.iloc[4] == Decimal("-0.01")


def test_cents_round_trip_keeps_index_and_na():
    s = pd.Series([Decimal("1.10"), Decimal("-2.25"), None], index=[7, 8, 9], dtype=MONEY)
    cents = M.to_cents(s)
    assert cents.tolist()[:2] == [110, -225] and pd.isna(cents.iloc[2])
    back = M.from_cents(cents)
    pd.testing.assert_series_equal(back, s)


def test_cumsum_money_is_exact():
    s = M.to_money(["0.10", "0.20", None, "-0.30"])
    # floats would give 0.30000000000000004; cents give 0.30 then 0.00
    assert M.cumsum_money(s).tolist() == [Decimal("0.10"), Decimal("0.30"), Decimal("0.30"),
                                          Decimal("0.00")]


def test_money_sum():
    assert M.money_sum(M.to_money(["1.10", None, "2.20"])) == Decimal("3.30")
    assert M.money_sum(M.to_money([])) == Decimal("0.00")


def test_safe_ratio_and_pct_change():
    assert M.safe_ratio(1, 4) == (0.25, None)
    assert M.safe_ratio(1, 0) == (None, "DENOM_ZERO")
    assert M.safe_ratio(1, None) == (None, "DENOM_ZERO")
    # |base|: from −100 to −90 is an improvement of +10 %
    assert M.pct_change(-90, -100) == (pytest.approx(0.10), None)
    assert M.pct_change(90, -100)[0] == pytest.approx(1.9)
    assert M.pct_change(5, 0) == (None, "DENOM_ZERO")


def test_ratio_vectorised():
    result = M.ratio(pd.Series([1.0, 2.0, 3.0]), pd.Series([0.0, None, 2.0]))
    assert np.isnan(result["value"].iloc[0]) and np.isnan(result["value"].iloc[1])
    assert result["value"].iloc[2] == 1.5
    assert result["reason"].fillna("").tolist() == ["DENOM_ZERO", "DENOM_ZERO", ""]


def test_round_money_is_for_display_only():
    assert M.round_money(Decimal("1234.50")) == Decimal("1235")
    assert M.round_money(Decimal("-1234.50"), 1) == Decimal("-1234.5")
    assert M.round_money(None) is None


def test_as_money_casts_sums_back():
    frame = pd.DataFrame({"g": ["a", "a"], "x": M.to_money(["1.00", "2.00"])})
    total = frame.groupby("g")["x"].sum()
    assert total.dtype != MONEY
    assert M.as_money(total).dtype == MONEY


@settings(max_examples=100)
@given(st.lists(st.integers(min_value=-10**15, max_value=10**15), max_size=20))
def test_cents_round_trip_property(values):
    cents = pd.Series(values, dtype="Int64")
    assert M.to_cents(M.from_cents(cents)).tolist() == values
    assert M.to_cents(M.cumsum_money(M.from_cents(cents))).tolist() == list(np.cumsum(values))
