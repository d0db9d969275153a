"""Where a problem is: file, sheet and A1 cell of a table's row and column.

A :class:`TableLocator` turns (column, row) into a located :class:`~backoffice_lib.issues.Issue`.
For a loaded table it uses the :class:`~backoffice_lib.provenance.SourceInfo` in
``frame.attrs["source"]`` (the cell points at the original file, header offset included);
for a frame built by hand, file, sheet and cell stay empty and ``row`` is the index value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..issues import Issue
from ..provenance import SourceInfo, source_of

__all__ = ["TableLocator"]


@dataclass(frozen=True)
class TableLocator:
    """Locates the issues of one canonical table.

    Parameters
    ----------
    table: canonical table name (the key of the mapping given to ``validate``).
    source: provenance of the frame, ``None`` for a frame built by hand.
    """

    table: str
    source: SourceInfo | None = None

    @classmethod
    def of(cls, table: str, frame: pd.DataFrame) -> TableLocator:
        """The locator of ``frame``, holding ``table``."""
        return cls(table=table, source=source_of(frame))

    @property
    def file(self) -> str | None:
        """Path of the source file, if known."""
        return self.source.file if self.source else None

    @property
    def sheet(self) -> str | None:
        """Sheet of the source file, if any."""
        return self.source.sheet if self.source else None

    def header(self, column: str | None) -> str | None:
        """The column's header as written in the file (``None`` when unknown)."""
        if self.source is None or column is None:
            return None
        return self.source.headers.get(column)

    def cell(self, column: str | None, row: Any) -> str | None:
        """A1 reference of ``column`` at source row ``row``, if known."""
        row = _as_row(row)
        if self.source is None or column is None or row is None:
            return None
        return self.source.cell(column, row)

    def issue(self, rule: str, column: str | None = None, row: Any = None, value: Any = None,
              **params: Any) -> Issue:
        """An :class:`Issue` of ``rule`` at ``column`` × ``row`` of this table."""
        header = self.header(column)
        if header:
            params.setdefault("header", header)
        return Issue(
            rule=rule, file=self.file, sheet=self.sheet, cell=self.cell(column, row),
            row=_as_row(row), table=self.table, column=column,
            value=value, params=params,
        )


def _as_row(value: Any) -> int | None:
    """An index value as a row number (``None`` when it is not an integer)."""
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number == value else None
