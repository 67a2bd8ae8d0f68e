"""The two checkers of the audit: axe-core run inside Chromium, and the Nu HTML checker (vnu).

Both come from the npm registry (`make test` installs them under var/node, see the Makefile) at
the versions the audit used. Like Chromium, they are required in CI (the CI variable is set) and
their absence skips the tests elsewhere, saying why.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

NODE_MODULES = Path(settings.BASE_DIR) / "var" / "node" / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

# WCAG 2.1 A and AA, the 2.2 AA rules (target size among them) and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}


def missing(what, how):
    if os.environ.get("CI"):
        pytest.fail(f"CI requires {what}: {how}")
    pytest.skip(f"{what} is missing ({how})")


def axe_source():
    if not AXE.exists():
        missing("axe-core", "make test installs it under var/node")
    return AXE.read_text()


def axe_violations(page):
    """axe's violations on the page as it stands, each with the nodes it found."""
    page.evaluate(axe_source())
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html,
                                           summary: n.failureSummary})),
            }));
        }""",
        AXE_TAGS,
    )


def vnu_command():
    java = shutil.which("java")
    if java is None:
        missing("Java 17 for the Nu HTML checker", "apt-get install openjdk-17-jre-headless")
    if not VNU.exists():
        missing("the Nu HTML checker", "make test installs vnu-jar under var/node")
    return [java, "-jar", str(VNU)]


def vnu_messages(paths):
    """vnu's errors on every file, in one run (one JVM start for all of them)."""
    run = subprocess.run(
        [*vnu_command(), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its JSON report on standard error and exits 1 when it found errors.
    report = json.loads(run.stderr or '{"messages": []}')
    return report["messages"]
