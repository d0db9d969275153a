"""The monthly close end to end, on small test notebooks (issue: run parameters and close).

Each test runs real closes (papermill, kernels, exports), so the module is marked slow.
The notebooks are in tests/data/notebooks; the input in tests/data/close/centres.csv holds
cost-centre names with an XSS payload and a spreadsheet formula. The last tests run
parameters/close.yaml as shipped (notebooks/costs.ipynb on the sample company) and check
its figures against the ledger read straight from the CSV.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import subprocess
import sys
import textwrap
import time
from decimal import Decimal
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest
import yaml

from backoffice_lib import config
from backoffice_lib.close import run_close
from backoffice_lib.errors import ParameterError
from backoffice_lib.params import load_yaml
from backoffice_lib.report import index as report_index

pytestmark = pytest.mark.slow

TESTS_DATA = Path(__file__).resolve().parent / "data"
NOTEBOOKS = TESTS_DATA / "notebooks"
CENTRES = TESTS_DATA / "close" / "centres.csv"
CENTRES_ERRORS = TESTS_DATA / "close" / "centres_errors.csv"
SECRET = "s3cr3t-TOKEN-42"
NBSP, NNBSP = "\u00a0", "\u202f"


def write_params(folder: Path, notebooks: str, *, inputs: Path = CENTRES, period: str = "2026-10",
                 extra: str = "") -> Path:
    """A parameter file for the test notebooks (``notebooks`` is YAML list text)."""
    path = folder / "close.yaml"
    path.write_text(textwrap.dedent(f"""\
        company: "Dupont & Fils <SA>"
        period: "{period}"
        inputs:
          cost_centers: {inputs}
        notebooks_dir: {NOTEBOOKS}
        notebooks: {notebooks}
        """) + extra, encoding="utf-8")
    return path


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- one faulty close


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """A close of three notebooks where ``fails`` raises: (out folder, summary, progress)."""
    folder = tmp_path_factory.mktemp("faulty")
    params = write_params(
        folder, f'[{{name: kpis, parameters: {{secret_token: "{SECRET}"}}}}, plain, fails]')
    stream = io.StringIO()
    summary = run_close(params, out_dir=folder / "out", jobs=2, progress_stream=stream)
    return folder / "out", summary, stream.getvalue()


def test_close_isolates_a_failing_notebook(faulty):
    out, summary, _ = faulty
    assert summary.exit_code == 1
    assert [(r.name, r.status) for r in summary.results] == [
        ("kpis", "ok"), ("plain", "ok"), ("fails", "failed")]
    assert summary.results[2].error == (
        "ValueError: boom <b>not bold</b> while reading {'cost_centers': 'centres.csv'}")
    assert summary.results[2].error_cell == 4


def test_close_publishes_every_file(faulty):
    out, _, _ = faulty
    result = sorted(p.name for p in (out / "2026-10").iterdir())
    expected = ["data-quality.html", "data-quality.xlsx", "fails.html", "fails.ipynb",
                "index.html", "kpis.html", "kpis.ipynb", "kpis.xlsx", "manifest.json",
                "plain.html", "plain.ipynb"]
    assert result == expected
    assert sorted(p.name for p in out.iterdir()) == [".2026-10.lock", "2026-10",
                                                     "kpi_history.parquet"]


def test_index_marks_the_failure_and_shows_the_others(faulty):
    out, _, _ = faulty
    page = read(out / "2026-10" / "index.html")
    assert page.count('class="bo-status bo-status-ok"') == 2
    assert page.count('class="bo-status bo-status-failed"') == 1
    assert "ValueError: boom &lt;b&gt;not bold&lt;/b&gt; while reading" in page
    assert f"10{NNBSP}000{NBSP}€" in page  # the kpis tile
    for href in ("kpis.html", "kpis.xlsx", "kpis.ipynb", "fails.html", "fails.ipynb",
                 "data-quality.html"):
        assert f'href="{href}"' in page


def test_failed_notebook_keeps_its_traceback_and_gets_a_plain_page(faulty):
    out, _, _ = faulty
    nb = nbformat.read(out / "2026-10" / "fails.ipynb", as_version=4)
    banners = [c for c in nb.cells if "papermill-error-cell-tag" in c.metadata.get("tags", [])]
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert len(banners) == 2
    assert [(e.ename, e.evalue.startswith("boom")) for e in errors] == [("ValueError", True)]
    page = read(out / "2026-10" / "fails.html")
    assert "Cette analyse a échoué" in page
    assert "Avant la panne" not in page  # no partial figures for managers


def test_manager_report_has_no_code_and_escapes_data(faulty):
    out, _, _ = faulty
    page = read(out / "2026-10" / "kpis.html")
    for text in ("load_tables(", "show_table(", "injected", "stderr noise", "a warning",
                 "inputs used", "In [", "papermill", "<script", "(5, 5)"):
        assert text not in page, text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    assert re.search(r'src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]{100,}"', page)
    assert re.findall(r'<li class="bo-toc-l2"><a href="#[^"]+">([^<]+)</a>', page) == [
        "Liste des centres", "Graphique", "Évolution sur les clôtures"]
    assert '<p class="bo-kicker">Dupont &amp; Fils &lt;SA&gt;</p>' in page
    assert "<dd>octobre 2026</dd>" in page


def test_no_path_or_secret_reaches_a_managers_page(faulty):
    out, _, _ = faulty
    forbidden = [str(CENTRES), str(out.parent / "close.yaml"), SECRET, str(config.PROJ_ROOT),
                 str(config.cache_dir())]
    for page in (out / "2026-10").glob("*.html"):
        text = read(page)
        assert [f for f in forbidden if f in text] == [], page.name
    assert SECRET in read(out / "2026-10" / "kpis.ipynb")  # analysts still see what ran


def test_manifest_records_parameters_inputs_versions_and_runs(faulty):
    out, _, _ = faulty
    manifest = json.loads(read(out / "2026-10" / "manifest.json"))
    assert manifest["parameters"]["period"] == "2026-10"
    assert manifest["inputs"]["cost_centers"]["path"] == str(CENTRES)
    assert manifest["inputs"]["cost_centers"]["sha256"] == hashlib.sha256(
        CENTRES.read_bytes()).hexdigest()
    assert manifest["inputs"]["cost_centers"]["rows"] == 5
    assert manifest["validation"]["errors"] == 0
    assert manifest["versions"]["papermill"] is not None
    assert manifest["status"] == "failed"
    runs = {n["name"]: n for n in manifest["notebooks"]}
    assert {k: v["status"] for k, v in runs.items()} == {
        "kpis": "ok", "plain": "ok", "fails": "failed"}
    assert all(v["started_at"] <= v["ended_at"] for v in runs.values())
    assert manifest["started_at"] <= manifest["ended_at"]


def test_excel_export_is_formatted_and_formula_free(faulty):
    out, _, _ = faulty
    book = openpyxl.load_workbook(out / "2026-10" / "kpis.xlsx")
    sheet = book["centres"]
    assert [c.value for c in sheet[1]] == ["Code", "Libellé", "Type"]
    assert sheet.freeze_panes == "A2"
    codes = [sheet.cell(row, 1).value for row in range(2, 7)]
    assert codes == ["00420", "CC200", "CC300", "CC400", "CC500"]
    formula = sheet.cell(5, 2)
    assert formula.data_type == "s"
    assert formula.value.lstrip("'") == '=HYPERLINK("http://evil.example/","clic")'


def test_kpi_history_gets_this_close(faulty):
    out, _, _ = faulty
    history = pd.read_parquet(out / "kpi_history.parquet")
    result = history[["period", "notebook", "key", "value"]].to_dict("records")
    assert result == [
        {"period": "2026-10", "notebook": "kpis", "key": "budget", "value": 10000.0},
        {"period": "2026-10", "notebook": "kpis", "key": "cost_centers", "value": 5.0},
        {"period": "2026-10", "notebook": "kpis", "key": "share_front", "value": 0.4},
    ]


def test_progress_and_summary_say_what_happened(faulty):
    out, summary, progress = faulty
    assert "[close] 3 analyse(s) à exécuter, 2 en parallèle" in progress
    assert re.search(r"\[close\] kpis\xa0: réussie en \d+,\d s \(\d/3\)", progress)
    assert re.search(r"\[close\] fails\xa0: ÉCHEC après \d+,\d s \(\d/3\) — ValueError: boom",
                     progress)
    text = summary.describe()
    assert re.search(r"^  fails\s+en échec\s+\d+,\d s  ValueError: boom", text, re.M)
    assert f"Accueil{NBSP}: {out / '2026-10' / 'index.html'}" in text


# --------------------------------------------------------------------------- re-runs


def test_rerun_needs_force(tmp_path):
    params = write_params(tmp_path, "[plain]")
    out = tmp_path / "out"
    first = run_close(params, out_dir=out, quiet=True)
    index = out / "2026-10" / "index.html"
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    assert first.exit_code == 0

    refused = subprocess.run(
        [sys.executable, "-m", "backoffice_lib.cli", "close", "--params", str(params),
         "--out", str(out)], capture_output=True, text=True, cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.strip().startswith("Error: la période 2026-10 a déjà été publiée")
    assert len(refused.stderr.strip().splitlines()) == 1
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before

    forced = run_close(params, out_dir=out, force=True, quiet=True)
    assert forced.exit_code == 0
    assert index.stat().st_mtime_ns != before[1]
    assert [p.name for p in out.iterdir() if p.name.startswith(".2026-10.")] == [".2026-10.lock"]


def test_interrupted_close_leaves_the_published_period_intact(tmp_path, monkeypatch):
    params = write_params(tmp_path, "[plain]")
    out = tmp_path / "out"
    run_close(params, out_dir=out, quiet=True)
    index = out / "2026-10" / "index.html"
    before = index.read_bytes()

    def interrupted(**kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(report_index, "render_index", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_close(params, out_dir=out, force=True, quiet=True)
    assert index.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [".2026-10.lock", "2026-10"]


def test_interrupted_first_close_leaves_no_period(tmp_path, monkeypatch):
    params = write_params(tmp_path, "[plain]")
    out = tmp_path / "out"

    def interrupted(**kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(report_index, "render_index", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_close(params, out_dir=out, quiet=True)
    assert sorted(p.name for p in out.iterdir()) == [".2026-10.lock"]


# --------------------------------------------------------------------------- stops


def test_data_errors_stop_the_close_and_keep_nothing_of_its_notebooks(tmp_path, monkeypatch):
    """Notebooks start while the inputs are validated; errors kill them (a two-minute
    notebook does not hold the close up) and publish only the validation report."""
    import psutil

    from backoffice_lib.close import inputs as close_inputs

    pid_file = tmp_path / "kernel.pid"
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('pid_file: str = ""', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import os, time\n"
                                  "open(pid_file, 'w').write(str(os.getpid()))\n"
                                  "time.sleep(120)"),
    ])
    nbformat.write(notebook, tmp_path / "long.ipynb")
    params = write_params(tmp_path, f"[plain, {{name: long, path: {tmp_path / 'long.ipynb'}, "
                                    f"parameters: {{pid_file: '{pid_file}'}}}}]",
                          inputs=CENTRES_ERRORS)
    validate = close_inputs.validate_inputs

    def validate_once_running(*args):  # make sure the notebook runs when errors are found
        deadline = time.monotonic() + 60
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return validate(*args)

    monkeypatch.setattr(close_inputs, "validate_inputs", validate_once_running)
    out = tmp_path / "out"
    progress = io.StringIO()
    began = time.monotonic()
    summary = run_close(params, out_dir=out, progress_stream=progress)
    assert time.monotonic() - began < 25  # not held up by the notebook (nor by the 30 s
    #                                       a pool gives its workers to finish)
    assert (summary.exit_code, summary.stopped_by_data, summary.results) == (1, True, [])
    assert summary.validation_errors >= 1
    assert sorted(p.name for p in out.iterdir()) == [  # no staging folder left
        ".2026-10.lock", "2026-10-validation"]
    report = out / "2026-10-validation"
    assert sorted(p.name for p in report.iterdir()) == [
        "data-quality.html", "data-quality.xlsx", "manifest.json"]
    assert "long" not in progress.getvalue() and "plain" not in progress.getvalue()
    kernel = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while psutil.pid_exists(kernel) and psutil.Process(kernel).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "the notebook's kernel is still running"
        time.sleep(0.05)
    text = summary.describe()
    assert "DUPLICATE_KEY" in text
    assert f"Clôture arrêtée{NBSP}: {summary.validation_errors} erreur(s)" in text


def test_undeclared_notebook_parameter_stops_before_anything_runs(tmp_path):
    params = write_params(tmp_path, "[{name: kpis, parameters: {secret_tokn: x}}]")
    with pytest.raises(ParameterError, match=r"ne déclare pas le paramètre « secret_tokn ».*"
                                             r"« secret_token »"):
        run_close(params, out_dir=tmp_path / "out", quiet=True)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".2026-10.lock"]


def test_notebook_parameter_of_the_wrong_type_is_refused(tmp_path):
    params = write_params(tmp_path, "[{name: kpis, parameters: {secret_token: 42}}]")
    with pytest.raises(ParameterError, match=r"le notebook « kpis » attend pour "
                                             r"« secret_token » un texte"):
        run_close(params, out_dir=tmp_path / "out", quiet=True)


def test_timeout_and_a_dead_worker_fail_only_their_notebook(tmp_path):
    params = write_params(tmp_path, "[{name: slow, timeout: 3}, killer, plain]")
    summary = run_close(params, out_dir=tmp_path / "out", jobs=2, quiet=True)
    result = {r.name: (r.status, r.error.splitlines()[0] if r.error else "")
              for r in summary.results}
    assert result == {
        "slow": ("failed", f"Temps maximum dépassé (3 s){NBSP}: l'analyse a été interrompue."),
        "killer": ("failed",
                   "Le processus qui exécutait cette analyse s'est arrêté brutalement (code -9)."),
        "plain": ("ok", ""),
    }
    assert summary.exit_code == 1
    page = read(tmp_path / "out" / "2026-10" / "index.html")
    assert page.count('class="bo-status bo-status-failed"') == 2
    # The executed copy of the interrupted notebook is written at the end all the same.
    slow = json.loads(read(tmp_path / "out" / "2026-10" / "slow.ipynb"))
    sleeping = [c for c in slow["cells"] if "time.sleep" in "".join(c["source"])]
    assert [o.get("ename") for o in sleeping[0]["outputs"]] == ["KeyboardInterrupt"]
    assert sleeping[0]["metadata"]["papermill"]["status"] == "failed"


def test_a_rerun_starts_the_notebooks_that_took_longest_first(tmp_path):
    plain = NOTEBOOKS / "plain.ipynb"
    params = write_params(tmp_path, "[" + ", ".join(
        f"{{name: {name}, path: {plain}}}" for name in ("one", "two", "three")) + "]")
    out = tmp_path / "out"
    first = io.StringIO()
    run_close(params, out_dir=out, jobs=1, progress_stream=first)
    assert re.findall(r"\] (\w+)\xa0: démarrée", first.getvalue()) == ["one", "two", "three"]
    manifest = out / "2026-10" / "manifest.json"
    data = json.loads(read(manifest))
    for entry in data["notebooks"]:
        entry["seconds"] = {"one": 1.0, "two": 9.0, "three": 4.0}[entry["name"]]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    again = io.StringIO()
    summary = run_close(params, out_dir=out, jobs=1, force=True, progress_stream=again)
    assert re.findall(r"\] (\w+)\xa0: démarrée", again.getvalue()) == ["two", "three", "one"]
    # Index, manifest and summary keep the order of the parameters.
    assert [r.name for r in summary.results] == ["one", "two", "three"]
    names = [n["name"] for n in json.loads(read(manifest))["notebooks"]]
    assert names == ["one", "two", "three"]
    page = read(out / "2026-10" / "index.html")
    assert page.index('href="one.html"') < page.index('href="two.html"') \
        < page.index('href="three.html"')


# --------------------------------------------------------------------------- language, trend


def test_second_close_in_english_shows_the_trend(tmp_path):
    out = tmp_path / "out"
    run_close(write_params(tmp_path, "[kpis]", period="2026-09"), out_dir=out, quiet=True)
    summary = run_close(write_params(tmp_path, "[kpis]"), out_dir=out, lang="en", quiet=True)
    assert summary.exit_code == 0
    index = read(out / "2026-10" / "index.html")
    assert '<html lang="en">' in index
    assert "Monthly close: October 2026" in index
    assert "<th scope=\"col\">Sept 2026</th>" in index
    assert "<td>Budget du mois</td><td>€9,000</td><td>€10,000</td><td>+€1,000</td>" in index
    assert index.count("<polyline") == 3
    report = read(out / "2026-10" / "kpis.html")
    assert "<dt>Period</dt><dd>October 2026</dd>" in report
    assert "Trend across closes" in report
    assert summary.describe().startswith("Close 2026-10 finished in")
    history = pd.read_parquet(out / "kpi_history.parquet")
    assert history.groupby("period").size().to_dict() == {"2026-09": 3, "2026-10": 3}


def test_whole_close_on_the_sample_data_with_stand_in_notebooks(tmp_path, sample_dir):
    """Every input of parameters/close.yaml, from the sample company, through bench.ipynb
    standing in for two analyses; the notebooks read the tables the close loaded."""
    data, _ = load_yaml(config.DEFAULT_PARAMS_FILE)
    data["inputs"] = {table: str(sample_dir / Path(path).name)
                      for table, path in data["inputs"].items()}
    uses = {"costs": ["budget", "cost_centers", "gl_lines"],
            "headcount": ["absences", "employees", "payroll"]}
    data["notebooks"] = [{"name": name, "path": str(NOTEBOOKS / "bench.ipynb"),
                          "parameters": {"tables": tables}} for name, tables in uses.items()]
    params = tmp_path / "close.yaml"
    params.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    summary = run_close(params, out_dir=tmp_path / "out", quiet=True)
    assert summary.exit_code == 0, summary.describe()
    folder = tmp_path / "out" / "2026-10"
    manifest = json.loads(read(folder / "manifest.json"))
    assert set(manifest["inputs"]) == set(data["inputs"])
    assert manifest["validation"]["errors"] == 0
    for result in summary.results:
        rows = {tile.key: tile.value for tile in result.tiles}["rows"]
        assert rows == sum(manifest["inputs"][t]["rows"] for t in uses[result.name])
        assert (folder / f"{result.name}.xlsx").is_file()
    index = read(folder / "index.html")
    assert index.count('class="bo-status bo-status-ok"') == 2


def _total_cost_from_the_csv(path: Path, period: str) -> Decimal:
    """Σ debit − credit of accounts 60–68 posted in ``period``, read straight from the
    sample's French CSV (``;``, decimal commas, dd/mm/yyyy), without the package."""
    gl = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    year, month = period.split("-")
    rows = gl[gl["Date comptable"].str.endswith(f"/{month}/{year}")
              & gl["Compte"].str[:2].isin([f"6{d}" for d in range(9)])]

    def money(text: str) -> Decimal:
        return Decimal(text.replace("\u202f", "").replace(" ", "").replace(",", ".") or "0")

    return sum((money(d) - money(c) for d, c in zip(rows["Débit"], rows["Crédit"], strict=True)),
               Decimal("0"))


