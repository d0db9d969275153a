"""Vectorised French export formatting: amounts, quantities, dates and flags as text.

Every function takes a numpy array (or pandas Series) and returns a pyarrow string array
of the same length; missing values become empty strings. Amounts come in integer cents
(``-123456`` → ``-1234,56``); quantities print without decimals when whole (``12``,
``0,5``).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["bool_text", "date_text", "datetime_text", "money_text", "number_text", "text"]


def _fill(arr: pa.Array) -> pa.Array:
    return pc.fill_null(arr, "")


def text(values) -> pa.Array:
    """Strings as they are (missing → empty)."""
    return _fill(pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True))


def money_text(cents, *, thousands: str = "", blank_zero: bool = False,
               decimal: str = ",") -> pa.Array:
    """Cents → ``1234,56`` (or ``1 234,56`` with a ``thousands`` separator); minus sign first."""
    cents = np.asarray(cents)
    missing = None
    if cents.dtype.kind == "f":
        missing = np.isnan(cents)
        cents = np.where(missing, 0, cents)
    cents = cents.astype(np.int64)
    absolute = np.abs(cents)
    euros = pc.cast(pa.array(absolute // 100), pa.string())
    if thousands:
        euros = _group_thousands(euros, thousands)
    frac = pc.utf8_lpad(pc.cast(pa.array(absolute % 100), pa.string()), 2, "0")
    body = pc.binary_join_element_wise(euros, frac, decimal)
    sign = pa.array(np.where(cents < 0, "-", ""))
    out = pc.binary_join_element_wise(sign, body, "")
    blank = (cents == 0) if blank_zero else np.zeros(cents.size, dtype=bool)
    if missing is not None:
        blank |= missing
    return pc.if_else(pa.array(blank), "", out) if blank.any() else out


def _group_thousands(digits: pa.Array, sep: str) -> pa.Array:
    """``1234567`` → ``1 234 567`` with ``sep`` between groups of three digits."""
    return pa.array([f"{int(d):,}".replace(",", sep) for d in digits.to_pylist()],
                    type=pa.string())


def number_text(values, decimals: int = 2) -> pa.Array:
    """Numbers with a decimal comma: whole values without decimals, else up to ``decimals``."""
    values = np.asarray(values, dtype=float)
    missing = np.isnan(values)
    rounded = np.round(np.where(missing, 0, values), decimals)
    whole = rounded == np.round(rounded)
    as_int = pc.cast(pa.array(np.round(rounded).astype(np.int64)), pa.string())
    as_dec = pa.array([f"{v:.{decimals}f}".rstrip("0").replace(".", ",") for v in rounded[~whole]],
                      type=pa.string())
    out = np.empty(values.size, dtype=object)
    out[whole] = as_int.to_numpy(zero_copy_only=False)[whole]
    out[~whole] = as_dec.to_numpy(zero_copy_only=False)
    out[missing] = ""
    return pa.array(out, type=pa.string())


def date_text(dates, fmt: str = "%d/%m/%Y") -> pa.Array:
    """Dates → ``dd/mm/yyyy`` (or ``fmt``); NaT → empty."""
    arr = np.asarray(dates).astype("datetime64[s]")
    return _fill(pc.strftime(pa.array(arr, type=pa.timestamp("s"), from_pandas=True), fmt))


def datetime_text(values) -> pa.Array:
    """Timestamps → ``dd/mm/yyyy hh:mm``; NaT → empty."""
    return date_text(values, "%d/%m/%Y %H:%M")


def bool_text(values) -> pa.Array:
    """Booleans → ``Oui`` / ``Non``."""
    return pa.array(np.where(np.asarray(values, dtype=bool), "Oui", "Non"), type=pa.string())
