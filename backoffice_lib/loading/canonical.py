"""From a sheet as found to a canonical table: headers matched, values typed, issues located.

Header matching (``tables.normalize_header`` against ``ColumnSpec.header_keys()``): the
canonical name beats an alias, an earlier alias beats a later one, each file column is
used once; a second column with the same header is reported (``DUPLICATE_HEADER``).
``TableSpec.signed_pairs`` fold Débit/Crédit into ``debit − credit`` (a blank side is
0) and ``TableSpec.joined`` join Nom + Prénom when the file has no single column.

Typing is per column kind (:mod:`.values`); every value present but unreadable becomes
NA and an :class:`~backoffice_lib.issues.Issue` at its exact cell. Values outside a
column's closed set (after its value aliases) give ``INVALID_VALUE``. Required but empty
values are left to validation.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import MissingColumnError
from ..i18n import t
from ..issues import Issue
from ..provenance import SourceInfo
from ..tables import TableSpec, normalize_header
from .header import table_header_keys
from .raw import RawColumn, RawTable
from .values import (
    MONEY_TYPE,
    is_blank,
    is_text,
    map_values,
    parse_bool,
    parse_dates,
    parse_float,
    parse_money,
    parse_period,
    render_text,
)

__all__ = ["Mapping", "match_columns", "to_canonical", "to_frame_as_found"]


@dataclass
class Mapping:
    """Which file column(s) feed each canonical column."""

    direct: dict[str, RawColumn] = field(default_factory=dict)
    folded: dict[str, tuple[RawColumn | None, RawColumn | None]] = field(default_factory=dict)
    joined: dict[str, tuple[RawColumn | None, RawColumn | None]] = field(default_factory=dict)
    duplicates: list[tuple[str, RawColumn]] = field(default_factory=list)


def _options(col: RawColumn) -> list[str]:
    texts = col.variants or ((col.name,) if col.name else ())
    return [normalize_header(v) for v in texts if v]


def _position(columns: list[RawColumn], col: RawColumn) -> int:
    return next(k for k, c in enumerate(columns) if c is col)


def match_columns(spec: TableSpec, columns: list[RawColumn]) -> Mapping:
    """Assign file columns to the canonical columns of ``spec`` (see the module docstring)."""
    known = table_header_keys(spec)
    # A column answers to its best writing only: "Montant Débit" (two-row header) is the
    # debit side, not "Montant" (its upper row alone) as an amount.
    options = []
    for col in columns:
        opts = _options(col)
        best = next((o for o in opts if o in known), None)
        options.append([best] if best else opts[:1])
    pairs = []
    for order, spec_col in enumerate(spec.columns):
        keys = spec_col.header_keys()
        for j, opts in enumerate(options):
            for priority, text in enumerate(opts):
                if text in keys:
                    pairs.append((keys.index(text), priority, order, j, spec_col.name))
                    break
    pairs.sort()
    mapping = Mapping()
    used: set[int] = set()
    for _, _, _, j, name in pairs:
        if name in mapping.direct or j in used:
            continue
        mapping.direct[name] = columns[j]
        used.add(j)
    for _, _, _, j, name in pairs:  # same header twice: the first one wins, the other is reported
        chosen = mapping.direct.get(name)
        same = chosen is not None and options[j] == options[_position(columns, chosen)]
        if same and j not in used:
            mapping.duplicates.append((name, columns[j]))
            used.add(j)

    def find(aliases: tuple[str, ...]) -> RawColumn | None:
        wanted = {normalize_header(a) for a in aliases}
        for j, opts in enumerate(options):
            if j not in used and any(o in wanted for o in opts):
                used.add(j)
                return columns[j]
        return None

    for target, (left, right) in spec.signed_pairs.items():
        if target not in mapping.direct:
            debit, credit = find(left), find(right)
            if debit is not None or credit is not None:
                mapping.folded[target] = (debit, credit)
    for target, (left, right) in spec.joined.items():
        if target not in mapping.direct:
            first, second = find(left), find(right)
            if first is not None or second is not None:
                mapping.joined[target] = (first, second)
    return mapping


def _missing_error(spec: TableSpec, raw: RawTable, missing: list[str]) -> MissingColumnError:
    headers = [c.header for c in raw.columns if c.name]
    folded = {normalize_header(h): h for h in headers}
    hints = []
    for name in missing:
        keys = spec.column(name).header_keys()
        best, best_ratio = None, 0.0
        for key in keys:
            for cand in difflib.get_close_matches(key, list(folded), n=1, cutoff=0.6):
                ratio = difflib.SequenceMatcher(None, key, cand).ratio()
                if ratio > best_ratio:
                    best, best_ratio = folded[cand], ratio
        if best is not None:
            hints.append(t("errors.missing_column_hint_closest", closest=best))
    if not hints:
        shown = ", ".join(f"« {h} »" for h in headers[:20]) or "-"
        hints.append(t("errors.missing_column_hint_none", found=shown))
    return MissingColumnError(file=raw.file, sheet=raw.sheet, column=", ".join(missing),
                              table=spec.name, hint=" ".join(dict.fromkeys(hints)))


# --------------------------------------------------------------------------- typing


class _Issues:
    """Collects located issues for one load."""

    def __init__(self, info: SourceInfo, limit: int) -> None:
        self.info = info
        self.limit = limit
        self.items: list[Issue] = []

    def add(self, rule: str, column: str | None, col: RawColumn | None, rows: np.ndarray,
            values: list, **params: object) -> None:
        for row, value in list(zip(rows, values, strict=True))[: self.limit]:
            p = dict(params)
            if col is not None:
                p.setdefault("header", col.header)
            self.items.append(Issue(
                rule=rule, file=self.info.file, sheet=self.info.sheet,
                cell=f"{col.letter}{int(row)}" if col is not None else None, row=int(row),
                table=self.info.table, column=column, value=value, params=p))


def _report(issues: _Issues, rule: str, name: str, col: RawColumn, rows: np.ndarray,
            mask: np.ndarray, **params: object) -> None:
    if mask is None or not mask.any():
        return
    idx = np.flatnonzero(mask)
    texts = render_text(col.values.take(pa.array(idx))).to_pylist()
    issues.add(rule, name, col, rows[idx], texts, **params)


_INT64 = {pa.int64(): pd.Int64Dtype()}.get
_BOOLEAN = {pa.bool_(): pd.BooleanDtype()}.get


def _series(arr: pa.Array, kind: str) -> pd.Series:
    """A typed Arrow array → the pandas Series of the kind's dtype (``tables.DTYPES``)."""
    if kind in ("str", "period"):
        return pc.cast(arr, pa.string()).to_pandas()
    if kind in ("date", "datetime"):
        return pc.cast(arr, pa.timestamp("us"), safe=False).to_pandas()
    if kind == "money":
        return pd.Series(pd.arrays.ArrowExtensionArray(pc.cast(arr, MONEY_TYPE, safe=False)))
    if kind == "float":
        return pd.Series(pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False),
                         dtype="float64")
    if kind == "int":
        return pc.cast(arr, pa.int64()).to_pandas(types_mapper=_INT64)
    if kind == "bool":
        return pc.cast(arr, pa.bool_()).to_pandas(types_mapper=_BOOLEAN)
    raise ValueError(f"unknown kind {kind}")