COSTS_SHEETS = ["Budget et réel", "Évolution mensuelle", "Back et front office", "Coût par ETP",
                "Principales variations", "Fournisseurs", "Cut-off - synthèse",
                "Cut-off - détail", "Rapprochement"]


@pytest.fixture(scope="module")
def sample_close(tmp_path_factory, sample_dir):
    """parameters/close.yaml as shipped (the real notebooks on the sample company):
    (period folder, summary)."""
    out = tmp_path_factory.mktemp("sample-close") / "out"
    summary = run_close(config.DEFAULT_PARAMS_FILE, out_dir=out, quiet=True)
    return out / summary.period, summary


def test_whole_close_on_the_sample_data(sample_close):
    folder, summary = sample_close
    assert summary.exit_code == 0, summary.describe()
    assert [r.name for r in summary.results] == ["costs", "headcount", "stock",
                                                 "process_efficiency"]
    for result in summary.results:
        assert (folder / f"{result.name}.html").is_file()
        assert result.tiles, result.name
    manifest = json.loads(read(folder / "manifest.json"))
    assert manifest["validation"]["errors"] == 0
    assert all(v["rows"] > 0 for v in manifest["inputs"].values())


def test_headcount_tile_is_the_month_end_headcount_of_the_employee_file(sample_close,
                                                                         sample_dir):
    folder, summary = sample_close
    from backoffice_lib import hr
    from backoffice_lib.loading import load_tables

    employees = load_tables({"employees": sample_dir / "salaries.xlsx"}, cache=False)["employees"]
    expected = int(hr.headcount(employees, [summary.period])["headcount"].iloc[0])
    result = next(r for r in summary.results if r.name == "headcount")
    tiles = {tile.key: tile for tile in result.tiles}
    assert list(tiles) == ["headcount", "fte", "turnover_r12", "absence_rate",
                           "payroll_cost_per_fte"]
    assert tiles["headcount"].value == expected > 0
    assert tiles["headcount"].label == "Effectif fin de mois"
    report = read(folder / "headcount.html")
    assert "Rapprochement de la paie avec le grand livre" in report
    names = employees["name"].dropna().astype(str)
    assert not [n for n in names if n in report]  # no personal data in managers' pages


