"""The figures of each section of the cost report: finance KPIs with the run's options.

One function per section, each a call of :mod:`backoffice_lib.finance` with the period,
thresholds, fiscal year, cut-off day and cost-centre filter of :class:`~.inputs.CostInputs`,
plus the privacy rules of the managers' report (kpi-reference H17):

- cost per FTE by department goes through :func:`privacy.suppress_small_groups`;
- personnel costs of a cost centre (or department) with fewer than ``min_group_size``
  people in the month are pay of identifiable people: such top-mover rows have their
  amounts blanked (``suppressed``) and such a department is never named as the driver of
  the commentary.
"""

from __future__ import annotations

import pandas as pd

from ... import finance, hr, privacy
from ...i18n import t
from ...periods import r12_range
from ...tables import MONEY
from ..sections import once
from .inputs import CostInputs

__all__ = [
    "MOVER_AMOUNTS",
    "PERSONNEL",
    "budget_vs_actual",
    "commentary",
    "cost_per_fte",
    "cutoff_exceptions",
    "headline",
    "offices",
    "reconcile",
    "small_groups",
    "top_movers",
    "trend",
    "vendor_pareto",
]

PERSONNEL = "personnel"
#: Columns of a top-mover row blanked when it describes the pay of a small group.
MOVER_AMOUNTS = ("actual", "base", "delta", "delta_pct", "flag")


def headline(d: CostInputs) -> pd.DataFrame:
    """:func:`finance.headline` of the month (total cost, vs budget, vs last year, BO share);
    its budget vs actual by category is that of :func:`budget_vs_actual` and its back-office
    shares the month's of :func:`offices` (computed once per report)."""
    return finance.headline(d.gl_lines, d.budget, d.cost_centers, d.account_map, d.period,
                            fiscal_year_start=d.fiscal_year_start, lines=d.cost_lines,
                            prepared_budget=d.budget_lines, bva=budget_vs_actual(d),
                            offices=offices(d), **d.filter)


def budget_vs_actual(d: CostInputs) -> pd.DataFrame:
    """:func:`finance.budget_vs_actual` of the month by category (every class-6 category),
    computed once per report (the headline and the commentary use it too)."""
    return once(d, ("budget_vs_actual", "category"), lambda: finance.budget_vs_actual(
        d.gl_lines, d.budget, d.cost_centers, d.account_map, d.period, by=["category"],
        fiscal_year_start=d.fiscal_year_start, lines=d.cost_lines,
        prepared_budget=d.budget_lines, **d.filter))


def trend(d: CostInputs, months: int = 24) -> pd.DataFrame:
    """:func:`finance.cost_trend`: class-6 cost and budget of the ``months`` to the period."""
    return finance.cost_trend(d.gl_lines, d.budget, d.cost_centers, d.account_map, d.period,
                              months=months, fiscal_year_start=d.fiscal_year_start,
                              lines=d.cost_lines, prepared_budget=d.budget_lines, **d.filter)


def offices(d: CostInputs, months: int = 24) -> pd.DataFrame:
    """:func:`finance.back_office_share`: operating cost by office, month and R12 shares,
    computed once per report for each ``months``."""
    return once(d, ("offices", months), lambda: finance.back_office_share(
        *d.ledger, d.period, months=months, lines=d.cost_lines, **d.filter))


def cost_per_fte(d: CostInputs) -> pd.DataFrame:
    """Operating cost per average FTE by department over the 12 months to the period,
    with a company ``TOTAL`` row, small departments suppressed (``suppressed`` column)."""
    table = finance.cost_per_fte(d.gl_lines, d.employees, d.cost_centers, d.account_map,
                                 r12_range(d.period), by=["department"], total=True,
                                 lines=d.cost_lines, **d.filter)
    return privacy.suppress_small_groups(table, label_column="department", k=d.min_group_size)


def small_groups(d: CostInputs, level: str = "cost_center") -> set[str]:
    """Cost centres (or departments) with fewer than ``min_group_size`` people in the month:
    their personnel costs would show the pay of identifiable people."""
    people = hr.average_fte(d.employees, [d.period], by=[level], cost_centers=d.cost_centers,
                            **d.filter)
    large = set(people.loc[people["n_people"] >= d.min_group_size, level].astype(str))
    if level == "cost_center":
        known = set(d.cost_centers["cost_center"].dropna().astype(str))
    else:
        known = set(d.cost_centers[level].dropna().astype(str))
    return (known | {"UNALLOCATED", "UNKNOWN"}) - large


