"""Playwright driving the machine's Chromium against Django's live server.

Browser tests are required in CI (the CI variable is set): a missing Chromium fails them there.
Elsewhere they skip, saying why.
"""

import os
import shutil

import pytest
from django.utils import timezone

from pac.demo.data import build_demo

CHROMIUM_CANDIDATES = [
    os.environ.get("CHROMIUM_PATH", ""),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    shutil.which("chromium") or "",
]


def find_chromium():
    return next((path for path in CHROMIUM_CANDIDATES if path and os.path.exists(path)), None)


@pytest.fixture(scope="session")
def chromium():
    executable = find_chromium()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI requires Chromium for the browser tests: apt-get install chromium")
        pytest.skip("No Chromium found (install Debian's chromium or set CHROMIUM_PATH)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls stay
    # synchronous and safe, so Django's guard against async contexts is lifted while it runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server):
    def go(page, username, password="demo"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Nom d’utilisateur").fill(username)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()

    return go


@pytest.fixture
def demo(settings):
    """The demo data as of today, with a fast password hash for the many sign-ins."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_demo(timezone.localdate())


def form_ready(page):
    """Wait until a form swapped in has taken the focus: htmx moves it to the `autofocus` field
    once the swap settles, and text typed before that could land in another field."""
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.hasAttribute('autofocus')"
    )
