"""Set-up of the cost report: the run's parameters → the tables and options of every section.

:func:`load_inputs` loads the tables the report reads (from the run's ``inputs``, through
the table cache the close fills), checks the cost-centre filter against the cost-centre
master data and builds the account map (the package default, overlaid with the run's own
``account_map`` input when there is one). :func:`from_tables` does the same from frames
already loaded (tests, an analyst's own tables).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

import pandas as pd

from ... import accounts, finance
from ...errors import ParameterError
from ...i18n import t
from ...params import RunParams
from ...periods import validate_period
from ...privacy import check_k
from .. import scope

__all__ = ["OPTIONAL", "REQUIRED", "CostInputs", "from_tables", "load_inputs"]

#: Tables the cost report cannot do without, and those it uses when given.
REQUIRED = ("gl_lines", "budget", "cost_centers", "employees")
OPTIONAL = ("supplier_invoices", "account_map")
#: The only reporting currency of the reports (kpi-reference §0).
CURRENCY = "EUR"


@dataclass(frozen=True, eq=False)
class CostInputs:
    """The tables and options every section of the cost report uses.

    ``cost_center_filter`` is None for every cost centre; ``materiality_abs`` is in EUR.
    The tables are read, never modified: :attr:`cost_lines` and :attr:`budget_lines` are
    derived from them once.
    """

    period: str
    gl_lines: pd.DataFrame
    budget: pd.DataFrame
    cost_centers: pd.DataFrame
    employees: pd.DataFrame
    account_map: pd.DataFrame
    supplier_invoices: pd.DataFrame | None = None
    cost_center_filter: tuple[str, ...] | None = None
    fiscal_year_start: int = 1
    close_working_day: int = 5
    min_group_size: int = 5
    materiality_abs: Decimal = Decimal("5000")
    materiality_pct: float = 0.10
    top_movers: int = 10

    @property
    def ledger(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """``(gl_lines, cost_centers, account_map)``: the first arguments of most KPIs."""
        return self.gl_lines, self.cost_centers, self.account_map

    @cached_property
    def cost_lines(self) -> pd.DataFrame:
        """:func:`finance.cost_lines` of the whole ledger (class 6, every period, every cost
        centre), computed once on first use and handed to each KPI (their ``lines``)."""
        return finance.cost_lines(self.gl_lines, self.cost_centers, self.account_map)

    @cached_property
    def budget_lines(self) -> pd.DataFrame:
        """:func:`finance.budget_lines` of the whole budget (monthly, every cost centre, phased
        with the run's fiscal year start), computed once on first use and handed to each KPI
        (their ``prepared_budget``)."""
        return finance.budget_lines(self.budget, self.cost_centers, self.account_map,
                                    fiscal_year_start=self.fiscal_year_start)

    @property
    def filter(self) -> dict[str, Any]:
        """``{"cost_center_filter": [...] or None}``, for the KPI functions."""
        codes = None if self.cost_center_filter is None else list(self.cost_center_filter)
        return {"cost_center_filter": codes}


def from_tables(
    tables: Mapping[str, pd.DataFrame],
    period: str,
    *,
    cost_center_filter: Sequence[str] = (),
    currency: str = CURRENCY,
    fiscal_year_start: int = 1,
    close_working_day: int = 5,
    min_group_size: int = 5,
    materiality_abs: float | Decimal = 5000,
    materiality_pct: float = 0.10,
    top_movers: int = 10,
) -> CostInputs:
    """The report's inputs from canonical tables already loaded (``{table: frame}``).

    Raises
    ------
    ParameterError
        A required table is missing (:data:`REQUIRED`), a cost centre of the filter is
        unknown (with the closest code), the currency is not EUR, or
        ``min_group_size`` is below 5.
    """
    missing = [name for name in REQUIRED if tables.get(name) is None]
    if missing:
        raise ParameterError(detail=t("costs.error.missing_input", table=missing[0]))
    if currency != CURRENCY:
        raise ParameterError(detail=t("costs.error.currency", currency=currency))
    amap = accounts.default_account_map()
    if tables.get("account_map") is not None:
        amap = accounts.merge_account_maps(amap, tables["account_map"])
    return CostInputs(
        period=validate_period(period),
        gl_lines=tables["gl_lines"], budget=tables["budget"],
        cost_centers=tables["cost_centers"], employees=tables["employees"],
        account_map=amap, supplier_invoices=tables.get("supplier_invoices"),
        cost_center_filter=scope.cost_center_filter(cost_center_filter,
                                                  tables["cost_centers"]),
        fiscal_year_start=fiscal_year_start, close_working_day=close_working_day,
        min_group_size=check_k(min_group_size),
        materiality_abs=Decimal(str(materiality_abs)), materiality_pct=float(materiality_pct),
        top_movers=int(top_movers),
    )


def load_inputs(params: RunParams, cost_center_filter: Sequence[str] = (), *,
                cache: bool = True) -> CostInputs:
    """Load the report's tables from the run's ``inputs`` and apply its options.

    Parameters
    ----------
    params:
        The run (``params.for_notebook(...)`` in the notebook): period, inputs,
        thresholds, fiscal year start, close working day, privacy threshold, currency.
    cost_center_filter:
        Cost-centre codes to keep (``UNALLOCATED`` for lines without one); empty: all.
    cache:
        Use the table cache (the close has filled it: nothing is parsed twice).
    """
    from ...loading import load_tables

    wanted = {name: spec.for_loader() for name, spec in params.inputs.items()
              if name in REQUIRED + OPTIONAL}
    missing = [name for name in REQUIRED if name not in wanted]
    if missing:
        raise ParameterError(file=params.source,
                             detail=t("costs.error.missing_input", table=missing[0]))
    tables = load_tables(wanted, cache=cache)
    th = params.thresholds
    return from_tables(
        tables, params.period, cost_center_filter=cost_center_filter, currency=params.currency,
        fiscal_year_start=params.fiscal_year_start, close_working_day=params.close_working_day,
        min_group_size=params.min_group_size, materiality_abs=th.materiality_abs,
        materiality_pct=th.materiality_pct, top_movers=th.top_movers,
    )
