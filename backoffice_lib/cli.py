"""The ``backoffice`` command: one entry point, one subcommand per job.

Each command parses its options, calls one library function and prints a summary.
A :class:`~backoffice_lib.errors.BackofficeError` is shown as one clear line on
stderr, never a traceback, and sets the exit code (2 for a file that cannot be
read, 1 for data problems or a failed analysis).

Library modules are imported inside the commands so that ``backoffice --help``
stays instant.
"""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from . import config
from .errors import BackofficeError
from .i18n import LANGUAGES

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
LANG_OPTION = click.option(
    "--lang", type=click.Choice(LANGUAGES), default=None,
    help="Language of reports and messages (default: the run parameters, else fr).",
)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="backoffice-analytics")
def cli() -> None:
    """Back-office analytics: load and check spreadsheets, compute KPIs, publish the close."""
    # pandera imports hypothesis, when installed, for a feature no command uses (data
    # synthesis): 0.3 s of the first validation. Kept out of this process only (workers,
    # kernels and the reader are processes of their own).
    sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]


@cli.command("sample-data")
@click.option("--out", type=click.Path(path_type=Path), default=config.SAMPLE_DATA_DIR,
              show_default=True, help="Folder to write the files into.")
@click.option("--seed", type=int, default=7, show_default=True, help="Same seed, same data.")
@click.option("--months", type=click.IntRange(1, 120), default=24, show_default=True,
              help="Number of months of history.")
@click.option("--scale", type=click.IntRange(1, 100), default=1, show_default=True,
              help="Multiplies volumes (employees, ledger lines, invoices...).")
@click.option("--end-period", default=config.SAMPLE_END_PERIOD, show_default=True,
              help="Last month of the data (YYYY-MM).")
@click.option("--dirty", is_flag=True,
              help="Write the defects of real exports too, with defects.json as answer key.")
def sample_data(out: Path, seed: int, months: int, scale: int, end_period: str,
                dirty: bool) -> None:
    """Write a fictional French company's spreadsheets (finance, HR, stock, help desks)."""
    from .sample_data import generate

    summary = generate(out, seed=seed, months=months, scale=scale, end_period=end_period,
                       dirty=dirty)
    click.echo(summary.describe())


@cli.command("validate")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--table", help="Canonical table the file holds (gl_lines, employees...).")
@click.option("--sheet", help="Sheet to read (default: the data sheet is found).")
@click.option("--params", "params_file", type=click.Path(path_type=Path),
              help="Run parameters: validate every input they list, with cross-table rules.")
@click.option("--html", "html_out", type=click.Path(path_type=Path),
              help="Also write the report as HTML.")
@click.option("--xlsx", "xlsx_out", type=click.Path(path_type=Path),
              help="Also write the report as an Excel workbook.")
@LANG_OPTION
def validate(file: Path | None, table: str | None, sheet: str | None, params_file: Path | None,
             html_out: Path | None, xlsx_out: Path | None, lang: str | None) -> None:
    """Check input files and list every problem with its file, sheet and cell.

    \b
    Exit codes: 0 clean (warnings allowed), 1 problems found (report printed),
    2 a file cannot be read or the arguments are wrong (one line, no traceback).
    """
    from .validation.cli import run_validate

    sys.exit(run_validate(file=file, table=table, sheet=sheet, params_file=params_file,
                          html_out=html_out, xlsx_out=xlsx_out, lang=lang))


@cli.command("close")
@click.option("--period", help="Month to close, YYYY-MM (default: the run parameters).")
@click.option("--params", "params_file", type=click.Path(path_type=Path),
              default=config.DEFAULT_PARAMS_FILE, show_default=True, help="Run parameters (YAML).")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Notebooks run in parallel (default: the number of cores).")
@click.option("--force", is_flag=True, help="Replace an existing period's outputs.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Outputs folder (default: outputs/).")
@LANG_OPTION
def close(period: str | None, params_file: Path, jobs: int | None, force: bool,
          out: Path | None, lang: str | None) -> None:
    """Run every analysis for a period in parallel and publish HTML, Excel and a manifest.

    \b
    Exit codes: 0 all analyses succeeded, 1 data errors stopped the close or an
    analysis failed (the others are still published), 2 unreadable input or
    invalid parameters.
    """
    from .close import run_close

    summary = run_close(params_file=params_file, period=period, jobs=jobs, force=force,
                        out_dir=out, lang=lang)
    click.echo(summary.describe())
    sys.exit(summary.exit_code)


def _run() -> int | str | None:
    """Run the CLI; the exit code (or message) it ends with."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except BackofficeError as exc:
        click.echo(f"Error: {exc}", err=True)
        return exc.exit_code
    except SystemExit as exc:
        return exc.code
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    return 0


def _leave(code: int | str | None) -> NoReturn:
    """End the process at once, as :func:`sys.exit` would but without the interpreter's
    teardown: after a close it freed every module and table for 0.4 s, on the time the
    user waits for their prompt. The exit handlers run first and the standard streams
    are flushed (everything the commands write is closed by then), as a forked
    :mod:`multiprocessing` child ends."""
    if isinstance(code, str):  # sys.exit("message"): printed, exit status 1
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (| head): nothing left to say
            pass
    os._exit(code or 0)


def main() -> None:
    """Console-script entry point: run the CLI, turning our errors into one line."""
    _leave(_run())


if __name__ == "__main__":
    main()
