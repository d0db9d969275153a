"""One problem, one line: merge the loader's issues with validation's without repeats.

- A cell the loader already flagged (``INVALID_NUMBER`` → the value became NA) gets no
  second issue from validation (no ``MISSING_VALUE`` for the same cell).
- A repeated (vendor, invoice number) is ``DUPLICATE_INVOICE``, not also ``DUPLICATE_KEY``.
- The same rule at the same place is reported once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..issues import Issue

__all__ = ["merge_issues", "with_table"]

#: rule → the rule it supersedes at the same row of the same table.
SUPERSEDES = {"DUPLICATE_INVOICE": "DUPLICATE_KEY"}


def _cell_key(issue: Issue) -> tuple | None:
    if issue.row is None or issue.column is None:
        return None
    return (issue.table, issue.column, issue.row)


def merge_issues(loader: Iterable[Issue], found: Iterable[Issue]) -> list[Issue]:
    """The loader's issues, then validation's issues that add something new."""
    loader = list(loader)
    flagged = {key for key in map(_cell_key, loader) if key is not None}
    found = [i for i in found if _cell_key(i) is None or _cell_key(i) not in flagged]
    superseded = {(SUPERSEDES[i.rule], i.table, i.row) for i in found if i.rule in SUPERSEDES}
    seen: set[tuple] = set()
    kept = []
    for issue in found:
        place = (issue.table, issue.row)
        if (issue.rule, *place) in superseded:
            continue
        key = (issue.rule, issue.file, issue.sheet, issue.table, issue.column, issue.row,
               str(issue.value))
        if key not in seen:
            seen.add(key)
            kept.append(issue)
    return loader + kept


def with_table(issues: Iterable[Issue], table: str) -> list[Issue]:
    """``issues`` with ``table`` filled in where the loader left it empty."""
    return [i if i.table else replace(i, table=table) for i in issues]
