"""Vectorised parsing of cell values: numbers, money, dates, periods, booleans.

Every parser takes a pyarrow array as read (``string`` for text cells and CSV fields,
``double`` for Excel numbers, ``timestamp`` for Excel date cells, ``bool``) and returns
the parsed array plus a boolean mask of the values that were present but could not be
read, so the caller can report each one at its cell. Nothing is guessed: an unreadable
value is null *and* flagged.

Conventions (kpi-reference §5.6):

- Numbers: spaces (U+0020, U+00A0, U+202F, U+2009) and apostrophes group thousands;
  when both ``.`` and ``,`` appear the last one is the decimal mark; a single ``,`` is a
  decimal comma, a single ``.`` a decimal point, a mark repeated (``1.234.567``) groups
  thousands. Negatives: leading or trailing ``-``, or parentheses. ``€``/``EUR`` and
  other currency signs are dropped; ``80 %`` is 0.80.
- Money is exact: text goes to ``decimal128`` without passing through float; an Excel
  number (a binary float) is first written with its shortest decimal form (``2.675``),
  then rounded half away from zero to cents.
- Dates: ``dd/mm/yyyy`` (also ``-`` or ``.`` and 2-digit years, 00–68 → 20xx), ISO
  ``yyyy-mm-dd[ hh:mm[:ss]]``, FEC ``yyyymmdd``, Excel serials (1900 system with its
  fictitious 29/02/1900, or the 1904 system). A column is read day-first unless every
  value can only be read month-first; values that contradict the column's order are
  flagged ambiguous, never swapped silently.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..tables import normalize_header
from .lanes import decimal_cents, dmy_fixed, edge_bytes, string_bytes
from .lanes import to_mask as _mask

__all__ = [
    "DateResult",
    "is_blank",
    "is_text",
    "parse_bool",
    "parse_dates",
    "parse_float",
    "parse_money",
    "parse_period",
    "render_text",
]

MONEY_TYPE = pa.decimal128(18, 2)
_MAX_MONEY = 1e16
_TS = pa.timestamp("us")

_STRIP_CHARS = "[\\s\u00a0\u202f\u2009'\u2019€$£]|EUR|eur"
_CLEAN_NUMBER = r"^\d+(\.\d+)?([eE][-+]?\d+)?$"
# The common shapes: "-1234.5" (programs, Excel) and "-1 234,56" (French, spaces of any kind
# between digits), whose clean form is the text without sign and spaces, "," read as ".".
_LANE = r"^-?\d+(\.\d+)?$|^-?\d[\d \x{a0}\x{202f}\x{2009}]*(,\d+)?$"
_LANE_DROP = r"[- \x{a0}\x{202f}\x{2009}]"


def _strings(arr: pa.Array) -> pa.Array:
    return arr if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type) \
        else pc.cast(arr, pa.string())


def is_text(arr: pa.Array) -> bool:
    """True for string arrays (the values of text cells and text files)."""
    return pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)


def is_blank(arr: pa.Array) -> np.ndarray:
    """True where a value is absent: null, or text that is empty or only spaces."""
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        empty = pc.or_kleene(pc.equal(pc.utf8_length(arr), 0), pc.utf8_is_space(arr))
        return _mask(pc.or_kleene(pc.is_null(arr), empty))
    if pa.types.is_floating(arr.type):
        return _mask(pc.is_null(arr, nan_is_null=True))
    return _mask(pc.is_null(arr))


def _blank_to_null(arr: pa.Array) -> pa.Array:
    """Text trimmed of surrounding whitespace (Unicode), empty text as null.

    Only values whose first or last byte is not printable ASCII can have whitespace to
    trim: they alone go through ``utf8_trim_whitespace``.
    """
    s = _strings(arr)
    data, starts, lengths, valid = string_bytes(s)
    first, last = edge_bytes(data, starts, lengths)
    edge = (lengths > 0) & ~((first > 0x20) & (first < 0x7F) & (last > 0x20) & (last < 0x7F))
    empty = valid & (lengths == 0)
    if edge.any():
        idx = np.flatnonzero(edge)
        trimmed = pc.utf8_trim_whitespace(s.take(pa.array(idx)))
        s = pc.replace_with_mask(s, pa.array(edge), trimmed)
        empty[idx] = _mask(pc.equal(pc.utf8_length(trimmed), 0))
    if empty.any():
        s = pc.if_else(pa.array(empty), pa.scalar(None, s.type), s)
    return s


# --------------------------------------------------------------------------- numbers


def _normalise_numbers(text: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Text numbers → ``(canonical digits "1234.56", negative mask, percent mask)``.

    The canonical string has no sign; invalid text comes out unchanged (the caller
    validates against :data:`_CLEAN_NUMBER`).
    """
    s = pc.replace_substring_regex(text, _STRIP_CHARS, "")
    s = pc.replace_substring(s, "\u2212", "-")  # unicode minus
    percent = pc.ends_with(s, "%")
    s = pc.replace_substring_regex(s, "%$", "")
    paren = pc.match_substring_regex(s, r"^\(.*\)$")
    s = pc.replace_substring_regex(s, r"^\((.*)\)$", r"\1")
    lead = pc.match_substring_regex(s, r"^[-+]")
    negative_lead = pc.starts_with(s, "-")
    trail = pc.ends_with(s, "-")
    s = pc.replace_substring_regex(s, r"^[-+]|-$", "")
    negative = pc.or_kleene(pc.or_kleene(paren, negative_lead), trail)
    # A value cannot carry two signs: "(-5)" or "-5-" is not a number.
    double_sign = pc.or_kleene(pc.and_kleene(paren, lead), pc.and_kleene(lead, trail))
    s = pc.if_else(double_sign, pa.scalar("?", pa.string()), s)

    # Which mark is the decimal one, and are the thousands groups well formed?
    # "1.234,56" / "1,234.56" / "1234,5" / "1.234.567" are numbers; "31.12.2026" is not.
    comma_decimal = pc.match_substring_regex(s, r"^(\d+|\d{1,3}(\.\d{3})+),\d*$")
    dot_decimal = pc.match_substring_regex(s, r"^(\d+|\d{1,3}(,\d{3})+)\.\d*([eE][-+]?\d+)?$")
    grouped = pc.match_substring_regex(s, r"^\d{1,3}(\.\d{3})+$|^\d{1,3}(,\d{3})+$")
    as_comma = pc.replace_substring(pc.replace_substring(s, ".", ""), ",", ".")
    as_dot = pc.replace_substring(s, ",", "")
    no_decimal = pc.replace_substring_regex(s, r"[.,]", "")
    s = pc.if_else(comma_decimal, as_comma, pc.if_else(
        dot_decimal, as_dot, pc.if_else(grouped, no_decimal, s)))
    return s, _mask(negative), _mask(percent)


