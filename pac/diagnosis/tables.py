"""The three tables of figures a diagnosis holds, each by the name its URLs use: its model, its
row form, its columns and the headers a spreadsheet may give them (pac.diagnosis.imports)."""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from pac.diagnosis.forms import ClientFigureForm, OfferFigureForm, OfferSegmentFigureForm
from pac.diagnosis.models import ClientFigure, OfferFigure, OfferSegmentFigure

# Headers as French and English spreadsheets write them, compared without case, accents or
# punctuation (pac.diagnosis.imports.header_key).
SALES = ("ca", "chiffre d'affaires", "ca ht", "ventes", "sales", "revenue", "turnover", "ca (€)")
MARGIN = (
    "marge",
    "marge de contribution",
    "mcv",
    "marge sur coûts variables",
    "contribution margin",
    "margin",
    "marge (€)",
)


@dataclass(frozen=True)
class Table:
    name: str  # in the URLs and the page's regions
    model: type
    form: type
    title: str
    import_heading: str
    # Each column's field with the headers that name it, the first one as PAC writes it.
    headers: dict

    @property
    def columns(self):
        return list(self.headers)

    def rows_of(self, plan):
        return self.model.objects.filter(plan=plan)


TABLES = {
    table.name: table
    for table in (
        Table(
            name="clients",
            model=ClientFigure,
            form=ClientFigureForm,
            title=_("Clients"),
            import_heading=_("Import the clients"),
            headers={
                "name": ("client", "clients", "compte", "raison sociale", "customer", "account"),
                "segment": ("segment", "clientèle", "secteur", "customer segment"),
                "sales": SALES,
                "margin": MARGIN,
            },
        ),
        Table(
            name="offers",
            model=OfferFigure,
            form=OfferFigureForm,
            title=_("Offers"),
            import_heading=_("Import the offers"),
            headers={
                "name": (
                    "offre",
                    "offres",
                    "gamme",
                    "prestation",
                    "produit",
                    "ligne de produits",
                    "offer",
                    "product",
                    "product line",
                ),
                "sales": SALES,
                "margin": MARGIN,
                "market_share": (
                    "part de marché",
                    "part de marché (%)",
                    "pdm",
                    "part de marché en volume",
                    "market share",
                ),
                "market_growth": (
                    "croissance du marché",
                    "croissance du marché (%)",
                    "croissance",
                    "market growth",
                ),
            },
        ),
        Table(
            name="offer-segments",
            model=OfferSegmentFigure,
            form=OfferSegmentFigureForm,
            title=_("Offers × segments"),
            import_heading=_("Import the figures of the offers × segments"),
            headers={
                "offer": ("offre", "gamme", "prestation", "produit", "offer", "product"),
                "segment": ("segment", "clientèle", "clientèles", "secteur", "customer segment"),
                "sales": SALES,
                "margin": MARGIN,
            },
        ),
    )
}


def table_named(name):
    try:
        return TABLES[name]
    except KeyError:
        raise Http404(_("No such table in the diagnosis.")) from None
