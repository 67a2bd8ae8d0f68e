"""The analyses of a diagnosis, as pure functions of its figures: the ABC (Pareto) analysis, the
crossed ABC, the offers × segments matrix and the attractiveness–strength (McKinsey) matrix.

They take plain rows (anything with a `name` and the figures read) and the thresholds in %, and
return what the page, the PDF and the plan's warnings show; tests check them against figures
computed by hand.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import groupby

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CLASSES = ("A", "B", "C")


@dataclass
class Ranked:
    """One client or offer in an ABC ranking."""

    row: object
    value: Decimal
    rank: int
    share: Decimal  # of the total, in %
    cumulative: Decimal  # the share of the total up to this one, in %
    klass: str
    # The same row in the ranking by the other value, when a page shows both (selectors).
    by_margin: "Ranked | None" = None

    @property
    def name(self):
        return self.row.name


@dataclass
class ClassSummary:
    klass: str
    count: int
    count_share: Decimal  # of the rows, in %
    value: Decimal
    value_share: Decimal  # of the total, in %


@dataclass
class Abc:
    ranked: list[Ranked]
    total: Decimal  # what the shares are of: the sum of the positive values
    classes: list[ClassSummary]

    def of(self, klass):
        return next(summary for summary in self.classes if summary.klass == klass)

    def summary(self):
        """The analysis without its ranking: what a page shows of thousands of rows."""
        return replace(self, ranked=[])

    def class_of(self):
        """Each row's class, by the row's pk."""
        return {item.row.pk: item.klass for item in self.ranked}


def percent(part, whole):
    """`part` of `whole` in %, exactly (Decimal, counts included)."""
    return Decimal(part) / Decimal(whole) * HUNDRED if whole else ZERO


def margin_rate(margin, sales):
    """The margin's share of the sales in %, None without sales (a row or a cell)."""
    return percent(margin, sales) if sales else None


def abc(rows, value, class_a, class_b):
    """Rows ranked by `value(row)` (largest first), each with its share, the cumulative share up
    to it and its class: A while the share before it is below `class_a` %, B while it is below
    `class_b` %, C after. The row that crosses a threshold is in the class it completes, so a
    single large client is A. Rows of equal value share the class of the first of them (the
    order between them says nothing), and a row that brings nothing or loses money is C."""
    rows = sorted(rows, key=lambda row: (-value(row), str(row.name).lower(), row.name))
    total = sum((max(value(row), ZERO) for row in rows), ZERO)
    ranked = []
    before = ZERO
    rank = 0
    for amount, tied in groupby(rows, key=value):
        tied = list(tied)
        share_before = percent(before, total)
        if amount <= 0 or not total:
            klass = "C"
        elif share_before < class_a:
            klass = "A"
        elif share_before < class_b:
            klass = "B"
        else:
            klass = "C"
        for row in tied:
            rank += 1
            before += max(amount, ZERO)
            ranked.append(
                Ranked(
                    row=row,
                    value=amount,
                    rank=rank,
                    share=percent(amount, total),
                    cumulative=percent(before, total),
                    klass=klass,
                )
            )
    return Abc(ranked=ranked, total=total, classes=summaries(ranked, total))


def summaries(ranked, total):
    result = []
    for klass in CLASSES:
        members = [item for item in ranked if item.klass == klass]
        amount = sum((max(item.value, ZERO) for item in members), ZERO)
        result.append(
            ClassSummary(
                klass=klass,
                count=len(members),
                count_share=percent(len(members), len(ranked)),
                value=amount,
                value_share=percent(amount, total),
            )
        )
    return result


@dataclass
class Cell:
    """A group of rows with their sales and margin: a cell of a matrix."""

    rows: list = field(default_factory=list)
    count: int = 0  # of its rows, kept when a page keeps only the first of them (`first`)
    sales: Decimal = ZERO
    margin: Decimal = ZERO
    sales_share: Decimal = ZERO  # of the whole matrix's, in %
    margin_share: Decimal = ZERO
    mark: str = ""  # "best" or "worst" of its matrix

    def add(self, row):
        self.rows.append(row)
        self.count += 1
        self.sales += row.sales
        self.margin += row.margin

    def first(self, count):
        """The cell with its first `count` rows only: what a page names of it."""
        return replace(self, rows=self.rows[:count])

    @property
    def margin_rate(self):
        return margin_rate(self.margin, self.sales)


