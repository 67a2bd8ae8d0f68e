"""The demo's French texts: a regional IT services company (Numéria Services), its people, its
plan's diagnosis, targets, objectives, actions, deals and reviews."""

from actions.models import Action
from pac.core.models import Role
from pac.plans.models import SwotItem
from targets.models import Deal, Objective, Target

DEMO_PASSWORD = "demo"
DEMO_TEAM = "Ventes Île-de-France"
OTHER_TEAM = "Ventes Auvergne-Rhône-Alpes"

PEOPLE = [
    # username, first name, last name, team, role
    ("manager", "Claire", "Martin", DEMO_TEAM, Role.MANAGER),
    ("rep1", "Julien", "Petit", DEMO_TEAM, Role.REP),
    ("rep2", "Sophie", "Bernard", DEMO_TEAM, Role.REP),
    ("rep3", "Karim", "Haddad", DEMO_TEAM, Role.REP),
    ("viewer", "Hélène", "Robert", DEMO_TEAM, Role.VIEWER),
    ("manager2", "Marc", "Dubois", OTHER_TEAM, Role.MANAGER),
    ("rep4", "Léa", "Moreau", OTHER_TEAM, Role.REP),
]

SWOT = {
    SwotItem.Quadrant.STRENGTH: [
        "Expertise reconnue en infogérance et cloud hybride",
        "Centre de services à Nanterre avec astreinte 24/7",
        "Taux de fidélité client de 92 % sur trois ans",
        "Certifications ISO 27001 et HDS",
    ],
    SwotItem.Quadrant.WEAKNESS: [
        "Notoriété faible auprès des PME industrielles",
        "Cycle de vente long (7 mois en moyenne)",
        "Dépendance à trois grands comptes (45 % du CA)",
        "Offre cybersécurité encore jeune",
    ],
    SwotItem.Quadrant.OPPORTUNITY: [
        "Directive NIS 2 : obligations de sécurité pour des milliers d'entités",
        "Plan de relance numérique des collectivités",
        "Fin de support de solutions on-premise chez plusieurs clients",
    ],
    SwotItem.Quadrant.THREAT: [
        "Concurrents nationaux agressifs sur les prix",
        "Pénurie d'ingénieurs cloud et sécurité",
        "Allongement des délais de décision des acheteurs publics",
    ],
}

COMPETITORS = [
    (
        "Cap Numérique",
        "Présence nationale, catalogue large, prix bas sur l'infogérance",
        "Turnover élevé, interlocuteurs changeants, peu de proximité",
        "Généraliste grands comptes, guerre des prix sur les renouvellements",
        "high",
    ),
    (
        "Datacorp Services",
        "Très forte expertise cybersécurité, SOC reconnu",
        "Tarifs élevés, pas d'offre cloud intégrée",
        "Spécialiste sécurité haut de gamme",
        "medium",
    ),
    (
        "Nuvola IT",
        "Agilité, offre cloud packagée pour PME",
        "Petite équipe, peu de références dans l'industrie",
        "Jeune pousse cloud, vise les PME",
        "medium",
    ),
]

TARGETS = {
    "ghsl": (
        Target.Kind.CLIENT,
        "Groupe Hospitalier Saint-Louis",
        Target.Priority.HIGH,
        "Premier client (18 % du CA) ; contrat d'infogérance à renouveler en fin de semestre, "
        "potentiel d'extension au cloud HDS.",
    ),
    "pme": (
        Target.Kind.SEGMENT,
        "PME industrielles",
        Target.Priority.HIGH,
        "Segment peu couvert par les grands acteurs, besoins forts en sécurité et continuité.",
    ),
    "soc": (
        Target.Kind.PRODUCT,
        "Offre cybersécurité managée (SOC)",
        Target.Priority.MEDIUM,
        "Offre lancée l'an dernier, marges élevées, portée par NIS 2.",
    ),
    "cloud": (
        Target.Kind.PRODUCT_SEGMENT,
        "Migration cloud × collectivités territoriales",
        Target.Priority.MEDIUM,
        "Budgets de relance disponibles ; références déjà obtenues avec deux communautés "
        "d'agglomération.",
    ),
}

