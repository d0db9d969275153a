"""What a notebook cell shows, and what the monthly close reads back from it.

Notebooks stay thin: one call per cell (``show_tiles(tiles)``, ``show_table(df, "costs")``,
``show_chart(fig)``, ``show_commentary(text)``, ``section(title)``). Each call publishes
an IPython display bundle with a ``text/html`` view for people and, for tiles and tables,
a machine-readable view under our own MIME types:

- ``application/vnd.backoffice.kpis+json``: ``{"version": 1, "lang": ..., "tiles": [...]}``,
  one object per tile (key, label, value as text for a Decimal plus its type, kind,
  delta, favourable, footnote, provisional, and the formatted text);
- ``application/vnd.backoffice.table+json``: name, title, column kinds and headers,
  columns with their dtype, the rows (Decimal as text), and the positions of
  privacy-suppressed cells (whose values are left out).

nbconvert's HTML export picks ``text/html`` from its display priority list and ignores
our MIME types; :func:`read_outputs` rebuilds tiles and tables from an executed notebook
for the close (``index.html``, ``<notebook>.xlsx``, KPI history).

The first HTML output of a kernel also carries the report stylesheet (``<style>``),
so tables and tiles look the same in JupyterLab and in the exported HTML.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from numbers import Integral, Real
from typing import Any, NamedTuple
from urllib.parse import quote

import numpy as np
import pandas as pd
import pyarrow as pa

from ..i18n import get_language, t
from ..i18n.formatting import format_value, is_missing
from .html import (
    DEFAULT_SUPPRESSION_K,
    Suppression,
    column_headers,
    css,
    escape,
    prepare_frame,
    render_table,
)
from .tiles import Tile, render_tiles

__all__ = [
    "KPIS_MIME",
    "TABLE_MIME",
    "NotebookOutputs",
    "TableOutput",
    "chart_bundle",
    "commentary_bundle",
    "decode_value",
    "encode_value",
    "heading_id",
    "read_outputs",
    "section",
    "section_bundle",
    "show_chart",
    "show_commentary",
    "show_table",
    "show_tiles",
    "table_bundle",
    "table_from_json",
    "table_to_json",
    "tile_from_json",
    "tile_to_json",
    "tiles_bundle",
]

KPIS_MIME = "application/vnd.backoffice.kpis+json"
TABLE_MIME = "application/vnd.backoffice.table+json"
_VERSION = 1

# --------------------------------------------------------------------------- values


def encode_value(value: object) -> tuple[Any, str]:
    """A value as JSON plus its type tag: ``Decimal("1.10")`` → ``("1.10", "decimal")``.

    Tags: ``null``, ``decimal``, ``bool``, ``int``, ``float``, ``datetime``, ``date``,
    ``str``. Missing values (None, NaN, NaT, NA) and infinities are ``null``.
    """
    if is_missing(value) or (isinstance(value, float) and value in (float("inf"), -float("inf"))):
        return None, "null"
    if isinstance(value, Decimal):
        return str(value), "decimal"
    if isinstance(value, (bool, np.bool_)):
        return bool(value), "bool"
    if isinstance(value, Integral):
        return int(value), "int"
    if isinstance(value, Real):
        return float(value), "float"
    if isinstance(value, dt.datetime):  # pandas Timestamp included
        return value.isoformat(), "datetime"
    if isinstance(value, dt.date):
        return value.isoformat(), "date"
    return str(value), "str"


def decode_value(data: Any, tag: str) -> object:
    """The inverse of :func:`encode_value`."""
    if data is None or tag == "null":
        return None
    if tag == "decimal":
        return Decimal(data)
    if tag == "datetime":
        return pd.Timestamp(data)
    if tag == "date":
        return dt.date.fromisoformat(data)
    if tag == "int":
        return int(data)
    if tag == "float":
        return float(data)
    if tag == "bool":
        return bool(data)
    return str(data)


# --------------------------------------------------------------------------- tiles JSON


def tile_to_json(tile: Tile, lang: str | None = None) -> dict[str, Any]:
    """A tile as a JSON object (raw values with their types, and the formatted texts)."""
    lang = lang or get_language()
    value, value_type = encode_value(tile.value)
    delta, delta_type = encode_value(tile.delta)
    return {
        "key": tile.key,
        "label": tile.label,
        "value": value,
        "value_type": value_type,
        "kind": tile.kind,
        "text": format_value(tile.value, tile.kind, lang),
        "delta": delta,
        "delta_type": delta_type,
        "delta_kind": tile.delta_kind,
        "delta_label": tile.delta_label,
        "favourable": tile.favourable,
        "footnote": tile.footnote,
        "provisional": tile.provisional,
    }


def tile_from_json(data: Mapping[str, Any]) -> Tile:
    """The :class:`Tile` of :func:`tile_to_json` (formatted texts are dropped)."""
    return Tile(
        key=data["key"],
        label=data["label"],
        value=decode_value(data.get("value"), data.get("value_type", "str")),
        kind=data.get("kind", "number"),
        delta=decode_value(data.get("delta"), data.get("delta_type", "str")),
        delta_kind=data.get("delta_kind"),
        delta_label=data.get("delta_label"),
        favourable=data.get("favourable"),
        footnote=data.get("footnote"),
        provisional=bool(data.get("provisional", False)),
    )


# --------------------------------------------------------------------------- tables JSON


class TableOutput(NamedTuple):
    """A table read back from a notebook: ``frame, formats, title = output``.

    ``frame.attrs`` also holds ``"headers"`` (column → header text in the notebook's
    language), ``"suppressed"`` (boolean frame of privacy-suppressed cells, whose
    values are NA) and ``"name"``.
    """

    frame: pd.DataFrame
    formats: dict[str, str]
    title: str | None


def _column_type(series: pd.Series) -> str:
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype) and pa.types.is_decimal(dtype.pyarrow_dtype):
        return "decimal"
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    tags = {encode_value(v)[1] for v in series} - {"null"}
    return tags.pop() if len(tags) == 1 else "str"


_DECIMAL_DTYPE = re.compile(r"decimal128\((\d+),\s*(\d+)\)\[pyarrow\]")


def _restore(values: list[object], tag: str, dtype: str) -> pd.Series:
    """A column of decoded values with its original dtype when pandas can rebuild it."""
    match = _DECIMAL_DTYPE.fullmatch(dtype)
    if match:
        arrow = pa.decimal128(int(match.group(1)), int(match.group(2)))
        return pd.Series(values, dtype=pd.ArrowDtype(arrow))
    if tag == "datetime":
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype=dtype)
    if dtype in ("int64", "bool") and any(v is None for v in values):
        dtype = {"int64": "Int64", "bool": "boolean"}[dtype]
    try:
        return pd.Series(values, dtype=pd.api.types.pandas_dtype(dtype))
    except (TypeError, ValueError):
        return pd.Series(values, dtype=object)


def table_to_json(
    df: pd.DataFrame,
    name: str,
    *,
    title: str | None = None,
    formats: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    suppressed: Suppression = None,
    suppression_k: int = DEFAULT_SUPPRESSION_K,
    lang: str | None = None,
) -> dict[str, Any]:
    """A table as a JSON object that :func:`table_from_json` turns back into a frame.

    Every row is kept (``max_rows`` only limits the HTML view). Suppressed cells are
    written as ``null`` and listed under ``"suppressed"`` as ``[row, column]`` pairs.
    """
    lang = lang or get_language()
    frame, kinds, cells = prepare_frame(df, formats, suppressed)
    frame = frame.rename(columns=str)
    kinds = {str(col): kind for col, kind in kinds.items()}
    mask = cells.to_numpy()
    columns = [
        {"name": col, "dtype": str(frame[col].dtype), "type": _column_type(frame[col])}
        for col in frame.columns
    ]
    data = [
        [None if mask[i, j] else encode_value(frame.iat[i, j])[0] for j in range(len(columns))]
        for i in range(len(frame))
    ]
    return {
        "version": _VERSION,
        "name": name,
        "title": title,
        "lang": lang,
        "formats": kinds,
        "headers": column_headers(frame.columns, headers, lang),
        "columns": columns,
        "data": data,
        "suppressed": [[int(i), int(j)] for i, j in zip(*mask.nonzero(), strict=True)],
        "suppression_k": suppression_k,
    }


def table_from_json(data: Mapping[str, Any]) -> TableOutput:
    """The frame, kinds and title of a :func:`table_to_json` object."""
    columns = data["columns"]
    rows = data["data"]
    series = {}
    for j, col in enumerate(columns):
        values = [decode_value(row[j], col["type"]) for row in rows]
        series[col["name"]] = _restore(values, col["type"], col["dtype"])
    frame = pd.DataFrame(series, columns=[c["name"] for c in columns], copy=False)
    cells = np.zeros(frame.shape, dtype=bool)
    for i, j in data.get("suppressed", []):
        cells[i, j] = True
    mask = pd.DataFrame(cells, index=frame.index, columns=frame.columns)
    frame.attrs.update(
        name=data["name"], headers=dict(data.get("headers") or {}), suppressed=mask
    )
    return TableOutput(frame, dict(data.get("formats") or {}), data.get("title"))


# --------------------------------------------------------------------------- bundles

_STYLE_SENT = False


def _styled(html: str) -> str:
    """``html`` preceded by the stylesheet the first time in this kernel."""
    global _STYLE_SENT
    if _STYLE_SENT:
        return html
    _STYLE_SENT = True
    return f"<style>\n{css()}</style>\n{html}"


def tiles_bundle(tiles: Iterable[Tile], lang: str | None = None) -> dict[str, Any]:
    """The display bundle of KPI tiles: ``text/html``, ``text/plain`` and :data:`KPIS_MIME`."""
    lang = lang or get_language()
    tiles = list(tiles)
    plain = "\n".join(f"{tile.label}: {format_value(tile.value, tile.kind, lang)}"
                      for tile in tiles)
    return {
        "text/html": render_tiles(tiles, lang),
        "text/plain": plain,
        KPIS_MIME: {"version": _VERSION, "lang": lang,
                    "tiles": [tile_to_json(tile, lang) for tile in tiles]},
    }


def table_bundle(
    df: pd.DataFrame,
    name: str,
    *,
    title: str | None = None,
    lang: str | None = None,
    formats: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    export: bool = True,
    total_row: bool = False,
    max_rows: int | None = None,
    suppressed: Suppression = None,
    suppression_k: int = DEFAULT_SUPPRESSION_K,
    footnotes: Sequence[str] = (),
) -> dict[str, Any]:
    """The display bundle of a table (see :func:`show_table`)."""
    if not isinstance(name, str) or not name:
        raise ValueError("a table needs a non-empty name (the sheet name of the export)")
    lang = lang or get_language()
    html = render_table(
        df, lang=lang, formats=formats, headers=headers, caption=title, total_row=total_row,
        max_rows=max_rows, suppressed=suppressed, suppression_k=suppression_k,
        footnotes=footnotes,
    )
    bundle: dict[str, Any] = {
        "text/html": html,
        "text/plain": f"{title or name} ({len(df)} × {len(df.columns)})",
    }
    if export:
        bundle[TABLE_MIME] = table_to_json(
            df, name, title=title, formats=formats, headers=headers, suppressed=suppressed,
            suppression_k=suppression_k, lang=lang,
        )
    return bundle


def _figure_alt(fig: Any) -> str | None:
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        return suptitle.get_text()
    for ax in fig.axes:
        for loc in ("left", "center", "right"):
            if ax.get_title(loc=loc):
                return ax.get_title(loc=loc)
    return None


def _settle_layout(fig: Any) -> None:
    """Run the figure's layout engine (tight, constrained...) once, then fix the result.

    The layout needs the size of every label, measured with the Agg renderer at the
    figure's dpi; its subplot parameters are fractions of the figure, so they hold in
    the SVG that is then drawn once, without the engine.
    """
    from matplotlib.layout_engine import PlaceHolderLayoutEngine, TightLayoutEngine

    engine = fig.get_layout_engine()
    if engine is None or isinstance(engine, PlaceHolderLayoutEngine):
        return
    if isinstance(engine, TightLayoutEngine) and tuple(engine.get()["rect"]) == (0, 0, 1, 1):
        # Given a rect, matplotlib measures every label twice to fit the subplots into it;
        # for the whole figure the second pass gives the first one's result again (the
        # same subplot parameters, to the bit, on every chart of the reports): one pass.
        params = engine.get()
        engine = TightLayoutEngine(pad=params["pad"], h_pad=params["h_pad"],
                                   w_pad=params["w_pad"], rect=None)
    engine.execute(fig)
    fig.set_layout_engine(None)


#: Salt of the ids matplotlib gives an SVG's clip paths and glyphs: fixed, so that a
#: chart gives the same bytes on every run.
SVG_SALT = "backoffice-chart"


def _svg(fig: Any) -> bytes:
    """The figure as SVG on a white background.

    Vector, not PNG: sharp at any zoom and on high-density screens, half the bytes of
    a PNG drawn at twice the resolution, and a third less time to make (no raster to
    draw and compress). Glyphs are drawn as paths, so the chart looks the same on a
    computer without matplotlib's fonts; no date in the metadata and ids from a fixed
    salt, so the same chart gives the same bytes.
    """
    import matplotlib

    out = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": SVG_SALT}):
        fig.savefig(out, format="svg", facecolor="white", metadata={"Date": None, "Creator": None})
    return out.getvalue()


def chart_bundle(fig: Any, *, alt: str | None = None) -> dict[str, Any]:
    """The display bundle of a matplotlib figure: an SVG ``<img>`` with its alt text.

    The image is shown at the figure's size (its inches at its dpi, in CSS pixels); the
    alt text defaults to the chart's title. The figure keeps its dpi; its layout engine
    is run once and removed (:func:`_settle_layout`).
    """
    alt = alt or _figure_alt(fig) or t("report.chart.alt_default")
    width, height = (round(v * fig.dpi) for v in fig.get_size_inches())
    _settle_layout(fig)
    data = base64.b64encode(_svg(fig)).decode("ascii")
    html = (f'<figure class="bo-chart"><img src="data:image/svg+xml;base64,{data}" '
            f'alt="{escape(alt)}" width="{width}" height="{height}"></figure>')
    return {"text/html": html, "text/plain": alt}


def commentary_bundle(text: str) -> dict[str, Any]:
    """The display bundle of a commentary: paragraphs (blank lines) of escaped text."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    body = "".join(
        "<p>" + "<br>".join(escape(line) for line in p.splitlines()) + "</p>"
        for p in paragraphs
    )
    return {"text/html": f'<div class="bo-commentary">{body}</div>', "text/plain": text}


