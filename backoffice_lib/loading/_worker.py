"""The reader process: opens workbooks with native readers, away from the caller.

Started by :mod:`.isolation` as ``python -c ...`` (a fresh interpreter, never a fork of
the caller). It caps its own address space (RLIMIT_AS) before importing any reader, then
answers requests read from stdin, one at a time:

- ``sheets``: names, visibility and kinds of the sheets (python-calamine metadata);
- ``peek``: the first rows of a sheet as text, with their absolute column numbers;
- ``read``: a whole sheet from a given row, typed by fastexcel, as an Arrow IPC stream;
- ``stats``: the process's peak memory.

Frames: 4-byte big-endian length + JSON header, then 8-byte length + payload (unused,
kept for small answers). Tables go through an Arrow IPC file in the caller's private
spool folder, which the caller maps and deletes. No pickle crosses the boundary: a
compromised reader could not make the caller execute code by answering.

Fallbacks for what calamine does not read: xlrd for BIFF2–5 and odd code pages (xls),
openpyxl (read-only) for xlsx packages calamine refuses (macro sheets). Both run here,
under the same caps, on the files that need them only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import struct
import sys

_READER_CACHE: dict = {}


def _send(out, header: dict, payload: bytes = b"") -> None:
    data = json.dumps(header).encode("utf-8")
    out.write(struct.pack(">I", len(data)) + data + struct.pack(">Q", len(payload)))
    if payload:
        out.write(payload)
    out.flush()


def _read_request(inp) -> dict | None:
    head = inp.read(4)
    if len(head) < 4:
        return None
    (n,) = struct.unpack(">I", head)
    return json.loads(inp.read(n).decode("utf-8"))


def _classify(exc: BaseException) -> tuple[str, str]:
    """An exception of a reader → (kind, short detail) for the caller's error classes."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    low = str(exc).lower()
    name = type(exc).__name__
    if "password" in low or "encrypted" in low or name == "PasswordError":
        return "password", text[:160]
    if isinstance(exc, MemoryError) or "cell limit exceeded" in low:
        return "limit", text[:160]
    if "cannot detect file format" in low:
        return "unsupported", text[:160]
    return "corrupt", f"{name}: {text}"[:160]


def _fallback_wanted(kind: str, exc: BaseException) -> bool:
    low = str(exc).lower()
    if "password" in low:
        return False
    if kind == "xls":
        return any(s in low for s in ("invalid ole", "codepage", "cannot detect", "biff"))
    if kind == "xlsx":
        return "unrecognized sheet" in low or "xml" in low
    return False


# --------------------------------------------------------------------------- calamine


def _fastexcel_reader(path: str):
    import fastexcel

    st = os.stat(path)
    key = (path, st.st_size, st.st_mtime_ns)
    reader = _READER_CACHE.get(key)
    if reader is None:
        _READER_CACHE.clear()
        reader = fastexcel.read_excel(path)
        _READER_CACHE[key] = reader
    return reader


def _sheets_calamine(path: str) -> list[dict]:
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_path(path)
    try:
        out = []
        for meta in wb.sheets_metadata:
            typ = str(meta.typ).rsplit(".", 1)[-1].lower()
            vis = str(meta.visible).rsplit(".", 1)[-1].lower()
            out.append({"name": meta.name, "visible": vis, "kind": typ})
        return out
    finally:
        wb.close()


def _load(path: str, sheet: int, **kw):
    """Load a sheet as an Arrow table with the absolute column number of each column.

    ``schema_sample_rows=None``: every row takes part in choosing a column's type, so a
    column mixing numbers and text becomes text. With the default sample (1,000 rows) a
    text cell further down is silently turned into a null, even in "strict" mode.
    """
    import fastexcel
    import pyarrow as pa

    reader = _fastexcel_reader(path)
    kw.setdefault("schema_sample_rows", None)
    seen: dict[str, int] = {}

    def keep(column) -> bool:  # records where each column sits in the sheet
        seen[column.name] = column.absolute_index
        return True

    try:
        batch = reader.load_sheet(sheet, header_row=None, eager=True, use_columns=keep, **kw)
    except (fastexcel.UnsupportedColumnTypeCombinationError, fastexcel.CalamineCellError,
            fastexcel.ArrowError):
        kw["dtypes"] = "string"
        seen.clear()
        batch = reader.load_sheet(sheet, header_row=None, eager=True, use_columns=keep, **kw)
    table = pa.Table.from_batches([batch])
    return table, [seen[n] for n in table.column_names]


def _peek_calamine(path: str, sheet: int, n_rows: int):
    return _load(path, sheet, skip_rows=0, n_rows=n_rows, dtypes="string")


def _read_calamine(path: str, sheet: int, skip: int):
    return _load(path, sheet, skip_rows=skip)


# --------------------------------------------------------------------------- fallbacks


