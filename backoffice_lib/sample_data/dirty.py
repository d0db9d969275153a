"""The dirty variant: the same company written with the defects of real exports.

:func:`make_dirty` returns, per table, the frame to write and its :class:`WriteOptions`,
plus the answer key written to ``defects.json``:

- ``quirks``: format oddities a good loader reads through (title lines and merged title
  cells above the header, a hidden first sheet, dates and amounts written as text, blank
  rows, a cp1252 CSV). The values loaded must equal the clean company's.
- ``defects``: real data problems, each at its exact cell in the written file (rows are
  physical: title, header and blank rows counted; in a CSV the row is the line number and
  the letter the field position), with the canonical table and column, the value as
  written and a rule code of :data:`backoffice_lib.issues.RULES`.

Defects never cascade: copies and extra rows are added (the clean rows stay as they
were), a cost centre is changed on an expense line without touching amounts, a wrong
stock issue is immediately cancelled by an adjustment, unreadable values sit in optional
columns. The choices are drawn from the ``dirty`` random stream: same seed, same defects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..issues import RULES
from ._random import stream
from .build import Company
from .layouts import LAYOUTS
from .writers import WriteOptions, data_rows

__all__ = ["DirtyCompany", "make_dirty"]

NBSP, NNBSP = "\u00a0", "\u202f"


@dataclass
class DirtyCompany:
    """Frames and write options per table, and the answer key (``defects.json``)."""

    tables: dict[str, pd.DataFrame]
    options: dict[str, WriteOptions]
    quirks: list[dict]
    defects: list[dict]

    def answer_key(self, seed: int) -> dict:
        """The content of ``defects.json``."""
        return {"seed": seed, "quirks": self.quirks, "defects": self.defects}


def _insert(frame: pd.DataFrame, extra: pd.DataFrame, after: np.ndarray) -> tuple[pd.DataFrame,
                                                                                  np.ndarray]:
    """``frame`` with the rows of ``extra`` inserted after positions ``after`` (-1 = first);
    returns the new frame and the new positions of the inserted rows."""
    key = np.r_[2 * np.arange(len(frame)), 2 * np.asarray(after) + 1]
    combined = pd.concat([frame, extra[frame.columns]], ignore_index=True)
    order = np.argsort(key, kind="stable")
    new_pos = np.empty(order.size, dtype=np.int64)
    new_pos[order] = np.arange(order.size)
    for col in frame.columns:  # keep dtypes (concat of str with object gives object)
        if frame[col].dtype == "str":
            combined[col] = combined[col].astype("str")
    return combined.iloc[order].reset_index(drop=True), new_pos[len(frame):]


class _Key:
    """Collects quirks and defects with their cells."""

    def __init__(self) -> None:
        self.quirks: list[dict] = []
        self.defects: list[dict] = []

    def quirk(self, table: str, kind: str, detail: str) -> None:
        layout = LAYOUTS[table]
        self.quirks.append({"file": layout.file_name, "sheet": layout.sheet, "kind": kind,
                            "detail": detail})

    def defect(self, table: str, options: WriteOptions, n_rows: int, index: int,
               source: str | None, value: str, rule: str, column: str | None = None,
               row: int | None = None) -> None:
        if rule not in RULES:
            raise ValueError(f"unknown rule code {rule!r}")
        layout = LAYOUTS[table]
        row = int(data_rows(n_rows, options)[index]) if row is None else row
        letter = layout.letter_of(source) if source else "A"
        canonical = column or (next(c.canonical for c in layout.columns if c.source == source)
                               if source else None)
        self.defects.append({"file": layout.file_name, "sheet": layout.sheet,
                             "cell": f"{letter}{row}", "row": row, "table": table,
                             "column": canonical, "value": value, "rule": rule})


def _typo(code: str) -> str:
    """A cost-centre code mistyped by swapping its last two letters (PRD-LYO → PRD-LOY)."""
    typo = code[:-2] + code[-1] + code[-2]
    return typo if typo != code else code + "X"


def make_dirty(company: Company, seed: int) -> DirtyCompany:
    """Frames, options and answer key of the dirty variant of ``company``."""
    rng = stream(seed, "dirty")
    tables = dict(company.tables)
    options = {name: WriteOptions() for name in tables}
    key = _Key()
    end = str(company.window.end)
    end_fr = f"{end[8:10]}/{end[5:7]}/{end[:4]}"
    _employees(tables, options, key, rng, end_fr)
    _invoices(tables, options, key, rng)
    _budget(tables, options, key, rng)
    _absences(options, key)
    _items(tables, options, key, rng)
    _cycle_counts(options, key)
    _ledger(tables, key, rng, company.findings, options["gl_lines"])
    _payroll(tables, options, key, rng)
    _negative_stock(tables, key, rng, options["stock_movements"])
    return DirtyCompany(tables=tables, options=options, quirks=key.quirks, defects=key.defects)


def _employees(tables, options, key: _Key, rng, end_fr: str) -> None:
    emp = tables["employees"]
    i = int(rng.integers(len(emp)))
    bad = f"31/02/{emp['birth_date'].iloc[i].year}"   # a day that does not exist
    opts = WriteOptions(title=(f"Liste du personnel au {end_fr}",
                               "Extraction SIRH - Exemple Industries SA"),
                        merge_title=True, overrides={(i, "birth_date"): bad})
    options["employees"] = opts
    last = LAYOUTS["employees"].letter_of("contract_type")
    key.quirk("employees", "title_above_header",
              f"2 title lines and a blank line above the header (row {opts.header_row})")
    key.quirk("employees", "merged_title_cells", f"A1:{last}1 and A2:{last}2 are merged")
    key.defect("employees", opts, len(emp), i, "birth_date", bad, "INVALID_DATE")


def _invoices(tables, options, key: _Key, rng) -> None:
    inv = tables["supplier_invoices"]
    positive = np.flatnonzero(inv["amount_ttc_cents"].to_numpy()[: len(inv) - 60] > 0)
    picks = rng.choice(positive[positive >= 10], size=4, replace=False)
    dup, bad_row = np.sort(picks[:3]), int(picks[3])
    after = dup + rng.integers(5, 40, dup.size)
    frame, new_pos = _insert(inv, inv.iloc[dup], after)
    bad_index = bad_row + int(np.sum(after < bad_row))
    digits = f"{int(inv['amount_ttc_cents'].iloc[bad_row]):05d}"
    bad = f"{digits[:-4]},{digits[-4:-2]},{digits[-2:]}"   # 1234,56 mistyped as 12,34,56
    opts = WriteOptions(hidden_sheet="Paramètres",
                        text_amounts={"amount_cents": NBSP, "amount_ttc_cents": NNBSP},
                        overrides={(bad_index, "amount_ttc_cents"): bad})
    tables["supplier_invoices"], options["supplier_invoices"] = frame, opts
    key.quirk("supplier_invoices", "hidden_first_sheet",
              "a hidden first sheet 'Paramètres' comes before the data sheet 'Factures'")
    key.quirk("supplier_invoices", "amounts_as_text",
              "Montant HT and Montant TTC are text like '1 234,56' (thousands separated by "
              "U+00A0 and U+202F)")
    for pos in new_pos:
        key.defect("supplier_invoices", opts, len(frame), int(pos), "invoice_id",
                   str(frame["invoice_id"].iloc[pos]), "DUPLICATE_INVOICE")
    key.defect("supplier_invoices", opts, len(frame), bad_index, "amount_ttc_cents", bad,
               "INVALID_NUMBER")


def _budget(tables, options, key: _Key, rng) -> None:
    budget = tables["budget"]
    i = int(rng.integers(len(budget) // 2, len(budget)))
    extra = budget.iloc[[i]].copy()
    typo = _typo(str(extra["cost_center"].iloc[0]))
    extra["cost_center"] = pd.Series([typo], index=extra.index, dtype="str")
    extra["amount_cents"] = np.int64(round(int(extra["amount_cents"].iloc[0]) * 0.1, -2))
    frame, new_pos = _insert(budget, extra, np.array([i]))
    opts = WriteOptions(total_label="Total")
    tables["budget"], options["budget"] = frame, opts
    key.defect("budget", opts, len(frame), int(new_pos[0]), "cost_center", typo,
               "UNKNOWN_COST_CENTER")
    total_row = int(data_rows(len(frame), opts)[-1]) + 1
    key.defect("budget", opts, len(frame), 0, None, "Total", "TOTAL_ROW_EXCLUDED",
               column="period", row=total_row)


def _absences(options, key: _Key) -> None:
    options["absences"] = WriteOptions(text_dates=("start_date", "end_date"))
    key.quirk("absences", "dates_as_text",
              "Date de début and Date de fin are text 'dd/mm/yyyy', not date cells")


def _items(tables, options, key: _Key, rng) -> None:
    n = len(tables["items"])
    before = tuple(int(x) for x in np.sort(rng.choice(np.arange(1, n), size=3, replace=False)))
    options["items"] = WriteOptions(blank_rows_before=before)
    rows = data_rows(n, options["items"])
    blank = ", ".join(str(int(rows[b]) - 1) for b in before)
    key.quirk("items", "blank_rows", f"blank rows inside the data: rows {blank}")


def _cycle_counts(options, key: _Key) -> None:
    options["cycle_counts"] = WriteOptions(title=("Inventaires tournants - comptages",))
    key.quirk("cycle_counts", "title_above_header",
              "a title line and a blank line above the header (row 3)")


def _ledger(tables, key: _Key, rng, findings: list[dict], opts: WriteOptions) -> None:
    gl = tables["gl_lines"].copy()
    planted = {f["entry_id"] for f in findings}
    pool = np.flatnonzero((gl["journal"] == "HA").to_numpy()
                          & gl["account"].str.startswith("6").to_numpy()
                          & ~gl["entry_id"].isin(planted).to_numpy())
    rows = np.sort(rng.choice(pool, size=3, replace=False))
    cc = gl["cost_center"].to_numpy(dtype=object)
    for i in rows:
        cc[i] = _typo(cc[i])
    gl["cost_center"] = pd.Series(cc, index=gl.index, dtype="str")
    tables["gl_lines"] = gl
    for i in rows:
        key.defect("gl_lines", opts, len(gl), int(i), "cost_center", cc[i], "UNKNOWN_COST_CENTER")


def _payroll(tables, options, key: _Key, rng) -> None:
    pay = tables["payroll"]
    employees = tables["employees"]["employee_id"]
    first_unknown = int(employees.astype(int).max()) + 500
    available = pay["period"].unique()
    periods = np.sort(rng.choice(available, size=3, replace=available.size < 3))
    extras, after = [], []
    for k, period in enumerate(periods):
        block = np.flatnonzero(pay["period"].to_numpy() == period)
        row = pay.iloc[[int(rng.choice(block))]].copy()
        row["employee_id"] = pd.Series([f"{first_unknown + k:06d}"], index=row.index, dtype="str")
        extras.append(row)
        after.append(block[-1])
    frame, new_pos = _insert(pay, pd.concat(extras), np.array(after))
    opts = WriteOptions(encoding="cp1252")
    tables["payroll"], options["payroll"] = frame, opts
    key.quirk("payroll", "cp1252_encoding",
              "the file is encoded in Windows-1252 (cp1252), not UTF-8")
    for pos in new_pos:
        key.defect("payroll", opts, len(frame), int(pos), "employee_id",
                   str(frame["employee_id"].iloc[pos]), "UNKNOWN_EMPLOYEE")


def _negative_stock(tables, key: _Key, rng, opts: WriteOptions) -> None:
    """Two wrong issues larger than the stock, each cancelled by an adjustment before the
    pair's next movement: on-hand dips below zero once, then comes back."""
    mv = tables["stock_movements"]
    counts = tables["cycle_counts"]
    pair = mv["sku"].astype(object) + "|" + mv["warehouse"].astype(object)
    on_hand = mv["qty"].groupby(pair).cumsum().to_numpy()
    date = mv["date"].to_numpy().astype("datetime64[D]")
    nxt_date = pd.Series(date).groupby(pair.to_numpy()).shift(-1).to_numpy().astype("datetime64[D]")
    counted = set(zip(counts["sku"], counts["warehouse"],
                      counts["date"].to_numpy().astype("datetime64[D]"), strict=True))
    next_day = np.busday_offset(date, 1, roll="forward")
    ok = (~np.isnat(nxt_date) & (nxt_date > next_day) & (on_hand > 0)
          & (mv["type"].to_numpy() == "issue"))
    pool = [i for i in np.flatnonzero(ok)
            if (mv["sku"].iat[i], mv["warehouse"].iat[i], date[i]) not in counted]
    chosen = np.sort(rng.choice(pool, size=2, replace=False))
    extra_rows, after = [], []
    for i in chosen:
        qty = float(on_hand[i] + rng.integers(1, 6))
        base = mv.iloc[[i]].copy()
        wrong = base.assign(qty=-qty, type="issue", ref=None, reason="Sortie manuelle")
        fix = base.assign(qty=qty, type="adjustment", ref=None, reason="Annulation sortie erronée",
                          date=next_day[i].astype("datetime64[s]"))
        extra_rows += [wrong, fix]
        after += [i, int(np.searchsorted(date, next_day[i], side="left")) - 1]
    extra = pd.concat(extra_rows)
    for col in ("type", "ref", "reason"):
        extra[col] = extra[col].astype("str")
    frame, new_pos = _insert(mv, extra, np.array(after))
    frame["movement_id"] = _suffixed_ids(frame["movement_id"].to_numpy(dtype=object), new_pos)
    tables["stock_movements"] = frame
    for pos in new_pos[0::2]:
        value = f"{frame['qty'].iat[pos]:.0f}"
        key.defect("stock_movements", opts, len(frame), int(pos), "qty", value, "NEGATIVE_STOCK")


def _suffixed_ids(ids: np.ndarray, inserted: np.ndarray) -> pd.Series:
    """Ids of inserted rows: the previous original id + ``-1``, ``-2``... (sorts in place)."""
    ids = ids.copy()
    inserted_set = set(int(p) for p in inserted)
    count = 0
    previous = "MVT-0000000"
    for pos in range(ids.size):
        if pos in inserted_set:
            count += 1
            ids[pos] = f"{previous}-{count}"
        else:
            previous, count = ids[pos], 0
    return pd.Series(ids, dtype="str")
