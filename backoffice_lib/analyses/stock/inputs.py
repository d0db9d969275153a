"""Set-up of the stock report: the run's parameters → the tables and options it uses.

:func:`load_inputs` loads the stock tables from the run's ``inputs`` (through the table
cache the close fills) and checks the warehouse filter and the dormant-stock thresholds;
:func:`from_tables` does the same from frames already loaded (tests, an analyst's own
tables). ``items`` and ``stock_movements`` are required: without ``cycle_counts`` or
``order_lines``, the sections that need them say so instead of failing.

The expensive intermediates are computed once, on first use, and shared by every
section: the movements of the scope (:attr:`StockInputs.movements`), the month-end
stock rebuilt from them (:attr:`StockInputs.ledger`), the ABC classes
(:attr:`StockInputs.classes`), the daily stockouts (:attr:`StockInputs.stockouts`) and
the monthly fill rates (:attr:`StockInputs.fill`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from ... import stock
from ...errors import ParameterError
from ...i18n import t
from ...params import RunParams
from ...periods import period_end, period_range, r12_range, shift_period, validate_period
from .. import scope

__all__ = ["DEAD_STOCK_DAYS", "DEMAND_DAYS", "HISTORY_MONTHS", "LEAD_DAYS", "OPTIONAL",
           "REQUIRED", "SLOW_MOVER_DAYS", "StockInputs", "from_tables", "load_inputs"]

#: Tables the stock report cannot do without, and those it uses when given.
REQUIRED = ("items", "stock_movements")
OPTIONAL = ("cycle_counts", "order_lines")
#: Dormant-stock thresholds in days without an issue (kpi-reference S6 *defaults*).
SLOW_MOVER_DAYS = 180
DEAD_STOCK_DAYS = 365
#: Demand window of coverage and stockouts (S3, S5 *default*), in days.
DEMAND_DAYS = 90
#: Shipping lead time: younger orders are not counted in the fill rate (S4 *default*).
LEAD_DAYS = 2
#: Months of month-end stock the report shows (the trend), besides the opening month.
HISTORY_MONTHS = 24


@dataclass(frozen=True, eq=False)
class StockInputs:
    """The tables and options every section of the stock report uses.

    ``warehouse_filter`` is None for every warehouse. The tables are read, never
    modified: the cached properties are derived from them once.
    """

    period: str
    items: pd.DataFrame
    stock_movements: pd.DataFrame
    cycle_counts: pd.DataFrame | None = None
    order_lines: pd.DataFrame | None = None
    warehouse_filter: tuple[str, ...] | None = None
    slow_mover_days: int = SLOW_MOVER_DAYS
    dead_stock_days: int = DEAD_STOCK_DAYS

    @property
    def as_of(self) -> dt.date:
        """The last day of the period: the date of every stock figure."""
        return period_end(self.period)

    def _in_scope(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rows dated up to :attr:`as_of`, in the filtered warehouses."""
        keep = frame["date"] <= pd.Timestamp(self.as_of)
        if self.warehouse_filter is not None:
            keep &= frame["warehouse"].isin(list(self.warehouse_filter))
        return frame[keep]

    @cached_property
    def movements(self) -> pd.DataFrame:
        """The stock movements of the scope, to the end of the period."""
        return self._in_scope(self.stock_movements)

    @cached_property
    def ledger(self) -> pd.DataFrame:
        """:func:`stock.monthly_stock` of the scope for the :data:`HISTORY_MONTHS` to the
        period and the month before them (S9: periodic weighted average cost)."""
        months = period_range(shift_period(self.period, -HISTORY_MONTHS), self.period)
        return stock.monthly_stock(self.movements, months)

    @cached_property
    def counts(self) -> pd.DataFrame | None:
        """The cycle counts of the scope (None without the table)."""
        return None if self.cycle_counts is None else self._in_scope(self.cycle_counts)

    @cached_property
    def lines(self) -> pd.DataFrame | None:
        """The order lines to the end of the period (None without the table). Order lines
        do not say which warehouse shipped them: with a warehouse filter, the lines of the
        items that moved in the filtered warehouses are kept (``items.warehouse``, a
        default location, is not where every item is held)."""
        if self.order_lines is None:
            return None
        lines = self.order_lines[self.order_lines["date"] <= pd.Timestamp(self.as_of)]
        if self.warehouse_filter is not None:
            lines = lines[lines["sku"].isin(self.movements["sku"].unique())]
        return lines

    @cached_property
    def fill(self) -> pd.DataFrame | None:
        """:func:`stock.fill_rate` of each of the 12 months to the period (None without
        order lines); orders younger than :data:`LEAD_DAYS` on :attr:`as_of` left out."""
        if self.lines is None:
            return None
        return stock.fill_rate(self.lines, r12_range(self.period), by=["period"],
                               as_of=self.as_of, lead_days=LEAD_DAYS)

    @cached_property
    def classes(self) -> pd.DataFrame:
        """ABC class of every item on its consumption over the 12 months to the period (S7)."""
        return self.classes_at(self.period)

    def classes_at(self, period: str) -> pd.DataFrame:
        """ABC classes on the 12 months to ``period`` (within the ledger's months)."""
        values = stock.consumption(self.ledger, r12_range(period), by=["sku"])
        return stock.abc_classes(values, items=self.items)

    @cached_property
    def stockouts(self) -> pd.DataFrame:
        """:func:`stock.stockout_rate` of the 12 months to the period, demand being the
        issues and the order lines (every pair of their item)."""
        demand = None if self.lines is None else self.lines[["sku", "date"]]
        return stock.stockout_rate(self.movements, r12_range(self.period),
                                   window_days=DEMAND_DAYS, demand=demand)


