"""The figures of each section of the stock report: stock KPIs with the run's options.

One function per section, each a call of :mod:`backoffice_lib.stock` on the scope of
:class:`~.inputs.StockInputs` (warehouse filter, movements to the end of the period)
and its shared intermediates (month-end stock, ABC classes, stockouts). Stock is at
the (sku, warehouse) grain; values are at the periodic weighted average cost (S9).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ... import stock
from ...money import ZERO, from_cents, money_sum, safe_ratio, to_cents
from ...periods import r12_range, shift_period
from ..sections import first_value, last_months, once
from .inputs import DEMAND_DAYS, LEAD_DAYS, StockInputs

__all__ = [
    "COVERAGE_BANDS",
    "abc_summary",
    "category_turnover",
    "coverage",
    "dormant",
    "dormant_summary",
    "headline",
    "record_accuracy",
    "service_trend",
    "shrinkage",
    "value_trend",
]

#: Coverage bands (*default*, in days of demand), in order; ``no_demand``: stock that
#: nobody asked for over the demand window (S3 ``NO_DEMAND``).
COVERAGE_BANDS = ("out", "lt7", "7-30", "30-90", "90-180", "ge180", "no_demand")
_COVERAGE_EDGES = (7, 30, 90, 180)
_TOTAL = "TOTAL"


# --------------------------------------------------------------------------- headline


def headline(d: StockInputs) -> dict[str, object]:
    """The month's key figures, each None when it cannot be computed.

    Keys: ``stock_value`` and ``stock_value_previous`` (EUR, Decimal, month ends),
    ``pairs_in_stock``; ``turns_r12`` (per year, S1), ``dio_r12`` (days, S2) and their
    ``turns_reason``/``dio_reason``; ``consumption_r12`` (EUR); ``fill_rate`` and
    ``fill_rate_r12`` (unit fill, fractions, S4; None without order lines);
    ``stockout_rate`` (active pairs out at month end) and ``stockout_days_rate``
    (time-weighted over the month, S5); ``dormant_value`` (slow and dead stock, EUR),
    ``dormant_share``, ``dead_value`` (S6); ``record_accuracy`` and
    ``record_accuracy_r12`` (IRA, S11; None without cycle counts or counts).
    """
    r12 = r12_range(d.period)
    values = stock.inventory_value(d.ledger, [shift_period(d.period, -1), d.period])
    value = values.set_index("period")
    turnover = _turnover(d, r12)
    stockouts = d.stockouts.iloc[[-1]]
    summary = stock.dormant_summary(dormant(d)).set_index("status")
    out: dict[str, object] = {
        "stock_value": value["stock_value"].get(d.period, ZERO),
        "stock_value_previous": value["stock_value"].get(shift_period(d.period, -1)),
        "pairs_in_stock": int(value["pairs_in_stock"].get(d.period, 0)),
        "turns_r12": first_value(turnover, "turns"), "dio_r12": first_value(turnover, "dio"),
        "turns_reason": first_value(turnover, "turns_reason"),
        "dio_reason": first_value(turnover, "dio_reason"),
        "consumption_r12": first_value(turnover, "consumption"),
        "stockout_rate": first_value(stockouts, "snapshot_rate"),
        "stockout_days_rate": first_value(stockouts, "time_weighted_rate"),
        "dormant_value": money_sum(summary.loc[["slow", "dead"], "stock_value"]),
        "dormant_share": _share(summary.loc[["slow", "dead"], "share"]),
        "dead_value": summary.loc["dead", "stock_value"],
        "fill_rate": None, "fill_rate_r12": None,
        "record_accuracy": None, "record_accuracy_r12": None,
    }
    if d.lines is not None:
        out["fill_rate"] = first_value(d.fill.iloc[[-1]], "unit_fill")
        out["fill_rate_r12"] = first_value(stock.fill_rate(d.lines, r12, as_of=d.as_of,
                                                      lead_days=LEAD_DAYS), "unit_fill")
    if d.counts is not None:
        for key, months in (("record_accuracy", [d.period]), ("record_accuracy_r12", r12)):
            out[key] = first_value(_accuracy(d, months), "ira")
    return out


def _share(shares: pd.Series) -> float | None:
    return None if shares.isna().all() else float(shares.sum())


def _turnover(d: StockInputs, months: list[str]) -> pd.DataFrame:
    """:func:`stock.inventory_turnover` of the whole scope over ``months``, computed once
    per report (the headline, the category table and shrinkage use the 12 months)."""
    return once(d, ("turnover", tuple(months)),
                lambda: stock.inventory_turnover(d.ledger, months))


def _accuracy(d: StockInputs, months: list[str]) -> pd.DataFrame:
    """:func:`stock.record_accuracy` of the whole scope over ``months`` (tolerances by
    the period's ABC classes), computed once per report (headline and accuracy table)."""
    return once(d, ("accuracy", tuple(months)),
                lambda: stock.record_accuracy(d.counts, months, classes=d.classes))


# --------------------------------------------------------------------------- value


def value_trend(d: StockInputs, months: int = 24) -> pd.DataFrame:
    """Month-end stock value, consumption at cost and DIO of each of the ``months`` to
    the period.

    Returns
    -------
    DataFrame
        ``period, stock_value`` (EUR at month end) ``, consumption`` (COGS of the month,
        EUR) ``, dio`` (days: average of the opening and closing values / consumption ×
        days of the month; None for the first month of the data, whose opening stock is
        not loaded) ``, pairs_in_stock``.
    """
    loaded = set(d.ledger["period"].unique())
    window = [p for p in last_months(d.period, months) if p in loaded]
    if not window:
        return pd.DataFrame(columns=["period", "stock_value", "consumption", "dio",
                                     "pairs_in_stock"])
    monthly = stock.inventory_turnover(d.ledger, window, by=["period"])
    counts = stock.inventory_value(d.ledger, window)[["period", "pairs_in_stock"]]
    table = monthly.rename(columns={"closing_value": "stock_value"}).merge(
        counts, on="period", how="left")
    return table[["period", "stock_value", "consumption", "dio", "pairs_in_stock"]]


def category_turnover(d: StockInputs) -> pd.DataFrame:
    """Turnover and DIO over the 12 months to the period by item category, and the scope.

    Returns
    -------
    DataFrame
        ``category`` (``TOTAL`` last) ``, stock_value`` (EUR at month end)
        ``, consumption, avg_inventory`` (EUR over 12 months) ``, turns`` (per year)
        ``, dio`` (days) ``, value_share`` (fraction of the month-end stock value).
    """
    r12 = r12_range(d.period)
    table = stock.inventory_turnover(d.ledger, r12, by=["category"], items=d.items)
    total = _turnover(d, r12).assign(category=_TOTAL)
    table = pd.concat([table.sort_values("dio", ascending=False, na_position="last"), total],
                      ignore_index=True)
    value = money_sum(total["closing_value"])
    table["value_share"] = [safe_ratio(v, value)[0] for v in table["closing_value"]]
    table = table.rename(columns={"closing_value": "stock_value"})
    return table[["category", "stock_value", "consumption", "avg_inventory", "turns", "dio",
                  "value_share"]]


# --------------------------------------------------------------------------- service


def service_trend(d: StockInputs, months: int = 12) -> pd.DataFrame:
    """Fill rates (S4) and stockout rates (S5) of each of the ``months`` to the period
    (12 at most: both are computed once, for 12 months, by the inputs).

    Returns
    -------
    DataFrame
        ``period, lines`` (order lines counted) ``, unit_fill, line_fill, order_fill``
        (fractions; None without order lines) ``, stockout_rate`` (active sku-warehouses
        out at month end) ``, stockout_days_rate`` (time-weighted, fractions)
        ``, active_pairs``.
    """
    window = last_months(d.period, min(months, 12))
    out = d.stockouts[d.stockouts["period"].isin(window)].rename(columns={
        "snapshot_rate": "stockout_rate", "time_weighted_rate": "stockout_days_rate"})
    out = out[["period", "stockout_rate", "stockout_days_rate", "active_pairs"]]
    if d.fill is None:
        fill = pd.DataFrame({"period": pd.Series(window, dtype="str"), "lines": 0})
        fill = fill.assign(unit_fill=np.nan, line_fill=np.nan, order_fill=np.nan)
    else:
        fill = d.fill[d.fill["period"].isin(window)]
    table = fill[["period", "lines", "unit_fill", "line_fill", "order_fill"]].merge(
        out, on="period", how="left")
    return table.reset_index(drop=True)


# --------------------------------------------------------------------------- coverage


def coverage(d: StockInputs) -> pd.DataFrame:
    """Sku-warehouses in stock or in demand at the end of the period by coverage band (S3).

    Returns
    -------
    DataFrame
        ``band`` (:data:`COVERAGE_BANDS`) ``, pairs`` (sku-warehouses) ``, stock_value``
        (EUR at month end) ``, value_share`` (fraction). Pairs with neither stock nor
        demand over the window are left out; ``out`` are pairs in demand with no stock.
    """
    cov = stock.coverage(d.movements, d.as_of, window_days=DEMAND_DAYS)
    values = d.ledger.loc[d.ledger["period"] == d.period, ["sku", "warehouse", "closing_value"]]
    cov = cov.merge(values, on=["sku", "warehouse"], how="left")
    cov = cov[(cov["qty_on_hand"] > 0) | (cov["demand_qty"] > 0)]
    days = cov["coverage_days"].to_numpy(dtype="float64")
    bands = np.array(COVERAGE_BANDS)[1 + np.searchsorted(_COVERAGE_EDGES, days, side="right")
                                     .clip(max=4)]
    band = np.where(cov["reason"] == stock.NO_DEMAND, "no_demand",
                    np.where(cov["qty_on_hand"] <= 0, "out", bands))
    cents = to_cents(cov["closing_value"]).fillna(0).astype("int64")
    sums = cents.groupby(band).agg(["size", "sum"]).reindex(list(COVERAGE_BANDS), fill_value=0)
    total = int(sums["sum"].sum())
    return pd.DataFrame({
        "band": pd.Series(COVERAGE_BANDS, dtype="str"),
        "pairs": sums["size"].to_numpy(dtype="int64"),
        "stock_value": from_cents(sums["sum"].reset_index(drop=True)),
        "value_share": sums["sum"].to_numpy() / total if total else np.nan,
    })


# --------------------------------------------------------------------------- dormant


def dormant(d: StockInputs) -> pd.DataFrame:
    """Sku-warehouses in stock at the end of the period with their days since the last
    issue and status (S6), with the item's description and category.

    Returns
    -------
    DataFrame
        ``sku, description, category, warehouse, qty_on_hand, stock_value,
        first_receipt, last_issue, days_since_issue, status`` by value descending.
        Computed once per report (the headline uses it too).
    """
    return once(d, "dormant", lambda: _dormant(d))


def _dormant(d: StockInputs) -> pd.DataFrame:
    pairs = stock.dormant_stock(d.movements, d.ledger, d.period,
                                slow_days=d.slow_mover_days, dead_days=d.dead_stock_days)
    names = d.items[["sku", "description", "category"]].drop_duplicates("sku")
    pairs = pairs.merge(names, on="sku", how="left")
    return pairs[["sku", "description", "category", "warehouse", "qty_on_hand",
                  "stock_value", "first_receipt", "last_issue", "days_since_issue",
                  "status"]]


def dormant_summary(pairs: pd.DataFrame) -> pd.DataFrame:
    """Sku-warehouses, value and share of the stock value of each status of
    :func:`dormant` (S6): ``status, pairs, stock_value, share``."""
    return stock.dormant_summary(pairs)


# --------------------------------------------------------------------------- ABC


def abc_summary(d: StockInputs) -> pd.DataFrame:
    """Items, consumption and stock value of each ABC class (S7), and the items whose class
    changed since the previous month.

    Returns
    -------
    DataFrame
        ``abc`` (A, B, C, ``TOTAL``) ``, items, consumption`` (EUR over 12 months)
        ``, consumption_share, stock_value`` (EUR at month end) ``, value_share``
        (fractions) ``, changed`` (items of the class that were in another one a month
        earlier; all the items that changed class on the ``TOTAL`` row).
    """
    classes = d.classes
    before = d.classes_at(shift_period(d.period, -1)).set_index("sku")["abc"]
    month = d.ledger[d.ledger["period"] == d.period]
    held = to_cents(month["closing_value"]).groupby(month["sku"].to_numpy()).sum()
    frame = pd.DataFrame({
        "abc": classes["abc"].to_numpy(),
        "changed": (classes["sku"].map(before).fillna("C") != classes["abc"]).to_numpy(),
        "consumption": to_cents(classes["consumption"]).to_numpy(),
        "stock_value": classes["sku"].map(held).fillna(0).to_numpy(dtype="int64"),
    })
    sums = frame.groupby("abc").agg(items=("abc", "size"), consumption=("consumption", "sum"),
                                    stock_value=("stock_value", "sum"),
                                    changed=("changed", "sum"))
    sums = sums.reindex(list(stock.ABC_CLASSES), fill_value=0)
    sums.loc[_TOTAL] = sums.sum()
    table = sums.rename_axis("abc").reset_index()
    table["abc"] = table["abc"].astype("str")
    for col in ("consumption", "stock_value"):
        total = int(table[col].iloc[-1])
        table[col.replace("stock_", "") + "_share"] = table[col] / total if total else np.nan
        table[col] = from_cents(table[col])
    table["changed"] = table["changed"].astype("int64")
    return table[[
        "abc", "items", "consumption", "consumption_share", "stock_value", "value_share",
        "changed"]].astype({"items": "int64"})


# --------------------------------------------------------------------------- shrinkage


def shrinkage(d: StockInputs) -> pd.DataFrame:
    """Stock lost through adjustments (S10), for the month and the 12 months to it.

    Returns
    -------
    DataFrame
        ``window`` (``month``, ``r12``) ``, start, end`` (periods) ``, loss_value,
        count_loss_value, count_gain_value, shrink_value, other_value`` (EUR, losses
        positive) ``, avg_inventory`` (EUR, average of the month-end values of the
        window) ``, shrink_rate`` (shrink value / average inventory, fraction; the
        internal base of S10, not sales).
    """
    rows = []
    for name, months in (("month", [d.period]), ("r12", r12_range(d.period))):
        part = stock.shrinkage(d.movements, d.ledger, months)
        avg = first_value(_turnover(d, months), "avg_inventory")
        part = part.assign(window=name, start=months[0], end=months[-1], avg_inventory=avg)
        part["shrink_rate"] = safe_ratio(first_value(part, "shrink_value"), avg)[0]
        rows.append(part)
    table = pd.concat(rows, ignore_index=True)
    return table[["window", "start", "end", "loss_value", "count_loss_value",
                  "count_gain_value", "shrink_value", "other_value", "avg_inventory",
                  "shrink_rate"]]


# --------------------------------------------------------------------------- accuracy


def record_accuracy(d: StockInputs) -> pd.DataFrame:
    """Inventory record accuracy (S11) by ABC class and for the scope, for the month and
    the 12 months to it (tolerances by the class of the period).

    Returns
    -------
    DataFrame
        ``abc`` (A, B, C, ``TOTAL``) ``, count_lines, ira, value_accuracy`` (the month)
        ``, count_lines_r12, ira_r12, value_accuracy_r12`` (12 months), ``net_difference_value``
        (EUR over 12 months: counted − system at cost). Empty without cycle counts.
    """
    columns = ["abc", "count_lines", "ira", "value_accuracy", "count_lines_r12", "ira_r12",
               "value_accuracy_r12", "net_difference_value"]
    if d.counts is None:
        return pd.DataFrame(columns=columns)
    parts = {}
    for suffix, months in (("", [d.period]), ("_r12", r12_range(d.period))):
        by_class = stock.record_accuracy(d.counts, months, classes=d.classes, by=["abc"])
        by_class = by_class.set_index("abc").reindex(list(stock.ABC_CLASSES))
        total = _accuracy(d, months).assign(abc=_TOTAL)
        part = pd.concat([by_class.reset_index(), total], ignore_index=True)
        part["count_lines"] = part["lines"].fillna(0).astype("int64")
        parts[suffix] = part.rename(columns={c: c + suffix for c in
                                             ("count_lines", "ira", "value_accuracy")})
    table = parts[""][["abc", "count_lines", "ira", "value_accuracy"]].merge(
        parts["_r12"][["abc", "count_lines_r12", "ira_r12", "value_accuracy_r12",
                       "net_difference_value"]], on="abc", how="left")
    return table[columns]
