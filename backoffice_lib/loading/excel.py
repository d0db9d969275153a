"""Excel-family workbooks (xlsx, xlsm, xlsb, xls, ods): choose the sheet, find the header,
read the data in the reader process.

The sheet list and the first rows come from the package itself for xlsx (pure Python,
:mod:`.ooxml`) and from the reader process for the binary formats. The header decides
where the data starts; the reader then reads the whole sheet from that row in one pass,
each column typed by fastexcel (numbers, dates, text; mixed columns as text).
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

import numpy as np
import pyarrow as pa

from ..errors import (
    CorruptFileError,
    EmptyFileError,
    HeaderNotFoundError,
    MissingSheetError,
)
from ..tables import TableSpec, normalize_header
from .header import Header, detect_header, header_at
from .isolation import WorkerResult, worker
from .limits import Limits, check_zip_directory
from .ooxml import Package, SheetEntry, open_package
from .raw import RawTable, make_columns
from .sniff import FileKind

__all__ = ["PEEK_ROWS", "SheetInfo", "excel_sheet_list", "read_excel"]

#: Rows looked at to find the header and judge a sheet.
PEEK_ROWS = 60
_MAX_CANDIDATE_SHEETS = 30
_PEEK_ERRORS = (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, KeyError,
                CorruptFileError, expat.ExpatError, zlib.error)


@dataclass(frozen=True)
class SheetInfo:
    """A sheet of a workbook, for analysts: name, visible, rows and columns with content."""

    name: str
    visible: bool
    rows: int
    cols: int


@dataclass
class _Book:
    path: Path
    kind: FileKind
    limits: Limits
    sheets: list[SheetEntry]
    package: Package | None = None
    date1904: bool = False

    def close(self) -> None:
        if self.package is not None:
            self.package.close()

    def request(self, op: str, sheet_name: str | None = None, **params) -> WorkerResult:
        payload = {"op": op, "path": str(self.path), "kind": self.kind.kind, **params}
        return worker().request(payload, self.limits, self.path, sheet_name)

    def peek(self, index: int) -> tuple[list[int], list[list[str | None]]]:
        """First rows of sheet ``index``: (0-based sheet rows, cells by absolute column)."""
        entry = self.sheets[index]
        if self.package is not None:
            try:
                return self.package.peek(entry, PEEK_ROWS)
            except _PEEK_ERRORS:
                pass  # the package is odd: ask the reader process, it has its own recovery
        result = self.request("peek", entry.name, sheet=index, n_rows=PEEK_ROWS)
        table, absolute = result.table, result.header["columns"]
        if table is None or table.num_rows == 0:
            return [], []
        width = max(absolute) + 1 if absolute else 0
        rows: list[list[str | None]] = [[None] * width for _ in range(table.num_rows)]
        for col, values in zip(absolute, table.columns, strict=True):
            for r, v in enumerate(values.to_pylist()):
                rows[r][col] = v
        numbers = [i for i, row in enumerate(rows) if any(v not in (None, "") for v in row)]
        return numbers, [rows[i] for i in numbers]


def _open(path: Path, kind: FileKind, limits: Limits) -> _Book:
    if kind.kind in ("xlsx", "ods", "xlsb"):
        try:
            with zipfile.ZipFile(path) as zf:
                check_zip_directory(path, zf.infolist(), limits)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            pass  # not a readable zip here: the reader gives the precise error
    if kind.kind == "xlsx":
        worker().prefetch(path, limits)  # the reader opens the workbook while we peek
        try:
            pkg = open_package(path, limits)
        except CorruptFileError:
            pkg = None
        if pkg is not None and pkg.sheets:
            return _Book(path, kind, limits, pkg.sheets, pkg, pkg.date1904)
        if pkg is not None:
            pkg.close()
    book = _Book(path, kind, limits, [])
    answer = book.request("sheets")
    book.sheets = [SheetEntry(s["name"], s["visible"], s["kind"]) for s in answer.header["sheets"]]
    return book


def _find_sheet(book: _Book, wanted: str | int) -> int:
    names = [s.name for s in book.sheets]
    if isinstance(wanted, int) and not isinstance(wanted, bool):
        if 0 <= wanted < len(names):
            return wanted
    else:
        if wanted in names:
            return names.index(wanted)
        folded = [normalize_header(n) for n in names]
        if normalize_header(wanted) in folded:
            return folded.index(normalize_header(wanted))
    raise MissingSheetError(file=book.path, wanted=str(wanted),
                            available=", ".join(f"« {n} »" for n in names) or "-")


def _data_rows(rows: list[list[str | None]], start: int) -> int:
    return sum(1 for row in rows[start:] if sum(1 for v in row if v not in (None, "")) >= 2)


@dataclass
class _Choice:
    index: int
    numbers: list[int]
    rows: list[list[str | None]]
    header: Header | None


def _choose(book: _Book, sheet: str | int | None, spec: TableSpec | None,
            header_row: int | None) -> _Choice:
    """The sheet to read and its header; a choice without rows when every sheet is empty."""
    if sheet is not None:
        candidates = [_find_sheet(book, sheet)]
    else:
        worksheets = [i for i, s in enumerate(book.sheets) if s.kind == "worksheet"]
        visible = [i for i in worksheets if book.sheets[i].visible == "visible"]
        candidates = (visible or worksheets or list(range(len(book.sheets))))
        candidates = candidates[:_MAX_CANDIDATE_SHEETS]
    if not candidates:
        raise EmptyFileError(file=book.path)
    best: _Choice | None = None
    fallback: _Choice | None = None
    for index in candidates:
        numbers, rows = book.peek(index)
        if not rows:
            continue
        if header_row is not None:
            pos = next((i for i, n in enumerate(numbers) if n == header_row - 1), None)
            if pos is None:
                raise HeaderNotFoundError(file=book.path, sheet=book.sheets[index].name,
                                          rows=str(header_row))
            return _Choice(index, numbers, rows, header_at(rows, pos))
        header = detect_header(rows, spec, numbers)
        choice = _Choice(index, numbers, rows, header)
        fallback = fallback or choice
        if spec is not None:
            if header is not None and (best is None or best.header is None
                                       or header.score > best.header.score):
                best = choice
            continue
        start = header.data_start if header else 0
        if _data_rows(rows, start) >= 2 and (header is None or len(
                [n for n in header.names if n]) >= 2 or len(rows[start:]) >= 2):
            return choice
    if spec is not None:
        if best is None:
            target = fallback or _Choice(candidates[0], [], [], None)
            if not target.rows:
                raise EmptyFileError(file=book.path, sheet=book.sheets[target.index].name)
            raise HeaderNotFoundError(file=book.path, sheet=book.sheets[target.index].name,
                                      rows=str(PEEK_ROWS))
        return best
    return fallback or _Choice(candidates[0], [], [], None)


def read_excel(path: Path, kind: FileKind, sheet: str | int | None, spec: TableSpec | None,
               limits: Limits, header_row: int | None = None) -> RawTable:
    """Read one sheet of a workbook as a :class:`RawTable` (header detected, data typed)."""
    book = _open(path, kind, limits)
    try:
        if not book.sheets:
            raise EmptyFileError(file=path)
        choice = _choose(book, sheet, spec, header_row)
        name = book.sheets[choice.index].name
        if not choice.rows:  # every sheet is empty: an empty table, as found
            return RawTable(str(path), name, kind.format, 0, [], np.zeros(0, dtype="int64"),
                            date1904=book.date1904)
        header = choice.header
        if header is not None and header.rows:
            header_abs = choice.numbers[header.rows[-1]]
            skip = header_abs + 1
        else:
            header_abs = -1
            skip = choice.numbers[0] if choice.numbers else 0
        result = book.request("read", name, sheet=choice.index, skip_rows=skip)
        table = result.table if result.table is not None else pa.table({})
        absolute = result.header.get("columns", [])
        names = list(header.names) if header is not None and header.rows else []
        variants = list(header.variants) if header is not None and header.rows else []
        cols = make_columns(
            [names[a] if a < len(names) else "" for a in absolute],
            [variants[a] if a < len(variants) else () for a in absolute],
            list(table.columns), absolute)
        rows = np.arange(table.num_rows, dtype="int64") + skip + 1
        raw = RawTable(str(path), name, kind.format, header_abs + 1, cols, rows,
                       date1904=book.date1904)
        raw.notes["header_names"] = names
        return raw
    finally:
        book.close()


def excel_sheet_list(path: Path, kind: FileKind, limits: Limits) -> list[SheetInfo]:
    """Every sheet of a workbook with its visibility and the size of its content."""
    book = _open(path, kind, limits)
    try:
        out = []
        for i, entry in enumerate(book.sheets):
            rows = cols = 0
            if entry.kind == "worksheet":
                result = book.request("read", entry.name, sheet=i, skip_rows=0)
                if result.table is not None:
                    rows, cols = result.table.num_rows, result.table.num_columns
            out.append(SheetInfo(entry.name, entry.visible == "visible", rows, cols))
        return out
    finally:
        book.close()
