"""The PAC's synthesis as PowerPoint slides, read back with python-pptx: titles, figures, native
charts, long lists split, an empty plan, languages and permissions."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pptx import Presentation
from pptx.util import Inches

from actions.models import Action
from pac.documents.views import PPTX
from targets.models import Deal, Objective
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.pac.factories import PlanFactory, ReviewFactory
from tests.targets.factories import DealFactory, ObjectiveFactory, TargetFactory

pytestmark = pytest.mark.django_db

# The figures' day: after the prospecting action's end, inside the plan's semester.
TODAY = date(2027, 4, 15)
FILE_NAME = "PAC-ventes-nord-2027-s1-synthese.pptx"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The view reads today's date: fixed, so that what is late does not depend on the clock."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def presented(world):
    """The plan of test_pdf's `printed`, with a second domain, a revenue objective, deals over two
    months and a review that decided a corrective action."""
    plan = world.plan  # Ventes Nord, 01/01 – 30/06/2027: a semester
    plan.budget_envelope = Decimal("10000")
    plan.save()
    target = TargetFactory(plan=plan, name="PME industrielles")
    ObjectiveFactory(target=target, title="Huit nouveaux clients", owner=world.rep)
    ObjectiveFactory(
        target=target,
        title="Chiffre d'affaires nouveaux clients",
        metric="CA",
        unit="€",
        target_value=Decimal("20000"),
        measured_by=Objective.Measure.WON_AMOUNT,
    )
    action = ActionFactory(
        target=target,
        title="Prospection téléphonique",
        owner=world.rep,
        budget_planned=Decimal("2000"),
        budget_actual=Decimal("2500"),
        start_date=date(2027, 2, 1),
        end_date=date(2027, 3, 31),
    )
    ActionStepFactory(action=action, title="Appeler 100 prospects", due_date=date(2027, 2, 15))
    ActionFactory(
        target=target,
        domain=Action.Domain.INFORMATION,
        sales_type="",
        title="Étude des concurrents",
        owner=world.other_rep,
        budget_planned=Decimal("1000"),
        budget_actual=Decimal("400"),
        start_date=date(2027, 4, 1),
        end_date=date(2027, 5, 31),
    )
    for amount, probability, milestone in [
        (1000, 20, date(2027, 2, 10)),
        (2000, 50, date(2027, 3, 5)),
        (4000, 75, date(2027, 3, 20)),
    ]:
        DealFactory(
            plan=plan,
            amount=Decimal(amount),
            probability=probability,
            milestone_date=milestone,
            owner=world.rep,
            company=f"Client {amount}",
        )
    review = ReviewFactory(plan=plan, decisions="Deuxième vague d'appels.")
    corrective = ActionFactory(
        target=target,
        title="Relancer les prospects tièdes",
        owner=world.rep,
        budget_planned=Decimal("0"),
        start_date=date(2027, 4, 1),
        end_date=date(2027, 4, 30),
    )
    review.corrective_actions.add(corrective)
    return plan


def download(client, plan):
    return client.get(reverse("pac:plan-pptx", args=[plan.pk]))


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"] == PPTX
    return Presentation(io.BytesIO(response.getvalue()))


def titles(deck):
    return [slide.shapes.title.text for slide in deck.slides]


def texts(slide):
    """Every text of the slide, text boxes and table cells, spaces made plain."""
    found = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            found.append(shape.text_frame.text)
        if shape.has_table:
            found += [cell.text for row in shape.table.rows for cell in row.cells]
    return [text.replace("\xa0", " ") for text in found]


def slide_titled(deck, title):
    return next(slide for slide in deck.slides if slide.shapes.title.text == title)


def charts(slide):
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def table_rows(slide):
    """The rows of the slide's last table, as lists of plain texts."""
    grid = [shape.table for shape in slide.shapes if shape.has_table][-1]
    return [[cell.text.replace("\xa0", " ") for cell in row.cells] for row in grid.rows]


def test_the_slides_are_a_16_9_deck_named_like_the_pdf(world, login, presented):
    response = download(login(world.viewer), presented)
    assert response["Content-Disposition"] == f'attachment; filename="{FILE_NAME}"'
    deck = read(response)
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    assert deck.core_properties.title == "PAC Nord 2027"


def test_every_slide_has_a_french_title(world, login, presented):
    deck = read(download(login(world.manager), presented))
    found = titles(deck)
    assert found[0] == "PAC Nord 2027"
    # Each title comes from a title placeholder: PowerPoint's outline lists them.
    assert all(slide.shapes.title.is_placeholder for slide in deck.slides)
    for expected in [
        "Cibles et objectifs",
        "Actions par domaine · Recherche d'informations",
        "Actions par domaine · Actions commerciales",
        "Budget",
        "Carnet par mois",
        "Décisions de la dernière revue",
    ]:
        assert expected in found, expected
    assert len(found) == 10


