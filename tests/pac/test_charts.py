"""The SVG charts drawn on the server."""

import re
from decimal import Decimal

from pac.core.charts import month_bars


def test_month_bars_name_every_other_month_of_twelve_and_every_month_on_hover():
    rows = [(f"mois {index}", Decimal(1000), Decimal(500)) for index in range(12)]
    svg = str(month_bars(rows))
    assert re.findall(r"<title>(mois \d+)</title>", svg) == [f"mois {i}" for i in range(12)]
    assert re.findall(r">(mois \d+)</text>", svg) == [f"mois {i}" for i in range(0, 12, 2)]


def test_month_bars_name_each_of_a_few_months():
    rows = [(f"mois {index}", Decimal(1000), Decimal(500)) for index in range(4)]
    assert len(re.findall(r">(mois \d+)</text>", str(month_bars(rows)))) == 4
