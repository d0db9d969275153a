"""Finding the header row of a sheet: titles, blank rows, merged titles, two-row headers.

Works on the first rows of a sheet as text (``None`` for an empty cell), whatever the
format. Two modes:

- with a canonical table, the header is the row (or pair of rows) whose cells match
  the most of the table's header aliases;
- without one, it is the first row that is mostly text and about as wide as the rows
  of data below it (a title, alone in its merged cell, is not). A sheet whose first
  filled row is already data has no header; its columns are named by their letters.

A two-row header (``Montant`` merged over ``Débit | Crédit``) is read as one: the upper
row's text is carried right over the blanks of its merged cell and joined to the
text below (``Montant Débit``); matching also tries each row's text alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..tables import TableSpec, normalize_header

__all__ = ["Header", "cell_kind", "detect_header", "table_header_keys"]

_NUMBER = re.compile(r"^[-+(]?[\d\s\u00a0\u202f.,']+\)?\s*(%|€|eur)?-?$", re.IGNORECASE)
_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?)?$")
_MAX_SCAN = 40


@dataclass(frozen=True)
class Header:
    """A detected header.

    ``rows`` are the indices (in the scanned rows) of the header row(s), empty when the
    sheet has none; ``data_start`` the index of the first row after it; ``names`` one
    text per column (joined for two rows); ``variants`` per column the texts to try when
    matching aliases, best first (joined, lower row alone, upper row alone).
    """

    rows: tuple[int, ...]
    data_start: int
    names: tuple[str, ...]
    variants: tuple[tuple[str, ...], ...]
    score: int = 0


def cell_kind(value: str | None) -> str:
    """``empty``, ``number``, ``date`` or ``text`` for one cell written as text."""
    if value is None:
        return "empty"
    v = value.strip()
    if not v:
        return "empty"
    if len(v) > 64:
        return "text"  # no number or date is that long (and a huge cell must stay cheap)
    if _DATE.match(v):
        return "date"
    if any(c.isdigit() for c in v) and _NUMBER.match(v):
        return "number"
    return "text"


def table_header_keys(spec: TableSpec) -> dict[str, str]:
    """Normalised header → canonical column, including debit/credit and split-name parts."""
    keys: dict[str, str] = {}
    for col in spec.columns:
        for key in col.header_keys():
            keys.setdefault(key, col.name)
    for target, (left, right) in {**spec.signed_pairs, **spec.joined}.items():
        # Each side counts on its own: Débit + Crédit match better than Montant alone.
        for side, aliases in (("1", left), ("2", right)):
            for alias in aliases:
                keys.setdefault(normalize_header(alias), f"{target}:{side}")
    return keys


def _texts(row: list[str | None]) -> list[str]:
    return ["" if v is None else str(v).strip() for v in row]


def _carry_right(upper: list[str], lower: list[str]) -> list[str]:
    """Spread a merged upper cell's text over the blanks to its right that have text below."""
    out = list(upper)
    current = ""
    for i, text in enumerate(upper):
        if text:
            current = text
        elif current and i < len(lower) and lower[i]:
            out[i] = current
        else:
            current = ""
    return out


def _two_row(upper: list[str], lower: list[str]) -> tuple[list[str], list[tuple[str, ...]]]:
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    spread = _carry_right(upper, lower)
    names, variants = [], []
    for top, bottom in zip(spread, lower, strict=True):
        joined = " ".join(t for t in (top, bottom) if t)
        names.append(joined)
        variants.append(tuple(dict.fromkeys(v for v in (joined, bottom, top) if v)))
    return names, variants


def _match_count(variants: list[tuple[str, ...]], keys: dict[str, str]) -> int:
    found = set()
    for options in variants:
        for text in options:
            target = keys.get(normalize_header(text))
            if target and target not in found:
                found.add(target)
                break
    return len(found)


def _header(rows: list[list[str | None]], idx: tuple[int, ...], score: int = 0) -> Header:
    if len(idx) == 2:
        names, variants = _two_row(_texts(rows[idx[0]]), _texts(rows[idx[1]]))
    else:
        names = _texts(rows[idx[0]])
        variants = [(n,) if n else () for n in names]
    return Header(idx, idx[-1] + 1, tuple(names), tuple(variants), score)


