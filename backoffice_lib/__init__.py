"""backoffice_lib — load, validate and analyse back-office spreadsheets.

The public API, importable from the package root::

    import backoffice_lib as bo
    gl = bo.load_table("data/sample/grand_livre.csv", table="gl_lines")
    report = bo.validate({"gl_lines": gl, "cost_centers": ccs})
    costs = bo.finance.costs_by(gl, cost_centers, account_map, by=["period", "category"])

Submodules with one job each: :mod:`~backoffice_lib.tables` (canonical tables),
:mod:`~backoffice_lib.loading` (reading any spreadsheet), :mod:`~backoffice_lib.validation`
(rules and report), :mod:`~backoffice_lib.finance` (cost KPIs), :mod:`~backoffice_lib.hr`
(people KPIs), :mod:`~backoffice_lib.stock` (stock KPIs), :mod:`~backoffice_lib.process`
(process-efficiency KPIs), :mod:`~backoffice_lib.analyses` (one package per report),
:mod:`~backoffice_lib.report` (formatting, charts, exports), :mod:`~backoffice_lib.close` (the
monthly close), :mod:`~backoffice_lib.i18n` (French and English).

Names are resolved lazily (PEP 562) so that ``import backoffice_lib`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# name -> module that defines it
_EXPORTS: dict[str, str] = {
    # errors
    "BackofficeError": "errors",
    "InputError": "errors",
    "MissingFileError": "errors",
    "UnsupportedFormatError": "errors",
    "PasswordProtectedError": "errors",
    "CorruptFileError": "errors",
    "EmptyFileError": "errors",
    "ResourceLimitError": "errors",
    "MissingSheetError": "errors",
    "HeaderNotFoundError": "errors",
    "MissingColumnError": "errors",
    "InputValidationError": "errors",
    "ParameterError": "errors",
    "ReportRunError": "errors",
    # tables and issues
    "TABLES": "tables",
    "Issue": "issues",
    # i18n
    "set_language": "i18n",
    "use_language": "i18n",
    # loading and validation
    "load_table": "loading",
    "load_tables": "loading",
    "list_sheets": "loading",
    "Limits": "loading",
    "validate": "validation",
    "ValidationReport": "validation",
}

_SUBMODULES = {
    "config", "errors", "tables", "issues", "provenance", "i18n", "loading", "validation",
    "periods", "money", "accounts", "hr", "privacy", "finance", "process", "report", "close",
    "params", "sample_data", "analyses", "stock",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module = importlib.import_module(f".{_EXPORTS[name]}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | _SUBMODULES)
