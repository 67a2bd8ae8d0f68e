"""The diagnosis' charts, drawn on the server as SVG with pac.core.charts' helpers: the Pareto
curve of an ABC analysis and the attractiveness–strength (McKinsey) grid of the offer lines.

They take what pac.diagnosis.analysis computed and read nothing else; user text is escaped by
format_html, and an analysis with nothing to draw gives "" (the page says so in words).
"""

import html
import math
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pac.core.charts import GRID, TARGET, legend, number_formatter, values_table
from pac.core.display import euros, percent, share, shorten
from pac.core.text import plain
from pac.diagnosis import analysis
from pac.diagnosis.sources import attractiveness_words, strength_words

INK = "#212529"
MUTED = "#495057"
# Contrast against white, for the graphics (WCAG AA asks 3:1): the bars 4.5:1, the curve
# 6.6:1, the thresholds 8.2:1; on the zones' and cells' tints, at least 3.4:1, 5:1 and 6.1:1.
CURVE = "#a33a00"
THRESHOLD = MUTED
# The A, B and C zones of a Pareto chart: tints only, each zone is named in words too.
ZONES = {"A": "#e7f1ff", "B": "#fff4e5", "C": "#f1f3f5"}
# Beyond this many items, bars thinner than a line say nothing: the curve is drawn alone.
PARETO_BARS = 60

# The cells of the McKinsey grid by their reading, named in each cell and in the legend.
READING_TINTS = {
    analysis.INVEST: "#d1e7dd",
    analysis.SELECT: "#fff3cd",
    analysis.HARVEST: "#f8d7da",
}
BUBBLE = TARGET
BUBBLE_EDGE = "#0a3a80"
ROWS = ("high", "medium", "low")  # attractiveness, from the top
# Each column's range of market share, in %: the strong column takes 25 to 100 %.
COLUMNS = {
    "weak": (Decimal("0"), analysis.STRENGTH_MEDIUM),
    "medium": (analysis.STRENGTH_MEDIUM, analysis.STRENGTH_HIGH),
    "strong": (analysis.STRENGTH_HIGH, analysis.HUNDRED),
}


def reading_words():
    """A reading in one word, as each cell of the grid names it."""
    return analysis.READING_WORDS


def share_text(value):
    """A threshold or a share as typed: 80 %, 82,5 %."""
    return percent(Decimal(value).normalize())


