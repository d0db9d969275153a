"""Rules across columns and tables, one small function per rule.

Each rule takes a :class:`RuleContext` (the tables present, their usable columns and
locators) and returns the issues it finds, located at the cell to fix. A rule whose
tables or columns are absent returns nothing: ``validate`` runs only what it can.
Empty values are skipped everywhere (they are reported once, as ``MISSING_VALUE`` or by
the loader), and detection is vectorised: Python loops run over failing rows only.

Rules (codes in :data:`backoffice_lib.issues.RULES`):

- references: ``UNKNOWN_COST_CENTER``, ``UNKNOWN_ACCOUNT``, ``UNKNOWN_EMPLOYEE``,
  ``UNKNOWN_MANAGER``, ``UNKNOWN_SKU``;
- ledger: ``UNBALANCED_ENTRY``, ``POSTING_OUTSIDE_PERIOD``, ``MISSING_PERIOD``;
- invoices and dates: ``DATE_ORDER``, ``DUPLICATE_INVOICE``, ``EXIT_BEFORE_HIRE``;
- stock: ``NEGATIVE_STOCK``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from ..issues import Issue
from .location import TableLocator
from .vectors import cents, months_between, period_numbers

__all__ = ["RULE_FUNCTIONS", "RuleContext", "run_rules"]

#: Account classes treated as known when no account map is given (PCG classes 1–7).
DEFAULT_ACCOUNT_PREFIXES = ("1", "2", "3", "4", "5", "6", "7")

#: Dates that must not decrease from left to right, per table.
DATE_CHAINS: dict[str, tuple[str, ...]] = {
    "supplier_invoices": ("invoice_date", "received_date", "approved_date", "paid_date"),
    "absences": ("start_date", "end_date"),
    "service_requests": ("opened_at", "resolved_at"),
}

#: Flow tables that must have rows in every month of their span.
PERIOD_TABLES = ("gl_lines", "payroll")


@dataclass(frozen=True)
class RuleContext:
    """What the rules see.

    Parameters
    ----------
    frames: canonical tables by name.
    locators: one :class:`TableLocator` per table.
    usable: per table, the columns present with a fitting type.
    account_prefixes: prefixes of the account map (an account is known when one of them
        starts it).
    periods: months that must all have rows (``None``: every month between the first
        and the last period found).
    """

    frames: Mapping[str, pd.DataFrame]
    locators: Mapping[str, TableLocator]
    usable: Mapping[str, frozenset[str]]
    account_prefixes: tuple[str, ...] = DEFAULT_ACCOUNT_PREFIXES
    periods: Sequence[str] | None = None

    def has(self, table: str, *columns: str) -> bool:
        """Whether ``table`` is present with all ``columns`` usable."""
        return table in self.frames and set(columns) <= self.usable.get(table, frozenset())

    def issues_at(self, table: str, rule: str, column: str, mask: np.ndarray,
                  values: Iterable | None = None, **params: Sequence) -> list[Issue]:
        """One issue per row where ``mask`` holds, at ``column`` (values default to the cells).

        ``params`` are sequences aligned with the masked rows.
        """
        if not mask.any():
            return []
        frame = self.frames[table]
        rows = frame.index[mask]
        if values is None:
            values = frame[column].to_numpy(dtype=object)[mask]
        locator = self.locators[table]
        names = list(params)
        return [
            locator.issue(rule, column, row, value, **dict(zip(names, extra, strict=True)))
            for row, value, *extra in zip(rows, values, *params.values(), strict=True)
        ]


# --------------------------------------------------------------------------- references


def _unknown(ctx: RuleContext, table: str, column: str, known: pd.Series,
             rule: str) -> list[Issue]:
    if not ctx.has(table, column):
        return []
    values = ctx.frames[table][column]
    mask = (values.notna() & ~values.isin(known.dropna().unique())).to_numpy(dtype=bool)
    return ctx.issues_at(table, rule, column, mask)


def unknown_cost_centers(ctx: RuleContext) -> list[Issue]:
    """Cost centres of the ledger, budget and employees must be in ``cost_centers``."""
    if not ctx.has("cost_centers", "cost_center"):
        return []
    known = ctx.frames["cost_centers"]["cost_center"]
    return [issue for table in ("gl_lines", "budget", "employees")
            for issue in _unknown(ctx, table, "cost_center", known, "UNKNOWN_COST_CENTER")]


def unknown_employees(ctx: RuleContext) -> list[Issue]:
    """Every payroll and absence line's employee must be in ``employees``."""
    if not ctx.has("employees", "employee_id"):
        return []
    known = ctx.frames["employees"]["employee_id"]
    return [issue for table in ("payroll", "absences")
            for issue in _unknown(ctx, table, "employee_id", known, "UNKNOWN_EMPLOYEE")]


