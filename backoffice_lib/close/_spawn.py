"""Entry point of a close worker process: ``python -m backoffice_lib.close._spawn FD``.

A module of its own, imported by nothing else, so that ``-m`` runs it exactly once.
When the close runs a fork server (:mod:`.forkserver`), this process only asks it for a
worker, imports done, and stands in for it (:func:`._stub.stand_in_for_worker`). Without
one, it is the worker: when the close gives the kernels' warm-up code in the
environment (:data:`WARMUP_ENV`), the first kernel starts here, before the worker
imports pandas, papermill and nbconvert, so that both load side by side.
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    from ._stub import stand_in_for_worker

    code = stand_in_for_worker(int(sys.argv[1]))
    if code is not None:
        sys.exit(code)

    from .kernels import WARMUP_ENV, Warmer

    warmer = Warmer(os.environ.get(WARMUP_ENV, ""))
    if WARMUP_ENV in os.environ:
        warmer.begin()

    from .worker import block_slow_imports, main

    block_slow_imports()
    sys.exit(main(sys.argv[1:], warmer))
