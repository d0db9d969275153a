"""A small, safe look inside an xlsx package: sheet list, date system, first rows.

Pure Python (zipfile + expat), so it runs in the calling process without risk: it reads
the zip directory (checked against :class:`~.limits.Limits`), ``workbook.xml`` and its
relationships, and streams the first rows of a sheet, decompressing only what it needs
(a few kilobytes for a header). The full sheet is then read by the reader process with
the header row known, in one pass.

expat does not fetch external entities, and Python's expat (2.4+) caps entity
expansion, so XXE and "billion laughs" parts are inert here.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from ..errors import CorruptFileError
from .limits import Limits, check_zip_directory

__all__ = ["Package", "SheetEntry", "column_index", "open_package"]

_CHUNK = 16 * 1024
_MAX_STRINGS_BYTES = 64 * 1024 * 1024
_MAX_PEEK_BYTES = 16 * 1024 * 1024  # XML read to find the first rows, at most
_MAX_COLUMN = 16_383  # XFD, Excel's last column
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def column_index(letters: str) -> int:
    """Excel letters → 0-based index: ``A`` → 0, ``AB`` → 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


@dataclass(frozen=True)
class SheetEntry:
    """One sheet of a workbook: name, visibility (``visible``/``hidden``/``veryhidden``), kind."""

    name: str
    visible: str = "visible"
    kind: str = "worksheet"
    part: str = ""


@dataclass
class Package:
    """An opened xlsx/xlsm package (the zip stays open while the object lives)."""

    path: Path
    zf: zipfile.ZipFile
    sheets: list[SheetEntry] = field(default_factory=list)
    date1904: bool = False
    shared_strings: str | None = None
    _names: dict[str, str] = field(default_factory=dict)

    def close(self) -> None:
        """Close the zip file."""
        self.zf.close()

    def _member(self, part: str) -> str | None:
        return self._names.get(part.lower())

    def read_small(self, part: str, limit: int = 8 * 1024 * 1024) -> bytes | None:
        """A small part's bytes (``None`` if absent), refused beyond ``limit``."""
        name = self._member(part)
        if name is None:
            return None
        with self.zf.open(name) as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise CorruptFileError(file=self.path, detail=f"{part} > {limit} bytes")
        return data

    def peek(self, sheet: SheetEntry, n_rows: int) -> tuple[list[int], list[list[str | None]]]:
        """The first ``n_rows`` non-empty rows of ``sheet``: (0-based sheet rows, cells as text).

        Each row list is indexed by absolute column (0 = column A).
        """
        name = self._member(sheet.part)
        if name is None:
            return [], []
        reader = _SheetPeek(n_rows)
        with self.zf.open(name) as fh:
            _feed(reader.parser, fh, stop=lambda: reader.done, limit=_MAX_PEEK_BYTES)
        strings = self._strings(reader.wanted_strings()) if reader.wanted_strings() else {}
        return reader.rows_numbers, reader.resolve(strings)

    def _strings(self, wanted: set[int]) -> dict[int, str]:
        if not self.shared_strings or not wanted:
            return {}
        name = self._member(self.shared_strings)
        if name is None:
            return {}
        reader = _StringsPeek(max(wanted))
        with self.zf.open(name) as fh:
            _feed(reader.parser, fh, stop=lambda: reader.done, limit=_MAX_STRINGS_BYTES)
        return {i: s for i, s in enumerate(reader.strings) if i in wanted}


def _feed(parser, fh, stop, limit: int | None = None) -> None:
    total = 0
    while not stop():
        chunk = fh.read(_CHUNK)
        if not chunk:
            parser.Parse(b"", True)
            return
        total += len(chunk)
        parser.Parse(chunk, False)
        if limit is not None and total > limit:
            return


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


class _SheetPeek:
    """expat handler collecting the first rows of a worksheet part."""

    def __init__(self, n_rows: int) -> None:
        self.n_rows = n_rows
        self.rows_numbers: list[int] = []
        self.rows: list[dict[int, tuple[str, str]]] = []
        self.done = False
        self._row_next = 0
        self._col_next = 0
        self._cell: tuple[int, str] | None = None
        self._text: list[str] = []
        self._in_value = False
        self._in_is = 0
        self._current: dict[int, tuple[str, str]] | None = None
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._chars

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if self.done:
            return
        if tag == "row":
            r = attrs.get("r")
            self._row = int(r) - 1 if r and r.isdigit() else self._row_next
            self._row_next = self._row + 1
            self._col_next = 0
            self._current = {}
        elif tag == "c" and self._current is not None:
            ref = _REF.match(attrs.get("r", ""))
            col = column_index(ref.group(1)) if ref else self._col_next
            self._col_next = col + 1
            self._cell = (col, attrs.get("t", "n"))
            self._text = []
        elif tag in ("v", "t") and self._cell is not None:
            if tag == "v" or self._in_is:
                self._in_value = True
        elif tag == "is":
            self._in_is += 1
        elif tag == "rPh":
            self._in_is -= 100  # phonetic runs are not part of the text

    def _end(self, name: str) -> None:
        tag = _local(name)
        if self.done:
            return
        if tag in ("v", "t"):
            self._in_value = False
        elif tag == "is":
            self._in_is -= 1
        elif tag == "rPh":
            self._in_is += 100
        elif tag == "c" and self._cell is not None and self._current is not None:
            col, kind = self._cell
            text = "".join(self._text)
            if text != "" and col <= _MAX_COLUMN:
                self._current[col] = (kind, text)
            self._cell = None
        elif tag == "row" and self._current is not None:
            if self._current:
                self.rows_numbers.append(self._row)
                self.rows.append(self._current)
                if len(self.rows) >= self.n_rows:
                    self.done = True
            self._current = None

    def _chars(self, data: str) -> None:
        if self._in_value and self._in_is >= 0:
            self._text.append(data)

    def wanted_strings(self) -> set[int]:
        return {int(t) for row in self.rows for k, t in row.values() if k == "s" and t.isdigit()}

    def resolve(self, strings: dict[int, str]) -> list[list[str | None]]:
        out = []
        for row in self.rows:
            width = max(row) + 1
            cells: list[str | None] = [None] * width
            for col, (kind, text) in row.items():
                if kind == "s":
                    value = strings.get(int(text)) if text.isdigit() else None
                elif kind == "b":
                    value = "true" if text.strip() in ("1", "true") else "false"
                elif kind in ("n", "d", "e", "str", "inlineStr"):
                    value = _number_text(text) if kind == "n" else text
                else:
                    value = text
                cells[col] = value if value not in ("",) else None
            out.append(cells)
        return out


