"""How each table is exported: file name, sheet, French headers and cell formats.

Headers are written as a French export writes them; each maps onto its canonical column
through the aliases of :mod:`backoffice_lib.tables` (``canonical``; ``None`` marks an
informative column the loader drops). Formats:

- ``text``, ``period`` (``YYYY-MM``): strings;
- ``date`` / ``datetime``: real date cells (xlsx) or ``dd/mm/yyyy [hh:mm]`` (CSV);
- ``money``: integer cents shown as euros, ``#,##0.00`` in xlsx (French Excel shows
  ``1 234,56``) and ``1234,56`` in CSV; ``debit``/``credit``: the positive or negative
  part of a signed amount, blank when zero;
- ``qty``: a number (decimal comma in CSV); ``percent``: FTE 0–1 written as 50/80/100;
- ``bool``: ``Oui``/``Non``; ``office``: back/front/other written as French labels;
  ``gender``: M/F written H/F;
- ``movement_type``: receipt/issue/adjustment/transfer written as Entrée/Sortie/...
"""

from __future__ import annotations

from dataclasses import dataclass

from ..provenance import column_letter

__all__ = ["FEC_COLUMNS", "GENDER_LABELS", "LAYOUTS", "OFFICE_LABELS", "Column", "FileLayout"]


@dataclass(frozen=True)
class Column:
    """One written column: French header, source column, format, canonical column."""

    header: str
    source: str
    fmt: str
    canonical: str | None


@dataclass(frozen=True)
class FileLayout:
    """One file: the canonical table it holds, its name, sheet (None for CSV) and columns."""

    table: str
    file_name: str
    sheet: str | None
    columns: tuple[Column, ...]

    @property
    def is_csv(self) -> bool:
        """True for a text file."""
        return self.sheet is None

    def letter_of(self, source: str) -> str:
        """Column letter (A = first) of the column written from ``source``."""
        for i, col in enumerate(self.columns):
            if col.source == source:
                return column_letter(i)
        raise KeyError(source)


def _c(header: str, source: str, fmt: str = "text", canonical: str | None = "") -> Column:
    return Column(header, source, fmt, source if canonical == "" else canonical)


OFFICE_LABELS = {"back": "Back office", "front": "Front office", "other": "Autre"}
#: Gender as a French HR file writes it (H = homme).
GENDER_LABELS = {"M": "H", "F": "F"}