def _typed(kind: str, name: str, col: RawColumn, rows: np.ndarray, issues: _Issues,
           date1904: bool, spec_col) -> pa.Array:
    values = col.values
    if kind == "period":
        parsed, bad = parse_period(values, date1904)
        _report(issues, "INVALID_PERIOD", name, col, rows, bad)
        return parsed
    if kind == "str":
        text = render_text(values)
        if spec_col.value_aliases or spec_col.allowed:
            mapped, bad = map_values(text, spec_col.value_aliases, spec_col.allowed)
            if not spec_col.allowed:  # aliases only: unknown values stay as written
                mapped = pc.coalesce(mapped, text)
                bad = np.zeros(len(text), dtype=bool)
            _report(issues, "INVALID_VALUE", name, col, rows, bad,
                    allowed=", ".join(spec_col.allowed))
            text = mapped
        return text
    if kind in ("date", "datetime"):
        result = parse_dates(values, date1904)
        _report(issues, "INVALID_DATE", name, col, rows, result.bad)
        _report(issues, "AMBIGUOUS_DATE", name, col, rows, result.ambiguous)
        return result.values
    if kind == "money":
        parsed, bad = parse_money(values)
        _report(issues, "INVALID_NUMBER", name, col, rows, bad)
        return parsed
    if kind in ("float", "int"):
        parsed, bad = parse_float(values)
        if kind == "int":
            floats = parsed.to_numpy(zero_copy_only=False).astype("float64")
            frac = ~np.isnan(floats) & (np.floor(floats) != floats)
            bad = bad | frac
            parsed = pa.array(np.where(frac, np.nan, floats), pa.float64(), from_pandas=True)
            parsed = pc.cast(parsed, pa.int64(), safe=False)
        _report(issues, "INVALID_NUMBER", name, col, rows, bad)
        return parsed
    if kind == "bool":
        parsed, bad = parse_bool(values, spec_col.value_aliases)
        _report(issues, "INVALID_VALUE", name, col, rows, bad,
                allowed=", ".join(sorted(set(spec_col.value_aliases)))[:80])
        return parsed
    raise ValueError(f"unknown kind {kind}")