def pareto(abc, name, class_a, class_b, width=520):
    """The Pareto chart of `abc` (an analysis.Abc), named `name` ("Courbe de Pareto du CA des
    clients") and described in words after it ("9 sur 20 font 82 % du total"): the items in rank
    order across, each one's share as a bar (up to PARETO_BARS items), the cumulative share as
    a curve from 0 to 100 % (at the right edge of each item: what the first k make), the class
    A and B thresholds as dashed lines, and the A, B and C zones shaded and named under the
    axis. Its figures by class as a table for screen readers."""
    ranked = abc.ranked
    if not ranked or not abc.total:
        return mark_safe("")
    count = len(ranked)
    left, right, top, bottom = 44, width - 64, 12, 190
    height = bottom + 34
    step = (right - left) / count

    def x(rank):
        return left + step * rank

    def y(value):
        return bottom - (bottom - top) * min(float(value), 100) / 100

    number = number_formatter()
    parts = []
    # The zones of the classes: ranks are in class order, A first.
    start = 0
    for summary in abc.classes:
        if not summary.count:
            continue
        zone_left, zone_right = x(start), x(start + summary.count)
        text = f"{summary.klass} ({summary.count})"
        parts.append(
            format_html(
                '<rect class="zone" data-class="{k}" x="{x}" y="{t}" width="{w}" height="{h}" '
                'fill="{c}"/>',
                k=summary.klass,
                x=f"{zone_left:.1f}",
                t=top,
                w=f"{zone_right - zone_left:.1f}",
                h=bottom - top,
                c=ZONES[summary.klass],
            )
        )
        # A zone too narrow for its name and count names its class alone, or nothing.
        room = zone_right - zone_left
        label = text if room >= len(text) * 5.4 + 4 else (summary.klass if room >= 8 else "")
        if label:
            parts.append(
                format_html(
                    '<text x="{x}" y="{y}" font-size="9" text-anchor="middle" '
                    'fill="{c}">{label}</text>',
                    x=f"{(zone_left + zone_right) / 2:.1f}",
                    y=bottom + 12,
                    c=INK,
                    label=label,
                )
            )
        if start:
            parts.append(
                format_html(
                    '<line x1="{x}" x2="{x}" y1="{t}" y2="{b}" stroke="{c}" stroke-width="0.5"/>',
                    x=f"{zone_left:.1f}",
                    t=top,
                    b=bottom,
                    c=MUTED,
                )
            )
        start += summary.count
    for tick in (0, 25, 50, 75, 100):
        parts.append(
            format_html(
                '<line x1="{l}" x2="{r}" y1="{y}" y2="{y}" stroke="{g}" stroke-width="0.5"/>'
                '<text x="{tx}" y="{ty}" font-size="8" text-anchor="end" fill="{c}">{v}</text>',
                l=left,
                r=right,
                y=f"{y(tick):.1f}",
                g=GRID,
                tx=left - 4,
                ty=f"{y(tick) + 3:.1f}",
                c=MUTED,
                v=f"{number(tick)}\xa0%",
            )
        )
    if count <= PARETO_BARS:
        parts.append(
            format_html_join(
                "",
                '<rect class="bar" x="{}" y="{}" width="{}" height="{}" fill="{}">'
                "<title>{}</title></rect>",
                (
                    (
                        f"{x(index) + step * 0.15:.1f}",
                        f"{y(item.share):.1f}",
                        f"{step * 0.7:.1f}",
                        f"{bottom - y(item.share):.1f}",
                        TARGET,
                        f"{item.rank}. {plain(item.name, multiline=False)} · {share(item.share)}",
                    )
                    for index, item in enumerate(ranked)
                ),
            )
        )
    points = curve_points(ranked, x, y, many=count > PARETO_BARS)
    parts.append(
        format_html(
            '<polyline class="cumulative" points="{p}" fill="none" stroke="{c}" '
            'stroke-width="2" stroke-linejoin="round"/>',
            p=" ".join(f"{px:.1f},{py:.1f}" for px, py in points),
            c=CURVE,
        )
    )
    if count <= PARETO_BARS:
        parts.append(
            format_html_join(
                "",
                '<circle cx="{}" cy="{}" r="2" fill="{}"/>',
                ((f"{px:.1f}", f"{py:.1f}", CURVE) for px, py in points[1:]),
            )
        )
    parts.append(thresholds(class_a, class_b, y, left, right))
    parts.append(
        format_html(
            '<line x1="{l}" x2="{l}" y1="{t}" y2="{b}" stroke="{c}"/>'
            '<line x1="{l}" x2="{r}" y1="{b}" y2="{b}" stroke="{c}"/>'
            '<text x="{cx}" y="{ty}" font-size="9" text-anchor="middle" fill="{m}">{title}'
            "</text>",
            l=left,
            r=right,
            t=top,
            b=bottom,
            c=MUTED,
            m=MUTED,
            cx=f"{(left + right) / 2:.1f}",
            ty=bottom + 27,
            title=_("%(count)s in rank order, the largest first") % {"count": number(count)},
        )
    )
    a = abc.of("A")
    label = _("%(name)s: %(count)s of %(total)s make %(share)s of the total") % {
        "name": name,
        "count": number(a.count),
        "total": number(count),
        "share": share(a.value_share),
    }
    return format_html(
        '<svg class="chart-pareto" viewBox="0 0 {w} {h}" role="img" aria-label="{a}">'
        "<title>{a}</title>{parts}</svg>{table}",
        w=width,
        h=height,
        a=label,
        parts=mark_safe("".join(parts)),
        table=pareto_table(abc, label),
    )