LAYOUTS: dict[str, FileLayout] = {layout.table: layout for layout in (
    FileLayout("cost_centers", "centres_de_cout.xlsx", "Centres de coût", (
        _c("Centre de coût", "cost_center"), _c("Libellé", "name"),
        _c("Direction", "department"), _c("Type de fonction", "office", "office"),
        _c("Responsable", "manager_id"), _c("Site", "site", canonical=None),
    )),
    FileLayout("gl_lines", "grand_livre.csv", None, (
        _c("Journal", "journal", canonical="journal_code"),
        _c("N° écriture", "entry_id"), _c("N° ligne", "line_no", "qty"),
        _c("Date comptable", "posting_date", "date"), _c("Date de saisie", "entry_date", "date"),
        _c("Compte", "account"), _c("Libellé compte", "account_label"),
        _c("Centre de coût", "cost_center"), _c("Fournisseur", "vendor_id"),
        _c("Pièce", "document_ref"), _c("Libellé écriture", "description"),
        _c("Débit", "amount_cents", "debit", "amount"),
        _c("Crédit", "amount_cents", "credit", "amount"),
        _c("Devise", "currency"),
    )),
    FileLayout("budget", "budget.xlsx", "Budget", (
        _c("Période", "period", "period"), _c("Centre de coût", "cost_center"),
        _c("Catégorie", "category"), _c("Libellé catégorie", "category_label", canonical=None),
        _c("Montant", "amount_cents", "money", "amount"),
    )),
    FileLayout("supplier_invoices", "factures_fournisseurs.xlsx", "Factures", (
        _c("N° facture", "invoice_id"), _c("Fournisseur", "vendor_id"),
        _c("Raison sociale", "vendor_name", canonical=None),
        _c("Date de facture", "invoice_date", "date"),
        _c("Date de réception", "received_date", "date"),
        _c("Date de validation", "approved_date", "date"),
        _c("Date de paiement", "paid_date", "date"), _c("Échéance", "due_date", "date"),
        _c("Montant HT", "amount_cents", "money", "amount"),
        _c("Montant TTC", "amount_ttc_cents", "money", "amount_ttc"),
        _c("N° commande", "po_id"), _c("Traitement automatique", "touchless", "bool"),
        _c("Code exception", "exception_code"),
    )),
    FileLayout("employees", "salaries.xlsx", "Salariés", (
        _c("Matricule", "employee_id"), _c("Nom", "last_name", canonical="name"),
        _c("Prénom", "first_name", canonical="name"), _c("Sexe", "gender", "gender"),
        _c("Date de naissance", "birth_date", "date"), _c("Date d'entrée", "hire_date", "date"),
        _c("Date de sortie", "exit_date", "date"),
        _c("Motif de sortie", "exit_motive", canonical="exit_reason"),
        _c("Centre de coût", "cost_center"), _c("Emploi", "job_title"),
        _c("CSP", "job_category"), _c("Responsable", "manager_id"),
        _c("Taux d'activité", "fte", "percent"), _c("Type de contrat", "contract_type"),
    )),
    FileLayout("payroll", "paie.csv", None, (
        _c("Période", "period", "period"), _c("Matricule", "employee_id"),
        _c("Centre de coût", "cost_center", canonical=None),
        _c("Salaire de base", "base_pay_cents", "money", "base_pay"),
        _c("Primes", "variable_pay_cents", "money", "variable_pay"),
        _c("Indemnités de rupture", "severance_cents", "money", "severance"),
        _c("Salaire brut", "gross_salary_cents", "money", "gross_salary"),
        _c("Charges patronales", "employer_charges_cents", "money", "employer_charges"),
        _c("Heures payées", "hours_paid", "qty"),
    )),
    FileLayout("absences", "absences.xlsx", "Absences", (
        _c("Matricule", "employee_id"), _c("Date de début", "start_date", "date"),
        _c("Date de fin", "end_date", "date"), _c("Motif d'absence", "type"),
        _c("Nb jours", "days", "qty"), _c("Rémunéré", "paid", "bool"),
    )),
    FileLayout("items", "articles.xlsx", "Articles", (
        _c("Référence", "sku"), _c("Désignation", "description"), _c("Famille", "category"),
        _c("Prix unitaire", "unit_cost_cents", "money", "unit_cost"), _c("Dépôt", "warehouse"),
    )),
    FileLayout("stock_movements", "mouvements_stock.csv", None, (
        _c("N° mouvement", "movement_id"), _c("Date", "date", "date"), _c("Article", "sku"),
        _c("Dépôt", "warehouse"), _c("Quantité", "qty", "qty"),
        _c("Type de mouvement", "type", "movement_type"),
        _c("Coût unitaire", "unit_cost_cents", "money", "unit_cost"),
        _c("Référence transfert", "ref"), _c("Motif", "reason"),
    )),
    FileLayout("cycle_counts", "inventaires_tournants.xlsx", "Comptages", (
        _c("N° comptage", "count_id"), _c("Date de comptage", "date", "date"),
        _c("Article", "sku"), _c("Dépôt", "warehouse"),
        _c("Quantité théorique", "system_qty", "qty"), _c("Quantité comptée", "counted_qty", "qty"),
        _c("Prix unitaire", "unit_cost_cents", "money", "unit_cost"),
    )),
    FileLayout("order_lines", "lignes_commandes.csv", None, (
        _c("N° commande", "order_id"), _c("N° ligne", "line_no", "qty"),
        _c("Date de commande", "date", "date"), _c("Article", "sku"),
        _c("Quantité commandée", "qty_ordered", "qty"), _c("Quantité livrée", "qty_shipped", "qty"),
        _c("Statut", "status"),
    )),
    FileLayout("service_requests", "demandes_service.csv", None, (
        _c("N° ticket", "ticket_id"), _c("Équipe", "team"), _c("Catégorie", "category"),
        _c("Date d'ouverture", "opened_at", "datetime"),
        _c("Date de résolution", "resolved_at", "datetime"),
        _c("SLA (heures)", "sla_hours", "qty"), _c("Réouvert", "reopened", "bool"),
        _c("Automatisé", "automated", "bool"),
    )),
)}

#: The 18 columns of a FEC (kpi-reference §5.7), in order, and the ledger column each
#: is written from.
FEC_COLUMNS: tuple[tuple[str, str], ...] = (
    ("JournalCode", "journal"), ("JournalLib", "journal_label"), ("EcritureNum", "number"),
    ("EcritureDate", "posting_date"), ("CompteNum", "account"), ("CompteLib", "account_label"),
    ("CompAuxNum", "aux_id"), ("CompAuxLib", "aux_name"), ("PieceRef", "document_ref"),
    ("PieceDate", "document_date"), ("EcritureLib", "description"), ("Debit", "amount_cents"),
    ("Credit", "amount_cents"), ("EcritureLet", "letter"), ("DateLet", "letter_date"),
    ("ValidDate", "entry_date"), ("Montantdevise", "orig_amount"), ("Idevise", "currency"),
)
