"""The PDF documents read back with pypdf: sections, figures, pages, safety, permissions."""

import io
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from pypdf import PdfReader

from pac.documents import pdf as pac_pdf
from pac.documents.content import period_label
from pac.plans.models import SwotItem
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.kpis.factories import KpiFactory, KpiValueFactory
from tests.pac.factories import CompetitorFactory, ReviewFactory, SwotItemFactory
from tests.targets.factories import DealFactory, ObjectiveFactory, TargetFactory

pytestmark = pytest.mark.django_db


def read(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


@pytest.fixture
def printed(world):
    plan = world.plan  # Ventes Nord, 01/01 – 30/06/2027: a semester
    plan.strategy = "Devenir le partenaire de proximité des PME."
    plan.budget_envelope = Decimal("10000")
    plan.save()
    SwotItemFactory(plan=plan, quadrant=SwotItem.Quadrant.STRENGTH, text="Équipe soudée")
    SwotItemFactory(plan=plan, quadrant=SwotItem.Quadrant.THREAT, text="Guerre des prix")
    CompetitorFactory(plan=plan, name="Cap Numérique")
    target = TargetFactory(plan=plan, name="PME industrielles")
    ObjectiveFactory(target=target, title="Huit nouveaux clients", owner=world.rep)
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
    kpi = KpiFactory(action=action, name="Rendez-vous obtenus", owner=world.rep)
    KpiValueFactory(kpi=kpi, recorded_on=date(2027, 2, 28), value=Decimal("6"))
    for amount, probability in [(1000, 20), (2000, 50), (4000, 75)]:
        DealFactory(
            plan=plan,
            amount=Decimal(amount),
            probability=probability,
            owner=world.rep,
            company=f"Client {amount}",
        )
    ReviewFactory(plan=plan, decisions="Deuxième vague d'appels.")
    return {"plan": plan, "action": action}


def test_the_whole_pac_holds_every_section_and_figure(world, login, printed):
    plan = printed["plan"]
    response = login(world.viewer).get(reverse("pac:plan-pdf", args=[plan.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="PAC-ventes-nord-2027-s1.pdf"'
    reader, text = read(response)
    for expected in [
        "PAC Nord 2027",
        "Ventes Nord",
        "01/01/2027 – 30/06/2027",
        "Sommaire",
        "Rappel de la stratégie",
        "Devenir le partenaire de proximité des PME.",
        "Matrice SWOT (FFOM)",
        "Équipe soudée",
        "Guerre des prix",
        "Cap Numérique",
        "Cibles et objectifs",
        "PME industrielles",
        "Huit nouveaux clients",
        "Actions par domaine",
        "Fiches action",
        "Prospection téléphonique",
        "Appeler 100 prospects",
        "Rendez-vous obtenus",
        "Planning",
        "Budget",
        "Objectifs et KPI",
        "Carnet commercial",
        "Décisions de la dernière revue",
        "Deuxième vague d'appels.",
        # Planned 2 000 €, spent 2 500 €: 500 € over; weighted 200 + 1 000 + 3 000 = 4 200 €.
        "2 000 €",
        "2 500 €",
        "500 €",
        "4 200 €",
        "Page 1 / ",
        f"Page {len(reader.pages)} / {len(reader.pages)}",
        "Imprimé le",
    ]:
        assert expected in text, expected
    assert reader.metadata.title == "PAC Nord 2027"
    assert reader.metadata.author == str(world.viewer)


def test_the_timeline_is_printed_on_landscape_pages(world, login, printed):
    reader, _text = read(
        login(world.manager).get(reverse("pac:plan-pdf", args=[printed["plan"].pk]))
    )
    landscape = [page for page in reader.pages if page.mediabox.width > page.mediabox.height]
    portrait = [page for page in reader.pages if page.mediabox.width < page.mediabox.height]
    assert len(landscape) == 1
    assert "Planning" in landscape[0].extract_text()
    assert len(portrait) >= 8
    # A4: 595 × 842 points.
    assert (round(portrait[0].mediabox.width), round(portrait[0].mediabox.height)) == (595, 842)


def test_the_table_of_contents_gives_page_numbers(world, login, printed):
    reader, _ = read(login(world.manager).get(reverse("pac:plan-pdf", args=[printed["plan"].pk])))
    contents = " ".join(reader.pages[1].extract_text().split())
    strategy_page = next(
        number
        for number, page in enumerate(reader.pages, start=1)
        if "Rappel de la stratégie" in page.extract_text() and number > 2
    )
    assert f"Rappel de la stratégie {strategy_page}" in contents.replace(".", "").replace("  ", " ")


def test_the_paci_document(world, login, printed):
    response = login(world.rep).get(reverse("pac:paci-pdf", args=[printed["plan"].pk, "rep"]))
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="PAC-paci-rep-ventes-nord-2027-s1.pdf"'
    )
    _reader, text = read(response)
    for expected in [
        "Plan d'action individuel de",
        "Huit nouveaux clients",
        "Prospection téléphonique",
        "Appeler 100 prospects",
        "Rendez-vous obtenus",
        "Calendrier de la période",
        "4 200 €",
    ]:
        assert expected in text, expected


def test_the_action_sheet_document(world, login, printed):
    action = printed["action"]
    response = login(world.viewer).get(
        reverse("pac:action-pdf", args=[printed["plan"].pk, action.pk])
    )
    _reader, text = read(response)
    assert "Fiche action" in text and "Prospection téléphonique" in text
    assert "2 000 € prévus, 2 500 € dépensés" in text


def test_english_readers_get_english_documents(world, login, printed):
    client = login(world.manager)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    _reader, text = read(client.get(reverse("pac:plan-pdf", args=[printed["plan"].pk])))
    assert "Strategy reminder" in text and "Contents" in text and "€4,200" in text


@pytest.mark.parametrize(
    ("reader", "url_name", "args", "status"),
    [
        ("foreign_manager", "pac:plan-pdf", ["plan"], 404),
        ("other_rep", "pac:paci-pdf", ["plan", "rep"], 404),
        ("rep", "pac:paci-pdf", ["plan", "rep"], 200),
        ("manager", "pac:paci-pdf", ["plan", "rep"], 200),
        ("foreign_manager", "pac:paci-pdf", ["plan", "rep"], 404),
        ("foreign_manager", "pac:action-pdf", ["plan", "action"], 404),
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


def test_anonymous_visitors_cannot_download(client, world, printed):
    response = client.get(reverse("pac:plan-pdf", args=[printed["plan"].pk]))
    assert response["Location"].startswith(reverse("login"))


HOSTILE = '<script>alert(1)</script><img src="file:///etc/passwd"><link rel="stylesheet" href="http://example.com/x.css">'


def test_hostile_text_prints_as_text_and_loads_nothing(world, login, printed, monkeypatch):
    plan = printed["plan"]
    plan.strategy = HOSTILE
    plan.save()
    SwotItemFactory(plan=plan, quadrant="weakness", text='<img src="file:///etc/hostname">')
    asked = []
    original = pac_pdf.StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pac_pdf.StaticOnlyFetcher, "fetch", spy)
    _reader, text = read(login(world.manager).get(reverse("pac:plan-pdf", args=[plan.pk])))
    assert "<script>alert(1)</script>" in text
    assert '<img src="file:///etc/passwd">' in text
    assert asked == ["https://pac.invalid/static/pdf/pdf.css"]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.css",
        "https://pac.invalid/static/../../settings.py",
        "https://pac.invalid/static/pdf/../../../etc/passwd",
        "https://pac.invalid/elsewhere/pdf.css",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_serves_only_static_files(url):
    with pytest.raises(ValueError):
        pac_pdf.StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_the_stylesheet():
    response = pac_pdf.StaticOnlyFetcher().fetch("https://pac.invalid/static/pdf/pdf.css")
    assert b"@page" in response.read()


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


@pytest.fixture
def large(settings, printed):
    """A plan over the background threshold (lowered here so the test stays quick)."""
    settings.BACKGROUND_PDF_ACTIONS = 1
    ActionFactory(target=printed["action"].target, title="Deuxième action")
    return printed["plan"]


def test_a_large_plan_is_printed_in_the_background(world, login, large, settings, tmp_path):
    from django.tasks import task_backends

    from pac.documents.models import PdfExport

    settings.EXPORTS_DIR = tmp_path
    # Development and tests run tasks at once; production hands them to `db_worker`.
    assert type(task_backends["default"]).__name__ == "ImmediateBackend"
    client = login(world.manager)
    response = client.get(reverse("pac:plan-pdf", args=[large.pk]))
    export = PdfExport.objects.get()
    assert response["Location"] == reverse("pac:pdf-export", args=[large.pk, export.pk])
    assert (export.status, export.requested_by, export.file_name) == (
        "ready",
        world.manager,
        "PAC-ventes-nord-2027-s1.pdf",
    )
    assert export.pages >= 8
    page = client.get(response["Location"]).text
    assert "Prêt : " in page and 'data-status="ready"' in page
    assert "hx-trigger" not in page  # nothing more to wait for
    download = client.get(reverse("pac:pdf-export-download", args=[large.pk, export.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="PAC-ventes-nord-2027-s1.pdf"'
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert "Deuxième action" in " ".join(p.extract_text() for p in reader.pages)


def test_an_export_in_progress_keeps_asking(world, login, large):
    from pac.documents.models import PdfExport

    export = PdfExport.objects.create(plan=large, requested_by=world.manager, status="running")
    client = login(world.manager)
    response = client.get(
        reverse("pac:pdf-export", args=[large.pk, export.pk]), headers={"HX-Request": "true"}
    )
    assert 'data-hx-trigger="every 2s"' in response.text and "<html" not in response.text
    assert (
        client.get(reverse("pac:pdf-export-download", args=[large.pk, export.pk])).status_code
        == 404
    )


def test_a_failed_export_says_so(world, login, large, monkeypatch, tmp_path, settings):
    from pac.documents import tasks
    from pac.documents.models import PdfExport

    settings.EXPORTS_DIR = tmp_path

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tasks, "render_pdf", broken)
    client = login(world.manager)
    response = client.get(reverse("pac:plan-pdf", args=[large.pk]))
    export = PdfExport.objects.get()
    assert (export.status, export.error) == ("failed", "OSError: disk full")
    assert "Le document n'a pas pu être imprimé." in unescape(client.get(response["Location"]).text)


def test_an_export_ready_without_its_figures_still_shows(world, login, large):
    # Only a hand edit in the admin leaves a ready export without its page count.
    from pac.documents.models import PdfExport

    export = PdfExport.objects.create(plan=large, requested_by=world.manager, status="ready")
    response = login(world.manager).get(reverse("pac:pdf-export", args=[large.pk, export.pk]))
    assert response.status_code == 200
    assert 'data-status="ready"' in response.text


def test_another_team_cannot_see_an_export(world, login, large):
    from pac.documents.models import PdfExport

    export = PdfExport.objects.create(plan=large, requested_by=world.manager, status="ready")
    client = login(world.foreign_manager)
    assert client.get(reverse("pac:pdf-export", args=[large.pk, export.pk])).status_code == 404
    assert (
        client.get(reverse("pac:pdf-export-download", args=[large.pk, export.pk])).status_code
        == 404
    )
