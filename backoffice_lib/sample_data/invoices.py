"""Suppliers and their invoices (purchase-to-pay).

Spending is organised in *families*: one expense account, the cost centres it is charged
to, a yearly spend and invoice count at scale 1, a VAT rate, whether purchase orders are
used, and whether it is billed monthly per cost centre (rent, energy...). Each invoice
carries its processing dates, always in the order
``invoice_date ≤ received_date ≤ approved_date ≤ paid_date``; dates after the end of the
window are unknown (empty): those invoices are still open. Amounts are integer cents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import names
from ._random import stream
from .company import COST_CENTRES, DEPARTMENTS
from .periods import DAY, Window

__all__ = ["FAMILIES", "Family", "Purchases", "SEASONALITY", "make_purchases"]

#: Monthly activity factor (January … December) of ordinary spending and sales.
SEASONALITY = np.array([0.95, 0.97, 1.05, 1.0, 1.0, 1.03, 0.92, 0.70, 1.05, 1.08, 1.07, 1.08])
#: Heating and lighting weigh more in winter.
ENERGY_SEASONALITY = np.array([1.4, 1.3, 1.15, 0.95, 0.8, 0.7, 0.65, 0.6, 0.75, 0.95, 1.25, 1.4])

EXCEPTION_LABELS = ("Écart de prix", "Écart de quantité", "Réception manquante", "Doublon suspecté")
NO_PO_EXCEPTION = "Commande absente"
DISPUTE_EXCEPTION = "Litige fournisseur"


@dataclass(frozen=True)
class Family:
    """One kind of spending (see module docstring); spend in EUR per year at scale 1."""

    account: str
    cost_centres: tuple[str, ...]
    spend: float
    invoices: int
    vendors: int
    vat: float = 0.20
    po: bool = True
    recurring: bool = False
    energy: bool = False


def _ccs(*prefixes: str) -> tuple[str, ...]:
    return tuple(c.code for c in COST_CENTRES if c.code.split("-")[0] in prefixes)


_BACK = tuple(c.code for c in COST_CENTRES if DEPARTMENTS[c.function].office == "back")

FAMILIES: tuple[Family, ...] = (
    Family("601100", _ccs("PRD"), 16_000_000, 1300, 12),
    Family("602200", _ccs("PRD", "LOG"), 1_200_000, 1500, 10),
    Family("602600", _ccs("LOG"), 900_000, 700, 5),
    Family("607000", _ccs("LOG"), 5_000_000, 700, 8),
    Family("606100", _ccs("SG", "PRD"), 2_200_000, 0, 2, po=False, recurring=True, energy=True),
    Family("606400", _BACK, 120_000, 450, 3),
    Family("611000", _ccs("PRD", "RD"), 1_800_000, 300, 8),
    Family("613200", _ccs("SG") + ("RD-TLS",), 1_600_000, 0, 4, po=False, recurring=True),
    Family("613500", ("DSI-LYO", "PRD-LYO"), 400_000, 0, 2, po=False, recurring=True),
    Family("615500", _ccs("PRD", "SG"), 700_000, 350, 6),
    Family("615600", ("DSI-LYO", "SUP-LYO"), 500_000, 100, 4),
    Family("616000", ("DG-LYO",) + _ccs("SG"), 450_000, 0, 1, vat=0.0, po=False, recurring=True),
    Family("618500", ("RH-LYO", "RH-LIL"), 150_000, 80, 4, po=False),
    Family("621100", _ccs("PRD", "LOG"), 2_400_000, 900, 4),
    Family("622600", ("JUR-LYO", "CPG-LYO", "FIN-LYO", "DG-LYO", "RH-LYO"), 800_000, 150, 8,
           po=False),
    Family("623100", ("MKT-LYO",), 900_000, 120, 5),
    Family("624200", _ccs("LOG"), 1_400_000, 1200, 5, po=False),
    Family("625100", _ccs("VEN") + ("MKT-LYO", "DG-LYO", "ACH-LYO"), 550_000, 900, 4, vat=0.10,
           po=False),
    Family("626000", ("DSI-LYO",) + _ccs("SG"), 250_000, 0, 2, po=False, recurring=True),
    Family("651100", ("DSI-LYO",), 600_000, 60, 5),
)


@dataclass(frozen=True)
class Purchases:
    """Suppliers, invoices and the expense lines of each invoice.

    ``vendors``: vendor_id, name, account (main expense account), terms_days.
    ``invoices``: invoice_id, vendor_id, invoice_date, received_date, approved_date,
    paid_date, due_date, amount_cents (HT), vat_cents, amount_ttc_cents, po_id,
    touchless, exception_code; sorted by invoice_id.
    ``lines``: invoice (row of ``invoices``), account, cost_center, amount_cents (HT);
    the lines of an invoice add up to its amount exactly.
    ``pending_lines``: lines of invoices dated in the window but received after it
    (not in ``invoices``; the ledger accrues them): invoice (a key shared by the lines of
    one invoice), vendor_id, invoice_date, account, cost_center, amount_cents.
    """

    vendors: pd.DataFrame
    invoices: pd.DataFrame
    lines: pd.DataFrame
    pending_lines: pd.DataFrame


def _make_vendors(rng: np.random.Generator, scale: int) -> pd.DataFrame:
    rows = []
    for fam_no, fam in enumerate(FAMILIES):
        count = fam.vendors * (1 if fam.recurring else scale)
        for _ in range(count):
            terms = int(rng.choice([30, 45, 60, 60, 45]))
            rows.append({"family": fam_no, "account": fam.account, "terms_days": terms,
                         "weight": float(rng.lognormal(0, 1.0)),
                         "touchless_rate": float(rng.uniform(0.3, 0.85))})
    vendors = pd.DataFrame(rows)
    vendors.loc[vendors.sample(n=2, random_state=rng.integers(2**31)).index, "terms_days"] = 90
    vendors["vendor_id"] = [f"F{10001 + i:05d}" for i in range(len(vendors))]
    vendors["name"] = names.company_names(rng, len(vendors))
    return vendors


def _invoice_dates(rng: np.random.Generator, window: Window, count: int,
                   season: np.ndarray) -> np.ndarray:
    """``count`` working-day dates of the window (plus 25 days before), seasonally weighted."""
    days = np.arange(window.start - 25 * DAY, window.end + DAY, dtype="datetime64[D]")
    days = days[np.is_busday(days)]
    month = days.astype("datetime64[M]").astype(int) % 12
    weight = season[month]
    return np.sort(rng.choice(days, size=count, p=weight / weight.sum()))


def make_purchases(window: Window, scale: int, seed: int) -> Purchases:
    """Suppliers and invoices received during the window (about 9,000 a year at scale 1)."""
    rng = stream(seed, "invoices")
    vendors = _make_vendors(rng, scale)
    headcount = {c.code: c.headcount for c in COST_CENTRES}
    inv_parts, line_parts = [], []
    for fam_no, fam in enumerate(FAMILIES):
        fam_vendors = np.flatnonzero(vendors["family"].to_numpy() == fam_no)
        ccs = np.array(fam.cost_centres, dtype=object)
        if fam.recurring:
            inv, lines = _recurring(rng, window, scale, fam, fam_vendors, ccs)
        else:
            cc_w = np.array([headcount[c] for c in ccs], dtype=float)
            vendor_w = vendors["weight"].to_numpy()[fam_vendors]
            inv, lines = _ordinary(rng, window, scale, fam, fam_vendors, vendor_w, ccs,
                                   cc_w / cc_w.sum())
        inv["family"] = fam_no
        lines["account"] = fam.account
        lines["invoice"] += sum(len(p) for p in inv_parts)
        inv_parts.append(inv)
        line_parts.append(lines)
    invoices = pd.concat(inv_parts, ignore_index=True)
    lines = pd.concat(line_parts, ignore_index=True)
    invoices = _process(rng, window, invoices, vendors)
    received = invoices["received_date"].to_numpy().astype("datetime64[D]")
    keep = (received >= window.start) & (received <= window.end)
    pending = invoices[(received > window.end)
                       & (invoices["invoice_date"].to_numpy() <= window.end)]
    pending_lines = lines[lines["invoice"].isin(pending.index)]
    pending_lines = pd.DataFrame({
        "invoice": pending_lines["invoice"].to_numpy(),
        "vendor_id": vendors["vendor_id"].to_numpy()[
            pending.loc[pending_lines["invoice"], "vendor"].to_numpy()],
        "invoice_date": pending.loc[pending_lines["invoice"], "invoice_date"].to_numpy()
        .astype("datetime64[s]"),
        "account": pending_lines["account"].to_numpy(),
        "cost_center": pending_lines["cost_center"].to_numpy(),
        "amount_cents": pending_lines["amount_cents"].to_numpy(),
    }).astype({"vendor_id": "str", "account": "str", "cost_center": "str"})
    return _finish(vendors, invoices[keep], lines, pending_lines)


def _ordinary(rng, window, scale, fam, fam_vendors, vendor_w, ccs, cc_p):
    count = rng.poisson(fam.invoices * scale * window.months / 12 * 1.07)
    dates = _invoice_dates(rng, window, count, SEASONALITY)
    vendor = fam_vendors[rng.choice(fam_vendors.size, size=count, p=vendor_w / vendor_w.sum())]
    mean = fam.spend / fam.invoices
    sigma = 0.9
    amount = rng.lognormal(np.log(mean) - sigma**2 / 2, sigma, count)
    credit_note = rng.random(count) < 0.012
    amount = np.where(credit_note, -amount * 0.2, amount)
    cents = np.rint(amount * 100).astype(np.int64)
    cents[cents == 0] = 1000
    n_lines = np.minimum(rng.choice([1, 1, 1, 1, 1, 1, 1, 2, 2, 3], size=count), ccs.size)
    inv = pd.DataFrame({"vendor": vendor, "invoice_date": dates, "amount_cents": cents,
                        "credit_note": credit_note})
    return inv, _split_lines(rng, cents, n_lines, ccs, cc_p)


def _recurring(rng, window, scale, fam, fam_vendors, ccs):
    """One invoice per month per (vendor, cost centre), at the start of the month."""
    pairs = [(v, c) for i, c in enumerate(ccs) for v in [fam_vendors[i % fam_vendors.size]]]
    base = fam.spend * scale / (len(pairs) * 12) * rng.uniform(0.6, 1.4, len(pairs))
    season = ENERGY_SEASONALITY if fam.energy else np.ones(12)
    months = window.month_starts
    month_no = months.astype("datetime64[M]").astype(int) % 12
    v = np.repeat([p[0] for p in pairs], months.size)
    c = np.repeat(np.array([p[1] for p in pairs], dtype=object), months.size)
    m = np.tile(np.arange(months.size), len(pairs))
    amount = np.repeat(base, months.size) * season[month_no[m]] * rng.uniform(0.97, 1.03, m.size)
    cents = np.rint(amount * 100).astype(np.int64)
    dates = np.busday_offset(months[m], rng.integers(0, 3, m.size), roll="forward")
    inv = pd.DataFrame({"vendor": v, "invoice_date": dates, "amount_cents": cents,
                        "credit_note": False})
    lines = pd.DataFrame({"invoice": np.arange(m.size), "cost_center": c, "amount_cents": cents})
    return inv, lines


def _split_lines(rng, cents, n_lines, ccs, cc_p) -> pd.DataFrame:
    """Split each invoice over ``n_lines`` cost centres; the last line takes the remainder."""
    inv = np.repeat(np.arange(cents.size), n_lines)
    first = np.r_[0, np.cumsum(n_lines)[:-1]]
    pos = np.arange(inv.size) - np.repeat(first, n_lines)
    share = rng.uniform(0.2, 1.0, inv.size)
    share /= np.bincount(inv, weights=share)[inv]
    amount = np.rint(cents[inv] * share).astype(np.int64)
    last = pos == n_lines[inv] - 1
    amount[last] += cents - np.bincount(inv, weights=amount, minlength=cents.size).astype(np.int64)
    cc = ccs[rng.choice(ccs.size, size=inv.size, p=cc_p)]
    return pd.DataFrame({"invoice": inv, "cost_center": cc, "amount_cents": amount})


def _process(rng, window: Window, inv: pd.DataFrame, vendors: pd.DataFrame) -> pd.DataFrame:
    """Receipt, approval, due and payment dates; PO, touchless flag and exception code."""
    n = len(inv)
    fam = np.array([FAMILIES[f] for f in inv["family"]], dtype=object)
    uses_po = np.array([f.po for f in fam])
    recurring = np.array([f.recurring for f in fam])
    vat = np.array([f.vat for f in fam])
    credit = inv["credit_note"].to_numpy()
    invoice_date = inv["invoice_date"].to_numpy().astype("datetime64[D]")

    has_po = uses_po & (rng.random(n) < 0.92) & ~credit
    exception = np.full(n, None, dtype=object)
    exc = has_po & (rng.random(n) < 0.18)
    exception[exc] = np.asarray(EXCEPTION_LABELS, dtype=object)[
        rng.choice(4, size=exc.sum(), p=[0.45, 0.30, 0.20, 0.05])]
    no_po = uses_po & ~has_po & ~credit
    exception[no_po] = NO_PO_EXCEPTION
    vendor_touchless = vendors["touchless_rate"].to_numpy()[inv["vendor"].to_numpy()]
    touchless = (((has_po & ~exc) | recurring) & (rng.random(n) < vendor_touchless)) & ~credit

    receive_lag = np.minimum(rng.geometric(0.2, n) - 1, 24)
    receive_lag = np.where(touchless, np.minimum(receive_lag, 2), receive_lag)
    received = invoice_date + receive_lag * DAY
    approve_lag = np.where(touchless, rng.integers(0, 2, n),
                           np.rint(rng.lognormal(np.log(4), 0.7, n)).astype(np.int64))
    approve_lag += np.where(exception != None, rng.integers(5, 30, n), 0)  # noqa: E711
    approved = received + approve_lag * DAY
    terms = vendors["terms_days"].to_numpy()[inv["vendor"].to_numpy()]
    due = invoice_date + terms * DAY
    late = rng.random(n) < np.where(exception != None, 0.35, 0.10)  # noqa: E711
    delay = np.where(late, rng.integers(1, 45, n), -rng.integers(0, 6, n))
    paid = np.maximum(due + delay * DAY, approved + DAY)
    paid = np.busday_offset(paid, 0, roll="forward")
    # a few invoices stuck in a dispute: never approved
    dispute = (~credit & ~touchless & (rng.random(n) < 0.006))
    exception[dispute] = DISPUTE_EXCEPTION
    approved = np.where(dispute, np.datetime64("NaT"), approved)

    vat_cents = np.rint(inv["amount_cents"].to_numpy() * vat).astype(np.int64)
    inv = inv.assign(received_date=received, approved_date=approved, due_date=due,
                     paid_date=paid, has_po=has_po, touchless=touchless,
                     exception_code=exception, vat_cents=vat_cents)
    open_approval = (approved > window.end) | np.isnat(approved)
    inv.loc[open_approval, "approved_date"] = np.datetime64("NaT")
    inv.loc[open_approval | (paid > window.end), "paid_date"] = np.datetime64("NaT")
    return inv


def _finish(vendors: pd.DataFrame, inv: pd.DataFrame, lines: pd.DataFrame,
            pending_lines: pd.DataFrame) -> Purchases:
    """Number invoices and POs, keep the lines of kept invoices, final columns and types."""
    inv = inv.sort_values(["invoice_date", "received_date", "vendor"], kind="stable")
    year = inv["invoice_date"].dt.year.to_numpy()
    seq = inv.groupby(year).cumcount().to_numpy() + 1
    width = max(5, len(str(seq.max() if seq.size else 1)))
    inv_ids = [f"FAC-{y}-{s:0{width}d}" for y, s in zip(year, seq, strict=True)]
    po_seq = inv["has_po"].to_numpy().cumsum()
    po_ids = [f"BC-{y}-{s:06d}" if has else None
              for y, s, has in zip(year, po_seq, inv["has_po"].to_numpy(), strict=True)]
    old_rows = inv.index.to_numpy()
    new_row = pd.Series(np.arange(len(inv)), index=old_rows)
    lines = lines[lines["invoice"].isin(old_rows)].copy()
    lines["invoice"] = new_row.loc[lines["invoice"].to_numpy()].to_numpy()
    lines = lines.sort_values(["invoice"], kind="stable").reset_index(drop=True)
    vendor_ids = vendors["vendor_id"].to_numpy(dtype=object)
    amount = inv["amount_cents"].to_numpy()
    out = pd.DataFrame({
        "invoice_id": inv_ids,
        "vendor_id": vendor_ids[inv["vendor"].to_numpy()],
        "invoice_date": inv["invoice_date"].to_numpy().astype("datetime64[s]"),
        "received_date": inv["received_date"].to_numpy().astype("datetime64[s]"),
        "approved_date": inv["approved_date"].to_numpy().astype("datetime64[s]"),
        "paid_date": inv["paid_date"].to_numpy().astype("datetime64[s]"),
        "due_date": inv["due_date"].to_numpy().astype("datetime64[s]"),
        "amount_cents": amount,
        "vat_cents": inv["vat_cents"].to_numpy(),
        "amount_ttc_cents": amount + inv["vat_cents"].to_numpy(),
        "po_id": po_ids,
        "touchless": inv["touchless"].to_numpy(dtype=bool),
        "exception_code": inv["exception_code"].to_numpy(dtype=object),
    })
    for col in ("invoice_id", "vendor_id", "po_id", "exception_code"):
        out[col] = out[col].astype("str")
    lines["cost_center"] = lines["cost_center"].astype("str")
    lines["account"] = lines["account"].astype("str")
    vend = vendors[["vendor_id", "name", "account", "terms_days"]].copy()
    for col in ("vendor_id", "name", "account"):
        vend[col] = vend[col].astype("str")
    return Purchases(vendors=vend, invoices=out, lines=lines, pending_lines=pending_lines)
