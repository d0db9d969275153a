"""What a run of the generator wrote: files, row counts, and a text for the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import t
from ..i18n.formatting import format_number

__all__ = ["SampleSummary"]


@dataclass(frozen=True)
class SampleSummary:
    """Result of :func:`backoffice_lib.sample_data.generate`.

    files: canonical table → written file (plus ``"fec"`` for the FEC when written).
    rows: canonical table → data rows written (``"fec"``: FEC lines).
    defects_file: ``defects.json`` of a dirty run, else None.
    findings: close findings planted in the ledger (kind, entry_id, ...).
    """

    out: Path
    seed: int
    months: int
    scale: int
    end_period: str
    dirty: bool
    files: dict[str, Path]
    rows: dict[str, int]
    defects_file: Path | None = None
    defect_count: int = 0
    quirk_count: int = 0
    findings: list[dict] = field(default_factory=list)

    def describe(self, lang: str | None = None) -> str:
        """Several lines: where, with which arguments, each file and its row count."""
        lines = [t("sample_data.summary_header", lang, out=str(self.out), seed=self.seed,
                   months=self.months, end_period=self.end_period, scale=self.scale)]
        for table, path in self.files.items():
            lines.append(t("sample_data.summary_file", lang, file=path.name, table=table,
                           rows=format_number(self.rows.get(table, 0), lang)))
        if self.dirty and self.defects_file is not None:
            lines.append(t("sample_data.summary_dirty", lang, file=self.defects_file.name,
                           defects=self.defect_count, quirks=self.quirk_count))
        if "fec" not in self.files:
            lines.append(t("sample_data.summary_no_fec", lang))
        return "\n".join(lines)
