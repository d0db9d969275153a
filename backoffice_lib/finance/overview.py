"""Headline tiles of the cost report and the one-sentence cost commentary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import numpy as np
import pandas as pd

from ..accounts import COST_CATEGORIES, UNALLOCATED
from ..i18n import get_language, t
from ..i18n.formatting import format_money_compact, format_month, format_percent
from ..money import ZERO, as_money, to_cents
from ..tables import MONEY
from ._common import NEW, NOT_LOADED, UNBUDGETED, _check_choice, _is_provisional, _loaded, _variance
from .budget import budget_vs_actual
from .structure import back_office_share

__all__ = ["commentary", "commentary_facts", "headline"]


# --------------------------------------------------------------------------- headline


def headline(
    gl_lines: pd.DataFrame,
    budget: pd.DataFrame | None,
    cost_centers: pd.DataFrame | None,
    account_map: pd.DataFrame | None,
    period: str,
    *,
    fiscal_year_start: int = 1,
    last_closed_period: str | None = None,
    loaded_periods: Iterable[str] | None = None,
    cost_center_filter: Sequence[str] | None = None,
    lines: pd.DataFrame | None = None,
    prepared_budget: pd.DataFrame | None = None,
    bva: pd.DataFrame | None = None,
    offices: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Headline numbers for the tiles of the cost report.

    ``fiscal_year_start`` phases annual budget rows over the fiscal year's months;
    ``lines`` is :func:`cost_lines` of the whole ledger if already computed, and
    ``prepared_budget`` :func:`budget_lines` of the whole budget (ignored without a budget).
    Figures a report has already computed with the same options can be handed over:
    ``bva``, :func:`budget_vs_actual` of ``period`` by ``["category"]`` (month view; with
    ``budget``, or an empty budget when there is none), and ``offices``,
    :func:`back_office_share` over any number of months ending with ``period``
    (operating scope); None: computed here.

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
    if bva is None:
        bva = budget_vs_actual(gl_lines, _empty_budget() if budget is None else budget,
                               cost_centers, account_map, period, by=["category"],
                               fiscal_year_start=fiscal_year_start, lines=lines,
                               prepared_budget=None if budget is None else prepared_budget,
                               **opts)
    bva = bva[bva["category"].isin(COST_CATEGORIES[:-1])]
    actual, bud, prior = (_total(bva[c]) for c in ("actual", "budget", "prior_year"))
    if period not in _loaded(gl_lines, loaded_periods):
        actual = None
    var = _variance(pd.Series([actual], dtype=MONEY), pd.Series([bud], dtype=MONEY), UNBUDGETED)
    yoy = _variance(pd.Series([actual], dtype=MONEY), pd.Series([prior], dtype=MONEY), NEW)
    if offices is None:
        offices = back_office_share(gl_lines, cost_centers, account_map, period, months=1,
                                    lines=lines, **opts)
    bo = offices[offices["period"] == period].iloc[0]
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
    """An empty canonical budget (no budget given)."""
    from ..tables import BUDGET

    return BUDGET.empty_frame()


def _total(values: pd.Series) -> Decimal | None:
    """Exact sum of money values; None when any is missing."""
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


# --------------------------------------------------------------------------- commentary


def _is_material(row: pd.Series, abs_threshold: Decimal, pct_threshold: float) -> bool:
    """Two-part materiality test (F10) on one budget-vs-actual row."""
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
    lines: pd.DataFrame | None = None,
    prepared_budget: pd.DataFrame | None = None,
    bva: pd.DataFrame | None = None,
) -> dict[str, object]:
    """The facts of the one-sentence cost commentary.

    Picks the category with the largest material budget variance (two-part test of
    F10), its % vs budget, and the ``driver`` (``department`` or ``cost_center``) that
    contributes most to it in the same direction. ``lines``: :func:`cost_lines` of the
    whole ledger if already computed; ``prepared_budget``: :func:`budget_lines` of the
    whole budget if already computed; ``bva``: :func:`budget_vs_actual` by ``["category"]``
    with the same period, view and options if already computed.

    Returns
    -------
    dict
        ``period, view, category`` (None when no variance is material) ``, actual, budget,
        var`` (Decimal EUR) ``, var_pct`` (fraction or None) ``, flag, reason, driver_level,
        driver`` (code; department name or cost-centre code) ``, driver_var`` (Decimal EUR).
    """
    _check_choice(driver, ("department", "cost_center"), "driver")
    opts = dict(view=view, fiscal_year_start=fiscal_year_start,
                cost_center_filter=cost_center_filter, lines=lines,
                prepared_budget=prepared_budget)
    if bva is None:
        bva = budget_vs_actual(gl_lines, budget, cost_centers, account_map, period,
                               by=["category"], **opts)
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
    """Display label of the commentary's driver (None when there is none)."""
    driver = facts.get("driver")
    if driver is None:
        return None
    if driver in (UNALLOCATED, "UNKNOWN"):
        return t(f"finance.cost_center.{driver}", lang)
    return str(driver)


def _signed_compact(value: object, lang: str) -> str:
    """Compact money with a ``+`` sign when positive (« +38 k€ »)."""
    if value is None:
        return format_money_compact(None, lang)
    text = format_money_compact(value, lang)
    return "+" + text if Decimal(value) > 0 else text  # type: ignore[arg-type]
