"""Delimited text files (csv, tsv, txt, FEC): decode, split, find the header, number lines.

The file is decoded as a whole (encoding sniffed, :func:`.sniff.decode_text`), an Excel
``sep=;`` first line is honoured, the separator sniffed among ``; \\t | ,``. Records are
split by pyarrow's CSV parser when every record is one line and its quoting is plain
(:mod:`.records_arrow`), else by Python's csv module (:mod:`.records`), which accepts
anything: ragged rows (short rows are padded, long rows get extra columns named by their
letter, nothing is cut), quoted fields spanning lines. Both give the same records and
the physical line each one starts on, which becomes the row number. All values stay
text; typing happens later, column by column.
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
from .records import Records, python_records
from .records_arrow import arrow_records
from .sniff import decode_text, sniff_separator

__all__ = ["looks_tabular", "read_text", "split_records"]

_PEEK_ROWS = 60


def split_records(text: str, sep: str, head_size: int = _PEEK_ROWS) -> Records:
    """Records of ``text``: the fast splitter if it vouches for its result, else the csv module."""
    try:
        fast = arrow_records(text, sep, head_size)
    except (pa.ArrowException, ValueError, UnicodeError):
        fast = None  # whatever pyarrow did not like, the reference splitter reads
    return fast if fast is not None else python_records(text, sep, head_size)


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
    if "\r" in text:  # each replace copies the whole text: only when there is a CR
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            text = text.replace("\r", "\n")
    first_line_offset = 0
    head = text[:200].lstrip("\ufeff")
    if head[:4].lower() == "sep=" and separator is None:
        separator = head[4:5] or ","
        text = text.split("\n", 1)[1] if "\n" in text else ""
        first_line_offset = 1
    if not text.strip():
        raise EmptyFileError(file=path)
    sep = separator or sniff_separator(text[:65536].split("\n")[:80])
    records = split_records(text, sep)
    if not len(records):
        raise EmptyFileError(file=path)
    starts = records.starts + first_line_offset
    peek = records.head
    peek_cells = [[v if v.strip() else None for v in r] for r in peek]
    if header_row is not None:
        pos = next((i for i, s in enumerate(starts[:_PEEK_ROWS]) if s == header_row), None)
        if pos is None:
            raise HeaderNotFoundError(file=path, rows=str(header_row))
        header = header_at(peek_cells, pos)
    else:
        header = detect_header(peek_cells, spec, starts[:_PEEK_ROWS].tolist())
        if header is None and spec is not None:
            raise HeaderNotFoundError(file=path, rows=str(_PEEK_ROWS))
    if header is not None and header.rows:
        data_start = header.data_start
        header_line = int(starts[header.rows[-1]])
        names, variants = list(header.names), list(header.variants)
    else:
        data_start, header_line, names, variants = 0, 0, [], []
    columns = records.columns(data_start, len(names))
    width = len(columns)
    cols = make_columns(names + [""] * (width - len(names)),
                        variants + [()] * (width - len(variants)), columns, list(range(width)))
    raw = RawTable(str(path), None, fmt, header_line, cols,
                   np.asarray(starts[data_start:], dtype="int64"))
    raw.notes.update(encoding=used_encoding, separator=sep, parser=records.parser)
    return raw
