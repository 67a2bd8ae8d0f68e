"""French first, English complete; French formats for dates and amounts."""

import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

from pac.templatetags.pac_format import euros, percent

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"


def translation_statistics(po_file):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stderr


def test_every_string_has_its_french_translation():
    statistics = translation_statistics(LOCALE / "fr/LC_MESSAGES/django.po")
    assert "untranslated" not in statistics
    assert "fuzzy" not in statistics


def test_no_string_in_the_code_is_missing_from_the_catalog(tmp_path):
    """makemessages run on a copy of the code finds nothing the committed catalog lacks."""
    for name in ["manage.py", "pac", "targets", "actions", "kpis", "templates", "locale"]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    statistics = translation_statistics(tmp_path / "locale/fr/LC_MESSAGES/django.po")
    assert "untranslated" not in statistics, statistics
    assert "fuzzy" not in statistics, statistics


def test_amounts_read_the_french_way():
    with translation.override("fr"):
        assert euros(Decimal("1000")) == "1\xa0000\xa0€"
        assert euros(Decimal("4200.00")) == "4\xa0200\xa0€"
        assert euros(Decimal("1234.5")) == "1\xa0234,50\xa0€"
        assert euros(Decimal("-250")) == "-250\xa0€"
        assert percent(75) == "75\xa0%"
        assert euros(None) == ""


def test_amounts_read_the_english_way():
    with translation.override("en"):
        assert euros(Decimal("1000")) == "€1,000"
        assert euros(Decimal("1234.5")) == "€1,234.50"
        assert euros(Decimal("-250")) == "-€250"
        assert percent(75) == "75%"


def test_dates_read_day_first():
    template = Template('{{ day|date:"SHORT_DATE_FORMAT" }}|{{ day|date }}')
    with translation.override("fr"):
        assert template.render(Context({"day": date(2026, 12, 31)})) == "31/12/2026|31/12/2026"
    with translation.override("en"):
        assert template.render(Context({"day": date(2026, 12, 31)})) == "31/12/2026|31 Dec 2026"