def test_english_readers_get_english_slides(world, login, presented):
    client = login(world.manager)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    deck = read(download(client, presented))
    assert titles(deck) == [
        "PAC Nord 2027",
        "Key figures",
        "Targets and objectives",
        "Actions by domain · Information gathering",
        "Actions by domain · Sales actions",
        "Planning by theme · Information gathering",
        "Planning by theme · Sales actions",
        "Budget",
        "Pipeline by month",
        "Decisions of the latest review",
    ]
    figures = " ".join(texts(slide_titled(deck, "Key figures")))
    assert "€3,000" in figures and "€4,200" in figures
    assert "Late" in " ".join(texts(slide_titled(deck, "Actions by domain · Sales actions")))


def test_the_cover_says_what_when_and_for_whom(world, login, presented):
    deck = read(download(login(world.viewer), presented))
    cover = " ".join(texts(deck.slides[0]))
    for expected in [
        "PAC Nord 2027",
        "Ventes Nord",
        "01/01/2027 – 30/06/2027",
        "Actif",
        "10 000 €",
        "15/04/2027",
        str(world.viewer),
    ]:
        assert expected in cover, expected


def test_the_key_figures_are_the_plans(world, login, presented):
    deck = read(download(login(world.manager), presented))
    objectives, budget, pipeline, late = (text.split("\n") for text in texts(deck.slides[1])[1:5])
    # Two objectives, both off track by mid-April with nothing won.
    assert objectives[1] == "2"
    assert objectives[2].startswith("En retard sur l'objectif") and objectives[2].endswith("2")
    # Planned 2 000 + 1 000 + 0, spent 2 500 + 400, against the envelope of 10 000.
    assert budget[1] == "3 000 €" and "2 900 €" in budget[2] and "10 000 €" in budget[2]
    # Weighted 200 + 1 000 + 3 000; the revenue objective has all of its 20 000 € left to win,
    # covered at 4 200 / 20 000 = 21 %.
    assert pipeline[1] == "4 200 €" and "20 000 €" in pipeline[2] and "21 %" in pipeline[2]
    # The prospecting ended on 31/03 and is not done: 1 late of the 3 actions.
    assert late[1] == "1"


def test_the_objectives_table(world, login, presented):
    deck = read(download(login(world.manager), presented))
    rows = table_rows(slide_titled(deck, "Cibles et objectifs"))
    assert rows[0][:3] == ["Cible", "Objectif", "Valeur cible"]
    assert rows[1][:3] == ["PME industrielles", "Huit nouveaux clients", "10 clients"]
    assert rows[2][1:5] == ["Chiffre d'affaires nouveaux clients", "20 000 €", "0 €", "0,0 %"]


def test_the_actions_of_each_domain(world, login, presented):
    deck = read(download(login(world.manager), presented))
    rows = table_rows(slide_titled(deck, "Actions par domaine · Actions commerciales"))
    prospecting = next(row for row in rows if row[0] == "Prospection téléphonique")
    assert prospecting[2:] == ["01/02/2027 – 31/03/2027", "En retard · 0 %", "2 000 €"]
    information = table_rows(slide_titled(deck, "Actions par domaine · Recherche d'informations"))
    assert [row[0] for row in information[1:]] == ["Étude des concurrents"]


def test_the_budget_is_a_native_bar_chart_beside_its_table(world, login, presented):
    deck = read(download(login(world.manager), presented))
    slide = slide_titled(deck, "Budget")
    (chart,) = charts(slide)
    plot = chart.plots[0]
    assert list(plot.categories) == [
        "Recherche d'informations",
        "Développement interne",
        "Actions commerciales",
    ]
    assert [(series.name, list(series.values)) for series in plot.series] == [
        ("Prévu", [1000, 0, 2000]),
        ("Dépensé", [400, 0, 2500]),
    ]
    assert table_rows(slide)[-1] == ["Total", "3 000 €", "2 900 €", "—"]
    assert ["Actions commerciales", "2 000 €", "2 500 €", "500 €"] in table_rows(slide)


