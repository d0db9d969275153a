"""Budget at the actuals' grain, budget vs actual (F2, F4) and the budget waterfall.

Annual budgets are phased 1/12 per fiscal month (``PHASING_FLAT``); variances are
amount and % of |budget| with F/U flags, for the month or the year to date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..accounts import CATEGORIES, UNALLOCATED, map_accounts, map_cost_centers
from ..i18n import LANGUAGES
from ..money import ZERO, as_money, from_cents, to_cents
from ..periods import shift_period, validate_period, ytd_range
from ..tables import MONEY, normalize_header
from ._common import (
    NEW,
    NOT_LOADED,
    UNBUDGETED,
    _check_by,
    _check_choice,
    _coverage,
    _is_provisional,
    _loaded,
    _sorted,
    _sum_money,
    _variance,
)
from .costs import category_label, cost_lines

__all__ = ["budget_lines", "budget_vs_actual", "budget_waterfall"]


_BUDGET_GRAIN = ("cost_center", "cost_center_name", "department", "office", "category")


# --------------------------------------------------------------------------- budget lines


def _category_codes(values: pd.Series) -> pd.Series:
    """Budget categories as codes: ``personnel`` or a catalogue label (« Charges de personnel »)."""
    lookup = {normalize_header(c): c for c in CATEGORIES}
    for lang in LANGUAGES:
        lookup.update({normalize_header(category_label(c, lang)): c for c in CATEGORIES})
    distinct = pd.unique(values.dropna())
    codes = {v: lookup.get(normalize_header(v)) if isinstance(v, str) else None for v in distinct}
    folded = values.map(codes)
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
    prepared: pd.DataFrame | None = None,
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
    prepared:
        This function's result for the whole budget (``budget_lines(budget, cost_centers,
        account_map, fiscal_year_start=...)``: no cost-centre filter, the same fiscal year
        start), already computed: its rows are only filtered by cost centre (the same rows,
        in the same order). Callers computing several KPIs on one budget prepare it once.

    Returns
    -------
    DataFrame
        ``period, cost_center, account, category, amount, phasing_flat, cost_center_name,
        department, office``.
    """
    if prepared is not None:
        if cost_center_filter is None:
            return prepared.copy()
        keep = prepared["cost_center"].isin(list(cost_center_filter))
        return prepared[keep].reset_index(drop=True)
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
    """Periods of a view: the month, or fiscal-year start to ``period`` (YTD)."""
    _check_choice(view, ("month", "ytd"), "view")
    return [validate_period(period)] if view == "month" else ytd_range(period, fiscal_year_start)


def _actual_budget_prior(gl_lines, budget, cost_centers, account_map, periods, keys, cc_filter,
                         fiscal_year_start, lines=None, prepared_budget=None) -> pd.DataFrame:
    """Outer join of actual, budget (+ phasing flag) and prior-year actual by ``keys``."""
    wanted = [*keys, "amount"]
    actual = _sum_money(cost_lines(gl_lines, cost_centers, account_map, periods=periods,
                                   cost_center_filter=cc_filter, prepared=lines,
                                   columns=wanted), keys).rename(columns={"amount": "actual"})
    prior_periods = [shift_period(p, -12) for p in periods]
    prior = _sum_money(cost_lines(gl_lines, cost_centers, account_map, periods=prior_periods,
                                  cost_center_filter=cc_filter, prepared=lines,
                                  columns=wanted), keys).rename(columns={"amount": "prior_year"})
    bud = budget_lines(budget, cost_centers, account_map, fiscal_year_start=fiscal_year_start,
                       cost_center_filter=cc_filter, prepared=prepared_budget)
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
    lines: pd.DataFrame | None = None,
    prepared_budget: pd.DataFrame | None = None,
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
    lines:
        :func:`cost_lines` of the whole ledger already computed (its ``prepared``); None:
        computed here from ``gl_lines``.
    prepared_budget:
        :func:`budget_lines` of the whole budget already computed (its ``prepared``: no
        cost-centre filter, the same ``fiscal_year_start``); None: computed here from
        ``budget``.

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
                               cost_center_filter, fiscal_year_start, lines, prepared_budget)
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
