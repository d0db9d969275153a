"""Stock KPIs (backoffice_lib.stock, kpi-reference §3) on hand-computed movements.

Movements of January to March 2026 (unit costs in EUR), stock grain (sku, warehouse):

- A/W1: +10 at 2.00 (5 Jan), −4 issued (10 Jan), +5 at 3.00 (20 Jan), −1 broken (25 Jan,
  « Casse »); −6 issued (3 Feb), −2 transferred to W2 (14 Feb), +8 at 2.50 (20 Feb);
  −3 issued (20 Mar).
- A/W2: +2 transferred from W1 at 2.33 (14 Feb); −2 issued (12 Mar).
- B/W1: +3 at 10.00 (8 Jan); −2 issued (10 Feb); +4 at 12.00 (5 Mar), −1 count
  difference (26 Mar, « Écart d'inventaire »).
- C/W1: +7 at 1.00 (2 Jan), never issued; +1 count difference (25 Mar).
- D/W1: +3 at 5.00 (20 Mar).

Periodic weighted average cost (S9), rounded to the cent:

- A/W1 January: (10 × 2.00 + 5 × 3.00) / 15 = 35.00 / 15 = 2.333 → 2.33; issues
  −4 × 2.33 = −9.32, breakage −2.33, closing 10 × 2.33 = 23.30, revaluation
  23.30 − (35.00 − 9.32 − 2.33) = −0.05. February: (23.30 + 20.00) / 18 = 2.4055 → 2.41;
  issues −14.46, transfer −4.82, closing 24.10, revaluation +0.08. March: 2.41, issues
  −7.23, closing 7 × 2.41 = 16.87.
- A/W2: 2.33; closing 4.66 in February, 0 in March (issues −4.66).
- B/W1: 10.00 in January and February (issues −20.00, closing 10.00); March
  (10.00 + 48.00) / 5 = 11.60, count difference −11.60, closing 4 × 11.60 = 46.40.
- C/W1: 7.00, then 8.00 in March (+1.00). D/W1: 15.00 in March.

Month-end stock: January 60.30, February 45.76, March 86.27. Consumption at cost:
9.32, 34.46 (14.46 + 20.00), 11.89 (7.23 + 4.66).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from backoffice_lib import stock
from backoffice_lib.errors import ParameterError
from backoffice_lib.tables import MONEY, TABLES

PERIODS = ["2026-01", "2026-02", "2026-03"]


def canonical(table: str, rows: list[dict]) -> pd.DataFrame:
    """A canonical table (spec columns and dtypes) from row dicts."""
    return TABLES[table].frame(rows)


def money(*values: str | None) -> pd.Series:
    return pd.Series([None if v is None else Decimal(v) for v in values], dtype=MONEY)


def _mv(date: str, sku: str, wh: str, qty: float, kind: str, cost: str | None,
        ref: str | None = None, reason: str | None = None) -> dict:
    return {"date": date, "sku": sku, "warehouse": wh, "qty": qty, "type": kind,
            "unit_cost": cost, "ref": ref, "reason": reason}


def _movements(rows: list[dict]) -> pd.DataFrame:
    return canonical("stock_movements",
                     [{"movement_id": f"M{i:02d}", **row} for i, row in enumerate(rows, 1)])


@pytest.fixture(scope="module")
def movements() -> pd.DataFrame:
    """The movements of the module docstring."""
    return _movements([
        _mv("2026-01-02", "C", "W1", 7, "receipt", "1.00"),
        _mv("2026-01-05", "A", "W1", 10, "receipt", "2.00"),
        _mv("2026-01-08", "B", "W1", 3, "receipt", "10.00"),
        _mv("2026-01-10", "A", "W1", -4, "issue", "2.00"),
        _mv("2026-01-20", "A", "W1", 5, "receipt", "3.00"),
        _mv("2026-01-25", "A", "W1", -1, "adjustment", "2.00", reason="Casse"),
        _mv("2026-02-03", "A", "W1", -6, "issue", "2.33"),
        _mv("2026-02-10", "B", "W1", -2, "issue", "10.00"),
        _mv("2026-02-14", "A", "W1", -2, "transfer", "2.33", ref="T1"),
        _mv("2026-02-14", "A", "W2", 2, "transfer", "2.33", ref="T1"),
        _mv("2026-02-20", "A", "W1", 8, "receipt", "2.50"),
        _mv("2026-03-05", "B", "W1", 4, "receipt", "12.00"),
        _mv("2026-03-12", "A", "W2", -2, "issue", "2.33"),
        _mv("2026-03-20", "A", "W1", -3, "issue", "2.41"),
        _mv("2026-03-20", "D", "W1", 3, "receipt", "5.00"),
        _mv("2026-03-25", "C", "W1", 1, "adjustment", "1.00", reason="Écart d'inventaire"),
        _mv("2026-03-26", "B", "W1", -1, "adjustment", "11.60", reason="Écart d'inventaire"),
    ])


@pytest.fixture(scope="module")
def ledger(movements) -> pd.DataFrame:
    """Month-end stock of January to March 2026."""
    return stock.monthly_stock(movements, PERIODS)


@pytest.fixture(scope="module")
def items() -> pd.DataFrame:
    """A and B are spare parts, C packaging; D is not in the item file."""
    return canonical("items", [
        {"sku": "A", "description": "Vis", "category": "Pièces", "unit_cost": "2.50",
         "warehouse": "W1"},
        {"sku": "B", "description": "Joint", "category": "Pièces", "unit_cost": "12.00",
         "warehouse": "W1"},
        {"sku": "C", "description": "Carton", "category": "Emballages", "unit_cost": "1.00",
         "warehouse": "W1"},
    ])


# --------------------------------------------------------------------------- valuation (S9)


def test_monthly_stock_periodic_weighted_average(ledger):
    result = ledger[ledger["sku"] == "A"].reset_index(drop=True)
    expected = pd.DataFrame({
        "sku": pd.Series(["A"] * 6, dtype="str"),
        "warehouse": pd.Series(["W1"] * 3 + ["W2"] * 3, dtype="str"),
        "period": pd.Series(PERIODS * 2, dtype="str"),
        "opening_qty": [0.0, 10.0, 10.0, 0.0, 0.0, 2.0],
        "receipts_qty": [15.0, 8.0, 0.0, 0.0, 0.0, 0.0],
        "issues_qty": [-4.0, -6.0, -3.0, 0.0, 0.0, -2.0],
        "adjustments_qty": [-1.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        "transfers_qty": [0.0, -2.0, 0.0, 0.0, 2.0, 0.0],
        "closing_qty": [10.0, 10.0, 7.0, 0.0, 2.0, 0.0],
        "avg_cost": money("2.33", "2.41", "2.41", None, "2.33", "2.33"),
        "opening_value": money("0.00", "23.30", "24.10", "0.00", "0.00", "4.66"),
        "receipts_value": money("35.00", "20.00", "0.00", "0.00", "0.00", "0.00"),
        "issues_value": money("-9.32", "-14.46", "-7.23", "0.00", "0.00", "-4.66"),
        "adjustments_value": money("-2.33", "0.00", "0.00", "0.00", "0.00", "0.00"),
        "transfers_value": money("0.00", "-4.82", "0.00", "0.00", "4.66", "0.00"),
        "revaluation": money("-0.05", "0.08", "0.00", "0.00", "0.00", "0.00"),
        "closing_value": money("23.30", "24.10", "16.87", "0.00", "4.66", "0.00"),
        "negative_stock": [False] * 6,
    })
    pd.testing.assert_frame_equal(result, expected)


def test_monthly_stock_new_receipt_after_count(ledger):
    b = ledger[ledger["sku"] == "B"].set_index("period")
    assert b["avg_cost"].tolist() == [Decimal("10.00"), Decimal("10.00"), Decimal("11.60")]
    assert b["adjustments_value"].tolist() == [Decimal("0.00"), Decimal("0.00"),
                                               Decimal("-11.60")]
    assert b["closing_value"].tolist() == [Decimal("30.00"), Decimal("10.00"),
                                           Decimal("46.40")]


def test_monthly_stock_flows_add_up_to_the_closing_value(ledger):
    cents = {c: (ledger[c].astype("float64") * 100).round() for c in
             ("opening_value", "receipts_value", "issues_value", "adjustments_value",
              "transfers_value", "revaluation", "closing_value")}
    flows = sum(v for k, v in cents.items() if k != "closing_value")
    assert (flows == cents["closing_value"]).all()
    qty = ledger[["opening_qty", *(f"{f}_qty" for f in stock.FLOWS)]].sum(axis=1)
    assert (qty == ledger["closing_qty"]).all()


def test_monthly_stock_leaves_out_months_before_the_first_movement(movements):
    result = stock.monthly_stock(movements, ["2025-12", "2026-01"])
    assert result["period"].unique().tolist() == ["2026-01"]
    assert result["sku"].tolist() == ["A", "B", "C"]  # the pairs that moved by then


def test_negative_stock_keeps_the_last_average_and_is_flagged():
    # 3 at 10.00; 5 issued in February: −2 at 10.00; 4 at 12.00 in March: the negative
    # opening does not enter the average, it is revalued at 12.00 (−4.00)
    moves = _movements([_mv("2026-01-05", "X", "W1", 3, "receipt", "10.00"),
                        _mv("2026-02-10", "X", "W1", -5, "issue", "10.00"),
                        _mv("2026-03-05", "X", "W1", 4, "receipt", "12.00")])
    result = stock.monthly_stock(moves, PERIODS)
    assert result["negative_stock"].tolist() == [False, True, False]
    assert result["avg_cost"].tolist() == [Decimal("10.00"), Decimal("10.00"),
                                           Decimal("12.00")]
    assert result["closing_value"].tolist() == [Decimal("30.00"), Decimal("-20.00"),
                                                Decimal("24.00")]
    assert result["revaluation"].tolist() == [Decimal("0.00"), Decimal("0.00"),
                                              Decimal("-4.00")]


def test_receipt_without_cost_is_left_out_of_the_average():
    moves = _movements([_mv("2026-01-05", "Y", "W1", 10, "receipt", "4.00"),
                        _mv("2026-01-06", "Y", "W1", 10, "receipt", None)])
    result = stock.monthly_stock(moves, ["2026-01"])
    assert result["avg_cost"].tolist() == [Decimal("4.00")]
    assert result["receipts_value"].tolist() == [Decimal("80.00")]
    assert result["closing_value"].tolist() == [Decimal("80.00")]


# --------------------------------------------------------------------------- S1, S2


def test_inventory_value_at_month_end(ledger):
    result = stock.inventory_value(ledger, ["2026-02", "2026-03"])
    expected = pd.DataFrame({
        "period": pd.Series(["2026-02", "2026-03"], dtype="str"),
        "stock_value": money("45.76", "86.27"),
        "pairs_in_stock": np.array([4, 4], dtype="int64"),   # Feb: A/W1 A/W2 B C; Mar: A/W1 B C D
        "negative_pairs": np.array([0, 0], dtype="int64"),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_consumption_by_sku(ledger):
    result = stock.consumption(ledger, PERIODS, by=["sku"])
    expected = pd.DataFrame({
        "sku": pd.Series(["A", "B", "C", "D"], dtype="str"),
        "consumption_qty": [15.0, 2.0, 0.0, 0.0],
        "consumption": money("35.67", "20.00", "0.00", "0.00"),  # 9.32 + 14.46 + 7.23 + 4.66
    })
    pd.testing.assert_frame_equal(result, expected)


def test_inventory_turnover_over_a_window(ledger):
    result = stock.inventory_turnover(ledger, ["2026-02", "2026-03"])
    # average of 3 month ends: (60.30 + 45.76 + 86.27) / 3 = 64.11; COGS 34.46 + 11.89
    assert result["avg_inventory"].tolist() == [Decimal("64.11")]
    assert result["consumption"].tolist() == [Decimal("46.35")]
    assert result["n_points"].tolist() == [3]
    assert result["turns"].iloc[0] == pytest.approx(46.35 / 64.11 * 12 / 2)
    assert result["dio"].iloc[0] == pytest.approx(64.11 / 46.35 * 59)  # 28 + 31 days
    assert result["turns_reason"].isna().all() and result["dio_reason"].isna().all()


def test_inventory_turnover_of_a_year_counts_365_days(ledger):
    # 12 months from April 2025: only the last three are loaded → NOT_LOADED
    result = stock.inventory_turnover(ledger, [f"2025-{m:02d}" for m in range(4, 13)]
                                      + PERIODS)
    assert result["turns_reason"].tolist() == [stock.NOT_LOADED]
    assert result["avg_inventory"].isna().all() and result["dio"].isna().all()


def test_inventory_turnover_by_month(ledger):
    result = stock.inventory_turnover(ledger, PERIODS, by=["period"])
    assert result["period"].tolist() == PERIODS
    # January's opening (December) is before the first movement
    assert result["turns_reason"].tolist()[0] == stock.NOT_LOADED
    assert result["avg_inventory"].tolist()[1:] == [Decimal("53.03"), Decimal("66.02")]
    assert result["dio"].iloc[1] == pytest.approx(53.03 / 34.46 * 28)
    assert result["dio"].iloc[2] == pytest.approx(66.015 / 11.89 * 31)  # unrounded mean
    assert result["turns"].iloc[2] == pytest.approx(11.89 / 66.015 * 12)



def test_inventory_turnover_by_month_and_group_is_each_month_alone(ledger):
    # every month × warehouse row is that month's own one-month window
    result = stock.inventory_turnover(ledger, PERIODS, by=["period", "warehouse"])
    assert result["period"].tolist() == sorted(result["period"].tolist())
    for month in PERIODS:
        alone = stock.inventory_turnover(ledger, [month], by=["warehouse"])
        rows = result[result["period"] == month].drop(columns="period")
        pd.testing.assert_frame_equal(rows.reset_index(drop=True), alone, check_exact=True)


def test_pivot_by_one_key_matches_the_groupby():
    from backoffice_lib.stock import turnover

    rows = pd.DataFrame({
        "g": pd.Series(["b", "a", "b", None, "a"], dtype="str"),
        "period": pd.Series(["2026-01", "2026-02", "2026-03", "2026-01", "2026-01"],
                            dtype="str"),
        "value": pd.Series([Decimal("1.00"), None, Decimal("2.50"), Decimal("3.00"),
                            Decimal("-0.10")], dtype=MONEY),
    })
    grid = turnover._pivot(rows, ["g"], ["2026-01", "2026-02"], "value")
    # a: −10 cents in January, NA (0) in February; b: 100 cents, March not asked for;
    # the row without a key is left out
    assert grid.index.tolist() == ["a", "b"]
    assert grid.to_numpy().tolist() == [[-10.0, 0.0], [100.0, 0.0]]
    assert grid.columns.tolist() == ["2026-01", "2026-02"]

def test_inventory_turnover_by_category(ledger, items):
    result = stock.inventory_turnover(ledger, ["2026-02", "2026-03"], by=["category"],
                                      items=items).set_index("category")
    assert result.index.tolist() == ["Emballages", "NO_CATEGORY", "Pièces"]
    # Pièces (A, B): (53.30 + 38.76 + 63.27) / 3 = 51.7766…
    assert result.loc["Pièces", "avg_inventory"] == Decimal("51.78")
    assert result.loc["Pièces", "turns"] == pytest.approx(46.35 / (155.33 / 3) * 6)
    # C and D were never issued: 0 turns, DIO undefined
    assert result.loc["Emballages", "turns"] == 0
    assert result.loc["Emballages", "dio_reason"] == stock.NO_CONSUMPTION
    assert pd.isna(result.loc["NO_CATEGORY", "dio"])
    assert result.loc["NO_CATEGORY", "avg_inventory"] == Decimal("5.00")  # (0 + 0 + 15) / 3


def test_grouping_by_category_needs_items(ledger):
    with pytest.raises(ParameterError):
        stock.inventory_turnover(ledger, PERIODS, by=["category"])


def test_unknown_grouping_key_is_refused(ledger):
    with pytest.raises(ParameterError, match="vendor"):
        stock.inventory_value(ledger, PERIODS, by=["vendor"])


# --------------------------------------------------------------------------- S3, S5


def test_on_hand_at_a_date(movements):
    result = stock.on_hand(movements, dt.date(2026, 2, 14))
    expected = pd.DataFrame({"sku": pd.Series(["A", "A", "B", "C"], dtype="str"),
                             "warehouse": pd.Series(["W1", "W2", "W1", "W1"], dtype="str"),
                             "qty_on_hand": [2.0, 2.0, 1.0, 7.0]})
    pd.testing.assert_frame_equal(result, expected)


def test_coverage_in_days(movements):
    result = stock.coverage(movements, dt.date(2026, 3, 31))
    expected = pd.DataFrame({
        "sku": pd.Series(["A", "A", "B", "C", "D"], dtype="str"),
        "warehouse": pd.Series(["W1", "W2", "W1", "W1", "W1"], dtype="str"),
        "qty_on_hand": [7.0, 0.0, 4.0, 8.0, 3.0],
        "demand_qty": [13.0, 2.0, 2.0, 0.0, 0.0],
        "daily_demand": [13 / 90, 2 / 90, 2 / 90, 0.0, 0.0],
        # 7 / (13 / 90); no stock → 0; 4 / (2 / 90); stock without demand → None
        "coverage_days": [7 / (13 / 90), 0.0, 180.0, np.nan, np.nan],
        "reason": pd.Series([None, None, None, stock.NO_DEMAND, stock.NO_DEMAND], dtype="str"),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_coverage_window_is_configurable(movements):
    result = stock.coverage(movements, dt.date(2026, 3, 31), window_days=30)
    # March only: A/W1 issued 3 → 7 / (3 / 30) = 70 days; B not issued in March
    assert result["coverage_days"].iloc[0] == pytest.approx(70.0)
    assert result["reason"].iloc[2] == stock.NO_DEMAND


def test_stockout_rate_snapshot_and_time_weighted(movements):
    # D was ordered on 15 January (an order line: no warehouse) but only received on
    # 20 March: active from January, out of stock until then
    demand = pd.DataFrame({"sku": ["D"], "date": pd.to_datetime(["2026-01-15"])})
    result = stock.stockout_rate(movements, PERIODS, demand=demand)
    expected = pd.DataFrame({
        "period": pd.Series(PERIODS, dtype="str"),
        "active_pairs": np.array([2, 3, 4], dtype="int64"),  # A/W1 D; + B; + A/W2
        "out_pairs": np.array([1, 1, 1], dtype="int64"),     # D, D, A/W2
        "negative_pairs": np.array([0, 0, 0], dtype="int64"),
        "snapshot_rate": [1 / 2, 1 / 3, 1 / 4],
        "active_days": np.array([62, 84, 124], dtype="int64"),
        # Jan: A/W1 1–4 Jan + D 31 days; Feb: D 28; Mar: A/W2 12–31 (20) + D 1–19 (19)
        "out_days": np.array([35, 28, 39], dtype="int64"),
        "time_weighted_rate": [35 / 62, 28 / 84, 39 / 124],
        "reason": pd.Series([None, None, None], dtype="str"),
    })
    pd.testing.assert_frame_equal(result, expected)



@pytest.mark.parametrize("periods", [["2025-11", "2025-12"], ["2026-02"]])
def test_stockout_rate_without_movements_up_to_the_months_has_no_rate(movements, periods):
    # before the first movement (2026-01), or with no movement at all
    scope = movements if periods[0] < "2026" else movements.iloc[0:0]
    result = stock.stockout_rate(scope, periods)
    zeros = np.zeros(len(periods), dtype="int64")
    expected = pd.DataFrame({
        "period": pd.Series(periods, dtype="str"),
        "active_pairs": zeros, "out_pairs": zeros, "negative_pairs": zeros,
        "snapshot_rate": [np.nan] * len(periods),
        "active_days": zeros, "out_days": zeros,
        "time_weighted_rate": [np.nan] * len(periods),
        "reason": pd.Series([stock.DENOM_ZERO] * len(periods), dtype="str"),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_sku_demand_repeats_each_event_for_every_pair_of_its_sku():
    from backoffice_lib.stock.availability import _sku_demand

    pairs = pd.DataFrame({"sku": pd.Series(["A", "A", "B", "C", "C", "C"], dtype="str"),
                          "warehouse": pd.Series(["W1", "W2", "W1", "W1", "W2", "W3"],
                                                 dtype="str")})
    demand = pd.DataFrame({"sku": pd.Series(["C", "Z", "A", None, "B"], dtype="str"),
                           "date": pd.to_datetime(["2026-01-03", "2026-01-04", "2026-01-02",
                                                   "2026-01-05", None])})
    days, pair = _sku_demand(demand, pairs)
    day = int(np.datetime64("2026-01-01", "D").astype("int64"))
    # Z has no pair, the unknown sku and the missing date are left out
    assert sorted(zip(days.tolist(), pair.tolist(), strict=True)) == [
        (day + 1, 0), (day + 1, 1), (day + 2, 3), (day + 2, 4), (day + 2, 5)]


def test_negative_stock_counts_as_a_stockout():
    moves = _movements([_mv("2026-01-05", "X", "W1", 3, "receipt", "10.00"),
                        _mv("2026-02-10", "X", "W1", -5, "issue", "10.00"),
                        _mv("2026-03-05", "X", "W1", 4, "receipt", "12.00")])
    result = stock.stockout_rate(moves, PERIODS)
    assert result["active_pairs"].tolist() == [0, 1, 1]
    assert result["out_pairs"].tolist() == [0, 1, 0]
    assert result["negative_pairs"].tolist() == [0, 1, 0]
    assert result["out_days"].tolist() == [0, 19, 4]  # 10–28 Feb, 1–4 Mar
    assert result["reason"].tolist()[0] == stock.DENOM_ZERO


# --------------------------------------------------------------------------- S4


@pytest.fixture(scope="module")
def order_lines() -> pd.DataFrame:
    """March: O1 (A 10/10, B 5/3), O2 (A 4/4), O3 cancelled, O4 ordered 0, O5 on the
    30th (younger than 2 days on the 31st); February: O6 (B 8/8)."""
    def line(order, line_no, date, sku, ordered, shipped, status):
        return {"order_id": order, "line_no": line_no, "date": date, "sku": sku,
                "qty_ordered": ordered, "qty_shipped": shipped, "status": status}
    return canonical("order_lines", [
        line("O1", 1, "2026-03-02", "A", 10, 10, "Livrée"),
        line("O1", 2, "2026-03-02", "B", 5, 3, "Livrée partiellement"),
        line("O2", 1, "2026-03-10", "A", 4, 4, "Livrée"),
        line("O3", 1, "2026-03-15", "C", 2, 0, "Annulée"),
        line("O4", 1, "2026-03-29", "A", 0, 0, "Livrée"),
        line("O5", 1, "2026-03-30", "A", 6, None, None),
        line("O6", 1, "2026-02-20", "B", 8, 8, "Livrée"),
    ])


def test_fill_rate_of_a_month(order_lines):
    result = stock.fill_rate(order_lines, ["2026-03"])
    expected = pd.DataFrame({
        "lines": np.array([3], dtype="int64"), "orders": np.array([2], dtype="int64"),
        "qty_ordered": [19.0], "qty_filled": [17.0],
        "short_lines": np.array([1], dtype="int64"),
        "unit_fill": [17 / 19], "line_fill": [2 / 3], "order_fill": [1 / 2],
        "reason": pd.Series([None], dtype="str"),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_fill_rate_by_month_lists_empty_months(order_lines):
    result = stock.fill_rate(order_lines, PERIODS, by=["period"])
    assert result["period"].tolist() == PERIODS
    assert result["lines"].tolist() == [0, 1, 3]
    assert result["reason"].tolist()[0] == stock.NO_POPULATION
    assert pd.isna(result["unit_fill"].iloc[0])
    assert result["unit_fill"].tolist()[1:] == [1.0, 17 / 19]



def test_fill_rate_lines_without_order_id_are_not_orders(order_lines):
    lines = order_lines.copy()
    lines.loc[lines["order_id"] == "O2", "order_id"] = None
    result = stock.fill_rate(lines, ["2026-03"])
    # O2's line still counts as a line; only O1 (short) is an order
    assert result["lines"].tolist() == [3] and result["orders"].tolist() == [1]
    assert result["order_fill"].tolist() == [0.0]

def test_fill_rate_lead_time_is_a_parameter(order_lines):
    # without a lead time, O5 (6 ordered, nothing shipped yet) counts as a miss
    result = stock.fill_rate(order_lines, ["2026-03"], lead_days=0)
    assert result["unit_fill"].tolist() == [17 / 25]


# --------------------------------------------------------------------------- S6


def test_dormant_stock_statuses(movements, ledger):
    result = stock.dormant_stock(movements, ledger, "2026-03", slow_days=30, dead_days=60)
    expected = pd.DataFrame({
        "sku": pd.Series(["B", "A", "D", "C"], dtype="str"),     # by value
        "warehouse": pd.Series(["W1"] * 4, dtype="str"),
        "qty_on_hand": [4.0, 7.0, 3.0, 8.0],
        "stock_value": money("46.40", "16.87", "15.00", "8.00"),
        "first_receipt": pd.to_datetime(["2026-01-08", "2026-01-05", "2026-03-20",
                                         "2026-01-02"]).astype("datetime64[us]"),
        "last_issue": pd.to_datetime(["2026-02-10", "2026-03-20", None, None]).astype(
            "datetime64[us]"),
        # B: 49 days; A: 11; D: never issued, 11 days since its receipt; C: 88 days
        "days_since_issue": pd.array([49, 11, 11, 88], dtype="Int64"),
        "status": pd.Series(["slow", "active", "new", "dead"], dtype="str"),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_dormant_summary(movements, ledger):
    pairs = stock.dormant_stock(movements, ledger, "2026-03", slow_days=30, dead_days=60)
    result = stock.dormant_summary(pairs)
    expected = pd.DataFrame({
        "status": pd.Series(["active", "slow", "dead", "new"], dtype="str"),
        "pairs": np.array([1, 1, 1, 1], dtype="int64"),
        "stock_value": money("16.87", "46.40", "8.00", "15.00"),
        "share": [16.87 / 86.27, 46.40 / 86.27, 8.00 / 86.27, 15.00 / 86.27],
    })
    pd.testing.assert_frame_equal(result, expected)


@pytest.mark.parametrize(("slow", "dead"), [(180, 180), (0, 365), (200, 100)],
                         ids=["equal", "zero", "reversed"])
def test_dormant_thresholds_are_checked(slow, dead):
    with pytest.raises(ParameterError):
        stock.check_thresholds(slow, dead)


# --------------------------------------------------------------------------- S7


def test_abc_classes_cumulative_share_before_the_item():
    values = pd.DataFrame({"sku": ["S5", "S1", "S3", "S2", "S4", "S6", "S7"],
                           "consumption": money("5", "50", "10", "30", "5", "0", "-1")})
    items = pd.DataFrame({"sku": ["S1", "S8"]})
    result = stock.abc_classes(values, items=items)
    expected = pd.DataFrame({
        "sku": pd.Series(["S1", "S2", "S3", "S4", "S5", "S6", "S8", "S7"], dtype="str"),
        "consumption": money("50", "30", "10", "5", "5", "0", "0", "-1"),
        "share": [0.5, 0.3, 0.1, 0.05, 0.05, 0.0, 0.0, 0.0],
        "cum_share": [0.5, 0.8, 0.9, 0.95, 1.0, 1.0, 1.0, 1.0],
        # S3 starts at 80 % (not below): B; S4 at 90 %: B; S5 at 95 %: C (ties by sku)
        "abc": pd.Series(["A", "A", "B", "B", "C", "C", "C", "C"], dtype="str"),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_abc_without_consumption_everything_is_c():
    values = pd.DataFrame({"sku": ["S1"], "consumption": money("0")})
    result = stock.abc_classes(values)
    assert result["abc"].tolist() == ["C"] and result["share"].isna().all()


# --------------------------------------------------------------------------- S10


@pytest.mark.parametrize(("reason", "group"), [
    ("Casse", "loss"), ("Vol constaté", "loss"), ("Produit périmé", "loss"),
    ("Écart d'inventaire", "count"), ("Inventaire tournant", "count"),
    ("Perte à l'inventaire", "loss"), ("Correction de saisie", "other"), (None, "other"),
], ids=["casse", "vol", "perime", "ecart", "inventaire", "loss-wins", "other", "none"])
def test_reason_group(reason, group):
    assert stock.reason_group(pd.Series([reason], dtype="str")).tolist() == [group]


def test_shrinkage_by_month(movements, ledger):
    result = stock.shrinkage(movements, ledger, PERIODS, by=["period"])
    expected = pd.DataFrame({
        "period": pd.Series(PERIODS, dtype="str"),
        "adjustments": np.array([1, 0, 2], dtype="int64"),
        "loss_value": money("2.33", "0.00", "0.00"),          # A broken at 2.33
        "count_loss_value": money("0.00", "0.00", "11.60"),   # B short at 11.60
        "count_gain_value": money("0.00", "0.00", "1.00"),    # C found at 1.00
        "shrink_value": money("2.33", "0.00", "10.60"),
        "other_value": money("0.00", "0.00", "0.00"),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_shrinkage_of_the_window(movements, ledger):
    result = stock.shrinkage(movements, ledger, PERIODS)
    assert result["shrink_value"].tolist() == [Decimal("12.93")]
    assert result["adjustments"].tolist() == [3]


# --------------------------------------------------------------------------- S11


@pytest.fixture(scope="module")
def counts() -> pd.DataFrame:
    """March: K1 A 100→99 (within A's 1 %), K2 A 100→98 (not), K3 B 10→10, K4 C 0→0,
    K5 C 0→1 (a zero system quantity tolerates nothing), K6 D 20→21 (D has no class: C,
    5 % of 20 = 1, within). February: K7 A 50→50."""
    def count(cid, date, sku, system, counted, cost):
        return {"count_id": cid, "date": date, "sku": sku, "warehouse": "W1",
                "system_qty": system, "counted_qty": counted, "unit_cost": cost}
    return canonical("cycle_counts", [
        count("K1", "2026-03-02", "A", 100, 99, "2.00"),
        count("K2", "2026-03-03", "A", 100, 98, "2.00"),
        count("K3", "2026-03-04", "B", 10, 10, "10.00"),
        count("K4", "2026-03-05", "C", 0, 0, "1.00"),
        count("K5", "2026-03-06", "C", 0, 1, "1.00"),
        count("K6", "2026-03-07", "D", 20, 21, "5.00"),
        count("K7", "2026-02-10", "A", 50, 50, "2.00"),
    ])


@pytest.fixture(scope="module")
def classes() -> pd.DataFrame:
    """A in class A, B in B, C in C; D unclassified."""
    return pd.DataFrame({"sku": ["A", "B", "C"], "abc": ["A", "B", "C"]})


def test_record_accuracy_by_class(counts, classes):
    result = stock.record_accuracy(counts, ["2026-03"], classes=classes, by=["abc"])
    expected = pd.DataFrame({
        "abc": pd.Series(["A", "B", "C"], dtype="str"),
        "lines": np.array([2, 1, 3], dtype="int64"),
        "accurate_lines": np.array([1, 1, 2], dtype="int64"),
        "ira": [1 / 2, 1.0, 2 / 3],
        "system_value": money("400.00", "100.00", "100.00"),
        "difference_value": money("6.00", "0.00", "6.00"),   # 1 × 2 + 2 × 2; 1 × 1 + 1 × 5
        "net_difference_value": money("-6.00", "0.00", "6.00"),
        "value_accuracy": [1 - 6 / 400, 1.0, 1 - 6 / 100],
        "reason": pd.Series([None, None, None], dtype="str"),
    })
    pd.testing.assert_frame_equal(result, expected)


def test_record_accuracy_never_nets_differences(counts, classes):
    result = stock.record_accuracy(counts, ["2026-03"], classes=classes)
    assert result["ira"].tolist() == [4 / 6]
    assert result["net_difference_value"].tolist() == [Decimal("0.00")]  # −6 + 6
    assert result["value_accuracy"].tolist() == [1 - 12 / 600]


def test_record_accuracy_by_month_lists_months_without_counts(counts, classes):
    result = stock.record_accuracy(counts, PERIODS, classes=classes, by=["period"])
    assert result["lines"].tolist() == [0, 1, 6]
    assert result["reason"].tolist()[0] == stock.NO_POPULATION
    assert result["ira"].tolist()[1:] == [1.0, 4 / 6]


def test_record_accuracy_without_classes_uses_c_tolerance(counts):
    # everything at ±5 %: K2 (2 % off) becomes accurate
    result = stock.record_accuracy(counts, ["2026-03"])
    assert result["accurate_lines"].tolist() == [5]


def test_pair_numbers_are_the_sorted_distinct_pairs():
    from backoffice_lib.stock._common import month_numbers, pair_numbers

    frame = pd.DataFrame({"sku": pd.Series(["B", "A", "B", "A", "C", "A"], dtype="str"),
                          "warehouse": pd.Series(["W2", "W2", "W1", "W2", "W1", "W1"],
                                                 dtype="str")})
    pairs, pair = pair_numbers(frame)
    expected = frame.drop_duplicates().sort_values(["sku", "warehouse"], ignore_index=True)
    pd.testing.assert_frame_equal(pairs, expected)
    assert pair.dtype == np.int64
    assert pair.tolist() == [3, 1, 2, 1, 4, 0]  # A/W1 A/W2 B/W1 B/W2 C/W1
    # many possible pairs for few rows (each sku in its own warehouse): the sorting path
    wide = pd.DataFrame({"sku": pd.Series([f"S{i:02d}" for i in range(40)][::-1], dtype="str"),
                         "warehouse": pd.Series([f"W{i:02d}" for i in range(40)],
                                                dtype="str")})
    pairs, pair = pair_numbers(wide)
    pd.testing.assert_frame_equal(
        pairs, wide.sort_values(["sku", "warehouse"], ignore_index=True))
    assert pair.tolist() == list(range(39, -1, -1))
    periods = pd.Series(["2026-03", "2026-01", "2026-03", "2026-02"], dtype="str")
    assert month_numbers(periods, ["2026-01", "2026-02", "2026-03"]).tolist() == [2, 0, 2, 1]