def test_the_pipeline_is_a_native_column_chart_by_month(world, login, presented):
    deck = read(download(login(world.manager), presented))
    slide = slide_titled(deck, "Carnet par mois")
    (chart,) = charts(slide)
    plot = chart.plots[0]
    assert list(plot.categories) == ["Février 2027", "Mars 2027"]
    # February: 1 000 € at 20 %; March: 2 000 € at 50 % and 4 000 € at 75 %.
    assert [(series.name, list(series.values)) for series in plot.series] == [
        ("En jeu", [1000, 6000]),
        ("Prévision pondérée", [200, 4000]),
    ]
    assert table_rows(slide)[1:] == [
        ["Février 2027", "1 000 €", "200 €"],
        ["Mars 2027", "6 000 €", "4 000 €"],
    ]


def test_a_lost_deal_stays_out_of_the_pipeline(world, login, presented):
    DealFactory(
        plan=presented,
        amount=Decimal("9000"),
        probability=0,
        stage=Deal.Stage.LOST,
        owner=world.rep,
    )
    deck = read(download(login(world.manager), presented))
    (chart,) = charts(slide_titled(deck, "Carnet par mois"))
    assert list(chart.plots[0].series[0].values) == [1000, 6000]


def test_the_latest_review_and_its_open_corrective_actions(world, login, presented):
    deck = read(download(login(world.manager), presented))
    slide = slide_titled(deck, "Décisions de la dernière revue")
    text = " ".join(texts(slide))
    assert "Revue du 31/03/2027" in text and "Deuxième vague d'appels." in text
    assert table_rows(slide)[1][:3] == [
        "Relancer les prospects tièdes",
        str(world.rep),
        "30/04/2027",
    ]


def test_long_lists_continue_on_further_slides(world, login):
    plan = world.plan
    target = TargetFactory(plan=plan)
    long_title = "Salon " + "très " * 30 + "régional"
    for number in range(30):
        ActionFactory(target=target, title=long_title if number == 0 else f"Salon {number:02}")
    deck = read(download(login(world.manager), plan))
    found = titles(deck)
    assert [title for title in found if title.startswith("Actions par domaine")] == [
        "Actions par domaine · Actions commerciales (1/3)",
        "Actions par domaine · Actions commerciales (2/3)",
        "Actions par domaine · Actions commerciales (3/3)",
    ]
    assert len([title for title in found if title.endswith(("(1/2)", "(2/2)"))]) == 2
    first = table_rows(deck.slides[found.index("Actions par domaine · Actions commerciales (1/3)")])
    assert len(first) == 13
    assert first[1][0].endswith("…") and len(first[1][0]) <= 54
    # Nothing is drawn past the slide's edges.
    for slide in deck.slides:
        for shape in slide.shapes:
            assert shape.left + shape.width <= deck.slide_width, shape.name
            assert shape.top + shape.height <= deck.slide_height, shape.name


def test_a_long_custom_period_keeps_its_planning_inside_the_slides(world, login):
    plan = PlanFactory(
        team=world.team, period_start=date(2027, 1, 15), period_end=date(2028, 3, 10)
    )
    target = TargetFactory(plan=plan)
    ActionFactory(target=target, start_date=date(2027, 1, 15), end_date=date(2028, 3, 10))
    deck = read(download(login(world.manager), plan))
    # The planning's slide comes after the table of the same domain.
    planning = [
        slide for slide in deck.slides if "Actions commerciales" in slide.shapes.title.text
    ][-1]
    # Fourteen months: one label in two.
    months = [text for text in texts(planning) if text.endswith(("2027", "2028"))]
    assert months == [
        "jan. 2027",
        "mars 2027",
        "mai 2027",
        "juil. 2027",
        "sept. 2027",
        "nov. 2027",
        "jan. 2028",
        "mars 2028",
    ]
    for slide in deck.slides:
        for shape in slide.shapes:
            assert shape.left + shape.width <= deck.slide_width, shape.name


def test_an_empty_plan_says_there_is_nothing_yet(world, login):
    plan = PlanFactory(team=world.team, title="PAC vide")
    deck = read(download(login(world.manager), plan))
    assert len(deck.slides) == 8
    assert not [shape for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    said = " ".join(" ".join(texts(slide)) for slide in deck.slides)
    for expected in [
        "Aucun objectif pour l'instant.",
        "Aucune cible choisie pour l'instant.",
        "Aucune action pour l'instant.",
        "Aucune action datée sur cette durée.",
        "Aucune affaire dans le carnet pour l'instant.",
        "Aucune revue enregistrée pour l'instant.",
    ]:
        assert expected in said, expected


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = download(client, world.plan)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("reader", "status"),
    [("manager", 200), ("rep", 200), ("viewer", 200), ("foreign_manager", 404)],
)
def test_the_slides_follow_the_plan_pages_permissions(world, login, presented, reader, status):
    assert download(login(getattr(world, reader)), presented).status_code == status
