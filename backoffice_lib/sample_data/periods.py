"""The sample company's time window: months, days and the French working-day calendar.

Dates are numpy ``datetime64[D]`` values. The window ends with the last day of
``end_period`` (a fixed constant, never today's date) and spans ``months`` whole months.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..errors import ParameterError
from ..i18n import t

__all__ = ["Window", "french_holidays", "make_window", "period_of"]

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Window:
    """``months`` whole months ending with ``end_period`` (``YYYY-MM``)."""

    end_period: str
    months: int

    @cached_property
    def end_month(self) -> np.datetime64:
        """Last month, as ``datetime64[M]``."""
        return np.datetime64(self.end_period, "M")

    @cached_property
    def start_month(self) -> np.datetime64:
        """First month, as ``datetime64[M]``."""
        return self.end_month - (self.months - 1)

    @property
    def start_period(self) -> str:
        """First month, ``YYYY-MM``."""
        return str(self.start_month)

    @cached_property
    def start(self) -> np.datetime64:
        """First day of the window."""
        return self.start_month.astype("datetime64[D]")

    @cached_property
    def end(self) -> np.datetime64:
        """Last day of the window: the data are extracted as of this day."""
        return (self.end_month + 1).astype("datetime64[D]") - DAY

    @cached_property
    def month_starts(self) -> np.ndarray:
        """First day of each month of the window (``months`` values)."""
        return (self.start_month + np.arange(self.months)).astype("datetime64[D]")

    @cached_property
    def month_ends(self) -> np.ndarray:
        """Last day of each month of the window."""
        return (self.start_month + np.arange(1, self.months + 1)).astype("datetime64[D]") - DAY

    @cached_property
    def periods(self) -> list[str]:
        """``YYYY-MM`` of each month of the window."""
        return [str(m) for m in self.start_month + np.arange(self.months)]

    @cached_property
    def days(self) -> np.ndarray:
        """Every calendar day of the window."""
        return np.arange(self.start, self.end + DAY, dtype="datetime64[D]")

    @cached_property
    def working_days(self) -> np.ndarray:
        """Monday–Friday days of the window that are not French public holidays."""
        years = range(int(str(self.start)[:4]), int(str(self.end)[:4]) + 1)
        holidays = np.concatenate([french_holidays(y) for y in years])
        return self.days[np.is_busday(self.days, holidays=holidays)]

    def month_index(self, dates: np.ndarray) -> np.ndarray:
        """0-based month of the window of each date (negative before, ≥ months after)."""
        return (np.asarray(dates).astype("datetime64[M]") - self.start_month).astype(np.int64)

    def complete_years(self) -> list[int]:
        """Calendar (= fiscal) years whose twelve months all lie in the window."""
        first = int(self.start_period[:4]) + (self.start_period[5:] != "01")
        last = int(self.end_period[:4]) - (self.end_period[5:] != "12")
        return list(range(first, last + 1))


def make_window(end_period: str, months: int) -> Window:
    """A :class:`Window`, or :class:`ParameterError` for a bad period or month count."""
    if not isinstance(end_period, str) or not _PERIOD.match(end_period):
        raise ParameterError(detail=t("sample_data.bad_end_period", value=end_period))
    if not isinstance(months, int) or months < 1:
        raise ParameterError(detail=t("sample_data.bad_months", value=months))
    return Window(end_period=end_period, months=months)


def period_of(dates: np.ndarray) -> np.ndarray:
    """``YYYY-MM`` text of each date."""
    return np.datetime_as_string(np.asarray(dates).astype("datetime64[M]"), unit="M")


def _easter(year: int) -> np.datetime64:
    """Easter Sunday (Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 19 * m) // 433
    month = (h + m - 7 * n + 90) // 25
    day = (h + m - 7 * n + 33 * month + 19) % 32
    return np.datetime64(f"{year:04d}-{month:02d}-{day:02d}")


def french_holidays(year: int) -> np.ndarray:
    """The eleven French public holidays of ``year`` (metropolitan France)."""
    fixed = ["01-01", "05-01", "05-08", "07-14", "08-15", "11-01", "11-11", "12-25"]
    easter = _easter(year)
    days = [np.datetime64(f"{year:04d}-{md}") for md in fixed]
    days += [easter + 1 * DAY, easter + 39 * DAY, easter + 50 * DAY]
    return np.sort(np.array(days, dtype="datetime64[D]"))