def heading_id(title: str) -> str:
    """The anchor id nbconvert gives a markdown heading with this text (spaces → ``-``,
    other characters percent-encoded), so links and tables of contents work alike."""
    return quote(title.replace(" ", "-"), safe="?/:@!$&'()*+,;=")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|])")


def section_bundle(title: str, level: int = 2) -> dict[str, Any]:
    """The display bundle of a section heading: ``<hN id=...>`` and ``## title``.

    The HTML heading carries the id nbconvert gives a markdown heading of the same text
    (no ``¶`` link: the close's export leaves anchor links out and builds its table of
    contents from h2/h3 ids); the ``text/markdown`` twin lets JupyterLab's table of
    contents list it.
    """
    if not 1 <= level <= 6:
        raise ValueError("heading level must be between 1 and 6")
    anchor = escape(heading_id(title))
    html = f'<h{level} class="bo-section" id="{anchor}">{escape(title)}</h{level}>'
    markdown = "#" * level + " " + _MARKDOWN_SPECIAL.sub(r"\\\1", title)
    return {"text/html": html, "text/markdown": markdown, "text/plain": title}


# --------------------------------------------------------------------------- show_*


def _publish(bundle: dict[str, Any]) -> None:
    from IPython.display import display

    display(bundle, raw=True)


