"""Private helpers shared by the cost KPI modules of :mod:`backoffice_lib.finance`.

Reason codes and scopes, parameter checks, scope masks, exact money sums, variance
columns, loaded-period and provisional flags, category ordering, vendor propagation
and the month × group grids behind the trend and share KPIs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..accounts import CATEGORIES, account_mask
from ..errors import ParameterError
from ..i18n import t
from ..money import DENOM_ZERO, ZERO, as_money, from_cents, to_cents
from ..tables import MONEY

# --------------------------------------------------------------------------- constants

UNBUDGETED = "UNBUDGETED"
NEW = "NEW"
SHORT_BASE = "SHORT_BASE"
NOT_LOADED = "NOT_LOADED"
PHASING_FLAT = "PHASING_FLAT"
UNKNOWN_VENDOR = "UNKNOWN_VENDOR"
FAVOURABLE, UNFAVOURABLE = "F", "U"

SCOPES = ("class6", "total", "operating")


# --------------------------------------------------------------------------- checks


def _param_error(key: str, **params: object) -> ParameterError:
    """A ParameterError with the message ``finance.<key>`` of the catalogue."""
    return ParameterError(detail=t(f"finance.{key}", **params))


def _check_choice(value: str, allowed: Sequence[str], what: str) -> str:
    """``value`` if it is one of ``allowed``, else a ParameterError naming ``what``."""
    if value not in allowed:
        raise _param_error("invalid_choice", what=what, value=value, allowed=", ".join(allowed))
    return value


def _check_by(by: Sequence[str] | str | None, allowed: Sequence[str]) -> list[str]:
    """The grouping keys as a list, each checked against ``allowed``."""
    keys = [by] if isinstance(by, str) else list(by or [])
    for key in keys:
        _check_choice(key, allowed, "by")
    return keys


# --------------------------------------------------------------------------- scope and periods


def _scope_mask(accounts: pd.Series, scope: str) -> pd.Series:
    """Lines of a scope by PCG prefix: class6 (6*), total (60–68), operating (60–65 + 681)."""
    _check_choice(scope, SCOPES, "scope")

    def in_scope(acc: pd.Series) -> pd.Series:
        if scope == "class6":
            return acc.str[:1] == "6"
        if scope == "total":
            return acc.str[:2].isin([f"6{d}" for d in "012345678"])
        return acc.str[:2].isin([f"6{d}" for d in "012345"]) | (acc.str[:3] == "681")

    return pd.Series(account_mask(accounts, in_scope), index=accounts.index,
                     name=accounts.name)


def _loaded(gl_lines: pd.DataFrame, loaded_periods: Iterable[str] | None) -> set[str]:
    """The loaded periods: given, or every period present in the ledger."""
    if loaded_periods is not None:
        return set(loaded_periods)
    return set(gl_lines["period"].dropna().unique())


def _coverage(periods: Sequence[str], loaded: set[str]) -> float:
    """Fraction of ``periods`` that are loaded (0.0 when there are none)."""
    return sum(p in loaded for p in periods) / len(periods) if periods else 0.0


def _is_provisional(period: str, last_closed_period: str | None) -> bool:
    """True when ``period`` is after the last closed period."""
    return last_closed_period is not None and period > last_closed_period


# --------------------------------------------------------------------------- money and ordering


def _sum_money(frame: pd.DataFrame, keys: list[str], column: str = "amount") -> pd.DataFrame:
    """Exact sum of ``column`` by ``keys`` (one total row when ``keys`` is empty)."""
    if not keys:
        total = as_money(frame[column]).sum() if len(frame) else ZERO
        return pd.DataFrame({column: pd.Series([total], dtype=MONEY)})
    out = frame.groupby(keys, sort=False, dropna=False)[column].sum().reset_index()
    out[column] = as_money(out[column])
    return out


def _category_rank(values: pd.Series) -> pd.Series:
    """Position of each category in the reporting order of :data:`CATEGORIES`."""
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return values.map(order).fillna(len(order)).astype("int64")


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sort by ``keys``; categories follow the reporting order of :data:`CATEGORIES`."""
    if not keys or frame.empty:
        return frame.reset_index(drop=True)
    sort_cols = [f"_rank_{k}" if k == "category" else k for k in keys]
    tmp = frame.assign(_rank_category=_category_rank(frame["category"])) \
        if "category" in keys else frame
    return tmp.sort_values(sort_cols, kind="stable").drop(
        columns=[c for c in ["_rank_category"] if c in tmp]).reset_index(drop=True)