def unknown_managers(ctx: RuleContext) -> list[Issue]:
    """Managers of employees and cost centres should be employees (warning)."""
    if not ctx.has("employees", "employee_id"):
        return []
    known = ctx.frames["employees"]["employee_id"]
    return [issue for table in ("employees", "cost_centers")
            for issue in _unknown(ctx, table, "manager_id", known, "UNKNOWN_MANAGER")]


def unknown_skus(ctx: RuleContext) -> list[Issue]:
    """Stock movements, cycle counts and order lines must name a SKU of ``items``."""
    if not ctx.has("items", "sku"):
        return []
    known = ctx.frames["items"]["sku"]
    return [issue for table in ("stock_movements", "cycle_counts", "order_lines")
            for issue in _unknown(ctx, table, "sku", known, "UNKNOWN_SKU")]


def unknown_accounts(ctx: RuleContext) -> list[Issue]:
    """Ledger and budget accounts must match a prefix of the account map (warning)."""
    prefixes = frozenset(ctx.account_prefixes)
    issues = []
    for table in ("gl_lines", "budget"):
        if not ctx.has(table, "account"):
            continue
        accounts = ctx.frames[table]["account"]
        codes, uniques = pd.factorize(accounts)
        # the extra True is for code -1 (empty account: reported as MISSING_VALUE)
        known = np.array([_has_prefix(str(a), prefixes) for a in uniques] + [True])
        issues += ctx.issues_at(table, "UNKNOWN_ACCOUNT", "account", ~known[codes])
    return issues


def _has_prefix(account: str, prefixes: frozenset[str]) -> bool:
    return any(account[:n] in prefixes for n in range(1, len(account) + 1))


# --------------------------------------------------------------------------- ledger


def unbalanced_entries(ctx: RuleContext) -> list[Issue]:
    """Lines of one entry must sum to zero, to the cent; reported at the entry's first line.

    Entries with an empty amount are skipped (the empty cell is reported already).
    """
    if not ctx.has("gl_lines", "entry_id", "amount"):
        return []
    frame = ctx.frames["gl_lines"]
    units, missing, scale = cents(frame["amount"])
    codes, uniques = pd.factorize(frame["entry_id"])
    valid = codes >= 0
    totals = pd.Series(units[valid]).groupby(codes[valid]).sum()
    has_gap = pd.Series(missing[valid]).groupby(codes[valid]).any()
    bad = totals.index[(totals != 0) & ~has_gap].to_numpy()
    if bad.size == 0:
        return []
    first = pd.Series(np.arange(len(frame))[valid]).groupby(codes[valid]).min()
    mask = np.zeros(len(frame), dtype=bool)
    mask[first.loc[bad].to_numpy()] = True
    differences = {c: Decimal(int(totals.loc[c])).scaleb(-scale) for c in bad}
    entry_codes = codes[mask]
    return ctx.issues_at("gl_lines", "UNBALANCED_ENTRY", "amount", mask,
                         values=[uniques[c] for c in entry_codes],
                         difference=[differences[c] for c in entry_codes])


def postings_outside_period(ctx: RuleContext) -> list[Issue]:
    """A ledger line's period should be the month of its posting date (warning)."""
    if not ctx.has("gl_lines", "period", "posting_date"):
        return []
    frame = ctx.frames["gl_lines"]
    dates = frame["posting_date"]
    posted = (dates.dt.year * 100 + dates.dt.month).to_numpy(dtype="float64", na_value=np.nan)
    period = period_numbers(frame["period"])
    mask = ~np.isnan(posted) & ~np.isnan(period) & (posted != period)
    expected = [f"{int(p) // 100:04d}-{int(p) % 100:02d}" for p in posted[mask]]
    return ctx.issues_at("gl_lines", "POSTING_OUTSIDE_PERIOD", "period", mask, expected=expected)


def missing_periods(ctx: RuleContext) -> list[Issue]:
    """Flow tables need rows in every month between their first and last period.

    With ``ctx.periods`` given, those months are expected instead.
    """
    issues = []
    for table in PERIOD_TABLES:
        if not ctx.has(table, "period"):
            continue
        numbers = period_numbers(ctx.frames[table]["period"])
        found = {int(p) for p in np.unique(numbers[~np.isnan(numbers)])}
        if ctx.periods is not None:
            expected = [str(p) for p in ctx.periods]
        elif found:
            expected = months_between(min(found), max(found))
        else:
            expected = []
        locator = ctx.locators[table]
        issues += [locator.issue("MISSING_PERIOD", "period", None, month)
                   for month in expected if int(month[:4]) * 100 + int(month[5:7]) not in found]
    return issues


# --------------------------------------------------------------------------- dates and invoices


def dates_out_of_order(ctx: RuleContext) -> list[Issue]:
    """Dates of a chain must not go backwards (invoice ≤ received ≤ approved ≤ paid...).

    Reported at the first date that is earlier than one before it in the chain, naming
    that earlier-in-chain date; empty dates are skipped.
    """
    issues = []
    for table, chain in DATE_CHAINS.items():
        columns = [c for c in chain if ctx.has(table, c)]
        if table not in ctx.frames or len(columns) < 2:
            continue
        issues += _chain_issues(ctx, table, columns)
    return issues


