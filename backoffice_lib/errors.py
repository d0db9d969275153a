"""The one exception hierarchy of the package.

Every message says where the problem is (file › sheet › cell) and what to do about it,
in the language in force (:mod:`backoffice_lib.i18n`). Messages live in the catalogues
under ``errors.<key>``; an exception stores its key and parameters, so it can be
re-rendered in another language (``exc.message("en")``) and pickled across processes.

::

    BackofficeError
    ├── InputError                 a user's file cannot be used as it is
    │   ├── MissingFileError       the path does not exist or is not a file
    │   ├── UnsupportedFormatError not a spreadsheet or text table we can read
    │   ├── PasswordProtectedError encrypted workbook
    │   ├── CorruptFileError       damaged, truncated, or refused by the reader
    │   ├── EmptyFileError         no data at all
    │   ├── ResourceLimitError     beyond the configured limits (zip bomb, huge sheet, too slow)
    │   ├── MissingSheetError      the requested sheet is not in the workbook
    │   ├── HeaderNotFoundError    no row looks like a header
    │   ├── MissingColumnError     a required column of a canonical table is absent
    │   └── InputValidationError   the data breaks rules; carries the validation report
    ├── ParameterError             run parameters (YAML, CLI options) are invalid
    └── ReportRunError             a notebook or a close step failed
"""

from __future__ import annotations

from typing import Any

from .i18n import t

__all__ = [
    "BackofficeError",
    "CorruptFileError",
    "EmptyFileError",
    "HeaderNotFoundError",
    "InputError",
    "InputValidationError",
    "MissingColumnError",
    "MissingFileError",
    "MissingSheetError",
    "ParameterError",
    "PasswordProtectedError",
    "ReportRunError",
    "ResourceLimitError",
    "UnsupportedFormatError",
    "format_location",
]


def format_location(
    file: object = None, sheet: object = None, cell: object = None
) -> str:
    """``costs.xlsx › Ledger › D17`` from whichever parts are known (file shown by name)."""
    parts = []
    if file is not None:
        parts.append(getattr(file, "name", None) or str(file).replace("\\", "/").rsplit("/", 1)[-1])
    if sheet not in (None, ""):
        parts.append(str(sheet))
    if cell not in (None, ""):
        parts.append(str(cell))
    return " › ".join(parts)


class BackofficeError(Exception):
    """Root of every error the package raises on purpose.

    Parameters
    ----------
    key:
        Catalogue key under ``errors.`` (defaults to the class's ``key``).
    file, sheet, cell:
        Where the problem is; shown as ``file › sheet › cell`` before the message.
    **params:
        Values for the message's placeholders (already formatted as text).
    """

    key = "generic"
    #: Exit code of the CLI when this error stops a command.
    exit_code = 2

    def __init__(
        self,
        key: str | None = None,
        *,
        file: object = None,
        sheet: object = None,
        cell: object = None,
        **params: Any,
    ) -> None:
        self.key = key or type(self).key
        self.file = None if file is None else str(file)
        self.sheet = sheet
        self.cell = cell
        self.params = params
        super().__init__(self.message())

    def __reduce__(self):  # keyword-only constructor: pickle through a helper
        return (_rebuild, (type(self), self.key, self.file, self.sheet, self.cell, self.params))

    @property
    def location(self) -> str:
        """``file › sheet › cell``, as much of it as is known."""
        return format_location(self.file, self.sheet, self.cell)

    def message(self, lang: str | None = None) -> str:
        """The full message in ``lang`` (default: the language in force)."""
        text = t(f"errors.{self.key}", lang, **self.params)
        return f"{self.location}: {text}" if self.location else text

    def __str__(self) -> str:
        return self.message()


def _rebuild(cls, key, file, sheet, cell, params):
    return cls(key, file=file, sheet=sheet, cell=cell, **params)


class InputError(BackofficeError):
    """A user's file cannot be used as it is."""

    key = "input"


class MissingFileError(InputError):
    """The path does not exist or is not a regular file."""

    key = "missing_file"


class UnsupportedFormatError(InputError):
    """Not a spreadsheet or text table the package reads."""

    key = "unsupported_format"


class PasswordProtectedError(InputError):
    """The workbook is encrypted."""

    key = "password_protected"


class CorruptFileError(InputError):
    """The file is damaged or truncated, or its reader refused it."""

    key = "corrupt_file"


class EmptyFileError(InputError):
    """The file (or the chosen sheet) holds no data."""

    key = "empty_file"


class ResourceLimitError(InputError):
    """Reading would exceed a configured limit (size, cells, expansion ratio, time, memory)."""

    key = "resource_limit"


class MissingSheetError(InputError):
    """The requested sheet is not in the workbook."""

    key = "missing_sheet"


class HeaderNotFoundError(InputError):
    """No row of the sheet looks like a header."""

    key = "header_not_found"


class MissingColumnError(InputError):
    """A required column of a canonical table is absent."""

    key = "missing_column"


class InputValidationError(InputError):
    """The data breaks validation rules; ``report`` holds every problem found."""

    key = "validation_failed"
    exit_code = 1

    def __init__(self, key: str | None = None, *, report: Any = None, **kwargs: Any) -> None:
        self.report = report
        super().__init__(key, **kwargs)

    def __reduce__(self):
        return (_rebuild_validation, (self.key, self.report, self.file, self.params))


def _rebuild_validation(key, report, file, params):
    return InputValidationError(key, report=report, file=file, **params)


class ParameterError(BackofficeError):
    """Run parameters (YAML file, command-line options) are invalid."""

    key = "parameter"


class ReportRunError(BackofficeError):
    """A notebook or a step of the close failed."""

    key = "report_run"
    exit_code = 1
