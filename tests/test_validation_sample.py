"""End to end on the sample company: the clean data has no error, and every defect of
the dirty data's ``defects.json`` is in the report at the same file, sheet and cell.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from backoffice_lib import config
from backoffice_lib.cli import cli
from backoffice_lib.validation import ValidationReport, validate


def _inputs(folder: Path) -> dict[str, str | dict[str, str]]:
    """The inputs of parameters/close.yaml, taken from ``folder`` instead of data/sample."""
    raw = yaml.safe_load(config.DEFAULT_PARAMS_FILE.read_text(encoding="utf-8"))["inputs"]
    inputs: dict[str, str | dict[str, str]] = {}
    for table, value in raw.items():
        if isinstance(value, dict):
            inputs[table] = {**value, "path": str(folder / Path(value["path"]).name)}
        else:
            inputs[table] = str(folder / Path(value).name)
    return inputs


def _report(folder: Path) -> ValidationReport:
    from backoffice_lib.loading import load_tables

    return validate(load_tables(_inputs(folder)))


@pytest.fixture(scope="module")
def clean_report(sample_dir) -> ValidationReport:
    """The report on the clean sample company."""
    return _report(sample_dir)


@pytest.fixture(scope="module")
def dirty_report(dirty_sample_dir) -> ValidationReport:
    """The report on the dirty sample company."""
    return _report(dirty_sample_dir)


def _params_file(tmp_path: Path, folder: Path) -> Path:
    notebook = tmp_path / "check.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    params = {"company": "Exemple Industries SA", "period": config.SAMPLE_END_PERIOD,
              "language": "fr", "inputs": _inputs(folder),
              "notebooks": [{"name": "check", "path": str(notebook)}]}
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    return path


def test_clean_sample_has_no_error(clean_report):
    assert clean_report.ok, clean_report.to_text(max_per_rule=5)


def test_clean_sample_reads_every_table(clean_report):
    assert set(clean_report.tables) == set(_inputs(config.SAMPLE_DATA_DIR))
    assert all(rows > 0 for rows in clean_report.tables.values())


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _defects(folder: Path) -> set[tuple]:
    """(file name, sheet, cell, rule) of every defect planted in the dirty sample."""
    defects = json.loads((folder / "defects.json").read_text(encoding="utf-8"))["defects"]
    return {(Path(d["file"]).name, d.get("sheet"), d.get("cell"), d["rule"]) for d in defects}


def _places(report: ValidationReport) -> set[tuple]:
    """(file name, sheet, cell, rule) of every issue of a report."""
    issues = report.issues
    return {(Path(f).name if _text(f) else None, _text(s), _text(c), r)
            for f, s, c, r in zip(issues["file"], issues["sheet"], issues["cell"],
                                  issues["rule"], strict=True)}


def test_dirty_sample_every_defect_is_found_at_its_cell(dirty_sample_dir, dirty_report):
    defects = _defects(dirty_sample_dir)
    assert defects, "defects.json lists no defect"
    assert sorted(defects - _places(dirty_report), key=str) == []


def test_dirty_sample_reports_nothing_but_the_defects(dirty_sample_dir, dirty_report):
    assert sorted(_places(dirty_report) - _defects(dirty_sample_dir), key=str) == []


def test_dirty_sample_is_not_ok(dirty_report):
    assert not dirty_report.ok


def test_cli_params_clean_sample_exits_0(tmp_path, sample_dir):
    params = _params_file(tmp_path, sample_dir)
    result = CliRunner().invoke(cli, ["validate", "--params", str(params)])
    assert result.exit_code == 0, result.output


def test_cli_params_dirty_sample_exits_1_with_report(tmp_path, dirty_sample_dir):
    params = _params_file(tmp_path, dirty_sample_dir)
    result = CliRunner().invoke(cli, ["validate", "--params", str(params), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert " error(s) and " in result.stdout.splitlines()[0]


def test_cli_params_with_missing_input_exits_2(tmp_path, sample_dir):
    params = _params_file(tmp_path, sample_dir)
    text = params.read_text(encoding="utf-8").replace("grand_livre.csv", "absent.csv")
    params.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--params", str(params)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
