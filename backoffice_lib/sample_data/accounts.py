"""The sample company's chart of accounts: a subset of the French PCG.

Account numbers are six-digit text (``"641100"``). :func:`category_of` maps an expense
account to its package category by the PCG prefixes of kpi-reference §1.1.
"""

from __future__ import annotations

__all__ = ["ACCOUNTS", "CATEGORIES", "CATEGORY_LABELS", "category_of", "label_of"]

#: Account number → label, as printed in a French ledger.
ACCOUNTS: dict[str, str] = {
    # class 1: equity and debts
    "101000": "Capital social",
    "106800": "Autres réserves",
    "110000": "Report à nouveau (solde créditeur)",
    "119000": "Report à nouveau (solde débiteur)",
    "164000": "Emprunts auprès des établissements de crédit",
    # class 2: fixed assets and depreciation
    "213100": "Bâtiments",
    "215400": "Matériel industriel",
    "218300": "Matériel de bureau et matériel informatique",
    "281310": "Amortissements des bâtiments",
    "281540": "Amortissements du matériel industriel",
    "281830": "Amortissements du matériel de bureau et informatique",
    # class 3: stocks
    "310000": "Stocks de matières premières",
    "355000": "Stocks de produits finis",
    # class 4: third parties
    "401000": "Fournisseurs",
    "408100": "Fournisseurs - factures non parvenues",
    "411000": "Clients",
    "421000": "Personnel - rémunérations dues",
    "431000": "Sécurité sociale",
    "437000": "Autres organismes sociaux",
    "445660": "TVA déductible sur autres biens et services",
    "445710": "TVA collectée",
    "447000": "Autres impôts, taxes et versements assimilés",
    # class 5: cash
    "512000": "Banque",
    # class 6: expenses
    "601100": "Achats de matières premières",
    "602200": "Fournitures consommables",
    "602600": "Emballages",
    "606100": "Fournitures non stockables (eau, énergie)",
    "606400": "Fournitures administratives",
    "607000": "Achats de marchandises",
    "611000": "Sous-traitance générale",
    "613200": "Locations immobilières",
    "613500": "Locations mobilières",
    "615500": "Entretien et réparations sur biens mobiliers",
    "615600": "Maintenance",
    "616000": "Primes d'assurances",
    "618500": "Frais de colloques, séminaires, conférences",
    "621100": "Personnel intérimaire",
    "622600": "Honoraires",
    "623100": "Annonces et insertions",
    "624200": "Transports sur ventes",
    "625100": "Voyages et déplacements",
    "626000": "Frais postaux et de télécommunications",
    "627000": "Services bancaires et assimilés",
    "633300": "Participation des employeurs à la formation professionnelle continue",
    "635110": "Cotisation foncière des entreprises",
    "635120": "Taxes foncières",
    "641100": "Salaires, appointements",
    "641400": "Indemnités et avantages divers",
    "645100": "Cotisations à l'URSSAF",
    "645300": "Cotisations aux caisses de retraite",
    "651100": "Redevances pour concessions, brevets, licences, logiciels",
    "658000": "Charges diverses de gestion courante",
    "661100": "Intérêts des emprunts et dettes",
    "671200": "Pénalités, amendes fiscales et pénales",
    "681120": "Dotations aux amortissements des immobilisations corporelles",
    # class 7: revenue
    "701000": "Ventes de produits finis",
    "706000": "Prestations de services",
    "707000": "Ventes de marchandises",
}

#: Package categories of class-6 costs, in report order (kpi-reference §1.1).
CATEGORIES: tuple[str, ...] = (
    "purchases", "external_services", "taxes", "personnel", "other_operating", "financial",
    "exceptional", "depreciation_provisions",
)

#: French heading of each category, as a budget workbook labels it.
CATEGORY_LABELS: dict[str, str] = {
    "purchases": "Achats",
    "external_services": "Services extérieurs",
    "taxes": "Impôts et taxes",
    "personnel": "Charges de personnel",
    "other_operating": "Autres charges de gestion courante",
    "financial": "Charges financières",
    "exceptional": "Charges exceptionnelles",
    "depreciation_provisions": "Dotations aux amortissements et provisions",
}

_PREFIX_CATEGORY = {
    "60": "purchases", "61": "external_services", "62": "external_services", "63": "taxes",
    "64": "personnel", "65": "other_operating", "66": "financial", "67": "exceptional",
    "68": "depreciation_provisions",
}


def category_of(account: str) -> str | None:
    """Package category of a class-6 account (``"641100"`` → ``"personnel"``), else None."""
    return _PREFIX_CATEGORY.get(str(account)[:2])


def label_of(account: str) -> str:
    """Label of an account of the chart (KeyError for an account not in it)."""
    return ACCOUNTS[account]