def _number_text(arr: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray, np.ndarray]:
    """Text → ``(clean unsigned digits or null, negative, percent, bad)`` masks.

    Values of the common shapes (:data:`_LANE`: ``-1234.5``, ``1 234,56``) take a short
    path whose result is what :func:`_normalise_numbers` gives them; the others go
    through it, on their own.
    """
    text = _blank_to_null(arr)
    n = len(arr)
    present = ~_mask(pc.is_null(text))
    negative, percent, bad = (np.zeros(n, dtype=bool) for _ in range(3))
    if not present.any():
        return text, negative, percent, bad
    lane = _mask(pc.match_substring_regex(text, _LANE))
    clean = pc.replace_substring_regex(text, _LANE_DROP, "")
    if pc.any(pc.match_substring(clean, ",")).as_py():
        clean = pc.replace_substring(clean, ",", ".")
    negative = _mask(pc.starts_with(text, "-")) & lane
    rest = present & ~lane
    if rest.any():
        idx = np.flatnonzero(rest)
        sub_clean, sub_negative, sub_percent = _normalise_numbers(text.take(pa.array(idx)))
        valid = _mask(pc.match_substring_regex(sub_clean, _CLEAN_NUMBER))
        sub_clean = pc.if_else(pa.array(valid), sub_clean, pa.scalar(None, pa.string()))
        clean = pc.replace_with_mask(clean, pa.array(rest), sub_clean)
        negative[idx], percent[idx], bad[idx] = sub_negative, sub_percent, ~valid
    return clean, negative, percent, bad


