"""Internal service desks: IT, HR, finance tickets (kpi-reference P13).

- :func:`service_levels`: for the tickets resolved in each month, SLA compliance
  (``resolved_at − opened_at ≤ sla_hours``), throughput, mean and median time to
  resolve (MTTR; the median is the headline, the distribution is skewed), reopen and
  automation rates; tickets opened in the month alongside.
- :func:`service_backlog`: tickets open at a month end, by age bucket, and those of them
  already past their SLA (``sla_breached_open``).

Durations are calendar hours: the ticket table has no business-hours calendar per team
(P13 asks to say so). A reopened ticket is measured to its final resolution, which is
the ``resolved_at`` the table keeps. Tickets resolved before they were opened are left
out and counted in ``n_excluded`` (validation reports them: ``DATE_ORDER``).

A group (team) with fewer than ``min_tickets`` tickets resolved in a month shows its
counts only: rates and resolution times are NA with ``SMALL_TEAM`` (P13). A month
outside the months the table covers (``loaded_periods``, default every month from the
first to the last ``opened_at``) is NA with ``NOT_LOADED``.

Example::

    tickets = ticket_durations(service_requests)
    service_levels(service_requests, ["2026-10"], by=["team"], durations=tickets)
    service_backlog(service_requests, "2026-10", durations=tickets)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..periods import period_end, periods_of, validate_period
from ._common import (
    NO_POPULATION,
    NOT_LOADED,
    SMALL_TEAM,
    _describe,
    _grid,
    _loaded,
    _periods,
    _ratio,
)

__all__ = ["AGE_BUCKETS", "MIN_TICKETS", "service_backlog", "service_levels",
           "ticket_durations"]

#: Fewest tickets resolved in a month for a team's rates to be shown (P13).
MIN_TICKETS = 5
#: Backlog age buckets (*default*): (code, from, to) in days since opening, ``from``
#: included, ``to`` excluded (None: no end).
AGE_BUCKETS: tuple[tuple[str, float, float | None], ...] = (
    ("lt1", 0, 1), ("1_7", 1, 7), ("7_30", 7, 30), ("ge30", 30, None),
)
_COUNTS = ("within_sla", "reopened", "automated")


def ticket_durations(service_requests: pd.DataFrame) -> pd.DataFrame:
    """One row per ticket with its months, resolution time and flags.

    Returns
    -------
    DataFrame
        ``ticket_id, team, category, opened_at, resolved_at, sla_hours, reopened,
        automated`` (bool, NA → False) ``, opened_period, resolved_period`` (``YYYY-MM``)
        ``, hours`` (``resolved_at − opened_at`` in calendar hours; NaN when open or
        resolved before opened) ``, within_sla`` (``hours ≤ sla_hours``) ``, date_error``.
    """
    sr = service_requests[["ticket_id", "team", "category", "opened_at", "resolved_at",
                           "sla_hours", "reopened", "automated"]].reset_index(drop=True)
    hours = ((sr["resolved_at"] - sr["opened_at"]) / pd.Timedelta(hours=1)).astype("float64")
    error = (hours < 0).to_numpy(bool)
    hours = hours.mask(error)
    return sr.assign(
        reopened=sr["reopened"].fillna(False).astype(bool),
        automated=sr["automated"].fillna(False).astype(bool),
        opened_period=periods_of(sr["opened_at"]),
        resolved_period=periods_of(sr["resolved_at"]),
        hours=hours,
        within_sla=(hours <= sr["sla_hours"]).fillna(False).to_numpy(bool),
        date_error=error,
    )


def service_levels(
    service_requests: pd.DataFrame,
    periods: Sequence[str],
    *,
    by: Sequence[str] = ("team",),
    min_tickets: int = MIN_TICKETS,
    durations: pd.DataFrame | None = None,
    loaded_periods: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Service levels of the tickets resolved in each month, by ``by`` (``team``,
    ``category`` or nothing for all tickets together).

    Returns
    -------
    DataFrame
        One row per period and group (every group of the table in every period):
        ``period, <by>, opened, resolved`` (tickets) ``, within_sla, reopened,
        automated`` (tickets among the resolved) ``, sla_compliance, reopen_rate,
        automation_rate`` (fractions of the resolved) ``, mttr_mean_hours,
        mttr_median_hours`` (calendar hours) ``, n_excluded`` (resolved before opened)
        ``, reason``. For fewer than ``min_tickets`` resolved, every column after
        ``resolved`` but ``n_excluded`` is NA (``SMALL_TEAM``).
    """
    periods = _periods(periods)
    keys = list(by)
    tickets = ticket_durations(service_requests) if durations is None else durations
    loaded = _loaded(tickets["opened_at"], loaded_periods)
    done = tickets.loc[tickets["resolved_period"].isin(periods),
                       ["resolved_period", *keys, "ticket_id", "hours", "date_error", *_COUNTS]] \
        .rename(columns={"resolved_period": "period"})
    measured = done[~done["date_error"]]
    # one sum of the flag columns and one size on the same grouping: a named aggregation
    # runs one aggregation per output column (about 2.5 times the time)
    grouped = measured.groupby(["period", *keys], sort=False)
    counts = grouped[list(_COUNTS)].sum()
    counts.insert(0, "resolved", grouped.size())
    counts = counts.reset_index()
    stats = _describe(measured, ["period", *keys], "hours", p90=False)[
        ["period", *keys, "mean", "median"]]
    excluded = done[done["date_error"]].groupby(["period", *keys], sort=False).size() \
        .rename("n_excluded").reset_index()
    opened = tickets.loc[tickets["opened_period"].isin(periods), ["opened_period", *keys]] \
        .rename(columns={"opened_period": "period"}).groupby(["period", *keys], sort=False) \
        .size().rename("opened").reset_index()
    out = _grid(periods, tickets[keys] if keys else None)
    for part in (opened, counts, stats, excluded):
        out = out.merge(part, on=["period", *keys], how="left")
    covered = out["period"].isin(loaded)
    for col in ("opened", "resolved", *_COUNTS, "n_excluded"):
        out[col] = out[col].fillna(0).astype("Int64").where(covered)
    out["sla_compliance"] = _ratio(out["within_sla"], out["resolved"])
    out["reopen_rate"] = _ratio(out["reopened"], out["resolved"])
    out["automation_rate"] = _ratio(out["automated"], out["resolved"])
    out = out.rename(columns={"mean": "mttr_mean_hours", "median": "mttr_median_hours"})
    for col in ("mttr_mean_hours", "mttr_median_hours"):
        out[col] = out[col].where(covered)
    resolved = out["resolved"].fillna(0).to_numpy()
    small = covered.to_numpy(bool) & (resolved > 0) & (resolved < min_tickets)
    hidden = [*_COUNTS, "sla_compliance", "reopen_rate", "automation_rate",
              "mttr_mean_hours", "mttr_median_hours"]
    for col in hidden:
        out[col] = out[col].mask(small)
    reason = np.select([~covered.to_numpy(bool), resolved == 0, small],
                       [NOT_LOADED, NO_POPULATION, SMALL_TEAM], default=None)
    out["reason"] = pd.Series(reason, index=out.index, dtype="str")
    return out[["period", *keys, "opened", "resolved", *_COUNTS, "sla_compliance",
                "reopen_rate", "automation_rate", "mttr_mean_hours", "mttr_median_hours",
                "n_excluded", "reason"]]