def show_tiles(tiles: Iterable[Tile], *, lang: str | None = None) -> None:
    """Show KPI tiles, and hand them to the close (:data:`KPIS_MIME`)."""
    bundle = tiles_bundle(tiles, lang)
    bundle["text/html"] = _styled(bundle["text/html"])
    _publish(bundle)


def show_table(
    df: pd.DataFrame,
    name: str,
    *,
    title: str | None = None,
    lang: str | None = None,
    formats: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    export: bool = True,
    total_row: bool = False,
    max_rows: int | None = None,
    suppressed: Suppression = None,
    suppression_k: int = DEFAULT_SUPPRESSION_K,
    footnotes: Sequence[str] = (),
) -> None:
    """Show a formatted table and, with ``export``, hand it to the close as ``name``.

    ``name`` is the table's stable identifier (the sheet of ``<notebook>.xlsx``);
    ``title`` its caption. Other arguments as in
    :func:`~backoffice_lib.report.html.render_table`; the exported data keeps every row.
    """
    bundle = table_bundle(
        df, name, title=title, lang=lang, formats=formats, headers=headers, export=export,
        total_row=total_row, max_rows=max_rows, suppressed=suppressed,
        suppression_k=suppression_k, footnotes=footnotes,
    )
    bundle["text/html"] = _styled(bundle["text/html"])
    _publish(bundle)