def parse_float(arr: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Any array → ``(float64, bad)``; percentages become fractions (``80 %`` → 0.8)."""
    if pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type):
        return pc.cast(arr, pa.float64()), np.zeros(len(arr), dtype=bool)
    if pa.types.is_boolean(arr.type) or pa.types.is_null(arr.type):
        return pc.cast(arr, pa.float64()), np.zeros(len(arr), dtype=bool)
    if pa.types.is_timestamp(arr.type) or pa.types.is_date(arr.type):
        bad = ~is_blank(arr)
        return pa.nulls(len(arr), pa.float64()), bad
    clean, negative, percent, bad = _number_text(arr)
    values = pc.cast(clean, pa.float64()).to_numpy(zero_copy_only=False)
    values = np.where(negative, -values, values)
    values = np.where(percent, values / 100.0, values)
    values = np.where(np.isfinite(values), values, np.nan)
    return pa.array(values, pa.float64(), from_pandas=True), bad


def parse_money(arr: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Any array → ``(decimal128(18, 2), bad)``, exact for text, cents rounded half away from 0."""
    n = len(arr)
    if pa.types.is_null(arr.type):
        return pa.nulls(n, MONEY_TYPE), np.zeros(n, dtype=bool)
    if pa.types.is_decimal(arr.type):
        return pc.cast(pc.round(arr, 2, round_mode="half_towards_infinity"), MONEY_TYPE,
                       safe=False), np.zeros(n, dtype=bool)
    if pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type):
        values = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
        present = ~np.isnan(values)
        ok = present & np.isfinite(values) & (np.abs(values) < _MAX_MONEY)
        return _money_from_cents(_float_cents(np.where(ok, values, 0.0)), ok), present & ~ok
    if pa.types.is_boolean(arr.type) or pa.types.is_timestamp(arr.type):
        return pa.nulls(n, MONEY_TYPE), ~is_blank(arr)
    clean, negative, percent, bad = _number_text(arr)
    # "80 %" is not an amount.
    bad = bad | percent
    has_exp = _mask(pc.or_kleene(pc.match_substring(clean, "e"), pc.match_substring(clean, "E")))
    if has_exp.any():  # "1.5e3": through float, then like an Excel number
        floats = pc.cast(pc.if_else(pa.array(has_exp), clean, pa.scalar(None, pa.string())),
                         pa.float64()).to_numpy(zero_copy_only=False)
        floats = np.where(negative, -floats, floats)
        clean = pc.if_else(pa.array(has_exp), pa.scalar(None, pa.string()), clean)
    too_big = _mask(pc.greater(_int_digits(clean), 16))
    ok = ~_mask(pc.is_null(clean)) & ~too_big & ~percent
    bad = bad | (too_big & ~has_exp)
    cents = decimal_cents(pc.if_else(pa.array(ok), clean, pa.scalar("0", pa.string())))
    cents = np.where(negative, -cents, cents)
    if has_exp.any():
        exp_ok = has_exp & np.isfinite(floats) & (np.abs(np.nan_to_num(floats)) < _MAX_MONEY)
        cents = np.where(exp_ok, _float_cents(np.where(exp_ok, floats, 0.0)), cents)
        ok = ok | exp_ok
        bad = bad | (has_exp & ~exp_ok)
    return _money_from_cents(cents, ok), bad


def _float_cents(values: np.ndarray) -> np.ndarray:
    """Floats → int64 cents, rounded half away from zero on 15 significant digits.

    An Excel number is a binary float: 1.005 is stored as 1.00499999999999989...; read
    on the 15 significant digits Excel itself displays, it is 1.005 and rounds to 1.01.
    """
    cents = values * 100.0
    magnitude = np.abs(cents)
    digits = np.floor(np.log10(np.where(magnitude > 0, magnitude, 1.0)))
    scale = 10.0 ** np.clip(14 - digits, -300, 300)
    snapped = np.round(cents * scale) / scale
    return (np.sign(snapped) * np.floor(np.abs(snapped) + 0.5)).astype("int64")


