"""Sites, departments and cost centres of the fictional company "Exemple Industries SA".

Each cost centre belongs to a department, whose office class follows kpi-reference F8:
``back`` (finance, accounting, HR, IT, purchasing, general services, legal/compliance,
operations admin, general management), ``front`` (sales, marketing, customer service)
or ``other`` (production, logistics, R&D). ``headcount`` is the staff at the start of the
window at scale 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = [
    "COMPANY_NAME", "COST_CENTRES", "DEPARTMENTS", "ROLES", "SIREN", "SITES", "WAREHOUSES",
    "CostCentre", "Department", "Role", "cost_centres_frame", "department_of",
]

COMPANY_NAME = "Exemple Industries SA"
#: Fictional SIREN (valid Luhn key), used in the FEC file name.
SIREN = "732829320"

#: Site code → city.
SITES: dict[str, str] = {"LYO": "Lyon", "LIL": "Lille", "NAN": "Nantes", "TLS": "Toulouse"}
#: Warehouse codes (one per production site).
WAREHOUSES: tuple[str, ...] = ("DEP-LYO", "DEP-LIL", "DEP-NAN")


@dataclass(frozen=True)
class Department:
    """A department: French name, office class and the share of women in its staff."""

    function: str
    name: str
    office: str
    female_share: float


@dataclass(frozen=True)
class CostCentre:
    """One cost centre: code, French name, department function, site, staff at scale 1."""

    code: str
    name: str
    function: str
    site: str
    headcount: int


@dataclass(frozen=True)
class Role:
    """A job of a department: title, CSP (job category), weight, annual base salary range (EUR)."""

    title: str
    category: str
    weight: float
    salary_min: int
    salary_max: int


OUVRIER, EMPLOYE, TAM, CADRE = (
    "Ouvrier", "Employé", "Technicien et agent de maîtrise", "Ingénieur et cadre",
)

DEPARTMENTS: dict[str, Department] = {d.function: d for d in (
    Department("management", "Direction générale", "back", 0.45),
    Department("finance", "Finance", "back", 0.55),
    Department("accounting", "Comptabilité", "back", 0.70),
    Department("hr", "Ressources humaines", "back", 0.75),
    Department("it", "Informatique", "back", 0.25),
    Department("purchasing", "Achats", "back", 0.50),
    Department("general_services", "Services généraux", "back", 0.45),
    Department("legal", "Juridique et conformité", "back", 0.60),
    Department("operations_admin", "Administration des opérations", "back", 0.70),
    Department("sales", "Ventes", "front", 0.40),
    Department("marketing", "Marketing", "front", 0.60),
    Department("customer_service", "Service client", "front", 0.65),
    Department("production", "Production", "other", 0.25),
    Department("logistics", "Logistique", "other", 0.20),
    Department("rnd", "Recherche et développement", "other", 0.35),
)}

COST_CENTRES: tuple[CostCentre, ...] = (
    CostCentre("DG-LYO", "Direction générale", "management", "LYO", 4),
    CostCentre("FIN-LYO", "Contrôle de gestion", "finance", "LYO", 6),
    CostCentre("TRE-LYO", "Trésorerie", "finance", "LYO", 3),
    CostCentre("CPF-LYO", "Comptabilité fournisseurs", "accounting", "LYO", 6),
    CostCentre("CPG-LYO", "Comptabilité générale", "accounting", "LYO", 5),
    CostCentre("RH-LYO", "Ressources humaines Lyon", "hr", "LYO", 6),
    CostCentre("PAI-LYO", "Paie et administration du personnel", "hr", "LYO", 4),
    CostCentre("RH-LIL", "Ressources humaines Lille", "hr", "LIL", 3),
    CostCentre("DSI-LYO", "Systèmes d'information", "it", "LYO", 9),
    CostCentre("SUP-LYO", "Support informatique", "it", "LYO", 7),
    CostCentre("ACH-LYO", "Achats", "purchasing", "LYO", 7),
    CostCentre("SG-LYO", "Services généraux Lyon", "general_services", "LYO", 6),
    CostCentre("SG-LIL", "Services généraux Lille", "general_services", "LIL", 4),
    CostCentre("SG-NAN", "Services généraux Nantes", "general_services", "NAN", 3),
    CostCentre("JUR-LYO", "Juridique et conformité", "legal", "LYO", 4),
    CostCentre("ADO-LYO", "Administration des ventes Lyon", "operations_admin", "LYO", 6),
    CostCentre("ADO-NAN", "Administration des ventes Nantes", "operations_admin", "NAN", 4),
    CostCentre("VEN-LYO", "Ventes Lyon", "sales", "LYO", 14),
    CostCentre("VEN-LIL", "Ventes Lille", "sales", "LIL", 10),
    CostCentre("VEN-NAN", "Ventes Nantes", "sales", "NAN", 9),
    CostCentre("VEN-TLS", "Ventes Toulouse", "sales", "TLS", 8),
    CostCentre("MKT-LYO", "Marketing", "marketing", "LYO", 8),
    CostCentre("SCL-LYO", "Service client Lyon", "customer_service", "LYO", 10),
    CostCentre("SCL-LIL", "Service client Lille", "customer_service", "LIL", 7),
    CostCentre("PRD-LYO", "Production Lyon", "production", "LYO", 70),
    CostCentre("PRD-LIL", "Production Lille", "production", "LIL", 48),
    CostCentre("PRD-NAN", "Production Nantes", "production", "NAN", 38),
    CostCentre("LOG-LYO", "Logistique Lyon", "logistics", "LYO", 28),
    CostCentre("LOG-LIL", "Logistique Lille", "logistics", "LIL", 18),
    CostCentre("LOG-NAN", "Logistique Nantes", "logistics", "NAN", 15),
    CostCentre("RD-TLS", "Recherche et développement", "rnd", "TLS", 24),
)

ROLES: dict[str, tuple[Role, ...]] = {
    "management": (Role("Assistant de direction", EMPLOYE, 2, 30000, 38000),
                   Role("Chargé de mission", CADRE, 1, 48000, 62000)),
    "finance": (Role("Contrôleur de gestion", CADRE, 3, 45000, 60000),
                Role("Trésorier", CADRE, 1, 48000, 62000),
                Role("Assistant financier", EMPLOYE, 2, 28000, 34000)),
    "accounting": (Role("Comptable fournisseurs", EMPLOYE, 3, 28000, 35000),
                   Role("Comptable général", TAM, 2, 32000, 42000),
                   Role("Assistant comptable", EMPLOYE, 1, 26000, 31000)),
    "hr": (Role("Chargé de ressources humaines", TAM, 2, 33000, 42000),
           Role("Gestionnaire paie", TAM, 2, 32000, 40000),
           Role("Assistant RH", EMPLOYE, 1, 27000, 32000),
           Role("Chargé de recrutement", CADRE, 1, 40000, 50000)),
    "it": (Role("Technicien support", TAM, 3, 30000, 38000),
           Role("Ingénieur systèmes et réseaux", CADRE, 2, 45000, 60000),
           Role("Chef de projet informatique", CADRE, 1, 50000, 65000),
           Role("Développeur", CADRE, 2, 42000, 55000)),
    "purchasing": (Role("Acheteur", CADRE, 2, 42000, 55000),
                   Role("Approvisionneur", TAM, 2, 30000, 38000),
                   Role("Assistant achats", EMPLOYE, 1, 27000, 32000)),
    "general_services": (Role("Agent des services généraux", EMPLOYE, 2, 23000, 27000),
                         Role("Agent d'entretien", OUVRIER, 2, 22000, 25000),
                         Role("Chargé des services généraux", TAM, 1, 30000, 36000)),
    "legal": (Role("Juriste", CADRE, 2, 45000, 60000),
              Role("Chargé de conformité", CADRE, 1, 48000, 62000),
              Role("Assistant juridique", EMPLOYE, 1, 28000, 33000)),
    "operations_admin": (Role("Assistant ADV", EMPLOYE, 2, 26000, 31000),
                         Role("Gestionnaire ADV", TAM, 2, 30000, 36000)),
    "sales": (Role("Commercial", TAM, 3, 32000, 42000),
              Role("Ingénieur commercial", CADRE, 2, 45000, 60000),
              Role("Assistant commercial", EMPLOYE, 1, 26000, 31000)),
    "marketing": (Role("Chargé de marketing", CADRE, 2, 38000, 48000),
                  Role("Chef de produit", CADRE, 1, 45000, 58000),
                  Role("Graphiste", TAM, 1, 30000, 36000)),
    "customer_service": (Role("Conseiller clientèle", EMPLOYE, 3, 24000, 29000),
                         Role("Chargé de clientèle", TAM, 1, 28000, 34000)),
    "production": (Role("Opérateur de production", OUVRIER, 6, 23000, 28000),
                   Role("Régleur", OUVRIER, 2, 26000, 31000),
                   Role("Chef d'équipe", TAM, 1, 32000, 38000),
                   Role("Technicien de maintenance", TAM, 1, 30000, 37000),
                   Role("Ingénieur méthodes", CADRE, 0.5, 42000, 55000)),
    "logistics": (Role("Préparateur de commandes", OUVRIER, 4, 22000, 26000),
                  Role("Cariste", OUVRIER, 2, 23000, 27000),
                  Role("Magasinier", OUVRIER, 2, 23000, 27000),
                  Role("Gestionnaire de stock", TAM, 1, 28000, 34000)),
    "rnd": (Role("Ingénieur R&D", CADRE, 3, 45000, 62000),
            Role("Technicien de laboratoire", TAM, 2, 30000, 38000),
            Role("Chef de projet R&D", CADRE, 1, 55000, 70000)),
}


def department_of(code: str) -> Department:
    """The department of cost centre ``code``."""
    for cc in COST_CENTRES:
        if cc.code == code:
            return DEPARTMENTS[cc.function]
    raise KeyError(code)


def cost_centres_frame(managers: dict[str, str]) -> pd.DataFrame:
    """The cost_centers table: code, name, department, office, manager_id, site (city).

    ``managers`` maps each cost-centre code to its manager's employee id.
    """
    rows = [
        {
            "cost_center": cc.code,
            "name": cc.name,
            "department": DEPARTMENTS[cc.function].name,
            "office": DEPARTMENTS[cc.function].office,
            "manager_id": managers[cc.code],
            "site": SITES[cc.site],
        }
        for cc in COST_CENTRES
    ]
    return pd.DataFrame(rows).astype("str")
