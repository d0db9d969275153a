"""Resource limits of the loader and the cheap checks made before any reader runs.

A spreadsheet is a program's input written by someone else: a 20 KB file can declare a
billion cells, a zip can expand a thousandfold, a fuzzed workbook can make a native
reader allocate gigabytes or loop. :class:`Limits` bounds what one load may cost; the
guards here refuse, with :class:`~backoffice_lib.errors.ResourceLimitError`, what is
over the limits *before* reading, from what the file declares about itself (its size,
its zip directory). What a file does not declare honestly is bounded by the reader
process instead (memory cap and timeout, :mod:`.isolation`).

Every limit can be raised for a sound but large file: ``load_table(path,
limits=Limits(max_file_bytes=2 * GIB))``.
"""

from __future__ import annotations

import dataclasses
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ResourceLimitError
from ..i18n.formatting import format_number

__all__ = ["GIB", "MIB", "Limits", "check_file_size", "check_zip_directory", "human_bytes"]

MIB = 1024 * 1024
GIB = 1024 * MIB


@dataclass(frozen=True)
class Limits:
    """What one load may cost.

    Parameters
    ----------
    max_file_bytes: size of the input file on disk.
    max_text_bytes: size of a text (csv/tsv/txt/FEC) file, decoded in memory.
    max_zip_entries: number of parts in a zip package (xlsx, ods).
    max_part_bytes: declared uncompressed size of one part of a zip package.
    max_total_unzipped_bytes: declared uncompressed size of all parts together.
    max_ratio: declared compression ratio of a part bigger than ``ratio_floor_bytes``
        (xlsx XML compresses 5–30×; a zip bomb 1000× and more).
    ratio_floor_bytes: parts smaller than this are not ratio-checked.
    reader_memory_bytes: address-space cap of the reader process (RLIMIT_AS).
    read_timeout_s: wall-clock time one read may take in the reader process, seconds.
    max_issues_per_column: issues recorded for one column before the rest are summarised
        by the last one (a wholly unreadable column would otherwise list every row).
    """

    max_file_bytes: int = 512 * MIB
    max_text_bytes: int = 512 * MIB
    max_zip_entries: int = 10_000
    max_part_bytes: int = 2 * GIB
    max_total_unzipped_bytes: int = 4 * GIB
    max_ratio: float = 1_000.0
    ratio_floor_bytes: int = 16 * MIB
    reader_memory_bytes: int = 3 * GIB
    read_timeout_s: float = 60.0
    max_issues_per_column: int = 10_000

    def replace(self, **changes: object) -> Limits:
        """A copy with some limits changed."""
        return dataclasses.replace(self, **changes)


DEFAULT_LIMITS = Limits()


def human_bytes(n: float) -> str:
    """``1.5 Gio`` / ``1.5 GiB`` style size in the language in force."""
    from ..i18n import t

    for unit, size in (("gib", GIB), ("mib", MIB), ("kib", 1024)):
        if n >= size:
            return t(f"loading.unit_{unit}", value=format_number(n / size, decimals=1))
    return t("loading.unit_bytes", value=format_number(n, decimals=0))


def _refuse(path: Path, detail_key: str, limit: str, **params: object) -> ResourceLimitError:
    from ..i18n import t

    return ResourceLimitError(file=path, detail=t(f"loading.{detail_key}", **params), limit=limit)


def check_file_size(path: Path, size: int, limit: int) -> None:
    """Refuse a file bigger than ``limit`` bytes."""
    if size > limit:
        raise _refuse(path, "limit_file_size", human_bytes(limit), size=human_bytes(size))


def check_zip_directory(path: Path, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse a zip package whose directory declares too many or too big parts.

    Only the central directory is read (no decompression). Declared sizes can lie; what
    they declare is checked here, what they hide is bounded by the reader process.
    """
    if len(infos) > limits.max_zip_entries:
        raise _refuse(path, "limit_zip_entries", format_number(limits.max_zip_entries, decimals=0),
                      count=format_number(len(infos), decimals=0))
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if size > limits.max_part_bytes:
            raise _refuse(path, "limit_part_size", human_bytes(limits.max_part_bytes),
                          part=info.filename, size=human_bytes(size))
        if size > limits.ratio_floor_bytes:
            ratio = size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise _refuse(path, "limit_ratio", format_number(limits.max_ratio, decimals=0),
                              part=info.filename, ratio=format_number(ratio, decimals=0))
    if total > limits.max_total_unzipped_bytes:
        raise _refuse(path, "limit_total_unzipped", human_bytes(limits.max_total_unzipped_bytes),
                      size=human_bytes(total))
