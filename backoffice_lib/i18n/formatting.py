"""Locale-aware formatting of numbers, money, percentages, dates and months (Babel).

French output follows CLDR: ``1 234 567,89 €`` with a narrow no-break space (U+202F)
between thousands, ``4,2 %``, ``31/10/2026``, « octobre 2026 ». English output uses
British conventions (``€1,234,567.89``, ``31/10/2026``, "October 2026"), the group
controllers' usual reading; no ``mm/dd`` anywhere.

``None`` and NaN (a KPI that cannot be computed, kpi-reference §0) format as the
language's "n/a".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from numbers import Number

import babel.dates
import babel.numbers

from . import get_language, t

__all__ = [
    "LOCALES",
    "format_date",
    "format_money",
    "format_money_compact",
    "format_month",
    "format_number",
    "format_percent",
    "format_signed_money",
    "format_signed_percent",
    "is_missing",
    "locale_for",
]

LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def locale_for(lang: str | None = None) -> str:
    """Babel locale of a report language."""
    return LOCALES[lang or get_language()]


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pandas' NA."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return str(value) in {"<NA>", "NaT"}


def _na(lang: str | None) -> str:
    return t("format.not_available", lang)


def _number(value: object) -> Decimal | float:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Number):
        return float(value)  # type: ignore[arg-type]
    return Decimal(str(value))


def format_number(value: object, lang: str | None = None, decimals: int = 0) -> str:
    """``1234567.891`` → ``1 234 568`` (fr) / ``1,234,568`` (en)."""
    if is_missing(value):
        return _na(lang)
    fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel.numbers.format_decimal(_number(value), format=fmt, locale=locale_for(lang))


def _pattern(kind: str, lang: str | None, decimals: int) -> str:
    """The locale's own pattern (``#,##0.00\u00a0¤`` for fr money) with ``decimals`` digits."""
    locale = babel.Locale.parse(locale_for(lang))
    if kind == "money":
        pattern = locale.currency_formats["standard"].pattern
    else:
        pattern = locale.percent_formats[None].pattern
    pattern = pattern.split(";")[0]
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    return re.sub(r"#,##0(\.0+)?", digits, pattern, count=1)


def format_money(
    value: object, lang: str | None = None, currency: str = "EUR", decimals: int = 2
) -> str:
    """``1234567.89`` → ``1 234 567,89 €`` (fr) / ``€1,234,567.89`` (en)."""
    if is_missing(value):
        return _na(lang)
    return babel.numbers.format_currency(
        _number(value),
        currency,
        format=_pattern("money", lang, decimals),
        locale=locale_for(lang),
        currency_digits=False,
    )


def format_signed_money(
    value: object, lang: str | None = None, currency: str = "EUR", decimals: int = 0
) -> str:
    """Like :func:`format_money` with an explicit ``+`` on positive values (variances)."""
    text = format_money(value, lang, currency, decimals)
    if not is_missing(value) and _number(value) > 0:
        return "+" + text
    return text


def format_money_compact(value: object, lang: str | None = None, currency: str = "EUR") -> str:
    """Short form for commentary and tiles: ``38 k€`` / ``€38K``, ``1,2 M€`` / ``€1.2M``."""
    if is_missing(value):
        return _na(lang)
    return babel.numbers.format_compact_currency(
        _number(value), currency, locale=locale_for(lang), fraction_digits=1
    )


def format_percent(value: object, lang: str | None = None, decimals: int = 1) -> str:
    """A fraction as a percentage: ``0.042`` → ``4,2 %`` (fr) / ``4.2%`` (en)."""
    if is_missing(value) or (isinstance(value, float) and math.isinf(value)):
        return _na(lang)
    return babel.numbers.format_percent(
        _number(value), format=_pattern("percent", lang, decimals), locale=locale_for(lang)
    )


def format_signed_percent(value: object, lang: str | None = None, decimals: int = 1) -> str:
    """Like :func:`format_percent` with an explicit ``+`` on positive values."""
    text = format_percent(value, lang, decimals)
    if not is_missing(value) and _number(value) > 0:
        return "+" + text
    return text


def format_date(value: object, lang: str | None = None) -> str:
    """A date as ``31/10/2026`` in both languages (dd/mm/yyyy; never mm/dd)."""
    if is_missing(value):
        return _na(lang)
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    elif hasattr(value, "date") and not isinstance(value, dt.date):
        value = value.date()  # pandas Timestamp
    return babel.dates.format_date(value, format="dd/MM/yyyy", locale=locale_for(lang))


def format_month(period: object, lang: str | None = None, short: bool = False) -> str:
    """A ``YYYY-MM`` period as « octobre 2026 » / "October 2026" (short: « oct. 2026 »)."""
    if is_missing(period):
        return _na(lang)
    text = str(period)
    first = dt.date(int(text[:4]), int(text[5:7]), 1)
    fmt = "LLL yyyy" if short else "LLLL yyyy"
    return babel.dates.format_date(first, format=fmt, locale=locale_for(lang))