def _variance(actual: pd.Series, base: pd.Series, zero_base_reason: str) -> pd.DataFrame:
    """``var = actual − base``, ``var_pct = var / |base|``, reason and F/U flag (costs).

    Missing amounts count as 0. Base 0 and actual ≠ 0 → pct NA, ``zero_base_reason``;
    both 0 → var 0, pct NA, ``DENOM_ZERO``. Cost: var > 0 is unfavourable (U).
    """
    a = to_cents(actual).fillna(0).to_numpy(dtype="int64")
    b = to_cents(base).fillna(0).to_numpy(dtype="int64")
    var = a - b
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(b != 0, var / np.abs(b).astype("float64"), np.nan)
    reason = np.select([(b == 0) & (a != 0), (b == 0) & (a == 0)],
                       [zero_base_reason, DENOM_ZERO], default=None)
    flag = np.select([var > 0, var < 0], [UNFAVOURABLE, FAVOURABLE], default=None)
    idx = actual.index
    return pd.DataFrame({
        "var": from_cents(pd.Series(var, index=idx)),
        "var_pct": pd.Series(pct, index=idx, dtype="float64"),
        "reason": pd.Series(reason, index=idx, dtype="str"),
        "flag": pd.Series(flag, index=idx, dtype="str"),
    })


# --------------------------------------------------------------------------- ledger lines


def _isin(values: pd.Series, wanted: pd.Series) -> np.ndarray:
    """``values.isin(wanted)`` for text columns through Arrow (pandas loops in Python over
    ``wanted`` for Arrow strings: seconds for a few hundred thousand entries)."""
    value_set = pa.array(pd.unique(wanted.dropna()).astype(str), type=pa.string())
    found = pc.is_in(pa.array(values, type=pa.string(), from_pandas=True), value_set=value_set)
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def _propagate_vendor(gl_lines: pd.DataFrame, lines: pd.DataFrame | None = None) -> pd.Series:
    """Vendor of each line: its own, else the single vendor of its entry's 401 lines (§5.7).

    ``lines`` (rows of ``gl_lines``, default all) are the lines wanted: only their entries
    are searched for 401 lines (a month of a large ledger costs a month, not the ledger).
    """
    lines = gl_lines if lines is None else lines
    own = lines["vendor_id"]
    missing = own.isna()
    entries = lines.loc[missing, "entry_id"]
    pool = gl_lines[["entry_id", "account", "vendor_id"]]
    if lines is not gl_lines:
        pool = pool[_isin(pool["entry_id"], entries)]
    is_401 = pool["account"].astype("str").str.startswith("401").fillna(False)
    supplier = pool.loc[is_401 & pool["vendor_id"].notna(), ["entry_id", "vendor_id"]]
    single = supplier.drop_duplicates().drop_duplicates("entry_id", keep=False)
    found = entries.map(single.set_index("entry_id")["vendor_id"])
    return own.astype("object").where(~missing, found.reindex(own.index)).astype("str")


# --------------------------------------------------------------------------- month grids


def _monthly_cents(lines: pd.DataFrame, periods: list[str], keys: list[str],
                   loaded: set[str]) -> pd.DataFrame:
    """Group × period grid of cents: 0 in loaded months without lines, NA if not loaded."""
    sums = _sum_money(lines, [*keys, "period"])
    sums["cents"] = to_cents(sums["amount"])
    grid = pd.DataFrame({"period": pd.Series(periods, dtype="str")})
    if keys:
        groups = lines[keys].drop_duplicates()
        grid = groups.merge(grid, how="cross")
    grid = grid.merge(sums[[*keys, "period", "cents"]], on=[*keys, "period"], how="left")
    grid["cents"] = grid["cents"].astype("Int64").fillna(0)
    grid["loaded"] = grid["period"].isin(loaded)
    grid["cents"] = grid["cents"].where(grid["loaded"])
    return _sorted(grid, [*keys, "period"])


def _rolling12(grid: pd.DataFrame, keys: list[str], column: str = "cents") -> pd.DataFrame:
    """R12 sum of ``column`` by group (exact, via cumulative sums) and months loaded in window.

    ``grid`` is sorted by group then period, one row per month.
    """
    def _roll(series: pd.Series) -> pd.Series:
        if not keys:
            cum = series.cumsum()
            return cum - cum.shift(12, fill_value=0)
        groups = [grid[k] for k in keys]
        cum = series.groupby(groups, sort=False).cumsum()
        return cum - cum.groupby(groups, sort=False).shift(12, fill_value=0)

    r12 = _roll(grid[column].fillna(0).astype("int64"))
    n_loaded = _roll(grid["loaded"].astype("int64"))
    return pd.DataFrame({"r12": r12, "n_loaded": n_loaded}, index=grid.index)
