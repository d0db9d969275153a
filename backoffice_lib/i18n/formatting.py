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
import functools
import math
import re
from decimal import Decimal
from numbers import Number

import babel.dates
import babel.numbers

from . import get_language, t

__all__ = [
    "KINDS",
    "LOCALES",
    "NUMERIC_KINDS",
    "flag_value",
    "format_date",
    "format_flag",
    "format_money",
    "format_money_compact",
    "format_month",
    "format_number",
    "format_percent",
    "format_signed_money",
    "format_signed_percent",
    "format_signed_points",
    "format_ticks",
    "format_value",
    "is_missing",
    "locale_for",
    "parse_kind",
]

LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def locale_for(lang: str | None = None) -> str:
    """Babel locale of a report language."""
    return LOCALES[lang or get_language()]


# Babel parses a locale name and a number pattern on every call it is given them as
# text; a report formats thousands of values with a handful of each, so both are parsed
# once here and handed over parsed (Babel takes them as they are).


@functools.cache
def _babel_locale(name: str) -> babel.Locale:
    return babel.Locale.parse(name)


def _locale(lang: str | None) -> babel.Locale:
    return _babel_locale(locale_for(lang))


@functools.lru_cache(maxsize=256)
def _number_pattern(pattern: str) -> babel.numbers.NumberPattern:
    return babel.numbers.parse_pattern(pattern)


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
    return babel.numbers.format_decimal(_number(value), format=_number_pattern(fmt),
                                        locale=_locale(lang))


def _pattern(kind: str, lang: str | None, decimals: int) -> babel.numbers.NumberPattern:
    """The locale's own pattern (``#,##0.00\u00a0¤`` for fr money) with ``decimals`` digits."""
    return _locale_pattern(kind, locale_for(lang), decimals)


@functools.lru_cache(maxsize=256)
def _locale_pattern(kind: str, name: str, decimals: int) -> babel.numbers.NumberPattern:
    locale = _babel_locale(name)
    if kind == "money":
        pattern = locale.currency_formats["standard"].pattern
    else:
        pattern = locale.percent_formats[None].pattern
    pattern = pattern.split(";")[0]
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _number_pattern(re.sub(r"#,##0(\.0+)?", digits, pattern, count=1))


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
        locale=_locale(lang),
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
        _number(value), currency, locale=_locale(lang), fraction_digits=1
    )


