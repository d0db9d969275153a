"""Payroll cost (kpi-reference §2 H13): cost by month, cost per FTE, tie-out to the ledger.

Money is exact (§0): ``gross_salary`` and ``employer_charges`` are summed as
``decimal128(18, 2)`` (:data:`backoffice_lib.tables.MONEY`; Decimal objects are
converted exactly), never as floats; every money column of the results is MONEY, in
EUR. Costs are positive (a payroll line is an expense); a missing amount counts as 0.00.

Payroll rows are placed with the employee's **current** cost centre and attributes
(``employees`` has no assignment history: §2 H8 ``NO_HISTORY``). The population is the
one of headcount and FTE (:func:`~backoffice_lib.hr.workforce.employee_months`): countable
employees, interns and agency temps out by default, ``cost_center_filter`` applied.
Payroll rows outside it do not vanish silently (H13: "payroll row without active
contract → issue"); they are summed in ``unmatched_cost`` instead of the KPI:

- an ``employee_id`` missing from ``employees``: no cost centre is known, so the row
  goes to the cost centre :data:`~backoffice_lib.accounts.UNALLOCATED` (department
  ``UNALLOCATED``), the rule for ledger lines without a cost centre (F1); with a
  ``cost_center_filter`` it is kept only if ``UNALLOCATED`` is in the filter;
- an excluded contract (intern, agency temp) or an employee record that cannot be
  counted (no hire date, exit before hire, fte outside (0, 1]): in the group of the
  employee's cost centre.

Rows of known employees whose cost centre is outside ``cost_center_filter`` are out of
scope, as on the cost side. A payroll row of a counted employee in a month without an
active day (final pay after the exit month) stays in the KPI: it is a real cost of that
person.

Example::

    cost = payroll_cost(payroll, employees, periods.ytd_range("2026-10"), by=["department"],
                        cost_centers=cost_centers)
    per_fte = payroll_cost_per_fte(payroll, employees, periods.r12_range("2026-10"))
    tie = payroll_vs_ledger(payroll, gl_lines, periods.ytd_range("2026-10"))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..accounts import COST_CENTER_ATTRIBUTES, UNALLOCATED, account_mask
from ..finance._common import _loaded, _sum_money
from ..money import ZERO, as_money, from_cents, ratio, to_cents, to_money
from ..periods import validate_period
from .workforce import (
    EXCLUDED_CONTRACTS,
    _among,
    _average_fte,
    _distinct,
    _with_attributes,
    employee_months,
)

__all__ = ["CHARGES_ACCOUNTS", "GROSS_ACCOUNTS", "payroll_cost", "payroll_cost_per_fte",
           "payroll_vs_ledger"]

#: PCG prefixes of gross pay in the ledger (641 Rémunérations du personnel), H13.
GROSS_ACCOUNTS: tuple[str, ...] = ("641",)
#: PCG prefixes of employer charges (645 sécurité sociale et prévoyance, 647 autres
#: charges sociales), H13. 649 (remboursements) is in neither.
CHARGES_ACCOUNTS: tuple[str, ...] = ("645", "647")

_MONEY_COLUMNS = ["gross_salary", "employer_charges", "total_cost"]
_ALL = "_all"  # constant grouping key standing for "no by"


# --------------------------------------------------------------------------- payroll rows


def _payroll_rows(payroll, employees, periods, by, cost_centers, cost_center_filter,
                  exclude_contracts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Payroll rows of ``periods`` in scope with the ``by`` columns, money columns
    (MONEY, ``total_cost`` = gross + charges) and ``_matched`` (the employee is counted);
    and the employee × month grid of the population."""
    periods = [validate_period(p) for p in periods]
    grid = employee_months(employees, periods, by, cost_centers, cost_center_filter,
                           exclude_contracts)
    pay = payroll.loc[payroll["period"].isin(periods),
                      ["period", "employee_id", "gross_salary", "employer_charges"]]
    pay = pay.reset_index(drop=True)
    for col in ("gross_salary", "employer_charges"):
        pay[col] = to_money(pay[col]).fillna(ZERO)
    pay["total_cost"] = as_money(pay["gross_salary"] + pay["employer_charges"])
    counted = _among(employees["employee_id"], grid["employee_id"])
    emp = employees.assign(_counted=counted).sort_values("_counted", ascending=False,
                                                         kind="stable")
    emp = emp.drop_duplicates("employee_id")
    own = [c for c in by if c not in COST_CENTER_ATTRIBUTES and c != "cost_center"]
    rows = pay.merge(emp[["employee_id", "cost_center", *own]], on="employee_id", how="left")
    rows["cost_center"] = rows["cost_center"].fillna(UNALLOCATED)
    if cost_center_filter is not None:
        rows = rows[rows["cost_center"].isin(list(cost_center_filter))]
    rows = _with_attributes(rows, by, cost_centers)
    rows["_matched"] = _among(rows["employee_id"], grid["employee_id"])
    return rows, grid


