"""The cost notebook (``notebooks/costs.ipynb``): its run time at scale 1 and scale 10.

The notebook is run as the close runs it (papermill, ``python3`` kernel, the parameters
of ``parameters/close.yaml`` with its inputs taken from the sample company at that scale),
twice: with an empty table cache (the notebook parses the spreadsheets itself, as an
analyst's first run does) and with the cache filled by the first run (as under the close,
which loads and validates the inputs before any notebook starts). Reported for each run:
the wall time of the papermill command, the time spent in the notebook's cells, the peak
resident memory of the process tree (papermill and its kernel) and the slowest sections.

The sample company at scale 10 is generated once (``backoffice sample-data --scale 10``)
into ``data/sample-x10``, the folder ``make bench``'s close benchmark also uses.

Run: ``python -m benchmarks costs [--quick] [--scales 1,10]`` (or ``make bench``).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import nbformat
import yaml

from backoffice_lib import config
from backoffice_lib.close.runner import plan_parameters
from backoffice_lib.params import PARAMS_FILE_ENV, load_params

from .bench_close import BIN, _data_dir, _params_file, run_tree

NOTEBOOK = config.NOTEBOOKS_DIR / "costs.ipynb"
_SECTION = re.compile(r'section\(t\("costs\.section\.(\w+)"\)\)')


def _label(source: str) -> str:
    """A cell's name in the report: its section key, or what the cell does."""
    found = _SECTION.search(source)
    if found:
        return found.group(1)
    return "set-up (parameters, loading)" if "load_inputs" in source else "imports"


def cell_times(executed: Path) -> list[tuple[str, float]]:
    """(label, seconds) of each code cell of an executed notebook (papermill's metadata)."""
    nb = nbformat.read(executed, as_version=4)
    out = []
    for cell in nb.cells:
        duration = cell.get("metadata", {}).get("papermill", {}).get("duration")
        if cell.cell_type == "code" and duration is not None:
            out.append((_label(cell.source), float(duration)))
    return out


def run_notebook(params: Path, folder: Path, cache: Path, tag: str) -> dict[str, Any]:
    """papermill on the cost notebook with the run's values; wall time, cells, peak MiB."""
    values = plan_parameters(load_params(params))["costs"]
    values_file = folder / "costs-parameters.yaml"
    values_file.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
    executed = folder / f"costs-{tag}.ipynb"
    cmd = [str(BIN / "papermill"), str(NOTEBOOK), str(executed), "-f", str(values_file),
           "-k", "python3", "--cwd", str(config.PROJ_ROOT), "--no-progress-bar"]
    env = {**os.environ, "BACKOFFICE_CACHE_DIR": str(cache), "PYTHONWARNINGS": "ignore",
           PARAMS_FILE_ENV: str(params)}
    seconds, peak, code = run_tree(cmd, env)
    if code != 0:
        raise RuntimeError(f"the cost notebook failed (exit {code}); see {executed}")
    cells = cell_times(executed)
    return {"wall": seconds, "cells": sum(s for _, s in cells), "peak_mib": peak,
            "slowest": sorted(cells, key=lambda c: -c[1])[:3]}


def _gl_rows(data_dir: Path) -> int:
    with open(data_dir / "grand_livre.csv", "rb") as handle:
        return sum(1 for _ in handle) - 1


def measure(scale: int) -> dict[str, Any]:
    """The notebook with a cold and a warm table cache, on the company at ``scale``."""
    data_dir = _data_dir(scale)
    with tempfile.TemporaryDirectory(prefix=f"bench-costs-x{scale}-") as tmp:
        folder = Path(tmp)
        params = _params_file(folder, data_dir, ["costs"])
        cache = folder / "cache"
        cold = run_notebook(params, folder, cache, "cold")
        warm = run_notebook(params, folder, cache, "warm")
    return {"cold": cold, "warm": warm, "gl_rows": _gl_rows(data_dir)}


def _line(run: dict[str, Any]) -> str:
    slowest = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in run["slowest"])
    return (f"{run['wall']:6.1f} s ({run['cells']:5.1f} s in cells, "
            f"{run['peak_mib']:,.0f} MiB peak); slowest: {slowest}")


def main(argv: list[str]) -> None:
    """Print the cost notebook's run times and peak memory at each scale."""
    scales = [1] if "--quick" in argv else [1, 10]
    for i, arg in enumerate(argv):
        if arg == "--scales" and i + 1 < len(argv):
            scales = [int(s) for s in argv[i + 1].split(",")]
    print(f"notebook: {NOTEBOOK.relative_to(config.PROJ_ROOT)} under papermill "
          f"(cold: empty table cache; warm: inputs cached, as under the close)")
    found = {}
    for scale in scales:
        found[scale] = m = measure(scale)
        print(f"scale {scale:>2} ({m['gl_rows']:,} ledger lines)", flush=True)
        print(f"  cold cache: {_line(m['cold'])}", flush=True)
        print(f"  warm cache: {_line(m['warm'])}", flush=True)
    if 1 in found and 10 in found:
        for label in ("cold", "warm"):
            growth = found[10][label]["cells"] / found[1][label]["cells"]
            print(f"growth scale 1 -> 10, {label} cache (time in cells): {growth:.1f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