def format_percent(value: object, lang: str | None = None, decimals: int = 1) -> str:
    """A fraction as a percentage: ``0.042`` → ``4,2 %`` (fr) / ``4.2%`` (en)."""
    if is_missing(value) or (isinstance(value, float) and math.isinf(value)):
        return _na(lang)
    return babel.numbers.format_percent(
        _number(value), format=_pattern("percent", lang, decimals), locale=_locale(lang)
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
    return babel.dates.format_date(value, format="dd/MM/yyyy", locale=_locale(lang))


def format_month(period: object, lang: str | None = None, short: bool = False) -> str:
    """A ``YYYY-MM`` period as « octobre 2026 » / "October 2026" (short: « oct. 2026 »)."""
    if is_missing(period):
        return _na(lang)
    return _month_text(str(period)[:7], locale_for(lang), short)


@functools.lru_cache(maxsize=1024)
def _month_text(period: str, name: str, short: bool) -> str:
    first = dt.date(int(period[:4]), int(period[5:7]), 1)
    fmt = "LLL yyyy" if short else "LLLL yyyy"
    return babel.dates.format_date(first, format=fmt, locale=_babel_locale(name))


# --------------------------------------------------------------------------- column kinds

#: Kinds of value a report formats (tables, tiles, chart axes). A kind may carry its
#: number of decimals after a colon: ``"number:2"``, ``"percent:0"``.
KINDS: tuple[str, ...] = (
    "money",  # 1 234 567,89 €
    "money0",  # 1 234 568 €
    "money_compact",  # 1,2 M € (tiles, commentary)
    "signed_money",  # +38 000 € (variances)
    "percent",  # 4,2 % (a fraction 0.042)
    "signed_percent",  # +4,2 %
    "signed_points",  # +0,3 pt (difference of two rates, in percentage points)
    "number",  # 12,5
    "signed_number",  # +3,0
    "int",  # 1 234
    "date",  # 31/10/2026
    "month",  # octobre 2026 (a YYYY-MM period)
    "text",  # as is
    "flag",  # F / U (D in French): favourable or not
)
#: Kinds shown right-aligned and summed by a total row (see :data:`SUMMABLE_KINDS`).
NUMERIC_KINDS: frozenset[str] = frozenset(KINDS) - {"date", "month", "text", "flag"}

_DEFAULT_DECIMALS = {
    "money": 2, "money0": 0, "signed_money": 0, "percent": 1, "signed_percent": 1,
    "signed_points": 1, "number": 1, "signed_number": 1, "int": 0,
}
_MONEY_KINDS = frozenset({"money", "money0", "money_compact", "signed_money"})
_PERCENT_KINDS = frozenset({"percent", "signed_percent"})
_FAVOURABLE = frozenset({"F", "FAV", "FAVOURABLE", "FAVORABLE", "TRUE"})
_UNFAVOURABLE = frozenset(
    {"U", "D", "UNFAV", "UNFAVOURABLE", "UNFAVORABLE", "DEFAVORABLE", "DÉFAVORABLE", "FALSE"}
)


def parse_kind(kind: str) -> tuple[str, int | None]:
    """``"number:2"`` → ``("number", 2)``; ``"money"`` → ``("money", 2)`` (default decimals).

    Raises ValueError for a kind not in :data:`KINDS` (a programming error, not bad data).
    """
    base, sep, digits = str(kind).partition(":")
    if base not in KINDS or (sep and not digits.isdigit()):
        raise ValueError(
            f"unknown value kind {kind!r}; use one of {', '.join(KINDS)} (or 'kind:decimals')"
        )
    return base, int(digits) if sep else _DEFAULT_DECIMALS.get(base)


def flag_value(value: object) -> bool | None:
    """A favourable/unfavourable flag as ``True``/``False`` (``None`` when missing).

    Accepts booleans and the usual spellings: ``F``/``U``/``D``, ``favourable``...
    """
    if is_missing(value):
        return None
    if isinstance(value, str):
        text = value.strip().upper()
        if text in _FAVOURABLE:
            return True
        if text in _UNFAVOURABLE:
            return False
        raise ValueError(f"not a favourable/unfavourable flag: {value!r}")
    return bool(value)


def format_flag(value: object, lang: str | None = None, long: bool = False) -> str:
    """``True`` → ``F``; ``False`` → ``D`` (fr) / ``U`` (en); ``long`` gives the word."""
    flag = flag_value(value)
    if flag is None:
        return _na(lang)
    key = "favourable" if flag else "unfavourable"
    return t(f"format.{key}_long" if long else f"format.{key}", lang)


def format_signed_points(value: object, lang: str | None = None, decimals: int = 1) -> str:
    """A difference of two rates in percentage points: ``0.003`` → ``+0,3 pt`` / ``+0.3 pp``."""
    if is_missing(value) or (isinstance(value, float) and math.isinf(value)):
        return _na(lang)
    number = round(_number(value) * 100, decimals)
    number = abs(number) if number == 0 else number  # no "-0,0"
    sign = "+" if number > 0 else ""
    return f"{sign}{format_number(number, lang, decimals)}\u00a0{t('report.points_unit', lang)}"


def _is_blank_number(value: object) -> bool:
    return is_missing(value) or (isinstance(value, float) and math.isinf(value))


def format_value(value: object, kind: str = "text", lang: str | None = None) -> str:
    """Format one value by its kind (:data:`KINDS`, optionally ``kind:decimals``).

    Missing values (None, NaN, NaT, NA, ±inf for numbers) give the language's "n/a".
    """
    base, decimals = parse_kind(kind)
    if base in NUMERIC_KINDS and _is_blank_number(value):
        return _na(lang)
    if base in ("money", "money0"):
        return format_money(value, lang, decimals=decimals)  # type: ignore[arg-type]
    if base == "money_compact":
        return format_money_compact(value, lang)
    if base == "signed_money":
        return format_signed_money(value, lang, decimals=decimals)  # type: ignore[arg-type]
    if base == "percent":
        return format_percent(value, lang, decimals)  # type: ignore[arg-type]
    if base == "signed_percent":
        return format_signed_percent(value, lang, decimals)  # type: ignore[arg-type]
    if base == "signed_points":
        return format_signed_points(value, lang, decimals)  # type: ignore[arg-type]
    if base in ("number", "int"):
        return format_number(value, lang, decimals)  # type: ignore[arg-type]
    if base == "signed_number":
        text = format_number(value, lang, decimals)  # type: ignore[arg-type]
        return "+" + text if _number(value) > 0 else text
    if base == "date":
        return format_date(value, lang)
    if base == "month":
        return format_month(value, lang)
    if base == "flag":
        return format_flag(value, lang)
    return _na(lang) if is_missing(value) else str(value)


# --------------------------------------------------------------------------- axis ticks

_COMPACT_STEPS = ((10**9, "1000000000"), (10**6, "1000000"), (10**3, "1000"))


def _exact_decimals(values: list[float], max_decimals: int) -> int | None:
    """Fewest decimals (≤ ``max_decimals``) that show every value exactly, else None."""
    for decimals in range(max_decimals + 1):
        if all(abs(round(v, decimals) - v) <= 1e-9 * max(1.0, abs(v)) for v in values):
            return decimals
    return None


def _decimals_needed(values: list[float], max_decimals: int) -> int:
    """Fewest decimals (≤ ``max_decimals``) that show every value exactly, else the most."""
    found = _exact_decimals(values, max_decimals)
    return max_decimals if found is None else found


def _money_scale(numbers: list[float], max_decimals: int) -> tuple[int, str, int]:
    """Unit (1, 10³, 10⁶, 10⁹), compact-pattern key and decimals for money values.

    The unit comes from the largest value; when the values need more than
    ``max_decimals`` in that unit (ticks every 25 000 shown in M), the next smaller unit
    is used if they are whole numbers in it (``1 025 k €`` rather than a rounded
    ``1,02 M €``); otherwise they are rounded in the largest unit.
    """
    biggest = max((abs(v) for v in numbers), default=0.0)
    candidates = [(s, k) for s, k in _COMPACT_STEPS if biggest >= s] + [(1, "")]
    top_scale, top_key = candidates[0]
    decimals = _exact_decimals([v / top_scale for v in numbers], max_decimals)
    if decimals is not None:
        return top_scale, top_key, decimals
    if len(candidates) > 1:
        scale, key = candidates[1]
        if _exact_decimals([v / scale for v in numbers], 0) == 0:
            return scale, key, 0
    return top_scale, top_key, max_decimals


def _compact_money(value: float, scale: int, key: str, decimals: int, lang: str | None) -> str:
    """``value`` in units of ``scale`` with the locale's compact pattern (``1,5 M €``)."""
    locale = _locale(lang)
    pattern = locale.compact_currency_formats["short"]["other"][key].pattern
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    number = babel.numbers.format_decimal(abs(value) / scale, format=_number_pattern(digits),
                                          locale=locale)
    symbol = babel.numbers.get_currency_symbol("EUR", locale)
    text = re.sub("0+", lambda _: number, pattern, count=1).replace("¤", symbol)
    return ("-" + text) if value < 0 and number.strip("0,.") else text


def format_ticks(
    values: list[object], kind: str, lang: str | None = None, max_decimals: int = 2
) -> list[str]:
    """Labels for a set of values shown together (axis ticks, value labels).

    Money is shown in one compact unit chosen from the largest value (``0,5 M €``,
    ``1,0 M €``, ``1,5 M €`` / ``€0.5M``...), percentages and numbers with the fewest
    decimals (≤ ``max_decimals``) that tell the values apart. Signed kinds add ``+``.
    """
    base, _ = parse_kind(kind)
    numbers = [float(v) for v in values if not _is_blank_number(v)]  # type: ignore[arg-type]
    signed = base.startswith("signed_")
    if base in _MONEY_KINDS:
        scale, key, decimals = _money_scale(numbers, max_decimals)

        def one(v: float) -> str:
            if scale == 1 or v == 0:
                return format_money(v, lang, decimals=decimals if v else 0)
            return _compact_money(v, scale, key, decimals, lang)

    elif base in _PERCENT_KINDS or base == "signed_points":
        decimals = _decimals_needed([v * 100 for v in numbers], max_decimals)
        fmt = format_signed_points if base == "signed_points" else format_percent

        def one(v: float) -> str:
            return fmt(v, lang, decimals)

    elif base in NUMERIC_KINDS:
        decimals = _decimals_needed(numbers, max_decimals)

        def one(v: float) -> str:
            return format_number(v, lang, decimals)

    else:
        return [format_value(v, kind, lang) for v in values]
    out = []
    for value in values:
        if _is_blank_number(value):
            out.append(_na(lang))
            continue
        text = one(float(value))  # type: ignore[arg-type]
        out.append("+" + text if signed and float(value) > 0 and not text.startswith("+") else text)  # type: ignore[arg-type]
    return out
