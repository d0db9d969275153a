"""Reports in the manager's language (issue 6), on the real close of the sample company.

The close runs twice on ``parameters/close.yaml`` (the costs notebook and the data-quality
report): in French, the default, and with ``lang="en"``. Each set must be complete and
wholly in its language: no text of the other language's catalogues, no catalogue key
shown instead of its text, and numbers formatted per locale (French: a no-break space
between thousands, a decimal comma, ``€`` after the amount; English: ``€1,234.5``).
"""

from __future__ import annotations

import io
import re
import string
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from backoffice_lib import config
from backoffice_lib.close import run_close
from backoffice_lib.i18n import LANGUAGES, catalogue

pytestmark = pytest.mark.slow

NBSP, NNBSP = "\u00a0", "\u202f"
PAGES = ("index", "costs", "headcount", "process_efficiency", "stock", "data-quality")


class _Text(HTMLParser):
    """What a reader sees: text outside <script>/<style>, plus alt and title attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts.extend(v for k, v in attrs if k in ("alt", "title", "aria-label") and v)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    # Collapse ordinary white space only: no-break spaces are what the test looks at.
    return re.sub(r"[ \t\r\n]+", " ", " ".join(parser.parts))


@pytest.fixture(scope="module")
def closes(tmp_path_factory, sample_dir):
    """{language: (period folder, close summary, progress text)} for fr and en."""
    assert sample_dir.is_dir()
    out = {}
    for lang in LANGUAGES:
        folder = tmp_path_factory.mktemp(f"close-{lang}")
        stream = io.StringIO()
        summary = run_close(config.DEFAULT_PARAMS_FILE, out_dir=folder, lang=lang,
                            progress_stream=stream)
        assert summary.exit_code == 0, summary.describe()
        out[lang] = (folder / summary.period, summary, stream.getvalue() + summary.describe())
    return out


def _fragments(text: str) -> list[str]:
    """The literal parts of a catalogue text between its {placeholders}."""
    return [literal.strip() for literal, *_ in string.Formatter().parse(text) if literal.strip()]


def _foreign_phrases(lang: str) -> set[str]:
    """Multi-word phrases of the other language's catalogues that this language never uses."""
    other = "en" if lang == "fr" else "fr"
    own = "\n".join(catalogue(lang).values())
    phrases = set()
    for text in catalogue(other).values():
        for fragment in _fragments(text):
            fragment = fragment.strip(" .:;,()·—-")
            if len(fragment) >= 12 and " " in fragment and fragment not in own:
                phrases.add(fragment)
    return phrases


def test_both_sets_are_complete(closes):
    names = {lang: sorted(p.name for p in folder.iterdir())
             for lang, (folder, _, _) in closes.items()}
    assert names["fr"] == names["en"]
    for page in PAGES:
        assert f"{page}.html" in names["fr"]
    assert "costs.xlsx" in names["fr"] and "manifest.json" in names["fr"]
    for _, summary, _ in closes.values():
        assert [r.ok for r in summary.results] == [True] * len(summary.results)


@pytest.mark.parametrize("page", PAGES)
def test_pages_declare_their_language(closes, page):
    for lang, (folder, _, _) in closes.items():
        assert f'<html lang="{lang}">' in (folder / f"{page}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_of_the_other_language(closes, lang, page):
    text = visible_text(closes[lang][0] / f"{page}.html")
    found = sorted(p for p in _foreign_phrases(lang) if p in text)
    assert found == []


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_catalogue_key_shown_untranslated(closes, lang, page):
    text = visible_text(closes[lang][0] / f"{page}.html")
    namespaces = sorted({key.split(".")[0] for key in catalogue(lang)})
    shown = re.findall(rf"\b(?:{'|'.join(namespaces)})\.[a-z0-9_]+(?:\.[a-z0-9_]+)*", text)
    # A key looks like "costs.section.headline"; file names such as "close.yaml" are not keys.
    assert [s for s in shown if s in catalogue(lang) or s.count(".") >= 2] == []


def test_headings_are_the_catalogue_texts(closes):
    for lang, (folder, _, _) in closes.items():
        text = visible_text(folder / "costs.html")
        cat = catalogue(lang)
        for key in ("costs.section.headline", "costs.section.budget", "costs.section.cutoff",
                    "costs.section.reconciliation"):
            assert cat[key] in text, (lang, key)
    fr = visible_text(closes["fr"][0] / "costs.html")
    en = visible_text(closes["en"][0] / "costs.html")
    assert "octobre 2026" in fr and "October 2026" in en


MONEY_FR = re.compile(rf"[-+]?\d[\d{NBSP}{NNBSP},]*[{NBSP}{NNBSP}]€")
MONEY_EN = re.compile(r"[-+]?€\d[\d,.]*")


def test_french_numbers_use_no_break_spaces_and_commas(closes):
    text = visible_text(closes["fr"][0] / "costs.html")
    amounts = MONEY_FR.findall(text)
    assert len(amounts) > 50
    well_formed = re.compile(rf"^[-+]?\d{{1,3}}([{NBSP}{NNBSP}]\d{{3}})*(,\d+)?[{NBSP}{NNBSP}]€$")
    assert [a for a in amounts if not well_formed.match(a)] == []
    assert any(re.search(rf"\d[{NBSP}{NNBSP}]\d{{3}}[{NBSP}{NNBSP}]\d{{3}}", a) for a in amounts)
    assert re.search(rf"\d,\d[{NBSP}{NNBSP}]%", text), "a French percentage: 5,0 %"
    assert not MONEY_EN.search(text)
    assert not re.search(r"\d\.\d %|\d{1,3},\d{3},\d{3}", text)


def test_english_numbers_use_commas_and_points(closes):
    text = visible_text(closes["en"][0] / "costs.html")
    amounts = MONEY_EN.findall(text)
    assert len(amounts) > 50
    well_formed = re.compile(r"^[-+]?€\d{1,3}(,\d{3})*(\.\d+)?$")
    assert [a for a in amounts if not well_formed.match(a.rstrip(".,"))] == []
    assert re.search(r"\d\.\d%", text)
    assert not MONEY_FR.search(text)


def test_the_same_figures_in_both_languages(closes):
    """One total, two spellings: the French and English tiles show the same amount."""
    tiles = {lang: {tile.key: tile.value for r in summary.results for tile in r.tiles}
             for lang, (_, summary, _) in closes.items()}
    assert tiles["fr"] == tiles["en"]
    assert tiles["fr"]


def test_excel_headers_follow_the_language(closes):
    headers = {}
    for lang, (folder, _, _) in closes.items():
        book = openpyxl.load_workbook(folder / "costs.xlsx", read_only=True)
        headers[lang] = {name: [c.value for c in next(book[name].iter_rows(max_row=1))]
                         for name in book.sheetnames}
        book.close()
    assert len(headers["fr"]) == len(headers["en"])
    all_fr = " ".join(str(h) for row in headers["fr"].values() for h in row)
    all_en = " ".join(str(h) for row in headers["en"].values() for h in row)
    assert all_fr != all_en
    assert [p for p in _foreign_phrases("fr") if p in all_fr] == []
    assert [p for p in _foreign_phrases("en") if p in all_en] == []


def test_close_messages_follow_the_language(closes):
    assert "Clôture 2026-10 terminée" in closes["fr"][2]
    assert "Close 2026-10 finished" in closes["en"][2]
