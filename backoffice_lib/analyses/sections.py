"""Small helpers every analysis's sections share: month windows, chart-title spans,
single values of one-row KPI results, results computed once per report."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

import pandas as pd

from ..i18n.formatting import format_month
from ..periods import period_range, shift_period

__all__ = ["first_value", "last_months", "month_span", "once"]

T = TypeVar("T")


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


def once(inputs: object, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` for this report's ``inputs`` object and ``key``, computed on the first
    call and kept on the object: a section asking for a figure the headline already
    computed (same function, same options) gets it without computing it again.

    ``key`` names the figure and its options (``("payments", 12)``); the inputs are read,
    never modified, so a kept result stays right. A frame is returned as a copy: a caller
    changing its result cannot change the next caller's.
    """
    kept = vars(inputs).setdefault("_once", {})
    if key not in kept:
        kept[key] = compute()
    value = kept[key]
    return value.copy() if isinstance(value, pd.DataFrame) else value
