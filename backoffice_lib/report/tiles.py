"""KPI tiles: the headline figures at the top of a notebook and of the close's index page.

A :class:`Tile` holds raw values (a ``Decimal`` amount, a ratio as a fraction) and their
kinds; :func:`render_tiles` formats them in the report's language. Favourable and
unfavourable tiles are coloured *and* carry their letter (F, and U in English / D in
French), so the meaning never depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..i18n import get_language, t
from ..i18n.formatting import format_value, is_missing, parse_kind
from .html import NA_MARK, escape

__all__ = ["Tile", "default_delta_kind", "render_tile", "render_tiles"]

_DELTA_KINDS = {
    "money": "signed_money",
    "money0": "signed_money",
    "money_compact": "signed_money",
    "signed_money": "signed_money",
    "percent": "signed_points",
    "signed_percent": "signed_points",
    "signed_points": "signed_points",
    "number": "signed_number",
    "signed_number": "signed_number",
    "int": "signed_number:0",
}


def default_delta_kind(kind: str) -> str:
    """How a tile's delta is shown when ``delta_kind`` is not given.

    Money → ``signed_money`` (``+38 000 €``), a rate → ``signed_points`` (``+0,3 pt``),
    a number → ``signed_number``, an integer → ``signed_number:0``.
    """
    return _DELTA_KINDS.get(parse_kind(kind)[0], "signed_number")


@dataclass(frozen=True)
class Tile:
    """One headline KPI.

    Attributes
    ----------
    key:
        Stable identifier (``total_cost``): the KPI history and the index page use it.
    label:
        What a manager reads (already translated): « Coût total du mois ».
    value:
        The raw value (``Decimal`` for money, a fraction for a rate); ``None`` when it
        cannot be computed (shown as "n/a").
    kind:
        How to format ``value`` (:data:`~backoffice_lib.i18n.formatting.KINDS`).
    delta, delta_kind, delta_label:
        An optional comparison (raw value, its kind — see :func:`default_delta_kind` —
        and a translated label such as « vs budget »).
    favourable:
        ``True``/``False`` colours the tile and shows F/U; ``None`` is neutral.
    footnote:
        A short translated note (source, reason of an "n/a"...).
    provisional:
        The month is not closed: the tile carries a « provisoire » badge.
    """

    key: str
    label: str
    value: object = None
    kind: str = "number"
    delta: object = None
    delta_kind: str | None = None
    delta_label: str | None = None
    favourable: bool | None = None
    footnote: str | None = None
    provisional: bool = False

    def __post_init__(self) -> None:
        parse_kind(self.kind)
        if self.delta_kind is not None:
            parse_kind(self.delta_kind)

    @property
    def effective_delta_kind(self) -> str:
        """``delta_kind``, or the default for ``kind``."""
        return self.delta_kind or default_delta_kind(self.kind)


def _flag_html(favourable: bool, lang: str) -> str:
    letter = t("format.favourable" if favourable else "format.unfavourable", lang)
    word = t("format.favourable_long" if favourable else "format.unfavourable_long", lang)
    css_class = "bo-flag-f" if favourable else "bo-flag-u"
    return f'<span class="bo-flag {css_class}" title="{escape(word)}">{escape(letter)}</span>'


def render_tile(tile: Tile, lang: str | None = None) -> str:
    """The HTML of one tile (every text escaped)."""
    lang = lang or get_language()
    classes = "bo-tile"
    if tile.favourable is not None:
        classes += " bo-tile-f" if tile.favourable else " bo-tile-u"
    label = escape(tile.label)
    if tile.provisional:
        label += f'<span class="bo-badge">{escape(t("report.provisional", lang))}</span>'
    value = escape(format_value(tile.value, tile.kind, lang))
    missing = is_missing(tile.value)
    if missing:
        value += f'<sup class="bo-fn">{escape(NA_MARK)}</sup>'
    lines = [
        f'<div class="{classes}" data-key="{escape(tile.key)}">',
        f'<div class="bo-tile-label">{label}</div>',
        f'<div class="bo-tile-value">{value}</div>',
    ]
    delta = []
    if tile.favourable is not None:
        delta.append(_flag_html(tile.favourable, lang))
    if tile.delta is not None or tile.delta_label:
        delta.append(escape(format_value(tile.delta, tile.effective_delta_kind, lang)))
    if tile.delta_label:
        delta.append(escape(tile.delta_label))
    if delta:
        lines.append(f'<div class="bo-tile-delta">{" ".join(delta)}</div>')
    note = tile.footnote
    if missing:  # the "*" of the value points at the reason, or at the generic "n/a" note
        note = f"{NA_MARK} {note or t('report.not_available_note', lang)}"
    if note:
        lines.append(f'<div class="bo-tile-note">{escape(note)}</div>')
    lines.append("</div>")
    return "\n".join(lines)


def render_tiles(tiles: Iterable[Tile], lang: str | None = None) -> str:
    """A grid of tiles (``<div class="bo-tiles">``), in the given order."""
    lang = lang or get_language()
    body = "\n".join(render_tile(tile, lang) for tile in tiles)
    return f'<div class="bo-tiles">\n{body}\n</div>'
