"""Top movers (F10): material cost moves by cost centre × category and their contributors."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import pandas as pd

from ..money import ZERO, as_money, to_cents
from ..periods import shift_period
from ..tables import MONEY
from ._common import (
    NEW,
    UNBUDGETED,
    UNKNOWN_VENDOR,
    _category_rank,
    _check_choice,
    _param_error,
    _sum_money,
    _variance,
)
from .budget import budget_lines
from .costs import cost_lines

__all__ = ["top_movers"]


def _cells(gl_lines, cost_centers, account_map, periods, keys, cc_filter,
           prepared=None) -> pd.DataFrame:
    """Actual cost of ``periods`` by ``keys`` (vendor NA → ``UNKNOWN_VENDOR``)."""
    lines = cost_lines(gl_lines, cost_centers, account_map, periods=periods,
                       cost_center_filter=cc_filter, prepared=prepared,
                       columns=list(dict.fromkeys([*keys, "vendor_id", "amount"])))
    lines["vendor_id"] = lines["vendor_id"].fillna(UNKNOWN_VENDOR)
    return _sum_money(lines, keys)


def _mover_base(gl_lines, budget, cost_centers, account_map, period, basis, keys,
                cc_filter, fiscal_year_start=1, prepared=None,
                prepared_budget=None) -> pd.DataFrame:
    """Base amounts by ``keys``: the budget of the month or the prior month's actual."""
    if basis == "prior_month":
        return _cells(gl_lines, cost_centers, account_map, [shift_period(period, -1)], keys,
                      cc_filter, prepared)
    bud = budget_lines(budget, cost_centers, account_map, fiscal_year_start=fiscal_year_start,
                       cost_center_filter=cc_filter, prepared=prepared_budget)
    bud = bud[bud["period"] == period]
    if "vendor_id" in keys:
        bud = bud.assign(vendor_id=pd.NA)
    return _sum_money(bud.dropna(subset=[k for k in keys if k in ("account", "vendor_id")]),
                      keys) if len(bud) else pd.DataFrame(columns=[*keys, "amount"])


def _deltas(actual: pd.DataFrame, base: pd.DataFrame, keys: list[str], reason: str) -> pd.DataFrame:
    """Outer join of actual and base by ``keys`` with delta, delta_pct, reason, flag."""
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
    fiscal_year_start: int = 1,
    cost_center_filter: Sequence[str] | None = None,
    lines: pd.DataFrame | None = None,
    prepared_budget: pd.DataFrame | None = None,
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
    fiscal_year_start:
        First month of the fiscal year: annual budget rows are phased over its months.
    lines:
        :func:`cost_lines` of the whole ledger already computed (its ``prepared``); None:
        computed here from ``gl_lines``.
    prepared_budget:
        :func:`budget_lines` of the whole ``budget`` already computed (no cost-centre
        filter, the same ``fiscal_year_start``); None: computed here from ``budget``.

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
    cells = _deltas(_cells(gl_lines, cost_centers, account_map, [period], keys, cost_center_filter,
                           lines),
                    _mover_base(gl_lines, budget, cost_centers, account_map, period, basis, keys,
                                cost_center_filter, fiscal_year_start, lines, prepared_budget),
                    keys, zero_reason)
    movers = _material(cells, Decimal(str(abs_threshold)), pct_threshold).head(top_n)
    detail = _deltas(
        _cells(gl_lines, cost_centers, account_map, [period], [*keys, contributors_by],
               cost_center_filter, lines),
        _mover_base(gl_lines, budget, cost_centers, account_map, period, basis,
                    [*keys, contributors_by], cost_center_filter, fiscal_year_start, lines,
                    prepared_budget),
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
    detail = detail.merge(movers[keys].drop_duplicates(), on=keys, how="inner")  # their cells
    detail = detail.assign(_abs=to_cents(detail["delta"]).fillna(0).abs())
    detail = detail[detail["_abs"] > 0].sort_values(["_abs", level], ascending=[False, True],
                                                    kind="stable")
    top = detail.groupby(keys, sort=False).head(3)
    joined = top.groupby(keys, sort=False)[level].agg(lambda s: ", ".join(s.astype(str)))
    merged = movers[keys].merge(joined.rename("contributors").reset_index(), on=keys, how="left")
    return merged["contributors"].astype("str").set_axis(movers.index)
