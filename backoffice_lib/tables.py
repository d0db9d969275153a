"""The canonical input tables: columns, types, keys and header aliases.

This module is the single source of truth for the shape of the data
(``../shared/docs/kpi-reference.md`` §5 and the French aliases of §5.6). The loader
maps a file's headers onto these columns and types them; the pandera schemas, the
sample-data writer and ``docs/data-model.md`` are built from the same specs.

Column kinds and their pandas dtypes (:data:`DTYPES`):

=========  =====================================  ===========================================
kind       pandas dtype                           notes
=========  =====================================  ===========================================
str        ``str``                                IDs stay text: ``00042`` keeps its zeros
date       ``datetime64[us]``                     microseconds: 9999-12-31 fits, unlike ns
datetime   ``datetime64[us]``                     naive, Europe/Paris wall time
money      ``decimal128(18, 2)[pyarrow]``         exact cents (kpi-reference §0: no floats)
float      ``float64``                            quantities, rates, FTE
int        ``Int64``                              nullable integer
bool       ``boolean``                            nullable boolean
period     ``str``                                ``YYYY-MM``
=========  =====================================  ===========================================

Header aliases are compared after :func:`normalize_header` (case, accents, punctuation
and spacing ignored), so ``Date d'entrée``, ``DATE D ENTREE`` and ``date_d_entree``
all match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

# pandas comes with the first dtype asked for (MONEY, DTYPES, a frame): reading the
# table names and aliases (the run parameters' check, the close's first steps) does not
# import it.

__all__ = [
    "DTYPES",
    "KINDS",
    "MONEY",
    "TABLES",
    "ColumnSpec",
    "TableSpec",
    "get_table",
    "normalize_header",
]

#: Kinds of column (see the module docstring).
KINDS = ("str", "date", "datetime", "money", "float", "int", "bool", "period")

if TYPE_CHECKING:
    #: Exact money: two decimals, up to 10^16 EUR.
    MONEY: pd.ArrowDtype
    #: Kind → pandas dtype.
    DTYPES: dict[str, object]


def _dtypes() -> dict[str, Any]:
    """``MONEY`` and ``DTYPES``, made on first use (they need pandas)."""
    import pandas as pd
    import pyarrow as pa

    money = pd.ArrowDtype(pa.decimal128(18, 2))  # exact money: two decimals, up to 10^16
    dtypes = {
        "str": "str", "date": "datetime64[us]", "datetime": "datetime64[us]", "money": money,
        "float": "float64", "int": "Int64", "bool": "boolean", "period": "str",
    }
    assert tuple(dtypes) == KINDS
    return {"MONEY": money, "DTYPES": dtypes}


def _lazy(name: str) -> Any:
    if name not in globals():
        globals().update(_dtypes())
    return globals()[name]


def __getattr__(name: str) -> Any:
    """``MONEY`` and ``DTYPES``: module attributes made on first use (PEP 562)."""
    if name in ("MONEY", "DTYPES"):
        return _lazy(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def normalize_header(text: object) -> str:
    """Fold a header for matching: ``"N° Compte_Général "`` → ``"n compte general"``."""
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    s = s.lower().replace("'", " ")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return s.strip()


@dataclass(frozen=True)
class ColumnSpec:
    """One canonical column.

    Parameters
    ----------
    name: canonical name (snake_case English).
    kind: one of :data:`KINDS`.
    required: the column must be present in the file (or derivable, see ``derived``).
    nullable: empty values are allowed.
    aliases: headers that map to this column (French and English), besides ``name``.
    allowed: closed set of canonical values (after ``value_aliases``).
    value_aliases: spelled-out values mapped to canonical ones (``"Homme"`` → ``"M"``),
        compared with :func:`normalize_header`.
    derived: how the loader fills the column when the file lacks it
        (``"period_from:posting_date"``, ``"default:EUR"``, ``"row_number_within:entry_id"``).
    description: what the column holds, with units and sign convention.
    """

    name: str
    kind: str
    required: bool = True
    nullable: bool = False
    aliases: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()
    value_aliases: dict[str, str] = field(default_factory=dict)
    derived: str | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: unknown kind {self.kind!r}")

    @property
    def dtype(self) -> object:
        """The pandas dtype of this column."""
        return _lazy("DTYPES")[self.kind]

    def header_keys(self) -> tuple[str, ...]:
        """Normalised headers that designate this column, the canonical name first."""
        keys = [normalize_header(self.name)]
        keys += [normalize_header(a) for a in self.aliases]
        return tuple(dict.fromkeys(keys))


@dataclass(frozen=True)
class TableSpec:
    """One canonical input table.

    ``signed_pairs`` names money columns that a file may give as two columns,
    ``{"amount": (debit_aliases, credit_aliases)}``: the loader folds them into
    ``debit − credit``. ``joined`` names text columns a file may split in two,
    ``{"name": (("nom",), ("prenom",))}``: the loader joins them with a space.
    """

    name: str
    domain: str
    description: str
    columns: tuple[ColumnSpec, ...]
    primary_key: tuple[str, ...] = ()
    signed_pairs: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    joined: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    used_by: tuple[str, ...] = ()

    def column(self, name: str) -> ColumnSpec:
        """The spec of column ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> list[str]:
        """Canonical column names, in order."""
        return [c.name for c in self.columns]

    @property
    def dtypes(self) -> dict[str, object]:
        """Canonical column → pandas dtype."""
        return {c.name: c.dtype for c in self.columns}

    def empty_frame(self) -> pd.DataFrame:
        """A zero-row frame with the canonical columns and dtypes."""
        import pandas as pd

        return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in self.columns})

    def frame(self, rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
        """A canonical frame from row dicts, for small hand-made tables (tests, what-ifs).

        Columns a row leaves out are NA; money values go through ``Decimal(str(v))`` so
        ``1234.56`` is exactly 1234.56 EUR, never a binary float's neighbour.
        """
        import pandas as pd

        frame = pd.DataFrame(list(rows), columns=self.column_names)
        out = {}
        for col in self.columns:
            values = frame[col.name].tolist()
            if col.kind == "money":
                values = [None if v is None or v != v else Decimal(str(v)) for v in values]
            out[col.name] = pd.Series(values, dtype=col.dtype)
        return pd.DataFrame(out)


def _col(name: str, kind: str, *aliases: str, **kw) -> ColumnSpec:
    return ColumnSpec(name=name, kind=kind, aliases=tuple(aliases), **kw)


def _opt(name: str, kind: str, *aliases: str, **kw) -> ColumnSpec:
    kw.setdefault("nullable", True)
    return ColumnSpec(name=name, kind=kind, required=False, aliases=tuple(aliases), **kw)


_CC_ALIASES = (
    "centre de cout", "centre de couts", "centres de cout", "centre de cout code",
    "code centre de cout",
    "section analytique", "code analytique", "cc", "cost centre", "cost center", "cost center code",
)
_BOOL_VALUES = {
    "oui": "true", "o": "true", "vrai": "true", "yes": "true", "y": "true", "x": "true",
    "1": "true", "true": "true",
    "non": "false", "n": "false", "faux": "false", "no": "false", "0": "false", "false": "false",
}

# --------------------------------------------------------------------------- finance

GL_LINES = TableSpec(
    name="gl_lines",
    domain="finance",
    description="General-ledger lines. Lines sharing entry_id form one journal entry and balance.",
    primary_key=("entry_id", "line_no"),
    signed_pairs={"amount": (("debit", "debit eur", "montant debit"),
                             ("credit", "credit eur", "montant credit"))},
    used_by=("costs", "headcount", "process_efficiency"),
    columns=(
        _col("entry_id", "str", "n ecriture", "numero d ecriture", "ecriture", "n piece comptable",
             "entry", "entry number", "journal entry", "ecriturenum",
             description="Journal entry number; FEC: JournalCode-EcritureNum."),
        _col("line_no", "int", "n ligne", "ligne", "line", "line number",
             derived="row_number_within:entry_id",
             description="Line number within the entry (1, 2, ...)."),
        _col("posting_date", "date", "date comptable", "date d ecriture", "date ecriture",
             "ecrituredate", "date", "posting date", "accounting date",
             description="Accounting date; decides the period."),
        _col("period", "period", "periode", "mois", "period", "month",
             derived="period_from:posting_date",
             description="Accounting period YYYY-MM (from posting_date when absent)."),
        _col("account", "str", "compte", "n compte", "numero de compte", "compte general",
             "comptenum", "account", "account number", "gl account",
             description="PCG account number, kept as text (leading zeros, trailing digits)."),
        _opt("account_label", "str", "libelle compte", "intitule", "intitule compte", "comptelib",
             "account label", "account name"),
        _opt("cost_center", "str", *_CC_ALIASES,
             description="Cost centre code; empty lines go to UNALLOCATED in cost KPIs."),
        _col("amount", "money", "montant", "montant ht", "amount", "net amount",
             description="Debit − credit in EUR: positive = debit (a cost on class 6)."),
        _col("currency", "str", "devise", "idevise", "currency", derived="default:EUR",
             description="ISO 4217 code of the original currency."),
        _opt("vendor_id", "str", "fournisseur", "code fournisseur", "compte auxiliaire",
             "compauxnum", "vendor", "vendor id", "supplier", "supplier id"),
        _opt("description", "str", "libelle ecriture", "libelle", "ecriturelib", "description",
             "label"),
        _opt("journal_code", "str", "journal", "code journal", "journalcode", "journal code"),
        _opt("document_ref", "str", "piece", "n piece", "reference piece", "pieceref",
             "document", "document ref", "reference"),
        _opt("orig_amount", "money", "montant devise", "montantdevise", "original amount"),
        _opt("entry_date", "date", "date de saisie", "date de validation", "validdate",
             "entry date", "validation date",
             description="Date the entry was keyed or validated (FEC ValidDate); "
                         "used by the cut-off check 'posted after close'. Extension to §5."),
    ),
)

ACCOUNT_MAP = TableSpec(
    name="account_map",
    domain="finance",
    description="PCG account prefix → reporting category (longest prefix wins).",
    primary_key=("account_prefix",),
    used_by=("costs",),
    columns=(
        _col("account_prefix", "str", "prefixe", "prefixe de compte", "compte", "racine",
             "account prefix", "prefix"),
        _col("category", "str", "categorie", "rubrique", "category"),
        _opt("sub_category", "str", "sous categorie", "sub category", "subcategory"),
        _col("nature", "str", "nature", "type", allowed=("cost", "revenue", "balance"),
             value_aliases={"charge": "cost", "charges": "cost", "produit": "revenue",
                            "produits": "revenue", "bilan": "balance"}),
        _opt("label", "str", "libelle", "intitule", "label"),
    ),
)

COST_CENTERS = TableSpec(
    name="cost_centers",
    domain="finance",
    description="Cost-centre master data: department, back/front office, manager.",
    primary_key=("cost_center",),
    used_by=("costs", "headcount", "process_efficiency"),
    columns=(
        _col("cost_center", "str", *_CC_ALIASES, "code"),
        _col("name", "str", "libelle", "nom", "intitule", "libelle centre de cout", "name",
             "cost centre name", "cost center name"),
        _col("department", "str", "departement", "direction", "service", "fonction", "department"),
        _col("office", "str", "type de fonction", "office", "back front", "front back",
             "type", "classification",
             allowed=("back", "front", "other"),
             value_aliases={"back office": "back", "fonction support": "back", "support": "back",
                            "front office": "front", "autre": "other", "other": "other",
                            "back": "back", "front": "front"},
             description="back (support functions), front (sales, marketing, customer service) "
                         "or other (production, R&D, logistics)."),
        _opt("manager_id", "str", "responsable", "matricule responsable", "manager",
             "manager id"),
    ),
)

BUDGET = TableSpec(
    name="budget",
    domain="finance",
    description="Budget by period, cost centre and account or category (EUR, cost positive).",
    primary_key=("period", "cost_center", "account", "category"),
    used_by=("costs",),
    columns=(
        _col("period", "period", "periode", "mois", "period", "month"),
        _col("cost_center", "str", *_CC_ALIASES),
        _opt("account", "str", "compte", "n compte", "account"),
        _opt("category", "str", "categorie", "nature", "poste", "category"),
        _col("amount", "money", "montant", "budget", "montant budgete", "amount",
             description="Budgeted amount in EUR; costs positive."),
    ),
)

SUPPLIER_INVOICES = TableSpec(
    name="supplier_invoices",
    domain="finance",
    description="Supplier invoices with their processing dates (purchase-to-pay).",
    primary_key=("invoice_id",),
    used_by=("costs", "process_efficiency"),
    columns=(
        _col("invoice_id", "str", "n facture", "numero de facture", "numero facture", "facture",
             "invoice", "invoice id", "invoice number"),
        _col("vendor_id", "str", "fournisseur", "code fournisseur", "compte auxiliaire",
             "vendor", "vendor id", "supplier", "supplier id"),
        _col("invoice_date", "date", "date de facture", "date facture", "invoice date"),
        _col("received_date", "date", "date de reception", "date reception", "received date",
             "receipt date"),
        _opt("approved_date", "date", "date de validation", "date d approbation", "bon a payer",
             "date bon a payer", "approved date", "approval date"),
        _opt("paid_date", "date", "date de reglement", "date de paiement", "date paiement",
             "paid date", "payment date"),
        _col("due_date", "date", "echeance", "date d echeance", "due date"),
        _col("amount", "money", "montant ht", "montant", "amount", "net amount",
             description="Amount excluding VAT (HT), EUR."),
        _opt("amount_ttc", "money", "montant ttc", "amount incl vat", "gross amount"),
        _opt("po_id", "str", "n commande", "bon de commande", "numero de commande", "po",
             "po id", "po number", "purchase order"),
        _col("touchless", "bool", "sans intervention", "traitement automatique", "touchless",
             value_aliases=_BOOL_VALUES),
        _opt("exception_code", "str", "code exception", "exception", "anomalie",
             "motif de blocage", "exception code"),
    ),
)

# --------------------------------------------------------------------------- HR

EMPLOYEES = TableSpec(
    name="employees",
    domain="hr",
    description="One row per employee (contract): identity, dates, cost centre, FTE.",
    primary_key=("employee_id",),
    joined={"name": (("nom", "last name", "surname"), ("prenom", "first name"))},
    used_by=("headcount", "costs"),
    columns=(
        _col("employee_id", "str", "matricule", "n salarie", "id salarie", "employee id",
             "employee", "employee number"),
        _col("name", "str", "nom prenom", "nom et prenom", "salarie", "name", "full name",
             description="Personal data: never shown in managers' reports."),
        _col("gender", "str", "sexe", "genre", "gender", "sex", allowed=("M", "F", "X"),
             value_aliases={"h": "M", "homme": "M", "m": "M", "masculin": "M", "male": "M",
                            "f": "F", "femme": "F", "feminin": "F", "female": "F",
                            "x": "X", "autre": "X", "other": "X"}),
        _opt("birth_date", "date", "date de naissance", "birth date", "date of birth"),
        _col("hire_date", "date", "date d entree", "date d embauche", "date entree", "hire date",
             "start date"),
        _opt("exit_date", "date", "date de sortie", "date sortie", "exit date", "leaving date",
             "end date", description="Last day under contract; empty while employed."),
        _opt("exit_reason", "str", "motif de sortie", "motif sortie", "exit reason",
             allowed=("voluntary", "involuntary", "other"),
             value_aliases={"demission": "voluntary", "licenciement": "involuntary",
                            "rupture conventionnelle": "other", "fin de cdd": "other",
                            "retraite": "other", "deces": "other", "depart a la retraite": "other",
                            "voluntary": "voluntary", "involuntary": "involuntary",
                            "other": "other"}),
        _col("cost_center", "str", *_CC_ALIASES, "service"),
        _opt("job_title", "str", "emploi", "intitule de poste", "poste", "fonction", "job title"),
        _opt("job_category", "str", "csp", "categorie", "statut", "categorie socio professionnelle",
             "job category"),
        _opt("manager_id", "str", "responsable", "manager", "matricule responsable", "manager id"),
        _col("fte", "float", "etp", "taux d activite", "temps de travail", "fte",
             description="Contractual rate in (0, 1]: 0.8 = 80 %. "
                         "A 0–100 column is divided by 100."),
        _col("contract_type", "str", "type de contrat", "contrat", "contract type", "contract"),
    ),
)

PAYROLL = TableSpec(
    name="payroll",
    domain="hr",
    description="Monthly payroll per employee (EUR).",
    primary_key=("period", "employee_id"),
    used_by=("headcount", "costs"),
    columns=(
        _col("period", "period", "periode", "mois", "mois de paie", "period", "month"),
        _col("employee_id", "str", "matricule", "n salarie", "employee id", "employee"),
        _col("gross_salary", "money", "salaire brut", "brut", "gross salary", "gross pay"),
        _col("employer_charges", "money", "charges patronales", "cotisations patronales",
             "employer charges", "employer contributions"),
        _opt("base_pay", "money", "salaire de base", "base pay"),
        _opt("variable_pay", "money", "variable", "part variable", "primes", "variable pay"),
        _opt("benefits_in_kind", "money", "avantages en nature", "benefits in kind"),
        _opt("overtime", "money", "heures supplementaires", "overtime"),
        _opt("severance", "money", "indemnites de rupture", "severance"),
        _opt("hours_paid", "float", "heures payees", "hours paid"),
    ),
)

ABSENCES = TableSpec(
    name="absences",
    domain="hr",
    description="Absence spells (working days).",
    primary_key=(),
    used_by=("headcount",),
    columns=(
        _col("employee_id", "str", "matricule", "n salarie", "employee id", "employee"),
        _col("start_date", "date", "date de debut", "debut", "start date", "from"),
        _col("end_date", "date", "date de fin", "fin", "end date", "to"),
        _col("type", "str", "type d absence", "motif d absence", "motif", "type", "absence type"),
        _col("days", "float", "nb jours", "nombre de jours", "jours", "days",
             description="Working days absent (half days allowed)."),
        _opt("paid", "bool", "paye", "remunere", "paid", value_aliases=_BOOL_VALUES),
    ),
)

# --------------------------------------------------------------------------- stock

ITEMS = TableSpec(
    name="items",
    domain="stock",
    description="Item (SKU) master data.",
    primary_key=("sku",),
    used_by=("stock",),
    columns=(
        _col("sku", "str", "article", "reference", "code article", "ref article", "sku",
             "item", "item code"),
        _col("description", "str", "designation", "libelle", "description"),
        _col("category", "str", "famille", "categorie", "category", "family"),
        _col("unit_cost", "money", "prix unitaire", "pu", "cout unitaire", "cump", "unit cost"),
        _opt("warehouse", "str", "depot", "entrepot", "magasin", "warehouse"),
    ),
)

STOCK_MOVEMENTS = TableSpec(
    name="stock_movements",
    domain="stock",
    description="Stock movements; qty signed (+ in, − out).",
    primary_key=("movement_id",),
    used_by=("stock",),
    columns=(
        _col("movement_id", "str", "n mouvement", "id mouvement", "mouvement", "movement id"),
        _col("date", "date", "date", "date mouvement", "date du mouvement", "movement date"),
        _col("sku", "str", "article", "reference", "code article", "sku", "item"),
        _col("warehouse", "str", "depot", "entrepot", "magasin", "warehouse"),
        _col("qty", "float", "quantite", "qte", "qty", "quantity",
             description="Signed quantity: + receipt, − issue."),
        _col("type", "str", "type de mouvement", "type", "movement type",
             allowed=("receipt", "issue", "adjustment", "transfer"),
             value_aliases={"entree": "receipt", "reception": "receipt", "sortie": "issue",
                            "consommation": "issue", "ajustement": "adjustment",
                            "inventaire": "adjustment", "regularisation": "adjustment",
                            "transfert": "transfer", "receipt": "receipt", "issue": "issue",
                            "adjustment": "adjustment", "transfer": "transfer"}),
        _col("unit_cost", "money", "prix unitaire", "pu", "cout unitaire", "cump", "unit cost"),
        _opt("ref", "str", "reference transfert", "ref", "reference mouvement"),
        _opt("reason", "str", "motif", "raison", "reason"),
    ),
)

CYCLE_COUNTS = TableSpec(
    name="cycle_counts",
    domain="stock",
    description="Cycle counts: system vs counted quantity.",
    primary_key=("count_id",),
    used_by=("stock",),
    columns=(
        _col("count_id", "str", "n comptage", "id comptage", "comptage", "count id"),
        _col("date", "date", "date", "date de comptage", "date inventaire", "count date"),
        _col("sku", "str", "article", "reference", "code article", "sku", "item"),
        _col("warehouse", "str", "depot", "entrepot", "magasin", "warehouse"),
        _col("system_qty", "float", "quantite theorique", "stock theorique", "qte theorique",
             "system qty", "system quantity"),
        _col("counted_qty", "float", "quantite comptee", "stock physique", "qte comptee",
             "counted qty", "counted quantity"),
        _col("unit_cost", "money", "prix unitaire", "pu", "cout unitaire", "cump", "unit cost"),
    ),
)

ORDER_LINES = TableSpec(
    name="order_lines",
    domain="stock",
    description="Customer order lines (fill rate, stockouts).",
    primary_key=("order_id", "line_no"),
    used_by=("stock",),
    columns=(
        _col("order_id", "str", "n commande", "commande", "numero de commande", "order id",
             "order"),
        _col("date", "date", "date", "date de commande", "date commande", "order date"),
        _col("sku", "str", "article", "reference", "code article", "sku", "item"),
        _col("qty_ordered", "float", "quantite commandee", "qte commandee", "qty ordered"),
        _col("qty_shipped", "float", "quantite livree", "qte livree", "qty shipped"),
        _opt("line_no", "int", "n ligne", "ligne", "line", "line no",
             derived="row_number_within:order_id"),
        _opt("status", "str", "statut", "etat", "status"),
    ),
)

# --------------------------------------------------------------------------- operations

SERVICE_REQUESTS = TableSpec(
    name="service_requests",
    domain="operations",
    description="Tickets of the internal help desks (IT, HR, finance).",
    primary_key=("ticket_id",),
    used_by=("process_efficiency",),
    columns=(
        _col("ticket_id", "str", "n ticket", "ticket", "numero de ticket", "id", "ticket id"),
        _col("team", "str", "equipe", "service", "groupe", "team"),
        _col("category", "str", "categorie", "type de demande", "category"),
        _col("opened_at", "datetime", "date d ouverture", "ouvert le", "date de creation",
             "opened at", "created at"),
        _opt("resolved_at", "datetime", "date de resolution", "resolu le", "date de cloture",
             "resolved at", "closed at"),
        _col("sla_hours", "float", "sla heures", "delai cible h", "sla", "sla hours"),
        _col("reopened", "bool", "reouvert", "reopened", value_aliases=_BOOL_VALUES),
        _col("automated", "bool", "automatise", "automatisee", "automated",
             value_aliases=_BOOL_VALUES),
    ),
)

#: Every canonical table by name.
TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        GL_LINES, ACCOUNT_MAP, COST_CENTERS, BUDGET, SUPPLIER_INVOICES,
        EMPLOYEES, PAYROLL, ABSENCES,
        ITEMS, STOCK_MOVEMENTS, CYCLE_COUNTS, ORDER_LINES,
        SERVICE_REQUESTS,
    )
}


def get_table(name: str) -> TableSpec:
    """The spec of canonical table ``name``; ValueError listing the known ones otherwise."""
    try:
        return TABLES[name]
    except KeyError:
        raise ValueError(
            f"unknown table {name!r}; known tables: {', '.join(sorted(TABLES))}"
        ) from None