def _detect_for_table(rows: list[list[str | None]], keys: dict[str, str],
                      numbers: list[int] | None) -> Header | None:
    best: Header | None = None
    for i in range(min(len(rows), _MAX_SCAN)):
        texts = _texts(rows[i])
        if sum(1 for t in texts if t) == 0:
            continue
        one = _match_count([(t,) for t in texts if t], keys)
        candidates = [((i,), one)]
        if i + 1 < len(rows) and _adjacent(numbers, i, i + 1):
            names, variants = _two_row(texts, _texts(rows[i + 1]))
            two = _match_count(variants, keys)
            lower = _match_count([(t,) for t in _texts(rows[i + 1]) if t], keys)
            if two > max(one, lower):
                candidates.append(((i, i + 1), two))
        for idx, score in candidates:
            if best is None or score > best.score:
                best = _header(rows, idx, score)
    return best if best is not None and best.score > 0 else None


def _all_text(kinds: list[str]) -> bool:
    filled = [k for k in kinds if k != "empty"]
    return bool(filled) and all(k == "text" for k in filled)


def _group_labels(upper: list[str], lower: list[str]) -> bool:
    """True when ``upper`` reads as the top row of a two-row header above ``lower``.

    Each upper label must sit above a blank lower cell (a cell merged down) or span the
    blanks to its right over lower labels (a cell merged across): ``Montant`` over
    ``Débit | Crédit``. A note line above a header ("or | merging | ... | cells") is not.
    """
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    spans = 0
    for c, text in enumerate(upper):
        if not text:
            continue
        if not lower[c]:
            continue
        if c + 1 < width and not upper[c + 1] and lower[c + 1]:
            spans += 1
            continue
        return False
    return spans > 0


def _detect_free(rows: list[list[str | None]], numbers: list[int] | None) -> Header | None:
    kinds = [[cell_kind(v) for v in row] for row in rows[:_MAX_SCAN + 20]]
    filled = [sum(1 for k in row if k != "empty") for row in kinds]
    nonempty = [i for i, f in enumerate(filled) if f]
    if not nonempty:
        return None
    # The table's width: most rows of a sheet are table rows, even below a long preamble.
    counts = sorted(filled[i] for i in nonempty)
    width = counts[int(0.75 * (len(counts) - 1))]
    wide = [i for i in nonempty if filled[i] >= max(1, 0.5 * width)
            and not (filled[i] == 1 and width >= 2)]
    if not wide or wide[0] >= _MAX_SCAN:
        return None

    def header_like(i: int) -> bool:
        texts = [t for t in _texts(rows[i]) if t]
        return _all_text(kinds[i]) and len(set(texts)) >= 0.5 * len(texts)

    first = wide[0]
    if not header_like(first):
        return None  # the first table row is data: no header
    block = [first]
    data_found = False
    for i in wide[1:]:
        if header_like(i):
            block.append(i)
        else:
            data_found = True
            break
    # Notes above the header ("some notes | at the top") are text rows too: the header is
    # the last of a short run of text rows above the data; a long run is all-text data.
    chosen = block[-1] if data_found and len(block) <= 4 else first
    upper = chosen - 1
    if upper >= 0 and _adjacent(numbers, upper, chosen) and filled[upper] >= 2 \
            and _all_text(kinds[upper]) \
            and _group_labels(_texts(rows[upper]), _texts(rows[chosen])):
        return _header(rows, (upper, chosen))
    return _header(rows, (chosen,))


def _adjacent(numbers: list[int] | None, i: int, j: int) -> bool:
    """Rows ``i`` and ``j`` of the scan are consecutive rows of the sheet."""
    if numbers is None:
        return j == i + 1
    return j < len(numbers) and numbers[j] == numbers[i] + 1


def detect_header(rows: list[list[str | None]], spec: TableSpec | None = None,
                  numbers: list[int] | None = None) -> Header | None:
    """The header of ``rows`` (the first non-empty rows of a sheet, as text), or ``None``.

    ``numbers`` are the rows' positions in the sheet (to know which rows touch); with
    ``spec``, the best match of the table's aliases (``None`` when no cell matches);
    without, the header-like row above the data (``None`` for a headerless sheet).
    """
    if spec is not None:
        return _detect_for_table(rows, table_header_keys(spec), numbers)
    return _detect_free(rows, numbers)


def header_at(rows: list[list[str | None]], index: int) -> Header:
    """The header the caller named (``header_row=`` option), as a one-row header."""
    return _header(rows, (index,))
