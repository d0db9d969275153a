"""The FEC (Fichier des Écritures Comptables) of one fiscal year (kpi-reference §5.7).

Fiscal year = calendar year. The file holds the opening entry (``AN``: balances of the
balance-sheet accounts, classes 1–5, carried from the previous years, suppliers and
customers per auxiliary account, the cumulative result in 110000/119000) followed by
every ledger line posted in the year. Matching codes (EcritureLet, DateLet) are kept only
for items settled by the closing date.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .accounts import ACCOUNTS
from .company import SIREN
from .journal import JOURNALS

__all__ = ["fec_file_name", "fec_lines"]


def fec_file_name(year: int) -> str:
    """``<SIREN>FEC<yyyymmdd>.txt`` for the fiscal year closing on 31 December ``year``."""
    return f"{SIREN}FEC{year}1231.txt"


def fec_lines(gl: pd.DataFrame, year: int) -> pd.DataFrame:
    """Lines of the FEC of ``year``: ledger columns plus journal_label, orig_amount, currency."""
    start = np.datetime64(f"{year}-01-01", "s")
    close = np.datetime64(f"{year}-12-31", "s")
    posted = gl["posting_date"].to_numpy()
    in_year = gl[(posted >= start) & (posted <= close)].copy()
    before = gl[posted < start]
    lines = pd.concat([_opening(before, year), in_year], ignore_index=True)
    settled_late = lines["letter_date"].to_numpy() > close
    lines.loc[settled_late, ["letter"]] = None
    lines.loc[settled_late, ["letter_date"]] = pd.NaT
    lines["journal_label"] = lines["journal"].map(JOURNALS)
    lines["orig_amount"] = None
    lines["currency"] = "EUR"
    for col in ("journal_label", "orig_amount", "currency", "letter"):
        lines[col] = lines[col].astype("str")
    return lines


def _opening(before: pd.DataFrame, year: int) -> pd.DataFrame:
    """The ``AN`` entry of ``year`` from the lines of the previous years (empty if none)."""
    if before.empty:
        return before.iloc[0:0]
    balance_sheet = before[before["account"].str[0].isin(list("12345"))]
    aux = balance_sheet["aux_id"].fillna("")
    names = balance_sheet["aux_name"].fillna("")
    bal = (balance_sheet.assign(aux=aux, aux_label=names)
           .groupby(["account", "aux", "aux_label"], sort=True)["amount_cents"].sum().reset_index())
    bal = bal[bal["amount_cents"] != 0]
    result = -int(bal["amount_cents"].sum())
    carry = "110000" if result <= 0 else "119000"
    rows = pd.DataFrame({
        "account": list(bal["account"]) + [carry],
        "aux_id": [a or None for a in bal["aux"]] + [None],
        "aux_name": [n or None for n in bal["aux_label"]] + [None],
        "amount_cents": list(bal["amount_cents"]) + [result],
    })
    day = np.datetime64(f"{year}-01-01", "s")
    rows = rows.assign(
        journal="AN", entry_id="AN-000001", number=1, posting_date=day, entry_date=day,
        document_date=day, letter_date=pd.NaT, letter=None, cost_center=None, vendor_id=None,
        document_ref=f"AN-{year}", description=f"A nouveaux {year}", currency="EUR",
    )
    rows["line_no"] = np.arange(1, len(rows) + 1)
    rows["account_label"] = rows["account"].map(ACCOUNTS)
    rows["amount_cents"] = rows["amount_cents"].astype(np.int64)
    for col in ("posting_date", "entry_date", "document_date", "letter_date"):
        rows[col] = rows[col].astype("datetime64[s]")
    return rows[[c for c in before.columns]]