# fmt: off
# The tables below read as spreadsheets: one row per line, however long.

KPI, WON_AMOUNT, WON_COUNT, ASSESSED = Objective.Measure.KPI, Objective.Measure.WON_AMOUNT, Objective.Measure.WON_COUNT, Objective.Measure.ASSESSMENT

# target, kind, title, metric, unit, baseline, target value, owner, measured by
OBJECTIVES = [
    ("ghsl", "quantitative", "Développer le chiffre d'affaires du compte", "Chiffre d'affaires", "€", 420000, 500000, "rep1", KPI),
    ("ghsl", "quantitative", "Améliorer la satisfaction des utilisateurs", "Taux de satisfaction", "%", 78, 85, "rep1", KPI),
    ("pme", "quantitative", "Conquérir de nouveaux clients PME industrielles", "Nouveaux clients", "clients", 0, 8, "rep2", WON_COUNT),
    ("pme", "quantitative", "Améliorer la transformation des rendez-vous", "Taux de transformation", "%", 15, 25, "rep2", KPI),
    # The team's figure, split between the three reps (pac.demo.together).
    ("pme", "quantitative", "Chiffre d'affaires nouveau sur les PME industrielles", "Chiffre d'affaires signé", "€", 0, 300000, "manager", WON_AMOUNT),
    ("soc", "quantitative", "Signer des contrats SOC", "Contrats signés", "contrats", 2, 6, "rep3", WON_COUNT),
    ("soc", "qualitative", "Être le partenaire cyber de référence des DSI de la région", "", "", None, None, "rep3", ASSESSED),
    ("cloud", "quantitative", "Nouveau chiffre d'affaires cloud des collectivités", "Chiffre d'affaires signé", "€", 0, 150000, "rep3", WON_AMOUNT),
    ("cloud", "qualitative", "Profil visé : DGS et DSI de communautés d'agglomération de plus de 100 000 habitants", "", "", None, None, "manager", ASSESSED),
]

INFO, DEV, SALES = Action.Domain.INFORMATION, Action.Domain.INTERNAL, Action.Domain.SALES
NOTO, HUNT, FARM = Action.SalesType.NOTORIETY, Action.SalesType.HUNTING, Action.SalesType.FARMING

