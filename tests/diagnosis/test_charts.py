"""The diagnosis' charts, checked against positions computed by hand: the Pareto curve of an ABC
analysis and the attractiveness–strength grid; escaping, and links for editors only."""

import math
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from pac.diagnosis.charts import atouts_attraits, pareto
from pac.diagnosis.selectors import diagnosis_data
from pac.diagnosis.services import figure_create, figures_replace
from pac.diagnosis.tables import TABLES

pytestmark = pytest.mark.django_db

A, B = Decimal("80"), Decimal("95")
# The Pareto chart's frame (pac.diagnosis.charts.pareto, 520 wide): the items from x 44 to 456,
# 0 % at y 190 and 100 % at y 12, so y(v) = 190 - 1.78 v.
LEFT, RIGHT, BOTTOM = 44, 456, 190
NAME = "Pareto curve of the clients' sales"


@pytest.fixture(autouse=True)
def english():
    """English figures and words: the msgids, whatever the catalogue holds."""
    with translation.override("en"):
        yield


def svg_of(markup):
    """The chart's <svg> element, parsed: what it draws must also be well-formed XML."""
    root = ET.fromstring(f"<root>{markup}</root>")
    return root.find("svg")


def add(world, table, rows):
    for data in rows:
        figure_create(actor=world.manager, plan=world.plan, table=TABLES[table], data=data)
    return diagnosis_data(world.plan)


def clients(world, rows):
    return add(
        world,
        "clients",
        [
            {"name": name, "segment": "PME", "sales": Decimal(sales), "margin": Decimal(margin)}
            for name, sales, margin in rows
        ],
    )


def test_the_pareto_curve_of_three_clients_passes_where_their_shares_add_up(world):
    """Shares 50, 30 and 20 %: the curve climbs from (44, 190) to 50 % after the first (y 101),
    80 % after the second (y 47.6), 100 % after the third (y 12), each at the right edge of its
    item (412 / 3 = 137.3 a client); A ends at 80 % (y 47.6), B at 95 % (y 20.9). Before the
    third the share is 80 %, not under 80 %: it is B, and A holds two clients."""
    data = clients(world, [("Durand", 50000, 10000), ("Martin", 30000, 5000), ("Roux", 20000, 1)])
    markup = pareto(data["clients_abc"], NAME, A, B)
    svg = svg_of(markup)
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == (
        "Pareto curve of the clients' sales: 2 of 3 make 80% of the total"
    )
    (curve,) = svg.findall("polyline")
    assert curve.get("points") == "44.0,190.0 181.3,101.0 318.7,47.6 456.0,12.0"
    thresholds = {line.get("data-class"): line for line in svg.findall("line[@class='threshold']")}
    assert thresholds["A"].get("y1") == thresholds["A"].get("y2") == "47.6"
    assert thresholds["B"].get("y1") == "20.9"
    assert thresholds["A"].get("stroke-dasharray")
    texts = [text.text for text in svg.iter("text")]
    assert "A 80%" in texts and "B 95%" in texts
    # A bar per client, its height its share: 178 × 50 %, × 30 %, × 20 %.
    bars = svg.findall("rect[@class='bar']")
    assert [bar.get("height") for bar in bars] == ["89.0", "53.4", "35.6"]
    # The zones: A over the first two clients, B over the third, named with their counts.
    zones = {zone.get("data-class"): zone for zone in svg.findall("rect[@class='zone']")}
    assert set(zones) == {"A", "B"}
    assert zones["A"].get("width") == "274.7" and zones["B"].get("x") == "318.7"
    assert "A (2)" in texts and "B (1)" in texts
    # Its figures by class, for screen readers.
    assert "<caption>Pareto curve of the clients&#x27; sales: 2 of 3" in markup


