"""A team objective split down to its reps (the PAC made into PACIs): how much of it is shared
out, what is left, and the figure of the team rolled up from its reps'.

Pure functions on numbers, tested with figures worked out by hand.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from targets.models import CENT

UNIT = Decimal("1")


@dataclass(frozen=True)
class Split:
    """The shares of a team objective against its target value."""

    team: Decimal
    shared: Decimal
    count: int

    @property
    def left(self):
        """What is still to be shared out, when the shares fall short."""
        return max(self.team - self.shared, Decimal(0))

    @property
    def over(self):
        """By how much the shares exceed the team's figure."""
        return max(self.shared - self.team, Decimal(0))


def split_of(to_split, share_values):
    """The split of a team objective with `to_split` to share out (its way from baseline to
    target), whose shares have `share_values`."""
    values = [Decimal(value or 0) for value in share_values]
    return Split(Decimal(to_split or 0), sum(values, Decimal(0)), len(values))


def equal_shares(total, count):
    """`total` in `count` equal shares: in whole units when the total is whole, else in cents,
    the units left over going one each to the first shares, so that they add up to the total
    (1 000 000 in three: 333 334, 333 333, 333 333)."""
    if count <= 0:
        return []
    total = Decimal(total)
    step = UNIT if total == total.to_integral_value() else CENT
    each = (total / count).quantize(step, rounding=ROUND_DOWN)
    extra = int((total - each * count) / step)
    return [each + step if index < extra else each for index in range(count)]


def rolled_up(baseline, shares):
    """The team's figure from its reps': its baseline plus how far each share with a figure has
    come from its own baseline; None while no share has a figure. `shares` are (baseline,
    actual) pairs."""
    moves = [Decimal(actual) - Decimal(base or 0) for base, actual in shares if actual is not None]
    if not moves:
        return None
    return Decimal(baseline or 0) + sum(moves, Decimal(0))
