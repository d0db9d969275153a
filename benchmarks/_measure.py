"""Small helpers shared by the benchmarks: timing, peak memory of a child process."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def median_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Median wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_measured(code: str) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter; return its wall time and peak RSS (MiB).

    ``code`` may set a dict ``result`` whose items are added to the answer.
    """
    wrapper = (
        "import json, resource, time\n"
        "_t = time.perf_counter()\n"
        "result = {}\n"
        f"{code}\n"
        "result['seconds'] = time.perf_counter() - _t\n"
        "result['peak_mib'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print('@@' + json.dumps(result))\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True,
                         check=True)
    line = [x for x in out.stdout.splitlines() if x.startswith("@@")][-1]
    return json.loads(line[2:])


def ratio_line(label: str, ours: float, theirs: float, goal: float | None = None) -> str:
    """``label: 0.42 s vs 9.80 s -> 23.3x faster (goal >= 20x: met)``."""
    ratio = theirs / ours if ours > 0 else float("inf")
    text = f"{label}: {ours:.3f} s vs {theirs:.3f} s -> {ratio:.1f}x faster"
    if goal is not None:
        text += f" (goal >= {goal:g}x: {'met' if ratio >= goal else 'NOT met'})"
    return text
