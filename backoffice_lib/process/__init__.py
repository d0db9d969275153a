"""Process-efficiency measures (kpi-reference §4): pure functions, DataFrame in, DataFrame out.

Purchase-to-pay from ``supplier_invoices`` and the internal service desks from
``service_requests``; the general ledger only for DPO by the balance method. No file or
network I/O; money stays exact (``decimal128(18, 2)``), ratios are float fractions,
durations are calendar days (or hours for tickets) unless a column says working days.
A KPI that cannot be computed is NA with a reason code, never 0 or ±inf:
``NOT_LOADED`` (a month the table does not cover), ``NO_POPULATION`` (nothing to
measure), ``SMALL_TEAM`` (fewer than 5 tickets), ``HT_BASIS`` (no TTC amount),
``DENOM_ZERO``.

Modules, lowest first: :mod:`._common` (reason codes, calendar helpers), :mod:`.legal`
(French payment-term rules: legal cap, penalty rate, overdue buckets), :mod:`.invoices`
(per-invoice durations; cycle time P1, touchless P4, exceptions P5, first-pass yield P6,
on-time payment P7), :mod:`.payments` (late-payment cost and terms beyond the cap P8,
statutory overdue report P9), :mod:`.payables` (DPO P10), :mod:`.service_desk` (P13).

Not here: cost per invoice (P2) and invoices per AP FTE (P3) need the AP team's cost
centre; days to close (P11) and PO cycle time (P12) need the optional
``close_calendar`` and ``purchase_orders`` tables, which the package does not load yet.

How to use (one call per table of ``notebooks/process_efficiency.ipynb``)::

    from backoffice_lib import periods, process

    inv = process.invoice_durations(supplier_invoices)      # once, then durations=inv
    months = periods.r12_range("2026-10")
    process.cycle_times(supplier_invoices, months, durations=inv)
    process.invoice_processing(supplier_invoices, months, durations=inv)
    process.exception_breakdown(supplier_invoices, months, durations=inv)
    process.payment_timeliness(supplier_invoices, months, durations=inv)
    process.late_payment_cost(supplier_invoices, months, rate=0.1215, durations=inv)
    process.overdue_invoices(supplier_invoices, "2026-10", durations=inv)
    process.dpo_invoices(supplier_invoices, months, durations=inv)
    process.dpo_ledger(gl_lines, months)
    tickets = process.ticket_durations(service_requests)
    process.service_levels(service_requests, ["2026-10"], durations=tickets)
    process.service_backlog(service_requests, "2026-10", durations=tickets)

The notebook itself calls :mod:`backoffice_lib.analyses.process_efficiency`, which makes
these calls with the run's options and turns them into tiles, tables and charts.
"""

from __future__ import annotations

from ._common import HT_BASIS, NO_POPULATION, NOT_LOADED, SMALL_TEAM
from .invoices import (
    STAGES,
    cycle_times,
    exception_breakdown,
    invoice_durations,
    invoice_processing,
    payment_timeliness,
)
from .legal import (
    DEFAULT_PENALTY_RATE,
    EOM_TERM_DAYS,
    LEGAL_TERM_DAYS,
    OVERDUE_BUCKETS,
    RECOVERY_INDEMNITY,
    half_year,
    legal_due_cap,
    penalty_rate,
)
from .payables import (
    PAYABLE_ACCOUNTS,
    PURCHASE_ACCOUNTS,
    PURCHASE_VAT_ACCOUNTS,
    dpo_invoices,
    dpo_ledger,
)
from .payments import late_payment_cost, overdue_invoices, terms_beyond_cap
from .service_desk import (
    AGE_BUCKETS,
    MIN_TICKETS,
    service_backlog,
    service_levels,
    ticket_durations,
)

__all__ = [
    "AGE_BUCKETS",
    "DEFAULT_PENALTY_RATE",
    "EOM_TERM_DAYS",
    "HT_BASIS",
    "LEGAL_TERM_DAYS",
    "MIN_TICKETS",
    "NOT_LOADED",
    "NO_POPULATION",
    "OVERDUE_BUCKETS",
    "PAYABLE_ACCOUNTS",
    "PURCHASE_ACCOUNTS",
    "PURCHASE_VAT_ACCOUNTS",
    "RECOVERY_INDEMNITY",
    "SMALL_TEAM",
    "STAGES",
    "cycle_times",
    "dpo_invoices",
    "dpo_ledger",
    "exception_breakdown",
    "half_year",
    "invoice_durations",
    "invoice_processing",
    "late_payment_cost",
    "legal_due_cap",
    "overdue_invoices",
    "payment_timeliness",
    "penalty_rate",
    "service_backlog",
    "service_levels",
    "terms_beyond_cap",
    "ticket_durations",
]
