"""Where a loaded table came from, cell by cell.

:func:`backoffice_lib.load_table` returns a DataFrame whose index is the row number the
user sees in the source (Excel row, or line of a text file; named ``source_row``) and
whose ``attrs["source"]`` is a :class:`SourceInfo`: the file, sheet, header row, the
column letter of each canonical column, the content hash, and the issues met while
reading (values that could not be parsed, a totals row set aside...).

With these, validation names the exact original cell of any problem
(``grand_livre.xlsx › Écritures › F1234``) even after rows were skipped.

``SourceInfo`` is immutable and returns itself from ``__deepcopy__``: pandas deep-copies
``attrs`` on most operations, and that copy must stay free.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from .issues import Issue

__all__ = ["SourceInfo", "column_letter", "source_of"]


def column_letter(index: int) -> str:
    """0-based column index → Excel letters: 0 → ``A``, 27 → ``AB``."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class SourceInfo:
    """Provenance of a loaded table.

    Parameters
    ----------
    file: absolute path of the input file.
    sheet: sheet name (``None`` for text files).
    format: ``xlsx``, ``xls``, ``ods``, ``csv``, ``fec``, ``parquet``...
    header_row: 1-based row of the header (0 when the file has none).
    columns: canonical (or found) column → column letter(s) in the source, e.g.
        ``{"amount": "F:G"}`` when debit and credit were folded.
    headers: canonical column → header as written in the file (``"Débit / Crédit"``).
    sha256: hash of the file's bytes.
    table: canonical table name, or ``None`` for a sheet as found.
    issues: problems met while reading, each already located.
    """

    file: str
    sheet: str | None = None
    format: str = ""
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    sha256: str = ""
    table: str | None = None
    issues: tuple[Issue, ...] = ()

    def __deepcopy__(self, memo: dict) -> SourceInfo:
        return self

    def __hash__(self) -> int:
        return hash((self.file, self.sheet, self.sha256, self.table))

    def cell(self, column: str, row: int | None) -> str | None:
        """A1 reference of ``column`` at source row ``row`` (first letter if folded)."""
        letters = self.columns.get(column)
        if not letters or row is None:
            return None
        return f"{letters.split(':')[0]}{int(row)}"

    def issue(self, rule: str, column: str | None = None, row: int | None = None,
              value: Any = None, **params: Any) -> Issue:
        """An :class:`Issue` located in this source (file, sheet, cell from column and row)."""
        if column and column in self.headers:
            params.setdefault("header", self.headers[column])
        return Issue(
            rule=rule, file=self.file, sheet=self.sheet,
            cell=self.cell(column, row) if column else None, row=row,
            table=self.table, column=column, value=value, params=params,
        )

    def with_issues(self, issues: tuple[Issue, ...]) -> SourceInfo:
        """A copy with ``issues`` added."""
        return replace(self, issues=self.issues + tuple(issues))


def source_of(frame: pd.DataFrame) -> SourceInfo | None:
    """The :class:`SourceInfo` of a loaded frame, if it has one."""
    info = frame.attrs.get("source")
    return info if isinstance(info, SourceInfo) else None
