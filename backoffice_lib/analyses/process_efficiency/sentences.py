"""Short commentaries of the process-efficiency report, written from the figures in the
language in force. A section whose table is missing says so here."""

from __future__ import annotations

import pandas as pd

from ...i18n import t
from ...i18n.formatting import format_month, format_value, is_missing
from ...periods import period_end
from .inputs import ProcessInputs
from .kpis import HEADLINE_STAGE, TOTAL

__all__ = ["automation_sentence", "cycle_sentence", "dpo_sentence", "overdue_sentence",
           "payments_sentence", "service_sentence"]

_ANALYSIS = "process_efficiency"


def _missing(table: str) -> str:
    return t(f"{_ANALYSIS}.missing.{table}")


def _row(frame: pd.DataFrame, column: str, value: object) -> pd.Series | None:
    rows = frame[frame[column] == value]
    return None if rows.empty else rows.iloc[0]


def cycle_sentence(cycles: pd.DataFrame, d: ProcessInputs) -> str:
    """« En octobre 2026, 891 factures ont été validées 3,0 jours (médiane) après leur
    réception ; 90 % l'ont été en 24,0 jours au plus. 674 factures ont été payées, 48,0
    jours (médiane) après leur réception. »"""
    if not d.has_invoices:
        return _missing("supplier_invoices")
    month = format_month(d.period)
    approved = _row(cycles, "stage", HEADLINE_STAGE)
    paid = _row(cycles, "stage", "receipt_to_payment")
    if approved is None or is_missing(approved["median"]):
        return t(f"{_ANALYSIS}.cycle.none", month=month)
    text = t(f"{_ANALYSIS}.cycle.summary", month=month,
             count=format_value(approved["n"], "int"),
             median=format_value(approved["median"], "number:1"),
             p90=format_value(approved["p90"], "number:1"))
    if paid is not None and not is_missing(paid["median"]):
        text += " " + t(f"{_ANALYSIS}.cycle.paid", count=format_value(paid["n"], "int"),
                        median=format_value(paid["median"], "number:1"))
    return text


def automation_sentence(processing: pd.DataFrame, exceptions: pd.DataFrame,
                        d: ProcessInputs) -> str:
    """The month's touchless and exception rates and the most frequent exception."""
    if not d.has_invoices:
        return _missing("supplier_invoices")
    month = processing.iloc[-1] if not processing.empty else None
    if month is None or is_missing(month["touchless_rate"]):
        return t(f"{_ANALYSIS}.automation.none", month=format_month(d.period))
    text = t(f"{_ANALYSIS}.automation.summary", month=format_month(d.period),
             touchless=format_value(month["touchless_rate"], "percent"),
             exceptions=format_value(month["exception_rate"], "percent"))
    if not exceptions.empty:
        top = exceptions.iloc[0]
        text += " " + t(f"{_ANALYSIS}.automation.top", reason=top["exception_code"],
                        share=format_value(top["share_of_exceptions"], "percent"))
    return text


def payments_sentence(payments: pd.DataFrame, terms: pd.DataFrame, d: ProcessInputs) -> str:
    """On-time rate of the month, the late payments and their cost, then the suppliers
    whose due dates exceed the legal cap (or that there are none)."""
    if not d.has_invoices:
        return _missing("supplier_invoices")
    month = payments.iloc[-1]
    if is_missing(month["on_time_rate"]):
        text = t(f"{_ANALYSIS}.payments.none", month=format_month(d.period))
    else:
        text = t(f"{_ANALYSIS}.payments.summary", month=format_month(d.period),
                 rate=format_value(month["on_time_rate"], "percent"),
                 late=format_value(month["late"], "int"),
                 days=format_value(month["avg_days_late"], "number:1"),
                 exposure=format_value(month["exposure"], "money0"))
    if terms.empty:
        return text + "\n\n" + t(f"{_ANALYSIS}.payments.terms_none")
    return text + "\n\n" + t(f"{_ANALYSIS}.payments.terms_some",
                             vendors=format_value(len(terms), "int"),
                             invoices=format_value(terms["invoices"].sum(), "int"))


def overdue_sentence(overdue: pd.DataFrame, d: ProcessInputs) -> str:
    """« Au 31/10/2026, 61 factures échues restent impayées, pour 380 911 € TTC (0,82 %
    des achats des 12 derniers mois). », then the invoices in dispute when shown apart."""
    if not d.has_invoices:
        return _missing("supplier_invoices")
    date = format_value(period_end(d.period), "date")
    total = _row(overdue, "bucket", "total")
    if total is None or total["invoices"] == 0:
        text = t(f"{_ANALYSIS}.overdue.none", date=date)
    else:
        text = t(f"{_ANALYSIS}.overdue.summary", date=date,
                 count=format_value(total["invoices"], "int"),
                 amount=format_value(total["amount"], "money0"),
                 share=format_value(total["share_of_purchases"], "percent:2"))
    disputed = _row(overdue, "bucket", "disputed")
    if disputed is not None and disputed["invoices"] > 0:
        text += " " + t(f"{_ANALYSIS}.overdue.disputed",
                        count=format_value(disputed["invoices"], "int"),
                        amount=format_value(disputed["amount"], "money0"))
    return text


def dpo_sentence(dpo: pd.DataFrame, d: ProcessInputs) -> str:
    """DPO over 12 months by the balance method (ledger) and by the invoice method;
    without the ledger, that the balance method needs it."""
    if dpo.empty:
        return _missing("dpo")
    ledger = _row(dpo, "method", "ledger")
    invoices = _row(dpo, "method", "invoices_r12")
    parts = []
    if ledger is not None:
        parts.append(t(f"{_ANALYSIS}.dpo.summary_ledger",
                       days=format_value(ledger["dpo"], "number:1")))
    if invoices is not None:
        parts.append(t(f"{_ANALYSIS}.dpo.summary_invoices",
                       days=format_value(invoices["dpo"], "number:1")))
    if d.gl_lines is None:
        parts.append(t(f"{_ANALYSIS}.dpo.no_ledger"))
    return " ".join(parts)


def service_sentence(levels: pd.DataFrame, backlog: pd.DataFrame, d: ProcessInputs) -> str:
    """Tickets resolved in the month, within their target time, median time to resolve,
    and the month-end backlog with those already past their target."""
    if not d.has_tickets:
        return _missing("service_requests")
    total = _row(levels, "team", TOTAL)
    month = format_month(d.period)
    if total is None or is_missing(total["sla_compliance"]):
        text = t(f"{_ANALYSIS}.service.none", month=month,
                 count=format_value(0 if total is None else total["resolved"], "int"))
    else:
        text = t(f"{_ANALYSIS}.service.summary", month=month,
                 count=format_value(total["resolved"], "int"),
                 rate=format_value(total["sla_compliance"], "percent"),
                 median=format_value(total["mttr_median_hours"], "number:1"))
    return text + " " + t(f"{_ANALYSIS}.service.backlog",
                          count=format_value(backlog["backlog"].sum(), "int"),
                          breached=format_value(backlog["sla_breached_open"].sum(), "int"))
