"""The tables of the process-efficiency report, ready for ``show_table(**spec)``.

Each function turns a frame of :mod:`.kpis` into the keyword arguments of
:func:`backoffice_lib.report.display.show_table` (headers and sheet names from the
``process_efficiency`` catalogue, stage, bucket and method codes as words). A column
name means the same thing in every table: the Excel export shares one header map.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ...i18n import t
from ...i18n.formatting import format_month, format_value
from ...periods import period_end
from ...process import RECOVERY_INDEMNITY, SMALL_TEAM
from ..table_specs import code_labels, table_spec
from .inputs import ProcessInputs
from .kpis import TOTAL

__all__ = ["backlog_table", "cycle_table", "dpo_table", "exceptions_table", "overdue_table",
           "payments_table", "processing_table", "service_table", "terms_table"]

_ANALYSIS = "process_efficiency"


def _spec(df: pd.DataFrame, key: str, title: str, formats: dict[str, str],
          **extra: Any) -> dict[str, Any]:
    return table_spec(_ANALYSIS, df, key, title, formats, **extra)


def _labels(values: pd.Series, prefix: str) -> pd.Series:
    return code_labels(values, f"{_ANALYSIS}.{prefix}").astype("str")


def _reasons(reasons: pd.Series) -> list[str]:
    """A footnote per reason code found in the rows (« période non chargée »...)."""
    codes = sorted(set(reasons.dropna()))
    return [t(f"{_ANALYSIS}.reason.{code}") for code in codes]


def _window(start: str, end: str) -> str:
    """« octobre 2026 », or « 12 mois, nov. 2025 – oct. 2026 »."""
    if start == end:
        return format_month(end)
    return t(f"{_ANALYSIS}.window.r12", start=format_month(start, short=True),
             end=format_month(end, short=True))


def cycle_table(cycles: pd.DataFrame, d: ProcessInputs) -> dict[str, Any]:
    """Median, mean and 90th percentile of each stage of the month (calendar days), the
    median in working days; invoices left out for inconsistent dates only when any."""
    df = pd.DataFrame({
        "stage": _labels(cycles["stage"], "stage"), "invoices": cycles["n"],
        "median": cycles["median"], "mean": cycles["mean"], "p90": cycles["p90"],
        "median_wd": cycles["median_wd"], "n_excluded": cycles["n_excluded"],
    })
    notes = [t(f"{_ANALYSIS}.cycle.footnote"), t(f"{_ANALYSIS}.cycle.benchmark")]
    if df["n_excluded"].fillna(0).eq(0).all():
        df = df.drop(columns="n_excluded")
    else:
        notes.append(t(f"{_ANALYSIS}.cycle.excluded"))
    formats = {"stage": "text", "invoices": "int", "median": "number:1", "mean": "number:1",
               "p90": "number:1", "median_wd": "number:1", "n_excluded": "int"}
    return _spec(df, "cycle", t(f"{_ANALYSIS}.table.cycle", month=format_month(d.period)),
                 {k: v for k, v in formats.items() if k in df.columns},
                 footnotes=[*notes, *_reasons(cycles["reason"])])


def processing_table(processing: pd.DataFrame) -> dict[str, Any]:
    """Invoices approved by month with their touchless, exception and first-pass rates."""
    df = processing[["period", "processed", "touchless_rate", "exception_rate",
                     "first_pass_yield"]]
    formats = {"period": "month", "processed": "int", "touchless_rate": "percent",
               "exception_rate": "percent", "first_pass_yield": "percent"}
    return _spec(df, "processing", t(f"{_ANALYSIS}.table.processing"), formats,
                 footnotes=[t(f"{_ANALYSIS}.automation.footnote"),
                            t(f"{_ANALYSIS}.automation.benchmark"),
                            *_reasons(processing["reason"])])


def exceptions_table(exceptions: pd.DataFrame, d: ProcessInputs) -> dict[str, Any]:
    """Exceptions by reason over 12 months, most frequent first, with their cumulative
    share (the reasons as the invoice table writes them)."""
    df = exceptions[["rank", "exception_code", "invoices", "share_of_processed",
                     "cum_share"]]
    formats = {"rank": "int", "exception_code": "text", "invoices": "int",
               "share_of_processed": "percent", "cum_share": "percent"}
    return _spec(df, "exceptions",
                 t(f"{_ANALYSIS}.table.exceptions", month=format_month(d.period)), formats)


def payments_table(payments: pd.DataFrame, d: ProcessInputs, rows: int = 12) -> dict[str, Any]:
    """Invoices paid by month, on time (by count and amount), late and the cost of
    lateness at the run's penalty rate; latest month first."""
    df = payments[["period", "paid", "on_time_rate", "on_time_rate_amount", "late",
                   "avg_days_late", "interest", "indemnities", "exposure"]].iloc[::-1]
    formats = {"period": "month", "paid": "int", "on_time_rate": "percent",
               "on_time_rate_amount": "percent", "late": "int", "avg_days_late": "number:1",
               "interest": "money", "indemnities": "money", "exposure": "money"}
    note = t(f"{_ANALYSIS}.payments.footnote",
             rate=format_value(d.late_payment_rate, "percent:2"),
             indemnity=format_value(RECOVERY_INDEMNITY, "money0"))
    return _spec(df, "payments", t(f"{_ANALYSIS}.table.payments"), formats, max_rows=rows,
                 footnotes=[note, *_reasons(payments["reason"])])


