"""Run every benchmark module (``python -m benchmarks [name ...]``)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = [a for a in argv if not a.startswith("-")]
    if wanted:
        names = [n for n in names if n.removeprefix("bench_") in wanted or n in wanted]
    started = time.perf_counter()
    for name in names:
        print(f"\n=== {name.removeprefix('bench_')} ===", flush=True)
        importlib.import_module(f"benchmarks.{name}").main(argv)
    print(f"\nall benchmarks: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