def curve_points(ranked, x, y, many):
    """The cumulative curve from (0, 0 %) through each item's cumulative share. For many items,
    the last point of each unit across only: the curve climbs and bends one way, so the points
    left out lie on it within a fraction of a unit, and 2,000 clients draw some 400 points."""
    points = [(x(0), y(0))]
    for index, item in enumerate(ranked, start=1):
        point = (x(index), y(item.cumulative))
        if many and index < len(ranked) and math.floor(point[0]) == math.floor(x(index + 1)):
            continue
        points.append(point)
    return points


def thresholds(class_a, class_b, y, left, right):
    """The A and B limits as dashed lines named at the right ("A 80 %"), their names kept
    apart when the limits are close."""
    a_y, b_y = y(class_a), y(class_b)
    gap = a_y - b_y
    a_label, b_label = a_y + 3, b_y + 3
    if gap < 10:
        a_label += (10 - gap) / 2
        b_label -= (10 - gap) / 2
    return format_html_join(
        "",
        '<line class="threshold" data-class="{}" x1="{}" x2="{}" y1="{}" y2="{}" '
        'stroke="{}" stroke-width="1" stroke-dasharray="4 3"/>'
        '<text x="{}" y="{}" font-size="9" fill="{}">{}</text>',
        (
            (klass, left, right, f"{line:.1f}", f"{line:.1f}", THRESHOLD, right + 4)
            + (f"{text_y:.1f}", INK, text)
            for klass, line, text_y, text in (
                ("A", a_y, a_label, f"A {share_text(class_a)}"),
                ("B", b_y, b_label, f"B {share_text(class_b)}"),
            )
        ),
    )


def pareto_table(abc, caption):
    """The chart's figures by class: how many items, and what share of the total they make."""
    rows = [
        (
            summary.klass,
            html.escape(f"{summary.count} ({share(summary.count_share)})"),
            html.escape(share(summary.value_share)),
        )
        for summary in abc.classes
    ]
    return values_table(
        caption,
        [_("Class"), _("Number"), _("Share of the total")],
        rows,
    )


