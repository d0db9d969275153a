"""Name lists of the fictional company: people, suppliers and customers (all invented).

Every string is encodable in cp1252, since one file of the dirty variant is written in it.
"""

from __future__ import annotations

import numpy as np

FIRST_NAMES_M: tuple[str, ...] = (
    "Adrien", "Alexandre", "Antoine", "Arnaud", "Arthur", "Baptiste", "Benoît", "Bruno",
    "Cédric", "Christophe", "Clément", "Damien", "David", "Denis", "Didier", "Dylan",
    "Éric", "Étienne", "Fabien", "François", "Frédéric", "Gaël", "Guillaume", "Hugo",
    "Jérôme", "Julien", "Karim", "Kévin", "Laurent", "Lucas", "Marc", "Mathieu", "Maxime",
    "Mehdi", "Nicolas", "Olivier", "Pascal", "Patrick", "Philippe", "Pierre", "Quentin",
    "Raphaël", "Romain", "Samir", "Sébastien", "Stéphane", "Thierry", "Thomas", "Valentin",
    "Vincent", "Xavier", "Yann", "Yannick", "Youssef", "Loïc", "Jean-Luc", "Théo", "Noé",
)
FIRST_NAMES_F: tuple[str, ...] = (
    "Agnès", "Alice", "Amandine", "Amélie", "Anaïs", "Anne", "Audrey", "Aurélie", "Camille",
    "Caroline", "Catherine", "Céline", "Chloé", "Claire", "Clémence", "Delphine", "Élise",
    "Émilie", "Emma", "Fanny", "Fatima", "Florence", "Gaëlle", "Hélène", "Inès", "Isabelle",
    "Jeanne", "Julie", "Justine", "Karine", "Laetitia", "Laura", "Léa", "Lucie", "Manon",
    "Marie", "Marine", "Mathilde", "Mélanie", "Nadia", "Nathalie", "Océane", "Pauline",
    "Sabrina", "Sandrine", "Sarah", "Sophie", "Stéphanie", "Sylvie", "Valérie", "Véronique",
    "Virginie", "Zoé", "Noémie", "Maëlle", "Françoise", "Leïla", "Sonia",
)
LAST_NAMES: tuple[str, ...] = (
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand",
    "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
    "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier",
    "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin",
    "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas",
    "Lacroix", "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc",
    "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot",
    "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin", "Louis", "Deschamps",
    "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet", "Adam",
    "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles", "Renault", "Charpentier",
    "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé", "Schneider", "Fernandez",
    "Le Gall", "Collet", "Léger", "Bouvier", "Julien", "Prévost", "Millet", "Perrot", "Daniel",
    "Le Roux", "Cousin", "Germain", "Breton", "Besson", "Langlois", "Rémy", "Le Goff", "Pelletier",
    "Lévêque", "Perrier", "Leblanc", "Barré", "Lebrun", "Marchal", "Weber", "Mallet", "Hamon",
    "Boulanger", "Jacob", "Monnier", "Michaud", "Rodriguez", "Guichard", "Gillet", "Étienne",
    "Grondin", "Poulain", "Tessier", "Chevallier", "Collin", "Chauvin", "Da Silva", "Bouchet",
    "Gay", "Lemaître", "Bénard", "Maréchal", "Humbert", "Reynaud", "Antoine", "Hoarau",
    "Perret", "Barthélemy", "Cordier", "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay",
    "Pasquier", "Carlier", "Laporte", "Benali", "Haddad", "Nguyen", "Diallo", "Traoré",
)

#: Words that make supplier and customer company names.
COMPANY_PREFIXES: tuple[str, ...] = (
    "Atelier", "Groupe", "Société", "Établissements", "Compagnie", "Maison", "Cabinet",
    "Laboratoires", "Ateliers", "Entreprise",
)
COMPANY_CORES: tuple[str, ...] = (
    "Alpes", "Armor", "Atlantique", "Azur", "Beaujolais", "Bocage", "Cévennes", "Champagne",
    "Dauphiné", "Forez", "Garonne", "Jura", "Léman", "Loire", "Lorraine", "Morvan", "Normandie",
    "Oise", "Pilat", "Provence", "Quercy", "Rhône", "Saône", "Sologne", "Vercors", "Vosges",
    "Aquitaine", "Berry", "Bourbonnais", "Gascogne", "Limousin", "Picardie", "Savoie", "Vexin",
)
COMPANY_SUFFIXES: tuple[str, ...] = ("SA", "SAS", "SARL", "SNC", "EURL", "et Fils", "Industrie",
                                     "Services", "Distribution", "Conseil")

#: Words of product descriptions, by item family.
PRODUCT_WORDS: dict[str, tuple[str, ...]] = {
    "Matières premières": ("Tôle acier", "Barre aluminium", "Granulés PEHD", "Fil cuivre",
                           "Profilé inox", "Résine époxy", "Panneau bois", "Poudre de peinture"),
    "Composants": ("Roulement", "Vis tête hexagonale", "Joint torique", "Moteur électrique",
                   "Carte électronique", "Vérin", "Ressort", "Capteur de pression"),
    "Emballages": ("Carton double cannelure", "Film étirable", "Palette Europe", "Sachet zip",
                   "Étiquette adhésive", "Calage mousse"),
    "Produits finis": ("Armoire métallique", "Chariot de manutention", "Étagère modulaire",
                       "Coffret électrique", "Établi", "Casier vestiaire", "Desserte inox"),
    "Pièces détachées": ("Kit de maintenance", "Courroie", "Filtre hydraulique", "Pignon",
                         "Fusible", "Charnière", "Poignée"),
    "Fournitures": ("Gants de protection", "Lunettes de sécurité", "Ruban adhésif",
                    "Lingettes industrielles", "Marqueur", "Casque antibruit"),
}
PRODUCT_QUALIFIERS: tuple[str, ...] = (
    "10 mm", "20 mm", "50 mm", "modèle A", "modèle B", "gris", "bleu", "taille M", "taille L",
    "lot de 10", "lot de 50", "renforcé", "standard", "premium", "compact", "XL",
)


def company_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct invented company names ("Atelier Jura SARL")."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        name = " ".join((rng.choice(COMPANY_PREFIXES), rng.choice(COMPANY_CORES),
                         rng.choice(COMPANY_SUFFIXES)))
        if name in seen:
            name = f"{name} {len(out) + 1}"
        seen.add(name)
        out.append(name)
    return out
