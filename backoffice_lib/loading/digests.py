"""The sha256 of an input file, remembered by the file's identity.

The table cache (:mod:`.cache`) is keyed by the sha256 of a file's bytes. Hashing a
ledger of 30 MB takes a tenth of a second, and a close hashed each input several times:
once to look the cache up, again to load a file that was not in it, then once in each
notebook that reads it. Here a file's digest is remembered under its identity — path,
device, inode, size, modification and status-change times (``ctime`` changes with any
write and cannot be set back, even by tools that restore ``mtime``) — in the cache
folder (``digests/``), never beside the file. A file whose identity is unchanged is not
read again to find its digest.

Like git's index, a digest is only remembered for a file that has been left alone for
:data:`SETTLED_NS` (two seconds): a file written in the same clock tick as it was read
could change again without changing its times. A memo that cannot be read is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import time
from pathlib import Path

from .. import config

__all__ = ["SETTLED_NS", "digest_of", "remember", "remembered"]

#: Nanoseconds since its last change before a file's digest is remembered.
SETTLED_NS = 2_000_000_000
_FOLDER = "digests"
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _identity(path: Path, st: os.stat_result) -> str:
    text = "\0".join(map(str, (path, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns,
                               st.st_ctime_ns)))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _memo(path: Path, st: os.stat_result) -> Path:
    return config.cache_dir() / _FOLDER / _identity(path, st)


def remembered(path: Path, st: os.stat_result) -> str | None:
    """The digest remembered for ``path`` in the state ``st`` (its ``stat()``), or None."""
    try:
        text = _memo(path, st).read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return None
    return text if _SHA256.fullmatch(text) else None


def remember(path: Path, st: os.stat_result, sha256: str) -> None:
    """Remember ``sha256`` as the digest of ``path`` in the state ``st``, if the file has
    settled (see the module docstring); cache problems never fail a load."""
    now = time.time_ns()
    if now - max(st.st_mtime_ns, st.st_ctime_ns) < SETTLED_NS:
        return
    memo = _memo(path, st)
    tmp = None
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=memo.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(sha256)
        os.replace(tmp, memo)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def digest_of(path: Path, st: os.stat_result, data: bytes) -> str:
    """The sha256 of ``data``, the bytes read from ``path`` while its ``stat()`` was
    ``st``; remembered for the next reader."""
    sha256 = hashlib.sha256(data).hexdigest()
    remember(path, st, sha256)
    return sha256
