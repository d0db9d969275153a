"""Reference data for cost analysis: the account map and cost-centre attributes.

The account map sends PCG account prefixes to reporting categories (kpi-reference §1.1).

The default map follows the French chart of accounts (PCG) class 6 headings, with
natures for the balance-sheet classes 1–5 and revenue class 7. A user can override
or extend it with their own file: read it with ``load_table(path, table="account_map")``
and merge it over the default with :func:`merge_account_maps` (no I/O in this module).

An account takes the row of its **longest** matching prefix: ``6811`` matches ``681``
before ``68`` and ``6``. An account that matches no prefix is ``unmapped`` (issue
``ACCOUNT_UNMAPPED``); its amount stays in every total.

Cost-centre attributes (department, back/front office) come from the ``cost_centers``
master data through :func:`map_cost_centers`, with the conventions of kpi-reference F1/F8
for lines without a cost centre (``UNALLOCATED``) or without a classification
(``unclassified``).

Examples
--------
>>> amap = default_account_map()
>>> map_accounts(pd.Series(["6411000", "6811", "4010"]), amap)["category"].tolist()
['personnel', 'depreciation_provisions', 'balance']
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .tables import ACCOUNT_MAP

__all__ = [
    "CATEGORIES",
    "COST_CATEGORIES",
    "COST_CENTER_ATTRIBUTES",
    "UNALLOCATED",
    "UNCLASSIFIED",
    "UNKNOWN",
    "UNMAPPED",
    "account_mask",
    "default_account_map",
    "distinct_accounts",
    "map_accounts",
    "map_cost_centers",
    "merge_account_maps",
]

#: Category of an account no prefix matches.
UNMAPPED = "unmapped"

#: The package's cost categories (class 6), in reporting order, then ``unmapped``.
COST_CATEGORIES: tuple[str, ...] = (
    "purchases",
    "external_services",
    "taxes",
    "personnel",
    "other_operating",
    "financial",
    "exceptional",
    "depreciation_provisions",
    "profit_sharing_tax",
)
#: Every category of the default map (cost categories, then balance and revenue, then unmapped).
CATEGORIES: tuple[str, ...] = COST_CATEGORIES + ("balance", "revenue", UNMAPPED)

# prefix, category, sub_category, nature, label (PCG heading, French: it is reference data)
_DEFAULT_ROWS: tuple[tuple[str, str, str, str, str], ...] = (
    ("1", "balance", "1", "balance", "Comptes de capitaux"),
    ("2", "balance", "2", "balance", "Comptes d'immobilisations"),
    ("3", "balance", "3", "balance", "Comptes de stocks et en-cours"),
    ("4", "balance", "4", "balance", "Comptes de tiers"),
    ("5", "balance", "5", "balance", "Comptes financiers"),
    ("60", "purchases", "60", "cost", "Achats"),
    ("603", "purchases", "603", "cost", "Variation des stocks"),
    ("609", "purchases", "609", "cost", "Rabais, remises et ristournes obtenus sur achats"),
    ("61", "external_services", "61", "cost", "Services extérieurs"),
    ("62", "external_services", "62", "cost", "Autres services extérieurs"),
    ("63", "taxes", "63", "cost", "Impôts, taxes et versements assimilés"),
    ("64", "personnel", "64", "cost", "Charges de personnel"),
    ("641", "personnel", "641", "cost", "Rémunérations du personnel"),
    ("645", "personnel", "645", "cost", "Charges de sécurité sociale et de prévoyance"),
    ("649", "personnel", "649", "cost", "Remboursements de charges de personnel"),
    ("65", "other_operating", "65", "cost", "Autres charges de gestion courante"),
    ("66", "financial", "66", "cost", "Charges financières"),
    ("67", "exceptional", "67", "cost", "Charges exceptionnelles"),
    ("68", "depreciation_provisions", "68", "cost",
     "Dotations aux amortissements, dépréciations et provisions"),
    ("681", "depreciation_provisions", "681", "cost", "Dotations - charges d'exploitation"),
    ("686", "depreciation_provisions", "686", "cost", "Dotations - charges financières"),
    ("687", "depreciation_provisions", "687", "cost", "Dotations - charges exceptionnelles"),
    ("69", "profit_sharing_tax", "69", "cost",
     "Participation des salariés, impôts sur les bénéfices"),
    ("7", "revenue", "7", "revenue", "Comptes de produits"),
)

_NATURE_BY_CLASS = {"1": "balance", "2": "balance", "3": "balance", "4": "balance",
                    "5": "balance", "6": "cost", "7": "revenue"}


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """The account-map columns in spec order and dtypes, index reset."""
    out = frame.reindex(columns=ACCOUNT_MAP.column_names)
    return out.astype(ACCOUNT_MAP.dtypes).reset_index(drop=True)


def default_account_map() -> pd.DataFrame:
    """The package's default map (canonical ``account_map`` columns), kpi-reference §1.1.

    Returns
    -------
    DataFrame
        ``account_prefix, category, sub_category, nature, label``; one row per prefix.
        60–69 are the cost categories of :data:`COST_CATEGORIES` (61 and 62 share
        ``external_services`` with sub-categories ``61``/``62``; 681/686/687 carry their own
        sub-category so operating depreciation can be told apart); classes 1–5 are
        ``balance`` and class 7 ``revenue``.
    """
    frame = pd.DataFrame(list(_DEFAULT_ROWS), columns=ACCOUNT_MAP.column_names)
    return _canonical(frame)


def merge_account_maps(default: pd.DataFrame, override: pd.DataFrame) -> pd.DataFrame:
    """The default map with a user's rows laid over it.

    Parameters
    ----------
    default, override:
        Account maps with the canonical columns (``override`` as returned by
        ``load_table(path, table="account_map")``). An override row replaces the
        default row with the same ``account_prefix``; new prefixes are added. Within the
        override, the last row of a repeated prefix wins. Prefixes are compared after
        stripping spaces.

    Returns
    -------
    DataFrame
        The merged map, sorted by ``account_prefix``.
    """
    over = _canonical(override).assign(account_prefix=lambda f: f["account_prefix"].str.strip())
    over = over.dropna(subset=["account_prefix"]).drop_duplicates("account_prefix", keep="last")
    base = _canonical(default)
    kept = base[~base["account_prefix"].isin(over["account_prefix"])]
    merged = pd.concat([kept, over], ignore_index=True)
    return _canonical(merged.sort_values("account_prefix", kind="stable"))


def map_accounts(accounts: pd.Series, account_map: pd.DataFrame | None = None) -> pd.DataFrame:
    """Map each account to its longest matching prefix (vectorised).

    Parameters
    ----------
    accounts:
        Account numbers as text (``gl_lines.account``).
    account_map:
        Canonical account map; default :func:`default_account_map`.

    Returns
    -------
    DataFrame
        Same index as ``accounts``; columns ``account_prefix, category, sub_category,
        nature, label``. Unmatched accounts have ``category = "unmapped"``, no prefix, and
        the nature of their PCG class (``cost`` for class 6, ``revenue`` for 7, ``balance``
        for 1–5; NA otherwise).
    """
    amap = _canonical(default_account_map() if account_map is None else account_map)
    acc = pd.Series(accounts, copy=False).astype("str").str.strip()
    # A ledger repeats a few hundred accounts: map each distinct account once.
    codes, distinct = pd.factorize(acc, use_na_sentinel=False)
    mapped = _map_distinct(pd.Series(distinct, dtype=acc.dtype), amap)
    return mapped.iloc[codes].set_axis(acc.index)


def _map_distinct(acc: pd.Series, amap: pd.DataFrame) -> pd.DataFrame:
    """:func:`map_accounts` of stripped account texts (``amap`` canonical)."""
    prefix = pd.Series(pd.NA, index=acc.index, dtype="str")
    for length in sorted(amap["account_prefix"].str.len().unique(), reverse=True):
        known = set(amap.loc[amap["account_prefix"].str.len() == length, "account_prefix"])
        head = acc.str[:length]
        hit = prefix.isna() & head.isin(known) & (acc.str.len() >= length)
        prefix = prefix.mask(hit, head)
    out = amap.set_index("account_prefix").reindex(prefix.to_numpy())
    out = out.reset_index().set_index(acc.index).reindex(columns=ACCOUNT_MAP.column_names)
    missing = out["category"].isna()
    out.loc[missing, "category"] = UNMAPPED
    out.loc[missing, "nature"] = acc[missing].str[:1].map(_NATURE_BY_CLASS)
    return out.astype(ACCOUNT_MAP.dtypes)


# --------------------------------------------------------------------------- cost centres

#: Cost centre of a GL line without one (kept in every total, kpi-reference F1).
UNALLOCATED = "UNALLOCATED"
#: Department of a cost centre missing from the cost-centre master data.
UNKNOWN = "UNKNOWN"
#: Office of a cost centre without a back/front/other classification (kpi-reference F8).
UNCLASSIFIED = "unclassified"
#: Attributes :func:`map_cost_centers` adds.
COST_CENTER_ATTRIBUTES = ("name", "department", "office")


def map_cost_centers(codes: pd.Series, cost_centers: pd.DataFrame | None) -> pd.DataFrame:
    """Attributes of each cost-centre code from the master data (vectorised).

    Parameters
    ----------
    codes:
        Cost-centre codes, NA already replaced by :data:`UNALLOCATED` by the caller.
    cost_centers:
        Canonical ``cost_centers`` table (``cost_center, name, department, office``), or
        None when not available.

    Returns
    -------
    DataFrame
        Same index as ``codes``; columns ``name, department, office``. ``UNALLOCATED`` keeps
        its code as department; a code missing from the master data gets department
        :data:`UNKNOWN`; any missing office is :data:`UNCLASSIFIED`.
    """
    if cost_centers is None:
        master: dict[object, tuple[object, ...]] = {}
    else:
        # first row of each code, as drop_duplicates("cost_center") would keep
        columns = [cost_centers[c].tolist() for c in ("cost_center", *COST_CENTER_ATTRIBUTES)]
        master = {}
        for code, *attrs in zip(*columns, strict=True):
            master.setdefault(code, tuple(attrs))
    # A few hundred rows (employees, payroll lines) repeat a few dozen codes: each
    # distinct code is looked up once in a dict, then the rows take their code's
    # attributes. Pandas ops cost ~0.3 ms each whatever the size: fewer ops, less time.
    positions, distinct = pd.factorize(codes, use_na_sentinel=False)
    attributes = [_cost_center_attributes(code, master) for code in distinct.tolist()]
    out = {name: pd.array([a[i] for a in attributes], dtype="str").take(positions)
           for i, name in enumerate(COST_CENTER_ATTRIBUTES)}
    return pd.DataFrame(out, index=codes.index)


def _cost_center_attributes(code: object,
                            master: dict[object, tuple[object, ...]]) -> tuple[object, ...]:
    """``(name, department, office)`` of one code: the master data's (a missing office is
    :data:`UNCLASSIFIED`), else the code as name and :data:`UNKNOWN` as department
    (``UNALLOCATED`` keeps its code)."""
    if code in master and not pd.isna(code):
        name, department, office = master[code]
        return name, department, UNCLASSIFIED if pd.isna(office) else office
    return code, code if code == UNALLOCATED else UNKNOWN, UNCLASSIFIED


def account_mask(accounts: pd.Series,
                 test: Callable[[pd.Series], pd.Series]) -> np.ndarray:
    """``test`` on the account numbers, as a bool array aligned on ``accounts``.

    ``test`` gets the *distinct* accounts (text, stripped) and returns a boolean (or
    NA) Series on them; NA counts as False. A ledger repeats a few hundred accounts
    over its lines, so each is tested once and the answers spread to the lines.
    """
    codes, distinct = distinct_accounts(accounts)
    return test(distinct).fillna(False).to_numpy(dtype=bool)[codes]


def distinct_accounts(accounts: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """``(codes, distinct)``: the distinct account numbers (text, stripped; a missing one
    is kept as NA) and, for each line, the position of its account among them, so that
    an answer computed on ``distinct`` spreads to the lines as ``answer[codes]``
    (:func:`account_mask` does it for one yes/no test)."""
    codes, distinct = pd.factorize(pd.Series(accounts, copy=False).astype("str"),
                                   use_na_sentinel=False)
    return codes, pd.Series(distinct, dtype="str").str.strip()

