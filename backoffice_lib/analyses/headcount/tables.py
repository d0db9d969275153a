"""The tables of the headcount report, ready for ``show_table(**spec)``.

Each function turns a frame of :mod:`.kpis` into the keyword arguments of
:func:`backoffice_lib.report.display.show_table` (headers and sheet names from the
``headcount`` catalogue). Hidden figures (kpi-reference H17) are passed as
``suppressed`` cells and print ``< k``; the Excel export leaves them empty.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ...i18n import t
from ...i18n.formatting import format_month
from ..table_specs import code_labels, table_spec
from .inputs import HeadcountInputs
from .kpis import FLOWS, LEAVER_SPLIT

__all__ = ["absence_types_table", "bridge_table", "departments_table",
           "payroll_reconciliation_table", "tenure_table", "trend_table",
           "turnover_table"]

_ANALYSIS = "headcount"
_COUNTS = (*FLOWS, *LEAVER_SPLIT)


def _spec(df: pd.DataFrame, key: str, title: str, formats: dict[str, str],
          **extra: Any) -> dict[str, Any]:
    return table_spec(_ANALYSIS, df, key, title, formats, **extra)


def _window(row: pd.Series) -> str:
    """« octobre 2026 », « janv. – oct. 2026 » (YTD), « nov. 2025 – oct. 2026 » (R12)."""
    if row["start"] == row["end"]:
        return format_month(row["end"])
    return t(f"headcount.window.{row['window']}",
             start=format_month(row["start"], short=True),
             end=format_month(row["end"], short=True))


def bridge_table(bridge: pd.DataFrame, d: HeadcountInputs) -> dict[str, Any]:
    """Opening, hires, leavers (by reason), closing for the month, YTD and R12; the
    residual column only when a window does not balance."""
    df = bridge[["opening", *_COUNTS, "closing", "residual"]].copy()
    df.insert(0, "window", bridge.apply(_window, axis=1).astype("str"))
    hidden = pd.DataFrame(False, index=df.index, columns=df.columns)
    for col in _COUNTS:
        hidden[col] = df[col].isna().to_numpy()
    note = []
    if (df["residual"] == 0).all():
        df, hidden = df.drop(columns="residual"), hidden.drop(columns="residual")
    else:
        note.append(t("headcount.bridge.residual"))
    formats = {col: "int" for col in df.columns if col != "window"} | {"window": "text"}
    return _spec(df, "bridge", t("headcount.table.bridge", month=format_month(d.period)),
                 formats, suppressed=hidden, suppression_k=d.min_group_size,
                 footnotes=[t("headcount.bridge.footnote"), *note])


def trend_table(trend: pd.DataFrame, d: HeadcountInputs) -> dict[str, Any]:
    """Month-end headcount and FTE per month."""
    df = trend[["period", "headcount", "fte"]]
    return _spec(df, "trend", t("headcount.table.trend"),
                 {"period": "month", "headcount": "int", "fte": "number:1"},
                 suppressed=trend["suppressed"], suppression_k=d.min_group_size)


def turnover_table(turnover: pd.DataFrame, d: HeadcountInputs) -> dict[str, Any]:
    """Monthly turnover rates: all leavers, voluntary, permanent contracts only."""
    df = turnover[["period", "avg_headcount", "leavers", "turnover", "voluntary",
                   "permanent"]]
    hidden = pd.DataFrame(False, index=df.index, columns=df.columns)
    for col in df.columns[1:]:
        hidden[col] = turnover["suppressed"].to_numpy()
    hidden["leavers"] = df["leavers"].isna().to_numpy()
    formats = {"period": "month", "avg_headcount": "number:1", "leavers": "int",
               "turnover": "percent", "voluntary": "percent", "permanent": "percent"}
    return _spec(df, "turnover", t("headcount.table.turnover"), formats, suppressed=hidden,
                 suppression_k=d.min_group_size, footnotes=[t("headcount.turnover.footnote")])


def departments_table(table: pd.DataFrame, d: HeadcountInputs) -> dict[str, Any]:
    """Headcount, FTE, turnover, absenteeism and payroll cost per FTE by department,
    the company (or the filtered scope) last."""
    key = d.by_department[0]
    label = table[key].mask(table[key] == "TOTAL", t("headcount.total"))
    df = pd.DataFrame({
        "department": label.astype("str"), "headcount": table["headcount"],
        "fte": table["fte"], "turnover_r12": table["turnover_r12"],
        "absence_rate_r12": table["absence_rate_r12"], "cost_per_fte": table["cost_per_fte"],
    })
    if d.absences is None:
        df = df.drop(columns="absence_rate_r12")
    if d.payroll is None:
        df = df.drop(columns="cost_per_fte")
    formats = {"department": "text", "headcount": "int", "fte": "number:1",
               "turnover_r12": "percent", "absence_rate_r12": "percent",
               "cost_per_fte": "money0"}
    return _spec(df, "departments",
                 t("headcount.table.departments", month=format_month(d.period)),
                 {k: v for k, v in formats.items() if k in df.columns},
                 suppressed=table["suppressed"], suppression_k=d.min_group_size)


def absence_types_table(types: pd.DataFrame, d: HeadcountInputs) -> dict[str, Any]:
    """Absence days and spells by type over 12 months; in-scope types marked."""
    df = pd.DataFrame({
        "type": types["type"].astype("str"),
        "in_scope": types["in_scope"].map(
            lambda v: t("headcount.absence.in_scope" if v else "headcount.absence.out_of_scope")
        ).astype("str"),
        "absence_days": types["absence_days"], "spells": types["spells"],
    })
    formats = {"type": "text", "in_scope": "text", "absence_days": "number:1", "spells": "int"}
    return _spec(df, "absence_types",
                 t("headcount.table.absence_types", month=format_month(d.period)), formats,
                 suppressed=types["suppressed"], suppression_k=d.min_group_size,
                 footnotes=[t("headcount.absence.footnote")])


def tenure_table(tenure: pd.DataFrame, d: HeadcountInputs) -> dict[str, Any]:
    """People at month end by tenure band, with their share."""
    df = pd.DataFrame({"band": code_labels(tenure["band"], "headcount.band").astype("str"),
                       "headcount": tenure["headcount"], "share": tenure["share"]})
    return _spec(df, "tenure", t("headcount.table.tenure", month=format_month(d.period)),
                 {"band": "text", "headcount": "int", "share": "percent"},
                 suppressed=tenure["suppressed"], suppression_k=d.min_group_size)


def payroll_reconciliation_table(recon: pd.DataFrame, d: HeadcountInputs) -> dict[str, Any]:
    """Payroll vs ledger (641; 645 + 647) by month of the fiscal year, to the cent."""
    df = recon.drop(columns="ties")
    formats = {"period": "month"} | {c: "money" for c in df.columns if c != "period"}
    return _spec(df, "payroll_reconciliation",
                 t("headcount.table.payroll_reconciliation", month=format_month(d.period)),
                 formats, footnotes=[t("headcount.payroll.footnote")])
