"""The stock report's sections (backoffice_lib.analyses.stock) on a small hand-made company
whose figures are worked out below. Closing month 2026-03; R12 = April 2025 to March 2026.

Items (category, unit cost): A screws (Composants, 1.00), B boxes (Emballages, 2.00),
C motors (Produits finis, 50.00), D belts (Composants, 5.00), E sensors (Produits finis,
20.00), F (Composants, in the item file only), G resin (Matières premières, 100.00).

Movements (opening stock received on 1 March 2025, at the items' costs):
- A/LYO: 100; every month from April 2025 to March 2026, 10 issued on the 10th and 10
  received at 1.00 on the 20th; 10 transferred to NAN on 15 February 2026; +1 count
  difference (« Écart d'inventaire ») on 25 March 2026. A/NAN: the 10 transferred, never
  issued.
- B/LYO: 50; every month 20 issued on the 12th and 20 received at 2.00 on the 22nd;
  2 broken (« Casse ») on 18 March 2026.
- C/NAN: 4; every month from April 2025 to February 2026, 1 issued on the 5th and 1
  received on the 25th; all 4 issued on 5 March 2026, nothing received since.
- D/NAN: 10; 2 issued on 15 March 2025, nothing since (dead stock on 31 March 2026:
  381 days).
- E/LYO: 5 received on 10 March 2026 (new). G/LYO: 10 received at 100.00 on 1 March 2026,
  all issued the next day.

Costs never change, so values are quantities × cost. Month ends: 440.00 from March 2025
to February 2026 (A 100, B 100, C 200, D 40; in February A is 90 + 10); March 2026 337.00
(A 91 + 10, B 96, D 40, E 100). Average of the 13 month ends: (12 × 440 + 337) / 13 =
5 617 / 13 = 432.08. Consumption at cost: 100.00 a month (A 10, B 40, C 50) from April to
February, 1 250.00 in March (A 10, B 40, C 200, G 1 000): 2 350.00 over 12 months.
Turns 2 350 × 13 / 5 617 = 5.44; DIO 5 617 × 365 / (13 × 2 350) = 67.1 days.

Order lines: February O1 (A 10/10, B 20/20); March O2 (C 4/4), O3 (A 10/10, B 20/20),
O4 (C 2 ordered, 0 shipped), O5 cancelled, O6 on the 30th (too recent). March unit fill
34 / 36, line fill 3 / 4, order fill 2 / 3; 12 months 64 / 66.

Stockouts at the end of March: active (demand over 90 days) A/LYO, A/NAN (order lines for
A), B, C, G; out C and G: 2 / 5. Over March: C out from the 5th (27 days), G from the 2nd
(30 days): 57 / 155.

ABC on 12 months to March: G 1 000 (A), C 750 (A, 42.6 % before it), B 480 (A, 74.5 %),
A 120 (B, 94.9 %), D, E, F (C). A month earlier G had no consumption (C): 1 change.

Cycle counts (March): K1 B 50→50, K2 C 0→0, K3 A 90→91 (class B, ±3 %), K4 C 4→3
(class A, ±1 %: out), K5 D 8→7 (class C, ±5 %: out); February K6 A/NAN 10→10.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from backoffice_lib.analyses import stock
from backoffice_lib.errors import ParameterError
from backoffice_lib.i18n import use_language
from backoffice_lib.periods import period_range
from backoffice_lib.tables import TABLES

PERIOD = "2026-03"
MONTHS = period_range("2025-04", "2026-03")


def canonical(table: str, rows: list[dict]) -> pd.DataFrame:
    return TABLES[table].frame(rows)


def _items() -> pd.DataFrame:
    rows = [("A", "Vis", "Composants", "1.00", "LYO"), ("B", "Carton", "Emballages", "2.00", "LYO"),
            ("C", "Moteur", "Produits finis", "50.00", "NAN"),
            ("D", "Courroie", "Composants", "5.00", "NAN"),
            ("E", "Capteur", "Produits finis", "20.00", "LYO"),
            ("F", "Ressort", "Composants", "3.00", "LYO"),
            ("G", "Résine", "Matières premières", "100.00", "LYO")]
    return canonical("items", [dict(zip(["sku", "description", "category", "unit_cost",
                                         "warehouse"], row, strict=True)) for row in rows])


def _movements() -> pd.DataFrame:
    rows = []

    def move(date, sku, wh, qty, kind, cost, ref=None, reason=None):
        rows.append({"movement_id": f"M{len(rows) + 1:04d}", "date": date, "sku": sku,
                     "warehouse": wh, "qty": qty, "type": kind, "unit_cost": cost, "ref": ref,
                     "reason": reason})

    for sku, wh, qty, cost in (("A", "LYO", 100, "1.00"), ("B", "LYO", 50, "2.00"),
                               ("C", "NAN", 4, "50.00"), ("D", "NAN", 10, "5.00")):
        move("2025-03-01", sku, wh, qty, "receipt", cost, reason="Stock d'ouverture")
    move("2025-03-15", "D", "NAN", -2, "issue", "5.00")
    for month in MONTHS:
        move(f"{month}-10", "A", "LYO", -10, "issue", "1.00")
        move(f"{month}-20", "A", "LYO", 10, "receipt", "1.00")
        move(f"{month}-12", "B", "LYO", -20, "issue", "2.00")
        move(f"{month}-22", "B", "LYO", 20, "receipt", "2.00")
        if month != PERIOD:
            move(f"{month}-05", "C", "NAN", -1, "issue", "50.00")
            move(f"{month}-25", "C", "NAN", 1, "receipt", "50.00")
    move("2026-02-15", "A", "LYO", -10, "transfer", "1.00", ref="TR-1")
    move("2026-02-15", "A", "NAN", 10, "transfer", "1.00", ref="TR-1")
    move("2026-03-01", "G", "LYO", 10, "receipt", "100.00")
    move("2026-03-02", "G", "LYO", -10, "issue", "100.00")
    move("2026-03-05", "C", "NAN", -4, "issue", "50.00")
    move("2026-03-10", "E", "LYO", 5, "receipt", "20.00")
    move("2026-03-18", "B", "LYO", -2, "adjustment", "2.00", reason="Casse")
    move("2026-03-25", "A", "LYO", 1, "adjustment", "1.00", reason="Écart d'inventaire")
    return canonical("stock_movements", rows)


def _order_lines() -> pd.DataFrame:
    def line(order, no, date, sku, ordered, shipped, status):
        return {"order_id": order, "line_no": no, "date": date, "sku": sku,
                "qty_ordered": ordered, "qty_shipped": shipped, "status": status}
    return canonical("order_lines", [
        line("O1", 1, "2026-02-10", "A", 10, 10, "Livrée"),
        line("O1", 2, "2026-02-10", "B", 20, 20, "Livrée"),
        line("O2", 1, "2026-03-05", "C", 4, 4, "Livrée"),
        line("O3", 1, "2026-03-10", "A", 10, 10, "Livrée"),
        line("O3", 2, "2026-03-10", "B", 20, 20, "Livrée"),
        line("O4", 1, "2026-03-20", "C", 2, 0, "Non livrée"),
        line("O5", 1, "2026-03-21", "B", 5, 0, "Annulée"),
        line("O6", 1, "2026-03-30", "A", 3, 0, "Non livrée"),
    ])


def _cycle_counts() -> pd.DataFrame:
    def count(cid, date, sku, wh, system, counted, cost):
        return {"count_id": cid, "date": date, "sku": sku, "warehouse": wh,
                "system_qty": system, "counted_qty": counted, "unit_cost": cost}
    return canonical("cycle_counts", [
        count("K1", "2026-03-11", "B", "LYO", 50, 50, "2.00"),
        count("K2", "2026-03-16", "C", "NAN", 0, 0, "50.00"),
        count("K3", "2026-03-25", "A", "LYO", 90, 91, "1.00"),
        count("K4", "2026-03-03", "C", "NAN", 4, 3, "50.00"),
        count("K5", "2026-03-20", "D", "NAN", 8, 7, "5.00"),
        count("K6", "2026-02-20", "A", "NAN", 10, 10, "1.00"),
    ])


def _tables() -> dict[str, pd.DataFrame]:
    return {"items": _items(), "stock_movements": _movements(),
            "order_lines": _order_lines(), "cycle_counts": _cycle_counts()}


@pytest.fixture(scope="module")
def data() -> stock.StockInputs:
    return stock.from_tables(_tables(), PERIOD)


@pytest.fixture(scope="module")
def top(data) -> dict:
    return stock.headline(data)


@pytest.fixture(scope="module")
def bare() -> stock.StockInputs:
    """The same company without order lines and cycle counts."""
    tables = _tables()
    return stock.from_tables({"items": tables["items"],
                              "stock_movements": tables["stock_movements"]}, PERIOD)


# --------------------------------------------------------------------------- inputs


def test_from_tables_needs_movements():
    with use_language("en"), pytest.raises(ParameterError,
                                           match="needs the \"stock_movements\""):
        stock.from_tables({"items": _items()}, PERIOD)


def test_unknown_warehouse_in_the_filter_names_the_closest():
    with use_language("en"), pytest.raises(ParameterError, match="NAM.*did you mean \"NAN\""):
        stock.from_tables(_tables(), PERIOD, warehouse_filter=["NAM"])


def test_dead_stock_must_come_after_slow_movers():
    with pytest.raises(ParameterError):
        stock.from_tables(_tables(), PERIOD, slow_mover_days=365, dead_stock_days=180)


# --------------------------------------------------------------------------- headline


def test_headline_figures(top):
    assert top["stock_value"] == Decimal("337.00")
    assert top["stock_value_previous"] == Decimal("440.00")
    assert top["pairs_in_stock"] == 5  # A/LYO, A/NAN, B, D, E
    assert top["consumption_r12"] == Decimal("2350.00")
    assert top["turns_r12"] == pytest.approx(2350 * 13 / 5617)
    assert top["dio_r12"] == pytest.approx(5617 * 365 / (13 * 2350))
    assert top["fill_rate"] == pytest.approx(34 / 36)
    assert top["fill_rate_r12"] == pytest.approx(64 / 66)
    assert top["stockout_rate"] == pytest.approx(2 / 5)
    assert top["stockout_days_rate"] == pytest.approx(57 / 155)
    assert top["dormant_value"] == Decimal("40.00") and top["dead_value"] == Decimal("40.00")
    assert top["dormant_share"] == pytest.approx(40 / 337)
    assert top["record_accuracy"] == pytest.approx(3 / 5)
    assert top["record_accuracy_r12"] == pytest.approx(4 / 6)


def test_headline_tiles(data, top):
    with use_language("en"):
        tiles = {tile.key: tile for tile in stock.headline_tiles(top, data)}
    assert list(tiles) == ["stock_value", "inventory_turns", "dio", "fill_rate",
                           "stockout_rate", "dormant_stock_value", "record_accuracy"]
    assert tiles["stock_value"].delta == Decimal("-103.00")
    assert tiles["stock_value"].delta_label == "vs February 2026"
    assert tiles["fill_rate"].delta == pytest.approx(34 / 36 - 64 / 66)
    assert tiles["fill_rate"].favourable is False
    assert tiles["record_accuracy"].delta == pytest.approx(0.6 - 0.95)
    assert tiles["record_accuracy"].favourable is False
    assert tiles["dormant_stock_value"].footnote == (
        "No issue for more than 180 days: 11.9% of stock value, of which €40 with none "
        "for more than 365 days.")


def test_summary_sentence(data, top):
    with use_language("en"):
        text = stock.summary_sentence(top, data)
    assert text == ("At the end of March 2026, stock is worth €337 (5 item-warehouses in "
                    "stock). Over 12 months it turned 5.4 times a year: 67 days of "
                    "consumption.")


# --------------------------------------------------------------------------- value, turnover


def test_value_trend_starts_with_the_data(data):
    trend = stock.value_trend(data, months=24)
    assert trend["period"].tolist() == ["2025-03", *MONTHS]  # nothing before March 2025
    assert trend["stock_value"].tolist() == [Decimal("440.00")] * 12 + [Decimal("337.00")]
    assert trend["consumption"].tolist() == ([Decimal("10.00")] + [Decimal("100.00")] * 11
                                             + [Decimal("1250.00")])
    assert pd.isna(trend["dio"].iloc[0])  # February 2025 is not loaded
    assert trend["dio"].iloc[1] == pytest.approx(440 / 100 * 30)
    assert trend["dio"].iloc[-1] == pytest.approx((440 + 337) / 2 / 1250 * 31)


def test_category_turnover(data):
    table = stock.category_turnover(data).set_index("category")
    assert table.index.tolist() == ["Composants", "Produits finis", "Emballages",
                                    "Matières premières", "TOTAL"]  # by DIO, scope last
    assert table.loc["Composants", "dio"] == pytest.approx(1821 * 365 / (13 * 120))
    assert table.loc["Emballages", "turns"] == pytest.approx(480 * 13 / 1296)
    assert table.loc["Produits finis", "turns"] == pytest.approx(3.9)  # 750 × 13 / 2 500
    # G never held at a month end: no average stock, no turns; all consumed, 0 days
    assert pd.isna(table.loc["Matières premières", "turns"])
    assert table.loc["Matières premières", "dio"] == 0
    assert table.loc["TOTAL", "avg_inventory"] == Decimal("432.08")
    assert table.loc["Composants", "value_share"] == pytest.approx(141 / 337)


# --------------------------------------------------------------------------- service


def test_service_trend(data):
    service = stock.service_trend(data).set_index("period")
    assert service.index.tolist() == MONTHS
    assert service.loc["2026-03", "unit_fill"] == pytest.approx(34 / 36)
    assert service.loc["2026-03", "line_fill"] == pytest.approx(3 / 4)
    assert service.loc["2026-03", "order_fill"] == pytest.approx(2 / 3)
    assert service.loc["2026-02", "unit_fill"] == 1.0
    assert service["lines"].sum() == 6 and pd.isna(service.loc["2025-12", "unit_fill"])
    # February: A/NAN (ordered on the 10th) had no stock before the transfer of the 15th
    assert service.loc["2026-02", "stockout_days_rate"] == pytest.approx(14 / 112)
    assert service.loc["2026-03", "stockout_rate"] == pytest.approx(2 / 5)
    with use_language("en"):
        text = stock.service_sentence(service.reset_index(), data)
    assert text == ("In March 2026, 94.4% of the quantities ordered were shipped; 75.0% of "
                    "the lines and 66.7% of the orders were shipped in full. At month end, "
                    "40.0% of the item-warehouses in demand were out of stock.")


def test_without_order_lines_the_service_section_says_so(bare):
    top = stock.headline(bare)
    assert top["fill_rate"] is None
    service = stock.service_trend(bare)
    assert service["unit_fill"].isna().all()
    # without order lines, A/NAN has no demand: active A/LYO, B, C, G; out C, G
    assert service["stockout_rate"].iloc[-1] == pytest.approx(2 / 4)
    with use_language("en"):
        spec = stock.service_table(service, bare)
        tiles = {tile.key: tile for tile in stock.headline_tiles(top, bare)}
        chart = stock.service_chart(service, bare)
    assert "unit_fill" not in spec["df"].columns
    assert spec["footnotes"][0] == ("No order lines table in the data: the fill rate "
                                    "cannot be computed.")
    assert tiles["fill_rate"].footnote == "No order lines table in the data."
    assert chart.axes[0].get_title(loc="left").startswith("Stockouts at month end")


# --------------------------------------------------------------------------- coverage, dormant


def test_coverage_bands(data):
    table = stock.coverage(data).set_index("band")
    assert table["pairs"].tolist() == [2, 0, 0, 1, 0, 1, 3]   # C G | B 72 d | A 273 d | …
    assert table.loc["no_demand", "stock_value"] == Decimal("150.00")  # A/NAN, D, E
    assert table.loc["30-90", "stock_value"] == Decimal("96.00")
    assert table.loc["ge180", "value_share"] == pytest.approx(91 / 337)


def test_dormant_stock(data):
    pairs = stock.dormant(data)
    assert pairs[["sku", "warehouse", "status"]].values.tolist() == [
        ["E", "LYO", "new"], ["B", "LYO", "active"], ["A", "LYO", "active"],
        ["D", "NAN", "dead"], ["A", "NAN", "new"]]
    assert pairs.loc[pairs["sku"] == "D", "days_since_issue"].tolist() == [381]
    summary = stock.dormant_summary(pairs)
    with use_language("en"):
        text = stock.dormant_sentence(summary, data)
        spec = stock.dormant_items_table(pairs, data)
    assert text == ("No issue for more than 180 days: 1 item-warehouse(s) worth €40 (11.9% "
                    "of the stock), of which 1 with none for more than 365 days (€40).")
    assert spec["df"]["sku"].tolist() == ["D"]


# --------------------------------------------------------------------------- ABC


def test_abc_summary_counts_class_changes(data):
    table = stock.abc_summary(data).set_index("abc")
    assert table["items"].tolist() == [3, 1, 3, 7]           # G C B | A | D E F
    assert table["consumption"].tolist() == [Decimal("2230.00"), Decimal("120.00"),
                                             Decimal("0.00"), Decimal("2350.00")]
    assert table["stock_value"].tolist() == [Decimal("96.00"), Decimal("101.00"),
                                             Decimal("140.00"), Decimal("337.00")]
    assert table["changed"].tolist() == [1, 0, 0, 1]          # G: C → A


# --------------------------------------------------------------------------- shrinkage


def test_shrinkage_month_and_year(data):
    table = stock.shrinkage(data).set_index("window")
    assert table["loss_value"].tolist() == [Decimal("4.00")] * 2     # B: 2 broken at 2.00
    assert table["count_gain_value"].tolist() == [Decimal("1.00")] * 2
    assert table["shrink_value"].tolist() == [Decimal("3.00")] * 2
    assert table.loc["month", "avg_inventory"] == Decimal("388.50")  # (440 + 337) / 2
    assert table.loc["r12", "shrink_rate"] == pytest.approx(3 / 432.08)
    with use_language("en"):
        text = stock.shrinkage_sentence(table.reset_index(), data)
    assert text == ("Over 12 months, shrinkage at cost is €3 (0.69% of the average stock): "
                    "€4 of losses (breakage, theft, expiry) and -€1 of net count differences.")


# --------------------------------------------------------------------------- accuracy


def test_record_accuracy_by_class(data):
    table = stock.record_accuracy(data).set_index("abc")
    assert table["count_lines"].tolist() == [3, 1, 1, 5]
    assert table["ira"].tolist() == pytest.approx([2 / 3, 1.0, 0.0, 3 / 5])
    assert table.loc["A", "value_accuracy"] == pytest.approx(1 - 50 / 300)
    assert table.loc["TOTAL", "value_accuracy"] == pytest.approx(1 - 56 / 430)
    assert table["count_lines_r12"].tolist() == [3, 2, 1, 6]
    assert table.loc["TOTAL", "net_difference_value"] == Decimal("-54.00")
    with use_language("en"):
        spec = stock.accuracy_table(table.reset_index(), data)
        text = stock.accuracy_sentence(table.reset_index(), data)
    assert spec["df"]["abc"].tolist() == ["A (±1%)", "B (±3%)", "C (±5%)", "All"]
    assert spec["headers"]["count_lines"] == "Count lines"
    assert text == ("60.0% of the 5 count lines of the month were accurate, below the 95% "
                    "target (12 months: 66.7%).")


def test_without_cycle_counts_the_accuracy_section_says_so(bare):
    assert stock.record_accuracy(bare).empty
    with use_language("fr"):
        text = stock.accuracy_sentence(stock.record_accuracy(bare), bare)
    assert text == ("Pas de table des inventaires tournants dans les données : la fiabilité "
                    "des stocks ne peut pas être mesurée.")


# --------------------------------------------------------------------------- warehouse filter


def test_warehouse_filter_keeps_its_movements_counts_and_items(data):
    nan = stock.from_tables(_tables(), PERIOD, warehouse_filter=["NAN"])
    top = stock.headline(nan)
    assert top["stock_value"] == Decimal("50.00")   # A/NAN 10 + C 0 + D 40
    # order lines of the items held at NAN (A, C): O2, O3 A, O4 → (4 + 10 + 0) / 16
    assert top["fill_rate"] == pytest.approx(14 / 16)
    assert stock.record_accuracy(nan).set_index("abc").loc["TOTAL", "count_lines"] == 3
    with use_language("en"):
        assert stock.summary_sentence(top, nan).endswith("Warehouses: NAN.")
