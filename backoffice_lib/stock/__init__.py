"""Stock measures (kpi-reference §3): pure functions, DataFrame in, DataFrame out.

The functions take the canonical tables (``items``, ``stock_movements``,
``cycle_counts``, ``order_lines``) at the stock grain of §5.5, (sku, warehouse). There
are no stock snapshots among the inputs: quantities and values on hand are rebuilt from
the signed movements (+ in, − out), valued at the periodic weighted average cost (S9,
see :mod:`.valuation`). Money is exact (MONEY, cents); quantities are floats; ratios are
fractions, None with a reason code when they cannot be computed (§0).

Modules: :mod:`.valuation` (month-end stock rebuilt from the movements, S9).
:mod:`.turnover` (stock value, consumption at cost, turnover and DIO: S1, S2).
:mod:`.availability` (on hand, coverage in days, stockout rates: S3, S5).
:mod:`.service` (fill rates of the order lines: S4).
:mod:`.dormant` (slow movers and dead stock: S6).
:mod:`.abc` (ABC classification by consumption value: S7).
:mod:`.shrinkage` (adjustments lost at cost: S10).
:mod:`.accuracy` (inventory record accuracy from cycle counts: S11).

Example::

    ledger = stock.monthly_stock(movements, period_range("2025-10", "2026-10"))
    stock.inventory_turnover(ledger, r12_range("2026-10"), by=["category"], items=items)
"""

from __future__ import annotations

from ._common import DENOM_ZERO, NO_CONSUMPTION, NO_DEMAND, NO_POPULATION, NOT_LOADED
from .abc import ABC_CLASSES, abc_classes
from .accuracy import IRA_TARGET, TOLERANCES, record_accuracy
from .availability import coverage, on_hand, stockout_rate
from .dormant import STATUSES, check_thresholds, dormant_stock, dormant_summary
from .service import CANCELLED_STATUSES, fill_rate
from .shrinkage import REASON_GROUPS, reason_group, shrinkage
from .turnover import consumption, inventory_turnover, inventory_value
from .valuation import FLOWS, monthly_stock

__all__ = [
    "ABC_CLASSES",
    "CANCELLED_STATUSES",
    "DENOM_ZERO",
    "FLOWS",
    "IRA_TARGET",
    "NOT_LOADED",
    "NO_CONSUMPTION",
    "NO_DEMAND",
    "NO_POPULATION",
    "REASON_GROUPS",
    "STATUSES",
    "TOLERANCES",
    "abc_classes",
    "check_thresholds",
    "consumption",
    "coverage",
    "dormant_stock",
    "dormant_summary",
    "fill_rate",
    "inventory_turnover",
    "inventory_value",
    "monthly_stock",
    "on_hand",
    "reason_group",
    "record_accuracy",
    "shrinkage",
    "stockout_rate",
]
