"""The input tables as markdown, generated from :mod:`backoffice_lib.tables` and the
sample layouts, so that ``docs/data-model.md`` cannot drift from the code.

``python -m backoffice_lib.sample_data.data_model`` rewrites the generated part of the doc
(between the ``BEGIN``/``END`` markers); ``tests/test_sample_data.py`` checks it is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .. import config
from ..tables import TABLES, ColumnSpec, TableSpec
from .layouts import LAYOUTS, FileLayout

__all__ = ["BEGIN", "DOC_PATH", "END", "render_data_model", "render_table", "update_doc"]

BEGIN = "<!-- BEGIN GENERATED: tables (python -m backoffice_lib.sample_data.data_model) -->"
END = "<!-- END GENERATED: tables -->"
DOC_PATH = config.PACKAGE_DIR.parent / "docs" / "data-model.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _describe(col: ColumnSpec) -> str:
    parts = [col.description] if col.description else []
    if col.allowed:
        parts.append("Values: " + ", ".join(f"`{v}`" for v in col.allowed) + ".")
    if col.derived:
        parts.append(f"Derived when absent: `{col.derived}`.")
    return _cell(" ".join(parts))


def _sample_headers(layout: FileLayout | None, column: str) -> str:
    if layout is None:
        return "—"
    headers = [c.header for c in layout.columns if c.canonical == column]
    return " / ".join(headers) if headers else "—"


def render_table(spec: TableSpec) -> str:
    """Markdown section of one table: keys, users, sample file and one row per column."""
    layout = LAYOUTS.get(spec.name)
    key = ", ".join(f"`{k}`" for k in spec.primary_key) or "none"
    used = ", ".join(f"`{u}`" for u in spec.used_by) or "—"
    if layout is None:
        sample = "not generated"
    else:
        where = "CSV" if layout.is_csv else f"sheet « {layout.sheet} »"
        sample = f"`{layout.file_name}` ({where})"
    lines = [
        f"### `{spec.name}`",
        "",
        _cell(spec.description),
        "",
        f"Domain: {spec.domain} · Primary key: {key} · Used by: {used} · Sample file: {sample}",
        "",
        "| Column | Kind | Required | Nullable | Sample header | Description |",
        "|---|---|---|---|---|---|",
    ]
    for col in spec.columns:
        lines.append(
            f"| `{col.name}` | {col.kind} | {'yes' if col.required else 'no'} | "
            f"{'yes' if col.nullable else 'no'} | {_cell(_sample_headers(layout, col.name))} | "
            f"{_describe(col)} |")
    if layout is not None:
        extra = [c.header for c in layout.columns if c.canonical is None]
        if extra:
            lines += ["", "Also written in the sample file (informative, dropped by the loader): "
                      + ", ".join(extra) + "."]
    return "\n".join(lines) + "\n"


def render_data_model() -> str:
    """Markdown of every canonical table, in :data:`~backoffice_lib.tables.TABLES` order."""
    return "\n".join(render_table(spec) for spec in TABLES.values())


def update_doc(path: Path = DOC_PATH) -> None:
    """Replace the generated part of the doc at ``path`` with the current rendering."""
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n\n{render_data_model()}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    update_doc(Path(sys.argv[1]) if len(sys.argv) > 1 else DOC_PATH)