def atouts_attraits(mckinsey, url_of=None, width=520):
    """The attractiveness–strength grid of the offer lines (an analysis.McKinsey): strength
    across (the market share, each bubble placed within its column by its share of the column's
    range), attractiveness up (the class by margin, A at the top), a bubble's area proportional
    to its sales, each of the nine cells tinted and named by its reading. With `url_of(bubble)`,
    each bubble is a link (to create a target from it), and the chart a group of links rather
    than an image."""
    bubbles = mckinsey.bubbles
    if not bubbles:
        return mark_safe("")
    readings = reading_words()
    key, key_height = legend(
        [(analysis.READING_LABELS[reading], tint) for reading, tint in READING_TINTS.items()],
        8,
        2,
        width,
    )
    left, right = 92, width - 8
    top = key_height + 12
    column, row = (right - left) / 3, 110
    bottom = top + 3 * row
    height = bottom + 34
    parts = [key]
    strengths, attractiveness = strength_words(), attractiveness_words()
    for row_index, level in enumerate(ROWS):
        for column_index, strength in enumerate(analysis.STRENGTHS):
            reading = analysis.READINGS[(level, strength)]
            cell_x, cell_y = left + column_index * column, top + row_index * row
            parts.append(
                format_html(
                    '<rect class="cell" data-reading="{r}" x="{x}" y="{y}" width="{w}" '
                    'height="{h}" fill="{c}" stroke="#adb5bd" stroke-width="0.5"/>'
                    '<text x="{tx}" y="{ty}" font-size="8" fill="{m}">{label}</text>',
                    r=reading,
                    x=f"{cell_x:.1f}",
                    y=cell_y,
                    w=f"{column:.1f}",
                    h=row,
                    c=READING_TINTS[reading],
                    tx=f"{cell_x + 4:.1f}",
                    ty=cell_y + 10,
                    m=MUTED,
                    label=readings[reading],
                )
            )
        klass = next(k for k, a in analysis.ATTRACTIVENESS.items() if a == level)
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" font-size="9" text-anchor="end" fill="{c}">{label}</text>',
                x=left - 5,
                y=top + row_index * row + row / 2 + 3,
                c=INK,
                label=f"{capfirst(attractiveness[level])} ({klass})",
            )
        )
    for column_index, strength in enumerate(analysis.STRENGTHS):
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" font-size="9" text-anchor="middle" fill="{c}">{label}'
                "</text>",
                x=f"{left + column_index * column + column / 2:.1f}",
                y=bottom + 12,
                c=INK,
                label=f"{capfirst(strengths[strength])} ({column_range(strength)})",
            )
        )
    parts.append(
        format_html(
            '<text x="{cx}" y="{by}" font-size="9" font-weight="bold" text-anchor="middle" '
            'fill="{c}">{x_title}</text>'
            '<text x="0" y="0" transform="translate(12 {cy}) rotate(-90)" font-size="9" '
            'font-weight="bold" text-anchor="middle" fill="{c}">{y_title}</text>',
            cx=f"{(left + right) / 2:.1f}",
            by=bottom + 28,
            cy=f"{(top + bottom) / 2:.1f}",
            c=INK,
            x_title=_("Strength (market share in volume)"),
            y_title=_("Attractiveness (ABC class of the margin)"),
        )
    )
    placed = places(bubbles, left, top, column, row)
    largest = max((float(bubble.sales) for bubble in bubbles), default=0) or 1
    # Largest first: a small bubble is drawn over a large one, never hidden under it.
    for bubble in bubbles:
        cx, cy = placed[id(bubble)]
        radius = max(3.0, 26 * math.sqrt(max(float(bubble.sales), 0) / largest))
        # Inside its own column, whole: at 100 % or at a column's edge, a bubble still reads as
        # in its cell.
        column_left = left + analysis.STRENGTHS.index(bubble.strength) * column
        cx = min(max(cx, column_left + radius + 1), column_left + column - radius - 1)
        row_top = top + ROWS.index(bubble.attractiveness) * row
        parts.append(
            bubble_mark(bubble, cx, cy, radius, row_top, row, left, right, url_of, readings)
        )
    return format_html(
        '<svg class="chart-mckinsey" viewBox="0 0 {w} {h}" role="{role}" aria-label="{a}">'
        "<title>{a}</title>{parts}</svg>{table}",
        w=width,
        h=height,
        role="group" if url_of else "img",
        a=mckinsey_label(bubbles),
        parts=mark_safe("".join(parts)),
        table=mckinsey_table(bubbles, readings),
    )


def column_range(strength):
    """ "< 10 %", "10–25 %", "≥ 25 %": the market shares of a column."""
    low, high = COLUMNS[strength]
    if not low:
        return f"< {share_text(high)}"
    if high == analysis.HUNDRED:
        return f"≥ {share_text(low)}"
    return f"{Decimal(low).normalize():f}–{share_text(high)}"


def places(bubbles, left, top, column, row):
    """Each bubble's centre by id(): across, its market share within its column's range (kept a
    little inside the column); up, its row, the bubbles of a row spread from top to bottom in
    the order of their share, one high, the next low, so that neighbours do not sit on each
    other."""
    pad = 6
    centres = {}
    for bubble in bubbles:
        low, high = COLUMNS[bubble.strength]
        fraction = min(max((bubble.market_share - low) / (high - low), 0), 1)
        column_left = left + analysis.STRENGTHS.index(bubble.strength) * column
        centres[id(bubble)] = column_left + pad + (column - 2 * pad) * float(fraction)
    placed = {}
    for row_index, level in enumerate(ROWS):
        members = sorted(
            (bubble for bubble in bubbles if bubble.attractiveness == level),
            key=lambda bubble: (centres[id(bubble)], bubble.offer.name),
        )
        count = len(members)
        for index, bubble in enumerate(members):
            slot = index // 2 if index % 2 == 0 else count - 1 - index // 2
            fraction = (slot + 1) / (count + 1)
            placed[id(bubble)] = (
                centres[id(bubble)],
                top + row_index * row + 16 + (row - 32) * fraction,
            )
    return placed


