"""pandera schemas of the canonical tables, built from :mod:`backoffice_lib.tables`.

One :class:`pandera.pandas.DataFrameSchema` per canonical table, named after it
(``schema_for("gl_lines").name == "gl_lines"``). Every column of the table spec becomes a
pandera column; what the schema checks comes from the spec and from the few facts the
spec does not hold (:data:`BOUNDS`):

========================  ==============================  =================
what                      from                            rule code
========================  ==============================  =================
required column present   ``ColumnSpec.required``         ``MISSING_COLUMN``
no empty value            ``ColumnSpec.nullable``         ``MISSING_VALUE``
closed set of values      ``ColumnSpec.allowed``          ``INVALID_VALUE``
``YYYY-MM`` periods       kind ``period``                 ``INVALID_PERIOD``
numeric ranges            :data:`BOUNDS`                  ``OUT_OF_RANGE``
unique key                ``TableSpec.primary_key``       ``DUPLICATE_KEY``
========================  ==============================  =================

Each value check is named after its rule code, so a failure case names its rule.

Column *types* are checked by :func:`kind_matches`, outside pandera: pandera compares
dtypes exactly (``datetime64[ns]`` is not ``datetime64[us]``) and reports a wrong dtype
once per row, 200,000 failure cases for one float column of money. Here a wrong type is
one ``INVALID_TYPE`` issue per column, and the column's value checks are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
from pandas.api import types as ptypes

from ..i18n import t
from ..i18n.formatting import format_number
from ..tables import ColumnSpec, TableSpec, get_table

__all__ = ["BOUNDS", "PERIOD_PATTERN", "Bounds", "kind_matches", "schema_for"]

#: A valid period: ``2026-10``.
PERIOD_PATTERN = r"\d{4}-(?:0[1-9]|1[0-2])"


@dataclass(frozen=True)
class Bounds:
    """Allowed numeric range of a column; ``None`` leaves a side open.

    ``lower_open``/``upper_open`` exclude the bound itself (``fte`` is in ``(0, 1]``).
    """

    lower: float | None = None
    upper: float | None = None
    lower_open: bool = False
    upper_open: bool = False

    def within(self, values: pd.Series) -> pd.Series:
        """Boolean mask of the values inside the range (money compares as Decimal)."""
        exact = isinstance(values.dtype, pd.ArrowDtype)
        ok = pd.Series(True, index=values.index)
        if self.lower is not None:
            low = Decimal(str(self.lower)) if exact else self.lower
            ok &= (values > low) if self.lower_open else (values >= low)
        if self.upper is not None:
            high = Decimal(str(self.upper)) if exact else self.upper
            ok &= (values < high) if self.upper_open else (values <= high)
        return ok.astype(bool)

    def describe(self, lang: str | None = None) -> str:
        """``> 0 et ≤ 1`` / ``> 0 and ≤ 1`` in ``lang``."""
        parts = []
        if self.lower is not None:
            key = "gt" if self.lower_open else "ge"
            parts.append(t(f"validation.bounds.{key}", lang, value=_number(self.lower, lang)))
        if self.upper is not None:
            key = "lt" if self.upper_open else "le"
            parts.append(t(f"validation.bounds.{key}", lang, value=_number(self.upper, lang)))
        if len(parts) == 2:
            return t("validation.bounds.both", lang, lower=parts[0], upper=parts[1])
        return parts[0] if parts else ""


def _number(value: float, lang: str | None) -> str:
    return format_number(value, lang, decimals=0 if float(value).is_integer() else 2)


_NON_NEGATIVE = Bounds(lower=0)
_LINE_NUMBER = Bounds(lower=1)

#: Numeric ranges the table specs do not hold: table → column → bounds.
BOUNDS: dict[str, dict[str, Bounds]] = {
    "gl_lines": {"line_no": _LINE_NUMBER},
    "employees": {"fte": Bounds(lower=0, upper=1, lower_open=True)},
    "payroll": {"gross_salary": _NON_NEGATIVE, "employer_charges": _NON_NEGATIVE,
                "hours_paid": _NON_NEGATIVE},
    "absences": {"days": _NON_NEGATIVE},
    "items": {"unit_cost": _NON_NEGATIVE},
    "stock_movements": {"unit_cost": _NON_NEGATIVE},
    "cycle_counts": {"system_qty": _NON_NEGATIVE, "counted_qty": _NON_NEGATIVE,
                     "unit_cost": _NON_NEGATIVE},
    "order_lines": {"qty_ordered": _NON_NEGATIVE, "qty_shipped": _NON_NEGATIVE,
                    "line_no": _LINE_NUMBER},
    "service_requests": {"sla_hours": Bounds(lower=0, lower_open=True)},
}


# --------------------------------------------------------------------------- types


def _is_money(dtype: object) -> bool:
    return isinstance(dtype, pd.ArrowDtype) and pa_arrow.types.is_decimal(dtype.pyarrow_dtype)


_KIND_TESTS: dict[str, Callable[[object], bool]] = {
    "str": ptypes.is_string_dtype,
    "period": ptypes.is_string_dtype,
    "date": lambda d: ptypes.is_datetime64_dtype(d) and not isinstance(d, pd.ArrowDtype),
    "datetime": lambda d: ptypes.is_datetime64_dtype(d) and not isinstance(d, pd.ArrowDtype),
    "money": _is_money,
    "float": lambda d: ptypes.is_numeric_dtype(d) and not ptypes.is_bool_dtype(d)
    and not _is_money(d),
    "int": lambda d: ptypes.is_integer_dtype(d) and not _is_money(d),
    "bool": ptypes.is_bool_dtype,
}


def kind_matches(kind: str, values: pd.Series) -> bool:
    """Whether ``values`` can hold a column of ``kind`` (a column of NAs fits any kind).

    Lenient on purpose for frames built by hand: any datetime64 unit, any integer or
    float dtype for numbers, ``str`` or ``object`` for text, any Arrow decimal for money.
    """
    if _KIND_TESTS[kind](values.dtype):
        return True
    return bool(values.isna().all())


# --------------------------------------------------------------------------- schemas


def _check(rule: str, test: Callable[[pd.Series], pd.Series]) -> pa.Check:
    """A vectorised pandera check named after its rule code (NAs are not checked)."""
    return pa.Check(test, name=rule, ignore_na=True)


def _value_checks(table: str, column: ColumnSpec) -> list[pa.Check]:
    checks = []
    if column.allowed:
        allowed = list(column.allowed)
        checks.append(_check("INVALID_VALUE", lambda s: s.isin(allowed)))
    if column.kind == "period":
        checks.append(_check("INVALID_PERIOD",
                             lambda s: s.astype(str).str.fullmatch(PERIOD_PATTERN)))
    bounds = BOUNDS.get(table, {}).get(column.name)
    if bounds is not None:
        checks.append(_check("OUT_OF_RANGE", bounds.within))
    return checks


def _column(table: str, column: ColumnSpec) -> pa.Column:
    return pa.Column(
        dtype=None,
        checks=_value_checks(table, column),
        nullable=column.nullable,
        # A derived column can be rebuilt by the loader; a frame made by hand may lack it.
        required=column.required and column.derived is None,
        title=column.name,
        description=column.description or None,
        metadata={"kind": column.kind},
    )


def _build(spec: TableSpec) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {c.name: _column(spec.name, c) for c in spec.columns},
        unique=list(spec.primary_key) or None,
        report_duplicates="exclude_first",
        name=spec.name,
        description=spec.description,
    )


@cache
def schema_for(table: str) -> pa.DataFrameSchema:
    """The pandera schema of canonical table ``table`` (ValueError if unknown)."""
    return _build(get_table(table))
