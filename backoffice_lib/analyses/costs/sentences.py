"""Short commentaries of the cost report, written from the figures in the language in force."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from ... import finance
from ...i18n import t
from ...i18n.formatting import format_month, format_value
from ...money import to_cents
from .inputs import CostInputs

__all__ = ["cutoff_sentence", "reconciliation_sentence", "vendors_sentence"]


def vendors_sentence(pareto: pd.DataFrame, top: int = 10) -> str:
    """« 34 fournisseurs sur 97 représentent 80 % des dépenses … ; les 10 premiers … »,
    plus a second paragraph on spend without vendor when there is any."""
    summary = finance.vendor_pareto_summary(pareto, top_n=top).iloc[0]
    text = t("costs.vendors.summary", needed=format_value(summary["n_vendors_threshold"], "int"),
             count=format_value(summary["n_vendors"], "int"),
             threshold=format_value(0.8, "percent:0"), top=format_value(top, "int"),
             top_share=format_value(summary["top_n_share"], "percent"))
    if summary["unknown_spend"] != 0:
        text += "\n\n" + t("costs.vendors.unknown",
                           amount=format_value(summary["unknown_spend"], "money0"),
                           share=format_value(summary["unknown_share"], "percent:2"))
    return text


def cutoff_sentence(exceptions: pd.DataFrame, d: CostInputs) -> str:
    """How many cut-off exceptions the month has and their amount (or that there are none)."""
    month = format_month(d.period)
    if exceptions.empty:
        return t("costs.cutoff.none", month=month)
    amount = Decimal(int(to_cents(exceptions["amount"]).fillna(0).sum())) / 100
    return t("costs.cutoff.summary", count=format_value(len(exceptions), "int"), month=month,
             amount=format_value(amount, "money"))


def reconciliation_sentence(recon: pd.DataFrame) -> str:
    """« Chaque tableau est rapproché du grand livre au centime près. », or the tables that
    do not tie and the largest difference."""
    gaps = recon[~recon["ties"]]
    if gaps.empty:
        return t("costs.reconciliation.ties")
    cents = to_cents(gaps["difference"]).abs()
    worst = gaps.loc[cents.idxmax()]
    return t("costs.reconciliation.gap", count=format_value(len(gaps), "int"),
             amount=format_value(worst["difference"], "signed_money:2"), table=worst["table"])
