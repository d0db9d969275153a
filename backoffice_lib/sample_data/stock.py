"""Items, stock movements, cycle counts and customer order lines.

A day-by-day simulation over the window's working days, vectorised across every
(sku, warehouse) pair. Each day, in this order: supplier deliveries arrive (receipts),
customer order lines are shipped from stock (issues; a line short of stock is shipped
partly or not at all: a stockout), some stock moves to the item's other warehouse
(transfers: two legs sharing ``ref``), some breaks (adjustments), the pairs due for a
cycle count are counted and corrected (adjustments), and pairs at their reorder point
order from the supplier. Stock on hand of every pair stays ≥ 0 after every movement.

Slow movers sell every few months; dead stock stops selling early in the window and is
never reordered. Valuation is the weighted average cost (CUMP) per pair, in cents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import names
from ._random import stream
from .company import WAREHOUSES
from .periods import Window

__all__ = ["MOVEMENT_TYPES", "Stock", "make_stock"]

#: Canonical movement type → French label of the export.
MOVEMENT_TYPES = {"receipt": "Entrée", "issue": "Sortie", "adjustment": "Ajustement",
                  "transfer": "Transfert"}
#: Item family → (code prefix, share of items, mean unit cost EUR, mean qty per order line).
_FAMILIES = {
    "Matières premières": ("MP", 0.20, 25.0, 12.0),
    "Composants": ("CO", 0.25, 12.0, 8.0),
    "Emballages": ("EM", 0.10, 2.0, 30.0),
    "Produits finis": ("PF", 0.20, 180.0, 2.0),
    "Pièces détachées": ("PD", 0.15, 35.0, 3.0),
    "Fournitures": ("FO", 0.10, 6.0, 10.0),
}
_STAGES = ("receipt", "issue", "transfer", "breakage", "count")


@dataclass(frozen=True)
class Stock:
    """``items``: sku, description, category, unit_cost_cents, warehouse (default).
    ``movements``: movement_id, date, sku, warehouse, qty (signed), type (receipt, issue,
    adjustment, transfer), unit_cost_cents, ref (transfer legs), reason.
    ``cycle_counts``: count_id, date, sku, warehouse, system_qty, counted_qty, unit_cost_cents.
    ``order_lines``: order_id, line_no, date, sku, qty_ordered, qty_shipped, status."""

    items: pd.DataFrame
    movements: pd.DataFrame
    cycle_counts: pd.DataFrame
    order_lines: pd.DataFrame


def _make_items(rng: np.random.Generator, scale: int) -> pd.DataFrame:
    n = 800 * scale
    fams = list(_FAMILIES)
    share = np.array([_FAMILIES[f][1] for f in fams])
    fam = rng.choice(len(fams), size=n, p=share)
    fam.sort(kind="stable")
    seq = pd.Series(fam).groupby(fam).cumcount().to_numpy() + 1
    prefix = np.array([_FAMILIES[f][0] for f in fams], dtype=object)[fam]
    words = [names.PRODUCT_WORDS[fams[f]] for f in fam]
    desc = [f"{w[rng.integers(len(w))]} {names.PRODUCT_QUALIFIERS[rng.integers(16)]}"
            for w in words]
    mean_cost = np.array([_FAMILIES[f][2] for f in fams])[fam]
    cost = np.maximum(np.rint(rng.lognormal(np.log(mean_cost) - 0.18, 0.6) * 100), 5)
    return pd.DataFrame({
        "sku": [f"{p}{s:05d}" for p, s in zip(prefix, seq, strict=True)],
        "description": desc,
        "category": np.array(fams, dtype=object)[fam],
        "base_cost_cents": cost.astype(np.int64),
        "qty_mean": np.array([_FAMILIES[f][3] for f in fams])[fam],
        "warehouse": np.asarray(WAREHOUSES, dtype=object)[rng.choice(3, size=n, p=[0.5, 0.3, 0.2])],
    })


class _Log:
    """Per-stage lists of daily event arrays, concatenated at the end."""

    def __init__(self) -> None:
        self.parts: dict[str, list[dict[str, np.ndarray]]] = {s: [] for s in _STAGES}
        self.parts["order"] = []
        self.parts["counted"] = []

    def add(self, stage: str, **cols: np.ndarray) -> None:
        if next(iter(cols.values())).size:
            self.parts[stage].append(cols)

    def frame(self, stage: str) -> pd.DataFrame:
        rows = self.parts[stage]
        if not rows:
            return pd.DataFrame()
        return pd.DataFrame({k: np.concatenate([r[k] for r in rows]) for k in rows[0]})


def make_stock(window: Window, scale: int, seed: int) -> Stock:
    """Simulate the warehouses over the window (about 40,000 order lines a year at scale 1)."""
    rng = stream(seed, "stock")
    items = _make_items(rng, scale)
    n_items = len(items)
    # pairs: each item in its default warehouse, a fifth also in a second one
    second = np.flatnonzero(rng.random(n_items) < 0.2)
    default_wh = pd.Index(WAREHOUSES).get_indexer(items["warehouse"].to_numpy())
    other_wh = (default_wh[second] + 1 + rng.integers(0, 2, second.size)) % 3
    item = np.r_[np.arange(n_items), second]
    wh = np.r_[default_wh, other_wh]
    pairs = item.size
    sibling = np.full(pairs, -1)
    sibling[second] = n_items + np.arange(second.size)
    sibling[n_items:] = second

    days = window.working_days
    n_days = days.size
    kind = rng.choice(3, size=pairs, p=[0.80, 0.15, 0.05])       # 0 normal, 1 slow, 2 dead
    rate = np.where(kind == 0, rng.lognormal(np.log(0.12), 0.8, pairs),
                    rng.uniform(1 / 200, 1 / 60, pairs))
    rate = np.where(np.arange(pairs) >= n_items, rate * 0.5, np.minimum(rate, 0.9))
    rate = np.where(kind == 0, rate * 1.25, rate)
    stop_day = np.where(kind == 2, rng.integers(0, max(1, n_days // 3), pairs), n_days + 1)
    qty_mean = items["qty_mean"].to_numpy()[item] * rng.uniform(0.5, 1.5, pairs)
    lead = rng.integers(3, 16, pairs)
    daily = rate * (qty_mean + 1)
    safety = np.where(rng.random(pairs) < 0.25, rng.uniform(0, 2, pairs), rng.uniform(4, 12, pairs))
    reorder = np.ceil(daily * (lead + safety))
    cycle = rng.uniform(15, 45, pairs)
    up_to = reorder + np.ceil(daily * cycle) + 1
    on_hand = np.where(kind == 0, np.floor(rng.uniform(reorder, up_to)),
                       np.ceil(qty_mean * rng.uniform(2, 8, pairs)))
    base_cost = items["base_cost_cents"].to_numpy()[item].astype(float)
    avg_cost = base_cost * rng.uniform(0.97, 1.03, pairs)
    arrival = np.full(pairs, -1)
    on_order = np.zeros(pairs)
    count_per_day = max(1, round(pairs / 125))

    log = _Log()
    n_lines = 0
    log.add("receipt", day=np.zeros(pairs, dtype=np.int64), pair=np.arange(pairs),
            qty=on_hand.copy(), cost=avg_cost.copy(), opening=np.ones(pairs, dtype=bool))
    for d in range(n_days):
        # 1. deliveries
        arrive = np.flatnonzero(arrival == d)
        if arrive.size:
            price = base_cost[arrive] * (1 + 0.02 * d / 250) * rng.uniform(0.97, 1.03, arrive.size)
            q = on_order[arrive]
            avg_cost[arrive] = ((on_hand[arrive] * avg_cost[arrive] + q * price)
                                / (on_hand[arrive] + q))
            on_hand[arrive] += q
            log.add("receipt", day=np.full(arrive.size, d), pair=arrive, qty=q, cost=price,
                    opening=np.zeros(arrive.size, dtype=bool))
            arrival[arrive], on_order[arrive] = -1, 0
        # 2. customer order lines, shipped from stock
        demand = np.flatnonzero((rng.random(pairs) < rate) & (d < stop_day))
        if demand.size:
            ordered = 1 + rng.poisson(qty_mean[demand])
            shipped = np.minimum(ordered, on_hand[demand])
            on_hand[demand] -= shipped
            line = n_lines + np.arange(demand.size)
            n_lines += demand.size
            log.add("order", day=np.full(demand.size, d), pair=demand,
                    ordered=ordered.astype(float), shipped=shipped)
            out = shipped > 0
            log.add("issue", day=np.full(out.sum(), d), pair=demand[out], qty=-shipped[out],
                    cost=avg_cost[demand[out]], line=line[out])
        # 3. transfers to the item's other warehouse
        move = np.flatnonzero((sibling >= 0) & (rng.random(pairs) < 0.004) & (on_hand >= 4))
        if move.size:
            move = move[np.unique(item[move], return_index=True)[1]]  # one leg pair per item
            q = np.maximum(np.floor(on_hand[move] * rng.uniform(0.2, 0.5, move.size)), 1)
            dest = sibling[move]
            cost = avg_cost[move]
            on_hand[move] -= q
            avg_cost[dest] = (on_hand[dest] * avg_cost[dest] + q * cost) / (on_hand[dest] + q)
            on_hand[dest] += q
            log.add("transfer", day=np.full(move.size, d), src=move, dest=dest, qty=q, cost=cost)
        # 4. breakage
        broke = np.flatnonzero((rng.random(pairs) < 0.0015) & (on_hand > 0))
        if broke.size:
            q = np.minimum(on_hand[broke], 1 + rng.poisson(1, broke.size))
            on_hand[broke] -= q
            log.add("breakage", day=np.full(broke.size, d), pair=broke, qty=-q,
                    cost=avg_cost[broke])
        # 5. cycle counts and their corrections
        counted_pairs = np.sort(rng.choice(pairs, size=min(count_per_day, pairs), replace=False))
        system = on_hand[counted_pairs].copy()
        error = np.where(rng.random(counted_pairs.size) < 0.12,
                         rng.choice([-1, 1], counted_pairs.size)
                         * (1 + rng.poisson(1, counted_pairs.size)), 0)
        counted = np.maximum(system + error, 0)
        log.add("counted", day=np.full(counted_pairs.size, d), pair=counted_pairs,
                system=system, counted=counted, cost=avg_cost[counted_pairs])
        diff = counted - system
        fix = diff != 0
        on_hand[counted_pairs[fix]] = counted[fix]
        log.add("count", day=np.full(fix.sum(), d), pair=counted_pairs[fix], qty=diff[fix],
                cost=avg_cost[counted_pairs[fix]])
        # 6. replenishment (not for dead stock)
        trigger = np.flatnonzero((on_hand <= reorder) & (arrival < 0) & (d < stop_day)
                                 & (kind != 2))
        if trigger.size:
            on_order[trigger] = np.maximum(up_to[trigger] - on_hand[trigger], 1)
            arrival[trigger] = d + lead[trigger]
    return _frames(rng, window, items, item, wh, days, log)


def _frames(rng: np.random.Generator, window: Window, items: pd.DataFrame, item: np.ndarray,
            wh: np.ndarray, days: np.ndarray, log: _Log) -> Stock:
    """Turn the simulation log into the four tables, numbered in date order."""
    sku = items["sku"].to_numpy(dtype=object)
    warehouses = np.asarray(WAREHOUSES, dtype=object)

    orders = log.frame("order")
    orders["date"] = days[orders["day"].to_numpy()]
    orders["wh"] = wh[orders["pair"].to_numpy()]
    orders = orders.reset_index(names="line_key")
    orders = orders.sort_values(["day", "wh", "pair"], kind="stable").reset_index(drop=True)
    # group the lines of one day and warehouse into orders of 1 to 4 lines
    group = orders.groupby(["day", "wh"], sort=False).cumcount().to_numpy()
    chunk = group // rng.integers(1, 5, len(orders))
    new_order = np.r_[True, (np.diff(orders["day"]) != 0) | (np.diff(orders["wh"]) != 0)
                      | (np.diff(chunk) != 0)][: len(orders)]
    order_no = np.cumsum(new_order)
    width = max(7, len(str(order_no.max() if order_no.size else 1)))
    orders["order_id"] = [f"CMD-{o:0{width}d}" for o in order_no]
    orders["line_no"] = orders.groupby("order_id", sort=False).cumcount() + 1
    shipped, ordered = orders["shipped"].to_numpy(), orders["ordered"].to_numpy()
    orders["status"] = np.where(shipped >= ordered, "Livrée",
                                np.where(shipped > 0, "Livrée partiellement", "Non livrée"))
    order_of_line = pd.Series(orders["order_id"].to_numpy(), index=orders["line_key"].to_numpy())

    mv = []
    rec = log.frame("receipt")
    mv.append(pd.DataFrame({"day": rec["day"], "stage": 0, "pair": rec["pair"], "qty": rec["qty"],
                            "type": "receipt", "cost": rec["cost"], "ref": None,
                            "reason": np.where(rec["opening"], "Stock d'ouverture",
                                               "Réception fournisseur")}))
    iss = log.frame("issue")
    if not iss.empty:
        line_keys = iss["line"].to_numpy()
        mv.append(pd.DataFrame({"day": iss["day"], "stage": 1, "pair": iss["pair"],
                                "qty": iss["qty"], "type": "issue", "cost": iss["cost"],
                                "ref": None,
                                "reason": "Commande " + order_of_line.loc[line_keys].to_numpy()}))
    tr = log.frame("transfer")
    if not tr.empty:
        ref = [f"TR-{i + 1:06d}" for i in range(len(tr))]
        for leg, (col, sign) in enumerate((("src", -1), ("dest", 1))):
            mv.append(pd.DataFrame({"day": tr["day"], "stage": 2 + leg * 0.5, "pair": tr[col],
                                    "qty": sign * tr["qty"], "type": "transfer", "cost": tr["cost"],
                                    "ref": ref, "reason": "Transfert entre dépôts"}))
    br = log.frame("breakage")
    if not br.empty:
        mv.append(pd.DataFrame({"day": br["day"], "stage": 3, "pair": br["pair"], "qty": br["qty"],
                                "type": "adjustment", "cost": br["cost"], "ref": None,
                                "reason": "Casse"}))
    ct = log.frame("count")
    if not ct.empty:
        mv.append(pd.DataFrame({"day": ct["day"], "stage": 4, "pair": ct["pair"], "qty": ct["qty"],
                                "type": "adjustment", "cost": ct["cost"], "ref": None,
                                "reason": "Écart d'inventaire"}))
    moves = pd.concat(mv, ignore_index=True)
    moves = moves.sort_values(["day", "stage", "pair"], kind="stable").reset_index(drop=True)
    width = max(7, len(str(len(moves))))
    day_dates = days[moves["day"].to_numpy()]
    opening = moves["reason"].to_numpy() == "Stock d'ouverture"
    day_dates[opening] = window.start
    movements = pd.DataFrame({
        "movement_id": [f"MVT-{i + 1:0{width}d}" for i in range(len(moves))],
        "date": day_dates.astype("datetime64[s]"),
        "sku": sku[item[moves["pair"].to_numpy()]],
        "warehouse": warehouses[wh[moves["pair"].to_numpy()]],
        "qty": moves["qty"].to_numpy(dtype=float),
        "type": moves["type"].to_numpy(dtype=object),
        "unit_cost_cents": np.rint(moves["cost"].to_numpy(dtype=float)).astype(np.int64),
        "ref": moves["ref"].to_numpy(dtype=object),
        "reason": moves["reason"].to_numpy(dtype=object),
    })

    cc = log.frame("counted")
    counts = pd.DataFrame({
        "count_id": [f"INV-{i + 1:06d}" for i in range(len(cc))],
        "date": days[cc["day"].to_numpy()].astype("datetime64[s]"),
        "sku": sku[item[cc["pair"].to_numpy()]],
        "warehouse": warehouses[wh[cc["pair"].to_numpy()]],
        "system_qty": cc["system"].to_numpy(dtype=float),
        "counted_qty": cc["counted"].to_numpy(dtype=float),
        "unit_cost_cents": np.rint(cc["cost"].to_numpy(dtype=float)).astype(np.int64),
    })
    order_lines = pd.DataFrame({
        "order_id": orders["order_id"].to_numpy(dtype=object),
        "line_no": orders["line_no"].to_numpy(dtype=np.int64),
        "date": orders["date"].to_numpy().astype("datetime64[s]"),
        "sku": sku[item[orders["pair"].to_numpy()]],
        "qty_ordered": ordered.astype(float),
        "qty_shipped": shipped.astype(float),
        "status": orders["status"].to_numpy(dtype=object),
    })
    final_cost = movements.groupby("sku")["unit_cost_cents"].last()
    items_out = pd.DataFrame({
        "sku": items["sku"], "description": items["description"], "category": items["category"],
        "unit_cost_cents": final_cost.reindex(items["sku"]).fillna(
            pd.Series(items["base_cost_cents"].to_numpy(), index=items["sku"])).to_numpy()
        .astype(np.int64),
        "warehouse": items["warehouse"],
    })
    for frame in (items_out, movements, counts, order_lines):
        for col in frame.columns:
            if frame[col].dtype == object:
                frame[col] = frame[col].astype("str")
    return Stock(items=items_out, movements=movements, cycle_counts=counts,
                 order_lines=order_lines)
