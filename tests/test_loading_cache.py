"""The table cache: hits without reading, misses when the file changes, never stale."""

from __future__ import annotations

import os
import time
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest

import backoffice_lib.loading as loading
from backoffice_lib import config, load_table

CSV = "Période;Centre de coût;Compte;Montant\n2026-01;CC010;601000;1 000,50\n2026-01;CC020;x;abc\n"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache folder for one test."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("BACKOFFICE_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def budget_csv(tmp_path: Path) -> Path:
    """A small budget file with one unreadable amount."""
    path = tmp_path / "data" / "budget.csv"
    path.parent.mkdir()
    path.write_text(CSV, encoding="utf-8")
    return path


def test_second_load_reads_the_cache_not_the_file(cache_dir, budget_csv):
    first = load_table(budget_csv, table="budget")
    assert len(list(cache_dir.glob("*.arrow"))) == 1
    with mock.patch.object(loading, "_read_raw", side_effect=AssertionError("reader called")):
        second = load_table(budget_csv, table="budget")
    pd.testing.assert_frame_equal(second, first)
    assert second.attrs["source"] == first.attrs["source"]
    assert [i.rule for i in second.attrs["source"].issues] == ["INVALID_NUMBER"]
    assert second.attrs["source"].issues[0].cell == "D3"


def test_changed_file_is_read_again(cache_dir, budget_csv):
    first = load_table(budget_csv, table="budget")
    budget_csv.write_text(CSV.replace("1 000,50", "2 000,00"), encoding="utf-8")
    os.utime(budget_csv, ns=(1, 1))  # same size, old mtime: only the content differs
    second = load_table(budget_csv, table="budget")
    assert str(first["amount"].iloc[0]) == "1000.50"
    assert str(second["amount"].iloc[0]) == "2000.00"


def test_cache_false_bypasses_the_cache(cache_dir, budget_csv):
    load_table(budget_csv, table="budget", cache=False)
    assert not cache_dir.exists() or not list(cache_dir.glob("*.arrow"))


def test_corrupt_cache_entry_is_ignored_and_rewritten(cache_dir, budget_csv):
    first = load_table(budget_csv, table="budget")
    (entry,) = cache_dir.glob("*.arrow")
    entry.write_bytes(b"not an arrow file")
    second = load_table(budget_csv, table="budget")
    pd.testing.assert_frame_equal(second, first)
    assert entry.read_bytes()[:6] == b"ARROW1"


def test_same_content_elsewhere_points_at_the_new_path(cache_dir, budget_csv, tmp_path):
    load_table(budget_csv, table="budget")
    copy = tmp_path / "copie.csv"
    copy.write_bytes(budget_csv.read_bytes())
    info = load_table(copy, table="budget").attrs["source"]
    assert info.file == str(copy.resolve())
    assert info.issues[0].file == str(copy.resolve())


def test_options_are_part_of_the_key(cache_dir, budget_csv):
    as_found = load_table(budget_csv)
    canonical = load_table(budget_csv, table="budget")
    assert "amount" in canonical.columns and "Montant" in as_found.columns
    assert len(list(cache_dir.glob("*.arrow"))) == 2


def test_cache_dir_comes_from_config(cache_dir):
    assert config.cache_dir() == cache_dir


def test_load_cached_reads_only_the_inputs_the_cache_holds(cache_dir, budget_csv, tmp_path):
    inputs = {"budget": str(budget_csv), "other": {"path": "data/budget.csv", "separator": ","},
              "missing": str(tmp_path / "missing.csv")}
    assert loading.load_cached(inputs, base_dir=tmp_path) == {}
    first = load_table(budget_csv, table="budget")
    found = loading.load_cached(inputs, base_dir=tmp_path)
    assert list(found) == ["budget"]                                # other options: not cached
    pd.testing.assert_frame_equal(found["budget"], first)
    assert found["budget"].attrs["source"] == first.attrs["source"]
    budget_csv.write_text(CSV.replace("1 000,50", "2 000,00"), encoding="utf-8")
    assert loading.load_cached(inputs, base_dir=tmp_path) == {}     # new content


# --------------------------------------------------------------------------- digests


@pytest.fixture
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Digests are remembered without waiting for the file to settle."""
    from backoffice_lib.loading import digests

    monkeypatch.setattr(digests, "SETTLED_NS", -1)


def test_an_unchanged_file_is_not_read_again_to_find_its_cache_entry(cache_dir, budget_csv,
                                                                    settled_at_once):
    first = load_table(budget_csv, table="budget")
    assert len(list((cache_dir / "digests").iterdir())) == 1
    with mock.patch.object(loading, "_read_bytes", side_effect=AssertionError("file read")):
        second = load_table(budget_csv, table="budget")
        assert loading.load_cached({"budget": budget_csv}).keys() == {"budget"}
    pd.testing.assert_frame_equal(second, first)
    assert second.attrs["source"].sha256 == first.attrs["source"].sha256


def test_a_rewritten_file_with_its_old_times_restored_is_read_again(cache_dir, budget_csv,
                                                                   settled_at_once):
    first = load_table(budget_csv, table="budget")
    st = budget_csv.stat()
    budget_csv.write_text(CSV.replace("1 000,50", "2 000,00"), encoding="utf-8")
    os.utime(budget_csv, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    second = load_table(budget_csv, table="budget")  # ctime moved: the digest is not reused
    assert str(first["amount"].iloc[0]) == "1000.50"
    assert str(second["amount"].iloc[0]) == "2000.00"
    assert second.attrs["source"].sha256 != first.attrs["source"].sha256


def test_a_file_just_written_gets_no_remembered_digest(cache_dir, budget_csv):
    load_table(budget_csv, table="budget")  # written a moment ago: it may change again
    assert not (cache_dir / "digests").exists()
    assert len(list(cache_dir.glob("*.arrow"))) == 1


def test_a_damaged_digest_memo_is_ignored(cache_dir, budget_csv, settled_at_once):
    first = load_table(budget_csv, table="budget")
    (memo,) = (cache_dir / "digests").iterdir()
    memo.write_text("not a digest", encoding="ascii")
    second = load_table(budget_csv, table="budget")
    assert second.attrs["source"].sha256 == first.attrs["source"].sha256
    assert len(memo.read_text(encoding="ascii")) == 64  # remembered again


def test_prune_removes_what_was_not_used_for_a_month(cache_dir, budget_csv, settled_at_once):
    from backoffice_lib.loading import cache

    load_table(budget_csv, table="budget")
    (entry,) = cache_dir.glob("*.arrow")
    (memo,) = (cache_dir / "digests").iterdir()
    old_format = cache_dir / f"{'0' * 64}.parquet"
    old_format.write_bytes(b"PAR1")
    assert cache.prune() == 0  # at most once a day: the write just pruned
    assert cache.prune(force=True) == 1 and not old_format.exists()
    month_ago = time.time() - 31 * 86400
    os.utime(entry, (month_ago, month_ago))
    os.utime(memo, (month_ago, month_ago))
    load_table(budget_csv, table="budget")  # a hit keeps its entry
    assert cache.prune(force=True) == 1 and entry.exists() and not memo.exists()
    os.utime(entry, (month_ago, month_ago))
    assert cache.prune(force=True) == 1 and not entry.exists()
    assert len(load_table(budget_csv, table="budget")) == 2  # loaded again
