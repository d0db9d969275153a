"""The fast splitter: pyarrow's CSV parser, for text whose every record is one line.

It must give exactly what :func:`.records.python_records` gives, so it first checks,
line by line and vectorised, that the text is one it can split the same way:

- a line without ``"`` is split on the separator;
- a line with quotes must be *strictly* quoted: each ``"`` opens a field, closes it just
  before a separator or the line end, or doubles a quote inside it. Both parsers read
  such a line alike, and no quoted field can run onto the next line;
- a line whose quotes all sit inside unquoted fields (``12" pipe``) is split by the csv
  module, like a ragged row (a count of fields other than the table's);
- any other quote (an opening quote not closed on its line, text after a closing
  quote) may make a record span lines: the whole file goes to the reference splitter.

The regular lines (most of them) are parsed by ``pyarrow.csv`` as strings in one call;
the odd ones by the csv module, one line each, and put back in their place. Blank
records are dropped with the reference's own test (``str.strip``) wherever a cheap
vectorised test cannot prove a line has content.
"""

from __future__ import annotations

import csv

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .lanes import to_mask as _mask
from .records import Records, columns_from_rows, one_line

__all__ = ["arrow_records"]

_QUOTED = r'"(?:[^"]|"")*"'
_BOM = "\ufeff"
_NEWLINE, _QUOTE = 0x0A, 0x22


def _re(char: str | int) -> str:
    """One character, escaped for RE2."""
    return f"\\x{{{char if isinstance(char, int) else ord(char):x}}}"


def _strict_line(sep: str) -> str:
    """RE2 pattern of a line (with its ``\\n``) whose quoted fields are all well formed."""
    s = _re(sep)
    field = f'(?:{_QUOTED}|[^"{s}\\n]*)'
    return f"^{field}(?:{s}{field})*\\n?$"


def _content(sep: str) -> str:
    """RE2 class of characters that are never blank and never ``sep`` or a quote: letters
    and digits of any script (``str.isspace`` is false for them), and printable ASCII."""
    ascii_ = "".join(_re(c) for c in range(0x21, 0x7F) if c not in (ord(sep), _QUOTE))
    letters = "" if sep.isalnum() else r"\pL\pN"
    return f"[{letters}{ascii_}]"