def _text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _rows_to_table(rows: list[list], skip: int, n_rows: int | None):
    import pyarrow as pa

    rows = rows[skip:] if n_rows is None else rows[skip:skip + n_rows]
    while rows and all(v in (None, "") for v in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    cols = [[_text(r[j]) if j < len(r) else None for r in rows] for j in range(width)]
    table = pa.table({f"c{j}": pa.array(c, pa.string()) for j, c in enumerate(cols)})
    return table, list(range(width))


class _XlrdBook:
    def __init__(self, path: str) -> None:
        import xlrd

        self.book = xlrd.open_workbook(path, on_demand=True, formatting_info=False)

    def sheets(self) -> list[dict]:
        out = []
        for i, name in enumerate(self.book.sheet_names()):
            sh = self.book.sheet_by_index(i)
            vis = {0: "visible", 1: "hidden", 2: "veryhidden"}.get(sh.visibility, "visible")
            out.append({"name": name, "visible": vis, "kind": "worksheet"})
        return out

    def rows(self, sheet: int) -> list[list]:
        import xlrd

        sh = self.book.sheet_by_index(sheet)
        out = []
        for r in range(sh.nrows):
            row = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        row.append(xlrd.xldate.xldate_as_datetime(cell.value, self.book.datemode))
                    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                        row.append(cell.value)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    row.append(bool(cell.value))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    row.append(None)
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    row.append(xlrd.error_text_from_code.get(cell.value, "#ERR"))
                else:
                    row.append(cell.value)
            out.append(row)
        return out


class _OpenpyxlBook:
    def __init__(self, path: str) -> None:
        import warnings

        import openpyxl

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.book = openpyxl.load_workbook(path, read_only=True, data_only=True)

    def sheets(self) -> list[dict]:
        out = []
        for ws in self.book.worksheets:
            out.append({"name": ws.title, "visible": str(ws.sheet_state).lower(),
                        "kind": "worksheet"})
        return out

    def rows(self, sheet: int) -> list[list]:
        ws = self.book.worksheets[sheet]
        return [list(r) for r in ws.iter_rows(values_only=True)]


def _fallback_book(kind: str, path: str):
    return _XlrdBook(path) if kind == "xls" else _OpenpyxlBook(path)


# --------------------------------------------------------------------------- dispatch


def _handle(req: dict, out) -> None:
    op, path, kind = req["op"], req.get("path", ""), req.get("kind", "xlsx")
    if op == "stats":
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        _send(out, {"ok": True, "peak_bytes": peak})
        return
    if op == "ping":
        _send(out, {"ok": True})
        return
    if op == "open":  # warm-up sent ahead of a read: open the workbook, parse shared strings
        try:
            _fastexcel_reader(path)
        except BaseException as exc:  # noqa: BLE001 - the read that follows reports it
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
        _send(out, {"ok": True})
        return
    try:
        result = _calamine_op(op, req, path)
    except BaseException as exc:  # noqa: BLE001 - PanicException is a BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        if not _fallback_wanted(kind, exc):
            _send(out, dict(zip(("ok", "error", "detail"), (False, *_classify(exc)), strict=True)))
            return
        try:
            result = _fallback_op(op, req, path, kind)
        except BaseException as exc2:  # noqa: BLE001
            if isinstance(exc2, (KeyboardInterrupt, SystemExit)):
                raise
            kind2, detail2 = _classify(exc2)
            kind1, detail1 = _classify(exc)
            err = kind2 if kind2 == "password" else kind1
            _send(out, {"ok": False, "error": err, "detail": detail2 if err == kind2 else detail1})
            return
    if isinstance(result, list):
        _send(out, {"ok": True, "sheets": result})
        return
    table, columns = result
    _send(out, {"ok": True, "columns": columns, "arrow": _write_ipc(table, req.get("spool"))})


def _calamine_op(op: str, req: dict, path: str):
    if op == "sheets":
        return _sheets_calamine(path)
    if op == "peek":
        return _peek_calamine(path, req["sheet"], req["n_rows"])
    if op == "read":
        return _read_calamine(path, req["sheet"], req["skip_rows"])
    raise ValueError(f"unknown op {op}")


def _fallback_op(op: str, req: dict, path: str, kind: str):
    book = _fallback_book(kind, path)
    if op == "sheets":
        return book.sheets()
    rows = book.rows(req["sheet"])
    if op == "peek":
        return _rows_to_table(rows, 0, req["n_rows"])
    return _rows_to_table(rows, req["skip_rows"], None)


def _write_ipc(table, spool: str | None) -> str:
    """Write ``table`` as an Arrow IPC file in the caller's private spool folder; return its path.

    A file (in ``/dev/shm`` when available) lets the caller map the table instead of
    copying it through the pipe.
    """
    import tempfile

    import pyarrow as pa

    fd, path = tempfile.mkstemp(dir=spool, prefix="table-", suffix=".arrow")
    with os.fdopen(fd, "wb") as fh, pa.ipc.new_file(fh, table.schema) as writer:
        writer.write_table(table)
    return path


def main() -> None:
    """Serve requests on stdin/stdout until stdin closes."""
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # stray prints must not corrupt the frames
    import fastexcel  # noqa: F401 - import before serving: the first request is then quick
    import pyarrow  # noqa: F401

    _send(out, {"ok": True, "ready": True})
    while True:
        req = _read_request(inp)
        if req is None:
            return
        _handle(req, out)


if __name__ == "__main__":
    main()
