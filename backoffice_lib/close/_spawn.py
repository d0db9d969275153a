"""Entry point of a close worker process: ``python -m backoffice_lib.close._spawn FD``.

A module of its own, imported by nothing else, so that ``-m`` runs it exactly once. When
the close gives the kernels' warm-up code in the environment (:data:`WARMUP_ENV`), the
first kernel starts here, before the worker imports pandas, papermill and nbconvert:
both then load side by side.
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    from .kernels import WARMUP_ENV, Warmer

    warmer = Warmer(os.environ.get(WARMUP_ENV, ""))
    if WARMUP_ENV in os.environ:
        warmer.begin()

    from .worker import block_slow_imports, main

    block_slow_imports()
    sys.exit(main(sys.argv[1:], warmer))
