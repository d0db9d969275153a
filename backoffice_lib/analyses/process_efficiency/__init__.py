"""The process-efficiency report (``notebooks/process_efficiency.ipynb``): one call per cell.

::

    from backoffice_lib.analyses import process_efficiency as pe
    data = pe.load_inputs(params, team_filter)                    # tables + run options
    top = pe.headline(data)
    show_tiles(pe.headline_tiles(top, data))                      # 7 headline tiles
    cycles = pe.cycle_times(data)
    show_chart(pe.cycle_chart(pe.cycle_trend(data, months=12)))
    show_table(**pe.cycle_table(cycles, data))

Sections: invoice cycle time (kpi-reference P1), automation and exceptions (P4–P6),
supplier payments and legal terms (P7, P8), overdue invoices (P9), DPO (P10) and the
internal service desks (P13). Modules: :mod:`.inputs` (the run's tables and options),
:mod:`.kpis` (the KPIs of each section, from :mod:`backoffice_lib.process`),
:mod:`.tiles`, :mod:`.tables` (``show_table`` arguments), :mod:`.figures` (charts) and
:mod:`.sentences` (short commentaries). Every text comes from the
``process_efficiency`` catalogue, in the language in force.
"""

from __future__ import annotations

from .figures import cycle_chart, exceptions_chart, service_chart
from .inputs import ProcessInputs, check_team_filter, from_tables, load_inputs
from .kpis import (
    cycle_times,
    cycle_trend,
    dpo,
    exceptions,
    headline,
    overdue,
    payments,
    processing,
    service_backlog,
    service_levels,
    terms,
)
from .sentences import (
    automation_sentence,
    cycle_sentence,
    dpo_sentence,
    overdue_sentence,
    payments_sentence,
    service_sentence,
)
from .tables import (
    backlog_table,
    cycle_table,
    dpo_table,
    exceptions_table,
    overdue_table,
    payments_table,
    processing_table,
    service_table,
    terms_table,
)
from .tiles import headline_tiles

__all__ = [
    "ProcessInputs",
    "automation_sentence",
    "backlog_table",
    "check_team_filter",
    "cycle_chart",
    "cycle_sentence",
    "cycle_table",
    "cycle_times",
    "cycle_trend",
    "dpo",
    "dpo_sentence",
    "dpo_table",
    "exceptions",
    "exceptions_chart",
    "exceptions_table",
    "from_tables",
    "headline",
    "headline_tiles",
    "load_inputs",
    "overdue",
    "overdue_sentence",
    "overdue_table",
    "payments",
    "payments_sentence",
    "payments_table",
    "processing",
    "processing_table",
    "service_backlog",
    "service_chart",
    "service_levels",
    "service_sentence",
    "service_table",
    "terms",
    "terms_table",
]
