"""The synthesis of the PAC as an editable PowerPoint (python-pptx), for the review meeting.

The same sections as the printed synthesis, from the same figures (pac.documents.synthesis), laid
out as 16:9 slides that a manager reworks in PowerPoint before the meeting: every title is the
slide's title placeholder (PowerPoint's outline and its accessibility checker read it), tables are
native tables and charts native charts, their figures editable in the embedded workbook.
"""

import io
import textwrap
from dataclasses import dataclass, replace
from datetime import date

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from pac.core.charts import COLOURS, GRID, IN_PLAY, SPENT, TARGET
from pac.core.display import euros, percent, quantity, shorten
from pac.core.text import plain
from pac.documents.synthesis import synthesis
from pac.planning import calendars
from targets.models import Assessment
from targets.progress import Standing

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
CONTENT_WIDTH = WIDTH - 2 * MARGIN
CONTENT_TOP = Inches(1.35)
CONTENT_BOTTOM = Inches(7.05)
# The default template's layouts: a cover with a subtitle, and a title over free space.
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5
TITLE_SIZE, BODY_SIZE, TABLE_SIZE, SMALL_SIZE = Pt(28), Pt(14), Pt(12), Pt(11)
ROW = Inches(0.36)
# A chart on the left of the slide, its table on the right.
CHART_WIDTH = Inches(6)
SIDE_TABLE_LEFT = MARGIN + CHART_WIDTH + Inches(0.2)
SIDE_TABLE_WIDTH = CONTENT_WIDTH - CHART_WIDTH - Inches(0.2)
# Lines of a table on one slide, under its header: at 12 pt they end above the slide's foot.
TABLE_ROWS = 12
# Actions of one slide of the planning: at most 15 stay readable beside their bars.
PLANNING_ROWS = 15
TEXT = RGBColor.from_string("212529")
MUTED = RGBColor.from_string("6C757D")
WHITE = RGBColor.from_string("FFFFFF")
LATE = RGBColor.from_string(COLOURS["off_track"].lstrip("#"))
DASH = "—"


def rgb(colour):
    return RGBColor.from_string(colour.lstrip("#"))


def line_of(value, length):
    """User text on one line of at most `length` characters, cut with "…": a slide does not grow
    to fit a long title as a page does."""
    return shorten(plain(str(value or ""), multiline=False), length)


def excerpt(value, lines, length):
    """The first `lines` lines of a user's text wrapped at `length` characters, "…" where some
    was left out: a review's decisions fit in their box, the whole text stays in the app."""
    kept = [
        wrapped
        for line in plain(str(value or "")).splitlines()
        if line.strip()
        for wrapped in textwrap.wrap(line, length)
    ]
    if len(kept) > lines:
        kept = kept[:lines]
        kept[-1] = kept[-1].rstrip("…") + "…"
    return kept


def day(value):
    return date_format(value, "SHORT_DATE_FORMAT")


def span(start, end):
    return f"{day(start)} – {day(end)}"


def euro_format():
    """The Excel number format of the charts' amounts, as `euros` writes them."""
    if (get_language() or "fr").startswith("fr"):
        return '#,##0"\u00a0€"'
    return '"€"#,##0'


def continued(title, index, count):
    """A section spread over several slides says which one each is: "Budget (2/3)"."""
    return title if count == 1 else f"{title} ({index}/{count})"


def chunks(rows, size):
    return [rows[index : index + size] for index in range(0, len(rows), size)] or [[]]


@dataclass
class Line:
    """A paragraph of a text box or a cell, with its look."""

    text: str
    size: Pt = BODY_SIZE
    bold: bool = False
    colour: RGBColor = TEXT
    align: PP_ALIGN | None = None


def write(frame, lines):
    """Replace the text of a frame by these paragraphs (plain strings take the body's look)."""
    frame.word_wrap = True
    frame.text = ""
    for index, line in enumerate(lines):
        if not isinstance(line, Line):
            line = Line(str(line))
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = line.align
        run = paragraph.add_run()
        run.text = str(line.text)
        run.font.size, run.font.bold = line.size, line.bold
        run.font.color.rgb = line.colour


