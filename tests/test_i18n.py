"""Catalogues and locale formatting (issue: reports in the manager's language)."""

import string
from decimal import Decimal

import pytest

from backoffice_lib.i18n import LANGUAGES, catalogue, t, use_language
from backoffice_lib.i18n.formatting import (
    format_date,
    format_money,
    format_month,
    format_percent,
    format_signed_money,
)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues_have_the_same_keys():
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    assert keys["fr"] - keys["en"] == set()
    assert keys["en"] - keys["fr"] == set()


def test_catalogues_have_the_same_placeholders():
    fr, en = catalogue("fr"), catalogue("en")
    mismatched = [k for k in fr if _placeholders(fr[k]) != _placeholders(en[k])]
    assert mismatched == []


def test_no_empty_text():
    for lang in LANGUAGES:
        assert [k for k, v in catalogue(lang).items() if not v.strip()] == []


def test_t_uses_language_in_force():
    with use_language("en"):
        assert t("format.not_available") == "n/a"
    with use_language("fr"):
        assert t("format.not_available") == "n.d."


def test_missing_key_is_shown_as_itself():
    assert t("no.such.key") == "no.such.key"


def test_french_money_uses_no_break_space_and_comma():
    text = format_money(Decimal("1234567.89"), "fr")
    assert text[:9] == "1\u202f234\u202f567"
    assert text.endswith(",89\u00a0€")


def test_english_money():
    assert format_money(Decimal("1234567.89"), "en") == "€1,234,567.89"
    assert format_signed_money(-38000, "en") == "-€38,000"
    assert format_signed_money(38000, "en") == "+€38,000"


@pytest.mark.parametrize(
    ("lang", "expected"), [("fr", "4,2\u00a0%"), ("en", "4.2%")], ids=["fr", "en"]
)
def test_percent(lang, expected):
    assert format_percent(0.042, lang) == expected


def test_dates_are_day_first_in_both_languages():
    assert format_date("2026-10-31", "fr") == "31/10/2026"
    assert format_date("2026-10-31", "en") == "31/10/2026"


def test_month_names():
    assert format_month("2026-10", "fr") == "octobre 2026"
    assert format_month("2026-10", "en") == "October 2026"


def test_missing_values_format_as_not_available():
    assert format_money(None, "fr") == "n.d."
    assert format_percent(float("nan"), "en") == "n/a"
