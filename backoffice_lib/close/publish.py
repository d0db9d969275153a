"""Publishing a period: all or nothing.

A close writes everything into a hidden staging folder next to its target,
``outputs/.<period>.tmp-<pid>-<random>/``, and only at the end renames it to
``outputs/<period>/`` (one ``rename``: atomic on one file system). So an interrupted
close (Ctrl-C, a crash, a killed machine) leaves no half-written period: either the
previous folder is still there, untouched, or the new one is complete.

- Without ``force``, an existing period is never touched: :func:`check_target` raises a
  :class:`~backoffice_lib.errors.ParameterError` (exit code 2) before anything runs.
- With ``force``, the old folder is renamed aside (``.<period>.old-...``), the new one
  moved in, then the old one deleted.
- A lock file (``outputs/.<period>.lock``, ``flock``) keeps two closes of the same
  period from racing; staging folders left by a close that was killed (its process is
  gone) are removed by the next close of the period.

:func:`write_manifest` writes ``manifest.json`` (UTF-8, sorted keys, indented).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ParameterError
from ..i18n import t

__all__ = ["Staging", "check_target", "period_lock", "write_manifest"]


def check_target(target: Path, force: bool) -> None:
    """Refuse to replace an existing period folder without ``force``."""
    if target.exists() and not force:
        raise ParameterError(detail=t("close.period_exists", period=target.name,
                                      folder=str(target)))


@contextlib.contextmanager
def period_lock(out_root: Path, period: str) -> Iterator[None]:
    """Hold ``outputs/.<period>.lock`` for the whole close (ParameterError if taken)."""
    out_root.mkdir(parents=True, exist_ok=True)
    with open(out_root / f".{period}.lock", "w", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ParameterError(detail=t("close.period_locked", period=period)) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale(out_root: Path, period: str) -> None:
    """Delete staging folders of this period whose close process is gone."""
    for folder in out_root.glob(f".{period}.tmp-*"):
        pid_text = folder.name.removeprefix(f".{period}.tmp-").split("-", 1)[0]
        if pid_text.isdigit() and not _pid_alive(int(pid_text)):
            shutil.rmtree(folder, ignore_errors=True)
    for folder in out_root.glob(f".{period}.old-*"):
        shutil.rmtree(folder, ignore_errors=True)


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _normalise_modes(folder: Path) -> None:
    """Give every file the usual permissions: writers that use ``mkstemp`` leave 0600,
    which would hide reports from colleagues reading the outputs folder."""
    mask = _current_umask()
    folder.chmod(0o777 & ~mask)
    for path in folder.rglob("*"):
        path.chmod((0o777 if path.is_dir() else 0o666) & ~mask)


class Staging:
    """The staging folder of one close; :meth:`publish` moves it in place.

    Use as a context manager: leaving the block without publishing deletes the folder.
    """

    def __init__(self, out_root: Path, name: str) -> None:
        self.out_root = Path(out_root)
        self.name = name
        self.target = self.out_root / name
        self.path = self.out_root / f".{name}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
        self.published = False

    def __enter__(self) -> Staging:
        self.out_root.mkdir(parents=True, exist_ok=True)
        _remove_stale(self.out_root, self.name)
        self.path.mkdir()
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.published:
            shutil.rmtree(self.path, ignore_errors=True)

    def publish(self, force: bool) -> Path:
        """Move the staging folder to the target (replacing it only with ``force``)."""
        _normalise_modes(self.path)
        old = None
        if self.target.exists():
            if not force:
                raise ParameterError(detail=t("close.period_exists", period=self.name,
                                              folder=str(self.target)))
            old = self.out_root / f".{self.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
            os.rename(self.target, old)
        try:
            os.rename(self.path, self.target)
        except OSError:
            if old is not None:
                os.rename(old, self.target)  # put the previous period back
            raise
        self.published = True
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return self.target


def write_manifest(path: Path, data: dict[str, Any]) -> Path:
    """Write ``manifest.json``."""
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True, default=str)
                    + "\n", encoding="utf-8")
    return path
