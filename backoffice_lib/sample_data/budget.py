"""The budget: EUR per cost centre, expense category and month.

It covers every month of the window and the rest of the fiscal year of ``end_period``
(fiscal year = calendar year). Each (cost centre, category) with costs gets a yearly plan,
the average monthly actual of that year (or of the previous one for months not yet in the
data) × 12 × a planning error of a few percent, phased by month (payroll peaks in March
and December, purchases follow the activity, the rest is flat). Amounts are whole euros,
costs positive. Exceptional costs (67) are never budgeted: they show as ``UNBUDGETED``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._random import stream
from .accounts import CATEGORIES, category_of
from .invoices import SEASONALITY
from .periods import Window

__all__ = ["PHASING", "make_budget"]

_FLAT = np.ones(12)
#: Monthly weights (January … December) of each category's yearly plan.
PHASING: dict[str, np.ndarray] = {
    "personnel": np.array([1, 1, 1.08, 1, 1, 1, 1, 1, 1, 1, 1, 1.85]),
    "purchases": SEASONALITY,
    "external_services": SEASONALITY,
}
_UNBUDGETED = {"exceptional"}


def make_budget(window: Window, gl: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Columns: period, cost_center, category (package code), amount_cents (whole euros)."""
    rng = stream(seed, "budget")
    costs = gl[gl["account"].str.startswith("6") & gl["cost_center"].notna()]
    actual = pd.DataFrame({
        "year": costs["posting_date"].dt.year.to_numpy(),
        "cost_center": costs["cost_center"].to_numpy(dtype=object),
        "category": [category_of(a) for a in costs["account"]],
        "period": costs["posting_date"].dt.strftime("%Y-%m").to_numpy(dtype=object),
        "amount_cents": costs["amount_cents"].to_numpy(),
    })
    actual = actual[~actual["category"].isin(_UNBUDGETED)]
    months_in_year = (pd.Series(window.periods).str[:4].astype(int).value_counts())
    yearly = actual.groupby(["year", "cost_center", "category"])["amount_cents"].sum()
    monthly_mean = yearly / months_in_year.reindex(yearly.index.get_level_values("year")).to_numpy()

    first_year = int(window.start_period[:4])
    last_year = int(window.end_period[:4])
    pairs = actual[["cost_center", "category"]].drop_duplicates()
    pairs = pairs.sort_values(["cost_center", "category"],
                              key=lambda s: s.map({c: i for i, c in enumerate(CATEGORIES)})
                              if s.name == "category" else s)
    rows = []
    for year in range(first_year, last_year + 1):
        for cc, cat in pairs.itertuples(index=False):
            base = monthly_mean.get((year, cc, cat), monthly_mean.get((year - 1, cc, cat)))
            if base is None or np.isnan(base) or base <= 0:
                continue
            plan = base * 12 * rng.normal(1.0, 0.04)
            weights = PHASING.get(cat, _FLAT)
            monthly = plan * weights / weights.sum()
            for month in range(12):
                period = f"{year}-{month + 1:02d}"
                if period < window.start_period:
                    continue
                rows.append((period, cc, cat, int(round(monthly[month] / 100)) * 100))
    budget = pd.DataFrame(rows, columns=["period", "cost_center", "category", "amount_cents"])
    budget = budget.sort_values(["period"], kind="stable").reset_index(drop=True)
    for col in ("period", "cost_center", "category"):
        budget[col] = budget[col].astype("str")
    budget["amount_cents"] = budget["amount_cents"].astype(np.int64)
    return budget
