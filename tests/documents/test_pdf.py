"""The PDF documents read back with pypdf: chapters, hand-computed figures, pages, layout, safety,
permissions."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from actions import services as action_services
from pac.documents import pdf as pac_pdf
from pac.documents.content import period_label
from pac.documents.synthesis import synthesis as synthesis_of
from pac.plans.models import SwotItem
from pac.steering import services as steering_services
from targets import services as target_services
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.builders import sheet
from tests.documents.conftest import read
from tests.pac.factories import SwotItemFactory

pytestmark = pytest.mark.django_db

MM = 72 / 25.4


def synthesis(client, plan):
    return read(client.get(reverse("pac:plan-pdf", args=[plan.pk])))


def page_of(pages, text, after=0):
    """The number (from 1) of the first page after `after` holding `text`."""
    return next(n for n, page in enumerate(pages, start=1) if n > after and text in page)


def test_the_synthesis_holds_every_chapter_with_its_figures(world, login, printed):
    plan = printed["plan"]
    response = login(world.viewer).get(reverse("pac:plan-pdf", args=[plan.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="PAC-ventes-nord-2027-s1-synthese.pdf"'
    )
    reader, pages = read(response)
    text = " ".join(pages)
    for expected in [
        # The cover: the plan, its team, period and status, for whom and when.
        "PAC Nord 2027",
        "Ventes Nord",
        "01/01/2027 – 30/06/2027",
        "Actif",
        f"Imprimé pour {world.viewer}",
        "Imprimé le 15/04/2027",
        # The chapters, in the order of the contents.
        "Sommaire",
        "Chiffres clés",
        "Rappel de la stratégie",
        "Devenir le partenaire de proximité des PME.",
        "Diagnostic",
        "Équipe soudée",
        "Guerre des prix",
        "Cap Numérique",
        "Cibles et objectifs",
        "PME industrielles",
        "Huit nouveaux clients",
        "Actions par domaine, puis par commercial",
        "Prospection téléphonique",
        "Planning par thème",
        "Budget",
        "Carnet commercial par mois",
        "Dernière revue",
        "Deuxième vague d'appels.",
    ]:
        assert expected in text, expected
    # Key figures as of 15/04/2027: the one objective (0 of 10 clients won, 58 % of the way
    # expected) is off track; 2 000 € planned, 2 500 € spent for 10 000 €; the open deals weigh
    # 1 000 × 20 % + 2 000 × 50 % + 4 000 × 75 % = 4 200 €; the action ended on 31/03: late.
    figures = pages[page_of(pages, "Chiffres clés", after=2) - 1]
    for expected in [
        "En retard sur l'objectif (1)",
        "Atteint (0)",
        "2 000 €",
        "2 500 € dépensés, pour une enveloppe de 10 000 €",
        "4 200 €",
        "1 en retard sur 1 action",
    ]:
        assert expected in figures, expected
    # Nothing in the plan is in euros to win: the pipeline has nothing to be compared with.
    assert "Aucun objectif de chiffre d'affaires mesuré" in figures
    assert "500 € au-delà de l'enveloppe" not in figures  # over what was planned, not the envelope
    actions = pages[page_of(pages, "Actions par domaine, puis par commercial", after=2) - 1]
    assert "Prospection téléphonique · PME industrielles" in actions
    assert "En retard · 0 %" in actions
    assert reader.metadata.title == "PAC Nord 2027 · Synthèse"
    assert reader.metadata.author == str(world.viewer)
    # The synthesis leaves the sheets to the dossier.
    assert "Fiches action" not in text and "Appeler 100 prospects" not in text


def test_the_contents_and_the_bookmarks_say_where_each_chapter_starts(world, login, printed):
    reader, pages = synthesis(login(world.manager), printed["plan"])
    contents = pages[1]
    bookmarks = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    assert list(bookmarks) == [
        "Chiffres clés",
        "Rappel de la stratégie",
        "Diagnostic",
        "Cibles et objectifs",
        "Actions par domaine, puis par commercial",
        "Planning par thème",
        "Budget",
        "Carnet commercial par mois",
        "Dernière revue",
    ]
    starts = list(bookmarks.values())
    assert starts == sorted(starts) and starts[0] == 2  # after the cover and the contents
    for title, index in bookmarks.items():
        assert title in pages[index], title
        assert f"{title} {index + 1}" in contents, title


def test_every_page_but_the_cover_is_numbered(world, login, printed):
    _reader, pages = synthesis(login(world.manager), printed["plan"])
    total = len(pages)
    assert "Page" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} / {total}" in page


def test_the_planning_is_on_landscape_pages_and_the_rest_on_a4(world, login, printed):
    reader, pages = synthesis(login(world.manager), printed["plan"])
    landscape = [
        n for n, page in enumerate(reader.pages) if page.mediabox.width > page.mediabox.height
    ]
    assert len(landscape) == 1
    assert "Planning par thème" in pages[landscape[0]]
    # The timeline's months in French, and its legend.
    for month in ["janv. 2027", "févr. 2027", "mars 2027", "avr. 2027", "mai 2027", "juin 2027"]:
        assert month in pages[landscape[0]], month
    assert "Prévue ou en cours" in pages[landscape[0]] and "En retard" in pages[landscape[0]]
    portrait = [page for page in reader.pages if page.mediabox.width < page.mediabox.height]
    # A4: 595 × 842 points.
    assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in portrait} == {(595, 842)}


# What the running header and footer print on every page but the cover.
FRAME = ("Plan d’action commercial", "PAC Nord 2027", "Imprimé le", "Page ")


def body_lines(page):
    lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
    return [line for line in lines if not line.startswith(FRAME)]


def test_no_page_is_nearly_empty(world, login, printed):
    """A one-action plan flows: no page but the cover holds only a couple of lines."""
    reader, _pages = synthesis(login(world.manager), printed["plan"])
    for number, page in enumerate(reader.pages[1:], start=2):
        assert len(body_lines(page)) >= 4, (number, body_lines(page))
    assert len(reader.pages) <= 8


def text_positions(page):
    """(x, y, text) of every piece of text of a page, in points from its bottom left."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text))

    page.extract_text(visitor_text=visit)
    return found


