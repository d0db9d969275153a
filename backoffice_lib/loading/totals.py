"""Totals rows: found, set aside, reported; never counted as data.

A row is a totals row when one of its text cells is a totals label (``Total``,
``TOTAL GÉNÉRAL``, ``Sous-total``, ``Grand total``, ``Totaux``...) **and** either

- one of its numbers equals the sum of the rows above it (since the previous totals
  row, or since the top of the table) — the strong signal; or
- it leaves empty most of the cells a data row fills (no date, no account...): the
  label and the amounts, nothing else.

The label alone is not enough: ``Total Energies`` is a supplier, and its invoice line has
a date, an account and an amount of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..tables import normalize_header
from .lanes import edge_bytes, string_bytes
from .lanes import to_mask as _mask
from .raw import RawTable
from .values import is_text, parse_float

__all__ = ["TotalRow", "find_total_rows"]

_LABEL = re.compile(
    r"^(sous total|sous totaux|total|totaux|total general|grand total|subtotal|sub total|"
    r"montant total|total des?|sum|somme|cumul)( [a-z0-9 ]{0,40})?$"
)
_TOLERANCE = 0.005
_FIRST_LETTERS = ("to", "so", "gr", "su", "cu")
_FIRST_CODES = np.array([ord(a) << 8 | ord(b) for a, b in _FIRST_LETTERS])
_PREFIX = r"(?i)^\s*(sous[- ]?|grand |sub[- ]?)?tota|^\s*somme|^\s*sum\b|^\s*cumul"


@dataclass(frozen=True)
class TotalRow:
    """A totals row: its position in the table, the label's column letter and text."""

    position: int
    letter: str
    label: str


def _labels(raw: RawTable) -> dict[int, tuple[str, str]]:
    """Row position → (letter, text) of the first totals label in that row."""
    text = [c for c in raw.columns if is_text(c.values)]
    n = len(raw)
    if not text or not n:
        return {}
    found: dict[int, tuple[str, str]] = {}
    # Few columns: one pass each; many narrow columns: one pass over them all, joined.
    groups = [[c] for c in text] if len(text) <= 32 else [text]
    hits: list[tuple[int, int]] = []
    offset = 0
    for group in groups:
        values = group[0].values if len(group) == 1 else pa.concat_arrays(
            [c.values.cast(pa.string()) for c in group])
        for flat in _label_candidates(values):
            hits.append(divmod(offset + int(flat), n))
        offset += len(group) * n
    for j, pos in sorted(hits, key=lambda h: (h[1], h[0])):
        value = text[j].values[pos].as_py()
        if pos not in found and _LABEL.match(normalize_header(value[:200])):
            found[pos] = (text[j].letter, value.strip())
    return found


def _label_candidates(values: pa.Array) -> np.ndarray:
    """Positions of cells that start like a totals label (cheap two-letter test, then regex).

    The two-letter test reads the first two bytes of every value at once: setting bit 5
    lowers an ASCII letter's case, and the only bytes that then equal a lower-case
    letter are that letter in either case (a non-ASCII byte stays non-ASCII).
    """
    data, starts, lengths, _ = string_bytes(values)
    first, _ = edge_bytes(data, starts, lengths)  # 0 for an empty value
    low = first | 0x20
    lead = (low == ord("t")) | (low == ord("s")) | (low == ord("g")) | (low == ord("c"))
    two = np.flatnonzero(lead & (lengths >= 2))
    pair = (low[two].astype(np.int64) << 8) | (data[starts[two] + 1] | 0x20)
    maybe = np.union1d(np.flatnonzero(first == ord(" ")), two[np.isin(pair, _FIRST_CODES)])
    if not len(maybe):
        return maybe
    return maybe[_mask(pc.match_substring_regex(values.take(pa.array(maybe)), _PREFIX))]


def find_total_rows(raw: RawTable) -> list[TotalRow]:
    """Totals rows of ``raw`` (see the module docstring), top to bottom."""
    if not len(raw):
        return []
    labels = _labels(raw)
    if not labels:
        return []
    filled = ~raw.blank_cells().T
    numbers = np.full((len(raw), len(raw.columns)), np.nan)
    for j, col in enumerate(raw.columns):
        values, bad = parse_float(col.values)
        numbers[:, j] = np.where(bad, np.nan, values.to_numpy(zero_copy_only=False))
    typical = np.median(filled.sum(axis=1)) if len(raw) else 0
    candidates = sorted(labels)
    is_total = np.zeros(len(raw), dtype=bool)
    is_total[candidates] = True
    data = np.where(is_total[:, None], 0.0, np.nan_to_num(numbers))
    running = np.cumsum(data, axis=0)
    out = []
    last = -1
    for pos in candidates:
        row_numbers = numbers[pos]
        since_start = running[pos - 1] if pos > 0 else np.zeros(len(raw.columns))
        since_last = since_start - (running[last] if last >= 0 else 0.0)
        present = ~np.isnan(row_numbers)
        sums_match = present & (
            (np.abs(row_numbers - since_last) <= _TOLERANCE + 1e-9 * np.abs(row_numbers))
            | (np.abs(row_numbers - since_start) <= _TOLERANCE + 1e-9 * np.abs(row_numbers)))
        sparse = filled[pos].sum() <= max(2, 0.5 * typical)
        if (sums_match & (np.abs(row_numbers) > 0)).any() or sparse:
            letter, label = labels[pos]
            out.append(TotalRow(pos, letter, label))
            last = pos
    return out
