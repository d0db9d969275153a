"""Validation speed: every schema and rule on a 200,000-line ledger plus the other tables.

Goal (issue): ``validate()`` with all rules in under 1 s. The ledger is generated here as
a canonical frame (dtypes, ``source_row`` index, a SourceInfo for cell references) with
the sample company's cost centres; the other tables are the sample company's, loaded
with ``load_tables`` when ``data/sample`` exists (``make bench`` generates it), else
generated here too. Two defects are planted in the ledger so the report-building path is
timed as well.

Run: ``python -m benchmarks validation`` (or ``make bench``).
"""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import yaml

from backoffice_lib import config
from backoffice_lib.provenance import SourceInfo, column_letter
from backoffice_lib.tables import MONEY, get_table
from backoffice_lib.validation import validate

from ._measure import best_of

GOAL_SECONDS = 1.0
GL_ROWS = 200_000
SEED = 7

_ACCOUNTS = np.array(["601000", "606100", "613200", "622600", "625100", "641000", "645100",
                      "401000", "421000", "431000", "445660", "512000"])
_CCS = np.array([f"CC{n:02d}" for n in range(1, 41)])


def _money(cents: np.ndarray) -> pd.Series:
    values = [Decimal(int(c)).scaleb(-2) for c in cents]
    return pd.Series(pa.array(values, type=pa.decimal128(18, 2)), dtype=MONEY)


def _canonical(table: str, columns: dict[str, object], n: int) -> pd.DataFrame:
    """A frame with every spec column (absent ones NA), a source_row index and a SourceInfo."""
    spec = get_table(table)
    data = {}
    for column in spec.columns:
        values = columns.get(column.name)
        data[column.name] = (pd.Series(values, dtype=column.dtype) if values is not None
                             else pd.Series([None] * n, dtype=column.dtype))
    frame = pd.DataFrame(data)
    frame.index = pd.RangeIndex(2, n + 2, name="source_row")
    frame.attrs["source"] = SourceInfo(
        file=f"/bench/{table}.xlsx", sheet="Data", format="xlsx", header_row=1, table=table,
        columns={c: column_letter(i) for i, c in enumerate(spec.column_names)})
    return frame


def _dates(rng: np.random.Generator, n: int, start: str = "2024-11-01",
           days: int = 730) -> np.ndarray:
    return (np.datetime64(start) + rng.integers(0, days, n).astype("timedelta64[D]")
            ).astype("datetime64[us]")


def ledger(rng: np.random.Generator, rows: int = GL_ROWS,
           cost_centers: np.ndarray = _CCS) -> pd.DataFrame:
    """Balanced entries of four lines (+x, +y, −x, −y) over 24 months."""
    entries = rows // 4
    dates = np.repeat(_dates(rng, entries), 4)
    x, y = rng.integers(100, 1_000_000, entries), rng.integers(100, 1_000_000, entries)
    cents = np.column_stack([x, y, -x, -y]).ravel()
    period = pd.Series(dates).dt.strftime("%Y-%m").to_numpy()
    accounts = _ACCOUNTS[rng.integers(0, len(_ACCOUNTS), rows)]
    ccs = np.where(np.char.startswith(accounts.astype(str), "6"),
                   cost_centers[rng.integers(0, len(cost_centers), rows)], None)
    frame = _canonical("gl_lines", {
        "entry_id": np.repeat([f"E{n:07d}" for n in range(entries)], 4),
        "line_no": np.tile([1, 2, 3, 4], entries),
        "posting_date": dates, "period": period, "account": accounts,
        "cost_center": ccs, "amount": _money(cents), "currency": np.full(rows, "EUR"),
    }, rows)
    frame.iloc[10, frame.columns.get_loc("cost_center")] = "CC99"  # planted defects
    frame.iloc[21, frame.columns.get_loc("amount")] = Decimal("1.00")
    return frame


def sample_tables() -> dict[str, pd.DataFrame] | None:
    """The sample company's tables but the ledger, loaded (None when not generated)."""
    if not (config.SAMPLE_DATA_DIR / ".complete").is_file():
        return None
    from backoffice_lib.loading import load_tables

    raw = yaml.safe_load(config.DEFAULT_PARAMS_FILE.read_text(encoding="utf-8"))["inputs"]
    inputs = {table: str(config.SAMPLE_DATA_DIR / Path(value).name)
              for table, value in raw.items() if table != "gl_lines" and isinstance(value, str)}
    return load_tables(inputs)