def _chain_issues(ctx: RuleContext, table: str, columns: list[str]) -> list[Issue]:
    frame = ctx.frames[table]
    values = np.column_stack([
        frame[c].to_numpy(dtype="datetime64[us]").astype("int64").astype("float64")
        for c in columns
    ])
    values[np.column_stack([frame[c].isna().to_numpy() for c in columns])] = np.nan
    before = np.fmax.accumulate(values, axis=1)
    late = np.zeros_like(values, dtype=bool)
    late[:, 1:] = values[:, 1:] < before[:, :-1]  # NaN compares False
    rows = np.flatnonzero(late.any(axis=1))
    locator = ctx.locators[table]
    issues = []
    for position in rows:
        at = int(np.argmax(late[position]))
        earlier = int(np.nanargmax(values[position, :at]))
        later_col, earlier_col = columns[at], columns[earlier]
        issues.append(locator.issue(
            "DATE_ORDER", later_col, frame.index[position], frame[later_col].iloc[position],
            earlier=locator.header(earlier_col) or earlier_col,
            earlier_date=frame[earlier_col].iloc[position],
        ))
    return issues


def duplicate_invoices(ctx: RuleContext) -> list[Issue]:
    """The same vendor's invoice number twice: reported at each repeat's invoice number."""
    if not ctx.has("supplier_invoices", "vendor_id", "invoice_id"):
        return []
    frame = ctx.frames["supplier_invoices"]
    keys = frame[["vendor_id", "invoice_id"]]
    mask = (keys.notna().all(axis=1) & keys.duplicated(keep="first")).to_numpy(dtype=bool)
    return ctx.issues_at("supplier_invoices", "DUPLICATE_INVOICE", "invoice_id", mask,
                         vendor=frame["vendor_id"].to_numpy(dtype=object)[mask])


def exits_before_hire(ctx: RuleContext) -> list[Issue]:
    """An employee cannot leave before being hired: reported at the exit date."""
    if not ctx.has("employees", "hire_date", "exit_date"):
        return []
    frame = ctx.frames["employees"]
    mask = (frame["exit_date"] < frame["hire_date"]).fillna(False).to_numpy(dtype=bool)
    return ctx.issues_at("employees", "EXIT_BEFORE_HIRE", "exit_date", mask,
                         hire_date=frame["hire_date"].to_numpy(dtype=object)[mask])


# --------------------------------------------------------------------------- stock


def negative_stock(ctx: RuleContext) -> list[Issue]:
    """Running on-hand per (sku, warehouse), in date order (ties: file order), must not go
    below zero; reported at the movement that takes it below zero.
    """
    if not ctx.has("stock_movements", "date", "sku", "warehouse", "qty"):
        return []
    frame = ctx.frames["stock_movements"]
    keep = frame[["date", "sku", "warehouse", "qty"]].notna().all(axis=1).to_numpy()
    positions = np.flatnonzero(keep)
    skus, _ = pd.factorize(frame["sku"].to_numpy()[keep])
    warehouses, names = pd.factorize(frame["warehouse"].to_numpy()[keep])
    groups = skus * max(len(names), 1) + warehouses
    dates = frame["date"].to_numpy(dtype="datetime64[us]")[keep]
    order = np.lexsort((positions, dates, groups))
    qty = frame["qty"].to_numpy(dtype="float64")[keep][order]
    on_hand = pd.Series(qty).groupby(groups[order]).cumsum().to_numpy()
    tolerance = 1e-9
    crossing = (on_hand < -tolerance) & (on_hand - qty >= -tolerance)
    mask = np.zeros(len(frame), dtype=bool)
    mask[positions[order][crossing]] = True
    after = dict(zip(positions[order][crossing], on_hand[crossing], strict=True))
    where = np.flatnonzero(mask)
    return ctx.issues_at(
        "stock_movements", "NEGATIVE_STOCK", "qty", mask,
        values=[f"{frame['sku'].iloc[p]}/{frame['warehouse'].iloc[p]}" for p in where],
        quantity=[float(after[p]) for p in where],
    )


# --------------------------------------------------------------------------- registry

#: Every rule of this module, in the order they run.
RULE_FUNCTIONS: tuple[Callable[[RuleContext], list[Issue]], ...] = (
    unknown_cost_centers,
    unknown_accounts,
    unknown_employees,
    unknown_managers,
    unknown_skus,
    unbalanced_entries,
    dates_out_of_order,
    duplicate_invoices,
    missing_periods,
    negative_stock,
    exits_before_hire,
    postings_outside_period,
)


def run_rules(ctx: RuleContext) -> list[Issue]:
    """Run every rule whose tables are present; all issues found, in rule order."""
    return [issue for rule in RULE_FUNCTIONS for issue in rule(ctx)]
