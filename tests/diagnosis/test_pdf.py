"""The diagnosis' chapter of the plan's PDF, read back with pypdf: the ABC of the clients with
its A class, the crossed ABC, the offers × segments matrix and the attractiveness–strength grid;
a plan without figures leaves it out."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from pac.diagnosis.analysis import READING_LABELS, SELECT
from pac.diagnosis.services import figure_create
from pac.diagnosis.tables import TABLES
from tests.documents.conftest import read

pytestmark = pytest.mark.django_db

# Twenty clients, the n-th from the top selling 1 000 × (21 - n)² €: 2 870 000 € in all. The
# share before the 9th is 2 220 / 2 870 = 77.4 %, under 80 %: A; before the 10th, 82.4 %: B. B
# runs to the 13th (before it 92.9 %), C from the 14th (before it 95.1 %). 9 A, 4 B, 7 C.
CLIENTS = [
    "Fonderie Lemaire",
    "Garage Martin",
    "Boulangerie Roux",
    "Transports Petit",
    "Menuiserie Blanc",
    "Imprimerie Faure",
    "Clinique Morel",
    "Hôtel du Lac",
    "Cabinet Girard",
    "Pharmacie Bonnet",
    "Atelier Mercier",
    "Ferme Dupuis",
    "Librairie Lambert",
    "Brasserie Fontaine",
    "Pressing Chevalier",
    "Fleuriste Robin",
    "Opticien Masson",
    "Tabac Sanchez",
    "Coiffure Muller",
    "Traiteur Lefèvre",
]
# Five offers, four with a market share. By margin (320 000 €): Maintenance 62.5 % (A),
# Formation 18.75 % (before it 62.5 % → A), Pièces 9.4 % (before it 81.25 % → B), Audit 6.25 %
# (before it 90.6 % → B), Conseil 3.1 % (before it 96.9 % → C, no share: not placed). Pièces:
# medium attractiveness (B), medium strength (15 %): "Select".
OFFERS = [
    ("Maintenance", 400000, 200000, 30),
    ("Formation", 100000, 60000, 12),
    ("Pièces", 300000, 30000, 15),
    ("Audit", 50000, 20000, 40),
    ("Conseil", 30000, 10000, None),
]
CELLS = [
    ("Maintenance", "Industrie", 300000, 150000),
    ("Maintenance", "Services", 100000, 50000),
    ("Formation", "Services", 100000, 60000),
    ("Pièces", "Industrie", 300000, 30000),
]


def folded(text):
    return " ".join(str(text).split())


@pytest.fixture
def figures(world):
    def add(table, data):
        figure_create(actor=world.manager, plan=world.plan, table=TABLES[table], data=data)

    for rank, name in enumerate(CLIENTS, start=1):
        sales = Decimal(1000 * (21 - rank) ** 2)
        add("clients", {"name": name, "segment": "PME", "sales": sales, "margin": sales / 4})
    for name, sales, margin, market_share in OFFERS:
        add(
            "offers",
            {"name": name, "sales": Decimal(sales), "margin": Decimal(margin)}
            | {"market_share": None if market_share is None else Decimal(market_share)},
        )
    for offer, segment, sales, margin in CELLS:
        add(
            "offer-segments",
            {"offer": offer, "segment": segment, "sales": Decimal(sales)}
            | {"margin": Decimal(margin)},
        )
    return world.plan


def chapter(client, plan):
    """The text of the pages from the chapter's first to the next chapter's (pypdf reads a
    chart's words after the page's flow of text)."""
    _reader, pages = read(client.get(reverse("pac:plan-pdf", args=[plan.pk])))
    title, next_title = (
        folded(_("Diagnosis: ABC and matrices")),
        folded(_("Targets and objectives")),
    )
    # The contents name both: the chapter starts after them.
    first = next(n for n, page in enumerate(pages) if n > 1 and title in page)
    last = next(n for n, page in enumerate(pages) if n >= first and next_title in page)
    return " ".join(pages[first : last + 1])


def test_the_chapter_shows_the_abc_its_a_class_the_matrices_and_the_readings(world, login, figures):
    text = chapter(login(world.viewer), figures)
    # The A class: nine clients of twenty, 2 364 000 € of 2 870 000 €, 82 % of the sales.
    assert folded(_("%(klass)s by sales") % {"klass": "A"}) in text
    for name in CLIENTS[:9]:
        assert name in text, name
    # The B and C clients are counted, not listed.
    assert CLIENTS[9] not in text and CLIENTS[19] not in text
    assert "+ 11 " in text
    for figure in ["400 000 €", "82 %"]:
        assert figure in text, figure
    # The matrix names its best and worst cells in words: Formation × Services at 60 %, Pièces
    # × Industrie at 10 %.
    assert folded(_("best margin rate")) in text
    assert folded(_("worst margin rate")) in text
    # The grid and its table: Pièces is to select; Conseil has no share and is named apart.
    assert folded(_("Strength (market share in volume)")) in text
    assert folded(READING_LABELS[SELECT]) in text
    assert "Conseil" in text


def test_a_plan_without_figures_leaves_the_chapter_out(world, login):
    """Nothing to analyse: no chapter, no line in the contents, the SWOT's chapter as before."""
    _reader, pages = read(login(world.manager).get(reverse("pac:plan-pdf", args=[world.plan.pk])))
    text = " ".join(pages)
    assert folded(_("Diagnosis: ABC and matrices")) not in text
    assert folded(_("SWOT matrix")) in text
