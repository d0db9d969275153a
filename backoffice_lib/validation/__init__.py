"""Check canonical tables and list every problem with its file, sheet and cell.

::

    report = validate({"gl_lines": gl, "cost_centers": ccs})
    print(report)                    # summary, then file › sheet › cell: message [RULE]
    report.issues                    # the full table (file, sheet, cell, row, ... message)
    report.raise_for_errors()        # InputValidationError if anything blocks the close

What runs, in order, for the tables given (a table that is absent skips its rules):

1. the loader's issues, from ``frame.attrs["source"].issues`` (values it could not read);
2. each table's pandera schema, lazily (:mod:`.schemas`, :mod:`.table_checks`): required
   columns, types, empty values, allowed values, ranges, unique keys;
3. rules across columns and tables (:mod:`.rules`): references known, ledger entries
   balanced, dates in order, no duplicate invoice, no missing month, stock never negative;
4. :mod:`.merge` drops what the loader already said about the same cell.

Modules: ``location`` (where an issue is), ``schemas``, ``table_checks``, ``rules``,
``vectors`` (exact cents, periods), ``merge``, ``render`` (values in the reader's
language), ``report`` (:class:`ValidationReport`), ``report_html``, ``cli``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from ..provenance import source_of
from ..tables import get_table
from .location import TableLocator
from .merge import merge_issues, with_table
from .report import ValidationReport
from .rules import RuleContext, run_rules
from .table_checks import check_table

__all__ = ["ValidationReport", "account_prefixes", "validate"]


def account_prefixes(tables: Mapping[str, pd.DataFrame],
                     account_map: pd.DataFrame | None = None) -> tuple[str, ...]:
    """Prefixes that make an account known.

    ``account_map`` when given, as is; else the default PCG map
    (:func:`backoffice_lib.accounts.default_account_map`) with the ``account_map`` table of
    ``tables`` laid over it, when present.
    """
    from ..accounts import default_account_map, merge_account_maps

    if account_map is None:
        account_map = default_account_map()
        if "account_map" in tables:
            account_map = merge_account_maps(account_map, tables["account_map"])
    prefixes = account_map["account_prefix"].dropna().astype(str).str.strip()
    return tuple(sorted(set(prefixes) - {""}))


def validate(
    tables: Mapping[str, pd.DataFrame],
    *,
    account_map: pd.DataFrame | None = None,
    periods: Sequence[str] | None = None,
    lang: str | None = None,
) -> ValidationReport:
    """Check canonical tables alone and together; every problem found, at once.

    Parameters
    ----------
    tables:
        Canonical table name → frame, as returned by ``load_table(path, table=...)``
        (index ``source_row``, ``attrs["source"]`` a SourceInfo). Frames built by hand
        validate too; their issues have no file, sheet or cell, and ``row`` is the index.
    account_map:
        The account map that decides which accounts are known (columns
        ``account_prefix, category, nature``); default: see :func:`account_prefixes`.
    periods:
        Months (``YYYY-MM``) the ledger and payroll must cover; default: every month
        between the first and the last period found.
    lang:
        Language of the report's messages (default: the one in force).

    Returns
    -------
    ValidationReport
        ``.ok`` is False when an error blocks the close.

    Raises
    ------
    ValueError
        A key of ``tables`` is not a canonical table name.
    """
    for name in tables:
        get_table(name)
    loader, found, usable, locators = [], [], {}, {}
    for name, frame in tables.items():
        locators[name] = TableLocator.of(name, frame)
        source = source_of(frame)
        if source is not None:
            loader += with_table(source.issues, name)
        checked = check_table(name, frame, locators[name])
        found += checked.issues
        usable[name] = checked.usable
    context = RuleContext(
        frames=dict(tables), locators=locators, usable=usable,
        account_prefixes=account_prefixes(tables, account_map), periods=periods,
    )
    found += run_rules(context)
    return ValidationReport(merge_issues(loader, found), lang=lang,
                            tables={name: len(frame) for name, frame in tables.items()})
