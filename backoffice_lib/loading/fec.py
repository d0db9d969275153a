"""FEC (Fichier des Écritures Comptables, LPF art. A47 A-1) as ``gl_lines``.

The FEC is a text file with 18 fixed headers (kpi-reference §5.7); the header aliases of
``gl_lines`` already map them (``CompteNum`` → account, ``Debit``/``Credit`` → amount,
``EcritureDate`` in ``yyyymmdd``...). Two rules are the FEC's own:

- an entry is identified by its journal *and* number: ``entry_id = JournalCode-EcritureNum``,
  and ``line_no`` counts its lines in file order;
- expense lines rarely carry the supplier: ``vendor_id`` is taken from the entry's 401
  (supplier account) line when that entry names exactly one supplier.
"""

from __future__ import annotations

import pandas as pd

from ..tables import normalize_header
from .raw import RawTable

__all__ = ["FEC_FIELDS", "finish_fec", "is_fec"]

FEC_FIELDS = (
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
    "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
    "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise",
)
_REQUIRED = {normalize_header(f) for f in ("JournalCode", "EcritureNum", "EcritureDate",
                                           "CompteNum", "Debit", "Credit")}


def is_fec(raw: RawTable) -> bool:
    """True when the header row holds the FEC's mandatory fields."""
    names = {normalize_header(c.name) for c in raw.columns if c.name}
    return _REQUIRED <= names


def finish_fec(frame: pd.DataFrame) -> pd.DataFrame:
    """Apply the FEC's own rules to a ``gl_lines`` frame read from a FEC (see module doc)."""
    journal, number = frame["journal_code"], frame["entry_id"]
    both = journal.notna() & number.notna()
    frame["entry_id"] = (journal + "-" + number).where(both, number).astype("str")
    # The FEC has no line number: lines are numbered in file order within each entry.
    frame["line_no"] = (frame.groupby("entry_id", sort=False, dropna=False).cumcount() + 1
                        ).astype("Int64")
    is_supplier = frame["account"].str.startswith("401", na=False) & frame["vendor_id"].notna()
    suppliers = frame.loc[is_supplier, ["entry_id", "vendor_id"]].drop_duplicates()
    # Entries naming exactly one supplier (counted without a Python call per entry).
    per_entry = suppliers.groupby("entry_id")["vendor_id"].transform("size")
    single = suppliers.loc[per_entry == 1].set_index("entry_id")["vendor_id"]
    fill = frame["entry_id"].map(single)
    frame["vendor_id"] = frame["vendor_id"].fillna(fill).astype("str")
    return frame