def bubble_mark(bubble, cx, cy, radius, row_top, row, left, right, url_of, readings):
    """A bubble with its offer's name under it (over it at the bottom of its row), and its
    figures as its title; a link to create a target from it when `url_of` is given."""
    name = plain(bubble.offer.name, multiline=False)
    label = shorten(name, 18)
    text_y = cy + radius + 9
    if text_y > row_top + row - 2:
        text_y = cy - radius - 3
    half = len(label) * 2.5 + 2
    text_x = min(max(cx, left + half), right - half)
    details = _(
        "%(name)s: market share %(market_share)s, class %(klass)s by margin, sales %(sales)s. "
        "%(reading)s"
    ) % {
        "name": name,
        "market_share": share(bubble.market_share),
        "klass": bubble.klass,
        "sales": euros(bubble.sales),
        "reading": bubble.reading_label,
    }
    mark = format_html(
        '<g class="bubble" data-offer="{pk}" data-strength="{s}" data-attractiveness="{a}" '
        'data-reading="{r}"><title>{title}</title>'
        '<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{fill}" fill-opacity="0.8" '
        'stroke="{edge}" stroke-width="1"/>'
        '<text x="{tx}" y="{ty}" font-size="8" text-anchor="middle" fill="{ink}">{label}</text>'
        "</g>",
        pk=bubble.offer.pk,
        s=bubble.strength,
        a=bubble.attractiveness,
        r=bubble.reading,
        title=details,
        cx=f"{cx:.1f}",
        cy=f"{cy:.1f}",
        radius=f"{radius:.1f}",
        fill=BUBBLE,
        edge=BUBBLE_EDGE,
        tx=f"{text_x:.1f}",
        ty=f"{text_y:.1f}",
        ink=INK,
        label=label,
    )
    if url_of is None:
        return mark
    # The name isolated (FSI … PDI) in the sentence: a right-to-left name leaves PAC's words be.
    return format_html(
        '<a href="{url}" class="bubble-link" aria-label="{name}">{mark}</a>',
        url=url_of(bubble),
        name=_("Create a target: %(name)s") % {"name": f"\u2068{name}\u2069"},
        mark=mark,
    )


def mckinsey_label(bubbles):
    counts = dict.fromkeys(READING_TINTS, 0)
    for bubble in bubbles:
        counts[bubble.reading] += 1
    return ngettext(
        "Attractiveness–strength matrix of %(count)s offer: %(invest)s to invest in, "
        "%(select)s to select, %(harvest)s to harvest",
        "Attractiveness–strength matrix of %(count)s offers: %(invest)s to invest in, "
        "%(select)s to select, %(harvest)s to harvest",
        len(bubbles),
    ) % {
        "count": len(bubbles),
        "invest": counts[analysis.INVEST],
        "select": counts[analysis.SELECT],
        "harvest": counts[analysis.HARVEST],
    }


def mckinsey_table(bubbles, readings):
    """Each offer's market share, class by margin, sales and reading, for screen readers."""
    rows = [
        (
            html.escape(plain(bubble.offer.name, multiline=False)),
            html.escape(share(bubble.market_share)),
            html.escape(bubble.klass),
            html.escape(euros(bubble.sales)),
            html.escape(str(readings[bubble.reading])),
        )
        for bubble in bubbles
    ]
    return values_table(
        _("Offers on the attractiveness–strength matrix"),
        [_("Offer"), _("Market share"), _("Class by margin"), _("Sales"), _("Reading")],
        rows,
    )
