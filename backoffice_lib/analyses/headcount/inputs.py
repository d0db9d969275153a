"""Set-up of the headcount report: the run's parameters → the tables and options it uses.

:func:`load_inputs` loads the HR tables from the run's ``inputs`` (through the table
cache the close fills) and checks the cost-centre filter; :func:`from_tables` does the
same from frames already loaded (tests, an analyst's own tables). Only ``employees`` is
required: without ``payroll``, ``absences`` or the ledger, the sections that need them
say so instead of failing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ...errors import ParameterError
from ...i18n import t
from ...params import RunParams
from ...periods import validate_period
from ...privacy import check_k
from .. import scope

__all__ = ["OPTIONAL", "PERMANENT_CONTRACTS", "REQUIRED", "HeadcountInputs", "from_tables",
           "load_inputs"]

#: Tables the headcount report cannot do without, and those it uses when given.
REQUIRED = ("employees",)
OPTIONAL = ("cost_centers", "payroll", "absences", "gl_lines")
#: Contracts of the "permanent contracts only" turnover (kpi-reference H5: French
#: fixed-term ends inflate the rate).
PERMANENT_CONTRACTS = ("CDI", "permanent")


@dataclass(frozen=True, eq=False)
class HeadcountInputs:
    """The tables and options every section of the headcount report uses.

    ``cost_center_filter`` is None for the whole company; ``min_group_size`` is the
    smallest number of people a figure may describe (H17). The tables are read, never
    modified.
    """

    period: str
    employees: pd.DataFrame
    cost_centers: pd.DataFrame | None = None
    payroll: pd.DataFrame | None = None
    absences: pd.DataFrame | None = None
    gl_lines: pd.DataFrame | None = None
    cost_center_filter: tuple[str, ...] | None = None
    fiscal_year_start: int = 1
    min_group_size: int = 5

    @property
    def by_department(self) -> list[str]:
        """``["department"]`` when the cost-centre master data gives departments, else
        ``["cost_center"]`` (the employees' own column)."""
        return ["department"] if self.cost_centers is not None else ["cost_center"]

    @property
    def scope(self) -> dict[str, Any]:
        """Keyword arguments of every :mod:`backoffice_lib.hr` function: the cost-centre
        master data and the filter."""
        codes = None if self.cost_center_filter is None else list(self.cost_center_filter)
        return {"cost_centers": self.cost_centers, "cost_center_filter": codes}


def from_tables(
    tables: Mapping[str, pd.DataFrame | None],
    period: str,
    *,
    cost_center_filter: Sequence[str] = (),
    fiscal_year_start: int = 1,
    min_group_size: int = 5,
) -> HeadcountInputs:
    """The report's inputs from canonical tables already loaded (``{table: frame}``).

    Raises
    ------
    ParameterError
        ``employees`` is missing, a cost centre of the filter is unknown (with the
        closest code), or ``min_group_size`` is below 5.
    """
    if tables.get("employees") is None:
        raise ParameterError(detail=t("headcount.error.missing_input", table="employees"))
    return HeadcountInputs(
        period=validate_period(period),
        employees=tables["employees"],
        cost_centers=tables.get("cost_centers"),
        payroll=tables.get("payroll"),
        absences=tables.get("absences"),
        gl_lines=tables.get("gl_lines"),
        cost_center_filter=scope.cost_center_filter(cost_center_filter,
                                                    tables.get("cost_centers")),
        fiscal_year_start=fiscal_year_start,
        min_group_size=check_k(min_group_size),
    )


def load_inputs(params: RunParams, cost_center_filter: Sequence[str] = (), *,
                cache: bool = True) -> HeadcountInputs:
    """Load the report's tables from the run's ``inputs`` and apply its options.

    Parameters
    ----------
    params:
        The run (``params.for_notebook(...)`` in the notebook): period, inputs, fiscal
        year start, privacy threshold.
    cost_center_filter:
        Cost-centre codes to keep (``UNALLOCATED`` for people without one); empty: all.
    cache:
        Use the table cache (the close has filled it: nothing is parsed twice).
    """
    from ...loading import load_tables

    wanted = {name: spec.for_loader() for name, spec in params.inputs.items()
              if name in REQUIRED + OPTIONAL}
    if "employees" not in wanted:
        raise ParameterError(file=params.source,
                             detail=t("headcount.error.missing_input", table="employees"))
    tables = load_tables(wanted, cache=cache)
    return from_tables(tables, params.period, cost_center_filter=cost_center_filter,
                       fiscal_year_start=params.fiscal_year_start,
                       min_group_size=params.min_group_size)
