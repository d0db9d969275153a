"""KPI history: the headline KPIs of every close, in ``outputs/kpi_history.parquet``.

One row per (period, notebook, KPI key): ``period, notebook, key, label, value, kind,
generated_at``. ``value`` is a float (money as euros; ratios as fractions), NaN when the
KPI could not be computed; ``kind`` says how to format it (:mod:`~backoffice_lib.i18n.formatting`).

Each close replaces the rows of its own period (a ``--force`` re-run does not double
them) and writes the file atomically (temporary file, then ``os.replace``), so a reader
never sees half a file and an interrupted close leaves the previous history intact.
The index page and the reports show each KPI's trend from these rows.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from ..i18n.formatting import is_missing

__all__ = ["COLUMNS", "FILE_NAME", "append_history", "read_history", "rows_before", "tile_rows"]

FILE_NAME = "kpi_history.parquet"
COLUMNS = ["period", "notebook", "key", "label", "value", "kind", "generated_at"]


def _float(value: object) -> float:
    if is_missing(value) or isinstance(value, bool):
        return float("nan")
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return float("nan")


def tile_rows(tiles: Iterable[Any], *, period: str, notebook: str,
              generated_at: str) -> list[dict[str, Any]]:
    """History rows of a notebook's tiles (:class:`~backoffice_lib.report.tiles.Tile`)."""
    return [
        {"period": period, "notebook": notebook, "key": tile.key, "label": tile.label,
         "value": _float(tile.value), "kind": tile.kind, "generated_at": generated_at}
        for tile in tiles
    ]


def _frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=COLUMNS)
    return frame.astype({"period": "str", "notebook": "str", "key": "str", "label": "str",
                         "value": "float64", "kind": "str", "generated_at": "str"})


def read_history(path: str | Path) -> pd.DataFrame:
    """The history at ``path`` (an empty table with :data:`COLUMNS` if there is none)."""
    path = Path(path)
    if not path.is_file():
        return _frame([])
    return _frame(pd.read_parquet(path).to_dict("records"))


def rows_before(history: pd.DataFrame, notebook: str, period: str) -> tuple[dict[str, Any], ...]:
    """Rows of ``notebook`` for periods before ``period``, as plain records."""
    mask = (history["notebook"] == notebook) & (history["period"] < period)
    return tuple(history.loc[mask, COLUMNS].to_dict("records"))


def append_history(path: str | Path, rows: Sequence[Mapping[str, Any]], period: str
                   ) -> pd.DataFrame:
    """Replace the rows of ``period`` by ``rows`` and write the file atomically."""
    path = Path(path)
    if not rows and not path.is_file():
        return _frame([])  # nothing to remember yet: no file
    history = read_history(path)
    history = history[history["period"] != period]
    new = _frame(rows)
    combined = new if history.empty else pd.concat([history, new], ignore_index=True)
    combined = combined.sort_values(["period", "notebook", "key"], kind="stable")
    combined = combined.reset_index(drop=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        combined.to_parquet(tmp, index=False)
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp made it 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return combined
