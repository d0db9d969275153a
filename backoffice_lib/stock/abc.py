"""ABC classification by consumption value (kpi-reference S7).

Key: the 12-month consumption value of each sku (issues × cost,
:func:`.turnover.consumption` over :func:`periods.r12_range`). Sorted by value
descending (ties by sku); with ``cum_before`` the share of the total *before* adding
the item: ``cum_before < 80 %`` → A, ``< 95 %`` → B, else C, so the item that crosses a
threshold joins the upper class. A zero or negative value is C, and so is every item
of ``items`` without consumption. Shares are of the positive values' total, computed on
exact cents.

Re-run it monthly on the 12 months to each period; comparing two months gives the class
changes (S7 asks to keep the class history: the report shows the changes against the
previous month).

Example::

    values = consumption(ledger, r12_range("2026-10"), by=["sku"])
    abc_classes(values, items=items)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..tables import MONEY
from ._common import cents_of, money_of

__all__ = ["ABC_CLASSES", "abc_classes"]

#: The classes, in order.
ABC_CLASSES = ("A", "B", "C")


def abc_classes(values: pd.DataFrame, *, value: str = "consumption",
                items: pd.DataFrame | None = None, a_share: float = 0.80,
                b_share: float = 0.95) -> pd.DataFrame:
    """The ABC class of each sku.

    Parameters
    ----------
    values:
        ``sku`` and a money column ``value`` (one row per sku).
    items:
        Item master data: its skus without a row in ``values`` are added with 0 (C).
    a_share, b_share:
        Cumulative shares closing classes A and B (*defaults* 80 % and 95 %).

    Returns
    -------
    DataFrame
        ``sku, value`` (EUR, MONEY; the name given) ``, share`` (fraction of the positive
        total) ``, cum_share`` (cumulative, the item included) ``, abc`` (A, B or C),
        by value descending then sku.
    """
    frame = values[["sku", value]]
    if items is not None:
        # the items' skus without a value: looked up in an index of the valued skus
        # (Series.isin on Arrow texts makes a pyarrow scalar of every value: ~10 ms for
        # 800 skus; the lookup well under 1 ms)
        valued = pd.Index(frame["sku"].unique()).get_indexer(items["sku"]) >= 0
        extra = items.loc[~valued, ["sku"]].dropna().drop_duplicates()
        frame = pd.concat([frame, extra.assign(**{value: pd.Series(0, index=extra.index,
                                                                     dtype=MONEY)})])
    cents = np.nan_to_num(cents_of(frame[value]))
    order = np.lexsort((frame["sku"].to_numpy(dtype=object), -cents))
    cents = cents[order]
    positive = np.where(cents > 0, cents, 0.0)
    total = positive.sum()
    cum = np.cumsum(positive)
    before = (cum - positive) / total if total > 0 else np.ones(len(cents))
    cls = np.select([(cents > 0) & (before < a_share), (cents > 0) & (before < b_share)],
                    ["A", "B"], "C")
    return pd.DataFrame({
        "sku": pd.Series(frame["sku"].to_numpy(dtype=object)[order], dtype="str"),
        value: money_of(cents),
        "share": positive / total if total > 0 else np.full(len(cents), np.nan),
        "cum_share": cum / total if total > 0 else np.full(len(cents), np.nan),
        "abc": pd.Series(cls, dtype="str"),
    })
