"""Small helpers every analysis's sections share: month windows, chart-title spans,
single values of one-row KPI results."""

from __future__ import annotations

import pandas as pd

from ..i18n.formatting import format_month
from ..periods import period_range, shift_period

__all__ = ["first_value", "last_months", "month_span"]


def last_months(period: str, months: int) -> list[str]:
    """The ``months`` periods ending with ``period`` (``YYYY-MM``), oldest first."""
    return period_range(shift_period(period, -(months - 1)), period)


def month_span(periods: pd.Series) -> dict[str, str]:
    """``{"start": « nov. 2024 », "end": « oct. 2026 »}`` of a run of months, for the
    ``{start}``/``{end}`` placeholders of chart titles."""
    return {"start": format_month(periods.iloc[0], short=True),
            "end": format_month(periods.iloc[-1], short=True)}


def first_value(frame: pd.DataFrame, column: str) -> object:
    """The value of ``column`` in the first row of a one-row result (None when the frame
    is empty or the value missing)."""
    if frame.empty or pd.isna(frame[column].iloc[0]):
        return None
    return frame[column].iloc[0]