def test_costs_total_cost_tile_is_the_ledger_total_of_accounts_60_to_68(sample_close,
                                                                       sample_dir):
    folder, summary = sample_close
    expected = _total_cost_from_the_csv(sample_dir / "grand_livre.csv", summary.period)
    tiles = {tile.key: tile for tile in summary.results[0].tiles}
    assert list(tiles) == ["total_cost", "budget_variance", "yoy_pct", "bo_share"]
    assert tiles["total_cost"].value == expected
    assert tiles["total_cost"].label == "Coût total du mois"
    history = pd.read_parquet(folder.parent / "kpi_history.parquet").set_index("key")
    assert history.loc["total_cost", "value"] == float(expected)


def test_costs_tiles_are_on_the_index(sample_close, sample_dir):
    folder, summary = sample_close
    expected = _total_cost_from_the_csv(sample_dir / "grand_livre.csv", summary.period)
    page = read(folder / "index.html")
    assert "<h2 id=\"costs\">Analyse des coûts" in page
    for key in ("total_cost", "budget_variance", "yoy_pct", "bo_share"):
        assert f'data-key="{key}"' in page, key
    whole = f"{int(expected.quantize(Decimal('1'))):,}".replace(",", NNBSP)
    assert f'<div class="bo-tile-value">{whole}{NBSP}€</div>' in page


