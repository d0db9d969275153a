"""Progress of the close on stderr: which notebook, elapsed time, done/failed, n/total.

One line per event, so the output reads well in a terminal, a CI log or a file::

    [close] 3 analyses, 2 workers
    [close] costs: started
    [close] costs: ok in 4,2 s (1/3)
    [close] stock: FAILED in 1,3 s (2/3) — ValueError: boom
    [close] running: headcount 12 s

While notebooks run, a "running" line lists them with their elapsed time every
``heartbeat`` seconds. Texts come from the ``close`` catalogue.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from ..i18n import t
from ..i18n.formatting import format_number

__all__ = ["Progress"]


class Progress:
    """Prints the close's progress lines; silent when ``stream`` is None."""

    def __init__(self, total: int, lang: str, stream: TextIO | None = sys.stderr,
                 heartbeat: float = 10.0) -> None:
        self.total = total
        self.lang = lang
        self.stream = stream
        self.heartbeat = heartbeat
        self.finished = 0
        self.failed = 0
        self.running: dict[str, float] = {}
        self._last_beat = time.monotonic()

    def _print(self, text: str) -> None:
        if self.stream is not None:
            print(f"[close] {text}", file=self.stream, flush=True)

    def seconds(self, value: float) -> str:
        """``4,2 s`` / ``4.2 s``."""
        return t("close.seconds", self.lang, value=format_number(value, self.lang, 1))

    def message(self, key: str, **params: object) -> None:
        """Print the catalogue text ``close.<key>``."""
        self._print(t(f"close.{key}", self.lang, **params))

    def started(self, name: str, at: float | None = None) -> None:
        """A worker began ``name``."""
        self.running[name] = at if at is not None else time.monotonic()
        self._print(t("close.progress_started", self.lang, name=name))

    def done(self, name: str, ok: bool, seconds: float, error: str = "") -> None:
        """``name`` finished (``ok``) or failed with ``error``'s first line."""
        self.running.pop(name, None)
        self.finished += 1
        self.failed += 0 if ok else 1
        key = "close.progress_ok" if ok else "close.progress_failed"
        self._print(t(key, self.lang, name=name, elapsed=self.seconds(seconds),
                      done=self.finished, total=self.total, error=_first_line(error)))

    def export_failed(self, name: str, seconds: float, error: str = "") -> None:
        """``name`` ran, but its reports could not be written: a failed line (it was
        already counted as finished)."""
        self.failed += 1
        self._print(t("close.progress_failed", self.lang, name=name,
                      elapsed=self.seconds(seconds), done=self.finished, total=self.total,
                      error=_first_line(error)))

    def tick(self) -> None:
        """Every ``heartbeat`` seconds, list the notebooks still running."""
        now = time.monotonic()
        if not self.running or now - self._last_beat < self.heartbeat:
            return
        self._last_beat = now
        names = ", ".join(f"{n} {self.seconds(now - start)}"
                          for n, start in sorted(self.running.items()))
        self._print(t("close.progress_running", self.lang, names=names,
                      done=self.finished, total=self.total))


def _first_line(error: str) -> str:
    """The first non-blank line of an error message ("" for none)."""
    return error.strip().splitlines()[0] if error.strip() else ""
