"""Issues in a reader's language: values and message parameters formatted at display.

Rules store raw values in an issue (a Decimal difference, a date, a float quantity,
:class:`~.schemas.Bounds`); :func:`localize` formats them for one language through
:mod:`backoffice_lib.i18n.formatting`, so one report reads well in French and English.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from numbers import Integral, Real
from typing import Any

import babel.dates
import numpy as np
import pandas as pd

from ..i18n import t
from ..i18n.formatting import format_date, format_money, format_number, is_missing, locale_for
from ..issues import Issue

__all__ = ["Translated", "format_value", "localize"]


@dataclass(frozen=True)
class Translated:
    """A message parameter that is a catalogue text, translated at display."""

    key: str

    def describe(self, lang: str | None = None) -> str:
        """The text of :attr:`key` in ``lang``."""
        return t(self.key, lang)


def _format_time(value: dt.datetime, lang: str | None) -> str:
    date = format_date(value, lang)
    if value.time() == dt.time(0):
        return date
    return f"{date} {babel.dates.format_time(value, format='HH:mm', locale=locale_for(lang))}"


def format_value(value: Any, lang: str | None = None) -> Any:
    """A raw value as text in ``lang``: money, numbers and dates formatted, text kept.

    ``None``/NA stay ``None``; an object with ``describe(lang)`` describes itself.
    """
    if isinstance(value, str) or value is None:
        return value
    if hasattr(value, "describe") and not isinstance(value, pd.Series | pd.DataFrame):
        return value.describe(lang)
    if is_missing(value):
        return None
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, dt.datetime):
        return _format_time(value, lang)
    if isinstance(value, dt.date):
        return format_date(value, lang)
    if isinstance(value, Decimal):
        return format_money(value, lang)
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        number = float(value)
        return format_number(number, lang, decimals=0 if number.is_integer() else 2)
    return str(value)


def localize(issue: Issue, lang: str | None = None) -> Issue:
    """``issue`` with its value and params formatted for ``lang``."""
    return replace(
        issue,
        value=format_value(issue.value, lang),
        params={key: format_value(value, lang) for key, value in issue.params.items()},
    )
