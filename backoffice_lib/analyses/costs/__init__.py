"""The cost report (``notebooks/costs.ipynb``, GitHub issue 5): one call per cell.

::

    from backoffice_lib.analyses import costs
    data = costs.load_inputs(params, cost_center_filter)          # tables + run options
    headline = costs.headline(data)
    show_tiles(costs.headline_tiles(headline, data))              # 4 headline tiles
    bva = costs.budget_vs_actual(data)
    show_chart(costs.waterfall_chart(bva, data))
    show_table(**costs.budget_table(bva, data))

Modules: :mod:`.inputs` (the run's tables and options), :mod:`.kpis` (the finance KPIs of
each section, with the privacy rules), :mod:`.tiles`, :mod:`.tables` (``show_table``
arguments), :mod:`.figures` (charts) and :mod:`.sentences` (short commentaries). Every
text comes from the ``costs`` and ``finance`` catalogues, in the language in force.
"""

from __future__ import annotations

from .figures import (
    cost_per_fte_chart,
    offices_chart,
    pareto_chart,
    trend_chart,
    waterfall_chart,
)
from .inputs import CostInputs, from_tables, load_inputs
from .kpis import (
    budget_vs_actual,
    commentary,
    cost_per_fte,
    cutoff_exceptions,
    headline,
    offices,
    reconcile,
    small_groups,
    top_movers,
    trend,
    vendor_pareto,
)
from .sentences import cutoff_sentence, reconciliation_sentence, vendors_sentence
from .tables import (
    budget_table,
    cost_per_fte_table,
    cutoff_summary_table,
    cutoff_table,
    movers_table,
    offices_split,
    offices_table,
    reconciliation_table,
    trend_table,
    vendors_table,
)
from .tiles import headline_tiles

__all__ = [
    "CostInputs",
    "budget_table",
    "budget_vs_actual",
    "commentary",
    "cost_per_fte",
    "cost_per_fte_chart",
    "cost_per_fte_table",
    "cutoff_exceptions",
    "cutoff_sentence",
    "cutoff_summary_table",
    "cutoff_table",
    "from_tables",
    "headline",
    "headline_tiles",
    "load_inputs",
    "movers_table",
    "offices",
    "offices_chart",
    "offices_split",
    "offices_table",
    "pareto_chart",
    "reconcile",
    "reconciliation_sentence",
    "reconciliation_table",
    "small_groups",
    "top_movers",
    "trend",
    "trend_chart",
    "trend_table",
    "vendor_pareto",
    "vendors_sentence",
    "vendors_table",
    "waterfall_chart",
]