def text_box(slide, lines, left, top, width, height):
    box = slide.shapes.add_textbox(left, top, width, height)
    write(box.text_frame, lines)
    return box


def titled_slide(deck, title):
    """A slide whose title is its title placeholder, set across the 16:9 width: the default
    template's layouts are drawn for 4:3."""
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    heading = slide.shapes.title
    heading.left, heading.top, heading.width, heading.height = (
        MARGIN,
        Inches(0.3),
        CONTENT_WIDTH,
        Inches(0.9),
    )
    write(heading.text_frame, [Line(line_of(title, 70), TITLE_SIZE, bold=True)])
    return slide


def table(slide, header, rows, widths, *, left=MARGIN, top=CONTENT_TOP, width=CONTENT_WIDTH):
    """A native table: `header` (or None) then the rows, one line each, cells given as text or
    Line; `widths` are the columns' shares of `width`, and amounts (Line with align) sit right."""
    lines = ([header] if header else []) + rows
    shape = slide.shapes.add_table(len(lines), len(widths), left, top, width, ROW * len(lines))
    grid = shape.table
    grid.first_row = header is not None
    for index, share in enumerate(widths):
        grid.columns[index].width = Emu(int(width * share))
    for row_index, values in enumerate(lines):
        grid.rows[row_index].height = ROW
        for column, value in enumerate(values):
            cell = grid.cell(row_index, column)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            cell.margin_left = cell.margin_right = Inches(0.05)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            if not isinstance(value, Line):
                value = Line(str(value))
            value = replace(value, size=TABLE_SIZE)
            if header is not None and row_index == 0:
                value = replace(value, bold=True, colour=WHITE)
            write(cell.text_frame, [value])
    return grid


def amount(value, **look):
    return Line(euros(value), align=PP_ALIGN.RIGHT, **look)


def right(text, **look):
    return Line(text, align=PP_ALIGN.RIGHT, **look)


def table_slides(deck, title, header, rows, widths, empty, per_slide=TABLE_ROWS):
    """A table over as many slides as it takes, its header on each; the `empty` sentence on a
    single slide when there is no row."""
    parts = chunks(rows, per_slide)
    for index, part in enumerate(parts, start=1):
        slide = titled_slide(deck, continued(title, index, len(parts)))
        if part:
            table(slide, header, part, widths)
        else:
            text_box(slide, [Line(empty, colour=MUTED)], MARGIN, CONTENT_TOP, CONTENT_WIDTH, ROW)


def bar_chart(slide, kind, categories, series, box):
    """A native chart of amounts, one series per (name, values, colour), labelled with their
    euros: PowerPoint opens its workbook to edit the figures."""
    data = CategoryChartData(number_format=euro_format())
    data.categories = [str(category) for category in categories]
    for name, values, _colour in series:
        data.add_series(str(name), [float(value) for value in values])
    chart = slide.shapes.add_chart(kind, *box, data).chart
    chart.font.size = SMALL_SIZE
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    plot = chart.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format, labels.number_format_is_linked = euro_format(), False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    for drawn, (_name, _values, colour) in zip(plot.series, series, strict=True):
        drawn.format.fill.solid()
        drawn.format.fill.fore_color.rgb = rgb(colour)
    chart.value_axis.tick_labels.number_format = euro_format()
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.value_axis.has_major_gridlines = True
    return chart


