"""French payment-term rules behind the purchase-to-pay KPIs (kpi-reference P8, P9).

Terms (Code de commerce L441-10, LME): an agreed payment term may not exceed 60 days
from the invoice date or, when expressly stipulated, 45 days end of month, read either
as invoice date + 45 days then the end of that month, or as the end of the invoice's
month + 45 days. :func:`legal_due_cap` takes the latest of the three readings: a due
date is called beyond the cap only when no reading allows it, because the invoice table
does not say which one the contract stipulates. For the same reason the 30-day default
term without agreement and the sector derogations (road transport 30 days,
perishables...) are not applied: they need the contract.

Late payment (L441-10, D441-5): penalties run from the day after the due date, without
reminder, at the ECB main refinancing rate + 10 points — the rate of 1 January for the
first half-year, of 1 July for the second — on the amount including VAT, plus a fixed
€40 recovery indemnity per late invoice. The rate is not in the data: it is a
parameter, one figure or one per half-year (:func:`penalty_rate`).

Statutory overdue report (D441-6): unpaid invoices past due at the report date, by
lateness bucket 1–30, 31–60, 61–90 and 91+ days (:data:`OVERDUE_BUCKETS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..i18n import t

__all__ = [
    "DEFAULT_PENALTY_RATE",
    "EOM_TERM_DAYS",
    "LEGAL_TERM_DAYS",
    "OVERDUE_BUCKETS",
    "RECOVERY_INDEMNITY",
    "half_year",
    "legal_due_cap",
    "penalty_rate",
]

#: Longest agreed term from the invoice date, in calendar days (L441-10).
LEGAL_TERM_DAYS = 60
#: The "45 days end of month" alternative, in calendar days (L441-10).
EOM_TERM_DAYS = 45
#: Fixed recovery indemnity per late invoice, EUR (D441-5).
RECOVERY_INDEMNITY = Decimal("40.00")
#: Yearly penalty rate used when the run gives none: ECB main refinancing rate of
#: 2.15 % (in force since 11 June 2025) + 10 points. Not a figure of kpi-reference: set
#: the run's own rate for each half-year.
DEFAULT_PENALTY_RATE = 0.1215
#: Lateness buckets of the statutory report: (code, first day, last day or None), bounds
#: included; 0 days late is not late (D441-6, kpi-reference P9).
OVERDUE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("1-30", 1, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("91+", 91, None),
)


def _month_end(days: np.ndarray) -> np.ndarray:
    """Last day of the month of each ``datetime64[D]`` value (NaT stays NaT)."""
    return (days.astype("datetime64[M]") + 1).astype("datetime64[D]") - np.timedelta64(1, "D")


def legal_due_cap(invoice_dates: pd.Series) -> pd.Series:
    """The latest due date the law allows for invoices dated ``invoice_dates``.

    ``max(invoice date + 60 days, end of month of (invoice date + 45 days), end of the
    invoice's month + 45 days)``: ``2026-01-01`` → ``2026-03-17`` (end of January + 45
    days), ``2026-01-20`` → ``2026-03-31`` (6 March, then end of month), ``2026-02-14`` →
    ``2026-04-15`` (60 days). NaT stays NaT.
    """
    days = invoice_dates.to_numpy(dtype="datetime64[D]")
    plain = days + np.timedelta64(LEGAL_TERM_DAYS, "D")
    eom_after = _month_end(days + np.timedelta64(EOM_TERM_DAYS, "D"))
    after_eom = _month_end(days) + np.timedelta64(EOM_TERM_DAYS, "D")
    cap = np.maximum(np.maximum(plain, eom_after), after_eom)
    return pd.Series(cap.astype("datetime64[us]"), index=invoice_dates.index)


def half_year(dates: pd.Series) -> pd.Series:
    """``"2026-H1"`` (January–June) or ``"2026-H2"`` of each date (NA for NaT)."""
    half = np.where(dates.dt.month <= 6, "-H1", "-H2")
    text = dates.dt.year.astype("Int64").astype("str") + pd.Series(half, index=dates.index)
    return text.where(dates.notna()).astype("str")


def penalty_rate(first_late_days: pd.Series, rate: float | Mapping[str, float]) -> pd.Series:
    """The yearly penalty rate (a fraction: 0.1215 is 12.15 %) of each late invoice.

    ``first_late_days`` are the first days of lateness (the day after the due date);
    ``rate`` is one rate, or one per half-year ``{"2026-H1": 0.1215, ...}`` applied by
    the half-year of that first day (the whole lateness at that rate: a simplification
    when it runs into the next half-year).

    Raises
    ------
    ParameterError
        A half-year of the invoices is missing from ``rate``.
    """
    if not isinstance(rate, Mapping):
        return pd.Series(float(rate), index=first_late_days.index, dtype="float64")
    halves = half_year(first_late_days)
    missing = sorted(set(halves.dropna()) - set(rate))
    if missing:
        raise ParameterError(detail=t("process_efficiency.error.penalty_rate",
                                      half=missing[0]))
    return halves.map({k: float(v) for k, v in rate.items()}).astype("float64")
