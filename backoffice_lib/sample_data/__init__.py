"""The fictional company generator (``backoffice sample-data``).

``generate(out, seed=7, months=24, scale=1, end_period="2026-10", dirty=False)`` writes
"Exemple Industries SA", a French company with several sites and about 400 employees at
scale 1: cost centres, general ledger (and its FEC), budget, supplier invoices, employees,
payroll, absences, items, stock movements, cycle counts, customer order lines and help-desk
tickets, as French exports write them. ``--dirty`` adds the defects of real exports and
the answer key ``defects.json``. See ``docs/data-model.md``.

Modules: :mod:`.periods` (calendar), :mod:`.company` (sites, cost centres, jobs),
:mod:`.people`, :mod:`.hr` (payroll, absences), :mod:`.invoices`, :mod:`.sales`,
:mod:`.journal` and :mod:`.ledger` (GL), :mod:`.budget`, :mod:`.fec`, :mod:`.stock`,
:mod:`.helpdesk`, :mod:`.build` (assembly), :mod:`.layouts`, :mod:`.textformat` and
:mod:`.writers` (files), :mod:`.dirty` (defects), :mod:`.data_model` (documentation),
:mod:`.generate` and :mod:`.summary`.
"""

from __future__ import annotations

from .generate import COMPLETE_MARKER, DEFECTS_FILE, generate
from .summary import SampleSummary

__all__ = ["COMPLETE_MARKER", "DEFECTS_FILE", "SampleSummary", "generate"]