def assert_text_inside_the_page(reader):
    """No text starts outside its page's box. (Inside a chart, positions are the chart's own;
    what runs past the margins is caught on the layout, by `boxes_past_the_page`.)"""
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        for x, y, text in text_positions(page):
            assert 0 <= x <= width, (number, x, text)
            assert 0 <= y <= height, (number, y, text)


def boxes_past_the_page(html, images):
    """Boxes WeasyPrint laid out past the right edge of their page's content area."""
    document = pac_pdf.HTML(
        string=html, base_url=pac_pdf.STATIC_BASE, url_fetcher=pac_pdf.StaticOnlyFetcher(images)
    ).render()
    overflowing = []
    for page in document.pages:
        root = page._page_box
        right = root.content_box_x() + root.width + 0.5
        boxes = list(root.children)
        while boxes:
            box = boxes.pop()
            end = box.position_x + box.margin_width()
            if end > right and box.element_tag != "html":
                where = (box.element_tag, box.element.get("class"))
                overflowing.append((*where, round(end - right, 1)))
            boxes.extend(getattr(box, "children", []))
    return overflowing


def test_tables_stay_inside_the_page(world, login, printed, monkeypatch):
    """The SWOT grid and the carnet once ran 8 and 5 mm past the right margin."""
    plan = printed["plan"]
    for quadrant in SwotItem.Quadrant.values:
        SwotItemFactory(
            plan=plan, quadrant=quadrant, text="Interconnexion-des-systèmes-d'information " * 3
        )
    pages_html = []
    original = pac_pdf.weasyprint

    def kept(html, images=None):
        pages_html.append((html, images))
        return original(html, images)

    monkeypatch.setattr(pac_pdf, "weasyprint", kept)
    client = login(world.manager)
    reader, _pages = read(client.get(reverse("pac:plan-dossier-pdf", args=[plan.pk])))
    assert_text_inside_the_page(reader)
    for html, images in pages_html:
        assert set(boxes_past_the_page(html, images)) == set()