def _fold(name: str, pair: tuple[RawColumn | None, RawColumn | None], rows: np.ndarray,
          issues: _Issues, n: int) -> pa.Array:
    """``debit − credit`` in exact cents; a blank side counts as 0, both blank is NA."""
    sides = []
    present = np.zeros(n, dtype=bool)
    for col in pair:
        if col is None:
            sides.append(pa.array(np.zeros(n, dtype="int64")).cast(MONEY_TYPE))
            continue
        parsed, bad = parse_money(col.values)
        _report(issues, "INVALID_NUMBER", name, col, rows, bad)
        present |= ~np.asarray(pc.is_null(parsed).to_numpy(zero_copy_only=False), dtype=bool)
        sides.append(pc.fill_null(parsed, pa.scalar(0, MONEY_TYPE)))
    total = pc.cast(pc.subtract(sides[0], sides[1]), MONEY_TYPE, safe=False)
    return pc.if_else(pa.array(present), total, pa.scalar(None, MONEY_TYPE))


def _join(pair: tuple[RawColumn | None, RawColumn | None]) -> pa.Array:
    parts = [render_text(c.values) for c in pair if c is not None]
    if len(parts) == 1:
        return parts[0]
    joined = pc.binary_join_element_wise(pc.fill_null(parts[0], ""), pc.fill_null(parts[1], ""),
                                         " ")
    joined = pc.utf8_trim_whitespace(joined)
    return pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.string()), joined)


def _fte_scale(values: pa.Array) -> pa.Array:
    """A column on a 0–100 scale (most values above 1) is divided by 100 (§5.6)."""
    floats = pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False)
    present = floats[~np.isnan(floats)]
    if len(present) and (present > 1).mean() > 0.5:
        return pa.array(floats / 100.0, pa.float64(), from_pandas=True)
    return values


def _derive(spec: TableSpec, data: dict[str, pa.Array], present: set[str], n: int) -> None:
    for col in spec.columns:
        if not col.derived:
            continue
        how, _, arg = col.derived.partition(":")
        if how == "default":
            if col.name in present:
                data[col.name] = pc.fill_null(data[col.name], arg)
            else:
                data[col.name] = pa.repeat(pa.scalar(arg, pa.string()), n)
        elif col.name in present:
            continue
        elif how == "period_from" and arg in data:
            data[col.name] = _year_month(data[arg])
        elif how == "row_number_within" and arg in data:
            data[col.name] = _rank_within(data[arg])


def _year_month(dates: pa.Array) -> pa.Array:
    """Timestamps → ``YYYY-MM`` text (null stays null)."""
    months = pc.cast(dates, pa.timestamp("us"), safe=False).to_numpy(
        zero_copy_only=False).astype("datetime64[M]")
    valid = ~np.isnat(months)
    codes = np.where(valid, months.astype("int64"), 0)
    low, high = (int(codes.min()), int(codes.max())) if len(codes) else (0, 0)
    if high - low < max(len(codes), 1200):  # a label per month of the span: no sort
        uniques, index = np.arange(low, high + 1), codes - low
    else:
        uniques, index = np.unique(codes, return_inverse=True)
    labels = pa.array([str(np.datetime64(int(u), "M")) for u in uniques], pa.string())
    text = pc.take(labels, pa.array(index.astype("int64")))
    return pc.if_else(pa.array(valid), text, pa.scalar(None, pa.string()))


