"""HR measures (kpi-reference §2): pure functions, DataFrame in, DataFrame out.

Every function takes the canonical tables (``employees``, ``payroll``, ``absences``) and
the same options — ``by`` (employees' columns or the cost-centre attributes
``department``/``office``/``name``, then ``cost_centers`` is needed),
``cost_center_filter`` and ``exclude_contracts`` — and every result carries the number
of people behind each value (``n_people``) so that reports can apply small-group
suppression (:mod:`backoffice_lib.privacy`, H17).

Modules: :mod:`.workforce` (headcount, FTE: H1–H3).
"""

from __future__ import annotations

from .workforce import EXCLUDED_CONTRACTS, average_fte, employee_months, headcount, monthly_fte

__all__ = [
    "EXCLUDED_CONTRACTS",
    "average_fte",
    "employee_months",
    "headcount",
    "monthly_fte",
]