def service_backlog(
    service_requests: pd.DataFrame,
    period: str,
    *,
    by: Sequence[str] = ("team",),
    buckets: Sequence[tuple[str, float, float | None]] = AGE_BUCKETS,
    durations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Tickets open at the end of ``period`` (opened by then, not resolved by then), by
    ``by`` and age in days since opening.

    Returns
    -------
    DataFrame
        One row per group (every group of the table): ``<by>, backlog`` (tickets)
        ``, age_<code>`` for each bucket of ``buckets`` ``, sla_breached_open`` (open
        tickets already older than their ``sla_hours``).
    """
    validate_period(period)
    keys = list(by)
    tickets = ticket_durations(service_requests) if durations is None else durations
    stop = pd.Timestamp(period_end(period)) + pd.Timedelta(days=1)
    open_ = tickets[(tickets["opened_at"] < stop)
                    & (tickets["resolved_at"].isna() | (tickets["resolved_at"] >= stop))]
    age = ((stop - open_["opened_at"]) / pd.Timedelta(days=1)).to_numpy("float64")
    columns = {"backlog": np.ones(len(open_), dtype="int64")}
    for code, low, high in buckets:
        columns[f"age_{code}"] = ((age >= low) & (age < (np.inf if high is None else high))) \
            .astype("int64")
    columns["sla_breached_open"] = (age * 24 > open_["sla_hours"].to_numpy("float64")) \
        .astype("int64")
    work = open_[keys].reset_index(drop=True).assign(**columns)
    if keys:
        groups = tickets[keys].drop_duplicates().sort_values(keys).reset_index(drop=True)
        out = groups.merge(work.groupby(keys, sort=False).sum().reset_index(), on=keys,
                           how="left")
    else:
        out = work.sum().to_frame().T
    for col in columns:
        out[col] = out[col].fillna(0).astype("Int64")
    return out[[*keys, *columns]].reset_index(drop=True)