def test_the_dossier_adds_every_sheet_and_every_deal(world, login, printed):
    plan = printed["plan"]
    response = login(world.manager).get(reverse("pac:plan-dossier-pdf", args=[plan.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="PAC-ventes-nord-2027-s1-dossier.pdf"'
    )
    reader, pages = read(response)
    text = " ".join(pages)
    for expected in [
        "Dossier complet",
        "Chiffres clés",
        "Fiches action",
        "Appeler 100 prospects",
        "Rendez-vous obtenus",
        "2 000 € prévus, 2 500 € dépensés",
        "Toutes les affaires du carnet",
        "Client 4000",
        "4 200 €",
    ]:
        assert expected in text, expected
    assert [item.title for item in reader.outline][-2:] == [
        "Fiches action",
        "Toutes les affaires du carnet",
    ]


def test_an_action_sheet_never_splits_across_pages(world, login, printed):
    target = printed["target"]
    for number in range(14):
        action = ActionFactory(
            target=target,
            title=f"Campagne {number:02}",
            description="Relancer les comptes dormants du secteur. " * 4,
            means="Fichier, script d'appel",
        )
        for step in range(4):
            ActionStepFactory(action=action, title=f"Étape {number:02}-{step}", order=step)
    _reader, pages = read(
        login(world.manager).get(reverse("pac:plan-dossier-pdf", args=[printed["plan"].pk]))
    )
    sheets = page_of(pages, "Fiches action", after=2)
    for number in range(14):
        first = page_of(pages, f"Campagne {number:02} ", after=sheets - 1)
        assert f"Étape {number:02}-3" in pages[first - 1], number


def test_the_paci_document(world, login, printed):
    response = login(world.rep).get(reverse("pac:paci-pdf", args=[printed["plan"].pk, "rep"]))
    assert response["Content-Disposition"] == (
        'attachment; filename="PAC-paci-rep-ventes-nord-2027-s1.pdf"'
    )
    reader, pages = read(response)
    text = " ".join(pages)
    for expected in [
        f"Plan d'action individuel de {world.rep}",
        "Huit nouveaux clients",
        "Prospection téléphonique",
        "Appeler 100 prospects",
        "Rendez-vous obtenus",
        "Calendrier de la période",
        "4 200 €",
    ]:
        assert expected in text, expected
    assert "Page 1 / " in pages[0]
    assert_text_inside_the_page(reader)


def test_the_paci_document_carries_its_signature(world, login, printed):
    """Unsigned, it says so; signed, it says when, by whom and which version; changed since,
    what changed."""
    url = reverse("pac:paci-pdf", args=[printed["plan"].pk, "rep"])
    _reader, pages = read(login(world.rep).get(url))
    assert "Non signé" in pages[0]
    signature = steering_services.paci_sign(actor=world.rep, plan=printed["plan"], rep=world.rep)
    day = date_format(timezone.localtime(signature.signed_at).date(), "SHORT_DATE_FORMAT")
    _reader, pages = read(login(world.rep).get(url))
    assert f"Signé le {day} par {world.rep} · version {signature.fingerprint}" in pages[0]
    assert "Inchangé depuis sa signature." in pages[0]
    action = printed["action"]
    action.end_date = date(2027, 4, 30)
    action.save()
    _reader, pages = read(login(world.rep).get(url))
    assert f"Modifié depuis la signature du {day} :" in pages[0]
    assert "Action « Prospection téléphonique » : date de fin 31/03/2027 → 30/04/2027" in pages[0]


def test_the_action_sheet_is_headed_by_the_action_and_says_it_is_late(world, login, printed):
    action = printed["action"]
    response = login(world.viewer).get(
        reverse("pac:action-pdf", args=[printed["plan"].pk, action.pk])
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="PAC-ventes-nord-2027-s1-action-{action.pk}'
        '-prospection-telephonique.pdf"'
    )
    reader, pages = read(response)
    lines = body_lines(reader.pages[0])
    # The running header says "Fiche action"; the sheet's boxed header names the action, once.
    assert "PAC Nord 2027 · Ventes Nord · 01/01/2027 – 30/06/2027" in pages[0]
    assert lines[0].startswith("Prospection téléphonique")
    assert pages[0].count("Prospection téléphonique") == 1
    assert "En retard" in pages[0]
    assert "2 000 € prévus, 2 500 € dépensés" in pages[0]
    assert reader.metadata.title == "Prospection téléphonique · PAC Nord 2027"


def test_the_latest_review_lists_its_open_corrective_actions(world, login, printed):
    plan = printed["plan"]
    review = plan.reviews.get()
    data = {
        "target": printed["target"],
        "domain": "sales",
        "sales_type": "hunting",
        "title": "Relance des devis",
        "owner": world.rep,
        "start_date": date(2027, 4, 1),
        "end_date": date(2027, 5, 31),
    }
    steering_services.corrective_action_create(actor=world.manager, review=review, data=data)
    done = steering_services.corrective_action_create(
        actor=world.manager, review=review, data=data | {"title": "Appel aux dormants"}
    )
    done.status = "done"
    done.save()
    _reader, pages = synthesis(login(world.manager), plan)
    review_page = pages[page_of(pages, "Dernière revue", after=2) - 1]
    assert "Actions correctives ouvertes" in review_page
    assert "Relance des devis" in review_page and "31/05/2027" in review_page
    assert "Appel aux dormants" not in review_page


def test_english_readers_get_english_documents(world, login, printed):
    client = login(world.manager)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    _reader, pages = synthesis(client, printed["plan"])
    text = " ".join(pages)
    for expected in [
        "Contents",
        "Key figures",
        "Strategy reminder",
        "Planning by theme",
        "€4,200",
        "1 late out of 1 action",
        "Printed on 15/04/2027",
    ]:
        assert expected in text, expected


def test_an_empty_plan_prints_a_short_synthesis_that_says_so(world, login):
    _reader, pages = synthesis(login(world.manager), world.plan)
    text = " ".join(pages)
    for expected in [
        "Aucune cible choisie pour l'instant.",
        "Aucune action pour l'instant.",
        "Aucune action datée sur cette durée.",
        "Aucune affaire dans le carnet pour l'instant.",
        "Aucune revue enregistrée pour l'instant.",
    ]:
        assert expected in text, expected


@pytest.mark.parametrize(
    ("reader", "url_name", "args", "status"),
    [
        ("foreign_manager", "pac:plan-pdf", ["plan"], 404),
        ("foreign_manager", "pac:plan-dossier-pdf", ["plan"], 404),
        ("viewer", "pac:plan-dossier-pdf", ["plan"], 200),
        ("other_rep", "pac:paci-pdf", ["plan", "rep"], 404),
        ("rep", "pac:paci-pdf", ["plan", "rep"], 200),
        ("manager", "pac:paci-pdf", ["plan", "rep"], 200),
        ("foreign_manager", "pac:paci-pdf", ["plan", "rep"], 404),
        ("foreign_manager", "pac:action-pdf", ["plan", "action"], 404),
        ("other_rep", "pac:action-pdf", ["plan", "action"], 200),
    ],
)
def test_documents_follow_the_page_permissions(
    world, login, printed, reader, url_name, args, status
):
    values = [
        printed["plan"].pk if a == "plan" else "rep" if a == "rep" else printed["action"].pk
        for a in args
    ]
    assert login(getattr(world, reader)).get(reverse(url_name, args=values)).status_code == status


@pytest.mark.parametrize("url_name", ["pac:plan-pdf", "pac:plan-dossier-pdf"])
def test_anonymous_visitors_cannot_download(client, world, url_name):
    response = client.get(reverse(url_name, args=[world.plan.pk]))
    assert response["Location"].startswith(reverse("login"))


HOSTILE = '<script>alert(1)</script><img src="file:///etc/passwd"><link rel="stylesheet" href="http://example.com/x.css">'


def test_hostile_text_prints_as_text_and_loads_nothing(world, login, printed, monkeypatch):
    plan = printed["plan"]
    plan.strategy = HOSTILE
    plan.title = 'PAC "Nord" </style><style>@page{size:A3}'
    plan.save()
    SwotItemFactory(plan=plan, quadrant="weakness", text='<img src="file:///etc/hostname">')
    asked = []
    original = pac_pdf.StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pac_pdf.StaticOnlyFetcher, "fetch", spy)
    reader, pages = read(login(world.manager).get(reverse("pac:plan-dossier-pdf", args=[plan.pk])))
    text = " ".join(pages)
    assert "<script>alert(1)</script>" in text
    assert '<img src="file:///etc/passwd">' in text
    # The title goes into the running header as a CSS string: as text, never as CSS.
    assert 'PAC "Nord" </style><style>@page{size:A3}' in pages[2]
    assert {round(page.mediabox.height) for page in reader.pages} <= {595, 842}
    assert set(asked) == {
        "https://pac.invalid/static/pdf/pdf.css",
        "https://pac.invalid/images/timeline-1.svg",
    }


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.css",
        "https://pac.invalid/static/../../settings.py",
        "https://pac.invalid/static/pdf/../../../etc/passwd",
        "https://pac.invalid/elsewhere/pdf.css",
        "https://pac.invalid/images/timeline-2.svg",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_serves_only_static_files_and_the_document_s_images(url):
    with pytest.raises(ValueError):
        pac_pdf.StaticOnlyFetcher({"timeline-1.svg": b"<svg/>"}).fetch(url)


def test_the_fetcher_serves_the_stylesheet_and_the_images():
    fetcher = pac_pdf.StaticOnlyFetcher({"timeline-1.svg": b"<svg/>"})
    assert b"@page" in fetcher.fetch("https://pac.invalid/static/pdf/pdf.css").read()
    assert fetcher.fetch("https://pac.invalid/images/timeline-1.svg").read() == b"<svg/>"


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (date(2027, 1, 1), date(2027, 12, 31), "2027"),
        (date(2027, 7, 1), date(2027, 12, 31), "2027-S2"),
        (date(2027, 10, 1), date(2027, 12, 31), "2027-T4"),
        (date(2027, 2, 15), date(2027, 5, 14), "20270215-20270514"),
    ],
)
def test_file_names_say_the_period(world, start, end, label):
    plan = world.plan
    plan.period_start, plan.period_end = start, end
    assert period_label(plan) == label


