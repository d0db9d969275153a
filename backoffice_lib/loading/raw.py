"""A sheet as read, before any canonical mapping: columns as written, rows as numbered.

Every reader (Excel worker, text, parquet) produces a :class:`RawTable`; header
detection has already run, so each column has its header text (or its letter when the
sheet has no header) and each row its number as the user sees it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..provenance import column_letter
from .values import is_blank, is_text

__all__ = ["RawColumn", "RawTable"]


@dataclass
class RawColumn:
    """One column: header text, header variants for matching, letter(s), values."""

    name: str
    letter: str
    values: pa.Array
    variants: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        """The header as written, or the column letter when blank."""
        return self.name or self.letter


@dataclass
class RawTable:
    """A table as found in one sheet or text file.

    ``rows`` holds the source row number of each row (1-based Excel row, or physical
    line of a text file); ``header_row`` the (last) header row, 0 when there is none.
    """

    file: str
    sheet: str | None
    format: str
    header_row: int
    columns: list[RawColumn]
    rows: np.ndarray
    date1904: bool = False
    sha256: str = ""
    notes: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    def blank_cells(self) -> np.ndarray:
        """Boolean matrix (columns × rows) of empty cells, text columns checked in one pass."""
        n = len(self.rows)
        out = np.ones((len(self.columns), n), dtype=bool)
        text = [j for j, c in enumerate(self.columns) if is_text(c.values)]
        if text and n:
            joined = pa.concat_arrays([pc.cast(self.columns[j].values, pa.string())
                                       for j in text])
            out[text] = is_blank(joined).reshape(len(text), n)
        text_set = set(text)
        for j, col in enumerate(self.columns):
            if j not in text_set:
                out[j] = is_blank(col.values)
        return out

    def drop_blank_rows(self) -> RawTable:
        """Without the rows where every cell is empty (they carry no data)."""
        if not self.columns or not len(self.rows):
            return self
        # Cheap exit: a column with a value on every row means no row is wholly blank.
        fullest = min(self.columns, key=lambda c: c.values.null_count)
        if not is_blank(fullest.values).any():
            return self
        blank = self.blank_cells().all(axis=0)
        if not blank.any():
            return self
        return self.take(np.flatnonzero(~blank))

    def take(self, index: np.ndarray) -> RawTable:
        """The rows at positions ``index``."""
        idx = pa.array(index, pa.int64())
        cols = [RawColumn(c.name, c.letter, c.values.take(idx), c.variants) for c in self.columns]
        return RawTable(self.file, self.sheet, self.format, self.header_row, cols,
                        self.rows[index], self.date1904, self.sha256, dict(self.notes))


def make_columns(names: list[str], variants: list[tuple[str, ...]], arrays: list[pa.Array],
                 absolute: list[int]) -> list[RawColumn]:
    """Columns from parallel lists; ``absolute`` are 0-based sheet column numbers."""
    arrays = [(a.chunk(0) if a.num_chunks == 1 else a.combine_chunks())
              if isinstance(a, pa.ChunkedArray) else a for a in arrays]
    return [
        RawColumn(name=(names[i] if i < len(names) else "").strip(),
                  letter=column_letter(absolute[i]), values=arrays[i],
                  variants=variants[i] if i < len(variants) else ())
        for i in range(len(arrays))
    ]
