"""Paths and package-wide defaults, in one place.

Every path the package uses comes from here (cookiecutter-data-science style), so
nothing depends on the working directory a notebook or papermill was started in.
Environment variables override the defaults for tests and deployments:

- ``BACKOFFICE_ROOT``: the project folder (notebooks/, parameters/, outputs/, data/).
- ``BACKOFFICE_CACHE_DIR``: where loaded tables are cached (Arrow IPC files).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJ_ROOT = Path(os.environ.get("BACKOFFICE_ROOT", PACKAGE_DIR.parent)).resolve()

DATA_DIR = PROJ_ROOT / "data"
SAMPLE_DATA_DIR = DATA_DIR / "sample"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
PARAMETERS_DIR = PROJ_ROOT / "parameters"
OUTPUTS_DIR = PROJ_ROOT / "outputs"
DEFAULT_PARAMS_FILE = PARAMETERS_DIR / "close.yaml"


def cache_dir() -> Path:
    """Folder of the cache of loaded tables (read at each call: tests redirect it)."""
    env = os.environ.get("BACKOFFICE_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "backoffice-analytics" / "tables"


#: Last month of the fictional sample company. Fixed, not derived from today's date,
#: so that the same seed gives the same data on any day.
SAMPLE_END_PERIOD = "2026-10"

#: Reporting currency (kpi-reference §0).
REPORTING_CURRENCY = "EUR"
