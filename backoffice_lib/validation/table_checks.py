"""Run a table's pandera schema and turn its failure cases into located issues.

:func:`check_table` checks one canonical table on its own: column types
(:func:`~.schemas.kind_matches`), then the schema of :mod:`.schemas`, validated lazily so
that every problem is reported at once. pandera's tidy ``failure_cases``
(``column, check, failure_case, index``) become :class:`~backoffice_lib.issues.Issue`
records at the original cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from ..i18n.formatting import is_missing
from ..issues import RULES, Issue
from ..tables import TableSpec, get_table
from .location import TableLocator
from .render import Translated
from .schemas import BOUNDS, kind_matches, schema_for

__all__ = ["TableCheck", "check_table"]

# pandera's own check names → our rule codes.
_PANDERA_RULES = {
    "not_nullable": "MISSING_VALUE",
    "column_in_dataframe": "MISSING_COLUMN",
    "multiple_fields_uniqueness": "DUPLICATE_KEY",
}


@dataclass(frozen=True)
class TableCheck:
    """What :func:`check_table` found: the issues, and the columns rules can rely on."""

    issues: list[Issue]
    usable: frozenset[str]


def check_table(table: str, frame: pd.DataFrame, locator: TableLocator) -> TableCheck:
    """Check ``frame`` against the schema of canonical table ``table``.

    Columns with a wrong type get one ``INVALID_TYPE`` issue each and are left out of
    the value checks; ``usable`` lists the columns present with a fitting type.
    """
    spec = get_table(table)
    issues, wrong = _type_issues(spec, frame, locator)
    usable = frozenset(c for c in spec.column_names if c in frame.columns and c not in wrong)
    schema = _schema_without(schema_for(table), spec, wrong)
    try:
        schema.validate(frame, lazy=True, inplace=True)
    except SchemaErrors as exc:
        issues.extend(_failure_issues(spec, frame, exc.failure_cases, locator))
    return TableCheck(issues=issues, usable=usable)


def _type_issues(spec: TableSpec, frame: pd.DataFrame,
                 locator: TableLocator) -> tuple[list[Issue], set[str]]:
    issues, wrong = [], set()
    for column in spec.columns:
        if column.name in frame.columns and not kind_matches(column.kind, frame[column.name]):
            wrong.add(column.name)
            dtype = str(frame[column.name].dtype)
            kind = Translated(f"validation.kinds.{column.kind}")
            issues.append(locator.issue("INVALID_TYPE", column.name, value=dtype, kind=kind))
    return issues, wrong


def _schema_without(schema: pa.DataFrameSchema, spec: TableSpec,
                    wrong: set[str]) -> pa.DataFrameSchema:
    """``schema`` minus the mistyped columns (and its key check if the key is incomplete)."""
    if not wrong:
        return schema
    reduced = schema.remove_columns(sorted(wrong))
    if wrong & set(spec.primary_key):
        reduced.unique = None
    return reduced


def _failure_issues(spec: TableSpec, frame: pd.DataFrame, failures: pd.DataFrame,
                    locator: TableLocator) -> Iterator[Issue]:
    duplicates = failures[failures["check"] == "multiple_fields_uniqueness"]
    for failure in failures[failures["check"] != "multiple_fields_uniqueness"].itertuples():
        rule = _PANDERA_RULES.get(failure.check, failure.check)
        if rule == "MISSING_COLUMN":
            yield locator.issue(rule, failure.failure_case)
        elif rule in RULES:
            yield _value_issue(spec, rule, failure, locator)
        else:  # a check this module does not know: a bug in schemas.py, not in the data
            raise RuntimeError(f"{spec.name}: unexpected pandera check {failure.check!r}")
    if not duplicates.empty:
        yield from _duplicate_key_issues(spec, duplicates, locator)


def _value_issue(spec: TableSpec, rule: str, failure, locator: TableLocator) -> Issue:
    column = spec.column(failure.column)
    params = {}
    if rule == "INVALID_VALUE":
        params["allowed"] = ", ".join(column.allowed)
    elif rule == "OUT_OF_RANGE":
        params["bounds"] = BOUNDS[spec.name][column.name]
    value = None if rule == "MISSING_VALUE" else failure.failure_case
    return locator.issue(rule, column.name, failure.index, value, **params)


def _duplicate_key_issues(spec: TableSpec, duplicates: pd.DataFrame,
                          locator: TableLocator) -> Iterator[Issue]:
    """One DUPLICATE_KEY per repeated row, at its first key column.

    Rows whose required key part is empty are left out: MISSING_VALUE covers them.
    """
    key = list(spec.primary_key)
    required = [c for c in key if not spec.column(c).nullable]
    headers = " + ".join(locator.header(c) or c for c in key)
    for row, found in duplicates.groupby("index", sort=False):
        values = dict(zip(found["column"], found["failure_case"], strict=True))
        if any(is_missing(values.get(c)) for c in required):
            continue
        shown = " / ".join("" if is_missing(values.get(c)) else str(values[c]) for c in key)
        yield locator.issue("DUPLICATE_KEY", key[0], row, shown, header=headers)