def test_costs_excel_has_the_key_tables_and_the_reconciliation_ties(sample_close, sample_dir):
    folder, summary = sample_close
    book = openpyxl.load_workbook(folder / "costs.xlsx")
    assert book.sheetnames == COSTS_SHEETS
    recon = list(book["Rapprochement"].values)
    assert recon[0] == ("Tableau", "Périmètre", "Grand livre", "Total analysé", "Différence")
    assert [row[4] for row in recon[1:]] == [0, 0, 0, 0]
    expected = _total_cost_from_the_csv(sample_dir / "grand_livre.csv", summary.period)
    assert Decimal(str(recon[1][2])) == expected                         # 60–68, to the cent
    assert all(row[2] == row[3] for row in recon[1:])
    per_fte = {row[0]: row[1:] for row in book["Coût par ETP"].values}
    assert per_fte["Direction générale"] == (None, None, None, None)     # 4 people: hidden
    assert per_fte["Informatique"][2] == 21                              # 21 people: shown


def test_costs_report_for_managers_has_no_code_and_every_section(sample_close):
    folder, _ = sample_close
    page = read(folder / "costs.html")
    for text in ("load_inputs(", "show_table(", "for_notebook(", "costs.headline(", "set_language",
                 "cost_center_filter", "In [", "Traceback", "<script", "parameters"):
        assert text not in page, text
    assert re.findall(r'<li class="bo-toc-l2"><a href="#[^"]+">([^<]+)</a>', page) == [
        "Chiffres clés", "Du budget au réel", "Évolution sur 24 mois",
        "Back office et front office", "Coût par ETP par département", "Principales variations",
        "Concentration des achats fournisseurs", "Contrôles de cut-off",
        "Rapprochement avec le grand livre", "Évolution sur les clôtures"]
    assert [html.unescape(alt) for alt in re.findall(
        r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', page)] == [
        "Du budget au réel par catégorie, octobre 2026",
        "Charges (classe 6) et budget par mois, nov. 2024 – oct. 2026",
        "Coût d'exploitation par fonction, nov. 2024 – oct. 2026",
        "Coût d'exploitation annuel par ETP, 12 mois à fin octobre 2026",
        "Dépenses par fournisseur, 12 mois à fin octobre 2026 (20 premiers)"]
    assert "Chaque tableau est rapproché du grand livre au centime près." in page
    assert "<title>Analyse des coûts — octobre 2026</title>" in page


def test_costs_notebook_prints_nothing(sample_close):
    folder, _ = sample_close
    nb = nbformat.read(folder / "costs.ipynb", as_version=4)
    printed = [(i, o.get("name"), o.get("text", "")[:200]) for i, c in enumerate(nb.cells)
               if c.cell_type == "code" for o in c.outputs
               if o.output_type in ("stream", "error")]
    assert printed == []
