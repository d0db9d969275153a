"""The tables of the cost report, ready for ``show_table(**spec)``.

Each function turns a KPI frame of :mod:`.kpis` into the keyword arguments of
:func:`backoffice_lib.report.display.show_table`: the frame as shown (codes replaced by
their labels, flags as the language's letters), its sheet ``name`` in the Excel export,
``title``, ``headers`` and ``formats``, in the language in force. A column name has the
same header in every table (the Excel export shares one header map across sheets).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pandas as pd

from ... import finance
from ...i18n import t
from ...i18n.formatting import format_month, format_value, is_missing
from ...money import ZERO, as_money
from ...tables import MONEY
from ..table_specs import code_labels, table_spec
from .inputs import CostInputs
from .kpis import MOVER_AMOUNTS

__all__ = [
    "budget_table",
    "cost_per_fte_table",
    "cutoff_summary_table",
    "cutoff_table",
    "movers_table",
    "offices_split",
    "offices_table",
    "reconciliation_table",
    "trend_table",
    "vendors_table",
]

_OFFICES = ("back", "front", "other", "unclassified")


def _spec(df: pd.DataFrame, key: str, title: str, formats: dict[str, str],
          **extra: Any) -> dict[str, Any]:
    """``show_table`` keyword arguments; headers from ``costs.column.<column>``."""
    return table_spec("costs", df, key, title, formats, **extra)


_labels = code_labels


def _flags(values: pd.Series) -> pd.Series:
    """F/U codes → the language's letters (F/D in French)."""
    return values.map(lambda v: None if is_missing(v) else format_value(v, "flag")).astype("str")


def _notes(values: pd.Series) -> pd.Series:
    """Reason codes → their words (« non budgété »), empty when there is none."""
    return _labels(values, "finance.reason").astype("str")


def budget_table(bva: pd.DataFrame, d: CostInputs) -> dict[str, Any]:
    """Actual, budget, variance (F/U) and last year by category, with a total row."""
    df = pd.DataFrame({
        "category": _labels(bva["category"], "finance.category"),
        "actual": bva["actual"], "budget": bva["budget"], "var": bva["var"],
        "var_pct": bva["var_pct"], "flag": _flags(bva["flag"]),
        "prior_year": bva["prior_year"], "yoy_pct": bva["yoy_pct"],
        "note": _notes(bva["reason"]),
    })
    formats = {"actual": "money0", "budget": "money0", "var": "signed_money",
               "var_pct": "signed_percent", "flag": "flag", "prior_year": "money0",
               "yoy_pct": "signed_percent", "note": "text"}
    return _spec(df, "budget", t("costs.table.budget", month=format_month(d.period)), formats,
                 total_row=True)


def trend_table(trend: pd.DataFrame, rows: int = 12) -> dict[str, Any]:
    """Cost, budget, month-over-month change and R12 by month, latest first (``rows``
    shown, every month exported)."""
    df = trend[["period", "actual", "budget", "mom", "mom_pct", "r12"]].iloc[::-1]
    formats = {"period": "month", "actual": "money0", "budget": "money0", "mom": "signed_money",
               "mom_pct": "signed_percent", "r12": "money0"}
    return _spec(df, "trend", t("costs.table.trend"), formats, max_rows=rows)


def _money_sum(values: pd.Series) -> Decimal | None:
    """Exact sum; None when a value is missing (a month not loaded)."""
    if values.isna().any():
        return None
    return Decimal(as_money(values).sum()) if len(values) else ZERO


def _share(part: Decimal | None, whole: Decimal | None) -> float | None:
    if part is None or whole is None or whole == 0:
        return None
    return float(part / abs(whole))


def offices_split(offices: pd.DataFrame) -> pd.DataFrame:
    """Operating cost of the month and of the last 12 months by office, with shares.

    ``offices`` is :func:`finance.back_office_share` (one row per month, the period last).
    Returns ``office`` (code) ``, month_cost, month_share, r12_cost, r12_share``; the
    ``unclassified`` row only when it has cost.
    """
    month, last12 = offices.iloc[-1], offices.iloc[-12:]
    month_total = None if is_missing(month["total"]) else Decimal(month["total"])
    r12_total = _money_sum(last12["total"]) if len(last12) == 12 else None
    rows = []
    for office in _OFFICES:
        cost = None if is_missing(month[office]) else Decimal(month[office])
        r12 = _money_sum(last12[office]) if len(last12) == 12 else None
        if office == "unclassified" and not cost and not r12:
            continue
        rows.append({"office": office, "month_cost": cost, "month_share": _share(cost, month_total),
                     "r12_cost": r12, "r12_share": _share(r12, r12_total)})
    out = pd.DataFrame(rows)
    for col in ("month_cost", "r12_cost"):
        out[col] = out[col].astype(MONEY)
    return out.astype({"month_share": "float64", "r12_share": "float64"})


def offices_table(offices: pd.DataFrame) -> dict[str, Any]:
    """Back office, front office and other functions: month and R12 cost and shares."""
    split = offices_split(offices)
    df = split.assign(office=_labels(split["office"], "finance.office"))
    formats = {"office": "text", "month_cost": "money0", "month_share": "percent",
               "r12_cost": "money0", "r12_share": "percent"}
    return _spec(df, "offices", t("costs.table.offices"), formats, total_row=True)


