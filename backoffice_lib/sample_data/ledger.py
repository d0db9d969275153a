"""The general ledger: every journal entry of the window, balanced to the cent.

Sources, by journal:

- ``AN`` opening balances on the first day (fixed assets, stocks, bank, equity, loan);
- ``PA`` payroll at each month end: 641100/641400 and 645100/645300 per cost centre,
  equal to the payroll table; net pay (421) paid the same day, charges (431/437) on the
  15th of the next month (``BQ``);
- ``HA`` supplier invoices on their receipt date: 6xx per cost centre, 445660, 401
  (with vendor_id); payments in ``BQ`` on the payment date;
- ``OD`` month-end accruals (408100) of invoices dated in a month and received the next,
  reversed on the first day of the next month; depreciation, training levy, taxes;
- ``VT`` sales (411/70x/445710) and customer receipts in ``BQ``.

Three close findings are planted on purpose (business facts, not data errors):
an accrual of the month before ``end_period`` left without reversal, a supplier invoice
of that month keyed on the 20th of ``end_period`` (entry_date after the close), and a
penalty (671200, exceptional, never budgeted) in ``end_period``. :class:`Ledger`
lists them in ``findings``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._random import stream
from .invoices import Purchases
from .journal import JournalBuilder, letter_codes, stack
from .periods import DAY, Window
from .sales import Sales

__all__ = ["MONTHS_FR", "Ledger", "make_ledger"]

MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre")
_EMPLOYEE_CONTRIBUTION_RATE = 0.22
_URSSAF_SHARE = 0.72
#: Monthly depreciation at scale 1 (EUR) and its accumulated-depreciation account.
_DEPRECIATION = {
    "PRD-LYO": (42000, "281540"), "PRD-LIL": (30000, "281540"), "PRD-NAN": (24000, "281540"),
    "LOG-LYO": (9000, "281540"), "LOG-LIL": (6000, "281540"), "LOG-NAN": (5000, "281540"),
    "RD-TLS": (12000, "281540"), "DSI-LYO": (15000, "281830"), "SUP-LYO": (3000, "281830"),
    "SG-LYO": (14000, "281310"), "SG-LIL": (8000, "281310"), "SG-NAN": (6000, "281310"),
}


@dataclass(frozen=True)
class Ledger:
    """GL lines (see :class:`~.journal.JournalBuilder`) and the planted close findings."""

    lines: pd.DataFrame
    findings: list[dict] = field(default_factory=list)


def _month_label(dates: np.ndarray) -> np.ndarray:
    months = np.asarray(dates).astype("datetime64[M]").astype(int)
    return np.array([f"{MONTHS_FR[m % 12]} {1970 + m // 12}" for m in months], dtype=object)


def make_ledger(window: Window, scale: int, seed: int, payroll: pd.DataFrame,
                purchases: Purchases, sales: Sales) -> Ledger:
    """Every entry of the window (about 100,000 lines a year at scale 1)."""
    rng = stream(seed, "ledger")
    book = JournalBuilder()
    findings: list[dict] = []
    _opening(book, window, scale)
    _payroll(book, window, payroll)
    _purchases(book, window, purchases, rng, findings)
    _sales(book, sales)
    _month_end(book, window, scale, payroll, rng, findings)
    return Ledger(lines=book.frame(), findings=findings)


def _opening(book: JournalBuilder, window: Window, scale: int) -> None:
    balances = {"213100": 6_000_000, "215400": 9_000_000, "218300": 1_200_000,
                "281310": -2_400_000, "281540": -5_100_000, "281830": -700_000,
                "310000": 2_500_000, "355000": 1_800_000, "512000": 4_000_000,
                "101000": -5_000_000, "164000": -6_000_000}
    accounts = list(balances) + ["106800"]
    amounts = np.array([v * 100 * scale for v in balances.values()], dtype=np.int64)
    amounts = np.append(amounts, -amounts.sum())
    book.add("AN", np.zeros(len(accounts)), window.start, np.array(accounts, dtype=object),
             amounts, description="Reprise des soldes d'ouverture",
             document_ref=f"AN-{window.start_period}")


def _month_ends(periods: np.ndarray) -> np.ndarray:
    return (np.asarray(periods, dtype="datetime64[M]") + 1).astype("datetime64[D]") - DAY


def _payroll(book: JournalBuilder, window: Window, payroll: pd.DataFrame) -> None:
    """PA entry per month (lines per cost centre); net pay and social charges paid in BQ."""
    by_cc = payroll.groupby(["period", "cost_center"], sort=True).agg(
        pay=("base_pay_cents", "sum"), variable=("variable_pay_cents", "sum"),
        severance=("severance_cents", "sum"), charges=("employer_charges_cents", "sum"),
    ).reset_index()
    by_cc["salaries"] = by_cc["pay"] + by_cc["variable"]
    by_cc["urssaf"] = np.rint(by_cc["charges"] * _URSSAF_SHARE).astype(np.int64)
    by_cc["pension"] = by_cc["charges"] - by_cc["urssaf"]
    month = by_cc["period"].to_numpy(dtype=object)
    entry = pd.factorize(month)[0]
    month_end = _month_ends(month)
    common = {"description": "Paie " + _month_label(month_end),
              "document_ref": "PAIE-" + month, "entry_date": month_end - 2 * DAY}
    groups = []
    for order, (account, col) in enumerate((("641100", "salaries"), ("641400", "severance"),
                                            ("645100", "urssaf"), ("645300", "pension"))):
        values = by_cc[col].to_numpy()
        keep = values != 0
        groups.append({"entry": entry[keep], "posting_date": month_end[keep], "account": account,
                       "amount_cents": values[keep], "order": order,
                       "cost_center": by_cc["cost_center"].to_numpy(dtype=object)[keep],
                       **{k: v[keep] for k, v in common.items()}})
    parts = ["salaries", "severance", "urssaf", "pension"]
    totals = by_cc.groupby("period", sort=True)[parts].sum()
    t_month = totals.index.to_numpy(dtype=object)
    t_entry, t_end = np.arange(len(totals)), _month_ends(t_month)
    t_common = {"description": "Paie " + _month_label(t_end), "document_ref": "PAIE-" + t_month,
                "entry_date": t_end - 2 * DAY, "cost_center": None}
    gross = (totals["salaries"] + totals["severance"]).to_numpy()
    employee = np.rint(gross * _EMPLOYEE_CONTRIBUTION_RATE).astype(np.int64)
    social = employee + totals["urssaf"].to_numpy()
    pension = totals["pension"].to_numpy()
    for order, (account, values) in enumerate(
            (("421000", gross - employee), ("431000", social), ("437000", pension)), start=10):
        groups.append({"entry": t_entry, "posting_date": t_end, "account": account,
                       "amount_cents": -values, "order": order, **t_common})
    book.add("PA", **stack(groups))

    # net pay transferred on the last day of the month
    net = gross - employee
    pay_common = {"description": "Virement des salaires " + _month_label(t_end),
                  "document_ref": "PAIE-" + t_month}
    book.add("BQ", **stack([
        {"entry": t_entry, "posting_date": t_end, "account": "421000", "amount_cents": net,
         **pay_common},
        {"entry": t_entry, "posting_date": t_end, "account": "512000", "amount_cents": -net,
         **pay_common}]))
    # social charges paid on the 15th of the next month
    due = t_end + 15 * DAY
    ok = due <= window.end
    if ok.any():
        charge_common = {"description": "Règlement des charges sociales " + _month_label(t_end[ok]),
                         "document_ref": "PAIE-" + t_month[ok]}
        book.add("BQ", **stack([
            {"entry": t_entry[ok], "posting_date": due[ok], "account": "431000",
             "amount_cents": social[ok], **charge_common},
            {"entry": t_entry[ok], "posting_date": due[ok], "account": "437000",
             "amount_cents": pension[ok], **charge_common},
            {"entry": t_entry[ok], "posting_date": due[ok], "account": "512000",
             "amount_cents": -(social + pension)[ok], **charge_common}]))


def _letters(aux: np.ndarray, settled: np.ndarray, when: np.ndarray) -> np.ndarray:
    """Matching codes (per auxiliary account, in settlement order) of settled items."""
    codes = np.full(aux.size, None, dtype=object)
    idx = np.flatnonzero(settled)
    if idx.size:
        order = idx[np.lexsort((idx, when[idx], aux[idx].astype(str)))]
        rank = pd.Series(aux[order]).groupby(aux[order]).cumcount().to_numpy()
        codes[order] = letter_codes(rank)
    return codes


def _purchases(book: JournalBuilder, window: Window, purchases: Purchases,
               rng: np.random.Generator, findings: list[dict]) -> None:
    """HA entry per invoice, BQ entry per payment, OD accruals and their reversals."""
    inv, lines = purchases.invoices, purchases.lines
    names = dict(zip(purchases.vendors["vendor_id"], purchases.vendors["name"], strict=True))
    n = len(inv)
    vendor = inv["vendor_id"].to_numpy(dtype=object)
    vendor_name = np.array([names[v] for v in vendor], dtype=object)
    inv_id = inv["invoice_id"].to_numpy(dtype=object)
    inv_date = inv["invoice_date"].to_numpy().astype("datetime64[D]")
    received = inv["received_date"].to_numpy().astype("datetime64[D]")
    paid = inv["paid_date"].to_numpy().astype("datetime64[D]")
    amount = inv["amount_cents"].to_numpy()
    vat = inv["vat_cents"].to_numpy()
    posting = received.copy()
    keyed = received + rng.integers(0, 3, n) * DAY
    late = _late_keyed_invoice(window, inv, lines)
    if late is not None:
        posting[late] = (window.end_month.astype("datetime64[D]")) - DAY
        keyed[late] = window.end_month.astype("datetime64[D]") + 19 * DAY
        findings.append({"kind": "keyed_after_close", "journal": "HA",
                         "document_ref": inv_id[late], "posting_date": str(posting[late]),
                         "entry_date": str(keyed[late]), "amount_cents": int(amount[late])})
    kind = np.where(amount < 0, "Avoir ", "Facture ")
    label = kind + inv_id + " " + vendor_name
    is_paid = ~np.isnat(paid)
    letter = _letters(vendor, is_paid, paid)
    li = lines["invoice"].to_numpy()
    common = lambda rows: {"posting_date": posting[rows], "entry_date": keyed[rows],  # noqa: E731
                           "document_ref": inv_id[rows], "document_date": inv_date[rows],
                           "description": label[rows], "vendor_id": vendor[rows]}
    has_vat = np.flatnonzero(vat != 0)
    book.add("HA", **stack([
        {"entry": li, "account": lines["account"].to_numpy(dtype=object),
         "amount_cents": lines["amount_cents"].to_numpy(), "order": 0,
         "cost_center": lines["cost_center"].to_numpy(dtype=object), "aux_id": None,
         "aux_name": None, "letter": None, "letter_date": np.datetime64("NaT"), **common(li)},
        {"entry": has_vat, "account": "445660", "amount_cents": vat[has_vat], "order": 1,
         "cost_center": None, "aux_id": None, "aux_name": None, "letter": None,
         "letter_date": np.datetime64("NaT"), **common(has_vat) | {"vendor_id": None}},
        {"entry": np.arange(n), "account": "401000", "amount_cents": -(amount + vat), "order": 2,
         "cost_center": None, "aux_id": vendor, "aux_name": vendor_name, "letter": letter,
         "letter_date": np.where(is_paid, paid, np.datetime64("NaT")), **common(np.arange(n))},
    ]))
    p = np.flatnonzero(is_paid)
    pay = {"entry": p, "posting_date": paid[p], "document_ref": inv_id[p],
           "description": "Règlement " + inv_id[p] + " " + vendor_name[p]}
    book.add("BQ", **stack([
        {**pay, "account": "401000", "amount_cents": (amount + vat)[p], "vendor_id": vendor[p],
         "aux_id": vendor[p], "aux_name": vendor_name[p], "letter": letter[p],
         "letter_date": paid[p]},
        {**pay, "account": "512000", "amount_cents": -(amount + vat)[p], "vendor_id": None,
         "aux_id": None, "aux_name": None, "letter": None, "letter_date": np.datetime64("NaT")},
    ]))
    _accruals(book, window, purchases, names, rng, findings, inv_date, received)


def _late_keyed_invoice(window: Window, inv: pd.DataFrame, lines: pd.DataFrame) -> int | None:
    """Row of the invoice keyed after the close: the largest fee invoice (622600) received
    in the month before ``end_period`` (else the largest invoice of that month)."""
    if window.months < 2:
        return None
    month = inv["received_date"].to_numpy().astype("datetime64[M]")
    candidates = np.flatnonzero((month == window.end_month - 1)
                                & (inv["amount_cents"].to_numpy() > 0))
    if candidates.size == 0:
        return None
    fees = np.intersect1d(candidates, lines.loc[lines["account"] == "622600", "invoice"])
    pool = fees if fees.size else candidates
    return int(pool[np.argmax(inv["amount_cents"].to_numpy()[pool])])


def _accruals(book: JournalBuilder, window: Window, purchases: Purchases, names: dict,
              rng: np.random.Generator, findings: list[dict], inv_date: np.ndarray,
              received: np.ndarray) -> None:
    """Accrue (408100) at month end the invoices dated that month and received later;
    reverse on the first day of the next month. About 1 % are forgotten (a close finding
    for the missing-invoice check)."""
    lines = purchases.lines
    crossing = ((inv_date.astype("datetime64[M]") < received.astype("datetime64[M]"))
                & (inv_date >= window.start))
    forgotten = rng.random(crossing.size) < 0.01
    accrue = crossing & ~forgotten
    rows = lines[accrue[lines["invoice"].to_numpy()]]
    inv = purchases.invoices
    received_part = pd.DataFrame({
        "key": rows["invoice"].to_numpy(),
        "ref": "FNP-" + inv["invoice_id"].to_numpy(dtype=object)[rows["invoice"].to_numpy()],
        "vendor_id": inv["vendor_id"].to_numpy(dtype=object)[rows["invoice"].to_numpy()],
        "invoice_date": inv_date[rows["invoice"].to_numpy()],
        "account": rows["account"].to_numpy(dtype=object),
        "cost_center": rows["cost_center"].to_numpy(dtype=object),
        "amount_cents": rows["amount_cents"].to_numpy(),
    })
    pending = purchases.pending_lines
    pending_part = pd.DataFrame({
        "key": pending["invoice"].to_numpy() + len(inv) + 1,
        "ref": ("FNP-" + pending["vendor_id"].to_numpy(dtype=object) + "-"
                + pending["invoice"].astype(str).to_numpy(dtype=object)),
        "vendor_id": pending["vendor_id"].to_numpy(dtype=object),
        "invoice_date": pending["invoice_date"].to_numpy().astype("datetime64[D]"),
        "account": pending["account"].to_numpy(dtype=object),
        "cost_center": pending["cost_center"].to_numpy(dtype=object),
        "amount_cents": pending["amount_cents"].to_numpy(),
    })
    acc = pd.concat([received_part, pending_part], ignore_index=True)
    if acc.empty:
        return
    entry = pd.factorize(acc["key"])[0]
    n_entries = entry.max() + 1
    month_end = _month_ends(acc["invoice_date"].to_numpy().astype("datetime64[M]"))
    vendor = acc["vendor_id"].to_numpy(dtype=object)
    name = np.array([names[v] for v in vendor], dtype=object)
    ref = acc["ref"].to_numpy(dtype=object)
    e_first = np.unique(entry, return_index=True)[1]
    total = np.bincount(entry, weights=acc["amount_cents"].to_numpy(), minlength=n_entries)
    total = np.rint(total).astype(np.int64)
    e_end, e_vendor, e_ref = month_end[e_first], vendor[e_first], ref[e_first]
    e_label = "FNP " + name[e_first] + " " + _month_label(e_end)
    keyed_line = month_end + 3 * DAY
    keyed_entry = e_end + 3 * DAY
    label = "FNP " + name + " " + _month_label(month_end)
    accrual = [
        {"entry": entry, "posting_date": month_end, "entry_date": keyed_line,
         "account": acc["account"].to_numpy(dtype=object), "amount_cents": acc["amount_cents"],
         "cost_center": acc["cost_center"].to_numpy(dtype=object), "vendor_id": vendor,
         "document_ref": ref, "description": label, "order": 0},
        {"entry": np.arange(n_entries), "posting_date": e_end, "entry_date": keyed_entry,
         "account": "408100", "amount_cents": -total, "cost_center": None,
         "vendor_id": e_vendor, "document_ref": e_ref, "description": e_label, "order": 1},
    ]
    for g in accrual:
        g["amount_cents"] = np.asarray(g["amount_cents"], dtype=np.int64)
    book.add("OD", **stack(accrual))

    # reversals on the first day of the next month, except the one planted finding
    reverse_on = e_end + DAY
    keep_entry = reverse_on <= window.end
    forgotten_entry = _unreversed(window, e_end, total)
    if forgotten_entry is not None:
        keep_entry[forgotten_entry] = False
        findings.append({"kind": "accrual_not_reversed", "journal": "OD",
                         "document_ref": e_ref[forgotten_entry],
                         "posting_date": str(e_end[forgotten_entry]),
                         "amount_cents": int(total[forgotten_entry])})
    reversal = []
    for g in accrual:
        keep = keep_entry[g["entry"]]
        r = {k: (v[keep] if isinstance(v, np.ndarray) else v) for k, v in g.items()}
        r["posting_date"] = r["posting_date"] + DAY
        r["amount_cents"] = -r["amount_cents"]
        r["description"] = "Extourne " + r["description"]
        reversal.append(r)
    book.add("OD", **stack(reversal))


def _unreversed(window: Window, e_end: np.ndarray, total: np.ndarray) -> int | None:
    """The accrual left unreversed: the largest one booked at the end of the month before
    ``end_period`` (its reversal was due on the first day of ``end_period``)."""
    if window.months < 2:
        return None
    pool = np.flatnonzero(e_end.astype("datetime64[M]") == window.end_month - 1)
    return int(pool[np.argmax(total[pool])]) if pool.size else None


def _sales(book: JournalBuilder, sales: Sales) -> None:
    """VT entry per sales invoice (411 / 70x / 445710) and BQ entry per receipt."""
    inv = sales.invoices
    names = dict(zip(sales.customers["customer_id"], sales.customers["name"], strict=True))
    n = len(inv)
    cust = inv["customer_id"].to_numpy(dtype=object)
    cust_name = np.array([names[c] for c in cust], dtype=object)
    ids = inv["invoice_id"].to_numpy(dtype=object)
    date = inv["invoice_date"].to_numpy().astype("datetime64[D]")
    paid = inv["paid_date"].to_numpy().astype("datetime64[D]")
    ht, vat = inv["amount_cents"].to_numpy(), inv["vat_cents"].to_numpy()
    is_paid = ~np.isnat(paid)
    letter = _letters(cust, is_paid, paid)
    e = np.arange(n)
    common = {"entry": e, "posting_date": date, "document_ref": ids,
              "description": "Facture " + ids + " " + cust_name}
    none = {"aux_id": None, "aux_name": None, "letter": None, "letter_date": np.datetime64("NaT")}
    book.add("VT", **stack([
        {**common, "account": "411000", "amount_cents": ht + vat, "cost_center": None,
         "aux_id": cust, "aux_name": cust_name, "letter": letter,
         "letter_date": np.where(is_paid, paid, np.datetime64("NaT"))},
        {**common, "account": inv["account"].to_numpy(dtype=object), "amount_cents": -ht,
         "cost_center": inv["cost_center"].to_numpy(dtype=object), **none},
        {**common, "account": "445710", "amount_cents": -vat, "cost_center": None, **none},
    ]))
    p = np.flatnonzero(is_paid)
    rec = {"entry": p, "posting_date": paid[p], "document_ref": ids[p],
           "description": "Encaissement " + ids[p] + " " + cust_name[p]}
    book.add("BQ", **stack([
        {**rec, "account": "512000", "amount_cents": (ht + vat)[p], **none},
        {**rec, "account": "411000", "amount_cents": -(ht + vat)[p], "aux_id": cust[p],
         "aux_name": cust_name[p], "letter": letter[p], "letter_date": paid[p]},
    ]))


def _month_end(book: JournalBuilder, window: Window, scale: int, payroll: pd.DataFrame,
               rng: np.random.Generator, findings: list[dict]) -> None:
    """Depreciation, training levy, bank fees, loan, local taxes and the planted penalty."""
    ends = window.month_ends
    m = ends.size
    months = np.arange(m)
    label = _month_label(ends)
    period = np.array(window.periods, dtype=object)
    # depreciation: one OD entry per month, 681120 per cost centre
    ccs = np.array(list(_DEPRECIATION), dtype=object)
    base = np.array([v[0] for v in _DEPRECIATION.values()]) * 100 * scale
    contra = np.array([v[1] for v in _DEPRECIATION.values()], dtype=object)
    e = np.repeat(months, ccs.size)
    amount = np.rint(np.tile(base, m) * (1 + 0.002 * e)).astype(np.int64)
    contra_acc = np.tile(contra, m)
    groups = [{"entry": e, "account": "681120", "amount_cents": amount,
               "cost_center": np.tile(ccs, m), "order": 0}]
    for k, acc in enumerate(sorted(set(contra))):
        per_month = np.bincount(e[contra_acc == acc], weights=amount[contra_acc == acc],
                                minlength=m)
        groups.append({"entry": months, "account": acc, "order": 1 + k, "cost_center": None,
                       "amount_cents": -np.rint(per_month).astype(np.int64)})
    for g in groups:
        g.update(posting_date=ends[g["entry"]], description="Dotation aux amortissements "
                 + label[g["entry"]], document_ref="AMORT-" + period[g["entry"]],
                 entry_date=ends[g["entry"]] + 2 * DAY)
    book.add("OD", **stack(groups))

    # training levy: 1 % of the month's gross pay
    gross = payroll.groupby("period")["gross_salary_cents"].sum()
    gross = gross.reindex(window.periods, fill_value=0)
    levy = np.rint(gross.to_numpy() * 0.01).astype(np.int64)
    lv = {"posting_date": ends, "description": "Formation professionnelle continue " + label,
          "document_ref": "FPC-" + period, "entry_date": ends + 2 * DAY}
    book.add("OD", **stack([
        {"entry": months, "account": "633300", "amount_cents": levy, "cost_center": "PAI-LYO",
         **lv},
        {"entry": months, "account": "447000", "amount_cents": -levy, "cost_center": None, **lv},
    ]))

    # bank: fees, loan interest and principal, local taxes, dues, the penalty
    fees = np.rint(1500 * 100 * scale * rng.uniform(0.8, 1.2, m)).astype(np.int64)
    outstanding = 6_000_000 * 100 * scale - 50_000 * 100 * scale * months
    interest = np.rint(outstanding * 0.032 / 12).astype(np.int64)
    principal = np.full(m, 50_000 * 100 * scale, dtype=np.int64)
    payments = [  # (day, account, cost_center, amount, label, ref)
        (ends, "627000", "TRE-LYO", fees, "Frais bancaires " + label, "BQ-FRAIS-" + period),
        (ends - 4 * DAY, "661100", "TRE-LYO", interest, "Échéance d'emprunt " + label,
         "EMPRUNT-" + period),
    ]
    month_no = ends.astype("datetime64[M]").astype(int) % 12 + 1
    for cc, value in (("SG-LYO", 60_000), ("SG-LIL", 35_000), ("SG-NAN", 25_000)):
        october = month_no == 10
        payments.append((ends[october] - 15 * DAY, "635120", cc,
                         np.full(october.sum(), value * 100 * scale, dtype=np.int64),
                         "Taxe foncière " + label[october], "TF-" + period[october]))
    december = month_no == 12
    payments.append((ends[december] - 15 * DAY, "635110", "DG-LYO",
                     np.full(december.sum(), 90_000 * 100 * scale, dtype=np.int64),
                     "Cotisation foncière des entreprises " + label[december],
                     "CFE-" + period[december]))
    quarter = month_no % 3 == 0
    payments.append((ends[quarter] - 10 * DAY, "658000", "DG-LYO",
                     np.full(quarter.sum(), 4_000 * 100 * scale, dtype=np.int64),
                     "Cotisations professionnelles " + label[quarter], "COT-" + period[quarter]))
    penalty_day = np.busday_offset(window.end_month.astype("datetime64[D]") + 14 * DAY, 0,
                                   roll="forward")
    penalty = np.array([12_500 * 100 * scale], dtype=np.int64)
    payments.append((np.array([penalty_day]), "671200", "PRD-LIL", penalty,
                     np.array(["Pénalité de retard - mise en demeure DREAL"], dtype=object),
                     np.array([f"PEN-{window.end_period}"], dtype=object)))
    findings.append({"kind": "unbudgeted_cost", "journal": "BQ",
                     "document_ref": f"PEN-{window.end_period}", "posting_date": str(penalty_day),
                     "account": "671200", "cost_center": "PRD-LIL",
                     "amount_cents": int(penalty[0])})
    groups = []
    offset = 0
    for day, account, cc, value, text, ref in payments:
        k = np.arange(value.size) + offset
        offset += value.size
        common = {"entry": k, "posting_date": day, "description": text, "document_ref": ref}
        groups.append({**common, "account": account, "cost_center": cc, "amount_cents": value,
                       "order": 0})
        if account == "661100":
            groups.append({**common, "account": "164000", "cost_center": None,
                           "amount_cents": principal, "order": 1})
            value = value + principal
        groups.append({**common, "account": "512000", "cost_center": None,
                       "amount_cents": -value, "order": 2})
    book.add("BQ", **stack(groups))