# target, domain, sales type, title, owner, participants, start day, length in days,
# planned budget, share spent, occurrences planned, late?, means, steps
ACTIONS = [
    ("pme", INFO, "", "Étude des besoins IT des PME industrielles", "rep2", ["manager"], 3, 40, 6000, 1.0, None, False, "Questionnaire en ligne, 15 entretiens téléphoniques", ["Rédiger le questionnaire", "Mener les entretiens", "Synthèse des résultats"]),
    ("soc", INFO, "", "Veille concurrentielle cybersécurité", "rep3", [], 0, 170, 1500, 0.6, 6, False, "Abonnement veille, analyse des offres publiques", ["Cartographier les offres concurrentes", "Note de synthèse trimestrielle"]),
    ("ghsl", INFO, "", "Enquête de satisfaction au Groupe Hospitalier", "rep1", [], 20, 30, 2500, 1.0, None, False, "Enquête en ligne auprès de 300 utilisateurs", ["Valider le questionnaire avec la DSI", "Diffuser l'enquête", "Restituer les résultats"]),
    ("cloud", INFO, "", "Analyse des marchés publics cloud", "rep3", ["rep2"], 10, 60, 1200, 0.8, None, False, "Plateformes de marchés publics, BOAMP", ["Paramétrer les alertes", "Qualifier les avis de marché"]),
    ("pme", INFO, "", "Visite du salon Global Industrie", "rep2", ["rep3"], 60, 4, 3000, 1.0, None, False, "Badges visiteurs, fichier des exposants", ["Préparer la liste des exposants à rencontrer", "Compte rendu de visite"]),
    ("soc", INFO, "", "Achat d'un fichier de décideurs sécurité", "manager", [], 15, 10, 4000, 1.0, None, False, "Fichier qualifié de 2 000 RSSI et DSI", ["Comparer trois fournisseurs", "Importer le fichier dans le CRM"]),
    ("soc", DEV, "", "Formation de l'équipe à la vente de services SOC", "manager", ["rep1", "rep2", "rep3"], 25, 30, 8000, 1.0, 3, False, "Organisme de formation, cas pratiques", ["Choisir l'organisme", "Session 1 : fondamentaux", "Session 2 : argumentaire", "Session 3 : jeux de rôle"]),
    ("pme", DEV, "", "Offre packagée « Sécurité PME »", "manager", ["rep2"], 30, 60, 12000, 0.7, None, False, "Fiche produit, grille tarifaire, contrat type", ["Définir le périmètre", "Valider la grille tarifaire", "Rédiger le contrat type"]),
    ("cloud", DEV, "", "Références clients collectivités", "rep3", [], 40, 50, 2000, 0.5, 2, True, "Études de cas rédigées avec les clients", ["Interviewer le client", "Rédiger l'étude de cas", "Obtenir la validation"]),
    ("ghsl", DEV, "", "Déploiement du CRM sur l'équipe", "manager", ["rep1", "rep2", "rep3"], 0, 90, 9000, 0.9, None, False, "Licences CRM, paramétrage, reprise des données", ["Paramétrer le pipeline", "Reprendre les données clients", "Former les commerciaux"]),
    ("soc", DEV, "", "Démonstrateur SOC pour les rendez-vous", "rep3", ["manager"], 50, 45, 5000, 0.4, None, True, "Plateforme de démonstration, scénarios d'attaque", ["Installer la plateforme", "Écrire trois scénarios", "Répétition générale"]),
    ("pme", DEV, "", "Kit de prospection téléphonique", "rep2", [], 35, 20, 800, 1.0, None, False, "Scripts d'appel, traitement des objections", ["Écrire les scripts", "Tester sur 20 appels"]),
    ("soc", SALES, NOTO, "Webinaire NIS 2 pour les dirigeants", "rep3", ["manager"], 70, 20, 3500, 1.0, 2, False, "Plateforme de webinaire, invitation e-mailing, replay", ["Inviter un avocat spécialiste", "Campagne d'invitation", "Animer le webinaire", "Relancer les participants"]),
    ("pme", SALES, NOTO, "Stand au salon Industrie Paris", "manager", ["rep2", "rep3"], 100, 4, 18000, 0.95, None, False, "Stand 12 m², kakémonos, démonstrations", ["Réserver le stand", "Préparer les supports", "Planifier les rendez-vous", "Relancer les contacts"]),
    ("cloud", SALES, NOTO, "Article dans la Gazette des communes", "rep3", [], 80, 30, 4500, 1.0, None, False, "Publi-rédactionnel, témoignage client", ["Rédiger l'article", "Valider avec le client cité"]),
    ("soc", SALES, NOTO, "Campagne LinkedIn cybersécurité", "rep3", [], 60, 90, 6000, 0.5, 12, False, "Publications sponsorisées, livre blanc", ["Rédiger le livre blanc", "Lancer la campagne", "Bilan à mi-parcours"]),
    ("ghsl", SALES, NOTO, "Petit-déjeuner DSI santé", "rep1", ["manager"], 120, 1, 2500, 0.9, None, False, "Salle privatisée, intervenant HDS", ["Réserver la salle", "Envoyer les invitations", "Préparer la présentation"]),
    ("pme", SALES, HUNT, "Prospection téléphonique des PME industrielles", "rep2", [], 45, 120, 1500, 0.5, 200, False, "Fichier ciblé, scripts d'appel, CRM", ["Appels vague 1 (100 contacts)", "Appels vague 2 (100 contacts)", "Bilan des rendez-vous obtenus"]),
    ("pme", SALES, HUNT, "Campagne e-mailing « Sécurité PME »", "rep2", ["manager"], 75, 30, 2000, 1.0, 3, True, "Trois envois, page d'atterrissage", ["Écrire les trois e-mails", "Premier envoi", "Relances"]),
    ("soc", SALES, HUNT, "Rendez-vous de découverte SOC", "rep3", [], 60, 110, 3000, 0.6, 15, False, "Démonstrateur, questionnaire de maturité", ["10 premiers rendez-vous", "5 rendez-vous suivants"]),
    ("cloud", SALES, HUNT, "Réponses aux appels d'offres cloud", "rep3", ["rep2", "manager"], 30, 150, 5000, 0.5, 10, False, "Mémoires techniques types, références", ["Constituer la bibliothèque de réponses", "Déposer 5 réponses", "Déposer 5 réponses de plus"]),
    ("pme", SALES, HUNT, "Parrainage par les clients industriels", "rep1", [], 90, 60, 1000, 0.0, None, False, "Programme de parrainage, chèque cadeau", ["Définir le programme", "Présenter à 10 clients"]),
    ("cloud", SALES, HUNT, "Tournée des communautés d'agglomération", "rep3", [], 110, 60, 2500, 0.2, 8, False, "Présentation, démonstration de migration", ["Prendre les rendez-vous", "Réaliser les visites"]),
    ("ghsl", SALES, FARM, "Revues trimestrielles de service", "rep1", ["manager"], 10, 160, 1000, 0.5, 2, False, "Tableau de bord de service, plan de progrès", ["Revue T3", "Revue T4"]),
    ("ghsl", SALES, FARM, "Proposition d'extension au cloud HDS", "rep1", ["rep3", "manager"], 50, 70, 3000, 0.8, None, True, "Étude de migration, chiffrage, soutenance", ["Audit de l'existant", "Chiffrage", "Soutenance devant la DSI"]),
    ("ghsl", SALES, FARM, "Renouvellement du contrat d'infogérance", "rep1", ["manager"], 130, 50, 2000, 0.0, None, False, "Proposition de renouvellement, avenant", ["Préparer la proposition", "Négocier", "Signer l'avenant"]),
    ("soc", SALES, FARM, "Montée en gamme des clients SOC", "rep3", [], 90, 80, 1500, 0.3, 6, False, "Bilan de sécurité offert, offre premium", ["Bilans de sécurité", "Propositions premium"]),
    ("pme", SALES, FARM, "Visites de fidélisation des clients PME", "rep2", [], 15, 165, 2400, 0.5, 12, False, "Visite sur site, bilan annuel", ["Visites juillet à septembre", "Visites octobre à décembre"]),
    ("ghsl", SALES, FARM, "Club utilisateurs santé", "manager", ["rep1"], 150, 10, 4000, 0.0, None, False, "Salle, intervenants, cocktail", ["Choisir la date", "Inviter les clients", "Animer le club"]),
    ("cloud", SALES, FARM, "Accompagnement post-migration des collectivités", "rep3", [], 20, 140, 1200, 0.6, 4, False, "Comités de suivi, support dédié", ["Comité de suivi 1", "Comité de suivi 2"]),
]