def show_chart(fig: Any, *, alt: str | None = None) -> None:
    """Show a matplotlib figure as an image with alt text, then release it."""
    bundle = chart_bundle(fig, alt=alt)
    bundle["text/html"] = _styled(bundle["text/html"])
    _publish(bundle)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)  # only matters for figures made with pyplot


def show_commentary(text: str) -> None:
    """Show a short commentary (already translated; blank lines separate paragraphs)."""
    bundle = commentary_bundle(text)
    bundle["text/html"] = _styled(bundle["text/html"])
    _publish(bundle)


def section(title: str, level: int = 2) -> None:
    """Show a section heading that the exported report's table of contents picks up."""
    _publish(section_bundle(title, level))


# --------------------------------------------------------------------------- read back


@dataclass
class NotebookOutputs:
    """What an executed notebook handed to the close.

    ``tiles`` in display order (a key shown again replaces the earlier tile in place);
    ``tables`` by name (a name shown again replaces the earlier table).
    """

    tiles: list[Tile] = field(default_factory=list)
    tables: dict[str, TableOutput] = field(default_factory=dict)


def _bundles(nb: Any) -> Iterable[Mapping[str, Any]]:
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") in ("display_data", "execute_result"):
                yield output.get("data", {})


def _json(value: Any) -> Any:
    """A JSON MIME value as stored (an object, or a JSON string in some writers)."""
    return json.loads(value) if isinstance(value, str) else value


def read_outputs(nb: Any) -> NotebookOutputs:
    """Tiles and tables of an executed notebook (an ``nbformat.NotebookNode``)."""
    result = NotebookOutputs()
    positions: dict[str, int] = {}
    for data in _bundles(nb):
        if KPIS_MIME in data:
            for item in _json(data[KPIS_MIME]).get("tiles", []):
                tile = tile_from_json(item)
                if tile.key in positions:
                    result.tiles[positions[tile.key]] = tile
                else:
                    positions[tile.key] = len(result.tiles)
                    result.tiles.append(tile)
        if TABLE_MIME in data:
            table = _json(data[TABLE_MIME])
            result.tables[table["name"]] = table_from_json(table)
    return result
