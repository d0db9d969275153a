"""Private helpers shared by the stock KPI modules of :mod:`backoffice_lib.stock`.

Reason codes, the usable movements (typed, with their period), day numbers, quantity ×
unit cost in exact cents, grouping keys (``period``, ``category``...) and the checks of
the options.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import ParameterError
from ..i18n import t
from ..money import as_money
from ..periods import periods_of
from ..tables import MONEY

# --------------------------------------------------------------------------- reason codes

#: A ratio's denominator is zero (kpi-reference §0).
DENOM_ZERO = "DENOM_ZERO"
#: Nothing to measure: no order line, no count line in the window (§0).
NO_POPULATION = "NO_POPULATION"
#: No consumption over the window: DIO is not infinite, it is undefined (S2).
NO_CONSUMPTION = "NO_CONSUMPTION"
#: Stock on hand but no demand over the window: coverage is undefined (S3, feeds S6).
NO_DEMAND = "NO_DEMAND"
#: A month-end needed by the KPI is before the first movement: not loaded (§0).
NOT_LOADED = "NOT_LOADED"
#: Items without a category in ``items`` (or unknown to it).
NO_CATEGORY = "NO_CATEGORY"

MOVEMENT_TYPES = ("receipt", "issue", "adjustment", "transfer")

_CENT = pa.scalar(Decimal("0.01"), pa.decimal128(3, 2))


# --------------------------------------------------------------------------- checks


def param_error(key: str, **params: object) -> ParameterError:
    """A ParameterError with the message ``stock.error.<key>`` of the catalogue."""
    return ParameterError(detail=t(f"stock.error.{key}", **params))


def check_by(by: Sequence[str] | str | None, allowed: Sequence[str]) -> list[str]:
    """The grouping keys as a list, each one of ``allowed``."""
    keys = [by] if isinstance(by, str) else list(by or [])
    for key in keys:
        if key not in allowed:
            raise param_error("invalid_by", value=key, allowed=", ".join(allowed))
    return keys


def check_days(value: int, name: str, minimum: int = 1) -> int:
    """A whole number of days ≥ ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise param_error("invalid_days", name=name, value=value, minimum=minimum)
    return int(value)


# --------------------------------------------------------------------------- rows


def usable_movements(movements: pd.DataFrame) -> pd.DataFrame:
    """Movements that move stock: ``date``, ``sku``, ``warehouse`` and ``qty`` present
    (validation reports the others), in date order (ties: file order), with ``period``
    and ``kind`` (``type``; a missing or unknown type counts as an ``adjustment``: an
    unexplained change of stock)."""
    keep = movements[["date", "sku", "warehouse", "qty"]].notna().all(axis=1)
    mv = movements[keep.to_numpy()]
    mv = mv.iloc[np.argsort(mv["date"].to_numpy(), kind="stable")]
    kind = mv["type"].where(mv["type"].isin(MOVEMENT_TYPES), "adjustment")
    return mv.assign(period=periods_of(mv["date"]), kind=kind.astype("str"))


def pair_numbers(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The distinct ``sku, warehouse`` pairs of ``frame`` sorted by sku then warehouse,
    and each row's pair number (its position among them; int64). Neither key may be
    missing (as in :func:`usable_movements`).

    Each key is factorized on its own (sorted codes), then the pairs are the distinct
    ``sku code × warehouses + warehouse code``: the same pairs and order as sorting the
    deduplicated keys, without grouping or sorting the string columns row by row.
    """
    sku_codes, skus = pd.factorize(frame["sku"], sort=True)
    wh_codes, warehouses = pd.factorize(frame["warehouse"], sort=True)
    size = len(skus) * len(warehouses)
    combined = sku_codes.astype("int64") * len(warehouses) + wh_codes
    if size <= 4 * len(frame) + 1024:
        # few possible pairs (the usual case): mark the ones present, number them in
        # order with a running count; O(rows) instead of np.unique's sort of every row
        present = np.zeros(size, dtype=bool)
        present[combined] = True
        distinct, pair = np.flatnonzero(present), (np.cumsum(present) - 1)[combined]
    else:
        distinct, pair = np.unique(combined, return_inverse=True)
    pairs = pd.DataFrame({"sku": skus.take(distinct // len(warehouses)),
                          "warehouse": warehouses.take(distinct % len(warehouses))})
    return pairs, pair.reshape(-1).astype("int64")


def month_numbers(periods: pd.Series, months: Sequence[str]) -> np.ndarray:
    """Position of each ``period`` in the sorted ``months`` (``np.searchsorted``), found
    for the few distinct periods only, then spread to the rows (int64)."""
    codes, distinct = pd.factorize(periods)
    where = np.searchsorted(np.asarray(months), np.asarray(distinct, dtype=object))
    return where[codes].astype("int64")


def day_number(values: pd.Series | dt.date | pd.Timestamp) -> np.ndarray | int:
    """Days since 1970-01-01 of dates (a Series → int64 array; NaT → a very small number)."""
    if isinstance(values, pd.Series):
        days = values.to_numpy(dtype="datetime64[D]")
        out = days.astype("int64")
        out[np.isnat(days)] = np.iinfo("int64").min // 2
        return out
    return int(np.datetime64(pd.Timestamp(values).date(), "D").astype("int64"))


def round_half(values: np.ndarray) -> np.ndarray:
    """Round half away from zero (NaN stays NaN): float cents → whole cents."""
    return np.sign(values) * np.floor(np.abs(values) + 0.5)


def value_cents(qty: np.ndarray, unit_cents: np.ndarray) -> np.ndarray:
    """``qty × unit cost`` in whole cents (float64, NaN when the cost is missing); a zero
    quantity is worth 0 whatever its cost. Exact for whole quantities, rounded half away
    from zero to the cent otherwise."""
    qty = np.asarray(qty, dtype="float64")
    value = round_half(qty * np.asarray(unit_cents, dtype="float64"))
    return np.where(qty == 0, 0.0, value)


def cents_of(money: pd.Series) -> np.ndarray:
    """Money → float64 cents (NaN for NA), for the arithmetic of this package only (exact:
    whole cents up to 2⁵³; through Arrow, without a Python object per value)."""
    arr = pa.array(as_money(money))
    return pc.multiply(arr, pa.scalar(100)).cast(pa.float64()).to_numpy(zero_copy_only=False)


def money_of(cents: np.ndarray | pd.Series) -> pd.Series:
    """Whole cents (float64 with NaN, or int) → a MONEY Series, exactly."""
    arr = pa.array(np.asarray(cents, dtype="float64"), from_pandas=True).cast(pa.int64())
    dec = pc.multiply(arr.cast(pa.decimal128(19, 0)), _CENT)
    return pd.Series(pd.arrays.ArrowExtensionArray(dec.cast(MONEY.pyarrow_dtype)))


def with_category(frame: pd.DataFrame, items: pd.DataFrame | None) -> pd.DataFrame:
    """``frame`` with the ``category`` of its ``sku`` in ``items`` (:data:`NO_CATEGORY`
    when the item or its category is unknown)."""
    if items is None:
        raise param_error("needs_items")
    cats = items[["sku", "category"]].dropna(subset=["sku"]).drop_duplicates("sku")
    out = frame.drop(columns=["category"], errors="ignore").merge(cats, on="sku", how="left")
    out["category"] = out["category"].fillna(NO_CATEGORY).astype("str")
    return out
