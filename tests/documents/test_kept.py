"""Documents are kept once printed: a second download of an unchanged plan lays nothing out, a
change prints afresh; long ones print in the background; active plans print ahead."""

import io
from datetime import datetime, timedelta
from html import unescape

import pytest
from django.core.management import call_command
from django.tasks import task_backends
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from actions import services as action_services
from pac.core.models import Plan
from pac.documents import printing, tasks
from pac.documents.models import PdfExport
from pac.documents.printing import print_ahead
from tests.actions.factories import ActionFactory, ActionStepFactory
from tests.documents.conftest import TODAY, read
from tests.pac.factories import MembershipFactory, UserFactory
from tests.targets.factories import DealFactory, TargetFactory

pytestmark = pytest.mark.django_db


def test_a_second_download_lays_nothing_out(world, login, printed, layouts):
    client = login(world.manager)
    url = reverse("pac:plan-pdf", args=[printed["plan"].pk])
    _reader, first = read(client.get(url))
    parts = len(layouts)
    assert parts >= 3  # the cover and the parts of the synthesis
    _reader, second = read(client.get(url))
    assert len(layouts) == parts
    assert second == first


@pytest.mark.parametrize(
    "url_name", ["pac:plan-pdf", "pac:plan-dossier-pdf", "pac:paci-pdf", "pac:action-pdf"]
)
def test_every_document_is_kept(world, login, printed, layouts, url_name):
    plan, action = printed["plan"], printed["action"]
    args = {
        "pac:paci-pdf": [plan.pk, "rep"],
        "pac:action-pdf": [plan.pk, action.pk],
    }.get(url_name, [plan.pk])
    client = login(world.manager)
    read(client.get(reverse(url_name, args=args)))
    parts = len(layouts)
    read(client.get(reverse(url_name, args=args)))
    assert len(layouts) == parts


def test_a_change_prints_afresh(world, login, printed, layouts):
    plan, action = printed["plan"], printed["action"]
    client = login(world.manager)
    url = reverse("pac:plan-pdf", args=[plan.pk])
    read(client.get(url))
    parts = len(layouts)
    data = {name: getattr(action, name) for name in action_services.SHEET_FIELDS}
    action_services.action_update(
        actor=world.manager,
        action=action,
        data=data | {"title": "Prospection par téléphone"},
        version=action.version,
    )
    _reader, pages = read(client.get(url))
    assert len(layouts) > parts
    assert "Prospection par téléphone" in " ".join(pages)
    # The copy of the former revision is gone: only the new one is kept.
    plan.refresh_from_db()
    from django.core.files.storage import default_storage

    _folders, files = default_storage.listdir(f"documents/{plan.pk}")
    assert [name.split("-")[0] for name in files] == [plan.revision.hex]


def test_each_reader_and_language_gets_their_own_copy(world, login, printed, layouts):
    plan = printed["plan"]
    url = reverse("pac:plan-pdf", args=[plan.pk])
    read(login(world.manager).get(url))
    parts = len(layouts)
    _reader, pages = read(login(world.viewer).get(url))
    assert len(layouts) == 2 * parts  # the cover names the reader
    assert f"Imprimé pour {world.viewer}" in pages[0]
    client = login(world.viewer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    _reader, pages = read(client.get(url))
    assert len(layouts) == 3 * parts
    assert "Contents" in pages[1]


def test_a_copy_kept_yesterday_is_not_sent_today(world, login, printed, layouts, monkeypatch):
    """Lateness and the expected pace depend on the day: yesterday's figures are not today's."""
    client = login(world.manager)
    url = reverse("pac:plan-pdf", args=[printed["plan"].pk])
    read(client.get(url))
    parts = len(layouts)
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY + timedelta(days=1))
    _reader, pages = read(client.get(url))
    assert len(layouts) == 2 * parts
    assert "Imprimé le 16/04/2027" in pages[0]


