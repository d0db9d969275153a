"""Formatted Excel workbooks: one sheet per table, ready to read, filter and print.

:func:`write_workbook` is the one writer the package uses (validation report, the close's
``<notebook>.xlsx``...). Each sheet gets a bold header row, panes frozen under it, an
auto-filter, column widths from the content and a number format per column kind.

Column kinds (``formats={sheet: {column: kind}}``), else guessed from the dtype:

==================  =================================  =============================
kind                Excel number format                guessed for
==================  =================================  =============================
``money``           ``#,##0.00 €`` (en: ``€#,##0.00``)  Arrow decimal (exact money)
``money0``          ``#,##0 €`` (en: ``€#,##0``)
``signed_money``    ``+#,##0 €;-#,##0 €``
``percent``         ``0.0%`` (a fraction 0.042)
``signed_percent``  ``+0.0%;-0.0%``
``number``          ``#,##0.00``                        float
``signed_number``   ``+#,##0.0;-#,##0.0``
``int``/``integer`` ``#,##0``                           integer
``date``            ``dd/mm/yyyy``                      datetime64 (midnight only)
``datetime``        ``dd/mm/yyyy hh:mm``                datetime64 with times
``text``            ``@``
==================  =================================  =============================

A kind may carry its decimals after a colon (``"percent:2"``, ``"number:0"``), like the
kinds of :mod:`backoffice_lib.i18n.formatting`; the other report kinds (``month``,
``flag``, ``money_compact``...) are written as values with a general format. Any other
string is used as an Excel number format as is (``"0.000"``).

Safety: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is prefixed with ``'`` so that Excel never runs it as a formula (CSV/formula
injection); characters Excel refuses are removed. Decimal values are written as numbers,
NA/NaN/NaT as empty cells. The file is written to a temporary file, then renamed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..i18n import get_language

__all__ = ["FORMULA_PREFIXES", "excel_number_format", "sanitize_sheet_name", "write_workbook"]

#: First characters that make Excel read a text as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_MAX_SHEET_NAME = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_CELL_TEXT = 32_767
_MIN_WIDTH, _MAX_WIDTH = 6, 60
_SAMPLE_ROWS = 2_000  # rows looked at to size a column

_MONEY = {"fr": ("#,##0{d} €", "+#,##0{d} €;-#,##0{d} €"),
          "en": ("€#,##0{d}", "+€#,##0{d};-€#,##0{d}")}
_DEFAULT_DECIMALS = {"money": 2, "money0": 0, "signed_money": 0, "percent": 1,
                     "signed_percent": 1, "number": 2, "signed_number": 1, "int": 0,
                     "integer": 0}
_GENERAL_KINDS = {"month", "flag", "money_compact", "signed_points", "general"}


def _decimals(digits: int) -> str:
    return "." + "0" * digits if digits else ""


def excel_number_format(kind: str, lang: str | None = None) -> str | None:
    """The Excel number format of a column kind (``None``: general format).

    ``kind`` is a kind of the module docstring, optionally ``kind:decimals``; any other
    string is returned as is (an Excel format code).
    """
    base, sep, digits = str(kind).partition(":")
    if base in _GENERAL_KINDS:
        return None
    if base in ("date", "datetime", "text"):
        return {"date": "dd/mm/yyyy", "datetime": "dd/mm/yyyy hh:mm", "text": "@"}[base]
    if base not in _DEFAULT_DECIMALS or (sep and not digits.isdigit()):
        return kind
    d = _decimals(int(digits) if sep else _DEFAULT_DECIMALS[base])
    plain, signed = _MONEY.get(lang or get_language(), _MONEY["fr"])
    return {
        "money": plain, "money0": plain, "signed_money": signed,
        "percent": "0{d}%", "signed_percent": "+0{d}%;-0{d}%",
        "number": "#,##0{d}", "signed_number": "+#,##0{d};-#,##0{d}",
        "int": "#,##0{d}", "integer": "#,##0{d}",
    }[base].format(d=d)


def sanitize_sheet_name(name: object, taken: set[str] | None = None) -> str:
    """A valid, unique sheet name: no ``[]:*?/\\``, at most 31 characters, not empty.

    ``taken`` holds the lower-cased names already used (Excel ignores case); the new name
    is added to it.
    """
    text = _SHEET_FORBIDDEN.sub("_", ILLEGAL_CHARACTERS_RE.sub("", str(name))).strip().strip("'")
    text = (text or "Sheet")[:_MAX_SHEET_NAME]
    taken = set() if taken is None else taken
    candidate, n = text, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = text[: _MAX_SHEET_NAME - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def _neutralize(text: str) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", text)[:_MAX_CELL_TEXT]
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _guess_kind(values: pd.Series) -> str | None:
    dtype = values.dtype
    if isinstance(dtype, pd.ArrowDtype) and pa.types.is_decimal(dtype.pyarrow_dtype):
        return "money"
    if pd.api.types.is_bool_dtype(dtype):
        return None
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        times = values.dropna()
        return "datetime" if (times != times.dt.normalize()).any() else "date"
    return None


def _cell_value(value: object) -> object:
    """A pandas/numpy value as something openpyxl writes (None for NA)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return _neutralize(value)
    if isinstance(value, Decimal):
        return None if not value.is_finite() else value
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return None if (value != value or value in (float("inf"), float("-inf"))) else value
    if isinstance(value, bool | int | dt.datetime | dt.date | dt.time):
        return value
    if isinstance(value, pd.Timestamp):  # pragma: no cover - a Timestamp is a datetime
        return value.to_pydatetime()
    return _neutralize(str(value))


