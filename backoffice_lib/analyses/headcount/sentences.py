"""Short commentaries of the headcount report, written from the figures in the language
in force. They only use figures the report shows: a hidden count reads « moins de 5 »."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ...i18n import t
from ...i18n.formatting import format_month, format_value, is_missing
from ...money import to_cents
from .inputs import HeadcountInputs

__all__ = ["payroll_sentence", "summary_sentence", "tenure_sentence"]


def _count(value: object, k: int) -> str:
    """« 12 » or, for a hidden count, « moins de 5 »."""
    if is_missing(value):
        return t("headcount.fewer_than", k=k)
    return format_value(value, "int")


def summary_sentence(headline: Mapping[str, object], bridge: pd.DataFrame,
                     d: HeadcountInputs) -> str:
    """« Fin octobre 2026, l'effectif est de 503 personnes (496,3 ETP) : 4 embauches et
    moins de 5 départs sur le mois. Rotation sur 12 mois : 14,2 %. »"""
    if headline["headcount"] is None:
        return t("headcount.summary.hidden", k=d.min_group_size)
    month = bridge.loc[bridge["window"] == "month"].iloc[0]
    text = t("headcount.summary.month", month=format_month(d.period),
             headcount=format_value(headline["headcount"], "int"),
             fte=format_value(headline["fte"], "number:1"),
             hires=_count(month["hires"], d.min_group_size),
             leavers=_count(month["leavers"], d.min_group_size))
    if headline["turnover_r12"] is not None:
        text += " " + t("headcount.summary.turnover",
                        rate=format_value(headline["turnover_r12"], "percent"))
    return text


def tenure_sentence(summary: Mapping[str, float | None]) -> str:
    """« Ancienneté moyenne : 9,1 ans ; médiane : 7,4 ans. »"""
    if summary["mean_years"] is None:
        return t("headcount.tenure.hidden")
    return t("headcount.tenure.summary",
             mean=format_value(summary["mean_years"], "number:1"),
             median=format_value(summary["median_years"], "number:1"))


def payroll_sentence(recon: pd.DataFrame, d: HeadcountInputs) -> str:
    """Whether payroll ties to the ledger each month, or the months that do not."""
    if recon.empty:
        return t("headcount.payroll.unavailable")
    gaps = recon[~recon["ties"]]
    if gaps.empty:
        return t("headcount.payroll.ties")
    worst = (to_cents(gaps["gross_difference"]).abs()
             + to_cents(gaps["charges_difference"]).abs()).idxmax()
    return t("headcount.payroll.gap", count=format_value(len(gaps), "int"),
             month=format_month(gaps.loc[worst, "period"]))