def shared(cells, sales, margin):
    for cell in cells:
        cell.sales_share = percent(cell.sales, sales)
        cell.margin_share = percent(cell.margin, margin)


# What the cells of the crossed ABC say, for the readings shown beside the table.
CROSSED_READINGS = {
    ("A", "A"): _("Key accounts: volume and margin. Keep them first."),
    ("A", "C"): _("Volume without margin: review prices, terms and the cost of serving them."),
    ("C", "A"): _("Margin without volume: accounts to grow."),
    ("C", "C"): _("Little volume, little margin: serve them at the lowest cost."),
}


@dataclass
class Crossed:
    """Clients by their class in sales (rows) and in margin (columns)."""

    cells: dict  # (sales class, margin class) → Cell
    sales: Decimal
    margin: Decimal

    def cell(self, by_sales, by_margin):
        return self.cells[(by_sales, by_margin)]

    def readings(self):
        """What the corners of the table that hold clients say: (class by sales, class by
        margin, reading, cell)."""
        return [
            (by_sales, by_margin, reading, self.cells[(by_sales, by_margin)])
            for (by_sales, by_margin), reading in CROSSED_READINGS.items()
            if self.cells[(by_sales, by_margin)].count
        ]

    def first(self, count):
        """The table with the first `count` clients of each cell: what a page names of them."""
        return replace(self, cells={key: cell.first(count) for key, cell in self.cells.items()})

    def table(self):
        """The 3 × 3 table, rows A, B, C by sales, each with its cells A, B, C by margin."""
        return [(s, [(m, self.cells[(s, m)]) for m in CLASSES]) for s in CLASSES]


def crossed(clients, class_a, class_b, by_sales=None, by_margin=None):
    """The crossed ABC of `clients` (rows with `sales` and `margin`), from their ABC analyses by
    sales and by margin when the caller has them already. Each cell's shares are of what the
    ABC's are: the sales, and the margin that clients bring (the sum of the positive margins),
    so a cell of losses has a negative share and the A class reads the same here."""
    by_sales = (by_sales or abc(clients, lambda row: row.sales, class_a, class_b)).class_of()
    by_margin = (by_margin or abc(clients, lambda row: row.margin, class_a, class_b)).class_of()
    cells = {(s, m): Cell() for s in CLASSES for m in CLASSES}
    for client in sorted(clients, key=lambda row: (-row.sales, row.name)):
        cells[(by_sales[client.pk], by_margin[client.pk])].add(client)
    sales = sum((client.sales for client in clients), ZERO)
    margin = sum((max(client.margin, ZERO) for client in clients), ZERO)
    shared(cells.values(), sales, margin)
    return Crossed(cells=cells, sales=sales, margin=margin)


@dataclass
class Matrix:
    """Offers (rows) × segments (columns), each cell with its sales and margin rate."""

    offers: list[str]
    segments: list[str]
    cells: dict  # (offer, segment) → Cell
    offer_totals: dict
    segment_totals: dict
    total: Cell

    def table(self):
        """Each offer with its cells (None where it sold nothing to a segment) and its total."""
        return [
            (
                offer,
                [(segment, self.cells.get((offer, segment))) for segment in self.segments],
                self.offer_totals[offer],
            )
            for offer in self.offers
        ]

    def footer(self):
        return [(segment, self.segment_totals[segment]) for segment in self.segments]


def offers_segments(figures):
    """The offers × segments matrix of `figures` (rows with `offer`, `segment`, `sales` and
    `margin`). The best cell has the highest margin rate, the worst the lowest, among the cells
    that sold something; with a single such cell, neither is marked."""
    cells, offer_totals, segment_totals, total = {}, {}, {}, Cell()
    for figure in figures:
        cells.setdefault((figure.offer, figure.segment), Cell()).add(figure)
        offer_totals.setdefault(figure.offer, Cell()).add(figure)
        segment_totals.setdefault(figure.segment, Cell()).add(figure)
        total.add(figure)

    def by_sales(totals):
        return sorted(totals, key=lambda name: (-totals[name].sales, name.lower()))

    shared(
        [*cells.values(), *offer_totals.values(), *segment_totals.values()],
        total.sales,
        total.margin,
    )
    rated = sorted(
        (cell for cell in cells.values() if cell.sales > 0),
        key=lambda cell: cell.margin_rate,
    )
    if len(rated) > 1 and rated[0].margin_rate != rated[-1].margin_rate:
        rated[-1].mark = "best"
        rated[0].mark = "worst"
    return Matrix(
        offers=by_sales(offer_totals),
        segments=by_sales(segment_totals),
        cells=cells,
        offer_totals=offer_totals,
        segment_totals=segment_totals,
        total=total,
    )


