"""Cost KPIs for the monthly close (kpi-reference §1, F1–F12).

Pure functions: canonical tables and scalars in, tidy DataFrames (or a sentence) out;
no file or network I/O. Money stays exact (``decimal128(18, 2)``) through every sum;
ratios are float fractions; a KPI that cannot be computed is NA with a reason code
(``DENOM_ZERO``, ``UNBUDGETED``, ``NEW``, ``SHORT_BASE``, ``NOT_LOADED``), never 0 or ±inf.

Scopes of cost (kpi-reference §1.1), by PCG account prefix, independent of the map:

- ``class6``: every class-6 line (60–69). The analysed tables use it by default, so
  their totals tie to the ledger's class-6 total (:func:`reconcile`); 69 shows as its own
  category ``profit_sharing_tax``.
- ``total``: total cost, 60–68 (headline "total cost").
- ``operating``: operating cost, 60–65 + 681 (back-office share, cost per FTE).

Lines without a cost centre go to ``UNALLOCATED``, accounts the map does not know to
``unmapped``: nothing is dropped. Periods are the GL's accounting periods (``period``).
A period listed in ``loaded_periods`` (default: the periods present in ``gl_lines``) with
no line is a true zero; a period not loaded makes the KPI NA (``NOT_LOADED``). Periods
after ``last_closed_period`` are flagged ``provisional``.

How to use (one call per table of ``notebooks/costs.ipynb``)::

    import backoffice_lib as bo
    from backoffice_lib import accounts, finance, periods, privacy

    gl = bo.load_table("data/grand_livre.xlsx", table="gl_lines")
    budget = bo.load_table("data/budget.xlsx", table="budget")
    ccs = bo.load_table("data/centres.xlsx", table="cost_centers")
    emp = bo.load_table("data/salaries.xlsx", table="employees")
    amap = accounts.default_account_map()    # or accounts.merge_account_maps(amap, user_map)
    period = "2026-10"

    finance.headline(gl, budget, ccs, amap, period)                       # tiles
    bva = finance.budget_vs_actual(gl, budget, ccs, amap, period, by=["category"])
    finance.budget_waterfall(bva)                                          # waterfall
    finance.cost_trend(gl, budget, ccs, amap, period, months=24)           # trend + budget
    finance.back_office_share(gl, ccs, amap, period, months=24)           # back vs front
    cpf = finance.cost_per_fte(gl, emp, ccs, amap, periods.r12_range(period), total=True)
    privacy.suppress_small_groups(cpf, label_column="department")         # k = 5
    movers = finance.top_movers(gl, ccs, amap, period, budget=budget)
    finance.commentary(finance.commentary_facts(gl, budget, ccs, amap, period))
    finance.vendor_pareto(gl, ccs, amap, period)                           # + vendor_pareto_summary
    exceptions = finance.cutoff_exceptions(gl, period)                     # + cutoff_summary
    finance.reconcile(gl, {"budget vs actual": bva}, period)               # difference 0.00
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import numpy as np
import pandas as pd

from . import hr
from .accounts import (
    CATEGORIES,
    COST_CATEGORIES,
    UNALLOCATED,
    map_accounts,
    map_cost_centers,
)
from .errors import ParameterError
from .i18n import LANGUAGES, get_language, t
from .i18n.formatting import format_money_compact, format_month, format_percent
from .money import DENOM_ZERO, ZERO, as_money, from_cents, to_cents
from .periods import (
    close_date,
    period_end,
    period_range,
    periods_of,
    shift_period,
    validate_period,
    ytd_range,
)
from .tables import MONEY, normalize_header

__all__ = [
    "ACCRUAL_ACCOUNTS",
    "CUTOFF_CHECKS",
    "EXCEPTION_COLUMNS",
    "NEW",
    "NOT_LOADED",
    "PHASING_FLAT",
    "SCOPES",
    "SHORT_BASE",
    "UNBUDGETED",
    "UNKNOWN_VENDOR",
    "accrual_reversal_rate",
    "back_office_share",
    "budget_lines",
    "budget_vs_actual",
    "budget_waterfall",
    "category_label",
    "commentary",
    "commentary_facts",
    "cost_lines",
    "cost_per_fte",
    "cost_trend",
    "costs_by",
    "cutoff_exceptions",
    "cutoff_summary",
    "duplicate_lines",
    "headline",
    "late_postings",
    "missing_invoice_accruals",
    "posting_outside_period",
    "recurring_cost_gaps",
    "reconcile",
    "run_rate",
    "support_ratio",
    "top_movers",
    "unbalanced_entries",
    "unreversed_accruals",
    "vendor_pareto",
    "vendor_pareto_summary",
]

# --------------------------------------------------------------------------- constants

UNBUDGETED = "UNBUDGETED"
NEW = "NEW"
SHORT_BASE = "SHORT_BASE"
NOT_LOADED = "NOT_LOADED"
PHASING_FLAT = "PHASING_FLAT"
UNKNOWN_VENDOR = "UNKNOWN_VENDOR"
FAVOURABLE, UNFAVOURABLE = "F", "U"
TOTAL = "TOTAL"

SCOPES = ("class6", "total", "operating")
#: Accrual/deferral accounts and the sign of their booking (−1 credit, +1 debit), F12.
ACCRUAL_ACCOUNTS: dict[str, int] = {"408": -1, "4286": -1, "4386": -1, "486": 1, "487": -1}
#: Cut-off check codes, in report order.
CUTOFF_CHECKS = (
    "POSTED_AFTER_CLOSE", "POSTING_OUTSIDE_PERIOD", "UNBALANCED_ENTRY", "DUPLICATE_LINE",
    "ACCRUAL_NOT_REVERSED", "MISSING_INVOICE_ACCRUAL", "POSSIBLE_MISSING_ACCRUAL",
)
#: Columns of the cut-off exceptions table.
EXCEPTION_COLUMNS = [
    "check", "period", "entry_id", "account", "vendor_id", "document_ref",
    "posting_date", "entry_date", "amount", "expected",
]
_BUDGET_GRAIN = ("cost_center", "cost_center_name", "department", "office", "category")
_OFFICES = ("back", "front", "other", "unclassified")
_LINE_COLUMNS = [
    "entry_id", "line_no", "period", "posting_date", "account", "account_label", "cost_center",
    "vendor_id", "description", "document_ref", "amount",
]

# --------------------------------------------------------------------------- small helpers


def _param_error(key: str, **params: object) -> ParameterError:
    return ParameterError(detail=t(f"finance.{key}", **params))


def _check_choice(value: str, allowed: Sequence[str], what: str) -> str:
    if value not in allowed:
        raise _param_error("invalid_choice", what=what, value=value, allowed=", ".join(allowed))
    return value


def _check_by(by: Sequence[str] | str | None, allowed: Sequence[str]) -> list[str]:
    keys = [by] if isinstance(by, str) else list(by or [])
    for key in keys:
        _check_choice(key, allowed, "by")
    return keys


def _scope_mask(accounts: pd.Series, scope: str) -> pd.Series:
    """Lines of a scope by PCG prefix: class6 (6*), total (60–68), operating (60–65 + 681)."""
    _check_choice(scope, SCOPES, "scope")
    acc = accounts.astype("str").str.strip()
    two, three = acc.str[:2], acc.str[:3]
    if scope == "class6":
        mask = acc.str[:1] == "6"
    elif scope == "total":
        mask = two.isin([f"6{d}" for d in "012345678"])
    else:
        mask = two.isin([f"6{d}" for d in "012345"]) | (three == "681")
    return mask.fillna(False).astype(bool)


def _loaded(gl_lines: pd.DataFrame, loaded_periods: Iterable[str] | None) -> set[str]:
    """The loaded periods: given, or every period present in the ledger."""
    if loaded_periods is not None:
        return set(loaded_periods)
    return set(gl_lines["period"].dropna().unique())


def _coverage(periods: Sequence[str], loaded: set[str]) -> float:
    return sum(p in loaded for p in periods) / len(periods) if periods else 0.0


def _is_provisional(period: str, last_closed_period: str | None) -> bool:
    return last_closed_period is not None and period > last_closed_period


def _sum_money(frame: pd.DataFrame, keys: list[str], column: str = "amount") -> pd.DataFrame:
    """Exact sum of ``column`` by ``keys`` (one total row when ``keys`` is empty)."""
    if not keys:
        total = as_money(frame[column]).sum() if len(frame) else ZERO
        return pd.DataFrame({column: pd.Series([total], dtype=MONEY)})
    out = frame.groupby(keys, sort=False, dropna=False)[column].sum().reset_index()
    out[column] = as_money(out[column])
    return out


def _category_rank(values: pd.Series) -> pd.Series:
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return values.map(order).fillna(len(order)).astype("int64")


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sort by ``keys``; categories follow the reporting order of :data:`CATEGORIES`."""
    if not keys or frame.empty:
        return frame.reset_index(drop=True)
    sort_cols = [f"_rank_{k}" if k == "category" else k for k in keys]
    tmp = frame.assign(_rank_category=_category_rank(frame["category"])) \
        if "category" in keys else frame
    return tmp.sort_values(sort_cols, kind="stable").drop(
        columns=[c for c in ["_rank_category"] if c in tmp]).reset_index(drop=True)


def _variance(actual: pd.Series, base: pd.Series, zero_base_reason: str) -> pd.DataFrame:
    """``var = actual − base``, ``var_pct = var / |base|``, reason and F/U flag (costs).

    Missing amounts count as 0. Base 0 and actual ≠ 0 → pct NA, ``zero_base_reason``;
    both 0 → var 0, pct NA, ``DENOM_ZERO``. Cost: var > 0 is unfavourable (U).
    """
    a = to_cents(actual).fillna(0).to_numpy(dtype="int64")
    b = to_cents(base).fillna(0).to_numpy(dtype="int64")
    var = a - b
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(b != 0, var / np.abs(b).astype("float64"), np.nan)
    reason = np.select([(b == 0) & (a != 0), (b == 0) & (a == 0)],
                       [zero_base_reason, DENOM_ZERO], default=None)
    flag = np.select([var > 0, var < 0], [UNFAVOURABLE, FAVOURABLE], default=None)
    idx = actual.index
    return pd.DataFrame({
        "var": from_cents(pd.Series(var, index=idx)),
        "var_pct": pd.Series(pct, index=idx, dtype="float64"),
        "reason": pd.Series(reason, index=idx, dtype="str"),
        "flag": pd.Series(flag, index=idx, dtype="str"),
    })


