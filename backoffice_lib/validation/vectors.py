"""Vectorised helpers of the rules: exact money as integer cents, periods as numbers."""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .schemas import PERIOD_PATTERN

__all__ = ["cents", "months_between", "period_numbers"]

_PERIOD = re.compile(PERIOD_PATTERN)


def cents(money: pd.Series) -> tuple[np.ndarray, np.ndarray, int]:
    """An Arrow-decimal column as exact integers of its smallest unit.

    Returns ``(units, missing, scale)``: int64 values (``12.34`` → ``1234`` at scale 2,
    0 where missing), the mask of missing values, and the decimal scale. Sums of
    ``units`` are exact, like Decimal sums, and fast.
    """
    data = pa.chunked_array(money.array.__arrow_array__())
    scale = data.type.scale
    factor = pa.scalar(Decimal(10) ** scale, pa.decimal128(scale + 1, 0))
    units = pc.cast(pc.multiply(data, factor), pa.int64())
    return pc.fill_null(units, 0).to_numpy(), money.isna().to_numpy(), scale


def period_numbers(periods: pd.Series) -> np.ndarray:
    """``YYYY-MM`` texts as ``YYYYMM`` floats (NaN where empty or not a period)."""
    codes, uniques = pd.factorize(periods)
    parsed = [
        float(text[:4] + text[5:7]) if _PERIOD.fullmatch(text) else np.nan
        for text in map(str, uniques)
    ]
    return np.append(np.asarray(parsed, dtype="float64"), np.nan)[codes]


def months_between(first: int, last: int) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` (``YYYYMM`` numbers), inclusive."""
    months = []
    year, month = divmod(first, 100)
    while year * 100 + month <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
