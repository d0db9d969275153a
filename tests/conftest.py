"""Shared fixtures. Sections: Settings / Autouse / Paths / Sample data."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest
from hypothesis import settings

from backoffice_lib import config

# --------------------------------------------------------------------------- Settings

# Deadlines make CI flaky without telling us anything (pandas' `ci` profile).
settings.register_profile("ci", deadline=None, max_examples=200)
settings.load_profile("ci")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = PROJECT_ROOT.parent / "shared"
CORPUS_DIR = SHARED_DIR / "corpus"
TESTS_DATA = Path(__file__).resolve().parent / "data"
ARTIFACTS_DIR = PROJECT_ROOT / "test-artifacts"

# Notebooks under tests/data are fixtures of the close tests, not notebooks to run with nbval.
collect_ignore_glob = ["data/*"]

# --------------------------------------------------------------------------- Autouse


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Point the table cache at a per-session folder, never the user's cache."""
    os.environ["BACKOFFICE_CACHE_DIR"] = str(tmp_path_factory.mktemp("table-cache"))
    os.environ.setdefault("BACKOFFICE_LANG", "fr")


# --------------------------------------------------------------------------- Paths


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus (skipped when absent, except in CI where it must be there)."""
    if not (CORPUS_DIR / "MANIFEST.tsv").is_file():
        if os.environ.get("BACKOFFICE_REQUIRE_CORPUS"):
            pytest.fail(f"shared corpus not found at {CORPUS_DIR}")
        pytest.skip(f"shared corpus not found at {CORPUS_DIR}")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Folder for test artefacts kept after the run (screenshots, reports)."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


# --------------------------------------------------------------------------- Sample data


def _generate_once(out: Path, **kwargs) -> Path:
    """Generate sample data into ``out`` unless complete; safe across xdist workers."""
    from backoffice_lib.sample_data import generate

    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / f".{out.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / ".complete").is_file():
            generate(out, **kwargs)
    return out


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The clean sample company (data/sample, made by `make` or here on first use)."""
    return _generate_once(config.SAMPLE_DATA_DIR)


@pytest.fixture(scope="session")
def dirty_sample_dir() -> Path:
    """The same company with the defects of real exports, and defects.json."""
    return _generate_once(config.DATA_DIR / "sample-dirty", dirty=True)
