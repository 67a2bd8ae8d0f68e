"""Reads of a plan's diagnosis: its settings, its figures and their analyses, for its page, the
PDF's chapter and the plan page's warnings. One query per table, whatever their size."""

from collections import defaultdict, namedtuple
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pac.core.display import share
from pac.diagnosis import analysis
from pac.diagnosis.models import ClientFigure, Diagnosis, OfferFigure, OfferSegmentFigure
from pac.diagnosis.sources import SOURCE
from targets.models import Target


def settings_of(plan):
    """The plan's diagnosis settings; the defaults, unsaved, until its manager changes them."""
    return Diagnosis.objects.filter(plan=plan).first() or Diagnosis(plan=plan)


def class_a_sentence(result, of_many, of_value):
    """What the A class of an ABC analysis weighs: "20 % des clients font 80 % du chiffre
    d'affaires". `of_many` and `of_value` come whole ("of the clients", "of the sales"): French
    agrees them with their noun."""
    a = result.of("A")
    if not a.count:
        return ""
    return _("%(count_share)s %(of_many)s (%(count)s) make %(value_share)s %(of_value)s.") % {
        "count_share": share(a.count_share),
        "of_many": of_many,
        "count": a.count,
        "value_share": share(a.value_share),
        "of_value": of_value,
    }


@dataclass
class Analysis:
    """What the diagnosis shows, computed from its figures."""

    settings: Diagnosis
    clients: list
    offers: list
    cells: list

    @property
    def thresholds(self):
        return self.settings.class_a, self.settings.class_b

    def clients_by_sales(self):
        return analysis.abc(self.clients, lambda row: row.sales, *self.thresholds)

    def clients_by_margin(self):
        return analysis.abc(self.clients, lambda row: row.margin, *self.thresholds)

    def offers_by_sales(self):
        return analysis.abc(self.offers, lambda row: row.sales, *self.thresholds)

    def offers_by_margin(self):
        return analysis.abc(self.offers, lambda row: row.margin, *self.thresholds)


def analysis_of(plan):
    return Analysis(
        settings=settings_of(plan),
        clients=list(ClientFigure.objects.filter(plan=plan)),
        offers=list(OfferFigure.objects.filter(plan=plan)),
        cells=list(OfferSegmentFigure.objects.filter(plan=plan)),
    )


def with_classes(rows, by_sales, by_margin):
    """The rows with their rank and class by sales and by margin, in the order of their sales."""
    margin = {item.row.pk: item for item in by_margin.ranked}
    for item in by_sales.ranked:
        item.by_margin = margin[item.row.pk]
    return by_sales.ranked


def diagnosis_data(plan):
    """Everything the diagnosis page and the PDF chapter show."""
    found = analysis_of(plan)
    a, b = found.thresholds
    clients_sales, clients_margin = found.clients_by_sales(), found.clients_by_margin()
    offers_sales, offers_margin = found.offers_by_sales(), found.offers_by_margin()
    return {
        "diagnosis": found.settings,
        "client_rows": with_classes(found.clients, clients_sales, clients_margin),
        "clients_abc": clients_sales,
        "clients_abc_margin": clients_margin,
        "clients_sentence": class_a_sentence(clients_sales, _("of the clients"), _("of the sales")),
        "clients_margin_sentence": class_a_sentence(
            clients_margin, _("of the clients"), _("of the contribution margin")
        ),
        "offer_rows": with_classes(found.offers, offers_sales, offers_margin),
        "offers_abc": offers_sales,
        "offers_sentence": class_a_sentence(offers_sales, _("of the offers"), _("of the sales")),
        "crossed": analysis.crossed(found.clients, a, b, clients_sales, clients_margin),
        "matrix": analysis.offers_segments(found.cells),
        "cells": found.cells,
        "mckinsey": analysis.mckinsey(found.offers, a, b),
    }


# What the warnings read of a client: plain values, not model instances (thousands of them are
# read on every change of a plan, for its page).
Client = namedtuple("Client", "pk name segment sales margin")
SETTINGS = ("class_a", "class_b", "a_coverage")


