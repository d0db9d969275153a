"""Delimited text files (csv, tsv, txt, FEC): decode, split, find the header, number lines.

The file is decoded as a whole (encoding sniffed, :func:`.sniff.decode_text`), an Excel
``sep=;`` first line is honoured, the separator sniffed among ``; \\t | ,``. Python's
csv module splits the records: it accepts ragged rows (short rows are padded, long rows
get extra columns named by their letter, nothing is cut) and tells on which physical line
each record starts, which becomes the row number. All values stay text; typing happens
later, column by column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..errors import EmptyFileError, HeaderNotFoundError
from ..tables import TableSpec
from .header import detect_header, header_at
from .limits import Limits, check_file_size
from .raw import RawTable, make_columns
from .sniff import decode_text, sniff_separator

__all__ = ["looks_tabular", "read_text"]

_PEEK_ROWS = 60
csv.field_size_limit(64 * 1024 * 1024)


def _records(text: str, sep: str) -> tuple[list[list[str]], list[int]]:
    """Split ``text`` into records; return them with the 1-based line each one starts on."""
    lines = io.StringIO(text, newline="")
    reader = csv.reader(lines, delimiter=sep, strict=False)
    records, starts = [], []
    line = 0
    for record in reader:
        start = line + 1
        line = reader.line_num
        if record and any(field.strip() for field in record):
            records.append(record)
            starts.append(start)
    return records, starts


def looks_tabular(data: bytes) -> bool:
    """Text that is a table: at least two lines split into several fields by one separator.

    Used for files named like workbooks (SAP "xls" exports are tab-separated text); a
    sentence in a ``.xls`` is a broken file, not a one-cell table.
    """
    text, _ = decode_text(data[:65536])
    lines = [ln for ln in text.replace("\r", "\n").split("\n") if ln.strip()][:80]
    if len(lines) < 2:
        return False
    sep = sniff_separator(lines)
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=sep))
    return sum(1 for r in rows if len(r) > 1) >= 2


def read_text(path: Path, data: bytes, fmt: str, spec: TableSpec | None, limits: Limits,
              header_row: int | None = None, encoding: str | None = None,
              separator: str | None = None) -> RawTable:
    """Read a delimited text file as a :class:`RawTable`."""
    check_file_size(path, len(data), limits.max_text_bytes)
    text, used_encoding = decode_text(data, encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_line_offset = 0
    head = text[:200].lstrip("\ufeff")
    if head[:4].lower() == "sep=" and separator is None:
        separator = head[4:5] or ","
        text = text.split("\n", 1)[1] if "\n" in text else ""
        first_line_offset = 1
    if not text.strip():
        raise EmptyFileError(file=path)
    sep = separator or sniff_separator(text[:65536].split("\n")[:80])
    records, starts = _records(text, sep)
    if not records:
        raise EmptyFileError(file=path)
    starts = [s + first_line_offset for s in starts]
    peek = [list(r) for r in records[:_PEEK_ROWS]]
    peek_cells = [[v if v.strip() else None for v in r] for r in peek]
    if header_row is not None:
        pos = next((i for i, s in enumerate(starts[:_PEEK_ROWS]) if s == header_row), None)
        if pos is None:
            raise HeaderNotFoundError(file=path, rows=str(header_row))
        header = header_at(peek_cells, pos)
    else:
        header = detect_header(peek_cells, spec, starts[:_PEEK_ROWS])
        if header is None and spec is not None:
            raise HeaderNotFoundError(file=path, rows=str(_PEEK_ROWS))
    if header is not None and header.rows:
        body, body_starts = records[header.data_start:], starts[header.data_start:]
        header_line = starts[header.rows[-1]]
        names, variants = list(header.names), list(header.variants)
    else:
        body, body_starts, header_line, names, variants = records, starts, 0, [], []
    width = max([len(names)] + [len(r) for r in body]) if body or names else 0
    columns = []
    for j in range(width):
        values = [r[j] if j < len(r) else None for r in body]
        columns.append(pa.array(values, pa.string()))
    cols = make_columns(names + [""] * (width - len(names)),
                        variants + [()] * (width - len(variants)), columns, list(range(width)))
    raw = RawTable(str(path), None, fmt, header_line, cols,
                   np.asarray(body_starts, dtype="int64"))
    raw.notes.update(encoding=used_encoding, separator=sep)
    return raw
