"""Actual cost at ledger-line grain and by any grouping (kpi-reference F1).

:func:`cost_lines` is the one place ledger lines become cost lines (scope, category,
cost-centre attributes, vendor); every other cost KPI starts from it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..accounts import UNALLOCATED, map_accounts, map_cost_centers
from ..i18n import t
from ..money import as_money
from ._common import (
    SCOPES,
    _check_by,
    _check_choice,
    _propagate_vendor,
    _scope_mask,
    _sorted,
    _sum_money,
)

__all__ = ["category_label", "cost_lines", "costs_by"]


_LINE_COLUMNS = [
    "entry_id", "line_no", "period", "posting_date", "account", "account_label", "cost_center",
    "vendor_id", "description", "document_ref", "amount",
]


def category_label(category: str, lang: str | None = None) -> str:
    """Display label of a category code in ``lang`` (« Charges de personnel »)."""
    return t(f"finance.category.{category}", lang)


def cost_lines(
    gl_lines: pd.DataFrame,
    cost_centers: pd.DataFrame | None = None,
    account_map: pd.DataFrame | None = None,
    *,
    scope: str = "class6",
    periods: Sequence[str] | None = None,
    cost_center_filter: Sequence[str] | None = None,
    prepared: pd.DataFrame | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Class-6 ledger lines with their category and cost-centre attributes (F1 grain).

    Parameters
    ----------
    gl_lines:
        Canonical ``gl_lines`` (``amount`` money, debit − credit: a cost is positive).
    cost_centers:
        Canonical ``cost_centers`` master data (department, office); None → unknown.
    account_map:
        Canonical account map; None → :func:`accounts.default_account_map`.
    scope:
        ``"class6"`` (default), ``"total"`` (60–68) or ``"operating"`` (60–65 + 681).
    periods:
        Keep only these accounting periods (default: all).
    cost_center_filter:
        Keep only these cost-centre codes (``UNALLOCATED`` for lines without one).
    prepared:
        This function's result for the whole ledger (``cost_lines(gl_lines, cost_centers,
        account_map)``: class 6, every period), already computed: its rows are only
        filtered by scope, periods and cost centre (the same lines, in the same order).
        Callers computing several KPIs on one ledger prepare it once.
    columns:
        Return only these columns, in this order (default: all of them, below); a KPI
        that sums a few columns of prepared lines copies only those.

    Returns
    -------
    DataFrame
        ``entry_id, line_no, period, posting_date, account, account_label, cost_center,
        vendor_id, description, document_ref, amount`` (EUR, money), ``category,
        sub_category, nature, cost_center_name, department, office, is_total_cost,
        is_operating``. Vendor taken from the entry's 401 line when the cost line has none.
    """
    if prepared is not None:
        return _filter_prepared(prepared, scope, periods, cost_center_filter, columns)
    keep = _scope_mask(gl_lines["account"], scope)
    if periods is not None:
        keep &= gl_lines["period"].isin(list(periods)).to_numpy()
    lines = gl_lines.loc[keep, _LINE_COLUMNS]
    lines["vendor_id"] = _propagate_vendor(gl_lines, lines)
    lines["cost_center"] = lines["cost_center"].fillna(UNALLOCATED).astype("str")
    if cost_center_filter is not None:
        lines = lines[lines["cost_center"].isin(list(cost_center_filter))]
    mapped = map_accounts(lines["account"], account_map)
    lines[["category", "sub_category", "nature"]] = mapped[["category", "sub_category", "nature"]]
    attrs = _per_value(map_cost_centers, lines["cost_center"], cost_centers)
    lines = lines.join(attrs.rename(columns={"name": "cost_center_name"}))
    lines["is_total_cost"] = _scope_mask(lines["account"], "total")
    lines["is_operating"] = _scope_mask(lines["account"], "operating")
    lines["amount"] = as_money(lines["amount"])
    return lines if columns is None else lines[list(columns)]


def _per_value(mapper, values: pd.Series, table: pd.DataFrame | None) -> pd.DataFrame:
    """``mapper(values, table)`` (a value-by-value lookup) run once per distinct value."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    found = mapper(pd.Series(distinct, dtype=values.dtype), table)
    return found.iloc[codes].set_axis(values.index)


def _filter_prepared(prepared: pd.DataFrame, scope: str, periods: Sequence[str] | None,
                     cost_center_filter: Sequence[str] | None,
                     columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The rows of prepared class-6 cost lines in a scope, periods and cost centres (a copy),
    only ``columns`` of them when given."""
    _check_choice(scope, SCOPES, "scope")
    keep = np.ones(len(prepared), dtype=bool)
    if scope != "class6":
        keep &= prepared["is_total_cost" if scope == "total" else "is_operating"].to_numpy(bool)
    if periods is not None:
        keep &= prepared["period"].isin(list(periods)).to_numpy(bool)
    if cost_center_filter is not None:
        keep &= prepared["cost_center"].isin(list(cost_center_filter)).to_numpy(bool)
    if columns is None:
        return prepared.loc[keep]
    return prepared.loc[keep, list(columns)]


def costs_by(
    gl_lines: pd.DataFrame,
    cost_centers: pd.DataFrame | None = None,
    account_map: pd.DataFrame | None = None,
    *,
    by: Sequence[str] = ("period", "category"),
    periods: Sequence[str] | None = None,
    scope: str = "class6",
    cost_center_filter: Sequence[str] | None = None,
    lines: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Actual cost by any grouping (F1): period, cost centre, department, office, category...

    Parameters
    ----------
    by:
        Columns of :func:`cost_lines` to group by (``period``, ``cost_center``,
        ``department``, ``office``, ``category``, ``sub_category``, ``account``,
        ``vendor_id``...). Empty → one total row.
    lines:
        :func:`cost_lines` of the whole ledger already computed (its ``prepared``).
    Other parameters as :func:`cost_lines`.

    Returns
    -------
    DataFrame
        ``*by, amount`` (EUR, money; net of credit notes) ``, n_lines``. The amounts add
        up exactly to the ledger's total of the scope (see :func:`reconcile`).
    """
    lines = cost_lines(gl_lines, cost_centers, account_map, scope=scope, periods=periods,
                       cost_center_filter=cost_center_filter, prepared=lines)
    keys = _check_by(by, [c for c in lines.columns if c != "amount"])
    out = _sum_money(lines, keys)
    counts = lines.groupby(keys, sort=False, dropna=False).size() if keys else len(lines)
    if keys:
        out = out.merge(counts.rename("n_lines").reset_index(), on=keys, how="left")
    else:
        out["n_lines"] = counts
    out["n_lines"] = out["n_lines"].astype("int64")
    return _sorted(out, keys)
