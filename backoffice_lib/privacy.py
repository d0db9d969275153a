"""Small-group suppression for people data (kpi-reference H17).

Primary suppression hides every value computed from 1 to ``k − 1`` people (``k = 5`` by
default, never lower); zero counts may be shown. Secondary (complementary) suppression
stops a hidden value from being recomputed by subtraction from a total: in every line
that adds up to a total shown (a row or column with a margin, or a breakdown whose total
is shown elsewhere), a lone suppressed cell gets a partner — the smallest non-suppressed
cell with people, a margin only as a last resort — and this repeats until no line has
exactly one suppressed cell.

The functions return the data with suppressed values set to NA plus flags, so the
report can print ``< 5`` (or "•") and never the value. Collapsing small teams into their
parent department before calling these is preferable; suppression is the fallback.

Example::

    table = finance.cost_per_fte(gl, employees, ccs, amap, periods, total=True)
    shown = suppress_small_groups(table, label_column="department")
    # shown["suppressed"] marks the rows to print as "< 5"; their values are NA
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ParameterError
from .i18n import t

__all__ = [
    "K_DEFAULT",
    "PRIMARY",
    "SECONDARY",
    "SuppressedTable",
    "check_k",
    "suppress_cells",
    "suppress_small_groups",
]

#: Minimum group size (kpi-reference H17): configurable upwards, never lower.
K_DEFAULT = 5
PRIMARY = "primary"
SECONDARY = "secondary"


def check_k(k: int) -> int:
    """Return ``k`` if it is an integer ≥ :data:`K_DEFAULT`, else raise :class:`ParameterError`."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < K_DEFAULT:
        raise ParameterError(detail=t("finance.invalid_k", value=k, minimum=K_DEFAULT))
    return int(k)


def _primary(counts: np.ndarray, k: int) -> np.ndarray:
    """Cells built from 1 to k − 1 people (NA counts are treated as 0)."""
    return (counts > 0) & (counts < k)


def _secondary(
    counts: np.ndarray, mask: np.ndarray, lines: list[np.ndarray], margin: np.ndarray
) -> np.ndarray:
    """Complementary suppression until no line has exactly one suppressed cell.

    Cells are flat positions; ``lines`` lists the positions that add up together;
    ``margin`` flags total cells (used only when nothing else is left).
    """
    mask = mask.copy()
    changed = True
    while changed:
        changed = False
        for line in lines:
            if mask[line].sum() != 1:
                continue
            free = line[~mask[line]]
            if not len(free):
                continue
            pick = min(free, key=lambda i: (margin[i], counts[i] <= 0, counts[i], i))
            mask[pick] = True
            changed = True
    return mask


def _count_array(counts: pd.Series | pd.DataFrame) -> np.ndarray:
    return np.asarray(counts.astype("float64").fillna(0).to_numpy(), dtype="float64")


def _blank(frame: pd.DataFrame, columns: Sequence[str], mask: pd.Series) -> pd.DataFrame:
    """Set ``columns`` to NA where ``mask``; integer columns become nullable first."""
    out = frame.copy()
    for col in columns:
        arrow = isinstance(out[col].dtype, pd.ArrowDtype)
        if pd.api.types.is_integer_dtype(out[col]) and not arrow:
            out[col] = out[col].astype("Int64")
        out[col] = out[col].mask(mask)
    return out


