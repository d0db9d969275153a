"""Inventory record accuracy from cycle counts (kpi-reference S11).

A count line is accurate when ``|counted_qty − system_qty| ≤ tolerance × system_qty``,
the tolerance depending on the item's ABC class (*defaults* [V: S25]: A ±1 %, B ±3 %,
C ±5 %; an item without a class is C); with ``system_qty = 0`` a line is accurate only
if nothing is counted. ``IRA = accurate lines / lines``: differences are never netted
(S25). Value accuracy = ``1 − Σ |Δqty × cost| / Σ system_qty × cost`` with each line's
``unit_cost``. Lines count in the month of their ``date``; lines without a system or
counted quantity are left out.

Target [V: S25]: at least 95 % for MRP/DRP to work, 99 % best in class.

Example::

    record_accuracy(cycle_counts, ["2026-10"], classes=abc, by=["abc"])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..periods import periods_of, validate_period
from ._common import (
    DENOM_ZERO,
    NO_POPULATION,
    cents_of,
    check_by,
    money_of,
    param_error,
    value_cents,
)

__all__ = ["IRA_TARGET", "TOLERANCES", "record_accuracy"]

#: Tolerance of a count line by ABC class, as a fraction of the system quantity (S11).
TOLERANCES: Mapping[str, float] = {"A": 0.01, "B": 0.03, "C": 0.05}
#: Minimum record accuracy for MRP/DRP to work [V: S25].
IRA_TARGET = 0.95

_BY = ("period", "abc", "sku", "warehouse")


def record_accuracy(cycle_counts: pd.DataFrame, periods: Sequence[str], *,
                    classes: pd.DataFrame | None = None,
                    tolerances: Mapping[str, float] = TOLERANCES,
                    by: Sequence[str] | None = None) -> pd.DataFrame:
    """Record accuracy of the count lines dated in ``periods``, by ``by`` (S11).

    Parameters
    ----------
    cycle_counts:
        Canonical ``cycle_counts``.
    periods:
        ``YYYY-MM`` months; one window unless ``by`` holds ``period``.
    classes:
        ``sku, abc`` (e.g. :func:`.abc.abc_classes`); without it every item is C.
    tolerances:
        Fraction of ``system_qty`` allowed for each class (A, B and C needed).
    by:
        ``period`` (every month listed), ``abc``, ``sku``, ``warehouse``.

    Returns
    -------
    DataFrame
        ``*by, lines, accurate_lines`` (count lines) ``, ira`` (fraction)
        ``, system_value`` (EUR, MONEY: Σ system_qty × cost) ``, difference_value``
        (EUR, Σ |Δqty| × cost) ``, net_difference_value`` (EUR, Σ (counted − system) ×
        cost: negative = stock missing) ``, value_accuracy`` (fraction) ``, reason``
        (``NO_POPULATION`` without lines; ``DENOM_ZERO`` when the system value is 0).
    """
    by = check_by(by, _BY)
    missing = [c for c in ("A", "B", "C") if c not in tolerances]
    if missing:
        raise param_error("missing_tolerance", abc=missing[0])
    months = sorted({validate_period(p) for p in periods})
    lines = cycle_counts.dropna(subset=["date", "sku", "system_qty", "counted_qty"])
    lines = lines.assign(period=periods_of(lines["date"]))
    lines = lines[lines["period"].isin(months)]
    abc = pd.Series("C", index=lines.index, dtype="str")
    if classes is not None:
        known = classes.drop_duplicates("sku").set_index("sku")["abc"]
        abc = lines["sku"].map(known).fillna("C").astype("str")
    system = lines["system_qty"].to_numpy(dtype="float64")
    diff = lines["counted_qty"].to_numpy(dtype="float64") - system
    tol = abc.map(dict(tolerances)).to_numpy(dtype="float64")
    accurate = np.where(system == 0, diff == 0, np.abs(diff) <= tol * np.abs(system) + 1e-9)
    cost = cents_of(lines["unit_cost"])
    frame = pd.DataFrame({
        "abc": abc.to_numpy(), "period": lines["period"].to_numpy(),
        "sku": lines["sku"].to_numpy(), "warehouse": lines["warehouse"].to_numpy(),
        "lines": 1, "accurate_lines": accurate.astype("int64"),
        "system_cents": np.nan_to_num(value_cents(system, cost)),
        "difference_cents": np.nan_to_num(value_cents(np.abs(diff), cost)),
        "net_cents": np.nan_to_num(value_cents(diff, cost)), "_all": 0,
    })
    keys = by or ["_all"]
    sums = ["lines", "accurate_lines", "system_cents", "difference_cents", "net_cents"]
    out = frame.groupby(keys, sort=True)[sums].sum()
    if not by:
        out = out.reindex(pd.Index([0], name="_all"), fill_value=0)
    elif by == ["period"]:
        out = out.reindex(pd.Index(months, name="period"), fill_value=0)
    return _finish(out.reset_index(), by)


def _finish(out: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    has, valued = out["lines"] > 0, out["system_cents"] > 0
    out["ira"] = (out["accurate_lines"] / out["lines"]).where(has)
    out["value_accuracy"] = (1 - out["difference_cents"] / out["system_cents"]).where(valued)
    out["reason"] = pd.Series(np.where(~has, NO_POPULATION, np.where(valued, None, DENOM_ZERO)),
                              dtype="str", index=out.index)
    out["system_value"] = money_of(out["system_cents"].to_numpy())
    out["difference_value"] = money_of(out["difference_cents"].to_numpy())
    out["net_difference_value"] = money_of(out["net_cents"].to_numpy())
    for key in by:
        out[key] = out[key].astype("str")
    return out[[*by, "lines", "accurate_lines", "ira", "system_value", "difference_value",
                "net_difference_value", "value_accuracy", "reason"]].astype(
        {"lines": "int64", "accurate_lines": "int64"})