# company, contact, nature, amount, probability, stage, day of the milestone, owner, target
DEALS = [
    ("Fonderie Lemaire", "Paul Lemaire, PDG", "Offre Sécurité PME", 1000, 20, Deal.Stage.LEAD, 140, "rep2", "pme"),
    ("Groupe Hospitalier Saint-Louis", "Anne Girard, DSI", "Extension cloud HDS", 2000, 50, Deal.Stage.PROPOSAL, 150, "rep1", "ghsl"),
    ("Mécanique Duval", "Isabelle Duval, DAF", "Infogérance", 4000, 75, Deal.Stage.NEGOTIATION, 120, "rep2", "pme"),
    ("Communauté d'agglomération du Val-Vert", "Thomas Faure, DGS", "Migration cloud", 85000, 40, Deal.Stage.PROPOSAL, 165, "rep3", "cloud"),
    ("Plasturgie Renard", "Nadia Renard, RSSI", "SOC managé", 36000, 60, Deal.Stage.NEGOTIATION, 135, "rep3", "soc"),
    ("Clinique des Tilleuls", "Dr Louis Marchand", "SOC managé", 28000, 100, Deal.Stage.WON, 90, "rep3", "soc"),
    ("Usinage Perrin", "Marc Perrin, gérant", "Offre Sécurité PME", 15000, 100, Deal.Stage.WON, 100, "rep2", "pme"),
    ("Ville de Montreuil-sur-Seine", "Sylvie Lambert, DSI", "Migration cloud", 60000, 0, Deal.Stage.LOST, 95, "rep3", "cloud"),
    ("Groupe Hospitalier Saint-Louis", "Anne Girard, DSI", "Renouvellement infogérance", 480000, 80, Deal.Stage.NEGOTIATION, 175, "rep1", "ghsl"),
    ("Chaudronnerie Blanc", "Eric Blanc, directeur", "Infogérance", 22000, 30, Deal.Stage.QUALIFIED, 160, "rep2", "pme"),
    ("Emballages Roux", "Céline Roux, DSI", "SOC managé", 18000, 25, Deal.Stage.QUALIFIED, 170, "rep3", "soc"),
    ("Laboratoires Vidal", "Hugo Vidal, RSSI", "Audit NIS 2", 9500, 70, Deal.Stage.PROPOSAL, 110, "rep1", "soc"),
]
# fmt: on


