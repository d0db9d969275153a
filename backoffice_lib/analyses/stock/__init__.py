"""The stock report (``notebooks/stock.ipynb``): one call per cell.

::

    from backoffice_lib.analyses import stock
    data = stock.load_inputs(params, warehouse_filter)            # tables + run options
    top = stock.headline(data)
    show_tiles(stock.headline_tiles(top, data))                   # 7 headline tiles
    trend = stock.value_trend(data, months=24)
    show_chart(stock.value_chart(trend))
    show_table(**stock.value_table(trend, data))

Modules: :mod:`.inputs` (the run's tables and options, and the intermediates every
section shares: the scope's movements, the month-end stock rebuilt from them, the ABC
classes, the stockouts), :mod:`.kpis` (the stock KPIs of each section,
kpi-reference §3), :mod:`.tiles`, :mod:`.tables` (``show_table`` arguments),
:mod:`.figures` (charts) and :mod:`.sentences` (short commentaries). Every text comes
from the ``stock`` catalogue, in the language in force.
"""

from __future__ import annotations

from .figures import dio_chart, service_chart, value_chart
from .inputs import StockInputs, from_tables, load_inputs
from .kpis import (
    abc_summary,
    category_turnover,
    coverage,
    dormant,
    dormant_summary,
    headline,
    record_accuracy,
    service_trend,
    shrinkage,
    value_trend,
)
from .sentences import (
    accuracy_sentence,
    dormant_sentence,
    service_sentence,
    shrinkage_sentence,
    summary_sentence,
)
from .tables import (
    abc_table,
    accuracy_table,
    coverage_table,
    dormant_items_table,
    dormant_table,
    service_table,
    shrinkage_table,
    turnover_table,
    value_table,
)
from .tiles import headline_tiles

__all__ = [
    "StockInputs",
    "abc_summary",
    "abc_table",
    "accuracy_sentence",
    "accuracy_table",
    "category_turnover",
    "coverage",
    "coverage_table",
    "dio_chart",
    "dormant",
    "dormant_items_table",
    "dormant_sentence",
    "dormant_summary",
    "dormant_table",
    "from_tables",
    "headline",
    "headline_tiles",
    "load_inputs",
    "record_accuracy",
    "service_chart",
    "service_sentence",
    "service_table",
    "service_trend",
    "shrinkage",
    "shrinkage_sentence",
    "shrinkage_table",
    "summary_sentence",
    "turnover_table",
    "value_chart",
    "value_table",
    "value_trend",
]
