"""Byte-level fast lanes for the commonest shapes of text values.

A string array is an offsets buffer over one UTF-8 byte buffer; numpy can read fixed
positions of every value at once (a gather), where a regular expression costs a pass
per pattern and per value. These helpers answer only for the values of one exact
shape and say which; :mod:`.values` sends every other value down its general path, so
results are the same value for value:

- :func:`dmy_fixed` — ``dd/mm/yyyy`` (``/``, ``.`` or ``-``), ten ASCII bytes;
- :func:`decimal_cents` — unsigned ``digits[.digits]`` to int64 cents, the third
  decimal deciding the rounding (half away from zero);
- :func:`string_bytes`, :func:`edge_bytes` — the raw bytes of a string array, and the
  first and last byte of each value (what trimming and the totals-label test look at);
- :func:`to_mask` — a pyarrow boolean array as a numpy mask, null as False.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["decimal_cents", "dmy_fixed", "edge_bytes", "string_bytes", "to_mask"]

_ZERO = ord("0")
_DATE_SEPARATORS = np.array([ord("/"), ord("."), ord("-")], dtype=np.uint8)
_INT_DIGITS = 16  # money integer part: longer texts are refused before cents are computed
_ARROW_DIGITS = 30  # text up to this long is well inside decimal128's 38 digits


def to_mask(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """pyarrow boolean array → numpy bool, null → False (Kleene ``and`` with validity: no copy
    of the values through ``fill_null``)."""
    if arr.null_count:
        arr = pc.and_kleene(arr, pc.is_valid(arr))
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=bool)


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
    offsets = np.frombuffer(buffers[1], dtype=kind)[arr.offset:arr.offset + n + 1]
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None \
        else np.zeros(0, dtype=np.uint8)
    lengths = np.diff(offsets)
    if arr.null_count:
        lengths = np.where(valid, lengths, 0)
    return data, offsets[:-1], lengths, valid


def _fixed_width(data: np.ndarray, starts: np.ndarray, width: int) -> np.ndarray:
    """The ``width`` bytes of each value at ``starts`` (each that long), one row per value;
    a view of the buffer when the values lie back to back."""
    n = len(starts)
    if n and int(starts[-1]) - int(starts[0]) == width * (n - 1) \
            and (np.diff(starts) == width).all():
        return data[int(starts[0]):int(starts[0]) + width * n].reshape(n, width)
    return data[starts[:, None] + np.arange(width)]


def edge_bytes(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """First and last byte of each value (0 for an empty one)."""
    if not len(data):
        zeros = np.zeros(len(starts), dtype=np.uint8)
        return zeros, zeros
    if lengths.all():
        return data[starts], data[starts + lengths - 1]
    some = lengths > 0
    first = np.where(some, data[np.where(some, starts, 0)], 0)
    last = np.where(some, data[np.where(some, starts + lengths - 1, 0)], 0)
    return first.astype(np.uint8), last.astype(np.uint8)


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
    b = _fixed_width(data, starts[cand], 10)
    digits = b[:, [0, 1, 3, 4, 6, 7, 8, 9]] - np.uint8(_ZERO)  # wraps below '0': > 9 too
    ok = (digits <= 9).all(axis=1)
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

    Arrow casts the text to ``decimal128(38, 3)``, cutting (not rounding) further
    decimals; the unscaled value (< 10**19) is its low 64-bit word. Longer text (Arrow
    would overflow 38 digits without a word) goes through :func:`_digit_cents`.
    """
    if len(clean) and pc.max(pc.binary_length(clean)).as_py() > _ARROW_DIGITS:
        return _digit_cents(clean)
    thousandths = pc.cast(clean, pa.decimal128(38, 3), safe=False)
    if isinstance(thousandths, pa.ChunkedArray):
        thousandths = thousandths.combine_chunks()
    n = len(thousandths)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    words = np.frombuffer(thousandths.buffers()[1], dtype="<u8")
    low = words[2 * thousandths.offset:2 * (thousandths.offset + n):2]
    return (low // 10 + (low % 10 >= 5)).astype(np.int64)


def _digit_cents(clean: pa.Array) -> np.ndarray:
    """:func:`decimal_cents` from the bytes: each digit lands in a fixed-width matrix (16
    integer places right-aligned, then 3 decimals), read back column by column."""
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