def cover_slide(deck, plan, reader, today):
    """The plan, its team, period and status, the day of the figures and who they were made for."""
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    heading, subtitle = slide.shapes.title, slide.placeholders[1]
    heading.left, heading.top, heading.width, heading.height = (
        MARGIN,
        Inches(1.0),
        CONTENT_WIDTH,
        Inches(1.4),
    )
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = (
        MARGIN,
        Inches(2.4),
        CONTENT_WIDTH,
        Inches(0.6),
    )
    write(heading.text_frame, [Line(line_of(plan.title, 60), Pt(40), bold=True)])
    kind = f"{_('Commercial action plan')} · {_('Synthesis')}"
    write(subtitle.text_frame, [Line(kind, Pt(20), colour=MUTED)])
    facts = [
        (_("Team"), line_of(plan.team, 50)),
        (_("Period"), span(plan.period_start, plan.period_end)),
        (_("Status"), plan.get_status_display()),
        (_("Envelope"), euros(plan.budget_envelope)),
        (_("Figures as of"), day(today)),
        (_("Prepared for"), line_of(reader, 50)),
    ]
    table(
        slide,
        None,
        [[Line(label, bold=True), value] for label, value in facts],
        (0.3, 0.7),
        left=Inches(3.2),
        top=Inches(3.4),
        width=Inches(7),
    )


def card(slide, left, top, label, figure, details, colour=TEXT):
    """One key figure in its frame: what it is, the figure, what it is set against."""
    frame = slide.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, left, top, (CONTENT_WIDTH - Inches(0.3)) // 2, Inches(2.45)
    )
    frame.fill.solid()
    frame.fill.fore_color.rgb = RGBColor.from_string("F8F9FA")
    frame.line.color.rgb = rgb(GRID)
    frame.shadow.inherit = False
    text = frame.text_frame
    text.vertical_anchor = MSO_ANCHOR.TOP
    text.margin_left = text.margin_right = text.margin_top = Inches(0.2)
    write(
        text,
        [
            Line(label, colour=MUTED, align=PP_ALIGN.LEFT),
            Line(figure, Pt(32), bold=True, colour=colour, align=PP_ALIGN.LEFT),
            *details,
        ],
    )


def figures_slide(deck, figures, envelope_overrun, today):
    """The key figures the meeting opens on: objectives by standing, budget, pipeline, lateness."""
    slide = titled_slide(deck, _("Key figures"))
    half = (CONTENT_WIDTH + Inches(0.3)) // 2
    second_row = CONTENT_TOP + Inches(2.65)

    def detail(text, colour=TEXT):
        return Line(text, Pt(13), colour=colour, align=PP_ALIGN.LEFT)

    card(
        slide,
        MARGIN,
        CONTENT_TOP,
        _("Objectives"),
        str(figures.objective_count),
        # The groups with some objectives, best first: the empty ones would crowd the card.
        [
            detail(_("%(label)s: %(count)s") % {"label": label, "count": count})
            for _key, label, count in figures.objectives
            if count
        ]
        or [detail(_("No objective yet."), MUTED)],
    )
    budget = [
        detail(
            _("planned, %(spent)s spent, for an envelope of %(envelope)s")
            % {"spent": euros(figures.spent), "envelope": euros(figures.envelope)}
        )
    ]
    if envelope_overrun:
        budget.append(
            detail(_("%(amount)s over the envelope") % {"amount": euros(envelope_overrun)}, LATE)
        )
    card(slide, MARGIN + half, CONTENT_TOP, _("Budget"), euros(figures.planned), budget)
    if figures.to_win is None:
        coverage = _("No revenue objective with a figure: nothing to compare the pipeline with.")
    else:
        coverage = _("for %(left)s left to win: a coverage of %(coverage)s") % {
            "left": euros(figures.to_win),
            "coverage": percent(figures.coverage) if figures.coverage is not None else DASH,
        }
    card(
        slide,
        MARGIN,
        second_row,
        _("Weighted pipeline"),
        euros(figures.pipeline),
        [detail(coverage)],
    )
    late = ngettext(
        "%(late)s late out of %(counter)s action",
        "%(late)s late out of %(counter)s actions",
        figures.actions,
    ) % {"late": figures.late, "counter": figures.actions}
    card(
        slide,
        MARGIN + half,
        second_row,
        _("Late actions"),
        str(figures.late),
        [detail(late)],
        LATE if figures.late else TEXT,
    )
    note = _(
        "As of %(day)s. On track: at most 10 points behind the expected pace; at risk: at most "
        "25; off track beyond. Weighted pipeline: the open deals, each counted at its probability."
    ) % {"day": day(today)}
    text_box(
        slide,
        [Line(note, SMALL_SIZE, colour=MUTED)],
        MARGIN,
        CONTENT_BOTTOM - Inches(0.4),
        CONTENT_WIDTH,
        Inches(0.4),
    )


