"""Every file of the shared corpus loads or raises a BackofficeError, as MANIFEST.tsv says.

The loader runs in this test process on purpose: the files that make native readers
abort or allocate gigabytes must not take the caller down. The reader process's own
timeout is set to 10 s per file (the corpus goal), so a hang becomes a
``ResourceLimitError``, not a slow test.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from backoffice_lib import BackofficeError, load_table
from backoffice_lib.loading import Limits

pytestmark = pytest.mark.corpus

_MANIFEST = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "MANIFEST.tsv"
_LIMITS = Limits(read_timeout_s=10.0)


def _entries() -> list[tuple[str, str]]:
    if not _MANIFEST.is_file():
        return []
    with _MANIFEST.open(encoding="utf-8", newline="") as fh:
        return [(row["path"], row["expect"]) for row in csv.DictReader(fh, delimiter="\t")]


@pytest.mark.parametrize(("relpath", "expect"), _entries(), ids=[p for p, _ in _entries()])
def test_load_table_corpus_file(corpus_dir, relpath, expect):
    path = corpus_dir / relpath
    try:
        frame = load_table(path, cache=False, limits=_LIMITS)
    except BackofficeError as exc:
        assert expect in ("error", "either"), f"expected to load, got {exc!r}"
        assert path.name in str(exc)  # the message names the file
        return
    assert expect in ("load", "either"), f"expected a BackofficeError, loaded {frame.shape}"
    assert frame.index.name == "source_row"
    assert frame.attrs["source"].file == str(path.resolve())
