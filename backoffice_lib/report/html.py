"""Escaped HTML tables and the standalone page shell of the reports.

Every text that comes from data (a cost-centre name, a vendor, a caption) is
HTML-escaped, so ``<script>alert(1)</script>`` shows as text. Values are formatted by
column *kind* (:data:`~backoffice_lib.i18n.formatting.KINDS`: ``money``, ``percent``,
``month``, ``flag``...) in the report's language; numbers are right-aligned.

- A missing value (a KPI that cannot be computed) shows the language's "n/a"
  (``n.d.`` in French) with a ``*`` footnote.
- A privacy-suppressed cell (kpi-reference H17: built from fewer than ``k`` people)
  shows ``< 5`` with a ``†`` footnote; the value itself never reaches the HTML.

A frame with a named index (``cost_center``, or a named MultiIndex) shows its index
levels as the first columns; an unnamed index is not shown.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from importlib import resources

import pandas as pd

from ..i18n import catalogue, get_language, t
from ..i18n.formatting import (
    NUMERIC_KINDS,
    flag_value,
    format_value,
    is_missing,
    parse_kind,
)
from ..privacy import K_DEFAULT, check_k

__all__ = [
    "DEFAULT_SUPPRESSION_K",
    "NA_MARK",
    "SUMMABLE_KINDS",
    "SUPPRESSED_MARK",
    "Suppression",
    "column_headers",
    "column_kinds",
    "css",
    "display_frame",
    "escape",
    "prepare_frame",
    "render_cell",
    "render_page",
    "render_table",
]

#: Smallest group shown in people data (kpi-reference H17; configurable upwards only).
DEFAULT_SUPPRESSION_K = K_DEFAULT
#: Footnote marker of a missing value and of a suppressed cell.
NA_MARK = "*"
SUPPRESSED_MARK = "†"
#: Kinds a total row adds up (rates and percentages never are).
SUMMABLE_KINDS = frozenset({"money", "money0", "money_compact", "signed_money", "number",
                            "signed_number", "int"})


@cache
def css() -> str:
    """The report stylesheet (``style.css``): tables, tiles, flags, charts, print rules."""
    return resources.files(__package__).joinpath("style.css").read_text(encoding="utf-8")


def escape(value: object) -> str:
    """``str(value)`` escaped for HTML text and attribute values (quotes included)."""
    return html.escape(str(value), quote=True)


# --------------------------------------------------------------------------- columns


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its named index levels as first columns; an unnamed index (row numbers,
    what is left after filtering) is not shown."""
    if all(name is None for name in df.index.names):
        return df
    return df.reset_index()


def _infer_kind(name: object, series: pd.Series) -> str:
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype) and "decimal" in str(dtype):
        return "money"
    if pd.api.types.is_bool_dtype(dtype):
        return "text"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    if pd.api.types.is_object_dtype(dtype):
        first = next((v for v in series if not is_missing(v)), None)
        if isinstance(first, Decimal):
            return "money"
    if name == "period":
        return "month"
    return "text"


def column_kinds(df: pd.DataFrame, formats: Mapping[str, str] | None = None) -> dict[str, str]:
    """The kind of every column: ``formats[col]`` when given, else inferred from the dtype.

    Decimal → ``money``, integers → ``int``, floats → ``number``, datetimes → ``date``,
    a column named ``period`` → ``month``, anything else → ``text``. Kinds are checked
    (ValueError for an unknown one); keys of ``formats`` that are not columns are ignored.
    """
    formats = dict(formats or {})
    kinds = {}
    for col in df.columns:
        kind = formats.get(col) or _infer_kind(col, df[col])
        parse_kind(kind)
        kinds[col] = kind
    return kinds


def column_headers(
    columns: Iterable[object], headers: Mapping[str, str] | None = None, lang: str | None = None
) -> dict[object, str]:
    """Header text of each column: ``headers[col]``, else the catalogue's generic word
    (``report.columns.<col>``: period → « Mois »), else the column name itself."""
    headers = dict(headers or {})
    words = catalogue(lang or get_language())
    out = {}
    for col in columns:
        if col in headers:
            out[col] = str(headers[col])
        else:
            out[col] = words.get(f"report.columns.{col}", " / ".join(map(str, col))
                                 if isinstance(col, tuple) else str(col))
    return out


#: What ``suppressed`` may be: a boolean frame (cells), a boolean Series or sequence
#: (rows), or the name of a boolean column (rows); see :func:`prepare_frame`.
Suppression = pd.DataFrame | pd.Series | str | Sequence[bool] | None


def _rows_missing(df: pd.DataFrame, labels: pd.Index) -> None:
    if not labels.equals(df.index) and len(df.index.difference(labels)):
        raise ValueError("the suppression mask does not cover every row of the table")