def test_the_pareto_curve_of_2000_clients_is_a_single_light_line(world):
    """Bars of 0.2 unit say nothing: 2 000 clients draw no bar, one polyline of at most one
    point a unit across, and the whole chart stays under 10 kB."""
    rows = [
        {"name": f"Client {index:04d}", "segment": "", "sales": Decimal(1_000_000 // index)}
        | {"margin": Decimal(0)}
        for index in range(1, 2001)
    ]
    figures_replace(actor=world.manager, plan=world.plan, table=TABLES["clients"], rows=rows)
    data = diagnosis_data(world.plan)
    markup = pareto(data["clients_abc"], NAME, A, B)
    svg = svg_of(markup)
    assert svg.findall("rect[@class='bar']") == []
    assert svg.findall("circle") == []
    (curve,) = svg.findall("polyline")
    points = curve.get("points").split()
    assert points[0] == "44.0,190.0" and points[-1] == "456.0,12.0"
    assert len(points) <= RIGHT - LEFT + 2
    assert len(markup.encode()) < 10_000
    assert " of 2,000 make " in svg.get("aria-label")
    assert "Client 0001" not in markup


def test_an_empty_analysis_draws_nothing(world):
    data = diagnosis_data(world.plan)
    assert pareto(data["clients_abc"], NAME, A, B) == ""
    assert atouts_attraits(data["mckinsey"]) == ""
    # Clients that sold nothing: a total of 0, no curve to draw.
    data = clients(world, [("Durand", 0, 0)])
    assert pareto(data["clients_abc"], NAME, A, B) == ""


OFFERS = [
    # name, sales, margin, market share
    ("Maintenance", 400000, 200000, 30),
    ("Formation", 100000, 60000, 12),
    ("Pièces", 300000, 30000, 5),
    ("Audit", 50000, 10000, 40),
]


def offers(world, rows=OFFERS):
    return add(
        world,
        "offers",
        [
            {"name": name, "sales": Decimal(sales), "margin": Decimal(margin)}
            | {"market_share": Decimal(market_share)}
            for name, sales, margin, market_share in rows
        ],
    )


def bubbles_of(svg):
    """Each bubble by its offer's name: its group's attributes and its circle."""
    found = {}
    for group in svg.iter("g"):
        if group.get("class") == "bubble":
            found[group.find("text").text] = (group, group.find("circle"))
    return found


def cell_at(svg, x, y):
    """The reading of the cell of the grid holding the point (x, y)."""
    for cell in svg.findall("rect[@class='cell']"):
        left, top = float(cell.get("x")), float(cell.get("y"))
        if left <= x < left + float(cell.get("width")) and top <= y < top + float(
            cell.get("height")
        ):
            return cell.get("data-reading")
    return None


def test_the_offers_sit_in_the_cells_their_share_and_margin_class_give(world):
    """By margin (300 000 €): Maintenance 66.7 % (before it 0 → A), Formation 20 % (before it
    66.7 % → A), Pièces 10 % (before it 86.7 % → B), Audit 3.3 % (before it 96.7 % → C).
    Strength: 30 % and 40 % strong, 12 % medium, 5 % weak. So Maintenance high × strong and
    Formation high × medium: invest; Pièces medium × weak: harvest; Audit low × strong: select.

    Across (columns of 140 from x 92, kept 6 inside): Maintenance (30 - 25) / 75 of the strong
    column, 372 + 6 + 128 × 0.067 = 386.5; Formation 2 / 15 of the medium one, 255.1; Pièces half
    the weak one, 162; Audit 15 / 75 of the strong one, 403.6. Areas follow the sales: radius
    26 × √(sales / 400 000): 26, 22.5, 13, 9.2. A bubble stays whole inside its column:
    Maintenance, radius 26, moves to 372 + 26 + 1 = 399."""
    data = offers(world)
    svg = svg_of(atouts_attraits(data["mckinsey"]))
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == (
        "Attractiveness–strength matrix of 4 offers: 2 to invest in, 1 to select, 1 to harvest"
    )
    bubbles = bubbles_of(svg)
    expected = {
        "Maintenance": ("strong", "high", "invest", "399.0", "26.0"),
        "Formation": ("medium", "high", "invest", "255.1", "13.0"),
        "Pièces": ("weak", "medium", "harvest", "162.0", "22.5"),
        "Audit": ("strong", "low", "select", "403.6", "9.2"),
    }
    for name, (strength, attractiveness, reading, cx, radius) in expected.items():
        group, circle = bubbles[name]
        assert group.get("data-strength") == strength, name
        assert group.get("data-attractiveness") == attractiveness, name
        assert group.get("data-reading") == reading, name
        assert (circle.get("cx"), circle.get("r")) == (cx, radius), name
        # Drawn inside the cell of its reading.
        assert cell_at(svg, float(cx), float(circle.get("cy"))) == reading, name
    radii = {name: float(circle.get("r")) for name, (_group, circle) in bubbles.items()}
    assert sorted(radii, key=radii.get, reverse=True) == [
        "Maintenance",
        "Pièces",
        "Formation",
        "Audit",
    ]
    assert math.isclose(radii["Pièces"] ** 2 / radii["Maintenance"] ** 2, 0.75, rel_tol=0.01)
    # The two offers of the top row are spread apart, not on one line.
    assert bubbles["Maintenance"][1].get("cy") != bubbles["Formation"][1].get("cy")
    texts = [text.text for text in svg.iter("text")]
    for words in [
        "Strength (market share in volume)",
        "Attractiveness (ABC class of the margin)",
        "Invest and grow",
        "Harvest or withdraw",
        "Weak (< 10%)",
        "Medium (10–25%)",
        "Strong (≥ 25%)",
        "High (A)",
        "Low (C)",
    ]:
        assert words in texts, words
    # Nine cells, each named by its reading.
    assert len(svg.findall("rect[@class='cell']")) == 9
    assert texts.count("Invest") == 3 and texts.count("Select") == 3


def test_offer_names_are_escaped_everywhere(world):
    hostile = "<script>alert(\"x\")</script> & 'co' \u202eesrever\u202c"
    data = offers(world, [(hostile, 1000, 500, 15)])
    markup = atouts_attraits(data["mckinsey"], lambda bubble: "/go?a=1&b=2")
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    svg = svg_of(markup)  # well-formed: no quote broke out of an attribute
    link = svg.find("a")
    assert link.get("href") == "/go?a=1&b=2"
    # The name isolated in the link's sentence: its override does not reverse PAC's words.
    assert link.get("aria-label") == f"Create a target: \u2068{hostile}\u2069"
    clients(world, [(hostile, 1000, 10)])
    chart = pareto(diagnosis_data(world.plan)["clients_abc"], NAME, A, B)
    assert "<script>" not in chart and "&lt;script&gt;" in chart
    svg_of(chart)


CHART = Template("{% load pac_charts %}{% atouts_attraits_chart mckinsey plan can_edit %}")


def test_bubbles_lead_to_a_new_target_only_for_an_editor(world):
    data = offers(world)
    clients(world, [("Durand", 50000, 10000)])
    data = diagnosis_data(world.plan)
    context = {"mckinsey": data["mckinsey"], "plan": world.plan}
    edited = CHART.render(Context(context | {"can_edit": True}))
    read = CHART.render(Context(context | {"can_edit": False}))
    create = reverse("pac:diagnosis-target-create", args=[world.plan.pk])
    svg = svg_of(edited)
    links = svg.findall("a")
    assert len(links) == 4
    pks = {offer.pk for offer in world.plan.offer_figures.all()}
    assert {link.get("href") for link in links} == {f"{create}?source=bubble-{pk}" for pk in pks}
    assert "Create a target: \u2068Maintenance\u2069" in {link.get("aria-label") for link in links}
    # Links inside an image would be hidden from screen readers: the chart is a group of them.
    assert svg.get("role") == "group"
    assert "<a " not in read and create not in read
    assert svg_of(read).get("role") == "img"
    # The tag hands back markup, not escaped text.
    assert edited.count("<svg ") == 1 and "&lt;svg" not in edited