def _int_digits(clean: pa.Array) -> pa.Array:
    """Length of the integer part of clean ASCII number text (``"1234.5"`` → 4)."""
    dot = pc.find_substring(clean, ".")
    return pc.if_else(pc.less(dot, 0), pc.utf8_length(clean), dot)


def _money_from_cents(cents: np.ndarray, valid: np.ndarray) -> pa.Array:
    """int64 cents + validity → decimal128(18, 2), built from its 16-byte buffers."""
    n = len(cents)
    words = np.empty((n, 2), dtype="<i8")
    words[:, 0] = cents
    words[:, 1] = np.where(cents < 0, -1, 0)
    validity = pa.array(valid, pa.bool_()).buffers()[1] if not valid.all() else None
    return pa.Array.from_buffers(MONEY_TYPE, n, [validity, pa.py_buffer(words.tobytes())],
                                 null_count=int(n - valid.sum()))


# --------------------------------------------------------------------------- dates

_EPOCH_1900 = np.datetime64("1899-12-30", "us")
_EPOCH_1904 = np.datetime64("1904-01-01", "us")
_US_PER_DAY = 86_400_000_000


class DateResult:
    """Parsed dates: ``values`` (timestamp[us]), ``bad`` and ``ambiguous`` masks."""

    __slots__ = ("ambiguous", "bad", "values")

    def __init__(self, values: pa.Array, bad: np.ndarray, ambiguous: np.ndarray) -> None:
        self.values = values
        self.bad = bad
        self.ambiguous = ambiguous


def serials_to_dates(serials: np.ndarray, date1904: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Excel serial numbers (float, NaN for missing) → ``(datetime64[us], bad)``.

    1900 system: serial 1 is 1900-01-01 and Excel counts a 29/02/1900 that never was
    (serial 60, reported as bad); from 61 on, day 0 is 1899-12-30. 1904 system: day 0
    is 1904-01-01. Serials past 9999-12-31 or below 1 (1900) / 0 (1904) are bad.
    """
    s = np.asarray(serials, dtype="float64")
    present = ~np.isnan(s)
    if date1904:
        ok = present & (s >= 0) & (s < 2_957_004)
        base = _EPOCH_1904
        shifted = s
    else:
        ok = present & (s >= 1) & (s < 2_958_466) & ~((s >= 60) & (s < 61))
        base = _EPOCH_1900
        shifted = np.where(s < 60, s + 1, s)
    micro = np.where(ok, np.round(shifted * _US_PER_DAY), 0).astype("int64")
    out = base + micro.astype("timedelta64[us]")
    out = np.where(ok, out, np.datetime64("NaT"))
    return out.astype("datetime64[us]"), present & ~ok


_ISO = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?Z?$"
_DAYFIRST = r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:,? (\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$"
_COMPACT = r"^(\d{4})(\d{2})(\d{2})$"
_SERIAL = r"^\d{1,7}(\.\d+)?$"
_FIELDS = ("y", "m", "d", "hh", "mi", "ss", "us")


def _ints(struct: pa.StructArray, name: str) -> np.ndarray:
    col = pc.struct_field(struct, name)
    col = pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)
    return pc.cast(col, pa.int64()).to_numpy(zero_copy_only=False).astype("float64")


def _extract(text: pa.Array, pattern: str, names: tuple[str, ...]) -> tuple[np.ndarray, dict]:
    named = pattern
    for name in names:  # turn the plain groups into named ones, in order
        named = named.replace("(\\d", f"(?P<{name}>\\d", 1)
    matched = _mask(pc.match_substring_regex(text, pattern))
    if not matched.any():
        return matched, {}
    sub = pc.filter(text, pa.array(matched))
    struct = pc.extract_regex(sub, named)
    return matched, {name: _ints(struct, name) for name in names}


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype="int64")


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (int64, years >= 1; H. Hinnant)."""
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(m > 2, m - 3, m + 9) + 2) // 5 + d - 1
    return era * 146_097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719_468