def _cell_mask(df: pd.DataFrame, suppressed: Suppression) -> tuple[pd.DataFrame, object]:
    """(``df`` without a row-mask column, the mask as cells or rows aligned on ``df``)."""
    if suppressed is None:
        return df, None
    if isinstance(suppressed, str):
        return df.drop(columns=[suppressed]), df[suppressed].fillna(False).astype(bool)
    if isinstance(suppressed, pd.DataFrame):
        _rows_missing(df, suppressed.index)
        if not suppressed.index.equals(df.index):
            suppressed = suppressed.reindex(index=df.index)
        cells = suppressed.reindex(columns=df.columns).fillna(False).astype(bool)
        return df, cells
    if isinstance(suppressed, pd.Series):
        _rows_missing(df, suppressed.index)
        rows = suppressed if suppressed.index.equals(df.index) else suppressed.reindex(df.index)
        return df, rows.fillna(False).astype(bool)
    values = list(suppressed)
    if len(values) != len(df):
        raise ValueError("the suppression mask does not have one value per row of the table")
    return df, pd.Series(values, index=df.index).fillna(False).astype(bool)


def prepare_frame(
    df: pd.DataFrame, formats: Mapping[str, str] | None = None, suppressed: Suppression = None
) -> tuple[pd.DataFrame, dict[str, str], pd.DataFrame]:
    """The frame as shown, the kind of each column and the mask of hidden cells.

    Index levels become the first columns (:func:`display_frame`; never hidden). A row
    mask (a boolean Series aligned on the rows, a sequence, or the name of a boolean
    column, which is then not shown) hides every numeric or flag cell of those rows and
    leaves labels (text, dates, months) visible; a boolean frame hides cells one by one
    (missing columns are not hidden). A mask that leaves out some rows is refused
    (ValueError) rather than silently showing them.
    """
    data, given = _cell_mask(df, suppressed)
    frame = display_frame(data)
    kinds = column_kinds(frame, formats)
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    if isinstance(given, pd.DataFrame):
        for col in given.columns:
            mask[col] = given[col].to_numpy()
    elif isinstance(given, pd.Series):
        for col, kind in kinds.items():
            if parse_kind(kind)[0] in NUMERIC_KINDS | {"flag"}:
                mask[col] = given.to_numpy()
    return frame, kinds, mask


# --------------------------------------------------------------------------- cells


def _cell_class(kind: str) -> str:
    base = parse_kind(kind)[0]
    if base in NUMERIC_KINDS:
        return "bo-num"
    return "bo-center" if base == "flag" else "bo-text"


def _mark(text: str, mark: str) -> str:
    return f'{escape(text)}<sup class="bo-fn">{escape(mark)}</sup>'


def render_cell(value: object, kind: str, lang: str | None = None) -> tuple[str, bool]:
    """The escaped inner HTML of one cell, and whether it is a missing value.

    Missing values show "n/a" with the :data:`NA_MARK` footnote marker (text columns
    show an empty cell); flags show their letter in a coloured badge with the word as
    its title.
    """
    base = parse_kind(kind)[0]
    if base == "text":
        return ("", False) if is_missing(value) else (escape(value), False)
    if is_missing(value) or (base in NUMERIC_KINDS and _is_infinite(value)):
        return _mark(t("format.not_available", lang), NA_MARK), True
    if base == "flag":
        css_class = "bo-flag-f" if flag_value(value) else "bo-flag-u"
        word = format_value(value, "flag", lang)
        long_word = t("format.favourable_long" if flag_value(value) else
                      "format.unfavourable_long", lang)
        return (f'<span class="bo-flag {css_class}" title="{escape(long_word)}">'
                f"{escape(word)}</span>"), False
    return escape(format_value(value, kind, lang)), False


def _is_infinite(value: object) -> bool:
    return isinstance(value, float) and math.isinf(value)


def _suppressed_html(k: int, lang: str | None) -> str:
    return _mark(t("report.suppressed", lang, k=k), SUPPRESSED_MARK)


def _total(values: pd.Series, hidden: pd.Series) -> object:
    """Sum of a column for the total row: None if any value is missing; ``hidden`` when
    exactly one cell is suppressed (the total would give it away, H17)."""
    if int(hidden.sum()) == 1:
        return _HIDDEN
    items = list(values)
    if any(is_missing(v) for v in items):
        return None
    start = Decimal(0) if items and isinstance(items[0], Decimal) else 0
    return sum(items, start)


_HIDDEN = object()


def _total_row(
    frame: pd.DataFrame, kinds: Mapping[object, str], mask: pd.DataFrame, k: int,
    lang: str | None,
) -> tuple[str, bool, bool]:
    cells = [f'<th scope="row" class="bo-text">{escape(t("report.total", lang))}</th>']
    any_na = any_hidden = False
    for col in list(frame.columns)[1:]:
        kind = kinds[col]
        css_class = _cell_class(kind)
        if parse_kind(kind)[0] not in SUMMABLE_KINDS:
            cells.append(f'<td class="{css_class}"></td>')
            continue
        total = _total(frame[col], mask[col])
        if total is _HIDDEN:
            inner, any_hidden = _suppressed_html(k, lang), True
        else:
            inner, missing = render_cell(total, kind, lang)
            any_na = any_na or missing
        cells.append(f'<td class="{css_class}">{inner}</td>')
    return "<tr>" + "".join(cells) + "</tr>", any_na, any_hidden


