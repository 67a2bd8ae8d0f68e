"""Charts drawn on the server as SVG: no script, nothing to load, the same in a page and a PDF.

Colours are SVG attributes, not styles, so the strict Content Security Policy lets them through.
"""

import html
import math
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import dateformat, numberformat
from django.utils.formats import date_format, get_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from pac.core.display import euros, unit_for

COLOURS = {
    "on_track": "#198754",
    "at_risk": "#fd7e14",
    "off_track": "#dc3545",
    "unmeasured": "#adb5bd",
}
GRID = "#dee2e6"
TARGET = "#0d6efd"
SPENT = "#6f42c1"
IN_PLAY = "#9ec5fe"
# The key figures' objectives: reached, then by standing.
STANDING_COLOURS = {"reached": "#0f5132", **COLOURS}


def clamp(value, low=0, high=100):
    return max(low, min(high, float(value)))


def progress_bar(reached, due, standing):
    """A bar from 0 to 100 % filled to `reached`, with a tick where the pace says it should be."""
    label = (
        _("%(reached)s %% reached, %(due)s %% expected by now")
        % {"reached": number_format(reached, 1), "due": number_format(due, 1)}
        if reached is not None
        else _("not measured yet")
    )
    tick = (
        format_html(
            '<line x1="{0}" x2="{0}" y1="0" y2="12" stroke="#212529" stroke-width="0.8"/>',
            f"{clamp(due):.1f}",
        )
        if due is not None
        else ""
    )
    return format_html(
        '<svg class="chart-bar" viewBox="0 0 100 12" preserveAspectRatio="none" role="img" '
        'aria-label="{label}"><title>{label}</title>'
        '<rect x="0" y="2" width="100" height="8" rx="2" fill="{grid}"/>'
        '<rect x="0" y="2" width="{width}" height="8" rx="2" fill="{colour}"/>{tick}</svg>',
        label=label,
        grid=GRID,
        width=f"{clamp(reached or 0):.1f}",
        colour=COLOURS.get(standing, COLOURS["unmeasured"]),
        tick=tick,
    )


def number_formatter():
    """number_format(value.normalize(), use_l10n=True) for many values, the formats read once."""
    decimal_separator = get_format("DECIMAL_SEPARATOR")
    grouping = get_format("NUMBER_GROUPING")
    thousand_separator = get_format("THOUSAND_SEPARATOR")
    use_grouping = settings.USE_THOUSAND_SEPARATOR

    def number(value):
        return numberformat.format(
            Decimal(value).normalize(),
            decimal_separator,
            grouping=grouping,
            thousand_sep=thousand_separator,
            force_grouping=use_grouping,
        )

    return number