def clients_with_settings(plan):
    """The plan's clients and its diagnosis settings, in one query: the settings ride on each
    row, joined through the plan (a plan without any gets the defaults)."""
    rows = list(
        ClientFigure.objects.filter(plan=plan).values_list(
            *Client._fields, *(f"plan__diagnosis__{name}" for name in SETTINGS)
        )
    )
    width = len(Client._fields)
    settings = Diagnosis(plan=plan)
    if rows and rows[0][width] is not None:
        settings = Diagnosis(plan=plan, **dict(zip(SETTINGS, rows[0][width:], strict=True)))
    return [Client(*row[:width]) for row in rows], settings


class Covers:
    """Which clients a target aims at: the client of its name, the clients of the segment of its
    name, or the class or crossed cell it was chosen from (Target.origin_source)."""

    def __init__(self, clients, result, thresholds):
        self.clients, self.result, self.thresholds = clients, result, thresholds
        self.by_name = {client.name.casefold(): client.pk for client in clients}
        self.by_segment = defaultdict(set)
        for client in clients:
            self.by_segment[client.segment.casefold()].add(client.pk)
        self.crossed = None

    def of(self, target):
        name = target.name.casefold()
        pks = set()
        if target.kind == Target.Kind.CLIENT and name in self.by_name:
            pks.add(self.by_name[name])
        if target.kind == Target.Kind.SEGMENT:
            pks |= self.by_segment.get(name, set())
        # Read as "Créer une cible" named it (pac.diagnosis.sources).
        source = SOURCE.fullmatch(target.origin_source)
        row, pk, by_sales, by_margin, klass = source.groups() if source else (None,) * 5
        if klass:
            pks |= {item.row.pk for item in self.result.ranked if item.klass == klass}
        elif by_sales:
            if self.crossed is None:  # only for a target chosen there
                self.crossed = analysis.crossed(self.clients, *self.thresholds)
            pks |= {client.pk for client in self.crossed.cell(by_sales, by_margin).rows}
        elif row == "client":
            pks.add(int(pk))
        return pks


def a_class_coverage(plan, targets):
    """How much of the A class of clients (by sales) the high-priority `targets` cover, in %,
    with the share of the client targets that aim at C-class clients; None without figures, or
    without sales to make an A class of."""
    clients, settings = clients_with_settings(plan)
    if not clients:
        return None
    thresholds = settings.class_a, settings.class_b
    result = analysis.abc(clients, lambda row: row.sales, *thresholds)
    a_class = {item.row.pk: item.value for item in result.ranked if item.klass == "A"}
    if not a_class:
        return None
    covers = Covers(clients, result, thresholds)
    covered = set()
    for target in targets:
        if target.priority == Target.Priority.HIGH:
            covered |= covers.of(target)
    classes = {item.row.pk: item.klass for item in result.ranked}
    client_targets = [covers.of(target) for target in targets if target.kind == Target.Kind.CLIENT]
    client_targets = [pks for pks in client_targets if pks]
    return {
        "settings": settings,
        "covered": analysis.percent(
            sum((a_class[pk] for pk in covered if pk in a_class), analysis.ZERO),
            sum(a_class.values(), analysis.ZERO),
        ),
        "client_targets": len(client_targets),
        "c_targets": sum(all(classes.get(pk) == "C" for pk in pks) for pks in client_targets),
    }


def coverage_warnings(plan, targets):
    """The plan page's warnings from the diagnosis: high priorities that miss the A class, or
    client targets that are mostly C-class clients."""
    coverage = a_class_coverage(plan, targets)
    if coverage is None:
        return []
    warnings = []
    least = coverage["settings"].a_coverage
    if coverage["covered"] < least:
        warnings.append(
            _(
                "The high-priority targets cover %(covered)s of the sales of the A-class clients "
                "(the diagnosis asks for at least %(least)s): the best clients are left to "
                "chance."
            )
            % {"covered": share(coverage["covered"]), "least": share(least)}
        )
    if coverage["c_targets"] * 2 > coverage["client_targets"]:
        warnings.append(
            ngettext(
                "%(count)s of the %(total)s client target is a C-class client: little to gain.",
                "%(count)s of the %(total)s client targets are C-class clients: the effort goes "
                "where there is little to gain.",
                coverage["client_targets"],
            )
            % {"count": coverage["c_targets"], "total": coverage["client_targets"]}
        )
    return warnings