def _sums(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Exact money sums of the counted rows, ``n_people`` paid and ``unmatched_cost`` by keys."""
    matched = rows[rows["_matched"]]
    out = matched.groupby(keys, sort=False, dropna=False)[_MONEY_COLUMNS].sum()
    out["n_paid"] = matched.groupby(keys, sort=False, dropna=False)["employee_id"].nunique()
    out = out.join(rows[~rows["_matched"]].groupby(keys, sort=False, dropna=False)
                   ["total_cost"].sum().rename("unmatched_cost"), how="outer")
    return out.reset_index()


def _fill(out: pd.DataFrame, money: list[str], counts: list[str]) -> pd.DataFrame:
    """Missing money → 0.00 (MONEY), missing counts → 0 (int64)."""
    for col in money:
        out[col] = as_money(out[col].fillna(ZERO))
    for col in counts:
        out[col] = out[col].fillna(0).astype("int64")
    return out


# --------------------------------------------------------------------------- KPIs


def payroll_cost(
    payroll: pd.DataFrame,
    employees: pd.DataFrame,
    periods: Sequence[str],
    *,
    by: Sequence[str] | None = None,
    cost_centers: pd.DataFrame | None = None,
    cost_center_filter: Sequence[str] | None = None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
) -> pd.DataFrame:
    """Payroll cost of each month (kpi-reference H13 numerator), exact to the cent.

    Parameters
    ----------
    payroll:
        Canonical ``payroll``: ``period, employee_id, gross_salary, employer_charges``
        (EUR, money).
    employees, periods, by, cost_centers, cost_center_filter, exclude_contracts:
        As :func:`~backoffice_lib.hr.monthly_fte`; ``by`` uses the employee's current
        cost centre and attributes.

    Returns
    -------
    DataFrame
        ``period, *by, gross_salary, employer_charges, total_cost`` (EUR, MONEY; total =
        gross + charges) ``, n_people`` (distinct employees paid) ``, unmatched_cost`` (EUR,
        MONEY: payroll of rows outside the population, kept out of the other columns,
        see the module docstring). Every period × group with employees or payroll, zeros
        included; sorted by period then ``by``.
    """
    by = list(by or [])
    rows, grid = _payroll_rows(payroll, employees, periods, by, cost_centers,
                               cost_center_filter, exclude_contracts)
    months = pd.DataFrame({"period": pd.Series(list(periods), dtype="str")})
    groups = pd.concat([grid[by], rows[by]]).drop_duplicates() if by else None
    base = groups.merge(months, how="cross") if by else months
    out = base.merge(_sums(rows, ["period", *by]), on=["period", *by], how="left")
    out = _fill(out.rename(columns={"n_paid": "n_people"}), [*_MONEY_COLUMNS, "unmatched_cost"],
                ["n_people"])
    out = out.sort_values(["period", *by], kind="stable").reset_index(drop=True)
    return out[["period", *by, *_MONEY_COLUMNS, "n_people", "unmatched_cost"]]


def _cost_per_fte(total_cost: pd.Series, avg_fte: pd.Series) -> pd.Series:
    """``total_cost / avg_fte`` in EUR rounded half away from zero to the cent (MONEY; NA
    when avg FTE is 0), computed as integer cents ÷ FTE."""
    cents = to_cents(total_cost).astype("float64").to_numpy()
    fte = avg_fte.to_numpy(dtype="float64")
    ok = fte > 0
    quotient = cents / np.where(ok, fte, 1.0)
    rounded = np.sign(quotient) * np.floor(np.abs(quotient) + 0.5)
    return from_cents(pd.Series(rounded, index=total_cost.index).where(ok).astype("Int64"))


def payroll_cost_per_fte(
    payroll: pd.DataFrame,
    employees: pd.DataFrame,
    periods: Sequence[str],
    *,
    by: Sequence[str] | None = None,
    cost_centers: pd.DataFrame | None = None,
    cost_center_filter: Sequence[str] | None = None,
    exclude_contracts: Sequence[str] = EXCLUDED_CONTRACTS,
) -> pd.DataFrame:
    """Payroll cost per FTE and charge ratio over ``periods`` (kpi-reference H13).

    ``cost_per_fte = (Σ gross_salary + Σ employer_charges) / avg_FTE`` over the range,
    avg FTE being the mean monthly FTE of :func:`~backoffice_lib.hr.average_fte` (same
    population and filter). The figure covers the whole range: EUR per FTE per year for
    12 periods (prefer R12, H13), per month for one period; it is not annualised here.
    ``charge_ratio = Σ employer_charges / Σ gross_salary``.

    Parameters are those of :func:`payroll_cost`.

    Returns
    -------
    DataFrame
        One row per group (one row without ``by``): ``*by, total_cost`` (EUR, MONEY)
        ``, avg_fte`` (FTE) ``, cost_per_fte`` (EUR per FTE over the range, MONEY rounded
        half-up to the cent from the unrounded total; NA when avg FTE is 0, and
        ``avg_fte == 0`` is the reason: no separate reason column)
        ``, charge_ratio`` (fraction; NaN when gross is 0) ``, n_people`` (distinct people
        paid or active in the range, for H17) ``, n_periods, unmatched_cost`` (EUR,
        MONEY: payroll rows outside the population, not in the ratio). Groups with people
        but no payroll, or payroll but no FTE, are listed.
    """
    by = list(by or [])
    keys = by or [_ALL]
    rows, grid = _payroll_rows(payroll, employees, periods, by, cost_centers,
                               cost_center_filter, exclude_contracts)
    rows, grid = rows.assign(**{_ALL: 0}), grid.assign(**{_ALL: 0})
    fte = _average_fte(grid, by, len(periods)).drop(columns=["n_people", "n_periods"])
    out = _sums(rows, keys).merge(fte.assign(**{_ALL: 0}), on=keys, how="outer")
    people = pd.concat([grid.loc[grid["active_days"] > 0, [*keys, "employee_id"]],
                        rows.loc[rows["_matched"], [*keys, "employee_id"]]])
    n_people = people.drop_duplicates().groupby(keys, dropna=False).size().rename("n_people")
    out = _fill(out.merge(n_people.reset_index(), on=keys, how="left"),
                [*_MONEY_COLUMNS, "unmatched_cost"], ["n_people"])
    out["avg_fte"] = out["avg_fte"].fillna(0.0).astype("float64")
    out["cost_per_fte"] = _cost_per_fte(out["total_cost"], out["avg_fte"])
    out["charge_ratio"] = ratio(out["employer_charges"], out["gross_salary"])["value"]
    out["n_periods"] = len(periods)
    out = out.sort_values(keys, kind="stable").reset_index(drop=True)
    return out[[*by, "total_cost", "avg_fte", "cost_per_fte", "charge_ratio", "n_people",
                "n_periods", "unmatched_cost"]]


def _ledger_mask(accounts: pd.Series, prefixes: tuple[str, ...]) -> pd.Series:
    """Ledger lines whose account starts with one of ``prefixes`` (text, trimmed)."""
    hit = account_mask(accounts, lambda acc: acc.str.startswith(prefixes))
    return pd.Series(hit, index=accounts.index, name=accounts.name)


def payroll_vs_ledger(
    payroll: pd.DataFrame,
    gl_lines: pd.DataFrame,
    periods: Sequence[str],
    *,
    loaded_periods: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Payroll totals against the general ledger, per period (kpi-reference H13 check).

    The whole payroll is compared (no population filter): ``ledger_gross`` = net debit of
    accounts 641* (:data:`GROSS_ACCOUNTS`), ``ledger_charges`` = net debit of 645* and 647*
    (:data:`CHARGES_ACCOUNTS`). ``gl_lines.amount`` is debit − credit (§0), so the net
    debit is Σ amount: credit lines (reversals, corrections) reduce it.

    Parameters
    ----------
    payroll:
        Canonical ``payroll`` (EUR, money).
    gl_lines:
        Canonical ``gl_lines`` (``amount`` = debit − credit, EUR; ``period`` = accounting
        period of the posting).
    periods:
        ``YYYY-MM`` periods to compare.
    loaded_periods:
        Periods the ledger covers (§0: inside them no line is a true 0.00); default every
        period present in ``gl_lines``, as finance does.

    Returns
    -------
    DataFrame
        ``period, payroll_gross, ledger_gross, gross_difference, payroll_charges,
        ledger_charges, charges_difference`` (EUR, MONEY). Differences are payroll −
        ledger: positive when the payroll shows more than the books; 0.00 when they tie.
        Ledger columns are NA for a period not loaded, payroll columns NA for a period
        without any payroll row, and the difference is then NA too (never a false gap).
    """
    periods = [validate_period(p) for p in periods]
    out = pd.DataFrame({"period": pd.Series(periods, dtype="str")})
    pay = payroll[payroll["period"].isin(periods)]
    # the three columns used, before taking the rows (a ledger has a dozen more)
    gl = gl_lines.loc[gl_lines["period"].isin(periods), ["period", "account", "amount"]]
    loaded = out["period"].isin(_loaded(gl_lines, loaded_periods))
    paid = out["period"].isin(_distinct(pay["period"]))
    for kind, column, prefixes in (("gross", "gross_salary", GROSS_ACCOUNTS),
                                   ("charges", "employer_charges", CHARGES_ACCOUNTS)):
        pay_sum = _sum_money(pay.assign(**{column: to_money(pay[column])}), ["period"], column)
        gl_sum = _sum_money(gl[_ledger_mask(gl["account"], prefixes)], ["period"])
        book = out.merge(pay_sum, on="period", how="left").merge(gl_sum, on="period", how="left")
        out[f"payroll_{kind}"] = as_money(book[column].fillna(ZERO)).where(paid)
        out[f"ledger_{kind}"] = as_money(book["amount"].fillna(ZERO)).where(loaded)
        out[f"{kind}_difference"] = as_money(out[f"payroll_{kind}"] - out[f"ledger_{kind}"])
    return out[["period", "payroll_gross", "ledger_gross", "gross_difference",
                "payroll_charges", "ledger_charges", "charges_difference"]]
