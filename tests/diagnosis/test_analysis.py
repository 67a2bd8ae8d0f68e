"""The analyses of a diagnosis against figures worked out by hand: the arithmetic is in the
comments, every share exact (Decimal), no database."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from pac.diagnosis.analysis import (
    HARVEST,
    INVEST,
    SELECT,
    abc,
    crossed,
    mckinsey,
    offers_segments,
    strength_of,
)

D = Decimal
A80, B95 = D(80), D(95)


@dataclass
class Row:
    """A client or an offer line as the analyses read them."""

    pk: int
    name: str
    sales: Decimal
    margin: Decimal
    segment: str = ""
    market_share: Decimal | None = None


@dataclass
class CellFigure:
    """What one offer sold to one segment."""

    pk: int
    offer: str
    segment: str
    sales: Decimal
    margin: Decimal


def by_sales(row):
    return row.sales


def by_margin(row):
    return row.margin


# Ten clients, 1 000 of sales and 200 of net margin (250 positive, one client losing 50).
#
# By sales (total 1 000; A while the share before a row is < 80 %, B while < 95 %):
#   rank client   sales share before cumul class
#   1    Alpha    300   30 %    0 %   30 %  A
#   2    Bravo    200   20 %   30 %   50 %  A
#   3    Charlie  150   15 %   50 %   65 %  A
#   4    Delta    100   10 %   65 %   75 %  A
#   5    Echo      60    6 %   75 %   81 %  A  crosses 80 %: in the class it completes
#   6    Foxtrot   60    6 %   81 %   87 %  A  tied with Echo: Echo's class, not B
#   7    Golf      50    5 %   87 %   92 %  B
#   8    Hotel     40    4 %   92 %   96 %  B  crosses 95 %
#   9    India     30    3 %   96 %   99 %  C
#   10   Juliet    10    1 %   99 %  100 %  C
#
# By margin (total of the positive margins 100+60+40+25+15+7+3 = 250):
#   rank client   margin share  before cumul class
#   1    Bravo    100    40 %     0 %   40 %  A
#   2    Delta     60    24 %    40 %   64 %  A
#   3    Echo      40    16 %    64 %   80 %  A
#   4    Golf      25    10 %    80 %   90 %  B  the share before is exactly 80 %: not below
#   5    India     15     6 %    90 %   96 %  B  crosses 95 %
#   6    Juliet     7   2.8 %    96 %  98.8 % C
#   7    Alpha      3   1.2 %  98.8 %  100 %  C
#   8    Charlie    0     0 %   100 %  100 %  C  brings nothing
#   9    Hotel      0     0 %   100 %  100 %  C  brings nothing (tied with Charlie, by name)
#   10   Foxtrot  -50   -20 %   100 %  100 %  C  loses money; the cumulative does not fall
CLIENTS = [
    Row(1, "Alpha", D(300), D(3), "Santé"),
    Row(2, "Bravo", D(200), D(100), "PME"),
    Row(3, "Charlie", D(150), D(0), "Public"),
    Row(4, "Delta", D(100), D(60), "Santé"),
    Row(5, "Echo", D(60), D(40), "PME"),
    Row(6, "Foxtrot", D(60), D(-50), "Public"),
    Row(7, "Golf", D(50), D(25), "Santé"),
    Row(8, "Hotel", D(40), D(0), "PME"),
    Row(9, "India", D(30), D(15), "Public"),
    Row(10, "Juliet", D(10), D(7), "Santé"),
]


def table(result):
    return [
        (item.rank, item.name, item.value, item.share, item.cumulative, item.klass)
        for item in result.ranked
    ]


def summaries(result):
    return [
        (summary.klass, summary.count, summary.count_share, summary.value, summary.value_share)
        for summary in result.classes
    ]


def test_clients_by_sales_are_ranked_with_their_shares_and_classes():
    """Pareto at 80/95: the row that crosses a threshold completes its class, and a tie across
    the threshold keeps the class of the first tied row."""
    result = abc(CLIENTS, by_sales, A80, B95)
    assert result.total == D(1000)
    assert table(result) == [
        (1, "Alpha", D(300), D(30), D(30), "A"),
        (2, "Bravo", D(200), D(20), D(50), "A"),
        (3, "Charlie", D(150), D(15), D(65), "A"),
        (4, "Delta", D(100), D(10), D(75), "A"),
        (5, "Echo", D(60), D(6), D(81), "A"),
        (6, "Foxtrot", D(60), D(6), D(87), "A"),
        (7, "Golf", D(50), D(5), D(92), "B"),
        (8, "Hotel", D(40), D(4), D(96), "B"),
        (9, "India", D(30), D(3), D(99), "C"),
        (10, "Juliet", D(10), D(1), D(100), "C"),
    ]
    assert result.class_of() == dict(zip(range(1, 11), "AAAAAABBCC", strict=True))


def test_the_classes_by_sales_sum_up_their_clients():
    # A: 6 of 10 clients (60 %), 300+200+150+100+60+60 = 870 of 1 000 (87 %).
    # B: Golf and Hotel, 2 (20 %), 50+40 = 90 (9 %). C: India and Juliet, 2 (20 %), 40 (4 %).
    result = abc(CLIENTS, by_sales, A80, B95)
    assert summaries(result) == [
        ("A", 6, D(60), D(870), D(87)),
        ("B", 2, D(20), D(90), D(9)),
        ("C", 2, D(20), D(40), D(4)),
    ]
    assert result.of("B").count == 2
    for summary in result.classes:
        assert isinstance(summary.count_share, Decimal)


def test_clients_that_bring_nothing_or_lose_money_are_class_c_by_margin():
    result = abc(CLIENTS, by_margin, A80, B95)
    assert result.total == D(250)  # the positive margins only: Foxtrot's loss is not in it
    assert table(result) == [
        (1, "Bravo", D(100), D(40), D(40), "A"),
        (2, "Delta", D(60), D(24), D(64), "A"),
        (3, "Echo", D(40), D(16), D(80), "A"),
        (4, "Golf", D(25), D(10), D(90), "B"),
        (5, "India", D(15), D(6), D(96), "B"),
        (6, "Juliet", D(7), D("2.8"), D("98.8"), "C"),
        (7, "Alpha", D(3), D("1.2"), D(100), "C"),
        (8, "Charlie", D(0), D(0), D(100), "C"),
        (9, "Hotel", D(0), D(0), D(100), "C"),
        (10, "Foxtrot", D(-50), D(-20), D(100), "C"),
    ]
    # A: Bravo, Delta, Echo: 3 (30 %), 200 of 250 (80 %). B: Golf, India: 2 (20 %), 40 (16 %).
    # C: 5 clients (50 %), 7+3+0+0 = 10 (4 %): a loss counts for nothing in a class's value.
    assert summaries(result) == [
        ("A", 3, D(30), D(200), D(80)),
        ("B", 2, D(20), D(40), D(16)),
        ("C", 5, D(50), D(10), D(4)),
    ]


def test_other_thresholds_move_the_classes():
    """At 70/90: Delta crosses 70 % and completes A; the Echo–Foxtrot tie starts at 75 %, so
    both are B; Golf crosses 90 % and completes B."""
    result = abc(CLIENTS, by_sales, D(70), D(90))
    assert [(item.name, item.klass) for item in result.ranked] == [
        ("Alpha", "A"),  # before 0 %
        ("Bravo", "A"),  # before 30 %
        ("Charlie", "A"),  # before 50 %
        ("Delta", "A"),  # before 65 %, after 75 %
        ("Echo", "B"),  # before 75 %
        ("Foxtrot", "B"),  # tied with Echo
        ("Golf", "B"),  # before 87 %, after 92 %
        ("Hotel", "C"),  # before 92 %
        ("India", "C"),
        ("Juliet", "C"),
    ]
    # A: 4 (40 %), 750 (75 %). B: 3 (30 %), 60+60+50 = 170 (17 %). C: 3 (30 %), 80 (8 %).
    assert summaries(result) == [
        ("A", 4, D(40), D(750), D(75)),
        ("B", 3, D(30), D(170), D(17)),
        ("C", 3, D(30), D(80), D(8)),
    ]


def test_rows_of_equal_value_are_ranked_by_name_whatever_their_case():
    rows = [Row(1, "zeta", D(10), D(0)), Row(2, "Alpha", D(10), D(0)), Row(3, "beta", D(10), D(0))]
    assert [item.name for item in abc(rows, by_sales, A80, B95).ranked] == ["Alpha", "beta", "zeta"]
    # All three tied from 0 %: all A, each a third of the total.
    assert {item.klass for item in abc(rows, by_sales, A80, B95).ranked} == {"A"}


def test_a_total_of_zero_makes_every_row_class_c_with_no_share():
    rows = [
        Row(1, "Alpha", D(100), D(0)),
        Row(2, "Bravo", D(50), D(-20)),
        Row(3, "Charlie", D(0), D(0)),
    ]
    result = abc(rows, by_margin, A80, B95)
    assert result.total == D(0)
    assert [(item.name, item.share, item.cumulative, item.klass) for item in result.ranked] == [
        ("Alpha", D(0), D(0), "C"),
        ("Charlie", D(0), D(0), "C"),
        ("Bravo", D(0), D(0), "C"),
    ]
    assert summaries(result) == [
        ("A", 0, D(0), D(0), D(0)),
        ("B", 0, D(0), D(0), D(0)),
        ("C", 3, D(100), D(0), D(0)),
    ]


def test_no_rows_make_empty_classes():
    result = abc([], by_sales, A80, B95)
    assert result.ranked == [] and result.total == D(0)
    assert summaries(result) == [(klass, 0, D(0), D(0), D(0)) for klass in "ABC"]


def test_a_single_client_is_class_a_with_the_whole_total():
    result = abc([Row(1, "Seul", D(500), D(100))], by_sales, A80, B95)
    assert table(result) == [(1, "Seul", D(500), D(100), D(100), "A")]
    assert summaries(result) == [
        ("A", 1, D(100), D(500), D(100)),
        ("B", 0, D(0), D(0), D(0)),
        ("C", 0, D(0), D(0), D(0)),
    ]


def test_the_crossed_abc_puts_each_client_in_its_cell():
    """Sales class (rows) × margin class (columns), from the two rankings above."""
    result = crossed(CLIENTS, A80, B95)
    assert result.sales == D(1000)
    # The cells' shares are of the margin the clients bring, as the ABC's: 250, the -50 aside.
    assert result.margin == D(250)
    names = {key: [row.name for row in cell.rows] for key, cell in result.cells.items()}
    assert names == {
        ("A", "A"): ["Bravo", "Delta", "Echo"],
        ("A", "B"): [],
        ("A", "C"): ["Alpha", "Charlie", "Foxtrot"],  # by sales, largest first
        ("B", "A"): [],
        ("B", "B"): ["Golf"],
        ("B", "C"): ["Hotel"],
        ("C", "A"): [],
        ("C", "B"): ["India"],
        ("C", "C"): ["Juliet"],
    }


def test_the_crossed_abc_sums_each_cell_and_its_shares():
    result = crossed(CLIENTS, A80, B95)
    figures = {
        key: (cell.count, cell.sales, cell.margin, cell.sales_share, cell.margin_share)
        for key, cell in result.cells.items()
    }
    assert figures == {
        # 200+100+60 = 360 (36 % of 1 000); 100+60+40 = 200 (80 % of the 250 brought).
        ("A", "A"): (3, D(360), D(200), D(36), D(80)),
        ("A", "B"): (0, D(0), D(0), D(0), D(0)),
        # 300+150+60 = 510 (51 %); 3+0-50 = -47 (-18.8 % of 250).
        ("A", "C"): (3, D(510), D(-47), D(51), D("-18.8")),
        ("B", "A"): (0, D(0), D(0), D(0), D(0)),
        ("B", "B"): (1, D(50), D(25), D(5), D(10)),  # 25 / 250
        ("B", "C"): (1, D(40), D(0), D(4), D(0)),
        ("C", "A"): (0, D(0), D(0), D(0), D(0)),
        ("C", "B"): (1, D(30), D(15), D(3), D(6)),  # 15 / 250
        ("C", "C"): (1, D(10), D(7), D(1), D("2.8")),  # 7 / 250
    }
    assert result.cell("A", "C").margin_rate == D("-47") / D(510) * 100
    assert result.cell("A", "B").margin_rate is None
    assert [sales_class for sales_class, _ in result.table()] == ["A", "B", "C"]
    assert [margin_class for margin_class, _ in result.table()[0][1]] == ["A", "B", "C"]


# The offers × segments matrix: 1 000 of sales, 250 of margin.
#                 Santé          PME            Public        total
#   Infogérance   400/80  20 %   200/60  30 %   100/5   5 %   700/145
#   Cloud         100/35  35 %   —              150/45 30 %   250/80
#   SOC           —              50/25   50 %   0/0    —      50/25
#   total         500/115        250/85         250/50        1 000/250
# Best cell: SOC × PME (50 %); worst: Infogérance × Public (5 %); SOC × Public sold nothing.
MATRIX = [
    CellFigure(1, "Infogérance", "Santé", D(400), D(80)),
    CellFigure(2, "Infogérance", "PME", D(200), D(60)),
    CellFigure(3, "Infogérance", "Public", D(100), D(5)),
    CellFigure(4, "Cloud", "Santé", D(100), D(35)),
    CellFigure(5, "Cloud", "Public", D(150), D(45)),
    CellFigure(6, "SOC", "PME", D(50), D(25)),
    CellFigure(7, "SOC", "Public", D(0), D(0)),
]


def test_the_matrix_sums_rows_and_columns():
    matrix = offers_segments(MATRIX)
    assert (matrix.total.sales, matrix.total.margin) == (D(1000), D(250))
    assert matrix.offers == ["Infogérance", "Cloud", "SOC"]  # by sales
    assert matrix.segments == ["Santé", "PME", "Public"]  # PME and Public tie at 250: by name
    offers = {
        name: (cell.sales, cell.margin, cell.sales_share, cell.margin_share)
        for name, cell in matrix.offer_totals.items()
    }
    assert offers == {
        "Infogérance": (D(700), D(145), D(70), D(58)),  # 145 / 250 = 58 %
        "Cloud": (D(250), D(80), D(25), D(32)),
        "SOC": (D(50), D(25), D(5), D(10)),
    }
    segments = {
        name: (cell.sales, cell.margin, cell.sales_share, cell.margin_share)
        for name, cell in matrix.segment_totals.items()
    }
    assert segments == {
        "Santé": (D(500), D(115), D(50), D(46)),
        "PME": (D(250), D(85), D(25), D(34)),
        "Public": (D(250), D(50), D(25), D(20)),
    }
    cell = matrix.cells[("Infogérance", "Santé")]
    assert (cell.sales_share, cell.margin_share, cell.margin_rate) == (D(40), D(32), D(20))


def test_the_matrix_marks_its_best_and_worst_cells_by_margin_rate():
    matrix = offers_segments(MATRIX)
    marks = {key: cell.mark for key, cell in matrix.cells.items() if cell.mark}
    assert marks == {("SOC", "PME"): "best", ("Infogérance", "Public"): "worst"}
    # Zero sales: no margin rate, never best nor worst.
    assert matrix.cells[("SOC", "Public")].margin_rate is None
    assert matrix.cells[("SOC", "Public")].mark == ""
    rows = {row[0]: dict(row[1]) for row in matrix.table()}
    assert rows["Cloud"]["PME"] is None  # nothing sold there: an empty cell
    assert rows["SOC"]["PME"] is matrix.cells[("SOC", "PME")]


def test_a_single_cell_is_neither_best_nor_worst():
    matrix = offers_segments([CellFigure(1, "Cloud", "Santé", D(100), D(30))])
    assert matrix.cells[("Cloud", "Santé")].mark == ""
    # One cell that sold, beside one that sold nothing: still a single rated cell.
    matrix = offers_segments(
        [CellFigure(1, "Cloud", "Santé", D(100), D(30)), CellFigure(2, "Cloud", "PME", D(0), D(0))]
    )
    assert {cell.mark for cell in matrix.cells.values()} == {""}


def test_cells_of_the_same_rate_are_not_marked():
    matrix = offers_segments(
        [
            CellFigure(1, "Cloud", "Santé", D(100), D(30)),
            CellFigure(2, "Cloud", "PME", D(50), D(15)),
        ]
    )
    assert {cell.mark for cell in matrix.cells.values()} == {""}


# Six offer lines, 1 000 of margin. ABC by margin at 80/95, strength from the market share:
#   offer      sales margin share before class attractiveness  market share strength reading
#   Infogérance 2000  500   50 %   0 %   A    high             25 %   strong   invest
#   Cloud       1200  250   25 %  50 %   A    high             10 %   medium   invest
#   SOC          500  150   15 %  75 %   A    high           9.99 %   weak     select
#   Audit        300   60    6 %  90 %   B    medium        24.99 %   medium   select
#   Formation    200   30    3 %  96 %   C    low               5 %   weak     harvest
#   Conseil      100   10    1 %  99 %   C    (no market share: unplaced)
OFFERS = [
    Row(1, "Infogérance", D(2000), D(500), market_share=D(25)),
    Row(2, "Cloud", D(1200), D(250), market_share=D(10)),
    Row(3, "SOC", D(500), D(150), market_share=D("9.99")),
    Row(4, "Audit", D(300), D(60), market_share=D("24.99")),
    Row(5, "Formation", D(200), D(30), market_share=D(5)),
    Row(6, "Conseil", D(100), D(10)),
]


def test_mckinsey_places_each_offer_with_a_market_share():
    result = mckinsey(OFFERS, A80, B95)
    placed = [
        (
            bubble.offer.name,
            bubble.market_share,
            bubble.strength,
            bubble.klass,
            bubble.attractiveness,
            bubble.reading,
            bubble.sales,
            bubble.margin_share,
        )
        for bubble in result.bubbles
    ]
    assert placed == [
        ("Infogérance", D(25), "strong", "A", "high", INVEST, D(2000), D(50)),
        ("Cloud", D(10), "medium", "A", "high", INVEST, D(1200), D(25)),
        ("SOC", D("9.99"), "weak", "A", "high", SELECT, D(500), D(15)),
        ("Audit", D("24.99"), "medium", "B", "medium", SELECT, D(300), D(6)),
        ("Formation", D(5), "weak", "C", "low", HARVEST, D(200), D(3)),
    ]
    # Unplaced, yet in the ABC the others are classed by: its 10 is in the 1 000.
    assert [offer.name for offer in result.unplaced] == ["Conseil"]


@pytest.mark.parametrize(
    ("market_share", "strength"),
    [
        (D(0), "weak"),
        (D("9.99"), "weak"),
        (D(10), "medium"),  # exactly 10 %: medium
        (D("24.99"), "medium"),
        (D(25), "strong"),  # exactly 25 %: strong
        (D(100), "strong"),
    ],
)
def test_strength_thresholds_at_their_boundaries(market_share, strength):
    assert strength_of(market_share) == strength


def test_mckinsey_without_any_market_share_places_nothing():
    result = mckinsey([Row(1, "Cloud", D(100), D(30)), Row(2, "SOC", D(50), D(20))], A80, B95)
    assert result.bubbles == []
    assert [offer.name for offer in result.unplaced] == ["Cloud", "SOC"]
