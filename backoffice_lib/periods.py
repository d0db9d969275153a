"""Period arithmetic on ``YYYY-MM`` strings and the French working-day calendar.

A period is the accounting month as text, ``"2026-10"`` (kpi-reference §0). Everything
here is pure and small: shift a period, list a range, find the fiscal-year start, the
year-to-date and rolling-12 ranges, the first and last day of a month.

Working days are Monday–Friday minus French public holidays (kpi-reference §0): the
fixed ones (1 January, 1 May, 8 May, 14 July, 15 August, 1 November, 11 November,
25 December) and the Easter-based ones (Easter Monday, Ascension Thursday, Whit
Monday). Alsace-Moselle adds Good Friday and 26 December (``alsace_moselle=True``).
A company calendar can add its own days off (``extra_holidays``). The close date of a
period, used by the cut-off check, is the N-th working day of the following month.

Examples
--------
>>> shift_period("2026-01", -1)
'2025-12'
>>> ytd_range("2026-03", fiscal_year_start=1)
['2026-01', '2026-02', '2026-03']
>>> close_date("2026-04", close_working_day=5)  # 1 and 8 May are holidays
datetime.date(2026, 5, 11)
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

from .errors import ParameterError
from .i18n import t

__all__ = [
    "calendar_days",
    "close_date",
    "easter_sunday",
    "fiscal_year_start_period",
    "french_holidays",
    "is_working_day",
    "months_between",
    "nth_working_day",
    "period_end",
    "period_of",
    "period_range",
    "period_start",
    "periods_of",
    "r12_range",
    "same_period_last_year",
    "shift_period",
    "validate_period",
    "working_days",
    "ytd_range",
]

_PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


# --------------------------------------------------------------------------- periods


def validate_period(period: object) -> str:
    """Return ``period`` if it is a ``YYYY-MM`` string, else raise :class:`ParameterError`."""
    if isinstance(period, str) and _PERIOD_RE.match(period):
        return period
    raise ParameterError(detail=t("finance.invalid_period", value=period))


def _split(period: str) -> tuple[int, int]:
    validate_period(period)
    return int(period[:4]), int(period[5:7])


def _index(period: str) -> int:
    year, month = _split(period)
    return year * 12 + month - 1


def _from_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def period_of(date: dt.date) -> str:
    """The period of a date: ``date(2026, 10, 31)`` → ``"2026-10"``."""
    return f"{date.year:04d}-{date.month:02d}"


def periods_of(dates: pd.Series) -> pd.Series:
    """Vectorised :func:`period_of` for a datetime column (NaT → NA).

    Year × 100 + month codes, then one text per distinct month (15× faster than
    ``strftime`` on a ledger of a million lines).
    """
    codes = dates.dt.year * 100 + dates.dt.month
    texts = {code: f"{int(code) // 100:04d}-{int(code) % 100:02d}"
             for code in pd.unique(codes.dropna())}
    return codes.map(texts).astype("str")


def shift_period(period: str, months: int) -> str:
    """``period`` moved by ``months`` (negative = earlier): ``("2026-01", -1)`` → ``"2025-12"``."""
    return _from_index(_index(period) + months)


def months_between(start: str, end: str) -> int:
    """Number of months from ``start`` to ``end`` (``end`` − ``start``; 0 when equal)."""
    return _index(end) - _index(start)


def period_range(start: str, end: str) -> list[str]:
    """Every period from ``start`` to ``end`` inclusive (empty when ``end`` < ``start``)."""
    first, last = _index(start), _index(end)
    return [_from_index(i) for i in range(first, last + 1)]


def same_period_last_year(period: str) -> str:
    """The same month one year earlier."""
    return shift_period(period, -12)


def fiscal_year_start_period(period: str, fiscal_year_start: int = 1) -> str:
    """First period of the fiscal year containing ``period``.

    ``fiscal_year_start`` is the calendar month (1–12) the fiscal year opens with:
    ``("2026-03", 7)`` → ``"2025-07"``.
    """
    if not (isinstance(fiscal_year_start, int) and 1 <= fiscal_year_start <= 12):
        raise ParameterError(detail=t("finance.invalid_fiscal_start", value=fiscal_year_start))
    year, month = _split(period)
    start_year = year if month >= fiscal_year_start else year - 1
    return f"{start_year:04d}-{fiscal_year_start:02d}"


def ytd_range(period: str, fiscal_year_start: int = 1) -> list[str]:
    """Periods from the fiscal-year start to ``period`` inclusive (kpi-reference F4)."""
    return period_range(fiscal_year_start_period(period, fiscal_year_start), period)


def r12_range(period: str) -> list[str]:
    """The 12 periods ending with ``period`` (``m−11 … m``, kpi-reference F5)."""
    return period_range(shift_period(period, -11), period)


def period_start(period: str) -> dt.date:
    """First day of the period."""
    year, month = _split(period)
    return dt.date(year, month, 1)


def period_end(period: str) -> dt.date:
    """Last day of the period: ``"2024-02"`` → ``2024-02-29``."""
    year, month = _split(period)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def calendar_days(period: str) -> int:
    """Number of calendar days in the period (28–31)."""
    year, month = _split(period)
    return calendar.monthrange(year, month)[1]


# --------------------------------------------------------------------------- working days


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


@lru_cache(maxsize=256)
def french_holidays(year: int, alsace_moselle: bool = False) -> frozenset[dt.date]:
    """French public holidays of ``year`` (Code du travail L3133-1).

    Fixed: 1 Jan, 1 May, 8 May, 14 Jul, 15 Aug, 1 Nov, 11 Nov, 25 Dec. Easter-based:
    Easter Monday (+1), Ascension (+39), Whit Monday (+50). Alsace-Moselle adds Good
    Friday (−2) and 26 Dec.
    """
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    easter = easter_sunday(year)
    days = {dt.date(year, m, d) for m, d in fixed}
    days |= {easter + dt.timedelta(days=n) for n in (1, 39, 50)}
    if alsace_moselle:
        days |= {easter - dt.timedelta(days=2), dt.date(year, 12, 26)}
    return frozenset(days)


def is_working_day(
    day: dt.date, extra_holidays: Iterable[dt.date] = (), alsace_moselle: bool = False
) -> bool:
    """True for Monday–Friday days that are not French public holidays (nor ``extra_holidays``)."""
    if day.weekday() >= 5:
        return False
    return day not in french_holidays(day.year, alsace_moselle) and day not in set(extra_holidays)


def working_days(
    start: dt.date,
    end: dt.date,
    extra_holidays: Iterable[dt.date] = (),
    alsace_moselle: bool = False,
) -> list[dt.date]:
    """Working days from ``start`` to ``end`` inclusive, in order."""
    extra = set(extra_holidays)
    days = (start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    return [d for d in days if is_working_day(d, extra, alsace_moselle)]


def nth_working_day(
    period: str, n: int, extra_holidays: Iterable[dt.date] = (), alsace_moselle: bool = False
) -> dt.date:
    """The ``n``-th working day (1-based) of ``period``."""
    if not (isinstance(n, int) and 1 <= n <= 23):
        raise ParameterError(detail=t("finance.invalid_working_day", value=n))
    days = working_days(period_start(period), period_end(period), extra_holidays, alsace_moselle)
    return days[n - 1]


def close_date(
    period: str,
    close_working_day: int = 5,
    extra_holidays: Iterable[dt.date] = (),
    alsace_moselle: bool = False,
) -> dt.date:
    """Close date of ``period``: the ``close_working_day``-th working day of the next month.

    An entry of ``period`` keyed after this date was posted after the close
    (cut-off check, kpi-reference F12).
    """
    return nth_working_day(
        shift_period(period, 1), close_working_day, extra_holidays, alsace_moselle
    )
