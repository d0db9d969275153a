"""The order in which the close hands notebooks to its workers: longest first.

With more notebooks than workers, the close ends when its last notebook ends. Started
last, a long notebook runs alone on one core while the others sit idle (four notebooks
on two cores: up to a quarter of the close). Handing out the longest first (the LPT rule
of job scheduling) leaves the short ones to fill in at the end.

How long a notebook takes is read from the previous close's ``manifest.json`` (the
same period when it is re-run, else the latest period before it, else the latest one):
its successful notebooks' ``seconds``. A notebook with no such figure (new, renamed,
failed last time, or no earlier close at all) keeps its place in the run parameters,
ahead of the timed ones: nothing says it is short. Without any earlier close, the
order is that of the parameters, so list the longest analyses first there.

The order only decides who starts first: the index, the manifest and the summary keep
the order of the parameters.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from .results import OK

__all__ = ["longest_first", "previous_durations"]

PERIOD_FOLDER = re.compile(r"^\d{4}-\d{2}$")


def _manifest_for(out_root: Path, period: str) -> Path | None:
    """The manifest of this period's previous close, else of the latest period before
    it, else of the latest period (None: no earlier close in ``out_root``)."""
    try:
        folders = sorted(p.name for p in out_root.iterdir()
                         if PERIOD_FOLDER.match(p.name) and (p / "manifest.json").is_file())
    except OSError:
        return None
    if not folders:
        return None
    earlier = [name for name in folders if name <= period]
    return out_root / (earlier[-1] if earlier else folders[-1]) / "manifest.json"


def previous_durations(out_root: Path, period: str) -> dict[str, float]:
    """Notebook name → seconds it ran in the previous close, successful runs only.

    Empty when there is no earlier close or its manifest cannot be read: the order of
    the notebooks is a matter of speed only, never a reason to stop the close.
    """
    manifest = _manifest_for(Path(out_root), period)
    if manifest is None:
        return {}
    try:
        notebooks = json.loads(manifest.read_text(encoding="utf-8")).get("notebooks") or []
        return {str(n["name"]): float(n["seconds"]) for n in notebooks
                if n.get("status") == OK and isinstance(n.get("seconds"), (int, float))}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def longest_first(names: Iterable[str], seconds: Mapping[str, float]) -> list[str]:
    """``names`` in the order to start them: the untimed ones first, in their given
    order, then the timed ones, longest first (ties keep their given order)."""
    listed = list(names)
    untimed = [name for name in listed if name not in seconds]
    timed = sorted((name for name in listed if name in seconds), key=lambda n: -seconds[n])
    return untimed + timed
