"""Helpers for exact money: the ``decimal128(18, 2)`` dtype (:data:`tables.MONEY`).

Money is exact (kpi-reference §0): sums stay Decimal and totals are sums of unrounded
values. pandas supports ``+``, ``−``, comparisons and (groupby) sums on the Arrow
decimal dtype, but not ``cumsum`` or ``rolling``; those go through integer cents here.
Ratios are floats; a ratio that cannot be computed is NaN with a reason code, never 0
or ±inf.

Examples
--------
>>> s = to_money(["1.10", "-2.25"])
>>> to_cents(s).tolist()
[110, -225]
>>> cumsum_money(s).tolist()
[Decimal('1.10'), Decimal('-1.15')]
>>> safe_ratio(1, 0)
(None, 'DENOM_ZERO')
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .tables import MONEY

__all__ = [
    "DENOM_ZERO",
    "ZERO",
    "as_money",
    "cumsum_money",
    "from_cents",
    "money_sum",
    "pct_change",
    "ratio",
    "round_money",
    "safe_ratio",
    "to_cents",
    "to_float",
    "to_money",
]

#: Reason code of a ratio whose denominator is zero or missing.
DENOM_ZERO = "DENOM_ZERO"
#: Zero euros, with two decimals.
ZERO = Decimal("0.00")
_CENT = Decimal("0.01")


def _to_decimal(value: object) -> Decimal | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float):
        value = repr(value)  # shortest text of the float: 0.1 → "0.1", not 0.1000000000000000055
    return Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)


def to_money(values: Iterable[object] | pd.Series) -> pd.Series:
    """A money Series from numbers, Decimals or numeric text (rounded half-up to the cent).

    A Series keeps its index; missing values stay NA.
    """
    if isinstance(values, pd.Series):
        if values.dtype == MONEY:
            return values
        return pd.Series([_to_decimal(v) for v in values], index=values.index, dtype=MONEY)
    return pd.Series([_to_decimal(v) for v in values], dtype=MONEY)


def as_money(values: pd.Series) -> pd.Series:
    """Cast a decimal Series of any precision (a sum is ``decimal128(38, 2)``) back to MONEY."""
    if values.dtype == MONEY:
        return values
    return values.astype(MONEY)


def to_cents(values: pd.Series) -> pd.Series:
    """Money → exact integer cents (``Int64``; NA stays NA)."""
    return (as_money(values) * 100).astype("Int64")


def from_cents(cents: pd.Series) -> pd.Series:
    """Integer cents → money (``Int64``/int Series; NA stays NA), exactly."""
    arr = pa.array(pd.Series(cents).astype("Int64").to_numpy(dtype="object", na_value=None),
                   pa.int64())
    dec = pc.multiply(arr.cast(pa.decimal128(19, 0)), pa.scalar(_CENT, pa.decimal128(3, 2)))
    out = pd.arrays.ArrowExtensionArray(dec.cast(pa.decimal128(18, 2)))
    return pd.Series(out, index=getattr(cents, "index", None))


def cumsum_money(values: pd.Series) -> pd.Series:
    """Exact cumulative sum of a money Series (NA counts as 0), as money."""
    return from_cents(to_cents(values).fillna(0).cumsum())


def money_sum(values: pd.Series) -> Decimal:
    """Exact sum of a money Series as a two-decimal Decimal (0.00 when empty; NA skipped)."""
    total = as_money(values).sum() if len(values) else ZERO
    if total is pd.NA or total is None:
        return ZERO
    return Decimal(total).quantize(_CENT)


def to_float(values: pd.Series) -> pd.Series:
    """Money → float64 (NA → NaN), for charts and ratios only."""
    return pd.Series(values, copy=False).astype("float64")


def round_money(value: object, decimals: int = 0) -> Decimal | None:
    """Round an amount half-up for display only (``Decimal("1234.5")`` → ``Decimal("1235")``)."""
    dec = _to_decimal(value)
    if dec is None:
        return None
    return dec.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _is_zero_or_missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    number = float(value)  # type: ignore[arg-type]
    return math.isnan(number) or number == 0


def safe_ratio(numerator: object, denominator: object) -> tuple[float | None, str | None]:
    """``numerator / denominator`` as a float, or ``(None, "DENOM_ZERO")`` if it cannot be.

    A missing numerator gives ``(None, None)``: nothing to divide, no reason to blame the base.
    """
    if _is_zero_or_missing(denominator):
        return None, DENOM_ZERO
    if numerator is None or numerator is pd.NA:
        return None, None
    return float(numerator) / float(denominator), None  # type: ignore[arg-type]


def pct_change(new: object, base: object) -> tuple[float | None, str | None]:
    """Percent change ``(new − base) / |base|`` (§0); base 0 → ``(None, "DENOM_ZERO")``."""
    if _is_zero_or_missing(base) or new is None or new is pd.NA:
        return None, DENOM_ZERO if _is_zero_or_missing(base) else None
    return (float(new) - float(base)) / abs(float(base)), None  # type: ignore[arg-type]


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.DataFrame:
    """Vectorised :func:`safe_ratio`: columns ``value`` (float, NaN when undefined) and ``reason``.

    ``reason`` is ``"DENOM_ZERO"`` where the denominator is 0 or missing, NA elsewhere.
    """
    num = pd.Series(numerator).astype("float64")
    den = pd.Series(denominator).astype("float64").reindex(num.index)
    bad = den.isna() | (den == 0)
    value = (num / den.where(~bad)).astype("float64")
    reason = pd.Series(np.where(bad, DENOM_ZERO, None), index=num.index, dtype="str")
    return pd.DataFrame({"value": value, "reason": reason})
