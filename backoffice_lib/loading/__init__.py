"""Loading: any real spreadsheet in, a canonical table (or a clear error) out.

::

    gl = load_table("grand_livre.xlsx", table="gl_lines")
    tables = load_tables({"gl_lines": "gl.xlsx", "budget": {"path": "b.xlsx", "sheet": "2026"}})

Pipeline, one module per step:

1. :mod:`.limits` — size checks before anything is parsed;
2. :mod:`.sniff` — what the file really is (content over extension), encoding, separator;
3. readers — :mod:`.excel` (sheet choice and header through :mod:`.ooxml` or the reader
   process of :mod:`.isolation`), :mod:`.text` (csv/tsv/txt: records split by
   pyarrow.csv in :mod:`.records_arrow` when it can vouch for the result, else by the
   csv module in :mod:`.records`), :mod:`.fec`, parquet — each giving a
   :class:`.raw.RawTable` whose header was found by :mod:`.header`;
4. :mod:`.totals` — totals rows set aside with a warning;
5. :mod:`.canonical` — headers matched to the table's aliases, values typed by
   :mod:`.values` (the commonest shapes read from their bytes by :mod:`.lanes`), issues
   located at their cells;
6. :mod:`.cache` — table cache keyed by the file's content (its sha256, remembered by
   :mod:`.digests` while the file is unchanged).

The result's index is ``source_row`` (the row the user sees) and its
``attrs["source"]`` a :class:`~backoffice_lib.provenance.SourceInfo`. Problems with the
user's file raise :class:`~backoffice_lib.errors.InputError` subclasses naming the
file (and sheet, cell); no other exception escapes for a problem with the file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import config
from ..errors import (
    BackofficeError,
    CorruptFileError,
    EmptyFileError,
    MissingFileError,
    UnsupportedFormatError,
)
from ..i18n import t
from ..issues import Issue
from ..provenance import SourceInfo
from ..tables import TableSpec, get_table
from .cache import LOADER_VERSION, cache_key, read_cached, write_cached
from .canonical import to_canonical, to_frame_as_found
from .digests import digest_of, remembered
from .excel import SheetInfo, excel_sheet_list, read_excel
from .fec import finish_fec, is_fec
from .isolation import worker
from .limits import DEFAULT_LIMITS, Limits, check_file_size
from .raw import RawTable, make_columns
from .sniff import EXCEL_KINDS, FileKind, detect_kind
from .text import looks_tabular, read_text
from .totals import find_total_rows

_WORKBOOK_EXT = {".xls", ".xlsx", ".xlsm", ".xlsb", ".ods"}

__all__ = ["LOADER_VERSION", "Limits", "SheetInfo", "list_sheets", "load_cached", "load_table",
           "load_tables", "start_reader"]


def _resolve(path: str | os.PathLike) -> Path:
    p = Path(path).expanduser()
    try:
        p = p.resolve()
    except OSError:
        pass
    if not p.is_file():
        raise MissingFileError(file=p)
    return p


def _stat(path: Path, limits: Limits) -> os.stat_result:
    try:
        st = path.stat()
    except OSError as exc:
        raise CorruptFileError(file=path, detail=type(exc).__name__) from None
    check_file_size(path, st.st_size, limits.max_file_bytes)
    return st


def _read_bytes(path: Path, limits: Limits) -> tuple[bytes, os.stat_result]:
    st = _stat(path, limits)
    try:
        with path.open("rb") as fh:
            return fh.read(limits.max_file_bytes + 1), st
    except PermissionError as exc:
        raise UnsupportedFormatError(file=path, detail=type(exc).__name__) from None
    except OSError as exc:
        raise CorruptFileError(file=path, detail=type(exc).__name__) from None


def _same_state(a: os.stat_result, b: os.stat_result) -> bool:
    """The same file, unchanged (the identity :mod:`.digests` remembers digests by)."""
    return ((a.st_dev, a.st_ino, a.st_size, a.st_mtime_ns, a.st_ctime_ns)
            == (b.st_dev, b.st_ino, b.st_size, b.st_mtime_ns, b.st_ctime_ns))


def _read_parquet(path: Path, data: bytes) -> RawTable:
    table = pq.read_table(pa.BufferReader(data))
    names = [str(n) for n in table.column_names]
    cols = make_columns(names, [(n,) for n in names],
                        [c.combine_chunks() for c in table.columns], list(range(len(names))))
    return RawTable(str(path), None, "parquet", 0, cols,
                    np.arange(1, table.num_rows + 1, dtype="int64"))


def _read_raw(path: Path, data: bytes, kind: FileKind, spec: TableSpec | None,
              sheet: str | int | None, limits: Limits, options: dict) -> RawTable:
    if kind.kind == "empty":
        raise EmptyFileError(file=path)
    if kind.kind == "refused":
        raise UnsupportedFormatError(file=path, detail=kind.detail)
    if kind.kind == "text":
        if path.suffix.lower() in _WORKBOOK_EXT and not looks_tabular(data):
            raise CorruptFileError(file=path, detail=t("loading.not_a_workbook"))
        raw = read_text(path, data, kind.format, spec, limits, **options)
        if is_fec(raw):
            raw.format = "fec"
        return raw
    if kind.kind == "parquet":
        return _read_parquet(path, data)
    if kind.kind in EXCEL_KINDS:
        return read_excel(path, kind, sheet, spec, limits, options.get("header_row"))
    raise UnsupportedFormatError(file=path, detail=kind.format)


def _total_issues(raw: RawTable, info: SourceInfo) -> tuple[set[int], list[Issue]]:
    totals = find_total_rows(raw)
    issues = [Issue(rule="TOTAL_ROW_EXCLUDED", file=info.file, sheet=info.sheet,
                    cell=f"{tr.letter}{int(raw.rows[tr.position])}",
                    row=int(raw.rows[tr.position]), table=info.table, value=tr.label)
              for tr in totals]
    return {tr.position for tr in totals}, issues


def _build(file: Path, data: bytes, kind: FileKind, spec: TableSpec | None,
           sheet: str | int | None, limits: Limits, options: dict, sha: str
           ) -> tuple[pd.DataFrame, SourceInfo]:
    """Read, set totals aside, then map (``spec``) or type (as found) one table."""
    raw = _read_raw(file, data, kind, spec, sheet, limits, options)
    raw = raw.drop_blank_rows()
    if not raw.columns and spec is not None:
        raise EmptyFileError(file=file, sheet=raw.sheet)
    info = SourceInfo(file=str(file), sheet=raw.sheet, format=raw.format,
                      header_row=raw.header_row, sha256=sha, table=spec.name if spec else None)
    positions, total_issues = _total_issues(raw, info)
    if spec is None:
        return to_frame_as_found(raw, info, positions, total_issues)
    frame, info = to_canonical(raw, spec, info, positions, total_issues,
                               limits.max_issues_per_column)
    if raw.format == "fec" and spec.name == "gl_lines":
        frame = finish_fec(frame)
        frame.attrs["source"] = info
    return frame, info


def start_reader(limits: Limits | None = None) -> None:
    """Start the workbook reader process now (:mod:`.isolation`) and return: its start
    (about half a second, imports included) then overlaps other work instead of holding
    up the first workbook read."""
    worker().start((limits or DEFAULT_LIMITS).reader_memory_bytes)


def _options(header_row: int | None = None, encoding: str | None = None,
             separator: str | None = None) -> dict[str, Any]:
    """The reading options that change a load's result (part of its cache key)."""
    return {k: v for k, v in (("header_row", header_row), ("encoding", encoding),
                              ("separator", separator)) if v is not None}


