"""Reconciliation: tie analysed cost tables to the ledger, to the cent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import pandas as pd

from ..accounts import UNALLOCATED
from ..money import ZERO, as_money, to_cents
from ..tables import MONEY
from ._common import _scope_mask

__all__ = ["reconcile"]


def _analysed_total(table: pd.DataFrame, periods: list[str], column: str | None) -> Decimal:
    """Σ of a table's amount column over ``periods`` (all rows if no period)."""
    column = column or next(c for c in ("amount", "actual", "cost", "spend") if c in table)
    rows = table[table["period"].isin(periods)] if "period" in table else table
    values = as_money(rows[column].astype(MONEY))
    return Decimal(values.sum()) if len(values) else ZERO


def reconcile(
    gl_lines: pd.DataFrame,
    analysed_costs: pd.DataFrame | Mapping[str, pd.DataFrame],
    period: str | Sequence[str],
    *,
    amount_column: str | None = None,
    scope: str = "class6",
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Tie analysed tables to the ledger, to the cent.

    The ledger side is computed straight from ``gl_lines`` by account prefix (not through
    the account map): Σ amount of the scope's lines of the period(s).

    Parameters
    ----------
    analysed_costs:
        A cost table, or ``{name: table}``. A table with a ``period`` column is limited
        to ``period``; its amounts are ``amount_column`` (default the first of ``amount``,
        ``actual``, ``cost``, ``spend``). Do not pass tables holding a total row.
    period:
        One period or a list (e.g. a YTD range).
    scope, cost_center_filter:
        As used to build the tables.

    Returns
    -------
    DataFrame
        One row per table: ``table, periods, ledger, analysed, difference`` (EUR, money;
        analysed − ledger) ``, ties`` (difference == 0.00).
    """
    periods = [period] if isinstance(period, str) else list(period)
    tables = analysed_costs if isinstance(analysed_costs, Mapping) else {"costs": analysed_costs}
    gl = gl_lines.loc[gl_lines["period"].isin(periods), ["account", "cost_center", "amount"]]
    gl = gl[_scope_mask(gl["account"], scope)]
    if cost_center_filter is not None:
        gl = gl[gl["cost_center"].fillna(UNALLOCATED).isin(list(cost_center_filter))]
    ledger = Decimal(as_money(gl["amount"]).sum()) if len(gl) else ZERO
    rows = []
    for name, table in tables.items():
        analysed = _analysed_total(table, periods, amount_column)
        span = periods[0] if len(periods) == 1 else f"{periods[0]}..{periods[-1]}"
        rows.append({"table": name, "periods": span, "ledger": ledger,
                     "analysed": analysed, "difference": analysed - ledger})
    out = pd.DataFrame(rows).astype({"ledger": MONEY, "analysed": MONEY, "difference": MONEY})
    out["ties"] = (to_cents(out["difference"]) == 0).astype(bool)
    return out
