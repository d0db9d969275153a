"""Settings of the whole pytest run: the suite in tests/ and the notebooks run by nbval.

``pyproject.toml`` collects ``notebooks/`` with ``--nbval-lax``: each committed notebook
runs top to bottom with its default parameters (the inputs of ``parameters/close.yaml``,
i.e. the sample company) and fails on any error. Their kernels inherit this process's
environment, so the table cache is pointed at a temporary folder here (tests/conftest.py
then gives the suite its own per-session folder, which the notebooks reuse when they run
after the suite); nothing is written to outputs/ or to the user's cache.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """A temporary table cache for the whole run, unless one is set already."""
    if not os.environ.get("BACKOFFICE_CACHE_DIR"):
        folder = tempfile.mkdtemp(prefix="backoffice-pytest-cache-")
        os.environ["BACKOFFICE_CACHE_DIR"] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Notebook cells (nbval) are slow tests: ``-m "not slow"`` leaves them out."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