def category_label(category: str, lang: str | None = None) -> str:
    """Display label of a category code in ``lang`` (« Charges de personnel »)."""
    return t(f"finance.category.{category}", lang)


# --------------------------------------------------------------------------- F1 actual cost


def _propagate_vendor(gl_lines: pd.DataFrame) -> pd.Series:
    """Vendor of each line: its own, else the single vendor of its entry's 401 lines (§5.7)."""
    vendor = gl_lines["vendor_id"]
    is_401 = gl_lines["account"].astype("str").str.startswith("401").fillna(False)
    supplier = gl_lines.loc[is_401 & vendor.notna(), ["entry_id", "vendor_id"]].drop_duplicates()
    single = supplier.drop_duplicates("entry_id", keep=False).set_index("entry_id")["vendor_id"]
    return vendor.fillna(gl_lines["entry_id"].map(single).astype("str")).astype("str")


def cost_lines(
    gl_lines: pd.DataFrame,
    cost_centers: pd.DataFrame | None = None,
    account_map: pd.DataFrame | None = None,
    *,
    scope: str = "class6",
    periods: Sequence[str] | None = None,
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Class-6 ledger lines with their category and cost-centre attributes (F1 grain).

    Parameters
    ----------
    gl_lines:
        Canonical ``gl_lines`` (``amount`` money, debit − credit: a cost is positive).
    cost_centers:
        Canonical ``cost_centers`` master data (department, office); None → unknown.
    account_map:
        Canonical account map; None → :func:`accounts.default_account_map`.
    scope:
        ``"class6"`` (default), ``"total"`` (60–68) or ``"operating"`` (60–65 + 681).
    periods:
        Keep only these accounting periods (default: all).
    cost_center_filter:
        Keep only these cost-centre codes (``UNALLOCATED`` for lines without one).

    Returns
    -------
    DataFrame
        ``entry_id, line_no, period, posting_date, account, account_label, cost_center,
        vendor_id, description, document_ref, amount`` (EUR, money), ``category,
        sub_category, nature, cost_center_name, department, office, is_total_cost,
        is_operating``. Vendor taken from the entry's 401 line when the cost line has none.
    """
    keep = _scope_mask(gl_lines["account"], scope)
    if periods is not None:
        keep &= gl_lines["period"].isin(list(periods)).to_numpy()
    lines = gl_lines.loc[keep, _LINE_COLUMNS].copy()
    lines["vendor_id"] = _propagate_vendor(gl_lines).loc[lines.index]
    lines["cost_center"] = lines["cost_center"].fillna(UNALLOCATED).astype("str")
    if cost_center_filter is not None:
        lines = lines[lines["cost_center"].isin(list(cost_center_filter))]
    mapped = map_accounts(lines["account"], account_map)
    lines[["category", "sub_category", "nature"]] = mapped[["category", "sub_category", "nature"]]
    attrs = map_cost_centers(lines["cost_center"], cost_centers)
    lines = lines.join(attrs.rename(columns={"name": "cost_center_name"}))
    lines["is_total_cost"] = _scope_mask(lines["account"], "total")
    lines["is_operating"] = _scope_mask(lines["account"], "operating")
    lines["amount"] = as_money(lines["amount"])
    return lines


def costs_by(
    gl_lines: pd.DataFrame,
    cost_centers: pd.DataFrame | None = None,
    account_map: pd.DataFrame | None = None,
    *,
    by: Sequence[str] = ("period", "category"),
    periods: Sequence[str] | None = None,
    scope: str = "class6",
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Actual cost by any grouping (F1): period, cost centre, department, office, category...

    Parameters
    ----------
    by:
        Columns of :func:`cost_lines` to group by (``period``, ``cost_center``,
        ``department``, ``office``, ``category``, ``sub_category``, ``account``,
        ``vendor_id``...). Empty → one total row.
    Other parameters as :func:`cost_lines`.

    Returns
    -------
    DataFrame
        ``*by, amount`` (EUR, money; net of credit notes) ``, n_lines``. The amounts add
        up exactly to the ledger's total of the scope (see :func:`reconcile`).
    """
    lines = cost_lines(gl_lines, cost_centers, account_map, scope=scope, periods=periods,
                       cost_center_filter=cost_center_filter)
    keys = _check_by(by, [c for c in lines.columns if c != "amount"])
    out = _sum_money(lines, keys)
    counts = lines.groupby(keys, sort=False, dropna=False).size() if keys else len(lines)
    if keys:
        out = out.merge(counts.rename("n_lines").reset_index(), on=keys, how="left")
    else:
        out["n_lines"] = counts
    out["n_lines"] = out["n_lines"].astype("int64")
    return _sorted(out, keys)


# --------------------------------------------------------------------------- budget


def _category_codes(values: pd.Series) -> pd.Series:
    """Budget categories as codes: ``personnel`` or a catalogue label (« Charges de personnel »)."""
    lookup = {normalize_header(c): c for c in CATEGORIES}
    for lang in LANGUAGES:
        lookup.update({normalize_header(category_label(c, lang)): c for c in CATEGORIES})
    folded = values.map(lambda v: lookup.get(normalize_header(v)) if isinstance(v, str) else None)
    return folded.fillna(values).astype("str")


def _phase_annual(budget: pd.DataFrame, fiscal_year_start: int) -> pd.DataFrame:
    """Spread annual rows (period ``YYYY``) over the 12 fiscal months, to the exact cent."""
    annual = budget["period"].str.fullmatch(r"\d{4}").fillna(False).astype(bool)
    monthly = budget[~annual].assign(phasing_flat=False)
    rows = budget[annual]
    if rows.empty:
        return monthly
    cents = to_cents(rows["amount"]).fillna(0).to_numpy(dtype="int64")
    base, rest = np.divmod(cents, 12)
    parts = []
    for i in range(12):
        start = [f"{y}-{fiscal_year_start:02d}" for y in rows["period"]]
        part = rows.assign(period=[shift_period(s, i) for s in start], phasing_flat=True)
        part["amount"] = from_cents(pd.Series(base + (rest > i), index=rows.index))
        parts.append(part)
    return pd.concat([monthly, *parts], ignore_index=True)


def budget_lines(
    budget: pd.DataFrame,
    cost_centers: pd.DataFrame | None = None,
    account_map: pd.DataFrame | None = None,
    *,
    fiscal_year_start: int = 1,
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Budget rows at the actuals' grain: monthly, with category and cost-centre attributes.

    Parameters
    ----------
    budget:
        Canonical ``budget`` (``period, cost_center, account?, category?, amount``; EUR,
        cost positive). A row gives a category (code or label) or a class-6 account,
        mapped with ``account_map``; rows on other accounts are left out. A row whose
        period is a year (``YYYY``) is an annual budget, phased 1/12 per month of the
        fiscal year starting that year (cents spread so the months add up exactly),
        flagged ``phasing_flat`` (F2 ``PHASING_FLAT``).

    Returns
    -------
    DataFrame
        ``period, cost_center, account, category, amount, phasing_flat, cost_center_name,
        department, office``.
    """
    b = budget[["period", "cost_center", "account", "category", "amount"]].copy()
    has_account = b["account"].notna()
    b = b[~has_account | b["account"].astype("str").str.strip().str.startswith("6")]
    b = _phase_annual(b, fiscal_year_start)
    mapped = map_accounts(b["account"].fillna(""), account_map)["category"]
    b["category"] = _category_codes(b["category"]).where(b["category"].notna(), mapped)
    b["cost_center"] = b["cost_center"].fillna(UNALLOCATED).astype("str")
    if cost_center_filter is not None:
        b = b[b["cost_center"].isin(list(cost_center_filter))]
    attrs = map_cost_centers(b["cost_center"], cost_centers)
    b = b.join(attrs.rename(columns={"name": "cost_center_name"}))
    b["amount"] = as_money(b["amount"])
    return b.reset_index(drop=True)


# --------------------------------------------------------------------------- F2/F4 budget vs actual


def _view_periods(period: str, view: str, fiscal_year_start: int) -> list[str]:
    _check_choice(view, ("month", "ytd"), "view")
    return [validate_period(period)] if view == "month" else ytd_range(period, fiscal_year_start)


def _actual_budget_prior(gl_lines, budget, cost_centers, account_map, periods, keys, cc_filter,
                         fiscal_year_start) -> pd.DataFrame:
    """Outer join of actual, budget (+ phasing flag) and prior-year actual by ``keys``."""
    actual = _sum_money(cost_lines(gl_lines, cost_centers, account_map, periods=periods,
                                   cost_center_filter=cc_filter), keys).rename(
        columns={"amount": "actual"})
    prior_periods = [shift_period(p, -12) for p in periods]
    prior = _sum_money(cost_lines(gl_lines, cost_centers, account_map, periods=prior_periods,
                                  cost_center_filter=cc_filter), keys).rename(
        columns={"amount": "prior_year"})
    bud = budget_lines(budget, cost_centers, account_map, fiscal_year_start=fiscal_year_start,
                       cost_center_filter=cc_filter)
    bud = bud[bud["period"].isin(periods)]
    flat = bud.groupby(keys, dropna=False)["phasing_flat"].any().reset_index() if keys else \
        pd.DataFrame({"phasing_flat": [bool(bud["phasing_flat"].any())]})
    summed = _sum_money(bud, keys).rename(columns={"amount": "budget"})
    summed = summed.merge(flat, on=keys) if keys else summed.assign(phasing_flat=flat.iloc[0, 0])
    if not keys:
        return pd.concat([actual, summed, prior], axis=1)
    out = actual.merge(summed, on=keys, how="outer").merge(prior, on=keys, how="outer")
    return out


def budget_vs_actual(
    gl_lines: pd.DataFrame,
    budget: pd.DataFrame,
    cost_centers: pd.DataFrame | None,
    account_map: pd.DataFrame | None,
    period: str,
    *,
    by: Sequence[str] = ("category",),
    view: str = "month",
    fiscal_year_start: int = 1,
    last_closed_period: str | None = None,
    loaded_periods: Iterable[str] | None = None,
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Actual vs budget, amount and %, with F/U flags (F2), for the month or year to date (F4).

    Parameters
    ----------
    gl_lines, budget, cost_centers, account_map:
        Canonical tables (see :func:`cost_lines`, :func:`budget_lines`).
    period:
        Closing month ``YYYY-MM``.
    by:
        Subset of ``cost_center, cost_center_name, department, office, category``.
    view:
        ``"month"`` (the period) or ``"ytd"`` (fiscal-year start to period; budget YTD = sum
        of monthly budgets).

    Returns
    -------
    DataFrame
        ``*by, actual, budget, var`` (EUR, money; var = actual − budget) ``, var_pct``
        (fraction of |budget|) ``, flag`` (F favourable when var < 0, U when > 0) ``, reason``
        (``UNBUDGETED``: budget 0/missing and actual ≠ 0; ``DENOM_ZERO``: both 0;
        ``NOT_LOADED``: a month of the range not loaded, actual NA) ``, phasing_flat,
        prior_year`` (same months a year earlier; NA if not loaded) ``, yoy_pct,
        yoy_reason, coverage, provisional``. Every class-6 category is included, so the
        ``actual`` column ties to the ledger.
    """
    keys = _check_by(by, _BUDGET_GRAIN)
    periods = _view_periods(period, view, fiscal_year_start)
    out = _actual_budget_prior(gl_lines, budget, cost_centers, account_map, periods, keys,
                               cost_center_filter, fiscal_year_start)
    out = out.reset_index(drop=True)
    out = pd.concat([out, _variance(out["actual"], out["budget"], UNBUDGETED)], axis=1)
    out["phasing_flat"] = out["phasing_flat"].astype("boolean").fillna(False).astype(bool)
    yoy = _variance(out["actual"], out["prior_year"], NEW)
    out["yoy_pct"], out["yoy_reason"] = yoy["var_pct"], yoy["reason"]
    loaded = _loaded(gl_lines, loaded_periods)
    out = _blank_not_loaded(out, _coverage(periods, loaded),
                            _coverage([shift_period(p, -12) for p in periods], loaded))
    out["provisional"] = _is_provisional(period, last_closed_period)
    cols = [*keys, "actual", "budget", "var", "var_pct", "flag", "reason", "phasing_flat",
            "prior_year", "yoy_pct", "yoy_reason", "coverage", "provisional"]
    return _sorted(out[cols], keys)


def _blank_not_loaded(out: pd.DataFrame, coverage: float, prior_coverage: float) -> pd.DataFrame:
    """Actual (and prior year) NA with ``NOT_LOADED`` when a month of the range is missing (F4)."""
    out = out.copy()
    out["actual"] = as_money(out["actual"].fillna(ZERO))
    out["budget"] = as_money(out["budget"].fillna(ZERO))
    out["prior_year"] = as_money(out["prior_year"].fillna(ZERO))
    out["coverage"] = coverage
    if coverage < 1:
        out[["actual", "var"]] = out[["actual", "var"]].mask(pd.Series(True, index=out.index),
                                                           axis=0)
        out["var_pct"], out["flag"], out["reason"] = np.nan, pd.NA, NOT_LOADED
    if prior_coverage < 1 or coverage < 1:
        out["prior_year"] = out["prior_year"].mask(pd.Series(prior_coverage < 1, index=out.index))
        out["yoy_pct"], out["yoy_reason"] = np.nan, NOT_LOADED
    for col in ("reason", "flag", "yoy_reason"):
        out[col] = out[col].astype("str")
    return out


def budget_waterfall(bva: pd.DataFrame) -> pd.DataFrame:
    """Budget-to-actual bridge by category, ready for a waterfall chart.

    Parameters
    ----------
    bva:
        Output of :func:`budget_vs_actual` with ``by=["category"]``.

    Returns
    -------
    DataFrame
        ``step, kind`` (``budget`` / ``variance`` / ``actual``) ``, category, amount``
        (money: budget total, each category's variance, actual total) ``, start, end``
        (float EUR, the bar's span). Categories without variance are left out.
    """
    var_cents = to_cents(bva["var"]).fillna(0)
    rows = bva.loc[var_cents != 0, ["category", "var"]].rename(columns={"var": "amount"})
    budget_total = as_money(bva["budget"]).sum() if len(bva) else ZERO
    actual_total = as_money(bva["actual"]).sum() if len(bva) else ZERO
    head = pd.DataFrame({"kind": ["budget"], "category": [pd.NA], "amount": [budget_total]})
    tail = pd.DataFrame({"kind": ["actual"], "category": [pd.NA], "amount": [actual_total]})
    steps = pd.concat([head, rows.assign(kind="variance"), tail], ignore_index=True)
    steps["amount"] = as_money(steps["amount"].astype(MONEY))
    cents = to_cents(steps["amount"]).fillna(0).to_numpy(dtype="int64")
    is_delta = (steps["kind"] == "variance").to_numpy()
    running = np.cumsum(np.where(is_delta, cents, 0)) + cents[0]
    end = np.where(is_delta, running, cents)
    start = np.where(is_delta, end - cents, 0)
    steps["start"], steps["end"] = start / 100.0, end / 100.0
    steps.insert(0, "step", np.arange(1, len(steps) + 1))
    steps["category"] = steps["category"].astype("str")
    return steps[["step", "kind", "category", "amount", "start", "end"]]


# --------------------------------------------------------------------------- F3/F5 trend


def _monthly_cents(lines: pd.DataFrame, periods: list[str], keys: list[str],
                   loaded: set[str]) -> pd.DataFrame:
    """Group × period grid of cents: 0 in loaded months without lines, NA if not loaded."""
    sums = _sum_money(lines, [*keys, "period"])
    sums["cents"] = to_cents(sums["amount"])
    grid = pd.DataFrame({"period": pd.Series(periods, dtype="str")})
    if keys:
        groups = lines[keys].drop_duplicates()
        grid = groups.merge(grid, how="cross")
    grid = grid.merge(sums[[*keys, "period", "cents"]], on=[*keys, "period"], how="left")
    grid["cents"] = grid["cents"].astype("Int64").fillna(0)
    grid["loaded"] = grid["period"].isin(loaded)
    grid["cents"] = grid["cents"].where(grid["loaded"])
    return _sorted(grid, [*keys, "period"])


def _rolling12(grid: pd.DataFrame, keys: list[str], column: str = "cents") -> pd.DataFrame:
    """R12 sum of ``column`` by group (exact, via cumulative sums) and months loaded in window.

    ``grid`` is sorted by group then period, one row per month.
    """
    def _roll(series: pd.Series) -> pd.Series:
        if not keys:
            cum = series.cumsum()
            return cum - cum.shift(12, fill_value=0)
        groups = [grid[k] for k in keys]
        cum = series.groupby(groups, sort=False).cumsum()
        return cum - cum.groupby(groups, sort=False).shift(12, fill_value=0)

    r12 = _roll(grid[column].fillna(0).astype("int64"))
    n_loaded = _roll(grid["loaded"].astype("int64"))
    return pd.DataFrame({"r12": r12, "n_loaded": n_loaded}, index=grid.index)


def _shift_in_group(grid: pd.DataFrame, keys: list[str], column: str, n: int) -> pd.Series:
    if not keys:
        return grid[column].shift(n)
    return grid.groupby(keys, sort=False)[column].shift(n)


def _pct_columns(new: pd.Series, base: pd.Series, zero_reason: str) -> tuple[pd.Series, pd.Series]:
    """(new − base)/|base| on nullable cents; reason ``NOT_LOADED`` / ``zero_reason``."""
    n = new.astype("float64").to_numpy()
    b = base.astype("float64").to_numpy()
    missing = np.isnan(n) | np.isnan(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(~missing & (b != 0), (n - b) / np.abs(b), np.nan)
    reason = np.select([missing, b == 0], [NOT_LOADED, zero_reason], default=None)
    return (pd.Series(pct, index=new.index, dtype="float64"),
            pd.Series(reason, index=new.index, dtype="str"))


def cost_trend(
    gl_lines: pd.DataFrame,
    budget: pd.DataFrame | None,
    cost_centers: pd.DataFrame | None,
    account_map: pd.DataFrame | None,
    period: str,
    *,
    months: int = 24,
    by: Sequence[str] | None = None,
    scope: str = "class6",
    last_closed_period: str | None = None,
    loaded_periods: Iterable[str] | None = None,
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Monthly cost with budget, month-over-month (F3) and rolling 12 months (F5).

    Parameters
    ----------
    period, months:
        The ``months`` periods ending with ``period`` are returned.
    by:
        Optional grouping: columns of :func:`cost_lines` (budget only for the budget grain).
    budget:
        Canonical budget, or None (budget column NA).

    Returns
    -------
    DataFrame
        ``period, *by, actual, budget`` (EUR, money; actual NA if the month is not loaded,
        budget NA if none) ``, mom`` (A(m) − A(m−1)) ``, mom_pct`` (/|A(m−1)|) ``, mom_reason``
        (``NEW`` when A(m−1) = 0, ``NOT_LOADED``) ``, r12`` (Σ A(m−11..m); NA with
        ``SHORT_BASE`` when fewer than 12 loaded months) ``, r12_reason, r12_growth``
        (r12(m)/r12(m−12) − 1 on |base|) ``, r12_growth_reason, loaded, provisional``.
    """
    keys = list(by or [])
    shown = period_range(shift_period(period, -(months - 1)), period)
    window = period_range(shift_period(shown[0], -23), period)
    lines = cost_lines(gl_lines, cost_centers, account_map, scope=scope, periods=window,
                       cost_center_filter=cost_center_filter)
    grid = _monthly_cents(lines, window, keys, _loaded(gl_lines, loaded_periods))
    grid = _trend_columns(grid, keys)
    grid = grid[grid["period"].isin(shown)]
    grid = grid.merge(_budget_by_period(budget, cost_centers, account_map, keys, shown,
                                        cost_center_filter, scope), on=[*keys, "period"],
                      how="left")
    grid["provisional"] = [_is_provisional(p, last_closed_period) for p in grid["period"]]
    cols = ["period", *keys, "actual", "budget", "mom", "mom_pct", "mom_reason", "r12",
            "r12_reason", "r12_growth", "r12_growth_reason", "loaded", "provisional"]
    return _sorted(grid[cols], [*keys, "period"])[cols]


def _trend_columns(grid: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Add actual, MoM and R12 columns to a cents grid."""
    grid = grid.reset_index(drop=True)
    prev = _shift_in_group(grid, keys, "cents", 1)
    grid["actual"] = from_cents(grid["cents"])
    grid["mom"] = from_cents(grid["cents"] - prev)
    grid["mom_pct"], grid["mom_reason"] = _pct_columns(grid["cents"], prev, NEW)
    roll = _rolling12(grid, keys)
    full = roll["n_loaded"] == 12
    grid["_r12"] = roll["r12"].astype("Int64").where(full)
    grid["r12"] = from_cents(grid["_r12"])
    grid["r12_reason"] = pd.Series(np.where(full, None, SHORT_BASE), dtype="str")
    prev12 = _shift_in_group(grid, keys, "_r12", 12)
    grid["r12_growth"], grid["r12_growth_reason"] = _pct_columns(grid["_r12"], prev12, NEW)
    grid.loc[prev12.isna() | ~full, "r12_growth_reason"] = SHORT_BASE
    return grid


def _budget_by_period(budget, cost_centers, account_map, keys, periods, cc_filter,
                      scope) -> pd.DataFrame:
    """Budget summed by group and period (empty frame when there is no budget)."""
    empty = pd.DataFrame({**{k: pd.Series(dtype="str") for k in [*keys, "period"]},
                          "budget": pd.Series(dtype=MONEY)})
    if budget is None:
        return empty
    bud = budget_lines(budget, cost_centers, account_map, cost_center_filter=cc_filter)
    bud = bud[bud["period"].isin(periods)]
    if scope != "class6":
        bud = bud[bud["category"].isin(_scope_categories(scope))]
    missing = [k for k in keys if k not in bud.columns]
    if missing or bud.empty:
        return empty
    return _sum_money(bud, [*keys, "period"]).rename(columns={"amount": "budget"})


def _scope_categories(scope: str) -> tuple[str, ...]:
    """Budget categories of a scope (budgets have no account below the category)."""
    if scope == "operating":
        return COST_CATEGORIES[:5]
    if scope == "total":
        return COST_CATEGORIES[:-1]
    return CATEGORIES


# --------------------------------------------------------------------------- F6 run-rate


def run_rate(
    gl_lines: pd.DataFrame,
    cost_centers: pd.DataFrame | None,
    account_map: pd.DataFrame | None,
    period: str,
    *,
    method: str = "3m",
    budget: pd.DataFrame | None = None,
    fiscal_year_start: int = 1,
    last_closed_period: str | None = None,
    loaded_periods: Iterable[str] | None = None,
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Annualised run-rate of total cost (F6), excluding 67 and 687 (one-offs).

    ``method="3m"``: 12 × mean of the last 3 closed months (≤ ``period`` and
    ``last_closed_period``); ``"1m"``: 12 × the last closed month. Fewer closed loaded
    months than the method needs → uses those available, reason ``SHORT_BASE``.

    Returns
    -------
    DataFrame
        One row: ``period, method, months_used, run_rate`` (EUR per year, money, rounded
        to the cent) ``, reason, budget_full_year`` (sum of the fiscal year's monthly
        budget for 60–68, NA without budget) ``, var, var_pct`` (run-rate vs that budget).
    """
    n_wanted = {"3m": 3, "1m": 1}[_check_choice(method, ("3m", "1m"), "method")]
    last = min(period, last_closed_period) if last_closed_period else period
    loaded = _loaded(gl_lines, loaded_periods)
    base = [p for p in period_range(shift_period(last, -(n_wanted - 1)), last) if p in loaded]
    lines = cost_lines(gl_lines, cost_centers, account_map, scope="total", periods=base,
                       cost_center_filter=cost_center_filter)
    lines = lines[~lines["account"].str.strip().str[:2].eq("67")
                  & ~lines["account"].str.strip().str[:3].eq("687")]
    total_cents = int(to_cents(lines["amount"]).sum()) if len(lines) else 0
    value = (Decimal(total_cents) * 12 / len(base) / 100).quantize(Decimal("0.01")) \
        if base else None
    row = {"period": period, "method": method, "months_used": len(base), "run_rate": value,
           "reason": SHORT_BASE if len(base) < n_wanted else None}
    out = pd.DataFrame([row]).astype({"run_rate": MONEY, "reason": "str"})
    return out.join(_full_year_budget(budget, cost_centers, account_map, period, out["run_rate"],
                                      fiscal_year_start, cost_center_filter))


def _full_year_budget(budget, cost_centers, account_map, period, run_rate_value, fys,
                      cc_filter) -> pd.DataFrame:
    """Full fiscal-year budget (60–68) and the run-rate's variance to it."""
    if budget is None:
        amount = pd.Series([pd.NA], dtype=MONEY)
    else:
        year = period_range(ytd_range(period, fys)[0], shift_period(ytd_range(period, fys)[0], 11))
        bud = budget_lines(budget, cost_centers, account_map, fiscal_year_start=fys,
                           cost_center_filter=cc_filter)
        bud = bud[bud["period"].isin(year) & bud["category"].isin(COST_CATEGORIES[:-1])]
        amount = _sum_money(bud, [])["amount"]
    var = _variance(run_rate_value, amount, UNBUDGETED)
    if budget is None:
        var.loc[:, ["var_pct"]] = np.nan
        var["var"] = pd.Series([pd.NA], dtype=MONEY)
    return pd.DataFrame({"budget_full_year": amount, "var": var["var"],
                         "var_pct": var["var_pct"]})


# --------------------------------------------------------------------------- F8/F9 offices


def back_office_share(
    gl_lines: pd.DataFrame,
    cost_centers: pd.DataFrame | None,
    account_map: pd.DataFrame | None,
    period: str,
    *,
    months: int = 24,
    scope: str = "operating",
    warn_threshold: float = 0.05,
    last_closed_period: str | None = None,
    loaded_periods: Iterable[str] | None = None,
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Back-office share of operating cost, month and R12 (F8), with the office split.

    ``bo_share = cost(office = back) / cost(all cost centres)``; ``other`` and
    ``unclassified`` (no office, unknown or UNALLOCATED cost centre) stay in the
    denominator.

    Returns
    -------
    DataFrame
        One row per period of the ``months`` ending with ``period``: ``period, back,
        front, other, unclassified, total`` (EUR, money) ``, bo_share, bo_share_reason,
        bo_share_r12, bo_share_r12_reason`` (``SHORT_BASE`` below 12 loaded months)
        ``, unclassified_share, unclassified_warning`` (share > ``warn_threshold``)
        ``, loaded, provisional``.
    """
    shown = period_range(shift_period(period, -(months - 1)), period)
    window = period_range(shift_period(shown[0], -11), period)
    lines = cost_lines(gl_lines, cost_centers, account_map, scope=scope, periods=window,
                       cost_center_filter=cost_center_filter)
    grid = _monthly_cents(lines, window, ["office"], _loaded(gl_lines, loaded_periods))
    wide = grid.pivot(index="period", columns="office", values="cents")
    wide = wide.reindex(index=window, columns=list(_OFFICES)).astype("Int64")
    loaded = pd.Series([p in _loaded(gl_lines, loaded_periods) for p in window], index=window)
    wide = wide.fillna(0).where(loaded, other=pd.NA).astype("Int64")
    wide["total"] = wide[list(_OFFICES)].sum(axis=1, min_count=1).where(loaded)
    out = _office_shares(wide.reset_index(names="period"), loaded.to_numpy(), warn_threshold)
    out = out[out["period"].isin(shown)].reset_index(drop=True)
    out["provisional"] = [_is_provisional(p, last_closed_period) for p in out["period"]]
    return out


def _office_shares(wide: pd.DataFrame, loaded: np.ndarray, warn_threshold: float) -> pd.DataFrame:
    """Money columns and month/R12 shares from a per-period cents table."""
    grid = wide.assign(loaded=loaded)
    share, reason = _share(grid["back"], grid["total"])
    r12_back = _rolling12(grid, [], "back")
    r12_total = _rolling12(grid, [], "total")
    full = r12_total["n_loaded"] == 12
    r12_share, r12_reason = _share(r12_back["r12"].where(full), r12_total["r12"].where(full))
    r12_reason = r12_reason.where(full, SHORT_BASE)
    unclassified, _ = _share(grid["unclassified"], grid["total"])
    out = pd.DataFrame({"period": grid["period"].astype("str")})
    for col in (*_OFFICES, "total"):
        out[col] = from_cents(grid[col])
    out["bo_share"], out["bo_share_reason"] = share, reason
    out["bo_share_r12"], out["bo_share_r12_reason"] = r12_share, r12_reason.astype("str")
    out["unclassified_share"] = unclassified
    out["unclassified_warning"] = (unclassified.fillna(0).abs() > warn_threshold).astype(bool)
    out["loaded"] = grid["loaded"].astype(bool)
    return out


def _share(part: pd.Series, whole: pd.Series) -> tuple[pd.Series, pd.Series]:
    """part / whole as float; NA with ``NOT_LOADED`` or ``DENOM_ZERO``."""
    p = pd.Series(part).astype("float64").to_numpy()
    w = pd.Series(whole).astype("float64").to_numpy()
    missing = np.isnan(p) | np.isnan(w)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(~missing & (w != 0), p / w, np.nan)
    reason = np.select([missing, w == 0], [NOT_LOADED, DENOM_ZERO], default=None)
    idx = pd.Series(part).index
    return pd.Series(value, index=idx, dtype="float64"), pd.Series(reason, index=idx, dtype="str")


def cost_per_fte(
    gl_lines: pd.DataFrame,
    employees: pd.DataFrame,
    cost_centers: pd.DataFrame | None,
    account_map: pd.DataFrame | None,
    periods: Sequence[str],
    *,
    by: Sequence[str] = ("department",),
    scope: str = "operating",
    total: bool = False,
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Cost per FTE on average FTE (F7), by department, office or cost centre.

    Cost and FTE use the same cost-centre filter; groups with people but no cost (or the
    reverse) are listed.

    Parameters
    ----------
    employees:
        Canonical ``employees`` (FTE per H2/H3, :mod:`backoffice_lib.hr`).
    periods:
        The months covered (e.g. ``periods.ytd_range(period)`` or ``r12_range(period)``).
    by:
        Subset of ``cost_center, department, office``.
    scope:
        Cost scope, default ``"operating"`` (60–65 + 681).
    total:
        Add a ``TOTAL`` row (FTE over all the filtered employees).

    Returns
    -------
    DataFrame
        ``*by, cost`` (EUR over the periods, money) ``, avg_fte`` (mean monthly FTE)
        ``, n_people`` (for :func:`privacy.suppress_small_groups`) ``, cost_per_fte`` (EUR
        per FTE over the periods) ``, cost_per_fte_annual`` (× 12 / number of periods,
        EUR per FTE per year) ``, reason`` (``DENOM_ZERO`` when avg FTE is 0) ``, n_periods``.
    """
    keys = _check_by(by, ("cost_center", "department", "office"))
    cost = costs_by(gl_lines, cost_centers, account_map, by=keys, periods=periods, scope=scope,
                    cost_center_filter=cost_center_filter).drop(columns="n_lines")
    fte = hr.average_fte(employees, periods, by=keys, cost_centers=cost_centers,
                         cost_center_filter=cost_center_filter)
    out = cost.merge(fte, on=keys, how="outer") if keys else pd.concat([cost, fte], axis=1)
    if total and keys:
        out = pd.concat([out, _total_row(out, keys, employees, periods, cost_centers,
                                         cost_center_filter)], ignore_index=True)
    return _per_fte(out.rename(columns={"amount": "cost"}), keys, len(periods))


def _total_row(out, keys, employees, periods, cost_centers, cc_filter) -> pd.DataFrame:
    fte = hr.average_fte(employees, periods, cost_centers=cost_centers,
                         cost_center_filter=cc_filter)
    row = fte.assign(**{k: TOTAL for k in keys})
    row["amount"] = pd.Series([as_money(out["amount"].fillna(ZERO)).sum()], dtype=MONEY)
    return row


def _per_fte(out: pd.DataFrame, keys: list[str], n_periods: int) -> pd.DataFrame:
    out = out.copy()
    out["cost"] = as_money(out["cost"].fillna(ZERO))
    out["avg_fte"] = out["avg_fte"].fillna(0.0)
    out["n_people"] = out["n_people"].fillna(0).astype("int64")
    out["n_periods"] = n_periods
    per, reason = _share(out["cost"], out["avg_fte"])
    out["cost_per_fte"], out["reason"] = per, reason
    out["cost_per_fte_annual"] = per * 12 / n_periods if n_periods else np.nan
    is_total = out[keys[0]].eq(TOTAL) if keys else pd.Series(False, index=out.index)
    body = _sorted(out[~is_total], keys)
    out = pd.concat([body, out[is_total]], ignore_index=True)
    return out[[*keys, "cost", "avg_fte", "n_people", "cost_per_fte", "cost_per_fte_annual",
                "reason", "n_periods"]]


def support_ratio(
    gl_lines: pd.DataFrame,
    employees: pd.DataFrame,
    cost_centers: pd.DataFrame | None,
    account_map: pd.DataFrame | None,
    periods: Sequence[str],
    *,
    scope: str = "operating",
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Support ratio (F9) in FTE and in cost terms, per month.

    ``support_ratio_fte = 100 × FTE(back) / FTE(front)`` with the month's pro-rated FTE
    (H2): back-office FTE per 100 front-office FTE. ``support_ratio_cost = 100 ×
    cost(back) / cost(front)``: back-office euros per 100 € of front-office cost. ``other``
    and unclassified cost centres are on neither side.

    Returns
    -------
    DataFrame
        ``period, back_fte, front_fte, support_ratio_fte, support_ratio_fte_reason,
        back_cost, front_cost`` (EUR, money) ``, support_ratio_cost,
        support_ratio_cost_reason`` (``DENOM_ZERO`` when the front side is 0)
        ``, n_people_back, n_people_front``.
    """
    periods = list(periods)
    fte = hr.monthly_fte(employees, periods, by=["office"], cost_centers=cost_centers,
                         cost_center_filter=cost_center_filter)
    f = fte.pivot_table(index="period", columns="office", values=["fte", "n_people"],
                        aggfunc="sum").reindex(periods)
    cost = costs_by(gl_lines, cost_centers, account_map, by=["period", "office"],
                    periods=periods, scope=scope, cost_center_filter=cost_center_filter)
    cost["cents"] = to_cents(cost["amount"])
    c = cost.pivot(index="period", columns="office", values="cents").reindex(periods)
    out = pd.DataFrame({"period": pd.Series(periods, dtype="str")})
    for side in ("back", "front"):
        out[f"{side}_fte"] = _column(f, ("fte", side), 0.0).to_numpy(dtype="float64")
        out[f"{side}_cost"] = from_cents(pd.Series(_column(c, side, 0).to_numpy(), dtype="Int64"))
        out[f"n_people_{side}"] = _column(f, ("n_people", side), 0).to_numpy(dtype="int64")
    ratio_fte, out["support_ratio_fte_reason"] = _share(out["back_fte"], out["front_fte"])
    ratio_cost, out["support_ratio_cost_reason"] = _share(out["back_cost"], out["front_cost"])
    out["support_ratio_fte"], out["support_ratio_cost"] = 100 * ratio_fte, 100 * ratio_cost
    return out[["period", "back_fte", "front_fte", "support_ratio_fte", "support_ratio_fte_reason",
                "back_cost", "front_cost", "support_ratio_cost", "support_ratio_cost_reason",
                "n_people_back", "n_people_front"]]


def _column(frame: pd.DataFrame, key: object, default: object) -> pd.Series:
    if key in frame.columns:
        return frame[key].fillna(default)
    return pd.Series(default, index=frame.index)


# --------------------------------------------------------------------------- F10 top movers


def _cells(gl_lines, cost_centers, account_map, periods, keys, cc_filter) -> pd.DataFrame:
    lines = cost_lines(gl_lines, cost_centers, account_map, periods=periods,
                       cost_center_filter=cc_filter)
    lines["vendor_id"] = lines["vendor_id"].fillna(UNKNOWN_VENDOR)
    return _sum_money(lines, keys)


def _mover_base(gl_lines, budget, cost_centers, account_map, period, basis, keys,
                cc_filter) -> pd.DataFrame:
    """Base amounts by ``keys``: the budget of the month or the prior month's actual."""
    if basis == "prior_month":
        return _cells(gl_lines, cost_centers, account_map, [shift_period(period, -1)], keys,
                      cc_filter)
    bud = budget_lines(budget, cost_centers, account_map, cost_center_filter=cc_filter)
    bud = bud[bud["period"] == period]
    if "vendor_id" in keys:
        bud = bud.assign(vendor_id=pd.NA)
    return _sum_money(bud.dropna(subset=[k for k in keys if k in ("account", "vendor_id")]),
                      keys) if len(bud) else pd.DataFrame(columns=[*keys, "amount"])


def _deltas(actual: pd.DataFrame, base: pd.DataFrame, keys: list[str], reason: str) -> pd.DataFrame:
    out = actual.rename(columns={"amount": "actual"}).merge(
        base.rename(columns={"amount": "base"}), on=keys, how="outer")
    out["actual"] = as_money(out["actual"].astype(MONEY).fillna(ZERO))
    out["base"] = as_money(out["base"].astype(MONEY).fillna(ZERO))
    var = _variance(out["actual"], out["base"], reason)
    out["delta"], out["delta_pct"], out["reason"], out["flag"] = (
        var["var"], var["var_pct"], var["reason"], var["flag"])
    return out


def top_movers(
    gl_lines: pd.DataFrame,
    cost_centers: pd.DataFrame | None,
    account_map: pd.DataFrame | None,
    period: str,
    *,
    basis: str = "budget",
    budget: pd.DataFrame | None = None,
    abs_threshold: Decimal | float = Decimal("5000"),
    pct_threshold: float = 0.10,
    top_n: int = 10,
    contributors_by: str = "account",
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Material moves by cost centre × category, ranked by |Δ| (F10).

    A cell is material when ``|Δ| ≥ abs_threshold`` **and** ``|Δ%| ≥ pct_threshold``
    (defaults €5 000 and 10 %). Base 0 → Δ% infinite: material on the amount test alone,
    reason ``UNBUDGETED`` (budget basis) or ``NEW`` (prior-month basis).

    Parameters
    ----------
    basis:
        ``"budget"`` (Δ vs the month's budget, F2; needs ``budget``) or ``"prior_month"`` (F3).
    contributors_by:
        ``"account"`` or ``"vendor_id"``: the three largest |Δ| at that level within the cell
        (vs prior month; vs the account budget where the budget has accounts, else 0).

    Returns
    -------
    DataFrame
        ``rank, cost_center, cost_center_name, department, category, actual, base, delta``
        (EUR, money) ``, delta_pct, reason, flag`` (F/U) ``, contributors`` (up to three
        account or vendor codes, comma-separated, largest first). At most ``top_n`` rows.
    """
    _check_choice(basis, ("budget", "prior_month"), "basis")
    _check_choice(contributors_by, ("account", "vendor_id"), "contributors_by")
    if basis == "budget" and budget is None:
        raise _param_error("budget_required")
    keys = ["cost_center", "cost_center_name", "department", "category"]
    zero_reason = UNBUDGETED if basis == "budget" else NEW
    cells = _deltas(_cells(gl_lines, cost_centers, account_map, [period], keys, cost_center_filter),
                    _mover_base(gl_lines, budget, cost_centers, account_map, period, basis, keys,
                                cost_center_filter), keys, zero_reason)
    movers = _material(cells, Decimal(str(abs_threshold)), pct_threshold).head(top_n)
    detail = _deltas(
        _cells(gl_lines, cost_centers, account_map, [period], [*keys, contributors_by],
               cost_center_filter),
        _mover_base(gl_lines, budget, cost_centers, account_map, period, basis,
                    [*keys, contributors_by], cost_center_filter),
        [*keys, contributors_by], zero_reason)
    movers["contributors"] = _top_contributors(movers, detail, keys, contributors_by)
    return movers[["rank", *keys, "actual", "base", "delta", "delta_pct", "reason", "flag",
                   "contributors"]]


def _material(cells: pd.DataFrame, abs_threshold: Decimal, pct_threshold: float) -> pd.DataFrame:
    """Material cells ranked by |Δ| desc (ties: cost centre, category order)."""
    cents = to_cents(cells["delta"]).fillna(0).to_numpy(dtype="int64")
    base_zero = to_cents(cells["base"]).fillna(0).to_numpy(dtype="int64") == 0
    amount_ok = (np.abs(cents) >= int(abs_threshold * 100)) & (cents != 0)
    pct_ok = base_zero | (cells["delta_pct"].abs().to_numpy() >= pct_threshold)
    out = cells[amount_ok & pct_ok].assign(_abs=np.abs(cents[amount_ok & pct_ok]))
    out = out.assign(_cat=_category_rank(out["category"]))
    out = out.sort_values(["_abs", "cost_center", "_cat"], ascending=[False, True, True],
                          kind="stable").drop(columns=["_abs", "_cat"]).reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def _top_contributors(movers, detail, keys, level) -> pd.Series:
    """Codes of the three largest |Δ| at ``level`` inside each mover cell."""
    if movers.empty:
        return pd.Series([], dtype="str")
    detail = detail.assign(_abs=to_cents(detail["delta"]).fillna(0).abs())
    detail = detail[detail["_abs"] > 0].sort_values(["_abs", level], ascending=[False, True],
                                                    kind="stable")
    top = detail.groupby(keys, sort=False).head(3)
    joined = top.groupby(keys, sort=False)[level].agg(lambda s: ", ".join(s.astype(str)))
    merged = movers[keys].merge(joined.rename("contributors").reset_index(), on=keys, how="left")
    return merged["contributors"].astype("str").set_axis(movers.index)


# --------------------------------------------------------------------------- F11 vendor Pareto


def vendor_pareto(
    gl_lines: pd.DataFrame,
    cost_centers: pd.DataFrame | None,
    account_map: pd.DataFrame | None,
    period: str,
    *,
    months: int = 12,
    account_prefixes: Sequence[str] = ("60", "61", "62"),
    threshold: float = 0.8,
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Vendor spend Pareto over the ``months`` ending with ``period`` (F11, default R12).

    Spend = net amount (credit notes included) of lines on ``account_prefixes``; a cost
    line without vendor takes its entry's 401 vendor, else goes to ``UNKNOWN_VENDOR``,
    which is shown last and left out of the ranking and the shares.

    Returns
    -------
    DataFrame
        ``rank`` (Int64; NA for UNKNOWN_VENDOR) ``, vendor_id, spend`` (EUR, money)
        ``, share, cum_share`` (fractions of ranked spend) ``, share_of_all`` (of all spend,
        unknown included) ``, within_threshold`` (the vendors needed to reach ``threshold``
        of spend, the last one included). Ranked by spend desc, ties by vendor_id.
    """
    window = period_range(shift_period(period, -(months - 1)), period)
    lines = cost_lines(gl_lines, cost_centers, account_map, periods=window,
                       cost_center_filter=cost_center_filter)
    lines = lines[lines["account"].str.strip().str.startswith(tuple(account_prefixes))]
    lines = lines.assign(vendor_id=lines["vendor_id"].fillna(UNKNOWN_VENDOR))
    spend = _sum_money(lines, ["vendor_id"])
    spend["cents"] = to_cents(spend["amount"]).astype("int64")
    known = spend[spend["vendor_id"] != UNKNOWN_VENDOR].sort_values(
        ["cents", "vendor_id"], ascending=[False, True], kind="stable")
    known_total, all_total = int(known["cents"].sum()), int(spend["cents"].sum())
    known = known.assign(rank=np.arange(1, len(known) + 1), _cum=known["cents"].cumsum())
    known["share"] = known["cents"] / known_total if known_total > 0 else np.nan
    known["cum_share"] = known["_cum"] / known_total if known_total > 0 else np.nan
    reached = known["cum_share"] >= threshold - 1e-12
    n_needed = int(known.loc[reached, "rank"].min()) if reached.any() else len(known)
    known["within_threshold"] = known["rank"] <= n_needed if known_total > 0 else False
    unknown = spend[spend["vendor_id"] == UNKNOWN_VENDOR].assign(within_threshold=False)
    out = pd.concat([known, unknown], ignore_index=True)
    out["share_of_all"] = out["cents"] / all_total if all_total != 0 else np.nan
    out["rank"] = out["rank"].astype("Int64")
    out["within_threshold"] = out["within_threshold"].astype(bool)
    return out.rename(columns={"amount": "spend"})[
        ["rank", "vendor_id", "spend", "share", "cum_share", "share_of_all", "within_threshold"]]


def vendor_pareto_summary(pareto: pd.DataFrame, top_n: int = 10) -> pd.DataFrame:
    """One-row summary of :func:`vendor_pareto`: the headline numbers of F11.

    Returns
    -------
    DataFrame
        ``total_spend, ranked_spend, unknown_spend`` (EUR, money) ``, n_vendors,
        n_vendors_threshold`` (vendors needed to reach the threshold) ``, top_n_share``
        (share of the ``top_n`` largest) ``, unknown_share, reason`` (``DENOM_ZERO`` when
        ranked spend ≤ 0).
    """
    ranked = pareto[pareto["rank"].notna()]
    unknown = pareto[pareto["rank"].isna()]
    ranked_cents = int(to_cents(ranked["spend"]).sum()) if len(ranked) else 0
    unknown_cents = int(to_cents(unknown["spend"]).sum()) if len(unknown) else 0
    top_cents = int(to_cents(ranked["spend"].head(top_n)).sum()) if len(ranked) else 0
    total = ranked_cents + unknown_cents
    ok = ranked_cents > 0
    row = {
        "total_spend": Decimal(total) / 100, "ranked_spend": Decimal(ranked_cents) / 100,
        "unknown_spend": Decimal(unknown_cents) / 100, "n_vendors": len(ranked),
        "n_vendors_threshold": int(ranked["within_threshold"].sum()) if ok else pd.NA,
        "top_n_share": top_cents / ranked_cents if ok else np.nan,
        "unknown_share": unknown_cents / total if total else np.nan,
        "reason": None if ok else DENOM_ZERO,
    }
    out = pd.DataFrame([row])
    return out.astype({"total_spend": MONEY, "ranked_spend": MONEY, "unknown_spend": MONEY,
                       "n_vendors_threshold": "Int64", "top_n_share": "float64",
                       "unknown_share": "float64", "reason": "str"})


# --------------------------------------------------------------------------- F12 cut-off


def _entry_rows(lines: pd.DataFrame, check: str, amount: pd.Series, expected: pd.Series
                ) -> pd.DataFrame:
    """One exception row per entry of ``lines`` (first line's attributes)."""
    first = lines.sort_values(["entry_id", "line_no"], kind="stable").drop_duplicates("entry_id")
    first = first.set_index("entry_id")
    out = pd.DataFrame({"entry_id": first.index.astype("str")})
    out["check"] = check
    for col in ("period", "document_ref", "posting_date", "entry_date"):
        out[col] = first[col].to_numpy()
    out["account"], out["vendor_id"] = pd.NA, pd.NA
    out["amount"] = as_money(amount.reindex(first.index).astype(MONEY)).to_numpy()
    out["expected"] = expected.reindex(first.index).astype("str").to_numpy()
    return _exceptions_frame(out)


def _exceptions_frame(rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Exceptions with :data:`EXCEPTION_COLUMNS` and stable dtypes."""
    dtypes = {"check": "str", "period": "str", "entry_id": "str", "account": "str",
              "vendor_id": "str", "document_ref": "str", "posting_date": "datetime64[us]",
              "entry_date": "datetime64[us]", "amount": MONEY, "expected": "str"}
    if rows is None or rows.empty:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in dtypes.items()})
    return rows.reindex(columns=EXCEPTION_COLUMNS).astype(dtypes).reset_index(drop=True)


def _debit_total(lines: pd.DataFrame) -> pd.Series:
    """Σ debits per entry: the size of an entry."""
    amount = as_money(lines["amount"])
    return as_money(amount.where(amount > 0, ZERO).groupby(lines["entry_id"]).sum())


def late_postings(
    gl_lines: pd.DataFrame,
    period: str,
    *,
    close_working_day: int = 5,
    extra_holidays: Iterable = (),
    alsace_moselle: bool = False,
) -> pd.DataFrame:
    """Entries of ``period`` keyed after its close date (F12 ``POSTED_AFTER_CLOSE``).

    The close date is the ``close_working_day``-th working day of the next month
    (:func:`periods.close_date`); ``entry_date`` is when the entry was keyed/validated
    (lines without it cannot be judged and are skipped).

    Returns
    -------
    DataFrame
        :data:`EXCEPTION_COLUMNS`, one row per entry; ``amount`` = Σ debits of the entry;
        ``expected`` = the close date (ISO).
    """
    limit = pd.Timestamp(close_date(period, close_working_day, tuple(extra_holidays),
                                    alsace_moselle))
    lines = gl_lines[(gl_lines["period"] == period)]
    late = lines[lines["entry_date"].dt.normalize() > limit]
    entries = lines[lines["entry_id"].isin(late["entry_id"])]
    expected = pd.Series(limit.date().isoformat(), index=entries["entry_id"].unique())
    return _entry_rows(entries, "POSTED_AFTER_CLOSE", _debit_total(entries), expected)


def posting_outside_period(gl_lines: pd.DataFrame, period: str) -> pd.DataFrame:
    """Entries whose period differs from their posting date's month (F12).

    Looks at lines booked in ``period`` or dated in it. ``expected`` = the posting
    date's period; ``amount`` = Σ debits of the entry.
    """
    dated = periods_of(gl_lines["posting_date"])
    touched = (gl_lines["period"] == period) | (dated == period)
    wrong = touched & dated.notna() & (gl_lines["period"] != dated)
    entries = gl_lines[gl_lines["entry_id"].isin(gl_lines.loc[wrong, "entry_id"]) & touched]
    expected = dated[wrong].groupby(gl_lines.loc[wrong, "entry_id"]).first()
    return _entry_rows(entries, "POSTING_OUTSIDE_PERIOD", _debit_total(entries), expected)


def unbalanced_entries(gl_lines: pd.DataFrame, period: str) -> pd.DataFrame:
    """Entries with a line in ``period`` whose lines do not sum to 0.00 (F12).

    ``amount`` = Σ amount of the entry (debit − credit, the imbalance); ``expected`` 0.00.
    """
    ids = gl_lines.loc[gl_lines["period"] == period, "entry_id"].unique()
    entries = gl_lines[gl_lines["entry_id"].isin(ids)]
    balance = as_money(as_money(entries["amount"]).groupby(entries["entry_id"]).sum())
    off = balance[to_cents(balance).fillna(0) != 0]
    entries = entries[entries["entry_id"].isin(off.index)]
    return _entry_rows(entries, "UNBALANCED_ENTRY", off, pd.Series("0.00", index=off.index))


def duplicate_lines(gl_lines: pd.DataFrame, period: str) -> pd.DataFrame:
    """Lines of ``period`` sharing ``entry_id`` + ``line_no`` (F1: reported, never dropped).

    One row per repeated line; ``amount`` is that line's amount (it stays in totals).
    """
    lines = gl_lines[gl_lines["period"] == period]
    dup = lines[lines.duplicated(["entry_id", "line_no"], keep=False)]
    out = dup.reindex(columns=EXCEPTION_COLUMNS).assign(check="DUPLICATE_LINE",
                                                        expected=dup["line_no"].astype("str"))
    out["amount"] = dup["amount"]
    return _exceptions_frame(out)


def _accrual_prefix(accounts: pd.Series, accrual_accounts: Mapping[str, int]) -> pd.Series:
    acc = accounts.astype("str").str.strip()
    prefix = pd.Series(pd.NA, index=acc.index, dtype="str")
    for p in sorted(accrual_accounts, key=len, reverse=True):
        prefix = prefix.mask(prefix.isna() & acc.str.startswith(p).fillna(False), p)
    return prefix


def _accrual_matches(gl_lines: pd.DataFrame, period: str,
                     accrual_accounts: Mapping[str, int]) -> pd.DataFrame:
    """Booked (in ``period``) vs reversed (in the next period) cents per account and key."""
    lines = gl_lines[gl_lines["period"].isin([period, shift_period(period, 1)])].copy()
    lines["_prefix"] = _accrual_prefix(lines["account"], accrual_accounts)
    lines = lines[lines["_prefix"].notna()]
    side = lines["_prefix"].map(accrual_accounts).astype("int64")
    cents = to_cents(lines["amount"]).fillna(0).astype("int64")
    lines["_key"] = lines["vendor_id"].fillna(lines["document_ref"]).fillna("")
    booked = (lines["period"] == period) & (np.sign(cents) == side)
    reversed_ = (lines["period"] != period) & (np.sign(cents) == -side)
    lines["booked"] = (cents * side).where(booked, 0)
    lines["reversed"] = (-cents * side).where(reversed_, 0)
    grouped = lines.groupby(["account", "_key"], sort=True).agg(
        booked=("booked", "sum"), reversed=("reversed", "sum"), vendor_id=("vendor_id", "first"),
        document_ref=("document_ref", "first"), entry_id=("entry_id", "first"),
        posting_date=("posting_date", "min"))
    return grouped[grouped["booked"] > 0].reset_index()


def unreversed_accruals(
    gl_lines: pd.DataFrame,
    period: str,
    *,
    accrual_accounts: Mapping[str, int] = ACCRUAL_ACCOUNTS,
    loaded_periods: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Accruals booked in ``period`` not reversed in the next one (F12 ``ACCRUAL_NOT_REVERSED``).

    An accrual is a line on 408/4286/4386/486/487 on its booking side (credit for 408,
    4286, 4386, 487; debit for 486). It must be reversed in ``period`` + 1 by the
    opposite amount on the same account and vendor (or document_ref when there is no
    vendor). Matching is by total per account and key; a partial reversal leaves the
    rest as exception. If the next period is not loaded, nothing can be judged yet.

    Returns
    -------
    DataFrame
        :data:`EXCEPTION_COLUMNS`; ``amount`` = unreversed amount (EUR, positive);
        ``expected`` = the period the reversal was due in.
    """
    due = shift_period(period, 1)
    if due not in _loaded(gl_lines, loaded_periods):
        return _exceptions_frame()
    match = _accrual_matches(gl_lines, period, accrual_accounts)
    left = match[match["booked"] > match["reversed"]]
    rows = left.assign(check="ACCRUAL_NOT_REVERSED", period=period, expected=due,
                       entry_date=pd.NaT,
                       amount=from_cents(left["booked"] - left["reversed"]).to_numpy())
    return _exceptions_frame(rows)


def accrual_reversal_rate(
    gl_lines: pd.DataFrame,
    period: str,
    *,
    accrual_accounts: Mapping[str, int] = ACCRUAL_ACCOUNTS,
) -> pd.DataFrame:
    """``accrual_reversal_rate = reversed / booked`` for accruals booked in ``period`` (F12).

    Reversals count up to the booked amount of each account and key.

    Returns
    -------
    DataFrame
        One row: ``period, booked, reversed`` (EUR, money, positive) ``, rate, reason``.
    """
    match = _accrual_matches(gl_lines, period, accrual_accounts)
    booked = int(match["booked"].sum())
    reversed_ = int(np.minimum(match["booked"], match["reversed"]).sum())
    rate = reversed_ / booked if booked else np.nan
    out = pd.DataFrame({"period": [period]})
    out["booked"] = from_cents(pd.Series([booked]))
    out["reversed"] = from_cents(pd.Series([reversed_]))
    out["rate"] = rate
    out["reason"] = pd.Series([None if booked else DENOM_ZERO], dtype="str")
    return out


def missing_invoice_accruals(
    gl_lines: pd.DataFrame, supplier_invoices: pd.DataFrame, period: str
) -> pd.DataFrame:
    """Invoices dated in or before ``period`` but received after it, with no 408 accrual
    for their vendor in ``period`` (F12 ``MISSING_INVOICE_ACCRUAL``).

    Returns
    -------
    DataFrame
        :data:`EXCEPTION_COLUMNS`; ``document_ref`` = invoice_id, ``amount`` = invoice HT,
        ``expected`` = ``"408"``.
    """
    end = pd.Timestamp(period_end(period))
    inv = supplier_invoices
    late = inv[(inv["invoice_date"] <= end) & (inv["received_date"] > end)]
    acc408 = gl_lines[(gl_lines["period"] == period)
                      & gl_lines["account"].astype("str").str.startswith("408").fillna(False)
                      & (as_money(gl_lines["amount"]) < 0).fillna(False)]
    late = late[~late["vendor_id"].isin(acc408["vendor_id"].dropna())]
    rows = pd.DataFrame({
        "check": "MISSING_INVOICE_ACCRUAL", "period": period, "vendor_id": late["vendor_id"],
        "document_ref": late["invoice_id"], "posting_date": late["invoice_date"],
        "amount": late["amount"], "expected": "408"})
    return _exceptions_frame(rows)


def recurring_cost_gaps(
    gl_lines: pd.DataFrame,
    period: str,
    *,
    months: int = 3,
    account_prefixes: Sequence[str] = ("60", "61", "62"),
) -> pd.DataFrame:
    """Vendors with spend in each of the ``months`` previous months and none in ``period``
    (F12 ``POSSIBLE_MISSING_ACCRUAL``).

    Returns
    -------
    DataFrame
        :data:`EXCEPTION_COLUMNS`; ``amount`` = the vendor's mean monthly spend over those
        months (the likely missing amount), ``expected`` = their first period.
    """
    before = period_range(shift_period(period, -months), shift_period(period, -1))
    lines = gl_lines[gl_lines["period"].isin([*before, period])].copy()
    lines["vendor_id"] = _propagate_vendor(gl_lines).loc[lines.index]
    acc = lines["account"].astype("str").str.strip()
    lines = lines[acc.str.startswith(tuple(account_prefixes)).fillna(False)
                  & lines["vendor_id"].notna()]
    spend = _sum_money(lines, ["vendor_id", "period"])
    spend["cents"] = to_cents(spend["amount"]).astype("int64")
    wide = spend.pivot(index="vendor_id", columns="period", values="cents")
    wide = wide.reindex(columns=[*before, period]).fillna(0)
    gap = wide[(wide[before] > 0).all(axis=1) & (wide[period] <= 0)]
    mean_cents = (gap[before].sum(axis=1) // months).astype("int64")
    rows = pd.DataFrame({"check": "POSSIBLE_MISSING_ACCRUAL", "period": period,
                         "vendor_id": gap.index, "expected": before[0],
                         "amount": from_cents(mean_cents).to_numpy()})
    return _exceptions_frame(rows)


def cutoff_exceptions(
    gl_lines: pd.DataFrame,
    period: str,
    *,
    close_working_day: int = 5,
    extra_holidays: Iterable = (),
    alsace_moselle: bool = False,
    supplier_invoices: pd.DataFrame | None = None,
    accrual_accounts: Mapping[str, int] = ACCRUAL_ACCOUNTS,
    loaded_periods: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Every cut-off exception of the close of ``period`` (F12), one tidy table.

    Checks: entries posted after the close date, postings outside their period,
    unbalanced entries, duplicate lines, accruals booked in the previous month and not
    reversed in ``period``, invoices without FNP accrual (when ``supplier_invoices`` is
    given), recurring vendors missing this month.

    Returns
    -------
    DataFrame
        :data:`EXCEPTION_COLUMNS`, ordered by :data:`CUTOFF_CHECKS` then entry.
    """
    parts = [
        late_postings(gl_lines, period, close_working_day=close_working_day,
                      extra_holidays=extra_holidays, alsace_moselle=alsace_moselle),
        posting_outside_period(gl_lines, period),
        unbalanced_entries(gl_lines, period),
        duplicate_lines(gl_lines, period),
        unreversed_accruals(gl_lines, shift_period(period, -1), accrual_accounts=accrual_accounts,
                            loaded_periods=loaded_periods),
        recurring_cost_gaps(gl_lines, period),
    ]
    if supplier_invoices is not None:
        parts.append(missing_invoice_accruals(gl_lines, supplier_invoices, period))
    out = pd.concat([p for p in parts if not p.empty] or [_exceptions_frame()],
                    ignore_index=True)
    order = out["check"].map({c: i for i, c in enumerate(CUTOFF_CHECKS)})
    out = out.assign(_o=order).sort_values(["_o", "entry_id", "account", "vendor_id"],
                                           kind="stable", na_position="last")
    return _exceptions_frame(out.drop(columns="_o"))


def cutoff_summary(exceptions: pd.DataFrame) -> pd.DataFrame:
    """Count and EUR amount of exceptions per check (F12 KPIs), every check listed.

    Returns
    -------
    DataFrame
        ``check, count, amount`` (EUR, money; Σ of the exceptions' amounts).
    """
    counts = exceptions.groupby("check").size()
    amounts = _sum_money(exceptions, ["check"]).set_index("check")["amount"]
    out = pd.DataFrame({"check": pd.Series(CUTOFF_CHECKS, dtype="str")})
    out["count"] = out["check"].map(counts).fillna(0).astype("int64")
    out["amount"] = as_money(out["check"].map(amounts).astype(MONEY).fillna(ZERO))
    return out


# --------------------------------------------------------------------------- reconciliation


def _analysed_total(table: pd.DataFrame, periods: list[str], column: str | None) -> Decimal:
    column = column or next(c for c in ("amount", "actual", "cost", "spend") if c in table)
    rows = table[table["period"].isin(periods)] if "period" in table else table
    values = as_money(rows[column].astype(MONEY))
    return Decimal(values.sum()) if len(values) else ZERO


def reconcile(
    gl_lines: pd.DataFrame,
    analysed_costs: pd.DataFrame | Mapping[str, pd.DataFrame],
    period: str | Sequence[str],
    *,
    amount_column: str | None = None,
    scope: str = "class6",
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Tie analysed tables to the ledger, to the cent.

    The ledger side is computed straight from ``gl_lines`` by account prefix (not through
    the account map): Σ amount of the scope's lines of the period(s).

    Parameters
    ----------
    analysed_costs:
        A cost table, or ``{name: table}``. A table with a ``period`` column is limited
        to ``period``; its amounts are ``amount_column`` (default the first of ``amount``,
        ``actual``, ``cost``, ``spend``). Do not pass tables holding a total row.
    period:
        One period or a list (e.g. a YTD range).
    scope, cost_center_filter:
        As used to build the tables.

    Returns
    -------
    DataFrame
        One row per table: ``table, periods, ledger, analysed, difference`` (EUR, money;
        analysed − ledger) ``, ties`` (difference == 0.00).
    """
    periods = [period] if isinstance(period, str) else list(period)
    tables = analysed_costs if isinstance(analysed_costs, Mapping) else {"costs": analysed_costs}
    gl = gl_lines[_scope_mask(gl_lines["account"], scope) & gl_lines["period"].isin(periods)]
    if cost_center_filter is not None:
        gl = gl[gl["cost_center"].fillna(UNALLOCATED).isin(list(cost_center_filter))]
    ledger = Decimal(as_money(gl["amount"]).sum()) if len(gl) else ZERO
    rows = []
    for name, table in tables.items():
        analysed = _analysed_total(table, periods, amount_column)
        span = periods[0] if len(periods) == 1 else f"{periods[0]}..{periods[-1]}"
        rows.append({"table": name, "periods": span, "ledger": ledger,
                     "analysed": analysed, "difference": analysed - ledger})
    out = pd.DataFrame(rows).astype({"ledger": MONEY, "analysed": MONEY, "difference": MONEY})
    out["ties"] = (to_cents(out["difference"]) == 0).astype(bool)
    return out


# --------------------------------------------------------------------------- headline, commentary


def headline(
    gl_lines: pd.DataFrame,
    budget: pd.DataFrame | None,
    cost_centers: pd.DataFrame | None,
    account_map: pd.DataFrame | None,
    period: str,
    *,
    last_closed_period: str | None = None,
    loaded_periods: Iterable[str] | None = None,
    cost_center_filter: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Headline numbers for the tiles of the cost report.

    Returns
    -------
    DataFrame
        One row per KPI: ``kpi`` (code) ``, label`` (catalogue, language in force)
        ``, value`` (Decimal for EUR, float for fractions, None when not computable)
        ``, unit`` (``EUR`` or ``fraction``) ``, reason, provisional``. KPIs:
        ``total_cost`` (60–68, month), ``budget``, ``budget_variance`` (EUR) and
        ``budget_variance_pct`` (vs |budget|), ``yoy_pct`` (vs the same month last year),
        ``bo_share`` (back-office share of operating cost, month) and ``bo_share_r12``.
    """
    opts = dict(last_closed_period=last_closed_period, loaded_periods=loaded_periods,
                cost_center_filter=cost_center_filter)
    bva = budget_vs_actual(gl_lines, _empty_budget() if budget is None else budget, cost_centers,
                           account_map, period, by=["category"], **opts)
    bva = bva[bva["category"].isin(COST_CATEGORIES[:-1])]
    actual, bud, prior = (_total(bva[c]) for c in ("actual", "budget", "prior_year"))
    if period not in _loaded(gl_lines, loaded_periods):
        actual = None
    var = _variance(pd.Series([actual], dtype=MONEY), pd.Series([bud], dtype=MONEY), UNBUDGETED)
    yoy = _variance(pd.Series([actual], dtype=MONEY), pd.Series([prior], dtype=MONEY), NEW)
    bo = back_office_share(gl_lines, cost_centers, account_map, period, months=1, **opts).iloc[0]
    if budget is None:
        var = pd.DataFrame({"var": [None], "var_pct": [None], "reason": [None]}, dtype=object)
        bud = None
    rows = [
        ("total_cost", actual, "EUR", NOT_LOADED if actual is None else None),
        ("budget", bud, "EUR", None),
        ("budget_variance", _value(var["var"]), "EUR", _value(var["reason"])),
        ("budget_variance_pct", _value(var["var_pct"]), "fraction", _value(var["reason"])),
        ("yoy_pct", _value(yoy["var_pct"]), "fraction", _value(yoy["reason"])),
        ("bo_share", _value(bo["bo_share"]), "fraction", _value(bo["bo_share_reason"])),
        ("bo_share_r12", _value(bo["bo_share_r12"]), "fraction", _value(bo["bo_share_r12_reason"])),
    ]
    out = pd.DataFrame(rows, columns=["kpi", "value", "unit", "reason"])
    out.insert(1, "label", [t(f"finance.kpi.{k}") for k in out["kpi"]])
    out["reason"] = out["reason"].astype("str")
    out["provisional"] = _is_provisional(period, last_closed_period)
    return out


def _empty_budget() -> pd.DataFrame:
    from .tables import BUDGET

    return BUDGET.empty_frame()


def _total(values: pd.Series) -> Decimal | None:
    if values.isna().any():
        return None
    return Decimal(as_money(values).sum()) if len(values) else ZERO


def _value(series: pd.Series) -> object:
    """First value as a plain Python object (Decimal, float, str) or None when missing."""
    value = series.iloc[0] if isinstance(series, pd.Series) else series
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _is_material(row: pd.Series, abs_threshold: Decimal, pct_threshold: float) -> bool:
    var = row["var"]
    if var is None or var is pd.NA or abs(Decimal(var)) < abs_threshold or Decimal(var) == 0:
        return False
    return pd.isna(row["var_pct"]) or abs(row["var_pct"]) >= pct_threshold


def commentary_facts(
    gl_lines: pd.DataFrame,
    budget: pd.DataFrame,
    cost_centers: pd.DataFrame | None,
    account_map: pd.DataFrame | None,
    period: str,
    *,
    view: str = "month",
    driver: str = "department",
    abs_threshold: Decimal | float = Decimal("5000"),
    pct_threshold: float = 0.10,
    fiscal_year_start: int = 1,
    cost_center_filter: Sequence[str] | None = None,
) -> dict[str, object]:
    """The facts of the one-sentence cost commentary.

    Picks the category with the largest material budget variance (two-part test of
    F10), its % vs budget, and the ``driver`` (``department`` or ``cost_center``) that
    contributes most to it in the same direction.

    Returns
    -------
    dict
        ``period, view, category`` (None when no variance is material) ``, actual, budget,
        var`` (Decimal EUR) ``, var_pct`` (fraction or None) ``, flag, reason, driver_level,
        driver`` (code; department name or cost-centre code) ``, driver_var`` (Decimal EUR).
    """
    _check_choice(driver, ("department", "cost_center"), "driver")
    opts = dict(view=view, fiscal_year_start=fiscal_year_start,
                cost_center_filter=cost_center_filter)
    bva = budget_vs_actual(gl_lines, budget, cost_centers, account_map, period, by=["category"],
                           **opts)
    limit = Decimal(str(abs_threshold))
    material = bva[[_is_material(r, limit, pct_threshold) for _, r in bva.iterrows()]]
    facts: dict[str, object] = {"period": period, "view": view, "category": None,
                                "driver_level": driver, "driver": None, "driver_var": None}
    if material.empty:
        return facts
    top = material.assign(_abs=to_cents(material["var"]).abs()).sort_values(
        "_abs", ascending=False, kind="stable").iloc[0]
    facts.update({k: _value(pd.Series([top[k]])) for k in
                  ("category", "actual", "budget", "var", "var_pct", "flag", "reason")})
    split = budget_vs_actual(gl_lines, budget, cost_centers, account_map, period,
                             by=["category", driver], **opts)
    split = split[split["category"] == top["category"]]
    sign = 1 if Decimal(top["var"]) > 0 else -1
    cents = to_cents(split["var"]).fillna(0) * sign
    if len(split) and cents.max() > 0:
        best = split.loc[cents.idxmax()]
        facts.update(driver=best[driver], driver_var=Decimal(best["var"]))
    return facts


def commentary(facts: Mapping[str, object], lang: str | None = None) -> str:
    """Render :func:`commentary_facts` as one sentence in ``lang`` (default: in force).

    « Les charges de personnel sont 4,2 % au-dessus du budget, principalement IT (+38 k€). »
    / "Personnel costs are 4.2% over budget, mostly IT (+€38K)."
    """
    lang = lang or get_language()
    if facts.get("category") is None:
        return t("finance.commentary.none", lang, month=format_month(facts["period"], lang))
    category = str(facts["category"])
    subject = t(f"finance.subject.{category}", lang)
    if subject == f"finance.subject.{category}":  # a user's own category
        subject = t("finance.subject.other", lang, category=category)
    driver = _driver_label(facts, lang)
    var = Decimal(facts["var"])  # type: ignore[arg-type]
    params = {"subject": subject, "driver": driver,
              "driver_amount": _signed_compact(facts.get("driver_var"), lang),
              "amount": _signed_compact(var, lang),
              "pct": format_percent(abs(facts["var_pct"]) if facts.get("var_pct") is not None
                                    else None, lang)}
    if facts.get("reason") == UNBUDGETED:
        key = "unbudgeted"
    else:
        key = "over_budget" if var > 0 else "under_budget"
    if driver is None:
        key += "_no_driver"
    return t(f"finance.commentary.{key}", lang, **params)


def _driver_label(facts: Mapping[str, object], lang: str) -> str | None:
    driver = facts.get("driver")
    if driver is None:
        return None
    if driver in (UNALLOCATED, "UNKNOWN"):
        return t(f"finance.cost_center.{driver}", lang)
    return str(driver)


def _signed_compact(value: object, lang: str) -> str:
    if value is None:
        return format_money_compact(None, lang)
    text = format_money_compact(value, lang)
    return "+" + text if Decimal(value) > 0 else text  # type: ignore[arg-type]

