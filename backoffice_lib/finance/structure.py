"""Cost structure: back-office share (F8), cost per FTE (F7) and support ratio (F9).

Offices come from the cost-centre master data; FTE from :mod:`backoffice_lib.hr`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .. import hr
from ..money import DENOM_ZERO, ZERO, as_money, from_cents, to_cents
from ..periods import period_range, shift_period
from ..tables import MONEY
from ._common import (
    NOT_LOADED,
    SHORT_BASE,
    _check_by,
    _is_provisional,
    _loaded,
    _monthly_cents,
    _rolling12,
    _sorted,
)
from .costs import cost_lines, costs_by

__all__ = ["back_office_share", "cost_per_fte", "support_ratio"]


TOTAL = "TOTAL"
_OFFICES = ("back", "front", "other", "unclassified")


# --------------------------------------------------------------------------- F8 back-office share


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
    lines: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Back-office share of operating cost, month and R12 (F8), with the office split.

    ``bo_share = cost(office = back) / cost(all cost centres)``; ``other`` and
    ``unclassified`` (no office, unknown or UNALLOCATED cost centre) stay in the
    denominator. ``lines``: :func:`cost_lines` of the whole ledger if already computed.

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
                       cost_center_filter=cost_center_filter, prepared=lines,
                       columns=["period", "office", "amount"])
    present = _loaded(gl_lines, loaded_periods)
    grid = _monthly_cents(lines, window, ["office"], present)
    wide = grid.pivot(index="period", columns="office", values="cents")
    wide = wide.reindex(index=window, columns=list(_OFFICES)).astype("Int64")
    loaded = pd.Series([p in present for p in window], index=window)
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


# --------------------------------------------------------------------------- F7 cost per FTE


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
    lines: pd.DataFrame | None = None,
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
    lines:
        :func:`cost_lines` of the whole ledger already computed (its ``prepared``); None:
        computed here from ``gl_lines``.

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
                    cost_center_filter=cost_center_filter, lines=lines).drop(columns="n_lines")
    fte = hr.average_fte(employees, periods, by=keys, cost_centers=cost_centers,
                         cost_center_filter=cost_center_filter)
    out = cost.merge(fte, on=keys, how="outer") if keys else pd.concat([cost, fte], axis=1)
    if total and keys:
        out = pd.concat([out, _total_row(out, keys, employees, periods, cost_centers,
                                         cost_center_filter)], ignore_index=True)
    return _per_fte(out.rename(columns={"amount": "cost"}), keys, len(periods))


def _total_row(out, keys, employees, periods, cost_centers, cc_filter) -> pd.DataFrame:
    """The ``TOTAL`` row: FTE of all filtered employees, cost summed over ``out``."""
    fte = hr.average_fte(employees, periods, cost_centers=cost_centers,
                         cost_center_filter=cc_filter)
    row = fte.assign(**{k: TOTAL for k in keys})
    row["amount"] = pd.Series([as_money(out["amount"].fillna(ZERO)).sum()], dtype=MONEY)
    return row


def _per_fte(out: pd.DataFrame, keys: list[str], n_periods: int) -> pd.DataFrame:
    """Cost per FTE (and annualised) columns, groups sorted, ``TOTAL`` row last."""
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


# --------------------------------------------------------------------------- F9 support ratio


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
    """``frame[key]`` with NA as ``default``; all ``default`` if the column is absent."""
    if key in frame.columns:
        return frame[key].fillna(default)
    return pd.Series(default, index=frame.index)