def objective_row(target, item):
    """An objective against its target value, as the cockpit reads it."""
    objective = item.objective
    if item.actual is not None:
        actual = quantity(item.actual, objective.unit)
    elif item.assessment:
        actual = Assessment.verdict_label(item.assessment[0])
    else:
        actual = DASH
    return [
        line_of(target.name, 26),
        line_of(objective.title, 44),
        right(quantity(objective.target_value, objective.unit) or DASH),
        right(actual),
        right(percent(item.attainment) if item.attainment is not None else DASH),
        Line(Standing(item.standing).label, colour=rgb(COLOURS.get(item.standing, GRID))),
    ]


def objectives_slides(deck, targets):
    """Every target's objectives: target value, actual, % of the way reached, standing."""
    rows = []
    for target in targets:
        if not target.progress:
            rows.append(
                [
                    line_of(target.name, 26),
                    Line(_("No objective set for this target yet."), colour=MUTED),
                    "",
                    "",
                    "",
                    "",
                ]
            )
        rows += [objective_row(target, item) for item in target.progress]
    table_slides(
        deck,
        _("Targets and objectives"),
        [
            _("Target"),
            _("Objective"),
            right(capfirst(_("target value"))),
            right(_("Actual")),
            right(_("Reached")),
            _("Standing"),
        ],
        rows,
        (0.17, 0.29, 0.13, 0.13, 0.09, 0.19),
        _("No target chosen yet."),
    )


def action_status(action, late):
    """Late first, in red, then the status and how far along: what the meeting asks about."""
    text = f"{action.get_status_display()} · {percent(action.progress)}"
    if late:
        return Line(f"{_('Late')} · {percent(action.progress)}", colour=LATE)
    return Line(text)


def actions_slides(deck, domains):
    """The actions of each domain, by owner, a table of at most TABLE_ROWS a slide."""
    header = [
        _("Action"),
        _("Owner"),
        _("Dates"),
        _("Status"),
        right(pgettext("budget", "Planned")),
    ]
    widths = (0.34, 0.16, 0.17, 0.22, 0.11)
    if not domains:
        table_slides(deck, _("Actions by domain"), header, [], widths, _("No action yet."))
    for domain in domains:
        rows = [
            [
                line_of(action.title, 54),
                line_of(rep.label, 24),
                span(action.start_date, action.end_date),
                action_status(action, action.is_late),
                amount(action.budget_planned),
            ]
            for rep in domain.reps
            for action in rep.actions
        ]
        title = f"{_('Actions by domain')} · {domain.label}"
        table_slides(deck, title, header, rows, widths, _("No action in this domain."))


def months_of(first, last):
    """The first day of each month the period touches."""
    month, months = first.replace(day=1), []
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def rectangle(slide, left, top, width, height, colour):
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, max(width, Inches(0.05)), height)
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(colour)
    shape.line.fill.background()
    shape.shadow.inherit = False
    return shape


def rule(slide, x, top, bottom, colour, width):
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, x, top, x, bottom)
    line.line.color.rgb = rgb(colour)
    line.line.width = width
    return line


