"""The validation report: every problem found, as a table, as text, HTML and Excel.

A :class:`ValidationReport` keeps the raw :class:`~backoffice_lib.issues.Issue` records
and renders them in any language: ``.issues`` (a tidy DataFrame with
:data:`~backoffice_lib.issues.ISSUE_COLUMNS`, errors first), ``to_text`` for the command
line, ``to_html`` and ``to_excel`` for the full list. ``error`` blocks the close;
``warning`` does not.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..errors import InputValidationError, format_location
from ..i18n import get_language, t
from ..i18n.formatting import format_number
from ..issues import ERROR, ISSUE_COLUMNS, RULES, WARNING, Issue, issues_frame
from .render import localize

__all__ = ["ValidationReport"]

#: Lines shown per rule and file by :meth:`ValidationReport.to_text` before "… and N more".
TEXT_LINES_PER_RULE = 10

_RULE_RANK = {rule: rank for rank, rule in enumerate(RULES)}


class ValidationReport:
    """Every problem found in a set of tables.

    Parameters
    ----------
    issues: the problems, in any order.
    lang: language of :attr:`issues` and of ``str(report)`` (default: the one in force).
    tables: canonical table → number of rows checked (for the summary line).
    """

    def __init__(self, issues: Sequence[Issue], *, lang: str | None = None,
                 tables: Mapping[str, int] | None = None) -> None:
        self.records: tuple[Issue, ...] = tuple(issues)
        self.lang = lang
        self.tables: dict[str, int] = dict(tables or {})

    # ------------------------------------------------------------------ tables

    def frame(self, lang: str | None = None) -> pd.DataFrame:
        """The issues table in ``lang``: :data:`ISSUE_COLUMNS`, errors first, then by place."""
        lang = lang or self.lang
        return issues_frame((localize(i, lang) for i in self.records), lang)

    @cached_property
    def issues(self) -> pd.DataFrame:
        """Every issue (columns :data:`ISSUE_COLUMNS`), errors first."""
        return self.frame()

    @property
    def errors(self) -> pd.DataFrame:
        """The issues that block the close."""
        return self.issues[self.issues["severity"] == ERROR].reset_index(drop=True)

    @property
    def warnings(self) -> pd.DataFrame:
        """The issues that do not block the close."""
        return self.issues[self.issues["severity"] == WARNING].reset_index(drop=True)

    @property
    def error_count(self) -> int:
        """Number of errors."""
        return sum(i.severity == ERROR for i in self.records)

    @property
    def warning_count(self) -> int:
        """Number of warnings."""
        return sum(i.severity == WARNING for i in self.records)

    @property
    def ok(self) -> bool:
        """True when no issue blocks the close (warnings allowed)."""
        return self.error_count == 0

    def counts(self) -> pd.DataFrame:
        """Issues by table × rule × severity: columns ``table, rule, severity, count``."""
        frame = pd.DataFrame(
            [(i.table, i.rule, i.severity) for i in self.records],
            columns=["table", "rule", "severity"],
        )
        counts = frame.value_counts(dropna=False).rename("count").reset_index()
        order = counts["severity"].map({ERROR: 0, WARNING: 1})
        counts = (counts.assign(_o=order)
                  .sort_values(["_o", "table", "rule"], kind="stable")
                  .drop(columns="_o").reset_index(drop=True))
        return counts.astype({"count": "int64"})

    # ------------------------------------------------------------------ text

    def summary(self, lang: str | None = None) -> str:
        """One line: how many errors and warnings in how many tables and rows."""
        lang = lang or self.lang
        numbers = {
            "tables": format_number(len(self.tables), lang),
            "rows": format_number(sum(self.tables.values()), lang),
            "errors": format_number(self.error_count, lang),
            "warnings": format_number(self.warning_count, lang),
        }
        key = "clean" if not self.records else "problems"
        return t(f"validation.summary.{key}", lang, **numbers)

    def to_text(self, lang: str | None = None, max_per_rule: int = TEXT_LINES_PER_RULE) -> str:
        """Readable text: the summary, then one block per file, ``max_per_rule`` lines per rule.

        Each line reads ``file › sheet › cell: message [RULE]``; the rest of a rule's lines
        are counted in ``… and N more`` (the full list is in the HTML and Excel reports).
        """
        lang = lang or self.lang
        lines = [self.summary(lang)]
        groups: dict[str, list[Issue]] = {}
        for issue in sorted(self.records, key=_text_order):
            groups.setdefault(_group_name(issue), []).append(issue)
        for name, issues in groups.items():
            lines += ["", name]
            for rule, same in itertools.groupby(issues, key=lambda i: i.rule):
                same = list(same)
                lines += [f"  {_line(localize(i, lang), lang)}" for i in same[:max_per_rule]]
                if len(same) > max_per_rule:
                    more = t("validation.more", lang,
                             count=format_number(len(same) - max_per_rule, lang))
                    lines.append(f"  {more} [{rule}]")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return (f"<ValidationReport: {self.error_count} error(s), "
                f"{self.warning_count} warning(s) in {len(self.tables)} table(s)>")

    def _repr_html_(self) -> str:
        """A notebook shows the summary and the first issues as a table."""
        from .report_html import html_fragment

        return html_fragment(self, self.lang, limit=50)

    # ------------------------------------------------------------------ files

    def display_frame(self, lang: str | None = None) -> pd.DataFrame:
        """The issues as a reader sees them: file names, severities in ``lang``."""
        lang = lang or self.lang
        return displayed(self.frame(lang), lang)

    def column_labels(self, lang: str | None = None) -> dict[str, str]:
        """Column name → header in ``lang``, for the issues and counts tables."""
        lang = lang or self.lang
        names = [*ISSUE_COLUMNS, "count"]
        return {c: t(f"validation.columns.{c}", lang) for c in names}

    def to_html(self, path: str | Path, lang: str | None = None) -> Path:
        """Write the whole report as one self-contained HTML page; returns its path."""
        from .report_html import write_html

        return write_html(self, Path(path), lang or self.lang or get_language())

    def to_excel(self, path: str | Path, lang: str | None = None) -> Path:
        """Write the issues and the counts to an Excel workbook; returns its path."""
        from ..report.excel import write_workbook

        lang = lang or self.lang
        counts = self.counts()
        counts["severity"] = counts["severity"].map(lambda s: t(f"validation.severity.{s}", lang))
        sheets = {
            t("validation.sheets.issues", lang): self.display_frame(lang),
            t("validation.sheets.counts", lang): counts,
        }
        return write_workbook(Path(path), sheets, lang=lang, headers=self.column_labels(lang),
                              formats={name: {"row": "integer", "count": "integer"}
                                       for name in sheets})

    # ------------------------------------------------------------------ errors

    def raise_for_errors(self) -> ValidationReport:
        """Raise :class:`~backoffice_lib.errors.InputValidationError` if any error; else self."""
        if not self.ok:
            raise InputValidationError(report=self, count=self.error_count)
        return self


def _text_order(issue: Issue) -> tuple:
    severity = 0 if issue.severity == ERROR else 1
    rank = _RULE_RANK.get(issue.rule, len(_RULE_RANK))
    return (_group_name(issue), severity, rank, issue.sheet or "",
            issue.row if issue.row is not None else -1)


def _group_name(issue: Issue) -> str:
    """The block a line goes in: the file's name, or ``(table)`` for a frame made by hand."""
    if issue.file:
        return format_location(issue.file)
    return f"({issue.table})" if issue.table else "()"


def _line(issue: Issue, lang: str | None) -> str:
    """``file › sheet › cell: message [RULE]`` (table › row N for a frame made by hand)."""
    if issue.file:
        place = format_location(issue.file, issue.sheet, issue.cell)
    else:
        parts = [issue.table or ""]
        if issue.row is not None:
            parts.append(t("validation.row", lang, row=issue.row))
        place = " › ".join(p for p in parts if p)
    return f"{place}: {issue.message(lang)} [{issue.rule}]"


def displayed(frame: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    """An issues table with file names instead of paths and severities in ``lang``."""
    return frame.assign(
        file=frame["file"].map(format_location, na_action="ignore"),
        severity=frame["severity"].map(lambda s: t(f"validation.severity.{s}", lang)),
    )
