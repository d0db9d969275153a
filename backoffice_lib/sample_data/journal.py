"""A builder of balanced journal entries, numbered per journal as a French ledger is.

Each ``add`` call appends the lines of one or many entries of one journal; lines with the
same ``entry`` value (local to the call) form one entry. :meth:`JournalBuilder.frame`
numbers entries continuously per journal in posting order (``HA-000001``...), numbers
lines within each entry, and returns the lines sorted by date, journal and number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .accounts import ACCOUNTS

__all__ = ["JOURNALS", "JournalBuilder", "letter_codes", "stack"]

#: Journal code → label (FEC JournalLib).
JOURNALS: dict[str, str] = {
    "AN": "A nouveaux",
    "HA": "Achats",
    "VT": "Ventes",
    "BQ": "Banque",
    "PA": "Paie",
    "OD": "Opérations diverses",
}

_TEXT = ("journal", "account", "cost_center", "vendor_id", "aux_id", "aux_name",
         "document_ref", "description", "letter")
_DATES = ("posting_date", "entry_date", "document_date", "letter_date")


def _column(value, n: int, dtype=object) -> np.ndarray:
    """``value`` as an array of ``n`` items of ``dtype`` (a scalar is broadcast)."""
    if isinstance(value, np.ndarray) and value.shape == (n,):
        return value.astype(dtype, copy=False)
    out = np.empty(n, dtype=dtype)
    out[:] = value
    return out


class JournalBuilder:
    """Collects journal lines; see the module docstring."""

    def __init__(self) -> None:
        self._parts: list[dict[str, np.ndarray]] = []
        self._next_entry = 0

    def add(self, journal: str, entry: np.ndarray, posting_date, account, amount_cents,
            *, order=None, entry_date=None, cost_center=None, vendor_id=None, aux_id=None,
            aux_name=None, document_ref=None, document_date=None, description="",
            letter=None, letter_date=None) -> None:
        """Append lines. ``amount_cents`` is debit − credit; each entry must sum to zero.

        Scalars are broadcast to every line. ``order`` sorts lines within an entry
        (default: as given). ``entry_date`` (keyed on) defaults to ``posting_date``,
        ``document_date`` to ``posting_date``.
        """
        entry = np.asarray(entry, dtype=np.int64)
        n = entry.size
        if n == 0:
            return
        amount = np.asarray(amount_cents, dtype=np.int64)
        if amount.shape != (n,):
            amount = np.full(n, amount, dtype=np.int64)
        uniq, local = np.unique(entry, return_inverse=True)
        sums = np.bincount(local, weights=amount, minlength=uniq.size)
        if np.any(np.rint(sums) != 0):
            raise ValueError(f"unbalanced entries in journal {journal}")
        posting = _column(posting_date, n, "datetime64[D]")
        part = {
            "journal": _column(journal, n),
            "entry_key": self._next_entry + local,
            "order": np.arange(n) if order is None else np.asarray(order, dtype=np.int64),
            "posting_date": posting,
            "entry_date": (posting if entry_date is None
                           else _column(entry_date, n, "datetime64[D]")),
            "document_date": posting if document_date is None
            else _column(document_date, n, "datetime64[D]"),
            "letter_date": _column(np.datetime64("NaT") if letter_date is None else letter_date,
                                   n, "datetime64[D]"),
            "account": _column(account, n),
            "amount_cents": amount,
        }
        for name, value in (("cost_center", cost_center), ("vendor_id", vendor_id),
                            ("aux_id", aux_id), ("aux_name", aux_name),
                            ("document_ref", document_ref), ("description", description),
                            ("letter", letter)):
            part[name] = _column(value, n)
        self._parts.append(part)
        self._next_entry += uniq.size

    def frame(self) -> pd.DataFrame:
        """All lines with entry_id, line_no and account_label, sorted for the export."""
        cols = {k: np.concatenate([p[k] for p in self._parts]) for k in self._parts[0]}
        lines = pd.DataFrame(cols)
        first = lines.groupby("entry_key", sort=False).agg(
            journal=("journal", "first"), posting_date=("posting_date", "min"))
        first = first.sort_values(["journal", "posting_date"], kind="stable")
        first = first.reset_index()
        first["number"] = first.groupby("journal").cumcount() + 1
        width = max(6, len(str(int(first["number"].max()))))
        first["entry_id"] = first["journal"] + "-" + first["number"].astype(str).str.zfill(width)
        number = pd.Series(first["number"].to_numpy(), index=first["entry_key"])
        entry_id = pd.Series(first["entry_id"].to_numpy(), index=first["entry_key"])
        keys = lines["entry_key"].to_numpy()
        lines["number"] = number.loc[keys].to_numpy()
        lines["entry_id"] = entry_id.loc[keys].to_numpy()
        # an entry's lines all carry the entry's (first) posting date
        lines["posting_date"] = first.set_index("entry_key")["posting_date"].loc[keys].to_numpy()
        lines = lines.sort_values(["posting_date", "journal", "number", "order"], kind="stable")
        lines["line_no"] = lines.groupby("entry_key", sort=False).cumcount() + 1
        lines["account_label"] = lines["account"].map(ACCOUNTS)
        lines = lines.drop(columns=["entry_key", "order"]).reset_index(drop=True)
        for col in _TEXT + ("entry_id", "account_label"):
            lines[col] = lines[col].astype("str")
        for col in _DATES:
            lines[col] = lines[col].to_numpy().astype("datetime64[s]")
        lines["number"] = lines["number"].astype(np.int64)
        return lines


def letter_codes(ranks: np.ndarray) -> np.ndarray:
    """Matching (lettrage) codes from 0-based ranks: 0 → ``AA``, 1 → ``AB``, 676 → ``AAA``."""
    out = np.empty(len(ranks), dtype=object)
    for i, r in enumerate(np.asarray(ranks, dtype=np.int64)):
        width, base = 2, 26 * 26
        while r >= base:
            r -= base
            width += 1
            base *= 26
        code = ""
        for _ in range(width):
            r, rem = divmod(r, 26)
            code = chr(65 + rem) + code
        out[i] = code
    return out


def stack(groups: list[dict]) -> dict:
    """Concatenate groups of lines into the arguments of one :meth:`JournalBuilder.add`.

    Each group is a dict with ``entry`` (array) and other arguments of ``add`` (arrays of
    the same length, or scalars broadcast to it); every group has the same keys.
    """
    sizes = [np.asarray(g["entry"]).size for g in groups]
    out = {}
    for key in groups[0]:
        if key in ("entry", "amount_cents", "order"):
            dtype = np.int64
        elif key.endswith("date"):
            dtype = "datetime64[D]"
        else:
            dtype = object
        out[key] = np.concatenate([_column(g[key], n, dtype)
                                   for g, n in zip(groups, sizes, strict=True)])
    return out
