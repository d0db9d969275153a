"""First step of the close: load and validate every input once.

:func:`load_inputs` loads the run's inputs with :func:`backoffice_lib.loading.load_tables`
(cache on: the table cache in :func:`backoffice_lib.config.cache_dir` is then warm, and
the notebooks' own ``load_tables`` calls read it instead of parsing the spreadsheets
again; the kernels get the same ``BACKOFFICE_CACHE_DIR``); :func:`validate_inputs`
validates them together with :func:`backoffice_lib.validation.validate`
(:func:`check_inputs`: both). A file that cannot be read raises its
:class:`~backoffice_lib.errors.InputError` (exit code 2); data errors are in the report
and stop the close (exit code 1); warnings go on and are shown in the reports.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..params import RunParams
from ..provenance import source_of
from ..report.index import DataQualitySummary, TableQuality

__all__ = ["InputCheck", "check_inputs", "input_sizes", "load_inputs", "loader_inputs",
           "validate_inputs"]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class InputCheck:
    """The loaded tables and their validation report."""

    tables: dict[str, pd.DataFrame]
    report: Any  # backoffice_lib.validation.ValidationReport

    @property
    def ok(self) -> bool:
        """True when nothing blocks the close."""
        return bool(self.report.ok)

    @property
    def errors(self) -> int:
        """Number of blocking problems."""
        return int(self.report.error_count)

    @property
    def warnings(self) -> int:
        """Number of warnings."""
        return int(self.report.warning_count)

    def manifest(self, params: RunParams) -> dict[str, dict[str, Any]]:
        """Each input's path, sheet, sha256, format and row count, for ``manifest.json``."""
        out: dict[str, dict[str, Any]] = {}
        for name, spec in params.inputs.items():
            frame = self.tables.get(name)
            source = source_of(frame) if frame is not None else None
            out[name] = {
                "path": str(spec.path),
                "sheet": (source.sheet if source is not None else None) or spec.sheet,
                "sha256": (source.sha256 if source is not None and source.sha256
                           else _sha256(spec.path)),
                "format": source.format if source is not None else None,
                "rows": None if frame is None else int(len(frame)),
            }
        return out

    def quality(self, params: RunParams, html_href: str | None = None,
                xlsx_href: str | None = None) -> DataQualitySummary:
        """Errors and warnings by table (with its file's name), for the index page."""
        counts = self.report.counts()
        rows = []
        for name, frame in self.tables.items():
            mine = counts[counts["table"] == name]
            rows.append(TableQuality(
                table=name, rows=int(len(frame)), file=params.inputs[name].path.name,
                errors=int(mine.loc[mine["severity"] == "error", "count"].sum()),
                warnings=int(mine.loc[mine["severity"] == "warning", "count"].sum()),
            ))
        return DataQualitySummary(errors=self.errors, warnings=self.warnings,
                                  tables=tuple(rows), html_href=html_href, xlsx_href=xlsx_href)


def loader_inputs(params: RunParams) -> dict[str, Any]:
    """The run's inputs as :func:`~backoffice_lib.loading.load_tables` takes them."""
    return {name: spec.for_loader() for name, spec in params.inputs.items()}


def input_sizes(params: RunParams) -> dict[str, int]:
    """Size in bytes of each input file (to share the loading out)."""
    return {name: spec.path.stat().st_size for name, spec in params.inputs.items()}


Prefetch = Callable[[Mapping[str, Any], Mapping[str, int]], Mapping[str, pd.DataFrame]]


def load_inputs(params: RunParams, prefetch: Prefetch | None = None) -> dict[str, pd.DataFrame]:
    """Load every input of the run once, cache on; table name → frame, in the order of
    the parameters.

    ``prefetch(inputs, sizes)``, when given, fills the cache first (in parallel: see
    :meth:`.runner.NotebookPool.prefetch`) and returns the frames it already holds; the
    load that follows reads the rest from the cache and raises the error of any file
    that could not be read.
    """
    from ..loading import load_tables

    inputs = loader_inputs(params)
    ready = dict(prefetch(inputs, input_sizes(params))) if prefetch is not None else {}
    rest = load_tables({k: v for k, v in inputs.items() if k not in ready}, cache=True)
    return {name: ready[name] if name in ready else rest[name] for name in inputs}


def validate_inputs(params: RunParams, tables: Mapping[str, pd.DataFrame]) -> InputCheck:
    """Validate the loaded tables together (every rule, in the run's language)."""
    from ..validation import validate

    report = validate(dict(tables), lang=params.language)
    return InputCheck(tables=dict(tables), report=report)


def check_inputs(params: RunParams, prefetch: Prefetch | None = None) -> InputCheck:
    """:func:`load_inputs`, then :func:`validate_inputs`."""
    return validate_inputs(params, load_inputs(params, prefetch))
