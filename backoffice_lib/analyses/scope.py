"""The scope an analysis covers: the notebook's cost-centre filter, checked.

Every analysis notebook takes ``cost_center_filter`` (cost-centre codes, empty for the
whole company); :func:`cost_center_filter` checks it against the cost-centre master
data once, so that a typing mistake stops the report with the closest code instead of
silently producing an empty one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ..accounts import UNALLOCATED
from ..errors import ParameterError
from ..i18n import t
from ..params import did_you_mean

__all__ = ["checked_filter", "cost_center_filter"]


def checked_filter(values: Sequence[str] | None, known: Iterable[str] | None, error_key: str,
                   field: str = "code") -> tuple[str, ...] | None:
    """A notebook's filter (cost centres, warehouses, teams) as a tuple, None when empty.

    Values are stripped and de-duplicated, then checked against ``known`` (None: not
    checked, kept as given).

    Raises
    ------
    ParameterError
        A value is not in ``known``: the message ``error_key`` gets the value as ``field``
        and the closest known value as ``hint``.
    """
    wanted = tuple(dict.fromkeys(str(v).strip() for v in values or ()))
    if not wanted or known is None:
        return wanted or None
    known = list(known)
    for value in wanted:
        if value not in known:
            raise ParameterError(detail=t(error_key, **{field: value},
                                          hint=did_you_mean(value, known)))
    return wanted


def cost_center_filter(codes: Sequence[str] | None,
                       cost_centers: pd.DataFrame | None) -> tuple[str, ...] | None:
    """The cost-centre filter as a tuple of codes (None when empty: every cost centre).

    ``UNALLOCATED`` (lines or people without a cost centre) is always valid. Without
    master data the codes cannot be checked and are kept as given.

    Raises
    ------
    ParameterError
        A code is not in ``cost_centers`` (the message gives the closest one).
    """
    known = None if cost_centers is None else \
        [*cost_centers["cost_center"].dropna().astype(str), UNALLOCATED]
    return checked_filter(codes, known, "params.unknown_cost_center")