def terms_table(terms: pd.DataFrame, d: ProcessInputs) -> dict[str, Any]:
    """Suppliers whose due dates exceed the legal cap (12 months), most invoices first."""
    df = pd.DataFrame({"vendor_id": terms["vendor_id"], "invoices": terms["invoices"],
                       "amount_beyond_cap": terms["amount"],
                       "max_term_days": terms["max_term_days"],
                       "max_days_over": terms["max_days_over"]})
    formats = {"vendor_id": "text", "invoices": "int", "amount_beyond_cap": "money0",
               "max_term_days": "int", "max_days_over": "int"}
    return _spec(df, "terms", t(f"{_ANALYSIS}.table.terms", month=format_month(d.period)),
                 formats, footnotes=[t(f"{_ANALYSIS}.payments.terms_footnote")])


def overdue_table(overdue: pd.DataFrame, d: ProcessInputs) -> dict[str, Any]:
    """The statutory table: unpaid invoices past due at month end by days late, their
    amount and share of the 12 months' purchases; the disputed ones last, apart."""
    df = pd.DataFrame({"bucket": _labels(overdue["bucket"], "bucket"),
                       "invoices": overdue["invoices"], "amount_overdue": overdue["amount"],
                       "share_of_purchases": overdue["share_of_purchases"]})
    formats = {"bucket": "text", "invoices": "int", "amount_overdue": "money",
               "share_of_purchases": "percent:2"}
    notes = [t(f"{_ANALYSIS}.overdue.footnote")]
    if (overdue["bucket"] == "disputed").any():
        notes.append(t(f"{_ANALYSIS}.overdue.disputed_note"))
    return _spec(df, "overdue", t(f"{_ANALYSIS}.table.overdue",
                                  date=format_value(period_end(d.period), "date")),
                 formats, footnotes=[*notes, *_reasons(overdue["reason"])])


def _basis(row: pd.Series) -> str:
    """What a DPO was computed on, in words."""
    if row["method"] == "ledger":
        return t(f"{_ANALYSIS}.dpo.basis_ledger",
                 payables=format_value(row["avg_payables"], "money0"),
                 purchases=format_value(row["amount"], "money0"))
    return t(f"{_ANALYSIS}.dpo.basis_invoices", invoices=format_value(row["invoices"], "int"),
             amount=format_value(row["amount"], "money0"))


def dpo_table(dpo: pd.DataFrame, d: ProcessInputs) -> dict[str, Any]:
    """DPO of the month and of 12 months by the invoice method, of 12 months by the
    balance method (ledger), with what each is computed on."""
    df = pd.DataFrame({
        "method": _labels(dpo["method"], "method"),
        "window": pd.Series([_window(s, e) for s, e in zip(dpo["start"], dpo["end"],
                                                           strict=True)], dtype="str"),
        "dpo": dpo["dpo"],
        "basis": pd.Series([_basis(row) for _, row in dpo.iterrows()], dtype="str"),
    })
    return _spec(df, "dpo", t(f"{_ANALYSIS}.table.dpo", month=format_month(d.period)),
                 {"method": "text", "window": "text", "dpo": "number:1", "basis": "text"},
                 footnotes=[t(f"{_ANALYSIS}.dpo.footnote"), t(f"{_ANALYSIS}.dpo.benchmark"),
                            *_reasons(dpo["reason"])])


def _teams(values: pd.Series) -> pd.Series:
    return values.mask(values == TOTAL, t(f"{_ANALYSIS}.total")).astype("str")


def service_table(levels: pd.DataFrame, d: ProcessInputs) -> dict[str, Any]:
    """Tickets opened and resolved by team in the month, SLA compliance, median and mean
    time to resolve, reopen and automation rates; all teams last."""
    df = pd.DataFrame({
        "team": _teams(levels["team"]), "opened": levels["opened"],
        "resolved": levels["resolved"], "sla_compliance": levels["sla_compliance"],
        "mttr_median_hours": levels["mttr_median_hours"],
        "mttr_mean_hours": levels["mttr_mean_hours"], "reopen_rate": levels["reopen_rate"],
        "automation_rate": levels["automation_rate"],
    })
    formats = {"team": "text", "opened": "int", "resolved": "int",
               "sla_compliance": "percent", "mttr_median_hours": "number:1",
               "mttr_mean_hours": "number:1", "reopen_rate": "percent",
               "automation_rate": "percent"}
    notes = [t(f"{_ANALYSIS}.service.footnote")]
    if (levels["reason"] == SMALL_TEAM).any():
        notes.append(t(f"{_ANALYSIS}.service.small", k=d.min_tickets))
    return _spec(df, "service", t(f"{_ANALYSIS}.table.service", month=format_month(d.period)),
                 formats, footnotes=notes)


def backlog_table(backlog: pd.DataFrame, d: ProcessInputs) -> dict[str, Any]:
    """Tickets open at month end by team and age, and those past their target time,
    with a total row."""
    df = backlog.assign(team=_teams(backlog["team"]))
    formats = {col: "int" for col in df.columns if col != "team"} | {"team": "text"}
    return _spec(df, "backlog", t(f"{_ANALYSIS}.table.backlog", month=format_month(d.period)),
                 formats, total_row=True, footnotes=[t(f"{_ANALYSIS}.service.backlog_footnote")])
