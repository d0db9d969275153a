"""Byte-level fast lanes for the commonest shapes of text values.

A string array is an offsets buffer over one UTF-8 byte buffer; numpy can read fixed
positions of every value at once (a gather), where a regular expression costs a pass
per pattern and per value. These helpers answer only for the values of one exact
shape and say which; :mod:`.values` sends every other value down its general path, so
results are the same value for value:

- :func:`dmy_fixed` — ``dd/mm/yyyy`` (``/``, ``.`` or ``-``), ten ASCII bytes;
- :func:`decimal_cents` — unsigned ``digits[.digits]`` to int64 cents, rounded half up
  on the third decimal, like the text it replaces.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

__all__ = ["decimal_cents", "dmy_fixed", "string_bytes"]

_ZERO = ord("0")
_DATE_SEPARATORS = np.array([ord("/"), ord("."), ord("-")], dtype=np.uint8)
_INT_DIGITS = 16  # money integer part: longer texts are refused before cents are computed


def string_bytes(arr: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(data, starts, lengths, valid)`` of a string array: its bytes and where each value lies."""
    n = len(arr)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    valid = np.ones(n, dtype=bool) if arr.null_count == 0 else \
        np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=np.uint8), empty, empty, valid
    buffers = arr.buffers()
    kind = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(buffers[1], dtype=kind)[arr.offset:arr.offset + n + 1].astype(np.int64)
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None \
        else np.zeros(0, dtype=np.uint8)
    lengths = np.where(valid, np.diff(offsets), 0)
    return data, offsets[:-1], lengths, valid


def _gather(data: np.ndarray, starts: np.ndarray, width: int) -> np.ndarray:
    """The first ``width`` bytes of each value at ``starts`` (each that long), as a matrix."""
    return data[starts[:, None] + np.arange(width)].astype(np.int16)


def dmy_fixed(text: pa.Array) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Values written exactly ``dd/mm/yyyy`` → ``(mask, {"d", "m", "y": float arrays})``.

    Separators may be ``/``, ``.`` or ``-`` (each on its own); the components are as
    the day-first pattern of :mod:`.values` would extract them (NaN elsewhere).
    """
    data, starts, lengths, valid = string_bytes(text)
    n = len(starts)
    mask = np.zeros(n, dtype=bool)
    parts = {k: np.full(n, np.nan) for k in ("d", "m", "y")}
    cand = np.flatnonzero(valid & (lengths == 10))
    if not len(cand):
        return mask, parts
    b = _gather(data, starts[cand], 10)
    digits = b[:, [0, 1, 3, 4, 6, 7, 8, 9]] - _ZERO
    ok = ((digits >= 0) & (digits <= 9)).all(axis=1)
    ok &= np.isin(b[:, 2], _DATE_SEPARATORS) & np.isin(b[:, 5], _DATE_SEPARATORS)
    rows, d = cand[ok], digits[ok].astype(np.float64)
    mask[rows] = True
    parts["d"][rows] = d[:, 0] * 10 + d[:, 1]
    parts["m"][rows] = d[:, 2] * 10 + d[:, 3]
    parts["y"][rows] = d[:, 4] * 1000 + d[:, 5] * 100 + d[:, 6] * 10 + d[:, 7]
    return mask, parts


def decimal_cents(clean: pa.Array) -> np.ndarray:
    """Unsigned decimal text (``"1234.567"``, integer part ≤ 16 digits, no nulls) → int64
    cents, half away from zero: the third decimal decides, exactly as written.

    Every byte lands in a fixed-width digit matrix (16 integer places right-aligned, then
    3 decimals), read back column by column as cents.
    """
    data, starts, lengths, _ = string_bytes(clean)
    n = len(starts)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    total = int(lengths.sum())
    row = np.repeat(np.arange(n), lengths)
    pos = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    byte = data[np.repeat(starts, lengths) + pos].astype(np.int16)
    dot = byte == ord(".")
    dot_pos = np.full(n, -1, dtype=np.int64)
    dot_pos[row[dot]] = pos[dot]
    int_len = np.where(dot_pos >= 0, dot_pos, lengths)
    rel = pos - int_len[row]  # -k: k-th integer digit from the dot; +k: k-th decimal
    col = np.where(rel < 0, _INT_DIGITS + rel, _INT_DIGITS - 1 + rel)
    keep = ((rel < 0) & (rel >= -_INT_DIGITS)) | ((rel >= 1) & (rel <= 3))
    matrix = np.zeros((n, _INT_DIGITS + 3), dtype=np.uint8)
    matrix[row[keep], col[keep]] = byte[keep] - _ZERO
    cents = np.zeros(n, dtype=np.int64)
    for place in range(_INT_DIGITS + 2):  # 16 integer digits and 2 decimals, in cents
        cents += matrix[:, place].astype(np.int64) * 10 ** (_INT_DIGITS + 1 - place)
    return cents + (matrix[:, _INT_DIGITS + 2] >= 5)