def _warehouse_filter(codes: Sequence[str], tables: Mapping[str, pd.DataFrame | None]
                      ) -> tuple[str, ...] | None:
    """The filter as a tuple of codes (None when empty), each a warehouse of the items
    or of the movements; ParameterError with the closest code otherwise."""
    known = sorted({str(code) for table in ("items", "stock_movements")
                    for code in tables[table]["warehouse"].dropna().unique()})
    return scope.checked_filter(codes, known, "stock.error.unknown_warehouse")


def from_tables(
    tables: Mapping[str, pd.DataFrame | None],
    period: str,
    *,
    warehouse_filter: Sequence[str] = (),
    slow_mover_days: int = SLOW_MOVER_DAYS,
    dead_stock_days: int = DEAD_STOCK_DAYS,
) -> StockInputs:
    """The report's inputs from canonical tables already loaded (``{table: frame}``).

    Raises
    ------
    ParameterError
        A required table is missing (:data:`REQUIRED`), a warehouse of the filter is
        unknown (with the closest code), or the dormant-stock thresholds are not whole
        numbers of days with ``0 < slow_mover_days < dead_stock_days``.
    """
    missing = [name for name in REQUIRED if tables.get(name) is None]
    if missing:
        raise ParameterError(detail=t("stock.error.missing_input", table=missing[0]))
    slow_mover_days, dead_stock_days = stock.check_thresholds(slow_mover_days, dead_stock_days)
    return StockInputs(
        period=validate_period(period),
        items=tables["items"], stock_movements=tables["stock_movements"],
        cycle_counts=tables.get("cycle_counts"), order_lines=tables.get("order_lines"),
        warehouse_filter=_warehouse_filter(warehouse_filter, tables),
        slow_mover_days=slow_mover_days, dead_stock_days=dead_stock_days,
    )


def load_inputs(params: RunParams, warehouse_filter: Sequence[str] = (), *,
                slow_mover_days: int = SLOW_MOVER_DAYS, dead_stock_days: int = DEAD_STOCK_DAYS,
                cache: bool = True) -> StockInputs:
    """Load the report's tables from the run's ``inputs`` and apply its options.

    Parameters
    ----------
    params:
        The run (``params.for_notebook(...)`` in the notebook): period and inputs.
    warehouse_filter:
        Warehouse codes to keep; empty: all.
    slow_mover_days, dead_stock_days:
        Days without an issue that make stock a slow mover, then dead stock (S6).
    cache:
        Use the table cache (the close has filled it: nothing is parsed twice).
    """
    from ...loading import load_tables

    wanted = {name: spec.for_loader() for name, spec in params.inputs.items()
              if name in REQUIRED + OPTIONAL}
    missing = [name for name in REQUIRED if name not in wanted]
    if missing:
        raise ParameterError(file=params.source,
                             detail=t("stock.error.missing_input", table=missing[0]))
    tables = load_tables(wanted, cache=cache)
    return from_tables(tables, params.period, warehouse_filter=warehouse_filter,
                       slow_mover_days=slow_mover_days, dead_stock_days=dead_stock_days)