def _compose(y, m, d, hh=None, mi=None, ss=None, us=None) -> tuple[np.ndarray, np.ndarray]:
    """Component arrays (float, NaN = absent) → ``(datetime64[us], valid)``.

    Integer arithmetic throughout: a day past its month's end (31/04, 29/02 of a common
    year) is invalid, never rolled into the next month.
    """
    ok = ~(np.isnan(y) | np.isnan(m) | np.isnan(d))
    ok &= (m >= 1) & (m <= 12) & (d >= 1) & (d <= 31) & (y >= 1000) & (y <= 9999)
    yi = np.where(ok, y, 2000).astype("int64")
    mi_ = np.where(ok, m, 1).astype("int64")
    di = np.where(ok, d, 1).astype("int64")
    leap = (yi % 4 == 0) & ((yi % 100 != 0) | (yi % 400 == 0))
    ok &= di <= _MONTH_DAYS[mi_] + (leap & (mi_ == 2))
    micro = _days_from_civil(yi, mi_, di) * _US_PER_DAY
    for part, scale, top in ((hh, 3_600_000_000, 23), (mi, 60_000_000, 59), (ss, 1_000_000, 59)):
        if part is None:
            continue
        p = np.where(np.isnan(part), 0, part)
        ok &= p <= top
        micro = micro + p.astype("int64") * scale
    if us is not None:
        micro = micro + np.where(np.isnan(us), 0, us).astype("int64")
    return np.where(ok, micro.view("datetime64[us]"), np.datetime64("NaT", "us")), ok


def parse_dates(arr: pa.Array, date1904: bool = False) -> DateResult:
    """Any array → :class:`DateResult` (timestamp[us]); see the module docstring."""
    n = len(arr)
    none = np.zeros(n, dtype=bool)
    if pa.types.is_timestamp(arr.type) or pa.types.is_date(arr.type):
        return DateResult(pc.cast(arr, _TS, safe=False), none, none)
    if pa.types.is_null(arr.type):
        return DateResult(pa.nulls(n, _TS), none, none)
    if pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type):
        serials = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
        values, bad = serials_to_dates(serials, date1904)
        return DateResult(pa.array(values, _TS), bad, none)
    if pa.types.is_boolean(arr.type):
        return DateResult(pa.nulls(n, _TS), ~is_blank(arr), none)

    text = _blank_to_null(arr)
    present = ~_mask(pc.is_null(text))
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    done = np.zeros(n, dtype=bool)
    ambiguous = np.zeros(n, dtype=bool)
    # "dd/mm/yyyy" is read from its bytes; the patterns look at the other values only.
    fixed, fixed_parts = dmy_fixed(text)
    others = text
    if fixed.any():
        others = pc.if_else(pa.array(fixed), pa.scalar(None, text.type), text)
    general = bool((present & ~fixed).any())

    matched, g = _extract(others, _ISO, _FIELDS) if general else (none, {})
    if matched.any():
        us = g["us"]
        if (~np.isnan(us)).any():  # ".5" is half a second: scale to microseconds
            frac = pc.extract_regex(pc.filter(others, pa.array(matched)), r"\.(?P<f>\d{1,6})")
            digits = pc.utf8_length(pc.struct_field(frac, "f")).to_numpy(zero_copy_only=False)
            us = us * 10 ** (6 - np.nan_to_num(digits.astype("float64"), nan=6))
        vals, ok = _compose(g["y"], g["m"], g["d"], g["hh"], g["mi"], g["ss"], us)
        _store(out, done, matched, vals, ok)

    matched, g = _extract(others, _COMPACT, ("y", "m", "d")) if general else (none, {})
    if matched.any():
        vals, ok = _compose(g["y"], g["m"], g["d"])
        _store(out, done, matched, vals, ok)

    matched, g = _dayfirst(others if general else None, fixed, fixed_parts)
    if matched.any():
        first, second, year = g["d"], g["m"], g["y"]
        two_digit = year < 100
        year = np.where(two_digit, np.where(year <= 68, 2000 + year, 1900 + year), year)
        dm_vals, dm_ok = _compose(year, second, first, g["hh"], g["mi"], g["ss"])
        md_vals, md_ok = _compose(year, first, second, g["hh"], g["mi"], g["ss"]) \
            if not dm_ok.all() else (dm_vals, dm_ok)  # all read day-first: no conflict
        if (~dm_ok).any() and md_ok.all():
            # Every value reads month-first and some cannot read day-first: the column
            # can only be month-first.
            _store(out, done, matched, md_vals, md_ok)
        else:
            _store(out, done, matched, dm_vals, dm_ok)
            conflict = np.zeros(n, dtype=bool)
            conflict[matched] = ~dm_ok & md_ok
            ambiguous |= conflict

    rest = present & ~done & ~ambiguous
    if rest.any():
        serial_like = rest & _mask(pc.match_substring_regex(text, _SERIAL))
        if serial_like.any():
            nums = pc.cast(pc.filter(text, pa.array(serial_like)), pa.float64())
            vals, bad_serial = serials_to_dates(nums.to_numpy(zero_copy_only=False), date1904)
            idx = np.flatnonzero(serial_like)
            out[idx] = vals
            done[idx[~bad_serial]] = True
    bad = present & ~done & ~ambiguous
    return DateResult(pa.array(out, _TS), bad, ambiguous)