def gantt(slide, actions, first, last, today):
    """The actions as bars over the period, as on the timeline page: a line per month, late in
    red, done in green, today's line; drawn with plain shapes that PowerPoint moves and recolours.
    """
    label_width = Inches(4.2)
    left = MARGIN + label_width + Inches(0.1)
    width = CONTENT_WIDTH - label_width - Inches(0.1)
    days = (last - first).days + 1
    top = CONTENT_TOP + Inches(0.4)
    bottom = top + ROW * len(actions)

    def x(moment):
        return left + int(width * min(max((moment - first).days / days, 0), 1))

    months = months_of(first, last)
    # One label in `step` when the months are too many for theirs to fit side by side.
    step = -(-len(months) // 12)
    label_room = Emu(int(width * 31 * step / days))
    for index, month in enumerate(months):
        start = max(month, first)
        rule(slide, x(start), CONTENT_TOP, bottom, GRID, Pt(0.75))
        if index % step == 0:
            text_box(
                slide,
                [Line(date_format(month, "N Y"), Pt(10), colour=MUTED)],
                x(start),
                CONTENT_TOP,
                # The label of a month cut by the period's end may run into the margin, no further.
                min(label_room, WIDTH - x(start)),
                Inches(0.3),
            )
    for row, action in enumerate(actions):
        y = top + ROW * row
        text_box(slide, [Line(line_of(action.title, 56), SMALL_SIZE)], MARGIN, y, label_width, ROW)
        if action.is_late:
            colour = COLOURS["off_track"]
        elif action.status == action.Status.DONE:
            colour = COLOURS["on_track"]
        else:
            colour = TARGET
        start, end = max(action.start_date, first), min(action.end_date, last)
        bar_left = x(start)
        bar_right = x(end) + int(width / days)
        rectangle(
            slide, bar_left, y + Inches(0.08), bar_right - bar_left, ROW - Inches(0.16), colour
        )
    if first <= today <= last:
        rule(slide, x(today), CONTENT_TOP, bottom, COLOURS["off_track"], Pt(1.5))
    legend(slide)


def legend(slide):
    """What the planning's colours mean, at the slide's foot."""
    left = MARGIN
    top = CONTENT_BOTTOM - Inches(0.3)
    for label, colour in [
        (_("Planned or in progress"), TARGET),
        (_("Done"), COLOURS["on_track"]),
        (_("Late"), COLOURS["off_track"]),
    ]:
        rectangle(slide, left, top + Inches(0.08), Inches(0.25), Inches(0.14), colour)
        text_box(slide, [Line(label, Pt(10))], left + Inches(0.3), top, Inches(2.6), Inches(0.3))
        left += Inches(2.9)
    rule(
        slide,
        left + Inches(0.12),
        top + Inches(0.04),
        top + Inches(0.26),
        COLOURS["off_track"],
        Pt(1.5),
    )
    text_box(slide, [Line(_("today"), Pt(10))], left + Inches(0.3), top, Inches(2), Inches(0.3))


def planning_slides(deck, lanes, first, last, today):
    """The planning by theme: a slide per domain, PLANNING_ROWS actions each at most."""
    title = _("Planning by theme")
    if not lanes:
        slide = titled_slide(deck, title)
        text_box(
            slide,
            [Line(_("No dated action in this span."), colour=MUTED)],
            MARGIN,
            CONTENT_TOP,
            CONTENT_WIDTH,
            ROW,
        )
    for lane in lanes:
        parts = chunks(lane.actions, PLANNING_ROWS)
        for index, part in enumerate(parts, start=1):
            slide = titled_slide(deck, continued(f"{title} · {lane.label}", index, len(parts)))
            gantt(slide, part, first, last, today)


def budget_slide(deck, plan, data):
    """Planned against spent by domain, as a native chart beside its table, against the
    envelope."""
    slide = titled_slide(deck, _("Budget"))
    total = data["budget_total"]
    summary = [
        Line(
            _("%(planned)s planned and %(actual)s spent, for an envelope of %(envelope)s.")
            % {
                "planned": euros(total.planned),
                "actual": euros(total.actual),
                "envelope": euros(plan.budget_envelope),
            }
        )
    ]
    if data["envelope_overrun"]:
        summary.append(
            Line(
                _("%(amount)s over the envelope") % {"amount": euros(data["envelope_overrun"])},
                bold=True,
                colour=LATE,
            )
        )
    text_box(slide, summary, MARGIN, CONTENT_TOP, CONTENT_WIDTH, Inches(0.7))
    if not data["figures"].actions:
        text_box(
            slide,
            [Line(_("No action yet."), colour=MUTED)],
            MARGIN,
            CONTENT_TOP + Inches(0.8),
            CONTENT_WIDTH,
            ROW,
        )
        return
    lines = data["budget_domains"]
    top = CONTENT_TOP + Inches(0.8)
    chart = bar_chart(
        slide,
        XL_CHART_TYPE.BAR_CLUSTERED,
        [line.label for line in lines],
        [
            (pgettext("budget", "Planned"), [line.planned for line in lines], TARGET),
            (_("Spent"), [line.actual for line in lines], SPENT),
        ],
        (MARGIN, top, CHART_WIDTH, CONTENT_BOTTOM - top),
    )
    # Bars read top down in the order of the table beside them.
    chart.category_axis.reverse_order = True
    rows = [
        [
            line_of(line.label, 24),
            amount(line.planned),
            amount(line.actual),
            amount(line.overrun, colour=LATE) if line.overrun else right(DASH),
        ]
        for line in lines
    ]
    rows.append(
        [
            Line(_("Total"), bold=True),
            amount(total.planned, bold=True),
            amount(total.actual, bold=True),
            amount(total.overrun, bold=True, colour=LATE) if total.overrun else right(DASH),
        ]
    )
    table(
        slide,
        ["", right(pgettext("budget", "Planned")), right(_("Spent")), right(_("Overrun"))],
        rows,
        (0.37, 0.21, 0.21, 0.21),
        left=SIDE_TABLE_LEFT,
        top=top,
        width=SIDE_TABLE_WIDTH,
    )


def pipeline_slides(deck, data):
    """The carnet by month of its milestones, in play against weighted, as a native column chart
    beside its table; months past the table's room continue on the next slides."""
    title = _("Pipeline by month")
    months = data["deals_by_month"]
    if not months:
        slide = titled_slide(deck, title)
        text_box(
            slide,
            [Line(_("No deal in the carnet yet."), colour=MUTED)],
            MARGIN,
            CONTENT_TOP,
            CONTENT_WIDTH,
            ROW,
        )
        return
    count = data["deals_count"]
    forecast = ngettext(
        "%(counter)s deal in the carnet; forecast",
        "%(counter)s deals in the carnet; forecast",
        count,
    ) % {"counter": count}
    rows = [
        [capfirst(label), amount(in_play), amount(weighted)] for label, in_play, weighted in months
    ]
    header = [_("Month"), right(_("In play")), right(_("Forecast"))]
    parts = chunks(rows, TABLE_ROWS - 1)
    slide = titled_slide(deck, continued(title, 1, len(parts)))
    text_box(
        slide,
        [Line(f"{forecast} {euros(data['deals_weighted_total'])}", bold=True)],
        MARGIN,
        CONTENT_TOP,
        CONTENT_WIDTH,
        Inches(0.4),
    )
    top = CONTENT_TOP + Inches(0.5)
    note = CONTENT_BOTTOM - Inches(0.45)
    bar_chart(
        slide,
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        [capfirst(label) for label, _in_play, _weighted in months],
        [
            (_("In play"), [in_play for _label, in_play, _weighted in months], IN_PLAY),
            (_("Weighted forecast"), [weighted for _label, _in_play, weighted in months], TARGET),
        ],
        (MARGIN, top, CHART_WIDTH, note - top),
    )
    box = {"left": SIDE_TABLE_LEFT, "top": top, "width": SIDE_TABLE_WIDTH}
    table(slide, header, parts[0], (0.44, 0.28, 0.28), **box)
    text_box(
        slide,
        [
            Line(
                _(
                    "In play: the amount of the deals of the month not lost. Forecast: won deals "
                    "counted whole, open ones weighted by their probability."
                ),
                SMALL_SIZE,
                colour=MUTED,
            )
        ],
        MARGIN,
        note,
        CONTENT_WIDTH,
        Inches(0.45),
    )
    for index, part in enumerate(parts[1:], start=2):
        slide = titled_slide(deck, continued(title, index, len(parts)))
        table(slide, header, part, (0.44, 0.28, 0.28), **(box | {"top": CONTENT_TOP}))


def corrective_row(action):
    return [
        line_of(action.title, 70),
        line_of(action.owner or DASH, 30),
        day(action.end_date),
        action_status(action, action.is_late),
    ]


def decisions_slides(deck, review, corrective_actions):
    """What the latest review found and decided, and its corrective actions still open."""
    title = _("Decisions of the latest review")
    slide = titled_slide(deck, title)
    if review is None:
        text_box(
            slide,
            [Line(_("No review meeting recorded yet."), colour=MUTED)],
            MARGIN,
            CONTENT_TOP,
            CONTENT_WIDTH,
            ROW,
        )
        return
    names = review.attendee_names
    heading = f"{review} · {line_of(', '.join(names), 120)}" if names else str(review)
    text_box(slide, [Line(heading, colour=MUTED)], MARGIN, CONTENT_TOP, CONTENT_WIDTH, ROW)
    column = (CONTENT_WIDTH - Inches(0.3)) // 2
    for index, (heading, text) in enumerate(
        [(_("Findings"), review.findings), (_("Decisions"), review.decisions)]
    ):
        text_box(
            slide,
            [
                Line(heading, bold=True),
                *(Line(line, Pt(13)) for line in excerpt(text, 6, 70) or [DASH]),
            ],
            MARGIN + index * (column + Inches(0.3)),
            CONTENT_TOP + Inches(0.45),
            column,
            Inches(2.3),
        )
    top = CONTENT_TOP + Inches(2.85)
    text_box(
        slide, [Line(_("Open corrective actions"), bold=True)], MARGIN, top, CONTENT_WIDTH, ROW
    )
    if not corrective_actions:
        text_box(
            slide,
            [Line(_("None open."), colour=MUTED)],
            MARGIN,
            top + Inches(0.4),
            CONTENT_WIDTH,
            ROW,
        )
        return
    header = [_("Action"), _("Owner"), _("End"), _("Status")]
    widths = (0.45, 0.2, 0.12, 0.23)
    rows = [corrective_row(action) for action in corrective_actions]
    # Room for a header and four lines under the review's texts; the rest on slides of their own.
    first, rest = rows[:4], rows[4:]
    table(slide, header, first, widths, top=top + Inches(0.4))
    if rest:
        table_slides(deck, _("Open corrective actions"), header, rest, widths, "")


def plan_slides(plan, reader, today):
    """The .pptx bytes of the plan's synthesis as of `today`, in the reader's language."""
    data = synthesis(plan, today)
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    deck.core_properties.title = plan.title
    deck.core_properties.author = str(reader)
    cover_slide(deck, plan, reader, today)
    figures_slide(deck, data["figures"], data["envelope_overrun"], today)
    objectives_slides(deck, data["targets"])
    actions_slides(deck, data["domains"])
    lanes = calendars.timeline_lanes(plan, {}, "domain", plan.period_start, plan.period_end, today)
    planning_slides(deck, lanes, plan.period_start, plan.period_end, today)
    budget_slide(deck, plan, data)
    pipeline_slides(deck, data)
    # The corrective actions come without their lateness: the synthesis's actions carry it.
    decisions_slides(deck, data["latest_review"], data["corrective_actions"])
    stream = io.BytesIO()
    deck.save(stream)
    return stream.getvalue()
