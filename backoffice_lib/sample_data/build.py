"""Assemble the whole fictional company: every table, ready to be written.

:func:`build_company` draws each part from its own random stream (people, payroll,
invoices, sales, ledger, budget, stock, help desks), so the same arguments always give
the same company. :attr:`Company.tables` holds one frame per canonical table, with the
source columns that :mod:`~.layouts` writes (money in integer cents).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .accounts import CATEGORY_LABELS
from .budget import make_budget
from .company import cost_centres_frame
from .fec import fec_lines
from .helpdesk import make_service_requests
from .hr import make_absences, make_payroll
from .invoices import make_purchases
from .ledger import make_ledger
from .people import make_staff
from .periods import Window
from .sales import make_sales
from .stock import make_stock

__all__ = ["Company", "build_company"]


@dataclass
class Company:
    """The generated company.

    ``tables``: canonical table name → frame to write (see :mod:`~.layouts`).
    ``fec_year``: the last complete fiscal year in the window (None when there is none),
    and ``fec``: its FEC lines. ``findings``: the close findings planted in the ledger.
    """

    window: Window
    tables: dict[str, pd.DataFrame]
    fec_year: int | None
    fec: pd.DataFrame | None
    findings: list[dict]


def build_company(window: Window, scale: int, seed: int) -> Company:
    """Draw every table of the company for ``window`` at ``scale``."""
    staff = make_staff(window, scale, seed)
    payroll = make_payroll(staff, window, seed)
    purchases = make_purchases(window, scale, seed)
    sales = make_sales(window, scale, seed)
    ledger = make_ledger(window, scale, seed, payroll, purchases, sales)
    gl = ledger.lines
    gl["currency"] = pd.Series("EUR", index=gl.index, dtype="str")
    budget = make_budget(window, gl, seed)
    budget["category_label"] = budget["category"].map(CATEGORY_LABELS).astype("str")
    names = dict(zip(purchases.vendors["vendor_id"], purchases.vendors["name"], strict=True))
    invoices = purchases.invoices.copy()
    invoices["vendor_name"] = invoices["vendor_id"].map(names).astype("str")
    stock = make_stock(window, scale, seed)
    years = window.complete_years()
    fec_year = years[-1] if years else None
    tables = {
        "cost_centers": cost_centres_frame(staff.managers),
        "gl_lines": gl,
        "budget": budget,
        "supplier_invoices": invoices,
        "employees": staff.employees,
        "payroll": payroll,
        "absences": make_absences(staff, window, seed),
        "items": stock.items,
        "stock_movements": stock.movements,
        "cycle_counts": stock.cycle_counts,
        "order_lines": stock.order_lines,
        "service_requests": make_service_requests(window, scale, seed),
    }
    return Company(window=window, tables=tables, fec_year=fec_year,
                   fec=None if fec_year is None else fec_lines(gl, fec_year),
                   findings=_resolve_findings(ledger.findings, gl))


def _resolve_findings(findings: list[dict], gl: pd.DataFrame) -> list[dict]:
    """Add the entry_id of each finding (found by journal and document reference)."""
    out = []
    for f in findings:
        rows = gl[(gl["journal"] == f["journal"]) & (gl["document_ref"] == f["document_ref"])]
        posted = rows["posting_date"].dt.strftime("%Y-%m-%d").to_numpy()
        match = rows[posted == f["posting_date"]] if "posting_date" in f else rows
        ids = np.unique(match["entry_id"].to_numpy(dtype=object))
        out.append({**f, "entry_id": str(ids[0]) if ids.size else None})
    return out
