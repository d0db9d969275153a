"""Cost KPIs for the monthly close (kpi-reference §1, F1–F12).

Pure functions: canonical tables and scalars in, tidy DataFrames (or a sentence) out;
no file or network I/O. Money stays exact (``decimal128(18, 2)``) through every sum;
ratios are float fractions; a KPI that cannot be computed is NA with a reason code
(``DENOM_ZERO``, ``UNBUDGETED``, ``NEW``, ``SHORT_BASE``, ``NOT_LOADED``), never 0 or ±inf.

Scopes of cost (kpi-reference §1.1), by PCG account prefix, independent of the map:

- ``class6``: every class-6 line (60–69). The analysed tables use it by default, so
  their totals tie to the ledger's class-6 total (:func:`reconcile`); 69 shows as its own
  category ``profit_sharing_tax``.
- ``total``: total cost, 60–68 (headline "total cost").
- ``operating``: operating cost, 60–65 + 681 (back-office share, cost per FTE).

Lines without a cost centre go to ``UNALLOCATED``, accounts the map does not know to
``unmapped``: nothing is dropped. Periods are the GL's accounting periods (``period``).
A period listed in ``loaded_periods`` (default: the periods present in ``gl_lines``) with
no line is a true zero; a period not loaded makes the KPI NA (``NOT_LOADED``). Periods
after ``last_closed_period`` are flagged ``provisional``.

Modules, lowest first (each imports only from those above it): ``_common`` (reason
codes, scopes, shared private helpers), ``costs`` (F1), ``budget`` (F2, F4), ``trend``
(F3, F5, F6), ``structure`` (F7–F9), ``movers`` (F10), ``vendors`` (F11), ``cutoff``
(F12), ``reconciliation`` and ``overview`` (headline tiles, commentary). Import every
name from here.

How to use (one call per table of ``notebooks/costs.ipynb``)::

    import backoffice_lib as bo
    from backoffice_lib import accounts, finance, periods, privacy

    gl = bo.load_table("data/grand_livre.xlsx", table="gl_lines")
    budget = bo.load_table("data/budget.xlsx", table="budget")
    ccs = bo.load_table("data/centres.xlsx", table="cost_centers")
    emp = bo.load_table("data/salaries.xlsx", table="employees")
    amap = accounts.default_account_map()    # or accounts.merge_account_maps(amap, user_map)
    period = "2026-10"

    finance.headline(gl, budget, ccs, amap, period)                       # tiles
    bva = finance.budget_vs_actual(gl, budget, ccs, amap, period, by=["category"])
    finance.budget_waterfall(bva)                                          # waterfall
    finance.cost_trend(gl, budget, ccs, amap, period, months=24)           # trend + budget
    finance.back_office_share(gl, ccs, amap, period, months=24)           # back vs front
    cpf = finance.cost_per_fte(gl, emp, ccs, amap, periods.r12_range(period), total=True)
    privacy.suppress_small_groups(cpf, label_column="department")         # k = 5
    movers = finance.top_movers(gl, ccs, amap, period, budget=budget)
    finance.commentary(finance.commentary_facts(gl, budget, ccs, amap, period))
    finance.vendor_pareto(gl, ccs, amap, period)                           # + vendor_pareto_summary
    exceptions = finance.cutoff_exceptions(gl, period)                     # + cutoff_summary
    finance.reconcile(gl, {"budget vs actual": bva}, period)               # difference 0.00

Calls on one ledger can share its cost lines: ``lines = finance.cost_lines(gl, ccs, amap)``
(class 6, every period) passed as ``lines=lines`` to ``headline``, ``budget_vs_actual``,
``commentary_facts``, ``cost_trend``, ``back_office_share``, ``cost_per_fte``,
``top_movers`` and ``vendor_pareto`` gives the same results without re-deriving them.

The notebook itself calls :mod:`backoffice_lib.analyses.costs`, which makes these calls
with the run's options (thresholds, fiscal year, cost-centre filter, privacy threshold) and
turns their results into tiles, tables and charts in the report's language.
"""

from __future__ import annotations

from ._common import NEW, NOT_LOADED, PHASING_FLAT, SCOPES, SHORT_BASE, UNBUDGETED, UNKNOWN_VENDOR
from .budget import budget_lines, budget_vs_actual, budget_waterfall
from .costs import category_label, cost_lines, costs_by
from .cutoff import (
    ACCRUAL_ACCOUNTS,
    CUTOFF_CHECKS,
    EXCEPTION_COLUMNS,
    accrual_reversal_rate,
    cutoff_exceptions,
    cutoff_summary,
    duplicate_lines,
    late_postings,
    missing_invoice_accruals,
    posting_outside_period,
    recurring_cost_gaps,
    unbalanced_entries,
    unreversed_accruals,
)
from .movers import top_movers
from .overview import commentary, commentary_facts, headline
from .reconciliation import reconcile
from .structure import back_office_share, cost_per_fte, support_ratio
from .trend import cost_trend, run_rate
from .vendors import vendor_pareto, vendor_pareto_summary

__all__ = [
    "ACCRUAL_ACCOUNTS",
    "CUTOFF_CHECKS",
    "EXCEPTION_COLUMNS",
    "NEW",
    "NOT_LOADED",
    "PHASING_FLAT",
    "SCOPES",
    "SHORT_BASE",
    "UNBUDGETED",
    "UNKNOWN_VENDOR",
    "accrual_reversal_rate",
    "back_office_share",
    "budget_lines",
    "budget_vs_actual",
    "budget_waterfall",
    "category_label",
    "commentary",
    "commentary_facts",
    "cost_lines",
    "cost_per_fte",
    "cost_trend",
    "costs_by",
    "cutoff_exceptions",
    "cutoff_summary",
    "duplicate_lines",
    "headline",
    "late_postings",
    "missing_invoice_accruals",
    "posting_outside_period",
    "recurring_cost_gaps",
    "reconcile",
    "run_rate",
    "support_ratio",
    "top_movers",
    "unbalanced_entries",
    "unreversed_accruals",
    "vendor_pareto",
    "vendor_pareto_summary",
]
