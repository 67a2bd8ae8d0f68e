"""Downloading the review meeting's documents from the plan page in Chromium: the synthesis, the
full dossier and the slides, by their visible labels."""

import io

import pytest
from pptx import Presentation
from pypdf import PdfReader

from tests.browser.pages import build_full_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def full(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_full_plan()


def download(page, name, tmp_path):
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("link", name=name).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_the_manager_downloads_the_synthesis_the_dossier_and_the_slides(
    page, live_server, sign_in, full, tmp_path
):
    sign_in(page, "claire")
    page.goto(f"{live_server.url}{full.plan.get_absolute_url()}")

    synthesis = download(page, "Télécharger le PAC (PDF)", tmp_path)
    assert synthesis.name.startswith("PAC-ventes-ouest-") and synthesis.name.endswith(
        "-semestre-synthese.pdf"
    )
    reader = PdfReader(io.BytesIO(synthesis.read_bytes()))
    assert reader.metadata.title == f"{full.plan.title} · Synthèse"
    assert "Imprimé pour Claire Martin" in reader.pages[0].extract_text()
    titles = [item.title for item in reader.outline]
    assert titles[0] == "Chiffres clés" and "Fiches action" not in titles

    dossier = download(page, "Dossier complet (PDF)", tmp_path)
    assert dossier.name.endswith("-dossier.pdf")
    dossier_reader = PdfReader(io.BytesIO(dossier.read_bytes()))
    assert "Fiches action" in [item.title for item in dossier_reader.outline]
    assert len(dossier_reader.pages) > len(reader.pages)
    assert full.action.title in " ".join(p.extract_text() for p in dossier_reader.pages)

    slides = download(page, "Diaporama (PowerPoint)", tmp_path)
    assert slides.name.endswith("-synthese.pptx")
    deck = Presentation(io.BytesIO(slides.read_bytes()))
    assert deck.slides[0].shapes.title.text == full.plan.title
    # The page stays where it was: downloads do not navigate away.
    assert page.url.endswith(full.plan.get_absolute_url())
