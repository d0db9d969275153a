"""Canonical table specs: hand-made frames have the canonical columns and exact money."""

from decimal import Decimal

import pandas as pd

from backoffice_lib.tables import MONEY, TABLES


def test_frame_types_rows_and_fills_missing_columns():
    gl = TABLES["gl_lines"].frame([
        {"entry_id": "00042", "account": "606100", "amount": 1234.56,
         "posting_date": pd.Timestamp("2026-10-31")},
        {"entry_id": "00042", "account": "401000", "amount": -1234.56},
    ])
    assert list(gl.columns) == TABLES["gl_lines"].column_names
    assert gl["amount"].dtype == MONEY
    assert gl["amount"].tolist() == [Decimal("1234.56"), Decimal("-1234.56")]
    assert gl["amount"].sum() == Decimal("0.00")
    assert gl["entry_id"].tolist() == ["00042", "00042"]
    assert gl["posting_date"].isna().tolist() == [False, True]


def test_frame_of_no_rows_is_the_empty_frame():
    spec = TABLES["employees"]
    pd.testing.assert_frame_equal(spec.frame([]), spec.empty_frame())