# --------------------------------------------------------------------------- table


def render_table(
    df: pd.DataFrame,
    *,
    lang: str | None = None,
    formats: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    caption: str | None = None,
    total_row: bool = False,
    max_rows: int | None = None,
    suppressed: Suppression = None,
    suppression_k: int = DEFAULT_SUPPRESSION_K,
    footnotes: Sequence[str] = (),
) -> str:
    """An HTML table of ``df``: escaped, formatted by column kind, with footnotes.

    Parameters
    ----------
    df:
        The data, ready to show (one row per line of the table).
    lang:
        ``fr`` or ``en`` (default: the language in force).
    formats:
        Column → kind (``money``, ``money0``, ``percent``, ``signed_percent``,
        ``signed_money``, ``number``, ``int``, ``date``, ``month``, ``text``, ``flag``,
        optionally ``kind:decimals``); other columns are inferred from their dtype.
    headers:
        Column → header text, already translated (generic columns default to the
        catalogue: ``period`` → « Mois »).
    caption:
        Title shown above the table (escaped).
    total_row:
        Add a "Total" row summing money and number columns over *all* rows; a column
        with a missing value totals to "n/a"; a column with exactly one suppressed
        cell has its total suppressed too (it would reveal the cell).
    max_rows:
        Show only the first ``max_rows`` rows, with a note "20 of 240 rows shown".
    suppressed:
        Privacy mask: a boolean frame (cells), a boolean Series/sequence or the name of
        a boolean column (rows; that column is not shown), see :func:`prepare_frame`.
        Hidden cells show ``< k`` and their values never reach the HTML.
    suppression_k:
        The ``k`` of ``< k`` (default 5, kpi-reference H17; a lower value raises
        :class:`~backoffice_lib.errors.ParameterError`).
    footnotes:
        Extra footnotes (already translated), shown under the table.
    """
    lang = lang or get_language()
    suppression_k = check_k(suppression_k)
    frame, kinds, mask = prepare_frame(df, formats, suppressed)
    names = column_headers(frame.columns, headers, lang)
    classes = {col: _cell_class(kind) for col, kind in kinds.items()}

    head = "".join(
        f'<th scope="col" class="{classes[col]}">{escape(names[col])}</th>' for col in frame.columns
    )
    shown = frame if max_rows is None else frame.iloc[:max_rows]
    body, any_na, any_hidden = [], False, False
    columns = list(frame.columns)
    for pos in range(len(shown)):
        cells = []
        for j, col in enumerate(columns):
            if mask.iat[pos, j]:
                inner, any_hidden = _suppressed_html(suppression_k, lang), True
            else:
                inner, missing = render_cell(shown.iat[pos, j], kinds[col], lang)
                any_na = any_na or missing
            cells.append(f'<td class="{classes[col]}">{inner}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")

    parts = ['<div class="bo-table-wrap">', '<table class="bo-table">']
    if caption:
        parts.append(f"<caption>{escape(caption)}</caption>")
    parts += [f"<thead><tr>{head}</tr></thead>", "<tbody>", *body, "</tbody>"]
    if total_row and columns:
        row, na_total, hidden_total = _total_row(frame, kinds, mask, suppression_k, lang)
        any_na, any_hidden = any_na or na_total, any_hidden or hidden_total
        parts += ["<tfoot>", row, "</tfoot>"]
    parts.append("</table>")
    notes = []
    if len(shown) < len(frame):
        notes.append(escape(t("report.rows_shown", lang, shown=len(shown), total=len(frame))))
    if any_na:
        notes.append(_note(NA_MARK, t("report.not_available_note", lang)))
    if any_hidden:
        notes.append(_note(SUPPRESSED_MARK, t("report.suppressed_note", lang, k=suppression_k)))
    notes += [escape(note) for note in footnotes]
    parts += [f'<p class="bo-footnote">{note}</p>' for note in notes]
    parts.append("</div>")
    return "\n".join(parts)


def _note(mark: str, text: str) -> str:
    return f'<sup class="bo-fn">{escape(mark)}</sup> {escape(text)}'


# --------------------------------------------------------------------------- page

#: No script, no external resource: only inline styles and data: images.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def render_page(
    title: str, body_html: str, *, lang: str | None = None, subtitle: str | None = None
) -> str:
    """A complete standalone HTML page: inline stylesheet, no script, no external URL.

    ``title`` and ``subtitle`` are escaped; ``body_html`` is inserted as it is (build it
    with :func:`render_table`, :func:`~backoffice_lib.report.tiles.render_tiles`...).
    A Content-Security-Policy forbids scripts and any outside resource.
    """
    lang = lang or get_language()
    header = f"<h1>{escape(title)}</h1>"
    if subtitle:
        header += f'\n<p class="bo-subtitle">{escape(subtitle)}</p>'
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{css()}</style>",
        "</head>",
        '<body class="bo-page">',
        f'<header class="bo-page-header">\n{header}\n</header>',
        f"<main>\n{body_html}\n</main>",
        "</body>",
        "</html>",
        "",
    ])
