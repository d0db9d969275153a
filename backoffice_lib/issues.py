"""Data-quality issues: one record per problem found in a user's data.

The loader records the values it could not read (and the rows it set aside, such as
a totals row); validation adds schema and cross-table problems. All of them share
this record, so one report lists everything with the same columns: where
(file, sheet, A1 cell, row), what (table, column, value), which rule, how serious
(``error`` blocks the close, ``warning`` does not) and a message in the run's
language.

Rule codes are stable identifiers (tests and ``defects.json`` use them); their texts
live in the catalogues under ``rules.<CODE>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .i18n import t

__all__ = ["ERROR", "ISSUE_COLUMNS", "RULES", "WARNING", "Issue", "issues_frame"]

ERROR = "error"
WARNING = "warning"

#: Every rule code and its default severity.
RULES: dict[str, str] = {
    # reading values (loader)
    "INVALID_NUMBER": ERROR,
    "INVALID_DATE": ERROR,
    "AMBIGUOUS_DATE": ERROR,
    "INVALID_PERIOD": ERROR,
    "INVALID_VALUE": ERROR,
    "MISSING_VALUE": ERROR,
    "TOTAL_ROW_EXCLUDED": WARNING,
    "DUPLICATE_HEADER": WARNING,
    # one table (schemas)
    "MISSING_COLUMN": ERROR,
    "INVALID_TYPE": ERROR,
    "OUT_OF_RANGE": ERROR,
    "DUPLICATE_KEY": ERROR,
    "EXIT_BEFORE_HIRE": ERROR,
    "POSTING_OUTSIDE_PERIOD": WARNING,
    # across tables
    "UNKNOWN_COST_CENTER": ERROR,
    "UNKNOWN_ACCOUNT": WARNING,
    "UNKNOWN_EMPLOYEE": ERROR,
    "UNKNOWN_MANAGER": WARNING,
    "UNKNOWN_SKU": ERROR,
    "UNBALANCED_ENTRY": ERROR,
    "DATE_ORDER": ERROR,
    "DUPLICATE_INVOICE": ERROR,
    "MISSING_PERIOD": ERROR,
    "NEGATIVE_STOCK": ERROR,
}

#: Columns of an issues table, in display order.
ISSUE_COLUMNS = [
    "file", "sheet", "cell", "row", "table", "column", "value", "rule", "severity", "message",
]


@dataclass(frozen=True)
class Issue:
    """One problem at one place.

    ``row`` is the row number the user sees (Excel row, or line of a text file);
    ``cell`` its A1 reference when a single cell is at fault (``D17``).
    ``params`` fill the placeholders of the rule's message; ``params["header"]``, when
    given, is the column's header as written in the file and names the column in the
    message (``column`` stays the canonical name).
    """

    rule: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    table: str | None = None
    column: str | None = None
    value: Any = None
    severity: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"unknown rule code {self.rule!r}")
        if not self.severity:
            object.__setattr__(self, "severity", RULES[self.rule])

    def message(self, lang: str | None = None) -> str:
        """The rule's text in ``lang``, with this issue's column, value and params."""
        value = "" if self.value is None else str(self.value)
        params = dict(self.params)
        # Name the column as the user wrote it in the file when the loader knows it.
        column = params.pop("header", None) or self.column or ""
        return t(f"rules.{self.rule}", lang, column=column, value=value, **params)

    def as_row(self, lang: str | None = None) -> dict[str, Any]:
        """This issue as a row of :func:`issues_frame`."""
        return {
            "file": self.file, "sheet": self.sheet, "cell": self.cell, "row": self.row,
            "table": self.table, "column": self.column,
            "value": None if self.value is None else str(self.value),
            "rule": self.rule, "severity": self.severity, "message": self.message(lang),
        }


def issues_frame(issues: Iterable[Issue], lang: str | None = None) -> pd.DataFrame:
    """A tidy table of issues (columns :data:`ISSUE_COLUMNS`), errors first."""
    frame = pd.DataFrame([i.as_row(lang) for i in issues], columns=ISSUE_COLUMNS)
    frame["row"] = frame["row"].astype("Int64")
    order = frame["severity"].map({ERROR: 0, WARNING: 1}).fillna(2)
    return (
        frame.assign(_o=order)
        .sort_values(["_o", "file", "sheet", "row"], kind="stable", na_position="last")
        .drop(columns="_o")
        .reset_index(drop=True)
    )