# The strength of an offer line: its market share in volume. Under 10 % weak, from 25 % strong.
STRENGTH_MEDIUM = Decimal("10")
STRENGTH_HIGH = Decimal("25")
STRENGTHS = ("weak", "medium", "strong")
ATTRACTIVENESS = {"A": "high", "B": "medium", "C": "low"}

# The classic readings of the nine cells (attractiveness, strength).
INVEST = "invest"
SELECT = "select"
HARVEST = "harvest"
READINGS = {
    ("high", "strong"): INVEST,
    ("high", "medium"): INVEST,
    ("medium", "strong"): INVEST,
    ("high", "weak"): SELECT,
    ("medium", "medium"): SELECT,
    ("low", "strong"): SELECT,
    ("medium", "weak"): HARVEST,
    ("low", "medium"): HARVEST,
    ("low", "weak"): HARVEST,
}
# "Atouts" and "attraits" are plural in French: their levels agree with them.
STRENGTH_LABELS = {
    "weak": pgettext_lazy("strength", "Weak"),
    "medium": pgettext_lazy("strength", "Medium"),
    "strong": pgettext_lazy("strength", "Strong"),
}
ATTRACTIVENESS_LABELS = {
    "low": pgettext_lazy("attractiveness", "Low"),
    "medium": pgettext_lazy("attractiveness", "Medium"),
    "high": pgettext_lazy("attractiveness", "High"),
}
# A reading in one word, as each cell of the grid and a target's rationale name it.
READING_WORDS = {INVEST: _("Invest"), SELECT: _("Select"), HARVEST: _("Harvest")}
READING_LABELS = {
    INVEST: _("Invest and grow"),
    SELECT: _("Select: invest where the line can win"),
    HARVEST: _("Harvest or withdraw"),
}


def strength_of(market_share):
    if market_share >= STRENGTH_HIGH:
        return "strong"
    if market_share >= STRENGTH_MEDIUM:
        return "medium"
    return "weak"


@dataclass
class Bubble:
    """An offer line placed on the attractiveness–strength grid."""

    offer: object
    market_share: Decimal
    strength: str
    klass: str  # its ABC class by contribution margin
    attractiveness: str
    sales: Decimal
    margin_share: Decimal

    @property
    def reading(self):
        return READINGS[(self.attractiveness, self.strength)]

    @property
    def reading_label(self):
        return READING_LABELS[self.reading]

    @property
    def strength_label(self):
        return STRENGTH_LABELS[self.strength]

    @property
    def attractiveness_label(self):
        return ATTRACTIVENESS_LABELS[self.attractiveness]


@dataclass
class McKinsey:
    bubbles: list[Bubble]
    unplaced: list  # offers without a market share


def mckinsey(offers, class_a, class_b):
    """Each offer line with a market share as a bubble: strength from its market share,
    attractiveness from its ABC class by contribution margin among all the offer lines."""
    margin = abc(offers, lambda row: row.margin, class_a, class_b)
    bubbles = [
        Bubble(
            offer=item.row,
            market_share=item.row.market_share,
            strength=strength_of(item.row.market_share),
            klass=item.klass,
            attractiveness=ATTRACTIVENESS[item.klass],
            sales=item.row.sales,
            margin_share=item.share,
        )
        for item in margin.ranked
        if item.row.market_share is not None
    ]
    bubbles.sort(key=lambda bubble: (-bubble.sales, bubble.offer.name))
    unplaced = [offer for offer in offers if offer.market_share is None]
    return McKinsey(bubbles=bubbles, unplaced=sorted(unplaced, key=lambda row: row.name))