def _number_text(text: str) -> str:
    """``"42.0"``/``"4.2E1"`` → ``"42"``: numbers as fastexcel writes them."""
    try:
        f = float(text)
    except ValueError:
        return text
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)


class _StringsPeek:
    """expat handler collecting shared strings up to a given index."""

    def __init__(self, last: int) -> None:
        self.last = last
        self.strings: list[str] = []
        self.done = False
        self._buf: list[str] | None = None
        self._in_t = False
        self._skip = 0
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._chars

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "si":
            self._buf = []
        elif tag == "t" and self._buf is not None:
            self._in_t = True
        elif tag == "rPh":
            self._skip += 1

    def _end(self, name: str) -> None:
        tag = _local(name)
        if tag == "t":
            self._in_t = False
        elif tag == "rPh":
            self._skip -= 1
        elif tag == "si" and self._buf is not None:
            self.strings.append("".join(self._buf))
            self._buf = None
            if len(self.strings) > self.last:
                self.done = True

    def _chars(self, data: str) -> None:
        if self._in_t and self._buf is not None and not self._skip:
            self._buf.append(data)


def _attr(attrs: dict[str, str], local: str) -> str | None:
    for key, value in attrs.items():
        if _local(key) == local or key.endswith(":" + local):
            return value
    return None


def _parse_xml(data: bytes, start) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.Parse(data, True)


def _rels(pkg: Package, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type suffix, absolute part path) of ``part``."""
    folder, base = posixpath.split(part)
    data = pkg.read_small(posixpath.join(folder, "_rels", base + ".rels"))
    out: dict[str, tuple[str, str]] = {}
    if data is None:
        return out

    def start(name, attrs):
        if _local(name) == "Relationship" and "Id" in attrs and "Target" in attrs:
            target = attrs["Target"].replace("\\", "/")
            path = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join(folder, target))
            out[attrs["Id"]] = (attrs.get("Type", "").rsplit("/", 1)[-1], path)

    _parse_xml(data, start)
    return out


def open_package(path: Path, limits: Limits) -> Package:
    """Open an xlsx/xlsm package, check its zip directory and read its workbook part.

    Raises :class:`CorruptFileError` when the package is not readable here (the caller
    may still try the reader process, which has its own recovery).
    """
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise CorruptFileError(file=path, detail=type(exc).__name__) from None
    check_zip_directory(path, infos, limits)
    names = {}
    for info in infos:
        names.setdefault(info.filename.replace("\\", "/").lstrip("/").lower(), info.filename)
    pkg = Package(path=path, zf=zf, _names=names)
    try:
        _read_workbook(pkg)
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError,
            NotImplementedError, RuntimeError) as exc:
        pkg.close()
        raise CorruptFileError(file=path, detail=type(exc).__name__) from None
    return pkg


def _read_workbook(pkg: Package) -> None:
    root = _rels(pkg, "")
    workbook = next((p for kind, p in root.values() if kind == "officeDocument"), None)
    workbook = workbook or "xl/workbook.xml"
    data = pkg.read_small(workbook)
    if data is None:
        raise KeyError(workbook)
    rels = _rels(pkg, workbook)
    found: list[tuple[str, str, str]] = []

    def start(name, attrs):
        tag = _local(name)
        if tag == "sheet":
            found.append((attrs.get("name", ""), attrs.get("state", "visible").lower(),
                          _attr(attrs, "id") or ""))
        elif tag == "workbookPr":
            pkg.date1904 = attrs.get("date1904", "0").lower() in ("1", "true")

    _parse_xml(data, start)
    for name, state, rid in found:
        kind, part = rels.get(rid, ("", ""))
        kind = {"chartsheet": "chartsheet", "macrosheet": "macrosheet", "dialogsheet":
                "dialogsheet", "xlMacrosheet": "macrosheet"}.get(kind, "worksheet")
        pkg.sheets.append(SheetEntry(name, state, kind, part))
    pkg.shared_strings = next((p for kind, p in rels.values() if kind == "sharedStrings"), None)