def suppress_small_groups(
    table: pd.DataFrame,
    count_column: str = "n_people",
    value_columns: Sequence[str] | None = None,
    *,
    k: int = K_DEFAULT,
    within: Sequence[str] | None = None,
    label_column: str | None = None,
    total_label: str = "TOTAL",
) -> pd.DataFrame:
    """Primary and secondary suppression on a tidy breakdown (one row per group).

    Parameters
    ----------
    table:
        One row per group (department, cost centre...), with a people count.
    count_column:
        Number of people behind each row (``n_people``).
    value_columns:
        Columns to hide; default every numeric column, the count included.
    k:
        Minimum group size, ≥ 5 (:func:`check_k`).
    within:
        Columns that split the table into independent breakdowns (e.g. ``period``):
        each one is a line whose total is assumed shown (here or in a linked table).
    label_column, total_label:
        When the table holds its own total row (``label_column == total_label``), that row
        is the line's margin: hidden only when no other row can be.

    Returns
    -------
    DataFrame
        ``table`` with hidden values set to NA, plus ``suppressed`` (bool) and
        ``suppression`` (``"primary"``, ``"secondary"`` or NA).
    """
    k = check_k(k)
    counts = _count_array(table[count_column])
    primary = _primary(counts, k)
    margin = np.zeros(len(table), dtype=bool)
    if label_column is not None:
        margin = (table[label_column] == total_label).fillna(False).to_numpy(dtype=bool)
    keys = list(within or [])
    positions = pd.Series(np.arange(len(table)), index=table.index)
    groups = positions.groupby([table[c] for c in keys]) if keys else [(None, positions)]
    lines = [np.asarray(group, dtype="int64") for _, group in groups]
    mask = _secondary(counts, primary, lines, margin)
    return _flagged(table, value_columns, mask, primary)


def _flagged(
    table: pd.DataFrame, value_columns: Sequence[str] | None, mask: np.ndarray, primary: np.ndarray
) -> pd.DataFrame:
    """Blank the hidden values and add the ``suppressed``/``suppression`` columns."""
    if value_columns is None:
        value_columns = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])
                         and not pd.api.types.is_bool_dtype(table[c])]
    hidden = pd.Series(mask, index=table.index)
    out = _blank(table, value_columns, hidden)
    how = np.where(primary, PRIMARY, np.where(mask, SECONDARY, None))
    out["suppressed"] = hidden
    out["suppression"] = pd.Series(how, index=table.index, dtype="str")
    return out


@dataclass(frozen=True)
class SuppressedTable:
    """A cross-table after suppression: ``values`` with NA where ``mask`` is True.

    ``primary`` flags the cells hidden for their own size; the others in ``mask`` are
    complementary (secondary) suppressions. All three share the input's labels.
    """

    values: pd.DataFrame
    mask: pd.DataFrame
    primary: pd.DataFrame


def suppress_cells(
    values: pd.DataFrame, counts: pd.DataFrame, *, k: int = K_DEFAULT, total_label: str = "TOTAL"
) -> SuppressedTable:
    """Primary and secondary suppression on a cross-table (e.g. department × job category).

    Parameters
    ----------
    values:
        The table to display (means, amounts, counts...), margins included if shown.
    counts:
        People behind each cell, same labels as ``values``.
    k:
        Minimum group size, ≥ 5.
    total_label:
        Label of the margin row and/or column (``"TOTAL"``). Rows add up to a total only
        when a total column exists, columns only when a total row exists; margin cells
        are hidden only when no interior cell of the line can be.

    Returns
    -------
    SuppressedTable
        ``values`` with NA on hidden cells, the ``mask`` of hidden cells and the
        ``primary`` mask.
    """
    k = check_k(k)
    counts = counts.reindex(index=values.index, columns=values.columns)
    n_rows, n_cols = values.shape
    flat = _count_array(counts).ravel()
    primary = _primary(flat, k)
    grid = np.arange(n_rows * n_cols).reshape(n_rows, n_cols)
    has_total_col = total_label in values.columns
    has_total_row = total_label in values.index
    lines = ([grid[i, :] for i in range(n_rows)] if has_total_col else [])
    lines += ([grid[:, j] for j in range(n_cols)] if has_total_row else [])
    margin = np.zeros((n_rows, n_cols), dtype=bool)
    margin[np.asarray(values.index == total_label), :] = True
    margin[:, np.asarray(values.columns == total_label)] = True
    mask = _secondary(flat, primary, lines, margin.ravel())
    as_frame = lambda a: pd.DataFrame(a.reshape(n_rows, n_cols), index=values.index,  # noqa: E731
                                      columns=values.columns)
    hidden = as_frame(mask)
    return SuppressedTable(values.mask(hidden), hidden, as_frame(primary))
