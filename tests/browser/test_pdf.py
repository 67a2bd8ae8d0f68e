"""Downloading the PAC from the plan page in Chromium."""

import io

import pytest
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manager_downloads_the_pac(page, live_server, sign_in, demo, tmp_path):
    sign_in(page, "manager")
    page.goto(f"{live_server.url}{demo.get_absolute_url()}")
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_test_id("plan-pdf").click()
    download = download_info.value
    assert download.suggested_filename == "PAC-ventes-ile-de-france-" + demo.period_start.strftime(
        "%Y"
    ) + ("-s1.pdf" if demo.period_start.month == 1 else "-s2.pdf")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert len(reader.pages) > 20
    assert reader.metadata.title == demo.title
    first = reader.pages[0].extract_text()
    assert demo.title.split(" · ")[0] in first
