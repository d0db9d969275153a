"""Set-up of the process-efficiency report: the run's parameters → the tables and options
of every section.

:func:`load_inputs` loads the report's tables from the run's ``inputs`` (through the
table cache the close fills) and checks its options; :func:`from_tables` does the same
from frames already loaded (tests, an analyst's own tables). ``supplier_invoices``
(purchase-to-pay) and ``service_requests`` (service desks) are each optional, but one
of them is needed: a section whose table is missing says so instead of failing. The
ledger (``gl_lines``) is read only for DPO by the balance method.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from ... import process
from ...errors import ParameterError
from ...i18n import t
from ...params import RunParams
from ...periods import period_range, periods_of, r12_range, validate_period
from .. import scope

__all__ = ["ANY_OF", "OPTIONAL", "ProcessInputs", "check_team_filter", "from_tables",
           "load_inputs"]

#: The report needs at least one of these tables; it uses the ledger when given.
ANY_OF = ("supplier_invoices", "service_requests")
OPTIONAL = ("gl_lines",)


@dataclass(frozen=True, eq=False)
class ProcessInputs:
    """The tables and options every section of the process-efficiency report uses.

    ``team_filter`` is None for every service-desk team; ``late_payment_rate`` is the
    yearly penalty rate of late payments (a fraction, P8); invoices whose exception code
    is in ``dispute_codes`` are disclosed apart in the overdue report (P9). The tables
    are read, never modified: :attr:`invoices` and :attr:`tickets` are derived from them
    once.
    """

    period: str
    supplier_invoices: pd.DataFrame | None = None
    service_requests: pd.DataFrame | None = None
    gl_lines: pd.DataFrame | None = None
    team_filter: tuple[str, ...] | None = None
    late_payment_rate: float = process.DEFAULT_PENALTY_RATE
    dispute_codes: tuple[str, ...] = ()
    min_tickets: int = process.MIN_TICKETS

    @property
    def has_invoices(self) -> bool:
        """The purchase-to-pay sections have their table."""
        return self.supplier_invoices is not None

    @property
    def has_tickets(self) -> bool:
        """The service-desk section has its table."""
        return self.service_requests is not None

    @cached_property
    def invoices(self) -> pd.DataFrame | None:
        """:func:`process.invoice_durations` of every invoice, computed once on first use
        and handed to each KPI (their ``durations``); None without the table."""
        if self.supplier_invoices is None:
            return None
        return process.invoice_durations(self.supplier_invoices)

    @cached_property
    def tickets(self) -> pd.DataFrame | None:
        """:func:`process.ticket_durations` of the tickets of the teams in scope,
        computed once; None without the table."""
        if self.service_requests is None:
            return None
        tickets = process.ticket_durations(self.service_requests)
        if self.team_filter is None:
            return tickets
        return tickets[tickets["team"].isin(list(self.team_filter))].reset_index(drop=True)

    @cached_property
    def ledger_dpo(self) -> pd.DataFrame | None:
        """:func:`process.dpo_ledger` of the 12 months to the period (one row), computed
        once: the headline and the DPO section both show it; None without the ledger."""
        if self.gl_lines is None:
            return None
        return process.dpo_ledger(self.gl_lines, r12_range(self.period))

    @cached_property
    def ticket_months(self) -> list[str]:
        """Months the ticket table covers, all teams (first to last ``opened_at``): a
        filtered team without tickets in a covered month has 0, not "not loaded"."""
        opened = self.service_requests["opened_at"].dropna() \
            if self.service_requests is not None else pd.Series([], dtype="datetime64[us]")
        if opened.empty:
            return []
        first, last = periods_of(pd.Series([opened.min(), opened.max()]))
        return period_range(first, last)


def check_team_filter(teams: Sequence[str] | None,
                      service_requests: pd.DataFrame | None) -> tuple[str, ...] | None:
    """The service-desk team filter as a tuple (None when empty: every team).

    Names are stripped and de-duplicated and checked against the teams of the ticket
    table (like the cost-centre filter, :func:`backoffice_lib.analyses.scope.
    cost_center_filter`): a typing mistake stops the report with the closest name
    instead of producing an empty section. Without the table they are kept as given.

    Raises
    ------
    ParameterError
        A team is not in ``service_requests``.
    """
    known = None if service_requests is None else \
        sorted(service_requests["team"].dropna().astype(str).unique())
    return scope.checked_filter(teams, known, "process_efficiency.error.unknown_team",
                                field="team")


def _check_rate(rate: float) -> float:
    """A yearly penalty rate as a fraction in [0, 1) (0.1215 for 12.15 %)."""
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
        raise ParameterError(detail=t("process_efficiency.error.penalty_rate_range",
                                      value=rate))
    return float(rate)


def from_tables(
    tables: Mapping[str, pd.DataFrame | None],
    period: str,
    *,
    team_filter: Sequence[str] = (),
    late_payment_rate: float = process.DEFAULT_PENALTY_RATE,
    dispute_codes: Sequence[str] = (),
) -> ProcessInputs:
    """The report's inputs from canonical tables already loaded (``{table: frame}``).

    Raises
    ------
    ParameterError
        Neither ``supplier_invoices`` nor ``service_requests`` is given, a team of the
        filter is unknown (with the closest name), or the penalty rate is not a fraction
        in [0, 1).
    """
    if all(tables.get(name) is None for name in ANY_OF):
        raise ParameterError(detail=t("process_efficiency.error.missing_input"))
    return ProcessInputs(
        period=validate_period(period),
        supplier_invoices=tables.get("supplier_invoices"),
        service_requests=tables.get("service_requests"),
        gl_lines=tables.get("gl_lines"),
        team_filter=check_team_filter(team_filter, tables.get("service_requests")),
        late_payment_rate=_check_rate(late_payment_rate),
        dispute_codes=tuple(dict.fromkeys(str(c).strip() for c in dispute_codes)),
    )


def load_inputs(params: RunParams, team_filter: Sequence[str] = (), *,
                late_payment_rate: float = process.DEFAULT_PENALTY_RATE,
                dispute_codes: Sequence[str] = (), cache: bool = True) -> ProcessInputs:
    """Load the report's tables from the run's ``inputs`` and apply its options.

    Parameters
    ----------
    params:
        The run (``params.for_notebook(...)`` in the notebook): period and inputs.
    team_filter:
        Service-desk teams to keep, as the ticket table names them; empty: all.
    late_payment_rate:
        Yearly penalty rate of late payments, a fraction (ECB main refinancing rate +
        10 points, P8).
    dispute_codes:
        Exception codes of invoices in dispute (shown apart in the overdue report, P9).
    cache:
        Use the table cache (the close has filled it: nothing is parsed twice).
    """
    from ...loading import load_tables

    wanted = {name: spec.for_loader() for name, spec in params.inputs.items()
              if name in ANY_OF + OPTIONAL}
    if not any(name in wanted for name in ANY_OF):
        raise ParameterError(file=params.source,
                             detail=t("process_efficiency.error.missing_input"))
    tables = load_tables(wanted, cache=cache)
    return from_tables(tables, params.period, team_filter=team_filter,
                       late_payment_rate=late_payment_rate, dispute_codes=dispute_codes)