def test_file_names_are_safe(world):
    assert pac_pdf.filename('Équipe "Nord" / Sud', "2027-S1") == "PAC-equipe-nord-sud-2027-s1.pdf"


def test_two_plans_of_a_team_and_period_get_two_names(world, login):
    from tests.pac.factories import PlanFactory

    twin = PlanFactory(
        team=world.plan.team,
        title="PAC Nord 2027 · grands comptes",
        period_start=world.plan.period_start,
        period_end=world.plan.period_end,
    )
    client = login(world.manager)
    names = {
        client.get(reverse("pac:plan-pdf", args=[plan.pk]))["Content-Disposition"]
        for plan in (world.plan, twin)
    }
    assert len(names) == 2


def test_page_numbers_are_written_inside_the_footer(world, login, printed):
    reader, _pages = synthesis(login(world.manager), printed["plan"])
    for page in reader.pages[1:]:
        numbers = [
            (x, y) for x, y, text in text_positions(page) if text.strip().startswith("Page ")
        ]
        assert len(numbers) == 1
        x, y = numbers[0]
        assert 5 * MM < y < 12 * MM
        assert x > float(page.mediabox.width) / 2


def test_a_long_plan_s_synthesis_keeps_each_table_to_a_page(world, login, printed):
    """Eighty actions: their lines are cut into tables that each fit a page, each with its
    header, and the action chapter is a few pages, not one table WeasyPrint lays out whole."""
    target = printed["target"]
    start = date(2027, 1, 4)
    for number in range(80):
        ActionFactory(
            target=target,
            title=f"Visite {number:02}",
            owner=world.rep,
            start_date=start + timedelta(days=number),
            end_date=start + timedelta(days=number + 20),
            budget_planned=Decimal("100"),
        )
    _reader, pages = synthesis(login(world.manager), printed["plan"])
    first = page_of(pages, "Actions par domaine, puis par commercial", after=2)
    planning = page_of(pages, "Planning par thème", after=2)
    action_pages = pages[first - 1 : planning - 1]
    assert 2 <= len(action_pages) <= 4
    for page in action_pages[1:]:
        assert "Action · cible" in page  # the header again on every page
    assert sum(page.count("Visite ") for page in action_pages) == 80


def test_the_synthesis_counts_each_reps_late_actions(world):
    """The reps' table of the synthesis: a rep's late actions, as their PACI lists them (the one
    they own and the one they take part in), none for their colleague."""
    today = timezone.localdate()
    plan = world.plan
    plan.period_start, plan.period_end = today - timedelta(days=90), today + timedelta(days=90)
    plan.save()
    target = target_services.target_create(
        actor=world.manager,
        plan=plan,
        data={"name": "PME", "kind": "segment", "priority": 1, "rationale": ""},
    )
    ended = today - timedelta(days=5)
    start = today - timedelta(days=30)
    for owner, participants in ((world.rep, []), (world.other_rep, [world.rep])):
        action_services.action_create(
            actor=world.manager,
            plan=plan,
            data=sheet(target, f"Relance {owner.username}", owner, start, ended),
            participants=participants,
        )
    rows = {row.rep.pk: row.late for row in synthesis_of(plan, today)["rep_standings"]}
    assert rows == {world.rep.pk: 2, world.other_rep.pk: 1}
