"""``backoffice validate``: exit codes 0/1/2, the printed report, the report files."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pytest
from click.testing import CliRunner

from backoffice_lib.cli import cli

EMPLOYEES_HEADER = ("Matricule;Nom;Sexe;Date d'entrée;Date de sortie;Centre de coût;ETP;"
                    "Type de contrat")
EMPLOYEES_CLEAN = [
    "E001;Anne Martin;F;01/03/2019;;CC10;1;CDI",
    "E002;Paul Durand;H;15/09/2021;;CC20;0,8;CDI",
]


@pytest.fixture
def runner() -> CliRunner:
    """A click runner."""
    return CliRunner()


def _csv(folder, name: str, lines: list[str]):
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _invoke(runner: CliRunner, *args: str):
    return runner.invoke(cli, ["validate", *map(str, args)])


# --------------------------------------------------------------------------- arguments


def test_no_file_and_no_params_is_exit_2(runner):
    result = _invoke(runner, "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr == "Error: give a file to validate, or --params with the run parameters.\n"


def test_file_and_params_together_is_exit_2(runner, tmp_path):
    path = _csv(tmp_path, "salaries.csv", [EMPLOYEES_HEADER, *EMPLOYEES_CLEAN])
    result = _invoke(runner, path, "--params", tmp_path / "run.yaml", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr == "Error: give either a file or --params, not both.\n"


def test_file_without_table_is_exit_2(runner, tmp_path):
    path = _csv(tmp_path, "salaries.csv", [EMPLOYEES_HEADER, *EMPLOYEES_CLEAN])
    result = _invoke(runner, path)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: précisez avec --table la table que contient le fichier")
    assert "employees" in result.stderr


# --------------------------------------------------------------------------- one file


def test_clean_file_is_exit_0_with_summary(runner, tmp_path):
    path = _csv(tmp_path, "salaries.csv", [EMPLOYEES_HEADER, *EMPLOYEES_CLEAN])
    result = _invoke(runner, path, "--table", "employees")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Aucun problème : 1 table(s), 2 ligne(s) vérifiée(s).\n"


def test_file_with_problems_is_exit_1_and_points_at_cells(runner, tmp_path):
    lines = [EMPLOYEES_HEADER, *EMPLOYEES_CLEAN,
             "E003;Léa Petit;F;06/01/2025;31/12/2024;CC10;1,5;CDD",  # line 4: exit < hire, fte
             "E001;Anne Martin;F;01/03/2019;;CC10;1;CDI"]  # line 5: duplicate matricule
    path = _csv(tmp_path, "salaries.csv", lines)
    result = _invoke(runner, path, "--table", "employees", "--lang", "en")
    assert result.exit_code == 1, result.output
    out = result.stdout.splitlines()
    assert out[0] == "3 error(s) and 0 warning(s) in 1 table(s) (4 row(s) checked)."
    assert out[2] == "salaries.csv"
    assert any(line.startswith("  salaries.csv › A5: ") and line.endswith("[DUPLICATE_KEY]")
               for line in out)
    assert any(line.startswith("  salaries.csv › G4: ") and line.endswith("[OUT_OF_RANGE]")
               for line in out)
    assert any(line.startswith("  salaries.csv › E4: ") and line.endswith("[EXIT_BEFORE_HIRE]")
               for line in out)


def test_unreadable_value_is_reported_once(runner, tmp_path):
    lines = [EMPLOYEES_HEADER, "E001;Anne Martin;F;01/03/2019;;CC10;beaucoup;CDI"]
    path = _csv(tmp_path, "salaries.csv", lines)
    result = _invoke(runner, path, "--table", "employees")
    assert result.exit_code == 1, result.output
    problems = [line for line in result.stdout.splitlines() if line.startswith("  ")]
    assert len(problems) == 1 and problems[0].startswith("  salaries.csv › G2: ")


def test_missing_file_is_exit_2_with_one_line(runner, tmp_path):
    result = _invoke(runner, tmp_path / "absent.csv", "--table", "employees")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: absent.csv")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_report_files_are_written(runner, tmp_path):
    lines = [EMPLOYEES_HEADER, *EMPLOYEES_CLEAN, "E003;<b>x</b>;F;06/01/2025;;CC10;2;CDD"]
    path = _csv(tmp_path, "salaries.csv", lines)
    html, xlsx = tmp_path / "out" / "report.html", tmp_path / "out" / "report.xlsx"
    result = _invoke(runner, path, "--table", "employees", "--html", html, "--xlsx", xlsx,
                     "--lang", "en")
    assert result.exit_code == 1, result.output
    assert f"Report written: {html}" in result.stderr
    assert "OUT_OF_RANGE" in html.read_text(encoding="utf-8")
    sheet = openpyxl.load_workbook(xlsx)["Issues"]
    assert [sheet["C2"].value, sheet["H2"].value] == ["G4", "OUT_OF_RANGE"]


def test_a_command_validates_without_importing_hypothesis(tmp_path):
    """pandera's optional data synthesis (hypothesis) is kept out of the CLI's process."""
    path = _csv(tmp_path, "salaries.csv", [EMPLOYEES_HEADER, *EMPLOYEES_CLEAN])
    script = (
        "import sys\n"
        "from backoffice_lib.cli import cli\n"
        "try:\n"
        f"    cli.main(['validate', {str(path)!r}, '--table', 'employees', '--lang', 'en'],"
        " standalone_mode=False)\n"
        "finally:\n"
        "    print('hypothesis:', sys.modules.get('hypothesis', 'never asked'))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["No problems: 1 table(s), 2 row(s) checked.",
                                        "hypothesis: None"]


@pytest.mark.parametrize(("rows", "code"), [(EMPLOYEES_CLEAN, 0),
                                           ([*EMPLOYEES_CLEAN, EMPLOYEES_CLEAN[0]], 1)])
def test_the_command_ends_with_its_exit_code_and_every_line_written(tmp_path, rows, code):
    """The console entry point skips the interpreter's teardown (os._exit): the exit code
    and the buffered output must come through all the same."""
    path = _csv(tmp_path, "salaries.csv", [EMPLOYEES_HEADER, *rows])
    done = subprocess.run(
        [sys.executable, "-m", "backoffice_lib.cli", "validate", str(path), "--table",
         "employees", "--lang", "en"], capture_output=True, text=True, cwd=tmp_path,
        timeout=120, check=False)
    assert done.returncode == code, done.stderr
    expected = ("No problems: 1 table(s), 2 row(s) checked." if code == 0 else
                "1 error(s) and 0 warning(s) in 1 table(s) (3 row(s) checked).")
    assert done.stdout.splitlines()[0] == expected
    assert done.stdout.endswith("\n") and done.stderr == ""


def test_a_missing_file_ends_the_command_with_exit_2_and_one_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "backoffice_lib.cli", "validate", str(tmp_path / "absent.csv"),
         "--table", "employees", "--lang", "en"], capture_output=True, text=True,
        cwd=tmp_path, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stdout == "" and len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith("Error: ")
