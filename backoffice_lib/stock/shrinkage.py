"""Shrinkage: stock lost through adjustments, at cost (kpi-reference S10).

Adjustments (``type = 'adjustment'``) are grouped by their ``reason``
(:func:`reason_group`):

- ``loss``: breakage, theft, expiry, scrap... (*Casse*, *Vol*, *Péremption*...);
- ``count``: count differences (*Écart d'inventaire*, *Comptage*...), losses and gains;
- ``other``: any other reason, or none (a correction, a reclassification): reported
  apart, not shrinkage.

``shrink_value = −Σ (loss and count adjustments) × cost``: positive when stock was lost,
net of positive count gains (S10). Each adjustment is valued at its pair's weighted
average cost of the month (:func:`.valuation.monthly_stock`), like the stock it leaves.
The rate is against the average inventory value (the internal view: there are no sales
amounts among the stock inputs, so NRF's % of sales cannot be computed here).

Example::

    shrinkage(movements, ledger, r12_range("2026-10"), by=["period"])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..periods import validate_period
from ..tables import normalize_header
from ._common import cents_of, check_by, money_of, usable_movements, value_cents

__all__ = ["COUNT_WORDS", "LOSS_WORDS", "REASON_GROUPS", "reason_group", "shrinkage"]

#: Groups of adjustment reasons, in order.
REASON_GROUPS = ("loss", "count", "other")
#: Words (after :func:`tables.normalize_header`) of a loss reason.
LOSS_WORDS = frozenset({
    "casse", "casses", "perte", "pertes", "vol", "vols", "demarque", "peremption",
    "perime", "perimes", "perimee", "perimees", "destruction", "detruit", "rebut", "rebuts",
    "deterioration", "endommage", "breakage", "broken", "damage", "damaged", "loss",
    "losses", "lost", "theft", "stolen", "expired", "expiry", "scrap", "scrapped",
})
#: Words of a count-difference reason.
COUNT_WORDS = frozenset({
    "inventaire", "inventaires", "comptage", "comptages", "ecart", "ecarts", "count",
    "counts", "counting", "recount", "stocktake", "stocktaking",
})

_BY = ("period", "sku", "warehouse")


def reason_group(reasons: pd.Series) -> pd.Series:
    """``loss``, ``count`` or ``other`` for each adjustment reason (a loss word wins)."""
    groups = {}
    for reason in reasons.dropna().unique():
        words = set(normalize_header(reason).split())
        groups[reason] = "loss" if words & LOSS_WORDS else \
            "count" if words & COUNT_WORDS else "other"
    return pd.Series([groups.get(r, "other") for r in reasons], index=reasons.index,
                     dtype="str")


def shrinkage(movements: pd.DataFrame, ledger: pd.DataFrame, periods: Sequence[str], *,
              by: Sequence[str] | None = None) -> pd.DataFrame:
    """Shrinkage of ``periods`` at cost, by ``by`` (S10).

    Parameters
    ----------
    movements:
        Canonical ``stock_movements`` (``reason`` optional: without it every adjustment
        is ``other``).
    ledger:
        :func:`.valuation.monthly_stock` covering ``periods`` (the average costs).
    by:
        ``period`` (every month listed), ``sku``, ``warehouse``.

    Returns
    -------
    DataFrame
        ``*by, adjustments`` (movements) ``, loss_value, count_loss_value,
        count_gain_value, shrink_value, other_value`` (EUR, MONEY; losses positive:
        ``shrink_value = loss_value + count_loss_value − count_gain_value``;
        ``other_value`` is the stock lost through other adjustments, a gain negative).
    """
    by = check_by(by, _BY)
    months = sorted({validate_period(p) for p in periods})
    mv = usable_movements(movements)
    adj = mv[(mv["kind"] == "adjustment") & mv["period"].isin(months)]
    costs = ledger[["sku", "warehouse", "period", "avg_cost"]]
    costs = costs[costs["period"].isin(months)]  # the only rows the adjustments can match
    adj = adj.merge(costs, on=["sku", "warehouse", "period"], how="left")
    reasons = adj["reason"] if "reason" in adj.columns else pd.Series(pd.NA, index=adj.index)
    group = reason_group(reasons.astype("str")).to_numpy()
    lost = -value_cents(adj["qty"].to_numpy(dtype="float64"), cents_of(adj["avg_cost"]))
    lost = np.nan_to_num(lost)
    parts = {
        "loss_value": np.where(group == "loss", lost, 0.0),
        "count_loss_value": np.where((group == "count") & (lost > 0), lost, 0.0),
        "count_gain_value": np.where((group == "count") & (lost < 0), -lost, 0.0),
        "other_value": np.where(group == "other", lost, 0.0),
    }
    frame = pd.DataFrame(parts).assign(adjustments=1, _all=0)
    for key in by:
        frame[key] = adj[key].to_numpy()
    keys = by or ["_all"]
    out = frame.groupby(keys, sort=True)[["adjustments", *parts]].sum()
    if not by:
        out = out.reindex(pd.Index([0], name="_all"), fill_value=0)
    elif by == ["period"]:
        out = out.reindex(pd.Index(months, name="period"), fill_value=0)
    out = out.reset_index()
    shrink = out["loss_value"] + out["count_loss_value"] - out["count_gain_value"]
    for name in [*parts, "shrink_value"]:
        out[name] = money_of((shrink if name == "shrink_value" else out[name]).to_numpy())
    if "period" in out.columns:
        out["period"] = out["period"].astype("str")
    return out[[*by, "adjustments", "loss_value", "count_loss_value", "count_gain_value",
                "shrink_value", "other_value"]].astype({"adjustments": "int64"})