def values_table(caption, headers, rows):
    """The figures of a chart as a table only screen readers read: an image of a line or bars
    says nothing of its values. `rows` hold strings already escaped."""
    head = "".join(f'<th scope="col">{html.escape(str(header))}</th>' for header in headers)
    body = "".join(
        f'<tr><th scope="row">{first}</th>{"".join(f"<td>{cell}</td>" for cell in rest)}</tr>'
        for first, *rest in rows
    )
    # Hidden by a wrapper: a table sizes itself to its content whatever its own width says, and
    # would widen a phone's page.
    return mark_safe(
        f'<div class="visually-hidden"><table><caption>{html.escape(str(caption))}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def line_chart(points, target, start, end, unit="", name=""):
    """Values over time as a line, with the target as a dashed line across the period, and the
    values as a table for screen readers (named after `name`, the KPI)."""
    width, height, pad, left = 300, 120, 24, 44
    x, y, top = line_scales(points, target, start, end, width, height, pad, left)
    figures, dots = point_marks(points, unit, x, y)
    target_y = f"{y(target):.1f}"
    label = target_label(target, unit)
    return format_html(
        '<svg class="chart-line" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">{axis}'
        '<line x1="{p}" x2="{r}" y1="{b}" y2="{b}" stroke="{grid}"/>'
        '<line x1="{p}" x2="{r}" y1="{ty}" y2="{ty}" stroke="#198754" stroke-dasharray="4 3"/>'
        '<text x="{r}" y="{ly}" text-anchor="end" font-size="9" fill="#198754">{label}</text>'
        '<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="1.5"/>{dots}'
        '<text x="{p}" y="{h}" font-size="9" fill="#6c757d">{start}</text>'
        '<text x="{r}" y="{h}" font-size="9" fill="#6c757d" text-anchor="end">{end}</text>'
        "</svg>{table}",
        w=width,
        h=height - 4,
        axis=value_axis(y, top, left, width - pad),
        p=left,
        r=width - pad,
        b=height - pad,
        ty=target_y,
        ly=f"{float(target_y) - 3:.1f}",
        grid=GRID,
        label=label,
        line=" ".join(f"{x(day):.1f},{y(value):.1f}" for day, value in points),
        colour=TARGET,
        dots=dots,
        start=date_format(start, "SHORT_DATE_FORMAT"),
        end=date_format(end, "SHORT_DATE_FORMAT"),
        table=line_table(name, label, figures) if points else "",
    )


def line_scales(points, target, start, end, width, height, pad, left):
    """The x of a day and the y of a value, and the highest value drawn: the period across from
    `left`, from 0 to a little above the highest of the target and the values up."""
    values = [float(value) for _day, value in points]
    top = max([float(target), *values, 1]) * 1.15
    span = max((end - start).days, 1)

    def x(day):
        return left + (width - left - pad) * clamp((day - start).days / span, 0, 1)

    def y(value):
        return height - pad - (height - 2 * pad) * float(value) / top

    return x, y, top


def value_axis(y, top, left, right):
    """Grid lines at round values from 0 up, each named at the left: how high the line is."""
    number = number_formatter()
    return mark_safe(
        "".join(
            format_html(
                '<line x1="{l}" x2="{r}" y1="{y}" y2="{y}" stroke="{g}" stroke-width="0.5"/>'
                '<text x="{tx}" y="{ty}" font-size="8" text-anchor="end" fill="#495057">'
                "{v}</text>",
                l=left,
                r=right,
                y=f"{y(tick):.1f}",
                g=GRID,
                tx=left - 3,
                ty=f"{y(tick) + 3:.1f}",
                v=number(Decimal(str(tick))),
            )
            for tick in nice_ticks(top / 1.15, count=3)
            if tick <= top
        )
    )


def point_marks(points, unit, x, y):
    """Each value's date and figure as the reader writes them, and its dot on the line."""
    # A dot per value, with its date and figure on hover. Built as plain strings with the reader's
    # formats looked up once: format_html and number_format per point made a 24-value chart cost
    # ~3 ms, and a cockpit draws ten of them.
    short_date = get_format("SHORT_DATE_FORMAT")
    number = number_formatter()
    # "1 visite", "3 visites": the unit agrees with each figure, as everywhere else.
    figures = [
        (
            html.escape(dateformat.format(day, short_date)),
            f"{html.escape(number(value))} {html.escape(unit_for(value, unit))}",
        )
        for day, value in points
    ]
    dots = mark_safe(
        "".join(
            f'<circle cx="{x(day):.1f}" cy="{y(value):.1f}" r="2.5" fill="{TARGET}"><title>'
            f"{when} : {figure}</title></circle>"
            for (day, value), (when, figure) in zip(points, figures, strict=True)
        )
    )
    return figures, dots


def target_label(target, unit):
    return _("Target %(value)s %(unit)s") % {
        "value": number_format(Decimal(target).normalize(), use_l10n=True, force_grouping=True),
        "unit": unit,
    }


def line_table(name, label, figures):
    """The values of a line chart for screen readers, captioned by the KPI and its target."""
    return values_table(
        _("Values of “%(name)s”, %(target)s") % {"name": name, "target": label}
        if name
        else _("Values recorded, %(target)s") % {"target": label},
        [_("Date"), _("Value")],
        figures,
    )


def month_bars(rows, table=True):
    """Pipeline per month: the full bar is the amount still in play, the dark part the weighted
    forecast, against a value axis in euros and under a legend; its figures as a table for
    screen readers unless the page shows them already (`table`)."""
    if not rows:
        return mark_safe("")
    width, height, left, right = 420, 170, 62, 8
    key, key_height = legend(
        [(_("In play"), IN_PLAY), (_("Weighted forecast"), TARGET)], left, 2, width
    )
    top_y, bottom = key_height + 14, height - 16
    ticks = nice_ticks(max(float(amount) for _label, amount, _weighted in rows) or 1)
    top = ticks[-1] or 1

    def y(value):
        return bottom - (bottom - top_y) * float(value) / top

    axis = [
        format_html(
            '<line x1="{l}" x2="{r}" y1="{y}" y2="{y}" stroke="{g}"/>'
            '<text x="{tx}" y="{ty}" font-size="8" text-anchor="end" fill="#495057">{v}</text>',
            l=left,
            r=width - right,
            y=f"{y(tick):.1f}",
            g=GRID,
            tx=left - 4,
            ty=f"{y(tick) + 3:.1f}",
            v=euros(Decimal(str(tick))),
        )
        for tick in ticks
    ]
    step = (width - left - right) / len(rows)
    # A month label takes about 45 units: when months are many, every n-th one is named (each
    # bar still names its month on hover).
    every = math.ceil(len(rows) * 45 / (width - left - right))
    bars = []
    for index, (label, amount, weighted) in enumerate(rows):
        bar_left = left + index * step + step * 0.15
        bar_width = step * 0.7
        bars.append(
            format_html(
                '<rect x="{x}" y="{y1}" width="{w}" height="{h1}" fill="{light}">'
                "<title>{t}</title></rect>"
                '<rect x="{x}" y="{y2}" width="{w}" height="{h2}" fill="{c}"/>'
                '<text x="{cx}" y="{ty}" font-size="8" text-anchor="middle" fill="#495057">'
                "{label}</text>",
                x=f"{bar_left:.1f}",
                w=f"{bar_width:.1f}",
                y1=f"{y(amount):.1f}",
                h1=f"{bottom - y(amount):.1f}",
                y2=f"{y(weighted):.1f}",
                h2=f"{bottom - y(weighted):.1f}",
                light=IN_PLAY,
                c=TARGET,
                t=label,
                cx=f"{bar_left + bar_width / 2:.1f}",
                ty=height - 4,
                label=label if index % every == 0 else "",
            )
        )
    return format_html(
        '<svg class="chart-line" viewBox="0 0 {w} {h}" role="img" aria-label="{a}">{key}{axis}'
        "{bars}</svg>{table}",
        w=width,
        h=height,
        a=_("Pipeline per month"),
        key=key,
        axis=mark_safe("".join(axis)),
        bars=mark_safe("".join(bars)),
        table=values_table(
            _("Pipeline per month"),
            [_("Month"), _("In play"), _("Weighted")],
            [
                (html.escape(str(label)), html.escape(euros(amount)), html.escape(euros(weighted)))
                for label, amount, weighted in rows
            ],
        )
        if table
        else "",
    )


def timeline(lanes, first, last, today, url_of, row=20):
    """A Gantt chart: one bar per action from its start to its end, steps as ticks, a line for
    today, late actions in red, each bar a link to the action's sheet.

    Built as one SVG string: it stays fast and readable at hundreds of actions. A group, not an
    image, since it holds links: each link is named by its action, dates and lateness; the page
    lists the same actions as a table too. `row` is the height of a line (printed pages fit
    more of them).
    """
    width, label_width, head = 1100, 300, 34
    chart = width - label_width - 10
    days = (last - first).days + 1

    def x(day):
        return label_width + chart * clamp((day - first).days / days, 0, 1)

    rows = sum(1 + len(lane.actions) for lane in lanes)
    height = head + rows * row + 10
    parts = [
        format_html(
            '<svg class="timeline" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="group" '
            'aria-label="{a}">',
            w=width,
            h=height,
            a=_("Timeline of the actions"),
        ),
        month_lines(x, first, last, head - 10, height),
    ]
    y = head
    for lane in lanes:
        parts.append(
            format_html(
                '<text x="4" y="{y}" font-size="11" font-weight="bold" fill="#212529">'
                "{label}</text>",
                y=f"{y + row * 0.7:.1f}",
                label=lane.label or _("Nobody"),
            )
        )
        y += row
        for action in lane.actions:
            parts.append(action_bar(action, x, y, first, last, url_of(action), row))
            y += row
    if first <= today <= last:
        parts.append(
            format_html(
                '<line x1="{x}" x2="{x}" y1="{t}" y2="{b}" stroke="#dc3545" stroke-width="1.5"/>'
                '<text x="{tx}" y="{ly}" font-size="10" fill="#dc3545">{label}</text>',
                x=f"{x(today):.1f}",
                t=head - 12,
                b=height,
                tx=f"{x(today) + 3:.1f}",
                ly=head - 2,
                label=_("today"),
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


# The usual abbreviations of the months: French writes "janv.", "juil.", "sept." where Django's
# own ("N") gives "jan.", "jui." for both June and July in some versions.
MONTHS = (
    pgettext_lazy("month", "Jan."),
    pgettext_lazy("month", "Feb."),
    pgettext_lazy("month", "Mar."),
    pgettext_lazy("month", "Apr."),
    pgettext_lazy("month", "May"),
    pgettext_lazy("month", "Jun."),
    pgettext_lazy("month", "Jul."),
    pgettext_lazy("month", "Aug."),
    pgettext_lazy("month", "Sep."),
    pgettext_lazy("month", "Oct."),
    pgettext_lazy("month", "Nov."),
    pgettext_lazy("month", "Dec."),
)


def month_label(day):
    return str(MONTHS[day.month - 1])


def month_lines(x, first, last, top, bottom):
    """A line and a label at the start of each month of the timeline."""
    lines = []
    month = first.replace(day=1)
    while month <= last:
        if month >= first:
            lines.append(
                format_html(
                    '<line x1="{x}" x2="{x}" y1="{t}" y2="{b}" stroke="{g}"/>'
                    '<text x="{tx}" y="14" font-size="10" fill="#495057">{label}</text>',
                    x=f"{x(month):.1f}",
                    t=top,
                    b=bottom,
                    g=GRID,
                    tx=f"{x(month) + 3:.1f}",
                    label=f"{month_label(month)} {month.year}",
                )
            )
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return mark_safe("".join(lines))


def action_bar(action, x, y, first, last, url, row=20):
    """One action of the timeline: its name, its bar (a link to its sheet) and its steps."""
    start, end = max(action.start_date, first), min(action.end_date, last)
    late = action.is_late
    colour = (
        COLOURS["off_track"]
        if late
        else (COLOURS["on_track"] if action.status == "done" else TARGET)
    )
    # A bar 12 high on the screen's rows of 20, 9 on a printed row of 13; a step's diamond
    # a little taller than its bar.
    bar = min(12, row - 4)
    half = (bar + 2) / 2
    ticks = format_html_join(
        "",
        '<path d="M{} {} l{} {} l-{} {} l-{} -{} z" fill="#212529"><title>{}</title></path>',
        (
            (
                f"{x(step.due_date):.1f}",
                f"{y + row / 2 - half:.1f}",
                half * 0.8,
                half,
                half * 0.8,
                half,
                half * 0.8,
                half,
                step.title,
            )
            for step in action.steps.all()
            if first <= step.due_date <= last
        ),
    )
    return format_html(
        '<a href="{url}" class="timeline-row{late_class}">'
        "<title>{title} · {dates}{late}</title>"
        '<text x="12" y="{ty}" font-size="10" fill="#212529">{label}</text>'
        '<rect x="{bx}" y="{by}" width="{bw}" height="{bh}" rx="2" fill="{c}" '
        'fill-opacity="0.85"/></a>{ticks}',
        url=url,
        late_class=" late" if late else "",
        late=f" · {_('Late')}" if late else "",
        title=action.title,
        dates=f"{date_format(action.start_date, 'SHORT_DATE_FORMAT')} – "
        f"{date_format(action.end_date, 'SHORT_DATE_FORMAT')}",
        ty=y + row / 2 + 3,
        label=action.title if len(action.title) <= 48 else action.title[:47] + "…",
        bx=f"{x(start):.1f}",
        by=f"{y + (row - bar) / 2:.1f}",
        bh=bar,
        bw=f"{max(x(end + timedelta(days=1)) - x(start), 2):.1f}",
        c=colour,
        ticks=ticks,
    )


def nice_ticks(top, count=4):
    """Round values for a value axis from 0 to at least `top`: 0, 25 000, 50 000..."""
    top = float(top)
    if top <= 0:
        return [0, 1]
    rough = top / count
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(factor * magnitude for factor in (1, 2, 2.5, 5, 10) if factor * magnitude >= rough)
    return [step * index for index in range(math.ceil(top / step - 1e-9) + 1)]


def legend(entries, x, y, width, size=9):
    """Coloured squares and their labels [(label, colour)] from (x, y), on as many lines of
    `width` as they need: (the SVG, its height)."""
    parts, left, top = [], x, y
    for label, colour in entries:
        # DejaVu Sans runs about 0.6 of its size a character.
        room = size + 4 + len(str(label)) * size * 0.6 + 14
        if left > x and left + room > width:
            left, top = x, top + size + 6
        parts.append(
            format_html(
                '<rect x="{x}" y="{y}" width="{s}" height="{s}" fill="{c}"/>'
                '<text x="{tx}" y="{ty}" font-size="{f}" fill="#212529">{label}</text>',
                x=f"{left:.1f}",
                y=f"{top:.1f}",
                s=size,
                c=colour,
                tx=f"{left + size + 4:.1f}",
                ty=f"{top + size - 1:.1f}",
                f=size,
                label=label,
            )
        )
        left += room
    return mark_safe("".join(parts)), top + size - y


def hbars(groups, series, name, width=500, label_width=150, money=True):
    """Horizontal bars with a value axis: one row of bars per group [(label, [value per
    series])], a colour per series [(label, colour)] named in the legend, and each value
    written at the end of its bar. Amounts are in euros unless `money` is false."""
    if not groups:
        return mark_safe("")
    bar, gap, head = 12, 10, 22
    number = euros if money else (lambda value: number_format(value, use_l10n=True))
    values = [float(value) for _label, row in groups for value in row]
    chart = width - label_width - 60
    # As many ticks as their labels leave room for: "800 000 €" takes some 45 units.
    widest = len(number(Decimal(str(max(values + [0]))))) * 4.8 + 12
    ticks = nice_ticks(max(values + [0]) or 1, count=max(1, min(4, int(chart // widest) - 1)))
    top = ticks[-1] or 1

    def x(value):
        return label_width + chart * float(value) / top

    # One series needs no legend: the chart's heading names it.
    key, key_height = legend(series, label_width, 2, width) if len(series) > 1 else ("", 0)
    head += key_height - 9
    row = bar * len(series) + gap
    height = head + len(groups) * row + 22
    parts = [key]
    bottom = height - 18
    for tick in ticks:
        parts.append(
            format_html(
                '<line x1="{x}" x2="{x}" y1="{t}" y2="{b}" stroke="{g}"/>'
                '<text x="{x}" y="{ty}" font-size="8" text-anchor="middle" fill="#495057">'
                "{label}</text>",
                x=f"{x(tick):.1f}",
                t=head - 4,
                b=bottom,
                g=GRID,
                ty=bottom + 11,
                label=number(Decimal(str(tick))),
            )
        )
    y = head
    for label, row_values in groups:
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" font-size="9" text-anchor="end" fill="#212529">'
                "{label}</text>",
                x=label_width - 6,
                y=f"{y + bar * len(series) / 2 + 3:.1f}",
                label=shortened(label, int(label_width / 5.4)),
            )
        )
        for (_name, colour), value in zip(series, row_values, strict=True):
            parts.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}"/>'
                    '<text x="{tx}" y="{ty}" font-size="8" fill="#212529">{v}</text>',
                    x=label_width,
                    y=f"{y:.1f}",
                    w=f"{max(x(value) - label_width, 0.5):.1f}",
                    h=bar - 2,
                    c=colour,
                    tx=f"{x(value) + 3:.1f}",
                    ty=f"{y + bar - 4:.1f}",
                    v=number(value),
                )
            )
            y += bar
        y += gap
    return format_html(
        '<svg class="chart-bars" viewBox="0 0 {w} {h}" role="img" aria-label="{a}">{parts}</svg>',
        w=width,
        h=height,
        a=name,
        parts=mark_safe("".join(parts)),
    )


def shortened(text, length):
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def share_bar(segments, name, width=300):
    """One bar split into coloured shares, [(label, count, colour)], with a legend giving each
    label and count: how the plan's objectives stand."""
    total = sum(count for _label, count, _colour in segments)
    parts, left, usable = [], 0.0, width
    for _label, count, colour in segments:
        if not count:
            continue
        share = usable * count / total
        parts.append(
            format_html(
                '<rect x="{x}" y="0" width="{w}" height="18" fill="{c}"/>'
                '<text x="{tx}" y="13" font-size="10" text-anchor="middle" fill="#ffffff">'
                "{n}</text>",
                x=f"{left:.1f}",
                w=f"{share:.1f}",
                c=colour,
                tx=f"{left + share / 2:.1f}",
                n=count if share > 14 else "",
            )
        )
        left += share
    if not total:
        parts.append(
            format_html('<rect x="0" y="0" width="{w}" height="18" fill="{g}"/>', w=width, g=GRID)
        )
    key, key_height = legend(
        [(f"{label} ({count})", colour) for label, count, colour in segments], 0, 28, width
    )
    return format_html(
        '<svg class="chart-bars" viewBox="0 0 {w} {h}" role="img" aria-label="{a}">{parts}{key}'
        "</svg>",
        w=width,
        h=28 + key_height + 2,
        a=name,
        parts=mark_safe("".join(parts)),
        key=key,
    )


def timeline_legend(width=1100):
    """What the timeline's colours and marks mean."""
    key, height = legend(
        [
            (_("Planned or in progress"), TARGET),
            (_("Done"), COLOURS["on_track"]),
            (_("Late"), COLOURS["off_track"]),
        ],
        0,
        2,
        width * 0.6,
        size=10,
    )
    left = width * 0.6
    return format_html(
        '<svg class="timeline-legend" viewBox="0 0 {w} {h}" role="img" aria-label="{a}">{key}'
        '<path d="M{sx} 3 l4 5 l-4 5 l-4 -5 z" fill="#212529"/>'
        '<text x="{stx}" y="11" font-size="10" fill="#212529">{step}</text>'
        '<line x1="{tx}" x2="{tx}" y1="0" y2="14" stroke="#dc3545" stroke-width="1.5"/>'
        '<text x="{ttx}" y="11" font-size="10" fill="#212529">{today}</text></svg>',
        w=width,
        h=height + 6,
        a=_("Legend of the timeline"),
        key=key,
        sx=f"{left + 4:.0f}",
        stx=f"{left + 12:.0f}",
        step=_("Step due"),
        tx=f"{left + 150:.0f}",
        ttx=f"{left + 156:.0f}",
        today=_("Today"),
    )


def standalone(svg):
    """An SVG drawn for a page, as the bytes of an image file of its own."""
    return str(svg).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1).encode()
