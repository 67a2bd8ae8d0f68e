"""The demo plan's diagnosis figures: its clients, offer lines and offers × segments over the
twelve months before the plan, written by its manager through the diagnosis services (which
validate each row as its form would, and move the plan's revision on), and the targets chosen
from them, marked with where they came from."""

from decimal import Decimal

from django.utils import translation

from pac.demo.rows import euros
from pac.demo.texts import CLIENT_FIGURES, OFFER_FIGURES, OFFER_SEGMENT_FIGURES, TARGET_ORIGINS
from pac.diagnosis.models import ClientFigure, OfferFigure, OfferSegmentFigure
from pac.diagnosis.selectors import diagnosis_data
from pac.diagnosis.services import diagnosis_update, figure_create
from pac.diagnosis.sources import source_of
from pac.diagnosis.tables import TABLES
from targets.services import target_update


def figures_period(plan):
    """The twelve months before a plan of a semester: the year before a first semester."""
    year = plan.period_start.year
    if plan.period_start.month == 1:
        return str(year - 1)
    return f"juillet {year - 1} – juin {year}"


def build_figures(plan, targets, manager):
    """The figures, then the origin of the targets (`targets` by their key in TARGETS)."""
    # Its manager asks the priorities to cover 40 % of the A class's sales: the key account and
    # the PME segment make 43 %.
    diagnosis_update(
        actor=manager,
        plan=plan,
        version=None,
        data={"figures_period": figures_period(plan), "a_coverage": Decimal("40")},
    )

    def create(table, **data):
        figure_create(actor=manager, plan=plan, table=TABLES[table], data=data)

    for name, segment, sales, margin in CLIENT_FIGURES:
        create("clients", name=name, segment=segment, sales=euros(sales), margin=euros(margin))
    for name, sales, margin, market_share, market_growth in OFFER_FIGURES:
        create(
            "offers",
            name=name,
            sales=euros(sales),
            margin=euros(margin),
            market_share=Decimal(market_share),
            market_growth=Decimal(market_growth),
        )
    for offer, segment, sales, margin in OFFER_SEGMENT_FIGURES:
        create(
            "offer-segments",
            offer=offer,
            segment=segment,
            sales=euros(sales),
            margin=euros(margin),
        )
    # The targets say where they came from as the page's "Créer une cible" would have.
    data = diagnosis_data(plan)
    rows = {
        "client": {row.name: row.pk for row in ClientFigure.objects.filter(plan=plan)},
        "bubble": {row.name: row.pk for row in OfferFigure.objects.filter(plan=plan)},
        "cell": {
            (row.offer, row.segment): row.pk for row in OfferSegmentFigure.objects.filter(plan=plan)
        },
    }
    with translation.override("fr"):
        for key, (kind, name) in TARGET_ORIGINS.items():
            source = source_of(data, f"{kind}-{rows[kind][name] if kind in rows else name}")
            target = targets[key]
            target_update(
                actor=manager,
                target=target,
                version=target.version,
                data={
                    "origin": source.origin,
                    "origin_note": source.note,
                    "origin_source": source.key,
                },
            )
