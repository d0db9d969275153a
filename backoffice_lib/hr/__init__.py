"""HR measures (kpi-reference §2): pure functions, DataFrame in, DataFrame out.

Every function takes the canonical tables (``employees``, ``payroll``, ``absences``) and
the same options — ``by`` (employees' columns or the cost-centre attributes
``department``/``office``/``name``, then ``cost_centers`` is needed),
``cost_center_filter`` and ``exclude_contracts`` — and every result carries the number
of people behind each value (``n_people``) so that reports can apply small-group
suppression (:mod:`backoffice_lib.privacy`, H17).

Modules: :mod:`.workforce` (headcount, FTE, both at once: H1–H3).
:mod:`.flows` (hires, leavers, headcount bridge, turnover: H4, H5, H8).
:mod:`.tenure` (tenure bands, mean and median tenure: H9).
:mod:`.absence` (absenteeism rate, absence days by type: H11).
:mod:`.payroll` (payroll cost, cost per FTE, charge ratio, tie-out to GL 641/645/647: H13).
"""

from __future__ import annotations

from .absence import ABSENCE_TYPES_IN_SCOPE, absence_by_type, absence_rate
from .flows import headcount_bridge, hires_leavers, turnover, turnover_rates
from .payroll import (
    CHARGES_ACCOUNTS,
    GROSS_ACCOUNTS,
    payroll_cost,
    payroll_cost_per_fte,
    payroll_vs_ledger,
)
from .tenure import TENURE_BANDS, tenure_bands, tenure_summary
from .workforce import (
    EXCLUDED_CONTRACTS,
    average_fte,
    employee_months,
    headcount,
    monthly_fte,
    workforce_size,
)

__all__ = [
    "ABSENCE_TYPES_IN_SCOPE",
    "CHARGES_ACCOUNTS",
    "EXCLUDED_CONTRACTS",
    "GROSS_ACCOUNTS",
    "TENURE_BANDS",
    "absence_by_type",
    "absence_rate",
    "average_fte",
    "employee_months",
    "headcount",
    "headcount_bridge",
    "hires_leavers",
    "monthly_fte",
    "payroll_cost",
    "payroll_cost_per_fte",
    "payroll_vs_ledger",
    "tenure_bands",
    "tenure_summary",
    "turnover",
    "turnover_rates",
    "workforce_size",
]
