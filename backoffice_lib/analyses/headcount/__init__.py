"""The headcount report (``notebooks/headcount.ipynb``): one call per cell.

::

    from backoffice_lib.analyses import headcount
    data = headcount.load_inputs(params, cost_center_filter)      # tables + run options
    top = headcount.headline(data)
    show_tiles(headcount.headline_tiles(top, data))               # 5 headline tiles
    trend = headcount.workforce_trend(data, months=24)
    show_chart(headcount.workforce_chart(trend))
    show_table(**headcount.trend_table(trend, data))

Modules: :mod:`.inputs` (the run's tables and options), :mod:`.kpis` (the HR KPIs of
each section, with the privacy rules of kpi-reference H17), :mod:`.tiles`,
:mod:`.tables` (``show_table`` arguments), :mod:`.figures` (charts) and
:mod:`.sentences` (short commentaries). Every text comes from the ``headcount``
catalogue, in the language in force; no name, birth date or employee id is shown.
"""

from __future__ import annotations

from .figures import absence_chart, tenure_chart, turnover_chart, workforce_chart
from .inputs import HeadcountInputs, from_tables, load_inputs
from .kpis import (
    absence_trend,
    absence_types,
    bridge,
    departments,
    headline,
    payroll_reconciliation,
    tenure,
    tenure_summary,
    turnover_trend,
    workforce_trend,
)
from .sentences import payroll_sentence, summary_sentence, tenure_sentence
from .tables import (
    absence_types_table,
    bridge_table,
    departments_table,
    payroll_reconciliation_table,
    tenure_table,
    trend_table,
    turnover_table,
)
from .tiles import headline_tiles

__all__ = [
    "HeadcountInputs",
    "absence_chart",
    "absence_trend",
    "absence_types",
    "absence_types_table",
    "bridge",
    "bridge_table",
    "departments",
    "departments_table",
    "from_tables",
    "headline",
    "headline_tiles",
    "load_inputs",
    "payroll_reconciliation",
    "payroll_reconciliation_table",
    "payroll_sentence",
    "summary_sentence",
    "tenure",
    "tenure_chart",
    "tenure_sentence",
    "tenure_summary",
    "tenure_table",
    "trend_table",
    "turnover_chart",
    "turnover_table",
    "turnover_trend",
    "workforce_chart",
    "workforce_trend",
]