def _rank_within(keys: pa.Array) -> pa.Array:
    """1, 2, 3... in file order within each key (nulls form one group)."""
    codes = pc.dictionary_encode(keys).indices.to_numpy(zero_copy_only=False)
    codes = np.where(np.isnan(codes.astype("float64")), -1, codes).astype("int64")
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_codes)) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(codes)]))
    ranks = np.empty(len(codes), dtype="int64")
    ranks[order] = np.arange(len(codes)) - group_start + 1
    return pa.array(ranks, pa.int64())


def _without(raw: RawTable, positions: set[int]) -> RawTable:
    if not positions:
        return raw
    keep = np.ones(len(raw), dtype=bool)
    keep[sorted(positions)] = False
    return raw.take(np.flatnonzero(keep))


def to_canonical(raw: RawTable, spec: TableSpec, info: SourceInfo, total_positions: set[int],
                 extra_issues: list[Issue], issue_limit: int) -> tuple[pd.DataFrame, SourceInfo]:
    """Map, type and check ``raw`` as ``spec``; return the frame and its completed SourceInfo."""
    mapping = match_columns(spec, raw.columns)
    provided = set(mapping.direct) | set(mapping.folded) | set(mapping.joined)
    missing = [c.name for c in spec.columns if c.required and not c.derived
               and c.name not in provided]
    if missing:
        raise _missing_error(spec, raw, missing)
    table = _without(raw, total_positions)
    mapping = match_columns(spec, table.columns)
    rows = table.rows
    letters, headers = {}, {}
    for name, col in mapping.direct.items():
        letters[name], headers[name] = col.letter, col.header
    for name, pair in {**mapping.folded, **mapping.joined}.items():
        cols = [c for c in pair if c is not None]
        letters[name] = ":".join(c.letter for c in cols)
        headers[name] = " / ".join(c.header for c in cols)
    info = SourceInfo(file=info.file, sheet=info.sheet, format=info.format,
                      header_row=info.header_row, columns=letters, headers=headers,
                      sha256=info.sha256, table=spec.name)
    issues = _Issues(info, issue_limit)
    for name, col in mapping.duplicates:
        issues.items.append(Issue(rule="DUPLICATE_HEADER", file=info.file, sheet=info.sheet,
                                  cell=f"{col.letter}{info.header_row}"
                                  if info.header_row else None,
                                  row=info.header_row or None, table=spec.name, column=name,
                                  value=col.header, params={"header": col.header}))
    n = len(rows)
    data: dict[str, pa.Array] = {}
    for spec_col in spec.columns:
        name = spec_col.name
        if name in mapping.direct:
            data[name] = _typed(spec_col.kind, name, mapping.direct[name], rows, issues,
                                table.date1904, spec_col)
        elif name in mapping.folded:
            data[name] = _fold(name, mapping.folded[name], rows, issues, n)
        elif name in mapping.joined:
            data[name] = _join(mapping.joined[name])
        if name == "fte" and name in data:
            data[name] = _fte_scale(data[name])
    _derive(spec, data, provided, n)
    frame = pd.DataFrame(
        {c.name: _series(data[c.name] if c.name in data else pa.nulls(n), c.kind)
         for c in spec.columns})
    frame.index = pd.Index(rows, name="source_row", dtype="int64")
    all_issues = tuple(extra_issues) + tuple(issues.items)
    info = SourceInfo(file=info.file, sheet=info.sheet, format=info.format,
                      header_row=info.header_row, columns=letters, headers=headers,
                      sha256=info.sha256, table=spec.name,
                      issues=tuple(sorted(all_issues, key=lambda i: (i.row or 0, i.cell or ""))))
    frame.attrs["source"] = info
    return frame, info


# --------------------------------------------------------------------------- as found


