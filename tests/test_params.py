"""Run parameters: strict validation of parameters/*.yaml (issue: monthly close)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from backoffice_lib import config
from backoffice_lib.errors import MissingFileError, ParameterError
from backoffice_lib.i18n import use_language
from backoffice_lib.params import (
    InputSpec,
    NotebookSpec,
    RunParams,
    Thresholds,
    for_notebook,
    load_params,
)

TESTS_DATA = Path(__file__).resolve().parent / "data"
NOTEBOOKS = TESTS_DATA / "notebooks"
CENTRES = TESTS_DATA / "close" / "centres.csv"


def _write(folder: Path, text: str, name: str = "close.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def valid_yaml(tmp_path: Path) -> Path:
    """A complete parameter file whose inputs and notebooks exist."""
    return _write(tmp_path, f"""\
        company: "Exemple Industries SA"
        period: 2026-10
        language: fr
        currency: EUR
        fiscal_year_start: 4
        inputs:
          cost_centers: {CENTRES}
          budget: {{path: {CENTRES}, sheet: Budget}}
        thresholds:
          materiality_abs: 5000
          materiality_pct: 0.1
          top_movers: 7
        close_working_day: 5
        privacy:
          min_group_size: 6
        notebooks_dir: {NOTEBOOKS}
        notebooks:
          - kpis
          - name: plain
            timeout: 30
        """)


# --------------------------------------------------------------------------- valid files


def test_load_params_reads_every_value(valid_yaml):
    result = load_params(valid_yaml)
    expected = RunParams(
        company="Exemple Industries SA",
        period="2026-10",
        inputs={"cost_centers": InputSpec(CENTRES), "budget": InputSpec(CENTRES, "Budget")},
        notebooks=(NotebookSpec("kpis", NOTEBOOKS / "kpis.ipynb"),
                   NotebookSpec("plain", NOTEBOOKS / "plain.ipynb", {}, 30)),
        language="fr",
        currency="EUR",
        fiscal_year_start=4,
        thresholds=Thresholds(5000, 0.1, 7),
        close_working_day=5,
        min_group_size=6,
        source=valid_yaml,
    )
    assert result == expected


def test_unquoted_period_and_dates_stay_text(tmp_path):
    path = _write(tmp_path, f"""\
        company: X
        period: 2026-10
        inputs: {{cost_centers: {CENTRES}}}
        notebooks:
          - name: kpis
            parameters: {{secret_token: 2026-10-31}}
        notebooks_dir: {NOTEBOOKS}
        """)
    result = load_params(path)
    assert result.period == "2026-10"
    assert result.notebook("kpis").parameters == {"secret_token": "2026-10-31"}


@pytest.mark.parametrize(
    ("written", "expected"),
    [("00042", "00042"), ("0x1F", "0x1F"), ("1:30", "1:30"), ("no", "no"), ("on", "on"),
     ("42", 42), ("0.5", 0.5), ("true", True)],
    ids=["leading-zeros", "hex", "sexagesimal", "no", "on", "int", "float", "bool"],
)
def test_yaml_scalars_keep_codes_as_text(tmp_path, written, expected):
    path = _write(tmp_path, f"""\
        company: X
        period: "2026-10"
        inputs: {{cost_centers: {CENTRES}}}
        notebooks: [{{name: kpis, parameters: {{value: {written}}}}}]
        notebooks_dir: {NOTEBOOKS}
        """)
    assert load_params(path).notebook("kpis").parameters == {"value": expected}


def test_relative_paths_are_under_the_project_not_the_cwd(tmp_path, monkeypatch):
    path = _write(tmp_path, """\
        company: X
        period: "2026-10"
        inputs: {cost_centers: tests/data/close/centres.csv}
        notebooks_dir: tests/data/notebooks
        notebooks: [plain]
        """)
    monkeypatch.chdir(tmp_path)
    result = load_params(path)
    assert result.inputs["cost_centers"].path == config.PROJ_ROOT / "tests/data/close/centres.csv"
    assert result.notebooks[0].path == config.PROJ_ROOT / "tests/data/notebooks/plain.ipynb"


def test_defaults_apply_when_optional_keys_are_absent(tmp_path):
    path = _write(tmp_path, f"""\
        company: X
        period: "2026-10"
        inputs: {{cost_centers: {CENTRES}}}
        notebooks: [plain]
        notebooks_dir: {NOTEBOOKS}
        """)
    result = load_params(path)
    assert (result.language, result.currency, result.fiscal_year_start) == ("fr", "EUR", 1)
    assert result.thresholds == Thresholds(5000, 0.10, 10)
    assert (result.min_group_size, result.close_working_day, result.jobs) == (5, 5, None)


# --------------------------------------------------------------------------- overrides


def test_command_line_values_override_the_file(valid_yaml):
    result = load_params(valid_yaml, period="2026-09", language="en", jobs=3, top_movers=4)
    assert (result.period, result.language, result.jobs) == ("2026-09", "en", 3)
    assert result.thresholds.top_movers == 4


def test_none_overrides_keep_the_file(valid_yaml):
    result = load_params(valid_yaml, period=None, language=None, jobs=None)
    assert (result.period, result.language, result.jobs) == ("2026-10", "fr", None)


def test_bad_override_is_refused(valid_yaml):
    with pytest.raises(ParameterError, match=r"« period » doit être un mois au format AAAA-MM"):
        load_params(valid_yaml, period="2026-9")


def test_unknown_override_suggests_the_closest(valid_yaml):
    with pytest.raises(ParameterError, match=r"clé inconnue « perod ».*« period »"):
        load_params(valid_yaml, perod="2026-09")


# --------------------------------------------------------------------------- refusals


def test_unknown_key_names_file_line_and_closest_key(valid_yaml):
    text = valid_yaml.read_text(encoding="utf-8").replace("notebooks:\n", "notebok:\n")
    valid_yaml.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError) as info:
        load_params(valid_yaml)
    assert str(info.value) == (
        "close.yaml › ligne 17: clé inconnue « notebok » — vouliez-vous dire « notebooks » ?"
    )


def test_unknown_nested_key_suggests_within_its_section(valid_yaml):
    text = valid_yaml.read_text(encoding="utf-8").replace("materiality_abs", "materialty_abs")
    valid_yaml.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError,
                       match=r"ligne 10: clé inconnue « thresholds.materialty_abs » — "
                             r"vouliez-vous dire « materiality_abs » \?"):
        load_params(valid_yaml)


def test_unknown_table_suggests_a_canonical_table(tmp_path):
    path = _write(tmp_path, f"""\
        company: X
        period: "2026-10"
        inputs: {{cost_center: {CENTRES}}}
        notebooks: [plain]
        notebooks_dir: {NOTEBOOKS}
        """)
    with pytest.raises(ParameterError, match=r"« inputs.cost_center ».*« cost_centers »"):
        load_params(path)


def test_messages_follow_the_language(valid_yaml):
    with use_language("en"), pytest.raises(
            ParameterError, match=r'line 2: "period" must be a month written YYYY-MM'):
        load_params(valid_yaml, period="2026-13")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("period: 2026-13", r"« period » doit être un mois au format AAAA-MM"),
        ("period: 202610", r"« period » doit être un mois"),
        ("language: de", r"« language » doit valoir l'une de ces valeurs : fr, en"),
        ("language: no",
         r"« language » doit valoir l'une de ces valeurs : fr, en \(valeur lue : 'no'\)"),
        ("currency: euro", r"code devise ISO"),
        ("company: 42", r"« company » doit être un texte"),
        ("company: ''", r"« company » est vide"),
        ("fiscal_year_start: 13", r"« fiscal_year_start » doit être compris entre 1 et 12"),
        ("close_working_day: true", r"« close_working_day » doit être un nombre entier"),
        ("jobs: 0", r"« jobs » doit être compris entre 1 et 64"),
        ("notebook_timeout: fast", r"« notebook_timeout » doit être un nombre"),
    ],
    ids=["month-13", "no-dash", "language", "language-no", "currency", "company-number",
         "company-empty", "fiscal-year", "bool-is-not-int", "jobs", "timeout"],
)
def test_wrong_values_are_refused(valid_yaml, line, message):
    key = line.split(":")[0]
    lines = [x for x in valid_yaml.read_text(encoding="utf-8").splitlines()
             if not x.startswith(f"{key}:")]
    valid_yaml.write_text("\n".join([*lines, line]) + "\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        load_params(valid_yaml)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("min_group_size: 6", "min_group_size: 3",
         r"« privacy.min_group_size » doit valoir au moins 5 \(valeur lue : 3\)"),
        ("top_movers: 7", "top_movers: ten",
         r"« thresholds.top_movers » doit être un nombre entier"),
        ("materiality_abs: 5000", "materiality_abs: -1",
         r"« thresholds.materiality_abs » doit valoir au moins 0"),
        ("  - kpis\n", "  - kpis\n  - kpis\n", r"le notebook « kpis » est listé deux fois"),
        ("  - kpis\n", "  - index\n", r"nom de notebook invalide 'index'"),
        ("  - kpis\n", "  - ../kpis\n", r"nom de notebook invalide"),
    ],
    ids=["privacy-minimum", "int-type", "negative", "duplicate-notebook", "reserved-name",
         "path-as-name"],
)
def test_wrong_nested_values_are_refused(valid_yaml, old, new, message):
    valid_yaml.write_text(valid_yaml.read_text(encoding="utf-8").replace(old, new),
                          encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        load_params(valid_yaml)


def test_missing_required_key(valid_yaml):
    lines = [x for x in valid_yaml.read_text(encoding="utf-8").splitlines()
             if not x.startswith("company:")]
    valid_yaml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"le paramètre obligatoire « company » est absent"):
        load_params(valid_yaml)


def test_duplicate_key_is_refused(valid_yaml):
    valid_yaml.write_text(valid_yaml.read_text(encoding="utf-8") + "period: 2026-11\n",
                          encoding="utf-8")
    with pytest.raises(ParameterError, match=r"ligne 21: la clé « period » apparaît deux fois"):
        load_params(valid_yaml)


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = _write(tmp_path, "company: X\nperiod: [2026-10\ninputs: {}\n")
    with pytest.raises(ParameterError,
                       match=r"close.yaml › ligne \d+: le fichier YAML est mal formé"):
        load_params(path)


def test_python_tags_are_refused(tmp_path):
    path = _write(tmp_path, "company: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(ParameterError, match=r"ligne 1: le fichier YAML est mal formé"):
        load_params(path)


def test_missing_input_names_the_parameter(valid_yaml):
    missing = CENTRES.with_name("absent.csv")
    text = valid_yaml.read_text(encoding="utf-8").replace(
        f"cost_centers: {CENTRES}", f"cost_centers: {missing}")
    valid_yaml.write_text(text, encoding="utf-8")
    with pytest.raises(MissingFileError) as info:
        load_params(valid_yaml)
    assert str(info.value) == (
        f"close.yaml › ligne 7: le fichier indiqué par « inputs.cost_centers » est introuvable : "
        f"{missing}. Corrigez le chemin (relatif au dossier du projet)."
    )
    assert info.value.exit_code == 2


def test_missing_notebook_is_refused(valid_yaml):
    text = valid_yaml.read_text(encoding="utf-8").replace("  - kpis\n", "  - nowhere\n")
    valid_yaml.write_text(text, encoding="utf-8")
    with pytest.raises(MissingFileError,
                       match=r"ligne 18: le notebook « nowhere » est introuvable"):
        load_params(valid_yaml)


def test_missing_parameter_file(tmp_path):
    with pytest.raises(MissingFileError, match=r"absent.yaml: fichier de paramètres introuvable"):
        load_params(tmp_path / "absent.yaml")


def test_parameter_error_exits_with_code_2():
    assert ParameterError.exit_code == 2


# --------------------------------------------------------------------------- notebooks


def test_notebook_parameters_gives_only_declared_names(valid_yaml):
    params = load_params(valid_yaml)
    result = params.notebook_parameters({"period", "inputs", "min_group_size", "other"})
    expected = {
        "period": "2026-10",
        "inputs": {"cost_centers": str(CENTRES),
                   "budget": {"path": str(CENTRES), "sheet": "Budget"}},
        "min_group_size": 6,
    }
    assert result == expected


def test_notebook_parameters_adds_the_notebooks_own_values(tmp_path):
    path = _write(tmp_path, f"""\
        company: X
        period: "2026-10"
        inputs: {{cost_centers: {CENTRES}}}
        notebooks: [{{name: kpis, parameters: {{secret_token: abc}}}}]
        notebooks_dir: {NOTEBOOKS}
        """)
    result = load_params(path).notebook_parameters({"period", "secret_token"}, notebook="kpis")
    assert result == {"period": "2026-10", "secret_token": "abc"}


def test_undeclared_notebook_value_is_refused(tmp_path):
    path = _write(tmp_path, f"""\
        company: X
        period: "2026-10"
        inputs: {{cost_centers: {CENTRES}}}
        notebooks: [{{name: kpis, parameters: {{secret_tokn: abc}}}}]
        notebooks_dir: {NOTEBOOKS}
        """)
    params = load_params(path)
    with pytest.raises(ParameterError,
                       match=r"le notebook « kpis » ne déclare pas le paramètre « secret_tokn ».*"
                             r"« secret_token »"):
        params.notebook_parameters({"period", "secret_token"}, notebook="kpis")


def test_for_notebook_merges_non_empty_values_over_the_file(valid_yaml, monkeypatch):
    monkeypatch.setenv("BACKOFFICE_PARAMS_FILE", str(valid_yaml))
    result = for_notebook(period="2026-08", inputs={}, company="", materiality_pct=0.2)
    assert (result.period, result.company) == ("2026-08", "Exemple Industries SA")
    assert result.thresholds.materiality_pct == 0.2
    assert result.inputs["cost_centers"] == InputSpec(CENTRES)


def test_for_notebook_merges_inputs_by_table(valid_yaml):
    other = TESTS_DATA / "close" / "centres_errors.csv"
    result = for_notebook(valid_yaml, inputs={"cost_centers": str(other)})
    assert result.inputs == {"cost_centers": InputSpec(other),
                             "budget": InputSpec(CENTRES, "Budget")}


def test_for_notebook_refuses_names_that_are_not_run_parameters(valid_yaml):
    with pytest.raises(ParameterError, match=r"clé inconnue « perod »"):
        for_notebook(valid_yaml, perod="2026-10")
