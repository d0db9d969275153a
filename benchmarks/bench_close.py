"""Monthly close: ``backoffice close`` against the naive way, same data, same notebooks.

The naive way runs each notebook with the ``papermill`` CLI, then ``jupyter nbconvert
--to html``, one after another, with the table cache disabled (a fresh, empty cache
folder for each notebook: every notebook parses the spreadsheets). The close runs them
in parallel (``--jobs`` = the cores), each in its own warm kernel, after loading and
validating every input once, in parallel, into the shared cache.

Measured in the same run on the same data:

- the close with a cold cache (first close of the month) and with a warm one (a re-run
  with ``--force``, e.g. after fixing a notebook), three times each at scale 1 (their
  mean is compared: see :func:`measure`);
- the naive way (which does not even validate the inputs or build an index);
- scale 1 (``data/sample``) and scale 10 (``data/sample-x10``, generated once with
  ``backoffice sample-data --scale 10``);
- peak memory: the largest sum of resident memory over the whole process tree (close,
  workers, kernels, reader processes), sampled every 200 ms (a sample reads /proc for
  the whole tree: about 3 ms of CPU, which a close using both cores pays and a naive run,
  on one core, does not; at 50 ms the sampling took 0.5 CPU-s from each close, 2.5 %).
  A close's memory peaks last seconds (kernels hold their tables to the end). Kernels
  and workers forked from the close's fork server share the pages of their imports,
  which this sum counts once per process: it overstates the close's real use (measured
  once mid-close at scale 1: 1,661 MiB summed, 974 MiB proportional set size). PSS is
  not sampled here: reading it costs ~40 ms per sample, enough to slow the close.

Goals (issue): the close at least 5x faster than the naive way at scale 1; from scale 1
to scale 10 the close's time grows at most 10x. The notebooks are those listed in
``parameters/close.yaml`` once they all exist; until then the benchmark notebook
``tests/data/notebooks/bench.ipynb`` stands in for the four planned analyses (costs,
headcount, process_efficiency, stock: each copy loads the tables ``tables.TableSpec.used_by``
gives its analysis, shows tiles, a table and a chart), and the output says so.

Run: ``python -m benchmarks close [--quick] [--scales 1,10] [--jobs N] [--stand-ins N]
[--repeats N]`` (or ``make bench``). ``--repeats``: closes timed at scale 1 (default 3;
their mean is compared; scale 10 is timed once).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
import yaml

from backoffice_lib import config
from backoffice_lib.close.runner import declared_parameters
from backoffice_lib.params import load_params, load_yaml

GOAL_SPEEDUP = 5.0
GOAL_GROWTH = 10.0
BENCH_NOTEBOOK = config.PROJ_ROOT / "tests" / "data" / "notebooks" / "bench.ipynb"
BIN = Path(sys.executable).parent
SAMPLE_EVERY = 0.2  # seconds between two memory samples (see the module docstring)


# --------------------------------------------------------------------------- set-up


def _data_dir(scale: int) -> Path:
    """The sample company at ``scale`` (generated once, kept under data/)."""
    folder = config.SAMPLE_DATA_DIR if scale == 1 else config.DATA_DIR / f"sample-x{scale}"
    if not (folder / ".complete").is_file():
        from backoffice_lib.sample_data import generate

        print(f"generating the sample company at scale {scale} in {folder} ...", flush=True)
        generate(folder, scale=scale)
    return folder


def _stand_ins(count: int) -> list[dict[str, Any]]:
    """The bench notebook standing in for the planned analyses (``TableSpec.used_by``):
    each reads the tables its analysis will read."""
    from backoffice_lib.tables import TABLES

    planned = sorted({n for spec in TABLES.values() for n in spec.used_by})[:count]
    return [{"name": name, "path": str(BENCH_NOTEBOOK),
             "parameters": {"tables": sorted(t for t, spec in TABLES.items()
                                             if name in spec.used_by)}}
            for name in planned]


def _notebooks(copies: int) -> tuple[list[Any], str]:
    """The notebooks of parameters/close.yaml if they all exist, else stand-ins."""
    data, _ = load_yaml(config.DEFAULT_PARAMS_FILE)
    folder = config.NOTEBOOKS_DIR
    entries = data.get("notebooks") or []
    names = [e["name"] if isinstance(e, dict) else e for e in entries]
    if names and all((folder / f"{n}.ipynb").is_file() for n in names):
        return entries, f"notebooks of parameters/close.yaml: {', '.join(names)}"
    stand_ins = _stand_ins(copies)
    return stand_ins, (
        "notebooks of parameters/close.yaml not written yet: tests/data/notebooks/bench.ipynb "
        f"standing in for {', '.join(n['name'] for n in stand_ins)} "
        "(each loads the tables its analysis reads, shows tiles, a table and a chart)")


def _params_file(folder: Path, data_dir: Path, notebooks: list[Any]) -> Path:
    """parameters/close.yaml with its inputs taken from ``data_dir`` (same file names)."""
    data, _ = load_yaml(config.DEFAULT_PARAMS_FILE)
    inputs = {}
    for table, value in data["inputs"].items():
        path = value["path"] if isinstance(value, dict) else value
        moved = str(data_dir / Path(path).name)
        inputs[table] = {**value, "path": moved} if isinstance(value, dict) else moved
    data.update(inputs=inputs, notebooks=notebooks)
    path = folder / "close.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- measuring


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        try:
            total += proc.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def run_tree(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Run ``cmd``; its wall time, the peak RSS of its process tree (MiB), its exit code."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, cwd=config.PROJ_ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    watched = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        try:
            peak = max(peak, _tree_rss(watched))
        except psutil.NoSuchProcess:
            break
        time.sleep(SAMPLE_EVERY)
    return time.perf_counter() - start, peak / 2**20, child.wait()


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, "BACKOFFICE_CACHE_DIR": str(cache), "PYTHONWARNINGS": "ignore"}


def close_run(params: Path, out: Path, cache: Path, jobs: int | None) -> tuple[float, float]:
    """``backoffice close --force`` (seconds, peak MiB)."""
    cmd = [str(BIN / "backoffice"), "close", "--params", str(params), "--out", str(out),
           "--force"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    seconds, peak, code = run_tree(cmd, _env(cache))
    if code != 0:
        raise RuntimeError(f"the close did not succeed (exit {code}): {' '.join(cmd)}")
    return seconds, peak


def naive_run(params: Path, folder: Path) -> tuple[float, float]:
    """Each notebook: papermill CLI, then jupyter nbconvert --to html; cache disabled."""
    run = load_params(params)
    total, peak = 0.0, 0.0
    for spec in run.notebooks:
        values = run.notebook_parameters(declared_parameters(spec.path), notebook=spec.name)
        values_file = folder / f"{spec.name}-parameters.yaml"
        values_file.write_text(yaml.safe_dump(values, allow_unicode=True), encoding="utf-8")
        executed = folder / f"{spec.name}.ipynb"
        with tempfile.TemporaryDirectory(prefix="naive-cache-") as cache:
            steps = [
                [str(BIN / "papermill"), str(spec.path), str(executed), "-f", str(values_file),
                 "-k", "python3", "--cwd", str(config.PROJ_ROOT)],
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)],
            ]
            for cmd in steps:
                seconds, mib, code = run_tree(cmd, _env(Path(cache)))
                if code != 0:
                    raise RuntimeError(f"naive step failed (exit {code}): {' '.join(cmd)}")
                total += seconds
                peak = max(peak, mib)
    return total, peak


# --------------------------------------------------------------------------- report


def measure(scale: int, notebooks: list[Any], jobs: int | None,
            repeats: int = 1) -> dict[str, Any]:
    """Close cold, close warm and naive at one scale.

    The close is timed ``repeats`` times, each a first close (a fresh cache and a fresh
    output folder: no previous close to order the notebooks by), then a re-run; the
    naive way once, after the first pair, so that it sits among them in time. A close
    lasts a few seconds and a burst of load from another tenant of the machine can slow
    one by 20 %; the naive way lasts a minute and averages such bursts itself: the
    close's figure is the mean of its runs (the spread is printed).
    """
    data_dir = _data_dir(scale)
    runs: dict[str, list[float]] = {"cold": [], "warm": []}
    peaks: dict[str, float] = {"cold_mib": 0.0, "warm_mib": 0.0}
    naive = naive_mib = 0.0
    with tempfile.TemporaryDirectory(prefix=f"bench-close-x{scale}-") as tmp:
        folder = Path(tmp)
        params = _params_file(folder, data_dir, notebooks)
        for i in range(repeats):
            cache, out = folder / f"cache-{i}", folder / f"out-{i}"
            for label in ("cold", "warm"):
                seconds, mib = close_run(params, out, cache, jobs)
                runs[label].append(seconds)
                peaks[f"{label}_mib"] = max(peaks[f"{label}_mib"], mib)
            shutil.rmtree(cache, ignore_errors=True)
            if i == 0:
                naive, naive_mib = naive_run(params, folder)
    found: dict[str, Any] = {label: sum(values) / len(values) for label, values in runs.items()}
    found.update(peaks, naive=naive, naive_mib=naive_mib, runs=runs)
    return found


def _seconds(m: dict[str, Any], label: str) -> str:
    """``12.1 s`` or, over several runs, ``12.1 s (mean of 3: 11.5-12.9)``."""
    values = m["runs"][label]
    spread = f" (mean of {len(values)}: {min(values):.1f}-{max(values):.1f})" \
        if len(values) > 1 else ""
    return f"{m[label]:6.1f} s{spread}"


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str]) -> None:
    """Print the close's timings against the naive way, and its growth with the data."""
    quick = "--quick" in argv
    scales = [1] if quick else [1, 10]
    jobs, copies, repeats = None, 4, 3
    for i, arg in enumerate(argv):
        if arg == "--scales" and i + 1 < len(argv):
            scales = [int(s) for s in argv[i + 1].split(",")]
        if arg == "--jobs" and i + 1 < len(argv):
            jobs = int(argv[i + 1])
        if arg == "--stand-ins" and i + 1 < len(argv):
            copies = int(argv[i + 1])
        if arg == "--repeats" and i + 1 < len(argv):
            repeats = int(argv[i + 1])
    notebooks, note = _notebooks(copies)
    print(f"notebooks: {note}")
    print(f"cores: {os.cpu_count()}, jobs: {jobs or 'cores'}")
    found: dict[int, dict[str, float]] = {}
    for scale in scales:
        found[scale] = m = measure(scale, notebooks, jobs, repeats if scale == 1 else 1)
        print(f"scale {scale:>2}: close cold {_seconds(m, 'cold')} ({m['cold_mib']:,.0f} MiB peak)"
              f" | close warm {_seconds(m, 'warm')} ({m['warm_mib']:,.0f} MiB)"
              f" | naive {m['naive']:6.1f} s ({m['naive_mib']:,.0f} MiB)", flush=True)
        for label in ("cold", "warm"):
            ratio = m["naive"] / m[label]
            goal = f" (goal >= {GOAL_SPEEDUP:g}x at scale 1: {_verdict(ratio >= GOAL_SPEEDUP)})" \
                if scale == 1 else ""
            print(f"          close {label} vs naive: {ratio:.1f}x faster{goal}")
    if 1 in found and 10 in found:
        for label in ("cold", "warm"):
            growth = found[10][label] / found[1][label]
            print(f"growth scale 1 -> 10, close {label}: {growth:.1f}x "
                  f"(goal <= {GOAL_GROWTH:g}x: {_verdict(growth <= GOAL_GROWTH)})")
        growth = found[10]["naive"] / found[1]["naive"]
        print(f"growth scale 1 -> 10, naive: {growth:.1f}x (for comparison)")


if __name__ == "__main__":
    main(sys.argv[1:])
