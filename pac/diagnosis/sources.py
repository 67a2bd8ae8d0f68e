"""What a target chosen from the diagnosis starts with: from a row, a cell or a bubble named by
a source ("client-12", "crossed-A-C", "class-A"...), its kind, its name, a rationale made of the
figures that chose it, and where it came from (Target.origin)."""

import re
from dataclasses import dataclass

from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pac.core.display import euros, share
from pac.diagnosis import analysis
from targets.models import Target

SOURCE = re.compile(
    r"(client|offer|bubble|cell)-([0-9]{1,12})|crossed-([ABC])-([ABC])|class-([ABC])"
)
# The clients a group's rationale names before "…".
NAMED = 5


@dataclass
class Source:
    kind: str
    name: str
    rationale: str
    origin: str
    note: str  # what the plan page says the target came from
    key: str = ""  # the source's name, as ?source= gives it

    def get_origin_display(self):
        return Target.Origin(self.origin).label

    def initial(self):
        initial = {"kind": self.kind, "name": self.name[:200], "rationale": self.rationale}
        # The A class by sales is what a plan's priorities should cover (the plan's warnings).
        if self.key == "class-A" or self.key.startswith("crossed-A-"):
            initial["priority"] = Target.Priority.HIGH
        return initial


def nowhere():
    return Http404(_("Nothing of the diagnosis has this name."))


def source_of(data, key):
    """The source named `key` in the diagnosis `data` (pac.diagnosis.selectors.diagnosis_data);
    a 404 for anything else."""
    found = SOURCE.fullmatch(key or "")
    if found is None:
        raise nowhere()
    row, pk, by_sales, by_margin, klass = found.groups()
    if klass:
        source = class_source(data, klass)
    elif by_sales:
        source = crossed_source(data, by_sales, by_margin)
    else:
        build = {
            "client": client_source,
            "offer": offer_source,
            "bubble": bubble_source,
            "cell": cell_source,
        }
        source = build[row](data, int(pk))
    source.key = key
    return source


def ranked(items, pk):
    item = next((item for item in items if item.row.pk == pk), None)
    if item is None:
        raise nowhere()
    return item


def classes_text(item):
    """ "Classe A en CA (12 % du CA), C en marge (1 % de la marge)"."""
    return _(
        "class %(sales_class)s by sales (%(sales_share)s of the sales), %(margin_class)s by "
        "margin (%(margin_share)s of the margin)"
    ) % {
        "sales_class": item.klass,
        "sales_share": share(item.share),
        "margin_class": item.by_margin.klass,
        "margin_share": share(item.by_margin.share),
    }


def row_source(item, kind, origin):
    text = classes_text(item)
    return Source(
        kind=kind,
        name=item.name,
        rationale=_("Sales %(sales)s, %(classes)s.")
        % {"sales": euros(item.value), "classes": text},
        origin=origin,
        note=item.name,
    )


def client_source(data, pk):
    return row_source(ranked(data["client_rows"], pk), Target.Kind.CLIENT, Target.Origin.CLIENTS)


def offer_source(data, pk):
    return row_source(ranked(data["offer_rows"], pk), Target.Kind.PRODUCT, Target.Origin.OFFERS)


def strength_words():
    return {key: str(label).lower() for key, label in analysis.STRENGTH_LABELS.items()}


def attractiveness_words():
    return {key: str(label).lower() for key, label in analysis.ATTRACTIVENESS_LABELS.items()}


def bubble_source(data, pk):
    bubble = next((b for b in data["mckinsey"].bubbles if b.offer.pk == pk), None)
    if bubble is None:
        raise nowhere()
    reading = str(analysis.READING_WORDS[bubble.reading]).lower()
    text = _(
        "market share %(market_share)s (%(strength)s strength), class %(klass)s by margin "
        "(%(attractiveness)s attractiveness): %(reading)s"
    ) % {
        "market_share": share(bubble.market_share),
        "strength": strength_words()[bubble.strength],
        "klass": bubble.klass,
        "attractiveness": attractiveness_words()[bubble.attractiveness],
        "reading": reading,
    }
    return Source(
        kind=Target.Kind.PRODUCT,
        name=bubble.offer.name,
        rationale=_("Sales %(sales)s, %(text)s.") % {"sales": euros(bubble.sales), "text": text},
        origin=Target.Origin.MCKINSEY,
        note=f"{bubble.offer.name} ({reading})",
    )


def names(rows):
    listed = ", ".join(row.name for row in rows[:NAMED])
    return listed + (", …" if len(rows) > NAMED else "")


def crossed_source(data, by_sales, by_margin):
    cell = data["crossed"].cell(by_sales, by_margin)
    if not cell.count:
        raise nowhere()
    label = _("class %(sales)s by sales, %(margin)s by margin") % {
        "sales": by_sales,
        "margin": by_margin,
    }
    figures = ngettext(
        "%(sales_share)s of the sales for %(margin_share)s of the margin (%(count)s client: "
        "%(names)s)",
        "%(sales_share)s of the sales for %(margin_share)s of the margin (%(count)s clients: "
        "%(names)s)",
        cell.count,
    ) % {
        "sales_share": share(cell.sales_share),
        "margin_share": share(cell.margin_share),
        "count": cell.count,
        "names": names(cell.rows),
    }
    return Source(
        kind=Target.Kind.SEGMENT,
        name=_("Clients %(label)s") % {"label": label},
        rationale=capfirst(_("%(label)s: %(figures)s.") % {"label": label, "figures": figures}),
        origin=Target.Origin.CROSSED,
        note=label,
    )


def class_source(data, klass):
    result = data["clients_abc"]
    members = [item.row for item in result.ranked if item.klass == klass]
    if not members:
        raise nowhere()
    summary = result.of(klass)
    text = _(
        "%(count_share)s of the clients (%(count)s) make %(value_share)s of the sales: %(names)s"
    ) % {
        "count_share": share(summary.count_share),
        "count": summary.count,
        "value_share": share(summary.value_share),
        "names": names(members),
    }
    return Source(
        kind=Target.Kind.SEGMENT,
        name=_("Class %(klass)s clients") % {"klass": klass},
        rationale=f"{text}.",
        origin=Target.Origin.CLIENTS,
        note=_("class %(klass)s by sales") % {"klass": klass},
    )


def cell_source(data, pk):
    matrix = data["matrix"]
    figure = next((row for row in data["cells"] if row.pk == pk), None)
    if figure is None:
        raise nowhere()
    cell = matrix.cells[(figure.offer, figure.segment)]
    marks = {"best": _(" (best cell)"), "worst": _(" (worst cell)")}
    rate = share(cell.margin_rate) if cell.margin_rate is not None else "—"
    text = _("sales %(sales)s, margin rate %(rate)s%(mark)s") % {
        "sales": euros(cell.sales),
        "rate": rate,
        "mark": marks.get(cell.mark, ""),
    }
    name = f"{figure.offer} × {figure.segment}"
    return Source(
        kind=Target.Kind.PRODUCT_SEGMENT,
        name=name,
        rationale=capfirst(f"{text}."),
        origin=Target.Origin.OFFERS_SEGMENTS,
        note=name,
    )