# Days before the demo's day, findings, decisions.
REVIEWS = [
    (
        60,
        "Démarrage du semestre conforme au plan.\nPeu de rendez-vous SOC obtenus.",
        "Lancer la campagne LinkedIn cybersécurité.",
    ),
    (
        30,
        "Prospection PME en retard sur le plan : 3 nouveaux clients sur 8.\n"
        "Satisfaction au Groupe Hospitalier en hausse (82 %).",
        "Renforcer la prospection téléphonique avec une deuxième vague.\n"
        "Avancer la soutenance de l'extension cloud HDS.",
    ),
]

# The plan's strategy reminder.
STRATEGY = {
    "strategy": (
        "Numéria Services est une ESN régionale de 120 personnes. Notre stratégie : "
        "devenir le partenaire de proximité de la transformation numérique sécurisée des "
        "établissements de santé, des PME industrielles et des collectivités d'Île-de-France."
    ),
    "ambitions": (
        "Croissance du chiffre d'affaires de 12 % sur l'année.\n"
        "Part des services récurrents portée à 60 % du CA.\n"
        "Huit nouveaux clients PME industrielles sur le semestre."
    ),
    "segmentation": (
        "Santé (établissements publics et privés) : 35 % du CA.\n"
        "PME industrielles de 50 à 250 salariés : 25 %.\n"
        "Collectivités territoriales : 20 %.\n"
        "Autres secteurs : 20 %."
    ),
    "company_goals": (
        "Le plan décline l'objectif du groupe : 25 M€ de CA dont 60 % récurrent, et la "
        "priorité donnée à la cybersécurité dans le plan stratégique 2025-2028."
    ),
}

# The diagnosis's figures: the twelve months before the plan, in euros (pac.demo.diagnosis).
# They hold together: the clients of a segment sum to its column of the offers × segments
# matrix, each offer line to its row; the three largest clients make 45 % of the sales, and
# Infogérance with SOC (the recurring services) 55 %.
HEALTH, SMB, LOCAL, OTHERS = (
    "Santé",
    "PME industrielles",
    "Collectivités territoriales",
    "Autres secteurs",
)
MANAGED, CLOUD, APPS, SOC, AUDIT = (
    "Infogérance",
    "Migration cloud",
    "Développement applicatif",
    "Cybersécurité managée (SOC)",
    "Audit et conseil NIS 2",
)

