"""Vendor spend Pareto (F11) and its one-row summary."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import pandas as pd

from ..money import DENOM_ZERO, to_cents
from ..periods import period_range, shift_period
from ..tables import MONEY
from ._common import UNKNOWN_VENDOR, _sum_money
from .costs import cost_lines

__all__ = ["vendor_pareto", "vendor_pareto_summary"]


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
    lines: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Vendor spend Pareto over the ``months`` ending with ``period`` (F11, default R12).

    Spend = net amount (credit notes included) of lines on ``account_prefixes``; a cost
    line without vendor takes its entry's 401 vendor, else goes to ``UNKNOWN_VENDOR``,
    which is shown last and left out of the ranking and the shares. ``lines``:
    :func:`cost_lines` of the whole ledger if already computed.

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
                       cost_center_filter=cost_center_filter, prepared=lines,
                       columns=["account", "vendor_id", "amount"])
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
