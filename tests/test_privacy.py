"""Small-group suppression (kpi-reference H17)."""

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from backoffice_lib import privacy as PV
from backoffice_lib.errors import ParameterError
from backoffice_lib.tables import MONEY


@pytest.fixture()
def by_department() -> pd.DataFrame:
    """A: 3 people (primary), B: 10, C: 6 (smallest other → secondary), D: 0 (shown), E: 12."""
    return pd.DataFrame({
        "department": ["A", "B", "C", "D", "E"],
        "n_people": np.array([3, 10, 6, 0, 12], dtype="int64"),
        "cost": pd.Series([Decimal(x) for x in ("100", "200", "300", "0", "400")], dtype=MONEY),
        "cost_per_fte": [33.3, 20.0, 50.0, np.nan, 33.3],
    })


def test_primary_and_secondary_suppression(by_department):
    result = PV.suppress_small_groups(by_department)
    assert result["suppressed"].tolist() == [True, False, True, False, False]
    assert result["suppression"].fillna("").tolist() == ["primary", "", "secondary", "", ""]
    assert result["cost"].isna().tolist() == [True, False, True, False, False]
    assert result["n_people"].isna().tolist() == [True, False, True, False, False]
    assert result.loc[1, "cost"] == Decimal("200")
    assert result.loc[3, "n_people"] == 0  # zero counts may be shown


def test_two_primary_cells_need_no_secondary(by_department):
    table = by_department.assign(n_people=[3, 10, 4, 0, 12])
    result = PV.suppress_small_groups(table)
    assert result["suppression"].fillna("").tolist() == ["primary", "", "primary", "", ""]


def test_k_above_five_and_never_below():
    table = pd.DataFrame({"n_people": [5, 6, 7, 8], "x": [1.0, 2.0, 3.0, 4.0]})
    result = PV.suppress_small_groups(table, k=7)
    # 5 and 6 are below 7: two primary suppressions, no secondary needed
    assert result["suppressed"].tolist() == [True, True, False, False]
    with pytest.raises(ParameterError, match="5"):
        PV.suppress_small_groups(table, k=4)


def test_suppression_within_periods():
    table = pd.DataFrame({"period": ["m1", "m1", "m1", "m2", "m2"],
                          "n_people": [2, 8, 9, 20, 30], "x": [1.0, 2, 3, 4, 5]})
    result = PV.suppress_small_groups(table, within=["period"], value_columns=["x"])
    assert result["suppressed"].tolist() == [True, True, False, False, False]
    assert result["n_people"].tolist() == [2, 8, 9, 20, 30]  # only x is hidden


def test_total_row_is_suppressed_only_as_last_resort():
    table = pd.DataFrame({"department": ["A", "B", "TOTAL"], "n_people": [3, 0, 3],
                          "x": [1.0, 0.0, 1.0]})
    result = PV.suppress_small_groups(table, label_column="department")
    # A and the total both come from 3 people: two primary cells, the zero row stays shown
    assert result["suppressed"].tolist() == [True, False, True]


def test_suppress_cells_cross_table_with_margins():
    counts = pd.DataFrame({"x": [3, 10, 13], "y": [7, 8, 15], "TOTAL": [10, 18, 28]},
                          index=["A", "B", "TOTAL"])
    result = PV.suppress_cells(counts.astype("float64"), counts)
    # x/A primary; row A → y/A (7 < TOTAL 10); column x → x/B; column y and row B close up
    expected = pd.DataFrame({"x": [True, True, False], "y": [True, True, False],
                             "TOTAL": [False, False, False]}, index=counts.index)
    pd.testing.assert_frame_equal(result.mask, expected)
    assert result.primary.to_numpy().sum() == 1
    assert np.isnan(result.values.loc["A", "x"]) and result.values.loc["TOTAL", "x"] == 13


def test_suppress_cells_margin_cells_can_be_primary():
    counts = pd.DataFrame({"x": [6, 10, 16], "y": [0, 8, 8], "TOTAL": [6, 18, 24]},
                          index=["A", "B", "TOTAL"])
    counts.loc["A", "x"] = 2
    counts.loc["A", "TOTAL"] = 2
    counts.loc["TOTAL", "x"] = 12
    counts.loc["TOTAL", "TOTAL"] = 20
    result = PV.suppress_cells(counts, counts)
    # row A: x (2) and its total (2) both primary; row A's zero cell y stays visible;
    # column x needs a partner: x/B; column TOTAL needs one: TOTAL/B
    assert result.mask.loc["A"].tolist() == [True, False, True]
    assert result.mask.loc["B"].tolist() == [True, False, True]
    assert not result.mask.loc["TOTAL"].any()


def test_no_margins_means_primary_only():
    counts = pd.DataFrame({"x": [3, 10], "y": [7, 8]}, index=["A", "B"])
    result = PV.suppress_cells(counts, counts)
    assert result.mask.to_numpy().sum() == 1
