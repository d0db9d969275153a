"""Tickets of the internal help desks: IT, HR and finance.

Tickets are opened on working days during office hours (Europe/Paris wall time, naive).
Each category has an SLA in calendar hours; resolution times are log-normal around a
share of the SLA, so that some tickets breach it. Tickets still unresolved at the end of
the window are open (no ``resolved_at``), including a few long-forgotten ones.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._random import stream
from .periods import Window

__all__ = ["TEAMS", "make_service_requests"]

#: Team (as the ticketing tool names it) → (ticket prefix, tickets per month at scale 1,
#: categories: (label, SLA hours, weight, share resolved automatically)).
TEAMS: dict[str, tuple[str, int, tuple[tuple[str, float, float, float], ...]]] = {
    "Informatique": ("DSI", 300, (
        ("Incident poste de travail", 8, 0.30, 0.0),
        ("Mot de passe / accès", 4, 0.25, 0.55),
        ("Demande de matériel", 72, 0.15, 0.0),
        ("Messagerie", 8, 0.10, 0.0),
        ("Réseau / VPN", 8, 0.10, 0.0),
        ("Logiciel métier", 24, 0.10, 0.0),
    )),
    "Ressources humaines": ("RH", 80, (
        ("Attestation employeur", 48, 0.30, 0.6),
        ("Question paie", 72, 0.30, 0.0),
        ("Congés / absences", 48, 0.20, 0.2),
        ("Mutuelle / prévoyance", 120, 0.10, 0.0),
        ("Formation", 120, 0.10, 0.0),
    )),
    "Finance": ("FIN", 60, (
        ("Note de frais", 72, 0.35, 0.3),
        ("Paiement fournisseur", 48, 0.25, 0.0),
        ("Création fournisseur", 48, 0.20, 0.0),
        ("Facturation client", 72, 0.10, 0.0),
        ("Question budget", 120, 0.10, 0.0),
    )),
}


def make_service_requests(window: Window, scale: int, seed: int) -> pd.DataFrame:
    """Columns: ticket_id, team, category, opened_at, resolved_at (NaT if open), sla_hours,
    reopened, automated."""
    rng = stream(seed, "helpdesk")
    days = window.working_days
    end = (window.end + np.timedelta64(1, "D")).astype("datetime64[m]")
    parts = []
    for team, (prefix, per_month, categories) in TEAMS.items():
        count = rng.poisson(per_month * scale * window.months)
        day = np.sort(rng.choice(days, size=count))
        minute = rng.normal(11.5 * 60, 150, count).clip(7.5 * 60, 18.5 * 60).astype(np.int64)
        opened = day.astype("datetime64[m]") + minute.astype("timedelta64[m]")
        opened.sort()
        cat = rng.choice(len(categories), size=count, p=[c[2] for c in categories])
        sla = np.array([c[1] for c in categories], dtype=float)[cat]
        auto_share = np.array([c[3] for c in categories])[cat]
        automated = rng.random(count) < auto_share
        hours = np.where(automated, rng.uniform(0.02, 0.5, count),
                         rng.lognormal(np.log(sla * 0.45), 0.75, count))
        reopened = ~automated & (rng.random(count) < 0.05)
        hours = np.where(reopened, hours * rng.uniform(1.3, 2.5, count), hours)
        forgotten = ~automated & (rng.random(count) < 0.004)
        resolved = opened + np.rint(hours * 60).astype("timedelta64[m]")
        resolved = np.where(forgotten | (resolved >= end), np.datetime64("NaT"), resolved)
        parts.append(pd.DataFrame({
            "ticket_id": [f"{prefix}-{i + 1:06d}" for i in range(count)],
            "team": team,
            "category": np.array([c[0] for c in categories], dtype=object)[cat],
            "opened_at": opened.astype("datetime64[s]"),
            "resolved_at": resolved.astype("datetime64[s]"),
            "sla_hours": sla,
            "reopened": reopened,
            "automated": automated,
        }))
    tickets = pd.concat(parts, ignore_index=True)
    tickets = tickets.sort_values(["opened_at", "ticket_id"], kind="stable").reset_index(drop=True)
    for col in ("ticket_id", "team", "category"):
        tickets[col] = tickets[col].astype("str")
    return tickets