def load_table(
    path: str | os.PathLike,
    table: str | None = None,
    sheet: str | int | None = None,
    *,
    cache: bool = True,
    limits: Limits | None = None,
    header_row: int | None = None,
    encoding: str | None = None,
    separator: str | None = None,
) -> pd.DataFrame:
    """Load one table from a spreadsheet or text file.

    Parameters
    ----------
    path: the file (.xlsx, .xlsm, .xls, .ods, .xlsb, .csv, .tsv, .txt, FEC, .parquet).
    table: a canonical table name (``gl_lines``, ``employees``... see
        :data:`backoffice_lib.tables.TABLES`); the result then has exactly its columns
        and dtypes. Without it the sheet comes back as found (header detected, values
        typed sensibly).
    sheet: sheet name or 0-based index; by default the first visible sheet that looks
        like data (with ``table``: the sheet whose header best matches the table).
    cache: read and fill the table cache (``config.cache_dir()``, :mod:`.cache`).
    limits: resource limits (:class:`Limits`); defaults are generous for real files.
    header_row: 1-based row of the header when detection should be overridden.
    encoding, separator: force the text encoding or field separator of a text file.

    Returns
    -------
    DataFrame indexed by ``source_row`` (Excel row or text line), with
    ``attrs["source"]`` a :class:`~backoffice_lib.provenance.SourceInfo` listing the
    issues met (values that could not be read, totals rows set aside).

    Raises
    ------
    InputError subclasses (``MissingFileError``, ``UnsupportedFormatError``,
    ``PasswordProtectedError``, ``CorruptFileError``, ``EmptyFileError``,
    ``ResourceLimitError``, ``MissingSheetError``, ``HeaderNotFoundError``,
    ``MissingColumnError``), each naming the file and, when known, sheet and cell.
    """
    limits = limits or DEFAULT_LIMITS
    spec = get_table(table) if table is not None else None
    file = _resolve(path)
    options = _options(header_row, encoding, separator)
    known, sha = None, None
    if cache:  # an unchanged file's digest is remembered: the cache is looked up unread
        known = _stat(file, limits)
        sha = remembered(file, known)
        if sha is not None:
            cached = read_cached(cache_key(sha, table, sheet, options), str(file))
            if cached is not None:
                return cached
    data, before = _read_bytes(file, limits)
    if not cache:
        sha = hashlib.sha256(data).hexdigest()
    elif sha is None or not _same_state(known, before):
        sha = digest_of(file, before, data)
        cached = read_cached(cache_key(sha, table, sheet, options), str(file))
        if cached is not None:
            return cached
    key = cache_key(sha, table, sheet, options) if cache else ""
    kind = detect_kind(file, data[:8192])
    try:
        frame, info = _build(file, data, kind, spec, sheet, limits, options, sha)
    except BackofficeError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise CorruptFileError(file=file, detail=type(exc).__name__) from None
    except Exception as exc:  # noqa: BLE001 - a reader's own error on a user's file
        raise CorruptFileError(file=file, detail=f"{type(exc).__name__}: {exc}"[:160]) from None
    if cache and _same_state(file.stat(), before):  # not changed while it was read
        write_cached(key, frame, info)
    return frame