# fmt: off
# client, segment, sales, contribution margin
CLIENT_FIGURES = [
    ("Groupe Hospitalier Saint-Louis", HEALTH, 420000, 105000),
    ("Mutuelle Francilienne des Artisans", OTHERS, 330000, 6000),
    ("Communauté d'agglomération Seine-Amont", LOCAL, 303000, 45000),
    ("Hôpital privé de Versailles", HEALTH, 230000, 69000),
    ("Métallerie Fournier", SMB, 210000, 66000),
    ("Plasturgie Renard", SMB, 180000, 55000),
    ("Communauté d'agglomération des Deux-Rives", LOCAL, 125000, 30000),
    ("Cabinet Leroy", OTHERS, 75000, 12000),
    ("Clinique du Parc", HEALTH, 70000, 14000),
    ("Décolletage Morel", SMB, 65000, 29000),
    ("Imprimerie Garnier", SMB, 48000, 21000),
    ("Laboratoires Vidal", HEALTH, 45000, 18000),
    ("Transports Bonnet", OTHERS, 42000, 6000),
    ("Ville de Bois-Colombier", LOCAL, 40000, 0),
    ("Menuiseries Lucas", SMB, 36000, 13000),
    ("Centre d'imagerie Montsouris", HEALTH, 34000, 9000),
    ("Verrerie Chevalier", SMB, 28000, 11000),
    ("Agence Dumas", OTHERS, 21000, -3000),
    ("EHPAD Les Glycines", HEALTH, 20000, 4000),
    ("Textiles Gauthier", SMB, 18000, 7000),
]

# offer line, sales, contribution margin, market share in volume (%), market growth (%)
OFFER_FIGURES = [
    (MANAGED, 1050000, 215000, "27", "2"),
    (CLOUD, 480000, 127000, "12", "18"),
    (APPS, 420000, 14000, "15", "-3"),
    (SOC, 240000, 101000, "4", "25"),
    (AUDIT, 150000, 60000, "11", "30"),
]

# offer line, segment, sales, contribution margin: SOC sold nothing to the local authorities,
# the NIS 2 audits nothing to the other sectors.
OFFER_SEGMENT_FIGURES = [
    (MANAGED, HEALTH, 429000, 114000),
    (MANAGED, SMB, 270000, 93000),
    (MANAGED, LOCAL, 133000, 9000),
    (MANAGED, OTHERS, 218000, -1000),
    (CLOUD, HEALTH, 140000, 45000),
    (CLOUD, SMB, 60000, 21000),
    (CLOUD, LOCAL, 180000, 45000),
    (CLOUD, OTHERS, 100000, 16000),
    (APPS, HEALTH, 130000, 8000),
    (APPS, SMB, 70000, 7000),
    (APPS, LOCAL, 100000, 4000),
    (APPS, OTHERS, 120000, -5000),
    (SOC, HEALTH, 70000, 30000),
    (SOC, SMB, 140000, 60000),
    (SOC, OTHERS, 30000, 11000),
    (AUDIT, HEALTH, 50000, 22000),
    (AUDIT, SMB, 45000, 21000),
    (AUDIT, LOCAL, 55000, 17000),
]
# fmt: on

# Where in the diagnosis each target was chosen, and what it showed there.
# Where in the diagnosis each target was chosen: a client's row, a crossed ABC cell, a bubble of
# the atouts-attraits matrix, a cell of the offers × segments matrix.
TARGET_ORIGINS = {
    "ghsl": ("client", "Groupe Hospitalier Saint-Louis"),
    "pme": ("crossed", "B-A"),
    "soc": ("bubble", "Cybersécurité managée (SOC)"),
    "cloud": ("cell", ("Migration cloud", "Collectivités territoriales")),
}
