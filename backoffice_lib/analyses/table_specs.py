"""What every analysis's tables share: ``show_table`` arguments and code labels.

An analysis keeps its words in its own catalogue (``costs``, ``headcount``...): the
sheet name of a table under ``<analysis>.sheet.<key>`` and the header of a column under
``<analysis>.column.<column>``, the same header for a column in every table (the Excel
export shares one header map across sheets).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..i18n import catalogue, get_language, t
from ..i18n.formatting import is_missing

__all__ = ["code_labels", "table_spec"]


def table_spec(analysis: str, df: pd.DataFrame, key: str, title: str,
               formats: dict[str, str], **extra: Any) -> dict[str, Any]:
    """The keyword arguments of :func:`~backoffice_lib.report.display.show_table`:
    ``df`` (index reset), its sheet ``name`` (``<analysis>.sheet.<key>``), ``title``,
    ``headers`` (``<analysis>.column.<column>`` where the catalogue has one), ``formats``
    and any ``extra`` argument (``suppressed``, ``footnotes``...)."""
    words = catalogue(get_language())
    headers = {col: words[f"{analysis}.column.{col}"] for col in df.columns
               if f"{analysis}.column.{col}" in words}
    return {"df": df.reset_index(drop=True), "name": t(f"{analysis}.sheet.{key}"),
            "title": title, "headers": headers, "formats": formats, **extra}


def code_labels(values: pd.Series, prefix: str) -> pd.Series:
    """Codes → catalogue labels (``finance.category.personnel`` → « Charges de personnel »);
    a code the catalogue does not know is kept as it is."""
    words = catalogue(get_language())
    return values.map(lambda v: v if is_missing(v) else words.get(f"{prefix}.{v}", str(v)))