def load_tables(
    inputs: Mapping[str, str | os.PathLike | Mapping],
    *,
    base_dir: Path | None = None,
    cache: bool = True,
) -> dict[str, pd.DataFrame]:
    """Load several canonical tables: ``{table: path}`` or ``{table: {"path": ..., "sheet": ...}}``.

    Relative paths are resolved against ``base_dir`` (default: the project root,
    ``config.PROJ_ROOT``). A mapping may also carry ``header_row``, ``encoding`` and
    ``separator``. The first file that cannot be loaded raises its ``InputError``.
    """
    out: dict[str, pd.DataFrame] = {}
    for table, spec in inputs.items():
        path, options = _input_args(spec, base_dir)
        out[table] = load_table(path, table=table, cache=cache, **options)
    return out


def load_cached(
    inputs: Mapping[str, str | os.PathLike | Mapping],
    *,
    base_dir: Path | None = None,
) -> dict[str, pd.DataFrame]:
    """The tables of ``inputs`` (as for :func:`load_tables`) that the cache already
    holds, read from it; the others are left out (not read, no error raised: their
    :func:`load_table` reports any problem)."""
    found: dict[str, pd.DataFrame] = {}
    for table, spec in inputs.items():
        path, options = _input_args(spec, base_dir)
        sheet = options.pop("sheet", None)
        try:
            file = _resolve(path)
            sha = remembered(file, _stat(file, DEFAULT_LIMITS))
            if sha is None:
                data, before = _read_bytes(file, DEFAULT_LIMITS)
                sha = digest_of(file, before, data)
        except BackofficeError:
            continue
        key = cache_key(sha, table, sheet, _options(**options))
        frame = read_cached(key, str(file))
        if frame is not None:
            found[table] = frame
    return found


def _input_args(spec: str | os.PathLike | Mapping,
                base_dir: Path | None) -> tuple[Path, dict[str, Any]]:
    """The path (relative ones resolved against ``base_dir``, default the project root)
    and the other options of one entry of ``load_tables``'s inputs."""
    options = dict(spec) if isinstance(spec, Mapping) else {"path": spec}
    path = Path(options.pop("path")).expanduser()
    if not path.is_absolute():
        path = (Path(base_dir) if base_dir is not None else config.PROJ_ROOT) / path
    return path, options


def list_sheets(path: str | os.PathLike, *, limits: Limits | None = None) -> list[SheetInfo]:
    """The sheets of a workbook (name, visible, rows, cols); one entry for a text file."""
    limits = limits or DEFAULT_LIMITS
    file = _resolve(path)
    data, _ = _read_bytes(file, limits)
    kind = detect_kind(file, data[:8192])
    try:
        if kind.kind in EXCEL_KINDS:
            return excel_sheet_list(file, kind, limits)
        raw = _read_raw(file, data, kind, None, None, limits, {})
    except BackofficeError:
        raise
    except Exception as exc:  # noqa: BLE001 - a reader's own error on a user's file
        raise CorruptFileError(file=file, detail=f"{type(exc).__name__}: {exc}"[:160]) from None
    return [SheetInfo(file.stem, True, len(raw) + (1 if raw.header_row else 0), len(raw.columns))]