_DATE_TEXT = (r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?Z?$|"
              r"^\d{1,2}[/.-]\d{1,2}[/.-](\d{4}|\d{2})(,? \d{1,2}[:h]\d{2}(:\d{2})?)?$|^\d{8}$")


def _infer_typed(values: pa.Array) -> pa.Array:
    """A typed column as found: whole numbers become integers, dates microseconds."""
    if pa.types.is_floating(values.type) or pa.types.is_integer(values.type):
        floats = pc.cast(values, pa.float64())
        arr = floats.to_numpy(zero_copy_only=False)
        finite = arr[~np.isnan(arr)]
        if len(finite) and np.all(np.floor(finite) == finite) and np.all(np.abs(finite) < 2**53):
            return pc.cast(floats, pa.int64(), safe=False)
        return floats
    if pa.types.is_timestamp(values.type) or pa.types.is_date(values.type):
        return pc.cast(values, pa.timestamp("us"), safe=False)
    if pa.types.is_null(values.type):
        return pa.nulls(len(values), pa.string())
    if pa.types.is_boolean(values.type):
        return values
    return render_text(values)


def _infer_all(columns: list[RawColumn], n: int, date1904: bool) -> list[pa.Array]:
    """Type every column sensibly: numbers, dates, booleans, or text (IDs with zeros stay text).

    Text columns are examined together (one concatenated array per test), so a sheet of
    9,000 narrow columns costs a few vectorised passes, not 9,000 small ones.
    """
    out: list[pa.Array | None] = [None] * len(columns)
    text = [j for j, c in enumerate(columns) if is_text(c.values)]
    for j, col in enumerate(columns):
        if j not in set(text):
            out[j] = _infer_typed(col.values)
    if not text or n == 0:
        for j in text:
            out[j] = render_text(columns[j].values)
        return out  # type: ignore[return-value]
    k = len(text)
    joined = render_text(pa.concat_arrays([columns[j].values.cast(pa.string()) for j in text]))
    present = (~is_blank(joined)).reshape(k, n)
    zeros = _flags(pc.match_substring_regex(joined, r"^0\d")).reshape(k, n)
    numbers, bad_number = parse_float(joined)
    bad_number = bad_number.reshape(k, n)
    date_like = _flags(pc.match_substring_regex(joined, _DATE_TEXT)).reshape(k, n)
    for pos, j in enumerate(text):
        sl = joined.slice(pos * n, n)
        here = present[pos]
        if not here.any():
            out[j] = sl
        elif not zeros[pos].any() and not bad_number[pos][here].any() \
                and not date_like[pos][here].all():
            out[j] = _infer_typed(numbers.slice(pos * n, n))
        elif date_like[pos][here].all():
            dates = parse_dates(sl, date1904)
            ok = not (dates.bad | dates.ambiguous)[here].any()
            out[j] = dates.values if ok else sl
        else:
            out[j] = sl
    return out  # type: ignore[return-value]


def _flags(mask: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def _unique_names(raw: RawTable) -> list[str]:
    names, seen = [], {}
    for col in raw.columns:
        base = col.header
        count = seen.get(base, 0)
        seen[base] = count + 1
        names.append(base if count == 0 else f"{base}.{count}")
    return names


def to_frame_as_found(raw: RawTable, info: SourceInfo, total_positions: set[int],
                      extra_issues: list[Issue]) -> tuple[pd.DataFrame, SourceInfo]:
    """The sheet as found: columns named from the header, values typed sensibly."""
    table = _without(raw, total_positions)
    names = _unique_names(table)
    arrays = _infer_all(table.columns, len(table), table.date1904)
    frame = pa.Table.from_arrays(arrays, names=names).to_pandas(
        types_mapper={pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}.get)
    frame.index = pd.Index(table.rows, name="source_row", dtype="int64")
    info = SourceInfo(file=info.file, sheet=info.sheet, format=info.format,
                      header_row=info.header_row,
                      columns={n: c.letter for n, c in zip(names, table.columns, strict=True)},
                      headers={n: c.header for n, c in zip(names, table.columns, strict=True)},
                      sha256=info.sha256, table=None, issues=tuple(extra_issues))
    frame.attrs["source"] = info
    return frame, info