def top_movers(d: CostInputs) -> pd.DataFrame:
    """:func:`finance.top_movers` vs the month's budget with the run's materiality, and a
    ``suppressed`` column: personnel rows of small cost centres have their amounts blanked."""
    movers = finance.top_movers(
        *d.ledger, d.period, budget=d.budget, abs_threshold=d.materiality_abs,
        pct_threshold=d.materiality_pct, top_n=d.top_movers,
        fiscal_year_start=d.fiscal_year_start, lines=d.cost_lines,
        prepared_budget=d.budget_lines, **d.filter)
    hidden = (movers["category"] == PERSONNEL) & movers["cost_center"].isin(small_groups(d))
    movers = movers.assign(suppressed=hidden.astype(bool))
    for col in MOVER_AMOUNTS:
        movers[col] = movers[col].mask(hidden)
    return movers


def commentary(d: CostInputs) -> str:
    """The one-sentence commentary (:func:`finance.commentary`) in the language in force;
    a department too small to be named about personnel costs is left out."""
    facts = finance.commentary_facts(
        d.gl_lines, d.budget, d.cost_centers, d.account_map, d.period,
        abs_threshold=d.materiality_abs, pct_threshold=d.materiality_pct,
        fiscal_year_start=d.fiscal_year_start, lines=d.cost_lines,
        prepared_budget=d.budget_lines, bva=budget_vs_actual(d), **d.filter)
    if facts.get("category") == PERSONNEL and facts.get("driver") in small_groups(d, "department"):
        facts = {**facts, "driver": None, "driver_var": None}
    return finance.commentary(facts)


def vendor_pareto(d: CostInputs) -> pd.DataFrame:
    """:func:`finance.vendor_pareto` over the 12 months to the period (accounts 60–62)."""
    return finance.vendor_pareto(*d.ledger, d.period, months=12, lines=d.cost_lines, **d.filter)


def cutoff_exceptions(d: CostInputs) -> pd.DataFrame:
    """:func:`finance.cutoff_exceptions` of the period (close on the run's working day),
    those of the cost-centre filter's scope only when there is one."""
    return finance.cutoff_exceptions(d.gl_lines, d.period, close_working_day=d.close_working_day,
                                     supplier_invoices=d.supplier_invoices, **d.filter)


def reconcile(d: CostInputs, *, headline: pd.DataFrame, bva: pd.DataFrame,
              trend: pd.DataFrame, offices: pd.DataFrame) -> pd.DataFrame:
    """Tie the report's tables to the ledger, to the cent (:func:`finance.reconcile`).

    The ledger side is summed straight from ``gl_lines`` by account prefix over the scope
    each table covers: the total-cost tile (60–68), budget vs actual and the trend's month
    (class 6), the office split's month (operating cost, 60–65 + 681).

    Returns
    -------
    DataFrame
        ``table`` (translated name) ``, scope, periods, ledger, analysed, difference``
        (EUR, money; analysed − ledger) ``, ties`` (difference is 0.00).
    """
    total = headline.loc[headline["kpi"] == "total_cost", "value"]
    # (scope, amount column) → tables, in the report's order; one ledger sum per scope.
    groups = {
        ("total", "amount"): {"headline": pd.DataFrame(
            {"amount": pd.Series(list(total), dtype=MONEY)})},
        ("class6", "actual"): {"budget": bva, "trend": trend},
        ("operating", "total"): {"offices": offices},
    }
    rows = []
    for (scope, column), tables in groups.items():
        named = {t(f"costs.reconciliation.{key}"): table for key, table in tables.items()}
        one = finance.reconcile(d.gl_lines, named, d.period, amount_column=column, scope=scope,
                                **d.filter)
        rows.append(one.assign(scope=scope))
    out = pd.concat(rows, ignore_index=True)
    for col in ("ledger", "analysed", "difference"):
        out[col] = out[col].astype(MONEY)
    return out[["table", "scope", "periods", "ledger", "analysed", "difference", "ties"]]