def _per_line(positions: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """How many of the sorted byte ``positions`` fall in each line (``offsets`` bound them)."""
    return np.diff(np.searchsorted(positions, offsets)).astype("int64")


class _Lines:
    """The lines of a text, each with its ``\\n``, over the text's UTF-8 bytes."""

    def __init__(self, text: str, sep: str) -> None:
        self.sep = sep
        data = text.encode("utf-8")
        self.bytes = np.frombuffer(data, dtype=np.uint8)
        ends = np.flatnonzero(self.bytes == _NEWLINE) + 1
        self.offsets = np.concatenate([[0], ends, [len(data)]]).astype("int64")
        self.lines = pa.Array.from_buffers(
            pa.large_string(), len(self.offsets) - 1,
            [None, pa.py_buffer(self.offsets.tobytes()), pa.py_buffer(data)])
        self.quoted = np.zeros(len(self.lines), dtype=bool)  # strictly quoted: Arrow reads them
        self.literal = np.zeros(len(self.lines), dtype=bool)  # quotes inside fields: csv does

    def _having(self, byte: int) -> np.ndarray:
        return _per_line(np.flatnonzero(self.bytes == byte), self.offsets)

    def classify_quotes(self) -> bool:
        """Mark quoted and literal-quote lines; False when some line may open a multi-line
        record (or is otherwise oddly quoted)."""
        idx = np.flatnonzero(self._having(_QUOTE))
        if not len(idx):
            return True
        some = self.lines.take(pa.array(idx))
        strict = _mask(pc.match_substring_regex(some, _strict_line(self.sep)))
        opens = _mask(pc.match_substring_regex(some, f'(?:^|{_re(self.sep)})"'))
        if (~strict & opens).any():
            return False
        self.quoted[idx[strict]] = True
        self.literal[idx[~strict]] = True
        return True

    def field_counts(self) -> np.ndarray:
        """Fields per line (separators outside quoted fields, plus one)."""
        if ord(self.sep) < 0x80:
            counts = self._having(ord(self.sep)) + 1
        else:
            counts = pc.count_substring(self.lines, self.sep).to_numpy().astype("int64") + 1
        if self.quoted.any():
            idx = np.flatnonzero(self.quoted)
            bare = pc.replace_substring_regex(self.lines.take(pa.array(idx)), _QUOTED, "")
            counts[idx] = pc.count_substring(bare, self.sep).to_numpy().astype("int64") + 1
        return counts

    def kept(self) -> np.ndarray:
        """True for the lines that are records (some field not blank, as ``str.strip`` says)."""
        # A letter, a digit or printable ASCII (other than the separator or a quote) is
        # field content that is not blank; the other lines are checked one by one.
        kept = _mask(pc.match_substring_regex(self.lines, _content(self.sep)))
        unsure = np.flatnonzero(~kept)
        if len(unsure):
            kept[unsure] = [bool("".join(r).strip()) for r in self.python(unsure)]
        return kept

    def rows(self, idx: np.ndarray) -> pa.Array:
        """Lines ``idx`` (sorted); a zero-copy slice when they follow each other."""
        if len(idx) and int(idx[-1]) - int(idx[0]) + 1 == len(idx):
            return self.lines.slice(int(idx[0]), len(idx))
        return self.lines.take(pa.array(idx, pa.int64()))

    def python(self, idx: np.ndarray) -> list[list[str]]:
        """The records of lines ``idx``, split by the csv module."""
        texts = self.lines.take(pa.array(idx, pa.int64())).to_pylist()
        return [one_line(t[:-1] if t.endswith("\n") else t, self.sep) for t in texts]

    def arrow(self, idx: np.ndarray, width: int) -> list[pa.Array] | None:
        """Lines ``idx`` (``width`` fields each) parsed by pyarrow.csv; None if it disagrees."""
        some = self.rows(idx)
        if some[0].as_py().startswith(_BOM):
            return None  # pyarrow would drop a byte-order mark at the start of its input
        offsets = np.frombuffer(some.buffers()[1], dtype="int64")
        data = some.buffers()[2][int(offsets[some.offset]):int(offsets[some.offset + len(some)])]
        if data.slice(len(data) - 1).to_pybytes() != b"\n":
            data = pa.py_buffer(data.to_pybytes() + b"\n")  # pyarrow wants a last line end
        longest = int(pc.max(pc.binary_length(some)).as_py() or 0)
        quoting = bool(self.quoted[idx].any())
        try:
            table = pacsv.read_csv(
                pa.BufferReader(data),
                read_options=pacsv.ReadOptions(autogenerate_column_names=True,
                                               block_size=max(1 << 22, 2 * longest + 2)),
                parse_options=pacsv.ParseOptions(
                    delimiter=self.sep, quote_char='"' if quoting else False,
                    double_quote=True, escape_char=False, newlines_in_values=False,
                    ignore_empty_lines=False),
                convert_options=pacsv.ConvertOptions(
                    column_types={f"f{j}": pa.string() for j in range(width)},
                    strings_can_be_null=False, quoted_strings_can_be_null=False))
        except pa.ArrowInvalid:
            return None
        if table.num_rows != len(idx) or table.num_columns != width:
            return None  # never a silently lost row or field
        return [pc.cast(c.combine_chunks(), pa.string()) for c in table.columns]


def _merge(arrow_cols: list[pa.Array], n_arrow: int, python_rows: list[list[str]],
           order: np.ndarray) -> list[pa.Array]:
    """Arrow-parsed columns and csv-parsed rows, put back in file order (``order``)."""
    if not python_rows:
        return arrow_cols
    extra = columns_from_rows(python_rows, 0)
    take = pa.array(order, pa.int64())
    out = []
    for j in range(max(len(arrow_cols), len(extra))):
        a = arrow_cols[j] if j < len(arrow_cols) else pa.nulls(n_arrow, pa.string())
        b = extra[j] if j < len(extra) else pa.nulls(len(python_rows), pa.string())
        out.append(pa.concat_arrays([a, b]).take(take))
    return out


def _parse(lines: _Lines, kept: np.ndarray, counts: np.ndarray) -> list[pa.Array] | None:
    """Every record as columns: regular lines by pyarrow, odd ones by the csv module."""
    odd = lines.literal[kept]
    width = int(np.bincount(counts[kept][~odd]).argmax()) if (~odd).any() else 0
    regular = ~odd & (counts[kept] == width)
    arrow_cols: list[pa.Array] = []
    if regular.any():
        parsed = lines.arrow(kept[regular], width)
        if parsed is None:
            return None
        arrow_cols = parsed
    order = np.argsort(np.concatenate([np.flatnonzero(regular), np.flatnonzero(~regular)]),
                       kind="stable")
    return _merge(arrow_cols, int(regular.sum()), lines.python(kept[~regular]), order)


def arrow_records(text: str, sep: str, head_size: int) -> Records | None:
    """Split ``text`` (``\\n`` line ends) like :func:`.records.python_records`, fast; ``None``
    when the text has records this splitter cannot guarantee to read the same way."""
    if len(sep) != 1 or sep in '"\r\n':
        return None
    lines = _Lines(text, sep)
    if not lines.classify_quotes():
        return None
    if np.diff(lines.offsets).max(initial=0) >= csv.field_size_limit():
        return None  # the csv module refuses such a field: let it say so
    counts = lines.field_counts()
    kept = np.flatnonzero(lines.kept())
    columns = _parse(lines, kept, counts)
    if columns is None:
        return None
    kept_counts = counts[kept]

    def body(start: int, min_width: int) -> list[pa.Array]:
        n = len(kept) - start
        width = max(min_width, int(kept_counts[start:].max(initial=0)))
        out = [c.slice(start) for c in columns[:width]]
        return out + [pa.nulls(n, pa.string()) for _ in range(width - len(out))]

    return Records(kept.astype("int64") + 1, lines.python(kept[:head_size]), "arrow", body)
