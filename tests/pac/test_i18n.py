"""French first, English complete; French formats for dates and amounts."""

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

from pac.templatetags.pac_format import euros, percent

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_every_string_has_its_french_translation():
    result = subprocess.run(
        [
            "msgfmt",
            "--check",
            "--statistics",
            "-o",
            "/dev/null",
            str(LOCALE / "fr/LC_MESSAGES/django.po"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


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
