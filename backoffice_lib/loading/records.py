"""Delimited text split into records, each with the physical line it starts on.

One contract, :class:`Records`, two splitters:

- :func:`python_records` (here) — Python's csv module, the reference. It accepts
  anything: ragged rows, quotes in the middle of a field, quoted fields spanning lines;
- :func:`.records_arrow.arrow_records` — pyarrow's C++ CSV parser, for text whose every
  record is one line; it gives exactly what the reference gives, or nothing (and the
  caller falls back).

Records whose fields are all blank are not records (they carry nothing). Values stay
text; short rows are padded with nulls, long rows get extra columns: nothing is cut.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

__all__ = ["Records", "one_line", "python_records"]

csv.field_size_limit(64 * 1024 * 1024)


@dataclass
class Records:
    """Records of a text file, as the header finder and the column builder need them.

    ``starts`` holds the 1-based physical line each record starts on, ``head`` the first
    records as lists of fields (for header detection), ``parser`` which splitter made
    them (``"arrow"`` or ``"python"``).
    """

    starts: np.ndarray
    head: list[list[str]]
    parser: str
    _columns: Callable[[int, int], list[pa.Array]]

    def __len__(self) -> int:
        return len(self.starts)

    def columns(self, start: int, min_width: int) -> list[pa.Array]:
        """String columns of the records from index ``start`` on, at least ``min_width`` wide.

        The table is as wide as its longest record; a short record's missing fields are
        null (not empty text).
        """
        return self._columns(start, min_width)


def one_line(line: str, sep: str) -> list[str]:
    """Fields of one line, as the csv module splits it (the line holds one whole record)."""
    return next(csv.reader([line], delimiter=sep, strict=False), [])


def columns_from_rows(rows: list[list[str]], min_width: int) -> list[pa.Array]:
    """Transpose records into string columns (missing fields null), ``min_width`` at least."""
    columns = [pa.array(col, pa.string())
               for col in itertools.zip_longest(*rows, fillvalue=None)] if rows else []
    columns += [pa.array([None] * len(rows), pa.string())
                for _ in range(min_width - len(columns))]
    return columns


def python_records(text: str, sep: str, head_size: int) -> Records:
    """Split ``text`` (``\\n`` line ends) with the csv module: the reference splitter."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=False)
    records, starts = [], []
    line = 0
    for record in reader:
        start = line + 1
        line = reader.line_num
        if "".join(record).strip():  # some field is not blank
            records.append(record)
            starts.append(start)
    return Records(np.asarray(starts, dtype="int64"), [list(r) for r in records[:head_size]],
                   "python", lambda start, width: columns_from_rows(records[start:], width))
