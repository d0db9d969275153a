"""Independent, reproducible random streams: one per part of the company."""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, name: str) -> np.random.Generator:
    """The generator of stream ``name`` for ``seed``: the same on every run and machine.

    Each part of the company (people, invoices, stock...) draws from its own stream, so
    changing how one part is generated never shifts the numbers of another.
    """
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, zlib.crc32(name.encode("utf-8"))])