def other_tables(rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """The other tables at the sample company's scale, generated (a few thousand rows each)."""
    n_emp, n_inv, n_items, n_moves = 400, 6_000, 1_000, 40_000
    emp_ids = np.array([f"E{n:05d}" for n in range(n_emp)])
    periods = pd.period_range("2024-11", periods=24, freq="M").strftime("%Y-%m").to_numpy()
    invoice_dates = _dates(rng, n_inv)
    received = invoice_dates + rng.integers(0, 10, n_inv).astype("timedelta64[D]")
    skus = np.array([f"SKU{n:05d}" for n in range(n_items)])
    move_skus = skus[rng.integers(0, n_items, n_moves)]
    move_skus[:n_items] = skus  # one opening receipt per SKU, then issues
    qty = np.where(np.arange(n_moves) < n_items, 1_000.0, -rng.integers(1, 5, n_moves))
    move_dates = np.sort(_dates(rng, n_moves))
    return {
        "cost_centers": _canonical("cost_centers", {
            "cost_center": _CCS, "name": [f"Centre {c}" for c in _CCS],
            "department": np.full(len(_CCS), "Finance"), "office": np.full(len(_CCS), "back"),
            "manager_id": emp_ids[: len(_CCS)]}, len(_CCS)),
        "employees": _canonical("employees", {
            "employee_id": emp_ids, "name": [f"Salarié {n}" for n in range(n_emp)],
            "gender": np.where(np.arange(n_emp) % 2, "F", "M"),
            "hire_date": _dates(rng, n_emp, "2010-01-01", 5000),
            "cost_center": _CCS[rng.integers(0, len(_CCS), n_emp)],
            "manager_id": np.where(np.arange(n_emp) < 5, None, emp_ids[rng.integers(0, 5, n_emp)]),
            "fte": np.ones(n_emp), "contract_type": np.full(n_emp, "CDI")}, n_emp),
        "payroll": _canonical("payroll", {
            "period": np.repeat(periods, n_emp), "employee_id": np.tile(emp_ids, len(periods)),
            "gross_salary": _money(rng.integers(200_000, 900_000, n_emp * len(periods))),
            "employer_charges": _money(rng.integers(90_000, 400_000, n_emp * len(periods)))},
            n_emp * len(periods)),
        "supplier_invoices": _canonical("supplier_invoices", {
            "invoice_id": [f"F{n:06d}" for n in range(n_inv)],
            "vendor_id": [f"V{n % 300:04d}" for n in range(n_inv)],
            "invoice_date": invoice_dates, "received_date": received,
            "approved_date": received + np.timedelta64(2, "D"),
            "paid_date": received + np.timedelta64(30, "D"),
            "due_date": invoice_dates + np.timedelta64(45, "D"),
            "amount": _money(rng.integers(1_000, 5_000_000, n_inv)),
            "touchless": rng.random(n_inv) < 0.4}, n_inv),
        "items": _canonical("items", {
            "sku": skus, "description": [f"Article {s}" for s in skus],
            "category": np.full(n_items, "Pièces"), "unit_cost": _money(np.full(n_items, 1_250))},
            n_items),
        "stock_movements": _canonical("stock_movements", {
            "movement_id": [f"M{n:07d}" for n in range(n_moves)], "date": move_dates,
            "sku": move_skus, "warehouse": np.full(n_moves, "W1"), "qty": qty,
            "type": np.where(qty > 0, "receipt", "issue"),
            "unit_cost": _money(np.full(n_moves, 1_250))}, n_moves),
    }


def main(argv: list[str]) -> None:
    """Print the validation time of all rules against the 1 s goal."""
    rng = np.random.default_rng(SEED)
    started = time.perf_counter()
    others = sample_tables()
    origin = "sample company (loaded)" if others is not None else "generated"
    others = others if others is not None else other_tables(rng)
    centres = others["cost_centers"]["cost_center"].dropna().unique()
    tables = {"gl_lines": ledger(rng, cost_centers=np.asarray(centres, dtype=object)), **others}
    rows = sum(len(f) for f in tables.values())
    print(f"tables ready in {time.perf_counter() - started:.1f} s: {len(tables)} tables, "
          f"{rows:,} rows ({len(tables['gl_lines']):,} ledger lines; other tables: {origin})")
    report = validate(tables)  # warm-up (imports, schema construction)
    seconds = best_of(lambda: validate(tables), repeat=3)
    ledger_only = best_of(lambda: validate({"gl_lines": tables["gl_lines"]}), repeat=3)
    print(f"issues found: {report.error_count} error(s), {report.warning_count} warning(s)")
    print(f"validate(ledger only): {ledger_only:.3f} s")
    verdict = "met" if seconds < GOAL_SECONDS else "NOT met"
    print(f"validate(all tables, all rules): {seconds:.3f} s "
          f"(goal < {GOAL_SECONDS:g} s: {verdict})")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
