"""Writing tables as a French back office exports them: CSV, xlsx and the FEC.

CSV: ``;`` separator, decimal comma, ``dd/mm/yyyy`` dates, CRLF line ends, UTF-8 with a
BOM (cp1252 on request). xlsx (xlsxwriter, constant-memory mode): real date cells shown
``dd/mm/yyyy``, amounts as numbers shown ``# ##0,00`` by a French Excel (format code
``#,##0.00``), fixed document properties so that the same data give the same bytes.

:class:`WriteOptions` adds the oddities of real exports used by the dirty variant: title
lines above the header (merged or not), a hidden first sheet, dates or amounts written as
text, blank rows, a trailing total row and raw text put in given cells.
:func:`data_rows` gives the physical row of every data row under those options, so the
answer key names the exact cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import xlsxwriter

from . import textformat as tf
from .layouts import FEC_COLUMNS, GENDER_LABELS, OFFICE_LABELS, Column, FileLayout
from .stock import MOVEMENT_TYPES

__all__ = ["WriteOptions", "data_rows", "write_csv", "write_fec", "write_xlsx"]

_CSV_CHUNK = 250_000
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "s")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


@dataclass(frozen=True)
class WriteOptions:
    """Export oddities (all off by default: a clean export).

    title: lines written above the header, followed by one blank line.
    merge_title: merge each title line across the table's width (xlsx).
    hidden_sheet: name of a hidden first sheet placed before the data sheet (xlsx).
    text_dates: source columns whose dates are written as ``dd/mm/yyyy`` text (xlsx).
    text_amounts: source column → thousands separator; amounts written as text
        ``1 234,56`` (xlsx).
    blank_rows_before: data indices (0-based, sorted) before which a blank row is inserted.
    total_label: write a totals row after the data, this label in the first column.
    overrides: (data index, source column) → raw text written in that cell instead.
    encoding: ``utf-8-sig`` (UTF-8 with BOM) or ``cp1252`` (CSV).
    """

    title: tuple[str, ...] = ()
    merge_title: bool = False
    hidden_sheet: str | None = None
    text_dates: tuple[str, ...] = ()
    text_amounts: dict[str, str] = field(default_factory=dict)
    blank_rows_before: tuple[int, ...] = ()
    total_label: str | None = None
    overrides: dict[tuple[int, str], str] = field(default_factory=dict)
    encoding: str = "utf-8-sig"

    @property
    def header_row(self) -> int:
        """1-based row (or line) of the header."""
        return len(self.title) + (1 if self.title else 0) + 1


def data_rows(n: int, options: WriteOptions) -> np.ndarray:
    """1-based physical row of each of ``n`` data rows (title, header and blanks counted)."""
    blanks = np.searchsorted(np.asarray(options.blank_rows_before, dtype=np.int64),
                             np.arange(n), side="right")
    return options.header_row + 1 + np.arange(n) + blanks


def _cell_text(frame: pd.DataFrame, col: Column) -> pa.Array:
    """The text of a column in a CSV file."""
    values = frame[col.source].to_numpy()
    if col.fmt in ("text", "period"):
        return tf.text(values)
    if col.fmt == "date":
        return tf.date_text(values)
    if col.fmt == "datetime":
        return tf.datetime_text(values)
    if col.fmt == "money":
        return tf.money_text(values)
    if col.fmt == "debit":
        return tf.money_text(np.maximum(values, 0), blank_zero=True)
    if col.fmt == "credit":
        return tf.money_text(np.maximum(-values, 0), blank_zero=True)
    if col.fmt == "qty":
        return tf.number_text(values)
    if col.fmt == "percent":
        return tf.number_text(np.asarray(values, dtype=float) * 100)
    if col.fmt == "bool":
        return tf.bool_text(values)
    if col.fmt == "gender":
        return tf.text(np.array([GENDER_LABELS[v] for v in values], dtype=object))
    if col.fmt == "office":
        return tf.text(np.array([OFFICE_LABELS[v] for v in values], dtype=object))
    if col.fmt == "movement_type":
        return tf.text(np.array([MOVEMENT_TYPES[v] for v in values], dtype=object))
    raise ValueError(f"unknown format {col.fmt!r}")


def write_csv(frame: pd.DataFrame, layout: FileLayout, path: Path,
              options: WriteOptions | None = None) -> None:
    """Write ``frame`` as ``layout`` says (``;``, decimal comma, CRLF)."""
    options = options or WriteOptions()
    header = ";".join(c.header for c in layout.columns) + "\r\n"
    write_opts = pa_csv.WriteOptions(include_header=False, delimiter=";", quoting_style="none",
                                     eol="\r\n")
    names = [f"c{i}" for i in range(len(layout.columns))]
    if options.encoding == "utf-8-sig":
        with open(path, "wb") as fh:
            fh.write(b"\xef\xbb\xbf" + header.encode("utf-8"))
            for start in range(0, len(frame), _CSV_CHUNK):
                table = _csv_table(frame.iloc[start:start + _CSV_CHUNK], layout, options,
                                   names, start)
                pa_csv.write_csv(table, fh, write_options=write_opts)
        return
    sink = pa.BufferOutputStream()
    pa_csv.write_csv(_csv_table(frame, layout, options, names, 0), sink, write_options=write_opts)
    body = sink.getvalue().to_pybytes().decode("utf-8")
    Path(path).write_bytes((header + body).encode(options.encoding))


def _csv_table(chunk: pd.DataFrame, layout: FileLayout, options: WriteOptions,
               names: list[str], offset: int) -> pa.Table:
    arrays = [_cell_text(chunk, col) for col in layout.columns]
    for (index, source), raw in options.overrides.items():
        if offset <= index < offset + len(chunk):
            for k, col in enumerate(layout.columns):
                if col.source == source:
                    values = arrays[k].to_pylist()
                    values[index - offset] = raw
                    arrays[k] = pa.array(values, type=pa.string())
    return pa.Table.from_arrays(arrays, names=names)


# ----------------------------------------------------------------------------- xlsx


def _serial(values: np.ndarray) -> np.ndarray:
    """Excel serial day numbers (NaN for NaT)."""
    arr = np.asarray(values).astype("datetime64[s]")
    out = (arr - _EXCEL_EPOCH).astype("timedelta64[s]").astype(np.int64) / 86400.0
    return np.where(np.isnat(arr), np.nan, out)


def _cells(frame: pd.DataFrame, col: Column, options: WriteOptions) -> tuple[list, str]:
    """Values of one xlsx column and how to write them: ``("s"|"n", format key)``."""
    values = frame[col.source].to_numpy()
    if col.fmt == "date" or col.fmt == "datetime":
        if col.source in options.text_dates:
            return tf.date_text(values).to_pylist(), "s"
        return _none_for_nan(_serial(values)), col.fmt
    if col.fmt == "money":
        if col.source in options.text_amounts:
            sep = options.text_amounts[col.source]
            return tf.money_text(values, thousands=sep).to_pylist(), "s"
        return _none_for_nan(np.asarray(values, dtype=float) / 100), "money"
    if col.fmt == "qty":
        return _none_for_nan(np.asarray(values, dtype=float)), "number"
    if col.fmt == "percent":
        return _none_for_nan(np.round(np.asarray(values, dtype=float) * 100, 2)), "number"
    return [v or None for v in _cell_text(frame, col).to_pylist()], "s"


def _none_for_nan(values: np.ndarray) -> list:
    out = values.tolist()
    for i in np.flatnonzero(np.isnan(values)):
        out[i] = None
    return out


def write_xlsx(frame: pd.DataFrame, layout: FileLayout, path: Path, created: dt.datetime,
               options: WriteOptions | None = None) -> None:
    """Write ``frame`` on sheet ``layout.sheet`` of a new workbook at ``path``."""
    options = options or WriteOptions()
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": layout.sheet, "author": "Exemple Industries SA",
                       "company": "Exemple Industries SA", "created": created})
    fmt = {
        "date": wb.add_format({"num_format": DATE_FORMAT}),
        "datetime": wb.add_format({"num_format": DATETIME_FORMAT}),
        "money": wb.add_format({"num_format": MONEY_FORMAT}),
        "number": None, "s": None,
        "header": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1}),
        "title": wb.add_format({"bold": True, "font_size": 13}),
        "total": wb.add_format({"bold": True, "top": 1, "num_format": MONEY_FORMAT}),
    }
    hidden = None
    if options.hidden_sheet:
        hidden = wb.add_worksheet(options.hidden_sheet)
        hidden.write_string(0, 0, "Paramètres de l'export")
        hidden.write_string(1, 0, "Source")
        hidden.write_string(1, 1, "ERP - module comptabilité fournisseurs")
        hidden.write_string(2, 0, "Extraction du")
        hidden.write_datetime(2, 1, created, fmt["date"])
    ws = wb.add_worksheet(layout.sheet)
    if hidden is not None:
        ws.activate()
        ws.set_first_sheet()
        hidden.hide()
    ncols = len(layout.columns)
    for c, col in enumerate(layout.columns):
        ws.set_column(c, c, max(10, min(42, len(col.header) + 4)))
    for r, line in enumerate(options.title):
        if options.merge_title and ncols > 1:
            ws.merge_range(r, 0, r, ncols - 1, line, fmt["title"])
        else:
            ws.write_string(r, 0, line, fmt["title"])
    header = options.header_row - 1
    for c, col in enumerate(layout.columns):
        ws.write_string(header, c, col.header, fmt["header"])
    ws.freeze_panes(header + 1, 0)

    plan = []
    for c, col in enumerate(layout.columns):
        values, kind = _cells(frame, col, options)
        as_text = set()
        for (index, source), raw in options.overrides.items():
            if source == col.source:
                values[index] = raw
                as_text.add(index)
        plan.append((c, values, kind, fmt.get(kind), as_text or None))
    rows = data_rows(len(frame), options) - 1
    write_string, write_number = ws.write_string, ws.write_number
    for i, r in enumerate(rows.tolist()):
        for c, values, kind, cell_fmt, as_text in plan:
            v = values[i]
            if v is None:
                continue
            if kind == "s" or (as_text is not None and i in as_text):
                write_string(r, c, v)
            else:
                write_number(r, c, v, cell_fmt)
    if options.total_label:
        r = int(rows[-1]) + 1 if len(rows) else header + 1
        write_string(r, 0, options.total_label, fmt["header"])
        for c, col in enumerate(layout.columns):
            if col.fmt == "money":
                write_number(r, c, int(frame[col.source].sum()) / 100, fmt["total"])
    wb.close()


# ----------------------------------------------------------------------------- FEC


def write_fec(lines: pd.DataFrame, path: Path) -> None:
    """Write FEC lines (see :func:`~.fec.fec_lines`): the 18 columns, tab separated,
    ``yyyymmdd`` dates, comma decimals without thousands separator, UTF-8, CRLF."""
    header = "\t".join(name for name, _ in FEC_COLUMNS) + "\r\n"
    write_opts = pa_csv.WriteOptions(include_header=False, delimiter="\t", quoting_style="none",
                                     eol="\r\n")
    with open(path, "wb") as fh:
        fh.write(header.encode("utf-8"))
        for start in range(0, len(lines), _CSV_CHUNK):
            chunk = lines.iloc[start:start + _CSV_CHUNK]
            amount = chunk["amount_cents"].to_numpy()
            arrays = []
            for name, source in FEC_COLUMNS:
                if name == "Debit":
                    arrays.append(tf.money_text(np.maximum(amount, 0)))
                elif name == "Credit":
                    arrays.append(tf.money_text(np.maximum(-amount, 0)))
                elif source.endswith("date"):
                    arrays.append(tf.date_text(chunk[source].to_numpy(), "%Y%m%d"))
                elif name == "EcritureNum":
                    arrays.append(tf.text(chunk["entry_id"].str.split("-").str[-1].to_numpy()))
                else:
                    arrays.append(tf.text(chunk[source].to_numpy()))
            table = pa.Table.from_arrays(arrays, names=[n for n, _ in FEC_COLUMNS])
            pa_csv.write_csv(table, fh, write_options=write_opts)
