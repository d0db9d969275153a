"""Customers and sales invoices: the revenue side of the ledger (journal VT, receipts in BQ).

Sales are not one of the input tables; they exist so that the ledger has class-7 revenue,
customer accounts (411) and cash receipts, as a real company's would.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._random import stream
from .invoices import SEASONALITY
from .names import company_names
from .periods import DAY, Window

__all__ = ["Sales", "make_sales"]

_SALES_CC = ("VEN-LYO", "VEN-LIL", "VEN-NAN", "VEN-TLS")
_REVENUE_ACCOUNTS = ("701000", "707000", "706000")
_INVOICES_PER_YEAR = 8000
_MEAN_INVOICE_EUR = 10_000
_VAT = 0.20


@dataclass(frozen=True)
class Sales:
    """``customers``: customer_id, name. ``invoices``: invoice_id, customer_id, cost_center,
    account, invoice_date, paid_date (NaT while unpaid), amount_cents (HT), vat_cents."""

    customers: pd.DataFrame
    invoices: pd.DataFrame


def make_sales(window: Window, scale: int, seed: int) -> Sales:
    """About 8,000 sales invoices a year at scale 1, paid 30 to 60 days later (some late)."""
    rng = stream(seed, "sales")
    n_cust = 250 * scale
    customers = pd.DataFrame({
        "customer_id": [f"C{20001 + i:05d}" for i in range(n_cust)],
        "name": company_names(rng, n_cust),
    })
    cust_cc = rng.choice(len(_SALES_CC), size=n_cust, p=[0.36, 0.26, 0.22, 0.16])
    cust_account = rng.choice(len(_REVENUE_ACCOUNTS), size=n_cust, p=[0.65, 0.25, 0.10])
    cust_weight = rng.lognormal(0, 1.2, n_cust)
    cust_terms = rng.choice([30, 45, 60], size=n_cust)

    days = window.working_days
    month = days.astype("datetime64[M]").astype(int) % 12
    weight = SEASONALITY[month]
    count = rng.poisson(_INVOICES_PER_YEAR * scale * window.months / 12)
    dates = np.sort(rng.choice(days, size=count, p=weight / weight.sum()))
    cust = rng.choice(n_cust, size=count, p=cust_weight / cust_weight.sum())
    sigma = 1.0
    amount = rng.lognormal(np.log(_MEAN_INVOICE_EUR) - sigma**2 / 2, sigma, count)
    cents = np.maximum(np.rint(amount * 100).astype(np.int64), 5000)
    delay = np.rint(rng.normal(6, 12, count)).astype(np.int64)
    paid = np.busday_offset(dates + (cust_terms[cust] + delay) * DAY, 0, roll="forward")
    paid = np.where((paid <= window.end) & (rng.random(count) > 0.01), paid, np.datetime64("NaT"))

    year = dates.astype("datetime64[Y]").astype(int) + 1970
    seq = pd.Series(year).groupby(year).cumcount().to_numpy() + 1
    invoices = pd.DataFrame({
        "invoice_id": [f"FV-{y}-{s:06d}" for y, s in zip(year, seq, strict=True)],
        "customer_id": customers["customer_id"].to_numpy()[cust],
        "cost_center": np.asarray(_SALES_CC, dtype=object)[cust_cc[cust]],
        "account": np.asarray(_REVENUE_ACCOUNTS, dtype=object)[cust_account[cust]],
        "invoice_date": dates.astype("datetime64[s]"),
        "paid_date": paid.astype("datetime64[s]"),
        "amount_cents": cents,
        "vat_cents": np.rint(cents * _VAT).astype(np.int64),
    })
    for col in ("invoice_id", "customer_id", "cost_center", "account"):
        invoices[col] = invoices[col].astype("str")
    customers = customers.astype("str")
    return Sales(customers=customers, invoices=invoices)
