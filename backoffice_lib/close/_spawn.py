"""Entry point of a close worker process: ``python -m backoffice_lib.close._spawn FD``.

A module of its own, imported by nothing else, so that ``-m`` runs it exactly once.
"""

from __future__ import annotations

import sys

from .worker import block_slow_imports, main

if __name__ == "__main__":
    block_slow_imports()
    sys.exit(main(sys.argv[1:]))
