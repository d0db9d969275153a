"""pyproject.toml is the one source of dependencies; environment.yml mirrors it."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _pins(specs):
    out = {}
    for spec in specs:
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(>=\s*[\w.]+)?", spec)
        if match:
            out[match.group(1).lower().replace("_", "-")] = (match.group(2) or "").replace(" ", "")
    return out


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_dependency_has_a_lower_bound():
    project = _pyproject()["project"]
    specs = project["dependencies"] + project["optional-dependencies"]["dev"]
    assert [s for s in specs if ">=" not in s] == []


def test_environment_yml_mirrors_pyproject():
    project = _pyproject()["project"]
    wanted = _pins(project["dependencies"] + project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    listed = _pins(d for d in env["dependencies"] if isinstance(d, str) and d != "pip")
    listed.pop("python", None)
    assert listed == wanted


def test_console_script_points_at_the_cli():
    assert _pyproject()["project"]["scripts"]["backoffice"] == "backoffice_lib.cli:main"


def test_the_code_passes_the_linter():
    """``make lint`` as part of ``make test``: ruff (a dev dependency) finds nothing."""
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run([str(ruff), "check", "--no-cache", "backoffice_lib", "tests",
                           "benchmarks"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
