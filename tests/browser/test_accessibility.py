"""Every main page of every role, and each form opened in place, passes axe-core (WCAG 2.1 AA,
2.2's target size, axe's best practices) at 1280 and 360 pixels without a serious or critical
violation; and their HTML is valid for the Nu HTML checker."""

from pathlib import Path

import pytest

from tests.browser.checkers import (
    FAILING_IMPACTS,
    axe_source,
    axe_violations,
    vnu_command,
    vnu_messages,
)
from tests.browser.pages import WIDTHS, build_full_plan, page_states, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_page_state_passes_axe_at_both_widths(chromium, live_server):
    axe_source()  # skips, or fails in CI, before building anything when axe is missing

    full = build_full_plan()
    found = []

    def visit(page, state, width):
        for violation in axe_violations(page):
            if violation["impact"] in FAILING_IMPACTS:
                found.append((state, width, violation))

    walk(chromium, live_server.url, page_states(full), WIDTHS, visit)
    report = "\n".join(
        f"- {state} at {width} px: {v['id']} ({v['impact']}) {v['help']}\n"
        + "\n".join(f"    {node['target']}: {node['html'][:160]}" for node in v["nodes"][:5])
        for state, width, v in found
    )
    assert not found, f"{len(found)} serious or critical axe violations:\n{report}"


def validate(chromium, live_server, tmp_path, states):
    """vnu's errors on the states' HTML as Chromium holds it, in one run, as readable lines."""
    files = {}

    def visit(page, state, width):
        path = tmp_path / f"{len(files):02}.html"
        path.write_text(page.content())
        files[str(path)] = state

    # The markup is the same at both widths: one is enough.
    walk(chromium, live_server.url, states, WIDTHS[:1], visit)
    return [
        f"- {files[str(Path(m['url'].removeprefix('file:')))]}, line {m.get('lastLine')}: "
        f"{m['message']}\n    {m.get('extract', '').strip()[:160]}"
        for m in vnu_messages(files)
    ]


def test_every_page_state_is_valid_html(chromium, live_server, tmp_path):
    vnu_command()  # skips, or fails in CI, before building anything when vnu is missing
    errors = validate(chromium, live_server, tmp_path, page_states(build_full_plan()))
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