def _column_values(values: pd.Series) -> list[object]:
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        values = values.dt.tz_localize(None) if getattr(values.dt, "tz", None) else values
    return [_cell_value(v) for v in values.astype(object).tolist()]


def _flat_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its meaningful index as columns and flat text column names."""
    if any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    if isinstance(frame.columns, pd.MultiIndex):
        frame = frame.set_axis([" / ".join(map(str, c)) for c in frame.columns], axis=1)
    return frame


def _width(header: str, cells: list[object]) -> float:
    longest = len(header)
    for value in cells[:_SAMPLE_ROWS]:
        if value is not None:
            text = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)
            longest = max(longest, len(text))
    return float(min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH))


def _write_sheet(book: openpyxl.Workbook, title: str, frame: pd.DataFrame,
                 kinds: Mapping[str, str], headers: Mapping[str, str], lang: str) -> None:
    sheet = book.create_sheet(title)
    frame = _flat_columns(frame)
    names = [str(c) for c in frame.columns]
    labels = [_neutralize(str(headers.get(n, n))) for n in names]
    columns = [_column_values(frame.iloc[:, i]) for i in range(frame.shape[1])]
    formats = []
    for i, name in enumerate(names):
        kind = kinds.get(name) or _guess_kind(frame.iloc[:, i])
        formats.append(None if kind is None else excel_number_format(kind, lang))
    for i, label in enumerate(labels):  # sizes and panes must be set before any row
        sheet.column_dimensions[get_column_letter(i + 1)].width = _width(label, columns[i])
    sheet.freeze_panes = "A2"
    if names:
        last = f"{get_column_letter(len(names))}{len(frame) + 1}"
        sheet.auto_filter.ref = f"A1:{last}"
    bold, wrap = Font(bold=True), Alignment(vertical="top")
    header_row = []
    for label in labels:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font, cell.alignment = bold, wrap
        header_row.append(cell)
    sheet.append(header_row)
    for values in zip(*columns, strict=True):
        row = []
        for value, number_format in zip(values, formats, strict=True):
            if number_format is None or value is None:
                row.append(value)
            else:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                row.append(cell)
        sheet.append(row)


def write_workbook(
    path: str | os.PathLike[str],
    sheets: Mapping[str, pd.DataFrame],
    *,
    lang: str | None = None,
    formats: Mapping[str, Mapping[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Path:
    """Write ``sheets`` (sheet name → table) to an ``.xlsx`` workbook, atomically.

    Parameters
    ----------
    path:
        The workbook to write (its folder is created; an existing file is replaced).
    sheets:
        Sheet name → DataFrame, in order. Names are made valid for Excel (31 characters,
        none of ``[]:*?/\\``, unique). A named index (or MultiIndex) is written as the
        first columns; a default RangeIndex is not written.
    lang:
        Language of the money formats (``fr``: ``1 234,00 €``; ``en``: ``€1,234.00``);
        default: the language in force.
    formats:
        Sheet name (as given in ``sheets``) → column → kind or Excel format (see the
        module docstring). Columns not listed get a format from their dtype.
    headers:
        Column name → header shown (all sheets), e.g. translated labels.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    lang = lang or get_language()
    formats, headers = formats or {}, headers or {}
    book = openpyxl.Workbook(write_only=True)
    taken: set[str] = set()
    for name, frame in sheets.items():
        title = sanitize_sheet_name(name, taken)
        _write_sheet(book, title, frame, formats.get(name, {}), headers, lang)
    if not sheets:
        book.create_sheet("Sheet")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        book.save(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