def cost_per_fte_table(per_fte: pd.DataFrame, d: CostInputs) -> dict[str, Any]:
    """Cost, average FTE, headcount and annual cost per FTE by department; small
    departments show ``< k`` (the frame comes from :func:`.kpis.cost_per_fte`)."""
    department = per_fte["department"].mask(per_fte["department"] == "TOTAL",
                                            t("costs.chart.company"))
    df = pd.DataFrame({"department": department, "cost": per_fte["cost"],
                       "avg_fte": per_fte["avg_fte"], "n_people": per_fte["n_people"],
                       "cost_per_fte_annual": per_fte["cost_per_fte_annual"],
                       "suppressed": per_fte["suppressed"]})
    formats = {"department": "text", "cost": "money0", "avg_fte": "number:1", "n_people": "int",
               "cost_per_fte_annual": "money0"}
    return _spec(df, "cost_per_fte", t("costs.table.cost_per_fte", month=format_month(d.period)),
                 formats, suppressed="suppressed", suppression_k=d.min_group_size)


def movers_table(movers: pd.DataFrame, d: CostInputs) -> dict[str, Any]:
    """Top movers vs budget (F10) with their main accounts; blanked rows show ``< k``.
    The ``note`` column (reason codes in words: « non budgété ») only when a row has one."""
    df = pd.DataFrame({
        "rank": movers["rank"], "cost_center": movers["cost_center"],
        "cost_center_name": movers["cost_center_name"],
        "category": _labels(movers["category"], "finance.category"),
        "actual": movers["actual"], "budget": movers["base"], "var": movers["delta"],
        "var_pct": movers["delta_pct"], "flag": _flags(movers["flag"]),
        "note": _notes(movers["reason"]), "contributors": movers["contributors"],
    })
    if df["note"].isna().all():
        df = df.drop(columns="note")
    hidden = pd.DataFrame(False, index=df.index, columns=df.columns)
    shown_as = {"actual": "actual", "base": "budget", "delta": "var", "delta_pct": "var_pct",
                "flag": "flag"}
    for col in MOVER_AMOUNTS:
        hidden[shown_as[col]] = movers["suppressed"].to_numpy()
    formats = {"rank": "int", "actual": "money0", "budget": "money0", "var": "signed_money",
               "var_pct": "signed_percent", "flag": "flag", "note": "text"}
    note = t("costs.movers.footnote", amount=format_value(d.materiality_abs, "money0"),
             pct=format_value(d.materiality_pct, "percent:0"))
    return _spec(df, "movers", t("costs.table.movers", month=format_month(d.period)), formats,
                 suppressed=hidden, suppression_k=d.min_group_size, footnotes=[note])


def vendors_table(pareto: pd.DataFrame, d: CostInputs, rows: int = 15) -> dict[str, Any]:
    """Vendors by spend over 12 months with their share and cumulative share (``rows``
    shown, every vendor exported; spend without vendor last, unranked)."""
    df = pareto[["rank", "vendor_id", "spend", "share", "cum_share"]].copy()
    df["vendor_id"] = _labels(df["vendor_id"], "finance.vendor").astype("str")
    formats = {"rank": "int", "vendor_id": "text", "spend": "money0", "share": "percent",
               "cum_share": "percent"}
    return _spec(df, "vendors", t("costs.table.vendors", month=format_month(d.period)), formats,
                 max_rows=rows)


def cutoff_summary_table(exceptions: pd.DataFrame, d: CostInputs) -> dict[str, Any]:
    """Count and amount of exceptions per cut-off check (every check listed), with a total."""
    summary = finance.cutoff_summary(exceptions)
    df = summary.assign(check=_labels(summary["check"], "finance.cutoff_check"))
    formats = {"check": "text", "count": "int", "amount": "money"}
    return _spec(df, "cutoff_summary",
                 t("costs.table.cutoff_summary", month=format_month(d.period)), formats,
                 total_row=True)


_PERIOD = re.compile(r"\d{4}-\d{2}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_AMOUNT = re.compile(r"-?\d+\.\d{2}")


def _expected(value: object) -> object:
    """What a cut-off check expected, in words: a period « octobre 2026 », a date
    « 09/11/2026 », an amount « 0,00 € »; anything else (an account) as it is."""
    if is_missing(value):
        return value
    text = str(value)
    if _PERIOD.fullmatch(text):
        return format_month(text)
    if _DATE.fullmatch(text):
        return format_value(text, "date")
    if _AMOUNT.fullmatch(text):
        return format_value(Decimal(text), "money")
    return text


def cutoff_table(exceptions: pd.DataFrame, rows: int = 20) -> dict[str, Any]:
    """Each cut-off exception (``rows`` shown, all exported)."""
    columns = ["check", "period", "entry_id", "account", "vendor_id", "document_ref",
               "posting_date", "amount", "expected"]
    df = exceptions[columns].assign(check=_labels(exceptions["check"], "finance.cutoff_check"),
                                    expected=exceptions["expected"].map(_expected).astype("str"))
    formats = {"check": "text", "period": "month", "posting_date": "date", "amount": "money",
               "expected": "text"}
    return _spec(df, "cutoff", t("costs.table.cutoff"), formats, max_rows=rows)


def reconciliation_table(recon: pd.DataFrame, d: CostInputs) -> dict[str, Any]:
    """Ledger total, analysed total and difference (to the cent) for each table."""
    df = pd.DataFrame({"table": recon["table"], "scope": _labels(recon["scope"], "finance.scope"),
                       "ledger": recon["ledger"], "analysed": recon["analysed"],
                       "difference": recon["difference"]})
    formats = {"table": "text", "scope": "text", "ledger": "money", "analysed": "money",
               "difference": "money"}
    return _spec(df, "reconciliation",
                 t("costs.table.reconciliation", month=format_month(d.period)), formats)
