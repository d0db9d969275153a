"""Account map and cost-centre attributes (backoffice_lib.accounts)."""

import pandas as pd
import pytest

from backoffice_lib import accounts as A
from backoffice_lib.i18n import t
from backoffice_lib.tables import ACCOUNT_MAP


def test_default_map_has_canonical_columns_and_the_ten_categories():
    amap = A.default_account_map()
    assert list(amap.columns) == ACCOUNT_MAP.column_names
    assert dict(amap.dtypes) == ACCOUNT_MAP.dtypes
    assert amap["account_prefix"].is_unique
    cost = amap[amap["nature"] == "cost"]
    assert set(cost["category"]) == set(A.COST_CATEGORIES)
    assert len(A.COST_CATEGORIES) + 1 == 10  # nine PCG categories + unmapped


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_category_has_a_label(lang):
    for category in A.CATEGORIES:
        assert t(f"finance.category.{category}", lang) != f"finance.category.{category}"


def test_french_category_labels():
    assert [t(f"finance.category.{c}", "fr") for c in A.COST_CATEGORIES[:4]] == [
        "Achats", "Services extérieurs", "Impôts et taxes", "Charges de personnel"]


@pytest.mark.parametrize(("account", "category", "sub_category"), [
    ("601000", "purchases", "60"), ("6037", "purchases", "603"), ("6091", "purchases", "609"),
    ("613200", "external_services", "61"), ("6226", "external_services", "62"),
    ("6311", "taxes", "63"), ("6411000", "personnel", "641"), ("6451", "personnel", "645"),
    ("6488", "personnel", "64"), ("6511", "other_operating", "65"), ("6611", "financial", "66"),
    ("6712", "exceptional", "67"), ("6811", "depreciation_provisions", "681"),
    ("6865", "depreciation_provisions", "686"), ("6875", "depreciation_provisions", "687"),
    ("6800", "depreciation_provisions", "68"), ("695", "profit_sharing_tax", "69"),
    ("401000", "balance", "4"), ("706", "revenue", "7"),
])
def test_map_accounts_longest_prefix(account, category, sub_category):
    result = A.map_accounts(pd.Series([account]))
    assert (result["category"].iloc[0], result["sub_category"].iloc[0]) == (category, sub_category)


def test_unmapped_accounts_keep_index_and_class_nature():
    accounts = pd.Series(["6A10", "8000", None, " 6411 "], index=[10, 11, 12, 13], dtype="str")
    result = A.map_accounts(accounts)
    assert list(result.index) == [10, 11, 12, 13]
    assert result["category"].tolist() == ["unmapped", "unmapped", "unmapped", "personnel"]
    assert result["nature"].iloc[0] == "cost" and pd.isna(result["nature"].iloc[1])
    assert pd.isna(result["account_prefix"].iloc[0])


def test_merge_account_maps_override_replaces_and_adds():
    override = pd.DataFrame({
        "account_prefix": ["6226", " 62", "6226"],
        "category": ["fees", "external_services", "advisory"],
        "sub_category": [None, "other_62", None],
        "nature": ["cost", "cost", "cost"],
        "label": [None, None, "Honoraires"],
    })
    merged = A.merge_account_maps(A.default_account_map(), override)
    assert merged["account_prefix"].is_unique
    assert len(merged) == len(A.default_account_map()) + 1       # 6226 added, 62 replaced
    result = A.map_accounts(pd.Series(["6226", "6228", "6132"]), merged)
    # last override row wins for 6226; 6228 falls to the overridden 62
    assert result["category"].tolist() == ["advisory", "external_services", "external_services"]
    assert pd.isna(result["sub_category"].iloc[0]) and result["sub_category"].iloc[1] == "other_62"


def test_map_cost_centers():
    ccs = pd.DataFrame({"cost_center": ["C1", "C2"], "name": ["Compta", "Ventes"],
                        "department": ["Finance", "Sales"], "office": ["back", None]}, dtype="str")
    codes = pd.Series(["C1", "C2", A.UNALLOCATED, "ZZ"], index=[5, 6, 7, 8], dtype="str")
    result = A.map_cost_centers(codes, ccs)
    assert list(result.index) == [5, 6, 7, 8]
    assert result["department"].tolist() == ["Finance", "Sales", "UNALLOCATED", "UNKNOWN"]
    assert result["office"].tolist() == ["back", "unclassified", "unclassified", "unclassified"]


def test_map_cost_centers_repeated_codes_and_master_duplicates():
    # the first master row of a code wins; a repeated code gets the same attributes on
    # every row; a missing department stays missing; columns are "str"
    ccs = pd.DataFrame({"cost_center": ["C1", "C1", "C2"], "name": ["Compta", "Autre", None],
                        "department": [None, "Sales", "Sales"],
                        "office": [None, "back", "front"]}, dtype="str")
    codes = pd.Series(["C2", "C1", "ZZ", "C2", A.UNALLOCATED, "C1"], index=list("abcdef"),
                      dtype="str")
    result = A.map_cost_centers(codes, ccs)
    assert list(result.index) == list("abcdef")
    assert list(result.columns) == ["name", "department", "office"]
    assert all(result[c].dtype == "str" for c in result.columns)
    assert result["name"].fillna("-").tolist() == ["-", "Compta", "ZZ", "-", "UNALLOCATED",
                                                  "Compta"]
    assert result["department"].fillna("-").tolist() == ["Sales", "-", "UNKNOWN", "Sales",
                                                        "UNALLOCATED", "-"]
    assert result["office"].tolist() == ["front", "unclassified", "unclassified", "front",
                                         "unclassified", "unclassified"]
    assert A._cost_center_attributes("C9", {}) == ("C9", "UNKNOWN", "unclassified")
    assert A._cost_center_attributes("C1", {"C1": ("n", "d", "o")}) == ("n", "d", "o")
    none = A.map_cost_centers(codes, None)
    assert none["department"].tolist() == ["UNKNOWN"] * 4 + ["UNALLOCATED", "UNKNOWN"]


def test_account_mask_tests_each_distinct_account_stripped_and_spreads_the_answer():
    from backoffice_lib.accounts import account_mask

    accounts = pd.Series([" 6411", "6411", "401", None, "6411 ", "7061"], dtype="str",
                         index=[10, 11, 12, 13, 14, 15])
    seen = []

    def test(acc: pd.Series) -> pd.Series:
        seen.append(acc.tolist())
        return acc.str.startswith(("641", "70"))

    result = account_mask(accounts, test)
    assert result.tolist() == [True, True, False, False, True, True]  # NA account: False
    assert len(seen) == 1 and len(seen[0]) == 6  # once per distinct text, not per line
    assert seen[0].count("6411") == 3 and " 6411" not in seen[0]  # stripped for the test


def test_distinct_accounts_strip_and_spread_back_to_the_lines():
    lines = pd.Series(["401000", "607100 ", None, "401000"], dtype="str")
    codes, distinct = A.distinct_accounts(lines)
    assert len(distinct) == 3 and distinct.tolist()[:2] == ["401000", "607100"]
    assert pd.isna(distinct.iloc[2])
    assert codes.tolist() == [0, 1, 2, 0]
    assert distinct.to_numpy()[codes].tolist()[:2] == ["401000", "607100"]
