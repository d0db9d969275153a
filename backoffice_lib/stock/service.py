"""Fill rate of customer order lines (kpi-reference S4) — the service side of S5.

Three variants [V definitions: S27], all on the same lines:

- unit fill = ``Σ min(qty_shipped, qty_ordered) / Σ qty_ordered`` (the headline);
- line fill = lines with ``qty_shipped ≥ qty_ordered`` / lines (1 − line fill is S5's
  "order view" stockout rate: lines short-shipped / lines);
- order fill = orders whose every counted line is complete / orders.

Lines are counted in the month of their order ``date``. Left out: cancelled lines
(``status`` *Annulée*, *cancelled*...), lines with ``qty_ordered ≤ 0`` or missing, and
lines of orders younger than the shipping lead time on the as-of date (S4 *default*: 2
days, so that open orders are not counted as misses). A missing ``qty_shipped`` means
nothing was shipped.

Example::

    fill_rate(order_lines, r12_range("2026-10"), by=["period"])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..periods import period_end, periods_of, validate_period
from ..tables import normalize_header
from ._common import NO_POPULATION, check_by, check_days, day_number

__all__ = ["CANCELLED_STATUSES", "fill_rate"]

#: ``status`` values of a cancelled line (compared after :func:`tables.normalize_header`).
CANCELLED_STATUSES = ("annulee", "annule", "annulees", "annules", "cancelled", "canceled",
                      "cancel")

_BY = ("period", "sku")


def _counted(order_lines: pd.DataFrame, months: list[str], as_of: dt.date,
             lead_days: int) -> pd.DataFrame:
    """The lines the fill rate counts (see the module docstring), with ``period``."""
    lines = order_lines.dropna(subset=["date"])
    statuses = lines["status"].dropna().unique()
    cancelled = [s for s in statuses if normalize_header(s) in CANCELLED_STATUSES]
    keep = ~lines["status"].isin(cancelled) & (lines["qty_ordered"] > 0)
    keep &= day_number(lines["date"]) <= day_number(as_of) - lead_days
    lines = lines[keep.to_numpy(dtype=bool)]
    lines = lines.assign(period=periods_of(lines["date"]))
    return lines[lines["period"].isin(months)]


def fill_rate(order_lines: pd.DataFrame, periods: Sequence[str], *,
              by: Sequence[str] | None = None, as_of: dt.date | None = None,
              lead_days: int = 2) -> pd.DataFrame:
    """Unit, line and order fill rates of the lines ordered in ``periods`` (S4).

    Parameters
    ----------
    order_lines:
        Canonical ``order_lines``.
    periods:
        ``YYYY-MM`` months; one window unless ``by`` holds ``period``.
    by:
        ``period`` (one row per month, every month listed) and/or ``sku``.
    as_of:
        Date of the figures (default: the last day of the last period): lines dated
        less than ``lead_days`` days before it are left out.

    Returns
    -------
    DataFrame
        ``*by, lines, orders, qty_ordered, qty_filled`` (units) ``, short_lines``
        (lines shipped short) ``, unit_fill, line_fill, order_fill`` (fractions)
        ``, reason`` (``NO_POPULATION`` without lines: rates None). Sorted by ``by``.
    """
    by = check_by(by, _BY)
    months = sorted({validate_period(p) for p in periods})
    lead_days = check_days(lead_days, "lead_days", minimum=0)
    as_of = as_of or period_end(months[-1])
    lines = _counted(order_lines, months, as_of, lead_days)
    ordered = lines["qty_ordered"].to_numpy(dtype="float64")
    shipped = lines["qty_shipped"].fillna(0.0).to_numpy(dtype="float64").clip(min=0)
    complete = shipped >= ordered
    # orders by number rather than by the order_id text (-1: no order_id, left out of
    # the orders like the missing keys of a groupby)
    order = pd.factorize(lines["order_id"])[0]
    lines = lines.assign(_filled=np.minimum(shipped, ordered), _complete=complete,
                         _all=0, _order=order)
    keys = by or ["_all"]
    orders = lines[order >= 0].groupby([*keys, "_order"], sort=False)["_complete"].all()
    grouped = lines.groupby(keys, sort=True)
    out = grouped[["qty_ordered", "_filled", "_complete"]].sum().rename(
        columns={"_filled": "qty_filled", "_complete": "complete_lines"})
    out.insert(0, "lines", grouped.size())
    by_order = orders.groupby(level=list(range(len(keys))), sort=True)
    out = out.join(pd.DataFrame({"orders": by_order.size(),
                                 "complete_orders": by_order.sum()}))
    out = _every_group(out, by, months)
    has = out["lines"] > 0
    out["short_lines"] = out["lines"] - out["complete_lines"]
    out["unit_fill"] = (out["qty_filled"] / out["qty_ordered"]).where(has)
    out["line_fill"] = (out["complete_lines"] / out["lines"]).where(has)
    out["order_fill"] = (out["complete_orders"] / out["orders"]).where(has)
    out["reason"] = pd.Series(np.where(has, None, NO_POPULATION), dtype="str",
                              index=out.index)
    return out[[*by, "lines", "orders", "qty_ordered", "qty_filled", "short_lines",
                "unit_fill", "line_fill", "order_fill", "reason"]]


def _every_group(out: pd.DataFrame, by: list[str], months: list[str]) -> pd.DataFrame:
    """Every month of the window (``by`` with ``period``), or one row without ``by``,
    with zero counts where there are no lines."""
    if not by:
        out = out.reindex(pd.Index([0], name="_all"))
    elif by == ["period"]:
        out = out.reindex(pd.Index(months, name="period"))
    counts = ["lines", "complete_lines", "orders", "complete_orders"]
    out = out.fillna({c: 0 for c in [*counts, "qty_ordered", "qty_filled"]})
    out = out.astype({c: "int64" for c in counts}).reset_index()
    if "period" in out.columns:
        out["period"] = out["period"].astype("str")
    return out