def _dayfirst(text: pa.Array | None, fixed: np.ndarray, fixed_parts: dict[str, np.ndarray]
              ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Day-first values: those the pattern matches in ``text`` and the ``fixed`` ones."""
    names = ("d", "m", "y", "hh", "mi", "ss")
    n = len(fixed)
    matched, g = _extract(text, _DAYFIRST, names) if text is not None \
        else (np.zeros(n, dtype=bool), {})
    if not fixed.any():
        return matched, g
    full = {name: np.full(n, np.nan) for name in names}
    for name in names:
        if matched.any():
            full[name][matched] = g[name]
        if name in fixed_parts:
            full[name][fixed] = fixed_parts[name][fixed]
    both = matched | fixed
    return both, {name: values[both] for name, values in full.items()}


def _store(out: np.ndarray, done: np.ndarray, matched: np.ndarray, vals: np.ndarray,
           ok: np.ndarray) -> None:
    idx = np.flatnonzero(matched)
    good = idx[ok]
    out[good] = vals[ok]
    done[good] = True


# --------------------------------------------------------------------------- periods

_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1, "fevrier": 2, "fevr": 2, "fev": 2,
    "feb": 2, "february": 2, "mars": 3, "mar": 3, "march": 3, "avril": 4, "avr": 4,
    "apr": 4, "april": 4, "mai": 5, "may": 5, "juin": 6, "jun": 6, "june": 6,
    "juillet": 7, "juil": 7, "jul": 7, "july": 7, "aout": 8, "aou": 8, "aug": 8,
    "august": 8, "septembre": 9, "sept": 9, "sep": 9, "september": 9, "octobre": 10,
    "oct": 10, "october": 10, "novembre": 11, "nov": 11, "november": 11,
    "decembre": 12, "dec": 12, "december": 12,
}


def _period_text(value: str) -> str | None:
    """One period written out (``2026-10``, ``10/2026``, ``202610``, ``octobre 2026``)."""
    import re

    v = value.strip()
    m = re.fullmatch(r"(\d{4})[-/.]?(\d{1,2})", v)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
    else:
        m = re.fullmatch(r"(\d{1,2})[-/.](\d{4})", v)
        if m:
            month, year = int(m.group(1)), int(m.group(2))
        else:
            words = normalize_header(v).split()
            if len(words) != 2 or words[0] not in _MONTHS:
                return None
            month = _MONTHS[words[0]]
            if not words[1].isdigit():
                return None
            year = int(words[1])
            year = 2000 + year if year < 100 else year
    if not (1 <= month <= 12 and 1900 <= year <= 9999):
        return None
    return f"{year:04d}-{month:02d}"


def parse_period(arr: pa.Array, date1904: bool = False) -> tuple[pa.Array, np.ndarray]:
    """Any array → ``(YYYY-MM strings, bad)``; dates and Excel date cells give their month."""
    n = len(arr)
    if pa.types.is_timestamp(arr.type) or pa.types.is_date(arr.type):
        return pc.strftime(pc.cast(arr, _TS, safe=False), format="%Y-%m"), np.zeros(n, bool)
    if pa.types.is_null(arr.type):
        return pa.nulls(n, pa.string()), np.zeros(n, dtype=bool)
    text = _blank_to_null(arr)
    if pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type):
        text = _blank_to_null(render_text(arr))
    uniques = pc.unique(text).to_pylist()
    mapping: dict[str, str | None] = {}
    for value in uniques:
        if value is None:
            continue
        period = _period_text(value)
        if period is None:
            dates = parse_dates(pa.array([value]), date1904)
            if not dates.bad[0] and not dates.ambiguous[0] and dates.values[0].is_valid:
                period = dates.values[0].as_py().strftime("%Y-%m")
        mapping[value] = period
    keys = pa.array(list(mapping), pa.string())
    values = pa.array(list(mapping.values()), pa.string())
    idx = pc.index_in(text, value_set=keys)
    result = pc.take(values, idx) if len(keys) else pa.nulls(n, pa.string())
    present = ~_mask(pc.is_null(text))
    bad = present & _mask(pc.is_null(result))
    return result, bad


# --------------------------------------------------------------------------- booleans and text


def parse_bool(arr: pa.Array, aliases: dict[str, str]) -> tuple[pa.Array, np.ndarray]:
    """Any array → ``(bool, bad)``; text through ``aliases`` (normalised → "true"/"false")."""
    n = len(arr)
    if pa.types.is_boolean(arr.type):
        return arr, np.zeros(n, dtype=bool)
    if pa.types.is_null(arr.type):
        return pa.nulls(n, pa.bool_()), np.zeros(n, dtype=bool)
    if pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type):
        f = pc.cast(arr, pa.float64())
        ok = pc.or_(pc.equal(f, 1.0), pc.equal(f, 0.0))
        return pc.if_else(ok, pc.equal(f, 1.0), pa.scalar(None, pa.bool_())), \
            _mask(pc.invert(ok)) & ~is_blank(arr)
    text = _blank_to_null(arr)
    mapped, bad = map_values(text, aliases)
    return pc.equal(mapped, "true"), bad


def map_values(text: pa.Array, aliases: dict[str, str],
               allowed: tuple[str, ...] = ()) -> tuple[pa.Array, np.ndarray]:
    """Text → canonical values through ``aliases`` (keys normalised) and ``allowed``.

    Values are compared with :func:`~backoffice_lib.tables.normalize_header`; a value
    neither an alias nor an allowed value (any case) is null and flagged.
    """
    lookup = {normalize_header(k): v for k, v in aliases.items()}
    for value in allowed:
        lookup.setdefault(normalize_header(value), value)
    uniques = [u for u in pc.unique(text).to_pylist() if u is not None]
    keys = pa.array(uniques, pa.string())
    values = pa.array([lookup.get(normalize_header(u)) for u in uniques], pa.string())
    result = pc.take(values, pc.index_in(text, value_set=keys)) if uniques \
        else pa.nulls(len(text), pa.string())
    bad = ~_mask(pc.is_null(text)) & _mask(pc.is_null(result))
    return result, bad


def render_text(arr: pa.Array) -> pa.Array:
    """Any array → text as the user reads it: ``42`` not ``42.0``, dates ISO, trimmed.

    IDs typed as numbers in Excel (an account 601000) come back without a decimal part;
    text keeps its leading zeros and loses surrounding spaces only.
    """
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        return _blank_to_null(arr)
    if pa.types.is_null(arr.type):
        return pa.nulls(len(arr), pa.string())
    if pa.types.is_floating(arr.type):
        f = pc.cast(arr, pa.float64())
        integral = pc.and_kleene(pc.equal(f, pc.round(f)), pc.less(pc.abs(f), 1e15))
        as_int = pc.cast(pc.cast(pc.if_else(integral, f, 0.0), pa.int64()), pa.string())
        return pc.if_else(integral, as_int, pc.cast(f, pa.string()))
    if pa.types.is_timestamp(arr.type) or pa.types.is_date(arr.type):
        ts = pc.cast(arr, _TS, safe=False)
        midnight = pc.equal(pc.cast(pc.cast(ts, pa.date32()), _TS), ts)
        return pc.if_else(midnight, pc.strftime(ts, format="%Y-%m-%d"),
                          pc.strftime(ts, format="%Y-%m-%d %H:%M:%S"))
    if pa.types.is_boolean(arr.type):
        return pc.if_else(arr, "true", "false")
    return _blank_to_null(pc.cast(arr, pa.string()))
