"""HTML tables, page shell and stylesheet (backoffice_lib.report.html), and the value kinds
they format with (backoffice_lib.i18n.formatting.format_value / format_ticks)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pandas as pd
import pytest

from backoffice_lib.i18n.formatting import format_ticks, format_value, parse_kind
from backoffice_lib.report.html import css, render_page, render_table
from backoffice_lib.tables import MONEY

NNBSP, NBSP = "\u202f", "\u00a0"


def _money(*values: str | None) -> pd.Series:
    return pd.Series([None if v is None else Decimal(v) for v in values], dtype=MONEY)


def _cells(html: str) -> list[str]:
    """Inner HTML of every body cell, in order."""
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r"<td class=\"[^\"]+\">(.*?)</td>", body)


# --------------------------------------------------------------------------- value kinds


@pytest.mark.parametrize(
    ("value", "kind", "fr", "en"),
    [
        (Decimal("1234567.891"), "money", f"1{NNBSP}234{NNBSP}567,89{NBSP}€", "€1,234,567.89"),
        (Decimal("1234567.5"), "money0", f"1{NNBSP}234{NNBSP}568{NBSP}€", "€1,234,568"),
        (Decimal("38000"), "signed_money", f"+38{NNBSP}000{NBSP}€", "+€38,000"),
        (Decimal("-38000"), "signed_money", f"-38{NNBSP}000{NBSP}€", "-€38,000"),
        (0.04256, "percent", f"4,3{NBSP}%", "4.3%"),
        (0.04256, "percent:2", f"4,26{NBSP}%", "4.26%"),
        (0.04256, "signed_percent", f"+4,3{NBSP}%", "+4.3%"),
        (0.003, "signed_points", f"+0,3{NBSP}pt", f"+0.3{NBSP}pp"),
        (-0.0001, "signed_points", f"0,0{NBSP}pt", f"0.0{NBSP}pp"),
        (1234.56, "number", f"1{NNBSP}234,6", "1,234.6"),
        (3, "signed_number:0", "+3", "+3"),
        (1234, "int", f"1{NNBSP}234", "1,234"),
        (dt.date(2026, 10, 31), "date", "31/10/2026", "31/10/2026"),
        ("2026-10", "month", "octobre 2026", "October 2026"),
        (True, "flag", "F", "F"),
        ("U", "flag", "D", "U"),
        ("Achats", "text", "Achats", "Achats"),
        (None, "money", "n.d.", "n/a"),
        (float("inf"), "number", "n.d.", "n/a"),
    ],
    ids=lambda v: repr(v)[:20],
)
def test_format_value_by_kind(value, kind, fr, en):
    assert (format_value(value, kind, "fr"), format_value(value, kind, "en")) == (fr, en)


def test_parse_kind_rejects_unknown_kind():
    with pytest.raises(ValueError, match="unknown value kind 'euros'"):
        parse_kind("euros")


def test_format_ticks_money_shares_one_compact_unit():
    result = format_ticks([0, 500_000, 1_000_000, 1_500_000], "money", "fr")
    assert result == ["0\u00a0€", "0,5\u00a0M\u00a0€", "1,0\u00a0M\u00a0€", "1,5\u00a0M\u00a0€"]
    assert format_ticks([0, 500_000, 1_000_000], "money", "en") == ["€0", "€0.5m", "€1.0m"]


def test_format_ticks_money_falls_back_to_a_unit_that_shows_ticks_exactly():
    result = format_ticks([1_000_000, 1_025_000], "money", "en")
    assert result == ["€1,000k", "€1,025k"]


def test_format_ticks_signed_and_percent():
    assert format_ticks([-20_000, 0, 20_000], "signed_money", "en") == ["-€20k", "€0", "+€20k"]
    assert format_ticks([0, 0.25, 0.5], "percent", "fr") == ["0\u00a0%", "25\u00a0%", "50\u00a0%"]
    assert format_ticks([0.125], "percent", "en") == ["12.5%"]


# --------------------------------------------------------------------------- escaping


def test_render_table_escapes_every_text():
    df = pd.DataFrame({
        "cost_center": ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"],
        "actual": _money("1", "2"),
    })
    result = render_table(df, caption="Coûts <b>", headers={"cost_center": "<i>CC</i>"},
                          lang="fr")
    assert "<script" not in result and "<img" not in result and "<b>" not in result
    assert _cells(result)[0] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert _cells(result)[2] == "&lt;img src=x onerror=alert(1)&gt;"
    assert "<caption>Coûts &lt;b&gt;</caption>" in result
    assert '<th scope="col" class="bo-text">&lt;i&gt;CC&lt;/i&gt;</th>' in result


# --------------------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", ["Achats", f"1{NNBSP}234{NNBSP}567,89{NBSP}€", f"+4,2{NBSP}%", "octobre 2026"]),
        ("en", ["Achats", "€1,234,567.89", "+4.2%", "October 2026"]),
    ],
    ids=["fr", "en"],
)
def test_render_table_formats_cells_by_kind(lang, expected):
    df = pd.DataFrame({"category": ["Achats"], "actual": _money("1234567.89"),
                       "var_pct": [0.042], "period": ["2026-10"]})
    result = render_table(df, lang=lang, formats={"var_pct": "signed_percent"})
    assert _cells(result) == expected


def test_render_table_aligns_numbers_right_and_flags_centre():
    df = pd.DataFrame({"category": ["Achats"], "actual": _money("10"), "flag": [False]})
    result = render_table(df, lang="fr", formats={"flag": "flag"})
    assert '<td class="bo-text">Achats</td>' in result
    assert f'<td class="bo-num">10,00{NBSP}€</td>' in result
    assert ('<td class="bo-center"><span class="bo-flag bo-flag-u" title="défavorable">D</span>'
            "</td>") in result
    assert '<th scope="col" class="bo-num">Réel</th>' in result


def test_render_table_default_headers_come_from_the_catalogue():
    df = pd.DataFrame({"period": ["2026-10"], "budget": _money("1"), "custom_col": ["x"]})
    assert "<th scope=\"col\" class=\"bo-text\">Mois</th>" in render_table(df, lang="fr")
    result = render_table(df, lang="en", headers={"budget": "Budget 2026"})
    heads = re.findall(r"<th scope=\"col\" class=\"[^\"]+\">(.*?)</th>", result)
    assert heads == ["Month", "Budget 2026", "custom_col"]


def test_render_table_shows_a_named_index_as_first_column():
    df = pd.DataFrame({"actual": _money("5").array}, index=pd.Index(["CC01"], name="cost_center"))
    assert _cells(render_table(df, lang="en")) == ["CC01", "€5.00"]


def test_render_table_does_not_show_an_unnamed_index():
    df = pd.DataFrame({"category": ["a", "b", "c"], "n": [1, 2, 3]}).query("n != 2")
    assert _cells(render_table(df, lang="en")) == ["a", "1", "c", "3"]


# --------------------------------------------------------------------------- missing values


@pytest.mark.parametrize(
    ("lang", "cell", "note"),
    [
        ("fr", "n.d.", "n.d. : non disponible (valeur non calculable ou donnée manquante)."),
        ("en", "n/a", "n/a: not available (cannot be computed, or data missing)."),
    ],
    ids=["fr", "en"],
)
def test_render_table_missing_value_has_a_footnote(lang, cell, note):
    df = pd.DataFrame({"category": ["RH", None], "var_pct": [None, 0.1]})
    result = render_table(df, lang=lang, formats={"var_pct": "percent"})
    assert _cells(result) == [
        "RH", f'{cell}<sup class="bo-fn">*</sup>', "", "10,0\u00a0%" if lang == "fr" else "10.0%",
    ]
    assert f'<p class="bo-footnote"><sup class="bo-fn">*</sup> {note}</p>' in result


def test_render_table_without_missing_values_has_no_footnote():
    df = pd.DataFrame({"category": ["RH"], "value": [1.5]})
    assert "bo-footnote" not in render_table(df, lang="fr")


# --------------------------------------------------------------------------- privacy


def test_render_table_suppresses_rows_of_small_groups():
    df = pd.DataFrame({
        "department": ["Finance", "Juridique"],
        "headcount": [42, 3],
        "turnover": [0.12, 0.3333],
        "small": [False, True],
    })
    result = render_table(df, lang="fr", formats={"turnover": "percent"}, suppressed="small")
    hidden = '&lt; 5<sup class="bo-fn">†</sup>'
    assert _cells(result) == ["Finance", "42", "12,0\u00a0%", "Juridique", hidden, hidden]
    assert "33,3" not in result and ">3<" not in result
    assert "small" not in result
    assert ('<sup class="bo-fn">†</sup> &lt; 5 : valeur masquée car calculée sur moins de 5 '
            "personnes (confidentialité).</p>") in result


def test_render_table_cell_mask_and_custom_k_in_english():
    df = pd.DataFrame({"team": ["A", "B"], "women": [12, 2], "men": [9, 14]})
    mask = pd.DataFrame({"team": [False, False], "women": [False, True], "men": [False, False]})
    result = render_table(df, lang="en", suppressed=mask, suppression_k=10)
    assert _cells(result) == ["A", "12", "9", "B", '&lt; 10<sup class="bo-fn">†</sup>', "14"]
    assert "&lt; 10: value hidden because it is based on fewer than 10 people" in result


def test_render_table_cell_mask_aligns_on_a_named_index():
    values = pd.DataFrame({"women": [12, 2], "men": [9, 3]},
                          index=pd.Index(["Finance", "Juridique"], name="department"))
    mask = pd.DataFrame({"women": [False, True], "men": [False, True]},
                        index=pd.Index(["Finance", "Juridique"], name="department"))
    result = render_table(values, lang="fr", suppressed=mask)
    hidden = '&lt; 5<sup class="bo-fn">†</sup>'
    assert _cells(result) == ["Finance", "12", "9", "Juridique", hidden, hidden]


def test_render_table_series_row_mask_aligns_on_labels():
    df = pd.DataFrame({"team": ["A", "B"], "headcount": [12, 3]}, index=[10, 20])
    rows = pd.Series([True, False], index=[20, 10])
    result = render_table(df, lang="en", suppressed=rows)
    assert _cells(result) == ["A", "12", "B", '&lt; 5<sup class="bo-fn">†</sup>']


@pytest.mark.parametrize(
    "mask",
    [pd.Series([True], index=[0]), [True], pd.DataFrame({"headcount": [True]})],
    ids=["series", "sequence", "frame"],
)
def test_render_table_refuses_a_mask_that_misses_rows(mask):
    df = pd.DataFrame({"team": ["A", "B"], "headcount": [3, 12]})
    with pytest.raises(ValueError, match="suppression mask does not"):
        render_table(df, suppressed=mask)


def test_render_table_refuses_k_below_five():
    from backoffice_lib.errors import ParameterError

    with pytest.raises(ParameterError):
        render_table(pd.DataFrame({"n": [1]}), suppression_k=3)


def test_render_table_shows_privacy_suppress_small_groups_output():
    from backoffice_lib.privacy import suppress_small_groups

    table = pd.DataFrame({"department": ["Finance", "Juridique", "RH"],
                          "n_people": [40, 3, 12], "avg_salary": [52000.0, 61000.0, 45000.0]})
    shown = suppress_small_groups(table, "n_people", ["n_people", "avg_salary"])
    result = render_table(shown.drop(columns="suppression"), lang="fr", suppressed="suppressed",
                          formats={"n_people": "int", "avg_salary": "money0"})
    hidden = '&lt; 5<sup class="bo-fn">†</sup>'
    assert _cells(result)[3:6] == ["Juridique", hidden, hidden]
    assert "61" not in result and "suppressed" not in result


# --------------------------------------------------------------------------- total row, rows


def _footer(html: str) -> list[str]:
    foot = html.split("<tfoot>")[1].split("</tfoot>")[0]
    return re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", foot)


def test_render_table_total_row_sums_money_and_leaves_rates_blank():
    df = pd.DataFrame({"category": ["a", "b"], "actual": _money("1000.10", "234.05"),
                       "var_pct": [0.1, 0.2], "headcount": [3, 4]})
    result = render_table(df, lang="fr", total_row=True, formats={"var_pct": "percent"})
    assert _footer(result) == ["Total", f"1{NNBSP}234,15{NBSP}€", "", "7"]


def test_render_table_total_of_a_column_with_a_missing_value_is_not_available():
    df = pd.DataFrame({"category": ["a", "b"], "actual": _money("1", None)})
    assert _footer(render_table(df, lang="en", total_row=True)) == [
        "Total", 'n/a<sup class="bo-fn">*</sup>'
    ]


def test_render_table_total_hides_a_single_suppressed_cell():
    df = pd.DataFrame({"team": ["A", "B", "C"], "headcount": [12, 3, 20],
                       "small": [False, True, False]})
    result = render_table(df, lang="fr", total_row=True, suppressed="small")
    assert _footer(result) == ["Total", '&lt; 5<sup class="bo-fn">†</sup>']
    assert "35" not in result


def test_render_table_max_rows_shows_a_note_and_totals_all_rows():
    df = pd.DataFrame({"category": ["a", "b", "c"], "headcount": [1, 2, 3]})
    result = render_table(df, lang="fr", max_rows=2, total_row=True)
    assert _cells(result) == ["a", "1", "b", "2"]
    assert '<p class="bo-footnote">2 lignes affichées sur 3.</p>' in result
    assert _footer(result) == ["Total", "6"]


# --------------------------------------------------------------------------- page and CSS


def test_render_page_is_standalone_without_script_or_external_url():
    body = render_table(pd.DataFrame({"a": ["<script>x</script>"]}), lang="en")
    result = render_page("Rapport <v1>", body, lang="fr", subtitle="Octobre & novembre")
    assert result.startswith('<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">')
    assert "<title>Rapport &lt;v1&gt;</title>" in result
    assert "<h1>Rapport &lt;v1&gt;</h1>" in result
    assert '<p class="bo-subtitle">Octobre &amp; novembre</p>' in result
    assert "<script" not in result.lower()
    assert not re.search(r"(https?:)?//[a-z]", result.replace("<!DOCTYPE", ""), re.I)
    assert "default-src 'none'" in result
    assert css() in result


def test_render_page_uses_language_in_force_by_default():
    from backoffice_lib.i18n import use_language

    with use_language("en"):
        assert '<html lang="en">' in render_page("Report", "")


def test_css_has_tables_tiles_flags_and_print_rules():
    text = css()
    for selector in (".bo-table-wrap table.bo-table thead th", "position: sticky",
                     "nth-child(even)", "tabular-nums", ".bo-tiles", ".bo-flag-f", ".bo-flag-u",
                     "@media print"):
        assert selector in text
    assert "url(" not in text and "@import" not in text
