"""``backoffice validate``: load input files, validate them, print the report.

Two modes:

- ``backoffice validate FILE --table NAME [--sheet S]``: one file, its own table's checks;
- ``backoffice validate --params parameters/close.yaml``: every input of a run, with the
  rules across tables.

Exit codes: 0 no error (warnings allowed), 1 errors found (report printed), 2 a file
cannot be read or the arguments are wrong (one line on stderr, no traceback).
"""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError, ParameterError
from ..i18n import t, use_language
from ..tables import TABLES
from . import validate
from .report import ValidationReport

__all__ = ["run_validate"]

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2


def _file_report(file: Path, table: str | None, sheet: str | None,
                 lang: str | None) -> ValidationReport:
    if table is None or table not in TABLES:
        raise ParameterError(detail=t("validation.cli.need_table", lang,
                                      tables=", ".join(sorted(TABLES))))
    from ..loading import load_table

    frame = load_table(file, table=table, sheet=sheet)
    return validate({table: frame}, lang=lang)


def _params_report(params, lang: str | None) -> ValidationReport:
    from ..loading import load_tables

    inputs = {name: spec.for_loader() for name, spec in params.inputs.items()}
    return validate(load_tables(inputs), lang=lang)


def _write_outputs(report: ValidationReport, html_out: Path | None, xlsx_out: Path | None,
                   lang: str | None) -> None:
    for path, write in ((html_out, report.to_html), (xlsx_out, report.to_excel)):
        if path is not None:
            written = write(path, lang)
            click.echo(t("validation.cli.written", lang, path=written), err=True)


def run_validate(
    file: Path | None = None,
    table: str | None = None,
    sheet: str | None = None,
    params_file: Path | None = None,
    html_out: Path | None = None,
    xlsx_out: Path | None = None,
    lang: str | None = None,
) -> int:
    """Validate ``file`` (as ``table``) or every input of ``params_file``; print the report.

    Messages are in ``lang`` (default: the run parameters' language, else the one in
    force). Returns the exit code: 0 no error, 1 errors found, 2 unreadable input or
    wrong arguments (printed as one ``Error: file › sheet › cell: message`` line).
    """
    try:
        with use_language(lang):
            if (file is None) == (params_file is None):
                key = "need_input" if file is None else "file_and_params"
                raise ParameterError(detail=t(f"validation.cli.{key}"))
            if params_file is not None:
                from ..params import load_params

                params = load_params(params_file)
                lang = lang or params.language
                with use_language(lang):
                    report = _params_report(params, lang)
            else:
                report = _file_report(Path(file), table, sheet, lang)
            click.echo(report.to_text(lang))
            _write_outputs(report, html_out, xlsx_out, lang)
    except (InputError, ParameterError) as exc:
        click.echo(f"Error: {exc.message(lang)}", err=True)
        return EXIT_UNREADABLE
    except OSError as exc:  # a report file that cannot be written
        click.echo(f"Error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        return EXIT_UNREADABLE
    return EXIT_CLEAN if report.ok else EXIT_PROBLEMS