@pytest.fixture
def large(settings, printed):
    """A plan over the background thresholds (lowered here so the test stays quick)."""
    settings.BACKGROUND_PDF_ACTIONS = 1
    settings.BACKGROUND_SYNTHESIS_ACTIONS = 1
    ActionFactory(target=printed["target"], title="Deuxième action")
    return printed["plan"]


@pytest.mark.parametrize(
    ("url_name", "kind", "file_name"),
    [
        ("pac:plan-pdf", "synthesis", "PAC-ventes-nord-2027-s1-synthese.pdf"),
        ("pac:plan-dossier-pdf", "dossier", "PAC-ventes-nord-2027-s1-dossier.pdf"),
    ],
)
def test_a_large_plan_is_printed_in_the_background(
    world, login, large, layouts, url_name, kind, file_name
):
    # Development and tests run tasks at once; production hands them to `db_worker`.
    assert type(task_backends["default"]).__name__ == "ImmediateBackend"
    client = login(world.manager)
    response = client.get(reverse(url_name, args=[large.pk]))
    export = PdfExport.objects.get()
    assert response["Location"] == reverse("pac:pdf-export", args=[large.pk, export.pk])
    assert (export.kind, export.status, export.requested_by, export.file_name) == (
        kind,
        "ready",
        world.manager,
        file_name,
    )
    assert export.pages >= 7
    page = client.get(response["Location"]).text
    assert "Prêt : " in page and 'data-status="ready"' in page
    assert "hx-trigger" not in page  # nothing more to wait for
    download = client.get(reverse("pac:pdf-export-download", args=[large.pk, export.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="{file_name}"'
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert "Deuxième action" in " ".join(p.extract_text() for p in reader.pages)
    # Printed once: the next download sends the kept copy at once, without waiting.
    parts = len(layouts)
    response = client.get(reverse(url_name, args=[large.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith(
        f'"{file_name}"'
    )
    assert len(layouts) == parts and PdfExport.objects.count() == 1


def test_an_export_in_progress_keeps_asking(world, login, large):
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


def test_a_failed_export_says_so(world, login, large, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tasks, "render", broken)
    client = login(world.manager)
    response = client.get(reverse("pac:plan-dossier-pdf", args=[large.pk]))
    export = PdfExport.objects.get()
    assert (export.status, export.error) == ("failed", "OSError: disk full")
    assert "Le document n'a pas pu être imprimé." in unescape(client.get(response["Location"]).text)


def test_an_export_whose_file_is_gone_is_not_found(world, login, large):
    export = PdfExport.objects.create(plan=large, requested_by=world.manager, status="ready")
    response = login(world.manager).get(
        reverse("pac:pdf-export-download", args=[large.pk, export.pk])
    )
    assert response.status_code == 404


def test_an_export_ready_without_its_figures_still_shows(world, login, large):
    # Only a hand edit in the admin leaves a ready export without its page count.
    export = PdfExport.objects.create(plan=large, requested_by=world.manager, status="ready")
    response = login(world.manager).get(reverse("pac:pdf-export", args=[large.pk, export.pk]))
    assert response.status_code == 200
    assert 'data-status="ready"' in response.text


def test_another_team_cannot_see_an_export(world, login, large):
    export = PdfExport.objects.create(plan=large, requested_by=world.manager, status="ready")
    client = login(world.foreign_manager)
    assert client.get(reverse("pac:pdf-export", args=[large.pk, export.pk])).status_code == 404
    assert (
        client.get(reverse("pac:pdf-export-download", args=[large.pk, export.pk])).status_code
        == 404
    )


def quiet_since(plan, minutes):
    """The plan as last changed `minutes` ago."""
    Plan.objects.filter(pk=plan.pk).update(revised_at=timezone.now() - timedelta(minutes=minutes))


def test_an_active_plan_left_quiet_is_printed_ahead_for_its_managers(
    world, login, printed, layouts, settings
):
    settings.PRINT_QUIET_MINUTES = 5
    plan = printed["plan"]
    english = UserFactory(username="boss", first_name="Ann", last_name="Boss", language="en")
    MembershipFactory(team=plan.team, user=english, role="manager")
    quiet_since(plan, 6)
    done = print_ahead(timezone.now())
    assert sorted(manager.username for _plan, manager in done) == ["boss", "manager"]
    # Nothing more to print until the plan changes; the managers' downloads lay nothing out.
    assert print_ahead(timezone.now()) == []
    parts = len(layouts)
    _reader, pages = read(login(world.manager).get(reverse("pac:plan-pdf", args=[plan.pk])))
    assert "Sommaire" in pages[1]
    client = login(english)  # who reads PAC in English, as their profile says
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    _reader, pages = read(client.get(reverse("pac:plan-pdf", args=[plan.pk])))
    assert "Contents" in pages[1]
    assert len(layouts) == parts


def test_a_plan_still_being_edited_or_not_active_is_not_printed_ahead(world, printed, settings):
    settings.PRINT_QUIET_MINUTES = 5
    plan = printed["plan"]
    quiet_since(plan, 2)
    assert print_ahead(timezone.now()) == []
    quiet_since(plan, 60)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)
    assert print_ahead(timezone.now()) == []


def test_the_print_documents_command_says_what_it_printed(world, printed, capsys, settings):
    settings.PRINT_QUIET_MINUTES = 5
    quiet_since(printed["plan"], 10)
    call_command("print_documents")
    assert capsys.readouterr().out == (f"Printed the synthesis of {printed['plan']} for manager\n")


def test_a_change_marks_the_plan_as_revised_now(world, printed):
    plan = printed["plan"]
    quiet_since(plan, 60)
    before = timezone.now()
    action = printed["action"]
    action.title = "Appels sortants"
    action.save()
    plan.refresh_from_db()
    assert plan.revised_at >= before
    assert isinstance(plan.revised_at, datetime)


def test_printing_ahead_spares_no_file_of_the_current_revision(world, printed, settings):
    settings.PRINT_QUIET_MINUTES = 5
    plan = printed["plan"]
    quiet_since(plan, 10)
    plan.refresh_from_db()
    assert printing.kept_copy(plan, world.manager, "fr", TODAY, "synthesis") is None
    print_ahead(timezone.now())
    copy = printing.kept_copy(plan, world.manager, "fr", TODAY, "synthesis")
    assert copy is not None and copy.read(5) == b"%PDF-"
    copy.close()


def grow(plan, rep, size):
    targets = [TargetFactory(plan=plan) for _ in range(4)]
    for index in range(size):
        action = ActionFactory(target=targets[index % 4], owner=rep, participants=[rep])
        ActionStepFactory(action=action, owner=rep)
        DealFactory(plan=plan, owner=rep, target=targets[index % 4])


# session, user, plan with the reader's role, the actions' count (for the background); the
# synthesis: won totals, objectives, actions, budget, deals by day, the latest review (none here:
# its corrective actions and attendees would add two), targets with their objectives and KPIs,
# open pipeline, SWOT, competitors, the reps, their late work and their pipelines; the timeline's
# actions and steps; the reps' names on the timeline; the diagnosis's clients (for the targets'
# warnings), and its settings, clients, offers and figures by segment (its chapter).
SYNTHESIS_QUERIES = 25
# session, user, plan with the reader's role: the kept copy is a file.
KEPT_QUERIES = 3


@pytest.mark.parametrize("size", [4, 40])
def test_the_synthesis_queries_do_not_grow_with_the_plan(
    world, login, django_assert_num_queries, size
):
    grow(world.plan, world.rep, size)
    client = login(world.manager)
    url = reverse("pac:plan-pdf", args=[world.plan.pk])
    with django_assert_num_queries(SYNTHESIS_QUERIES):
        read(client.get(url))
    with django_assert_num_queries(KEPT_QUERIES):
        _reader, pages = read(client.get(url))
    assert f"{size} en retard sur {size} actions" in " ".join(pages) or size == 0
