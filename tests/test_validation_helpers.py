"""Hand-made canonical tables for the validation tests, and checks of the helpers.

:func:`canonical_frame` builds a frame as ``load_table(path, table=...)`` returns it:
every column of the spec with its dtype, index ``source_row`` (data from row
``header_row + 1``), and a SourceInfo whose columns are lettered A, B, C... in spec order.
:func:`clean_rows` is a tiny consistent company with every table; tests change a value
or two, build the tables with :func:`build_tables` and check what validation says.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import pandas as pd

from backoffice_lib.provenance import SourceInfo, column_letter
from backoffice_lib.tables import TABLES, get_table
from backoffice_lib.validation import validate
from backoffice_lib.validation.schemas import kind_matches

HEADER_ROW = 1
SHEET = "Feuil1"


def data_file(table: str) -> str:
    """The (fictional) file a test table comes from."""
    return f"/data/{table}.xlsx"


def letter(table: str, column: str) -> str:
    """Column letter of ``column`` in a test table (spec order, from A)."""
    return column_letter(get_table(table).column_names.index(column))


def cell(table: str, column: str, row: int) -> str:
    """A1 reference of ``column`` at source row ``row`` of a test table."""
    return f"{letter(table, column)}{row}"


def _typed(kind: str, values: list) -> list:
    if kind == "money":
        return [None if v is None else Decimal(str(v)) for v in values]
    if kind in ("date", "datetime"):
        return [None if v is None else pd.Timestamp(v) for v in values]
    return values


def canonical_frame(table: str, rows: list[dict], *, source: bool = True,
                    header_row: int = HEADER_ROW, issues: tuple = ()) -> pd.DataFrame:
    """A canonical frame of ``table`` from plain rows (money as text, dates ISO)."""
    spec = get_table(table)
    frame = pd.DataFrame({
        c.name: pd.Series(_typed(c.kind, [r.get(c.name) for r in rows]), dtype=c.dtype)
        for c in spec.columns
    })
    frame.index = pd.RangeIndex(header_row + 1, header_row + 1 + len(rows), name="source_row")
    if source:
        frame.attrs["source"] = SourceInfo(
            file=data_file(table), sheet=SHEET, format="xlsx", header_row=header_row,
            columns={c: column_letter(i) for i, c in enumerate(spec.column_names)},
            table=table, issues=tuple(issues),
        )
    return frame


def clean_rows() -> dict[str, list[dict]]:
    """A tiny consistent company: every table, no problem at all."""
    gl = [
        ("E1", 1, "2026-01-31", "2026-01", "601000", "CC10", "100.00"),
        ("E1", 2, "2026-01-31", "2026-01", "401000", None, "-100.00"),
        ("E2", 1, "2026-02-28", "2026-02", "641000", "CC20", "250.50"),
        ("E2", 2, "2026-02-28", "2026-02", "421000", None, "-200.00"),
        ("E2", 3, "2026-02-28", "2026-02", "431000", None, "-50.50"),
    ]
    return copy.deepcopy({
        "cost_centers": [
            {"cost_center": "CC10", "name": "Comptabilité", "department": "Finance",
             "office": "back", "manager_id": "E001"},
            {"cost_center": "CC20", "name": "Ventes", "department": "Commercial",
             "office": "front", "manager_id": "E002"},
        ],
        "gl_lines": [
            {"entry_id": e, "line_no": n, "posting_date": d, "period": p, "account": a,
             "cost_center": c, "amount": m, "currency": "EUR"}
            for e, n, d, p, a, c, m in gl
        ],
        "budget": [
            {"period": "2026-01", "cost_center": "CC10", "account": "601000", "amount": "120.00"},
            {"period": "2026-02", "cost_center": "CC20", "category": "personnel",
             "amount": "260.00"},
        ],
        "supplier_invoices": [
            {"invoice_id": "F-001", "vendor_id": "V1", "invoice_date": "2026-01-05",
             "received_date": "2026-01-07", "approved_date": "2026-01-10",
             "paid_date": "2026-02-04", "due_date": "2026-02-04", "amount": "100.00",
             "touchless": True},
            {"invoice_id": "F-002", "vendor_id": "V2", "invoice_date": "2026-02-01",
             "received_date": "2026-02-01", "due_date": "2026-03-03", "amount": "80.00",
             "touchless": False},
        ],
        "employees": [
            {"employee_id": "E001", "name": "Anne Martin", "gender": "F",
             "hire_date": "2019-03-01", "cost_center": "CC10", "fte": 1.0, "contract_type": "CDI"},
            {"employee_id": "E002", "name": "Paul Durand", "gender": "M",
             "hire_date": "2021-09-15", "cost_center": "CC20", "manager_id": "E001",
             "fte": 0.8, "contract_type": "CDI"},
            {"employee_id": "E003", "name": "Léa Petit", "gender": "F",
             "hire_date": "2025-01-06", "exit_date": "2026-01-31", "exit_reason": "voluntary",
             "cost_center": "CC10", "manager_id": "E001", "fte": 1.0, "contract_type": "CDD"},
        ],
        "payroll": [
            {"period": p, "employee_id": e, "gross_salary": g, "employer_charges": c}
            for p in ("2026-01", "2026-02")
            for e, g, c in (("E001", "4200.00", "1890.00"), ("E002", "3100.00", "1395.00"))
        ],
        "absences": [
            {"employee_id": "E002", "start_date": "2026-01-12", "end_date": "2026-01-14",
             "type": "maladie", "days": 3.0, "paid": True},
        ],
        "items": [
            {"sku": "SKU1", "description": "Vis", "category": "Quincaillerie",
             "unit_cost": "0.10", "warehouse": "W1"},
            {"sku": "SKU2", "description": "Écrou", "category": "Quincaillerie",
             "unit_cost": "0.05", "warehouse": "W1"},
        ],
        "stock_movements": [
            {"movement_id": "M1", "date": "2026-01-02", "sku": "SKU1", "warehouse": "W1",
             "qty": 10.0, "type": "receipt", "unit_cost": "0.10"},
            {"movement_id": "M2", "date": "2026-01-05", "sku": "SKU1", "warehouse": "W1",
             "qty": -4.0, "type": "issue", "unit_cost": "0.10"},
            {"movement_id": "M3", "date": "2026-01-05", "sku": "SKU2", "warehouse": "W1",
             "qty": 5.0, "type": "receipt", "unit_cost": "0.05"},
        ],
        "cycle_counts": [
            {"count_id": "C1", "date": "2026-01-31", "sku": "SKU1", "warehouse": "W1",
             "system_qty": 6.0, "counted_qty": 6.0, "unit_cost": "0.10"},
        ],
        "order_lines": [
            {"order_id": "O1", "date": "2026-01-04", "sku": "SKU1", "qty_ordered": 4.0,
             "qty_shipped": 4.0, "line_no": 1, "status": "shipped"},
        ],
        "service_requests": [
            {"ticket_id": "T1", "team": "IT", "category": "Accès",
             "opened_at": "2026-01-05 09:30", "resolved_at": "2026-01-05 11:00",
             "sla_hours": 8.0, "reopened": False, "automated": False},
        ],
    })


def build_tables(rows: dict[str, list[dict]], **kwargs) -> dict[str, pd.DataFrame]:
    """Canonical frames of every table in ``rows``."""
    return {table: canonical_frame(table, table_rows, **kwargs)
            for table, table_rows in rows.items()}


def found(report, rule: str | None = None) -> list[tuple]:
    """``(table, cell, rule)`` of a report's issues (of one rule if given), sorted."""
    frame = report.issues
    if rule is not None:
        frame = frame[frame["rule"] == rule]
    return sorted(zip(frame["table"], frame["cell"], frame["rule"], strict=True))


# --------------------------------------------------------------------------- the helpers


def test_canonical_frame_has_spec_columns_and_dtypes():
    frame = canonical_frame("gl_lines", clean_rows()["gl_lines"])
    assert list(frame.columns) == get_table("gl_lines").column_names
    assert frame.dtypes.to_dict() == get_table("gl_lines").dtypes
    assert list(frame.index) == [2, 3, 4, 5, 6]
    assert frame.attrs["source"].cell("amount", 4) == "H4"


def test_clean_rows_cover_every_table_with_fitting_types():
    tables = build_tables(clean_rows())
    assert set(tables) == set(TABLES) - {"account_map"}
    mistyped = [(t, c.name) for t, f in tables.items() for c in get_table(t).columns
                if not kind_matches(c.kind, f[c.name])]
    assert mistyped == []


def test_validate_clean_company_finds_nothing():
    report = validate(build_tables(clean_rows()))
    assert report.issues.empty
    assert report.ok
    assert report.tables == {t: len(r) for t, r in clean_rows().items()}
