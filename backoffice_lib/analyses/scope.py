"""The scope an analysis covers: the notebook's cost-centre filter, checked.

Every analysis notebook takes ``cost_center_filter`` (cost-centre codes, empty for the
whole company); :func:`cost_center_filter` checks it against the cost-centre master
data once, so that a typing mistake stops the report with the closest code instead of
silently producing an empty one.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..accounts import UNALLOCATED
from ..errors import ParameterError
from ..i18n import t
from ..params import did_you_mean

__all__ = ["cost_center_filter"]


def cost_center_filter(codes: Sequence[str] | None,
                       cost_centers: pd.DataFrame | None) -> tuple[str, ...] | None:
    """The filter as a tuple of codes (None when empty: every cost centre).

    Codes are stripped and de-duplicated; ``UNALLOCATED`` (lines or people without a
    cost centre) is always valid. Without master data the codes cannot be checked and
    are kept as given.

    Raises
    ------
    ParameterError
        A code is not in ``cost_centers`` (the message gives the closest one).
    """
    wanted = tuple(dict.fromkeys(str(c).strip() for c in codes or ()))
    if not wanted:
        return None
    if cost_centers is None:
        return wanted
    known = [*cost_centers["cost_center"].dropna().astype(str), UNALLOCATED]
    for code in wanted:
        if code not in known:
            raise ParameterError(detail=t("params.unknown_cost_center", code=code,
                                          hint=did_you_mean(code, known)))
    return wanted
