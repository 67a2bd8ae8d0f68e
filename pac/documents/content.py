"""What each PDF document holds, section by section: the synthesis of the PAC, the full dossier,
a rep's PACI, one action sheet."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from actions.models import Action, ActionStep
from kpis.models import Kpi
from kpis.selectors import with_values
from pac.core import charts
from pac.core.periods import PeriodKind
from pac.diagnosis import charts as diagnosis_charts
from pac.diagnosis.selectors import diagnosis_data
from pac.documents.pdf import Document, Part, Section, filename
from pac.documents.synthesis import synthesis
from pac.planning import calendars
from pac.plans.forms import period_kind_of
from pac.steering import selectors as steering
from pac.steering.signatures import paci_signature

# Rows of the timeline that fit on one landscape A4 page, under its heading and legend, and
# their height (the screen's is 20).
TIMELINE_ROWS = 44
TIMELINE_ROW = 13
# Lines of actions in one table, and in one part: WeasyPrint's time for a box grows with the pages
# it spans, so long lists are cut into page-sized tables; parts bound the memory of a layout.
ROWS_PER_TABLE = 30
ROWS_PER_PART = 400
# Action sheets laid out together: about a third of a page each.
SHEETS_PER_PART = 30
# Up to this many actions, their lines follow the targets in the same part: no page of its own.
ACTIONS_AFTER_TARGETS = 60
DEALS_PER_PART = 140
# The A-class clients the diagnosis' chapter lists, the rest counted under them: a printed page
# of a meeting, not the spreadsheet.
A_CLIENTS_SHOWN = 40


def period_label(plan):
    """2026, 2026-S2, 2026-T3 or the two dates, for file names."""
    start = plan.period_start
    kind = period_kind_of(plan)
    if kind == PeriodKind.YEAR and start.month == 1:
        return f"{start.year}"
    if kind == PeriodKind.SEMESTER and start.month in (1, 7):
        return f"{start.year}-S{1 if start.month == 1 else 2}"
    if kind == PeriodKind.QUARTER and start.month in (1, 4, 7, 10):
        return f"{start.year}-T{(start.month - 1) // 3 + 1}"
    return f"{start:%Y%m%d}-{plan.period_end:%Y%m%d}"


def title_words(plan):
    """The plan's title less the words its file name says already (PAC, the team, the period):
    "PAC Nord 2027 · grands comptes" of Ventes Nord, 2027: "grands-comptes"."""
    said = set(slugify(f"PAC PACI {plan.team} {period_label(plan)}").split("-"))
    return "-".join(word for word in slugify(plan.title).split("-") if word not in said)


def plan_file_name(plan, dossier=False):
    """PAC-<team>-<period>-<title>-synthese.pdf: two plans of a team and period differ."""
    kind = "dossier" if dossier else "synthese"
    return filename(plan.team, period_label(plan), title_words(plan), kind)


def paci_file_name(plan, rep):
    return filename("PACI", rep.username, plan.team, period_label(plan), title_words(plan))


def action_file_name(plan, action):
    return filename(plan.team, period_label(plan), f"action-{action.pk}", action.title)


def sheets(actions, today):
    """Actions with everything their sheet prints, in a fixed number of queries."""
    return list(
        actions.with_lateness(today)
        .select_related("target", "owner")
        .prefetch_related(
            "participants",
            "objectives",
            Prefetch("steps", queryset=ActionStep.objects.select_related("owner")),
            Prefetch("kpis", queryset=Kpi.objects.select_related("owner")),
        )
        .order_by("domain", "start_date", "pk")
    )


def timeline_pages(plan, filters, group, today):
    """The timeline cut into landscape pages of at most TIMELINE_ROWS rows each: the image of
    each page by its name."""
    first, last = plan.period_start, plan.period_end
    pages, page, rows = [], [], 0
    for lane in calendars.timeline_lanes(plan, filters, group, first, last, today):
        for index in range(0, len(lane.actions), TIMELINE_ROWS - 1):
            chunk = calendars.Lane(lane.label, lane.actions[index : index + TIMELINE_ROWS - 1])
            if rows + 1 + len(chunk.actions) > TIMELINE_ROWS and page:
                pages.append(page)
                page, rows = [], 0
            page.append(chunk)
            rows += 1 + len(chunk.actions)
    if page:
        pages.append(page)

    def url_of(action):
        return settings.SITE_URL + reverse("actions:action-detail", args=[plan.pk, action.pk])

    return {
        f"timeline-{number}.svg": charts.standalone(
            charts.timeline(lanes, first, last, today, url_of, row=TIMELINE_ROW)
        )
        for number, lanes in enumerate(pages, start=1)
    }


@dataclass
class ActionBlock:
    """A table of the actions list: the domain's heading before its first, the rep's before
    theirs."""

    domain: object
    rep: object
    rows: list
    domain_first: bool
    rep_first: bool


def action_blocks(domains):
    """The actions by domain, then by rep, as tables of at most ROWS_PER_TABLE lines."""
    blocks = []
    for domain in domains:
        for rep_index, rep in enumerate(domain.reps):
            for index in range(0, len(rep.actions), ROWS_PER_TABLE):
                blocks.append(
                    ActionBlock(
                        domain,
                        rep,
                        rep.actions[index : index + ROWS_PER_TABLE],
                        domain_first=rep_index == 0 and index == 0,
                        rep_first=index == 0,
                    )
                )
    return blocks


def block_parts(blocks):
    """The tables of actions in parts of about ROWS_PER_PART lines."""
    parts, rows = [[]], 0
    for block in blocks:
        if rows + len(block.rows) > ROWS_PER_PART and parts[-1]:
            parts.append([])
            rows = 0
        parts[-1].append(block)
        rows += len(block.rows)
    return parts


def slices(rows, size):
    return [rows[index : index + size] for index in range(0, len(rows), size)]


def pdf_charts(data):
    """The key figures' and the budget's charts."""
    figures = data["figures"]
    return {
        "objectives": charts.share_bar(
            [
                (label, count, charts.STANDING_COLOURS[key])
                for key, label, count in figures.objectives
            ],
            _("Objectives by standing"),
        ),
        "budget": charts.hbars(
            [
                (pgettext("budget", "Planned"), [figures.planned]),
                (_("Spent"), [figures.spent]),
                (_("Envelope"), [figures.envelope]),
            ],
            [(_("Budget"), charts.TARGET)],
            _("Budget planned, spent and envelope"),
            width=300,
            label_width=80,
        ),
        "pipeline": charts.hbars(
            [
                (_("Weighted pipeline"), [figures.pipeline]),
                (_("Left to win"), [figures.to_win or 0]),
            ],
            [(_("Amount"), charts.TARGET)],
            _("Weighted pipeline against what is left to win"),
            width=300,
            label_width=100,
        ),
        "budget_domains": budget_chart(data["budget_domains"], _("Budget by domain")),
        "budget_targets": budget_chart(data["budget_targets"], _("Budget by target")),
        "deals": charts.month_bars(data["deals_by_month"], table=False),
    }


def budget_chart(lines, name):
    return charts.hbars(
        [(line.label, [line.planned, line.actual]) for line in lines],
        [(pgettext("budget", "Planned"), charts.TARGET), (_("Spent"), charts.SPENT)],
        name,
    )


def analyses(plan):
    """The diagnosis' analyses as its page shows them (pac.diagnosis.selectors), with their
    charts and the A-class clients the chapter lists."""
    data = diagnosis_data(plan)
    settings = data["diagnosis"]
    clients = data["clients_abc"]
    a_class = [item for item in clients.ranked if item.klass == "A"]
    shown = a_class[:A_CLIENTS_SHOWN]
    return data | {
        "empty": not (data["client_rows"] or data["offer_rows"] or data["cells"]),
        "a_clients": shown,
        "a_left": len(a_class) - len(shown),
        "bc_clients": len(clients.ranked) - len(a_class),
        "pareto": diagnosis_charts.pareto(
            clients, _("Pareto curve of the clients' sales"), settings.class_a, settings.class_b
        ),
        "atouts_attraits": diagnosis_charts.atouts_attraits(data["mckinsey"]),
    }


def base(plan, user, today):
    return {"plan": plan, "printed": today, "author": str(user), "language": get_language()}


def plan_document(plan, user, today, dossier=False):
    """The synthesis of the PAC ("Télécharger le PAC"), or with `dossier` the full dossier: the
    synthesis, then every action sheet and every deal of the carnet, for the archive."""
    data = synthesis(plan, today)
    context = base(plan, user, today) | data | {"charts": pdf_charts(data)}
    context["timeline_pages"] = timeline_pages(plan, {}, "domain", today)
    context["analyses"] = analyses(plan)
    blocks = action_blocks(data["domains"])
    tables = block_parts(blocks)
    actions_title = _("Actions by domain, then by rep")
    front = [
        Section("figures", _("Key figures"), "pdf/sections/figures.html"),
        Section("strategy", _("Strategy reminder"), "pdf/sections/strategy.html", page=True),
        Section("diagnosis", _("Diagnosis"), "pdf/sections/diagnosis.html"),
        # The analyses take a page or two of their own; a plan without figures has nothing to
        # analyse and leaves them out.
        *(
            []
            if context["analyses"]["empty"]
            else [
                Section(
                    "analyses",
                    _("Diagnosis: ABC and matrices"),
                    "pdf/sections/analyses.html",
                    page=True,
                )
            ]
        ),
        Section("targets", _("Targets and objectives"), "pdf/sections/targets.html"),
    ]
    actions = Section("actions", actions_title, "pdf/sections/actions.html")
    first_tables = {"action_blocks": tables[0], "by_rep": True}
    if len(data["actions"]) <= ACTIONS_AFTER_TARGETS:
        # A few actions follow the targets on their page rather than open a near-empty one.
        parts = [Part([*front, actions], first_tables)]
    else:
        parts = [Part(front), Part([actions], first_tables)]
    parts += [
        *(
            Part(
                [Section(f"actions-{index}", "", "pdf/sections/actions.html")],
                {"action_blocks": part},
            )
            for index, part in enumerate(tables[1:], start=2)
        ),
        Part(
            [
                Section(
                    "planning",
                    _("Planning by theme"),
                    "pdf/sections/planning.html",
                    landscape=True,
                ),
                Section("budget", _("Budget"), "pdf/sections/budget.html", page=True),
                Section("carnet", _("Carnet commercial by month"), "pdf/sections/carnet.html"),
                Section("review", _("Latest review"), "pdf/sections/review.html"),
            ]
        ),
    ]
    kind = _("Synthesis")
    if dossier:
        kind = _("Full dossier")
        parts += sheet_parts(Action.objects.of_plan(plan), today)
        deals = list(plan.deals.select_related("owner").order_by("milestone_date", "pk"))
        parts += [
            Part(
                [
                    Section(
                        f"deals-{index}" if index else "deals",
                        "" if index else _("Every deal of the carnet"),
                        "pdf/sections/deals.html",
                        page=not index,
                    )
                ],
                {"deals": rows},
            )
            for index, rows in enumerate(slices(deals, DEALS_PER_PART) or [[]])
        ]
    return Document(
        name=f"{_('Commercial action plan')} · {kind}",
        title=f"{plan.title} · {kind}",
        file_name=plan_file_name(plan, dossier),
        parts=parts,
        context=context,
        cover=Section("cover", "", "pdf/sections/cover.html"),
        contents=True,
        images=context["timeline_pages"],
    )


def sheet_parts(actions, today, first_page=True):
    """The action sheets, SHEETS_PER_PART a part: the first part opens the section."""
    chosen = sheets(actions, today)
    return [
        Part(
            [
                Section(
                    "sheets" if index == 0 else f"sheets-{index}",
                    _("Action sheets") if index == 0 else "",
                    "pdf/sections/sheets.html",
                    page=index == 0 and first_page,
                )
            ],
            {"sheets": rows},
        )
        for index, rows in enumerate(slices(chosen, SHEETS_PER_PART) or [[]])
    ]


def paci_document(plan, rep, user, today):
    """A rep's PACI: their objectives, actions by urgency, calendar, sheets, KPIs and deals."""
    headline = _("Individual plan of %(rep)s") % {"rep": rep}
    context = base(plan, user, today) | steering.rep_paci(plan, rep, today)
    context |= {
        "rep": rep,
        "headline": headline,
        "timeline_pages": timeline_pages(plan, {"owner": rep}, "target", today),
        "signature_state": paci_signature(plan, rep, context["objectives"], context["buckets"]),
    }
    actions = Action.objects.filter(pk__in=steering.rep_actions(plan, rep).values("pk"))
    parts = [
        Part(
            [
                Section("heading", "", "pdf/sections/heading.html"),
                Section("signature", _("Signature"), "pdf/sections/paci_signature.html"),
                Section("objectives", _("Objectives"), "pdf/sections/paci_objectives.html"),
                Section("actions", _("Actions"), "pdf/sections/paci_actions.html"),
            ]
        ),
        Part(
            [
                Section(
                    "planning",
                    _("Calendar of the period"),
                    "pdf/sections/planning.html",
                    landscape=True,
                )
            ]
        ),
        *sheet_parts(actions, today, first_page=False),
        Part([Section("kpis", _("KPIs"), "pdf/sections/paci_steering.html")]),
    ]
    return Document(
        name=_("PACI"),
        title=f"PACI · {rep} · {plan.title}",
        file_name=paci_file_name(plan, rep),
        parts=parts,
        context=context,
        images=context["timeline_pages"],
    )


def action_document(plan, action, user, today):
    """One action sheet, headed by the action, with its KPIs' charts."""
    # The sheet's own boxed header names the action: the page does not say it twice.
    context = base(plan, user, today) | {
        "sheets": sheets(Action.objects.filter(pk=action.pk), today),
        "kpis": with_values(Kpi.objects.filter(action=action), plan, today),
    }
    return Document(
        name=_("Action sheet"),
        title=f"{action.title} · {plan.title}",
        file_name=action_file_name(plan, action),
        parts=[
            Part(
                [
                    Section("heading", "", "pdf/sections/heading.html"),
                    Section("sheet", "", "pdf/sections/action.html"),
                ]
            )
        ],
        context=context,
    )
