"""Items a person puts in order (targets, objectives, steps, SWOT items, competitors): each has an
`order` among its siblings, a new one goes last, and one moves up or down past its neighbour."""

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _


def next_order(siblings):
    """The order of an item added after its siblings: one past the last, 0 for the first."""
    last = siblings.aggregate(last=Max("order"))["last"]
    return 0 if last is None else last + 1


def move_in(siblings, item, direction, actor):
    """Swap an item with its neighbour among its ordered siblings, renumbering them 0..n."""
    if direction not in {"up", "down"}:
        raise ValidationError(_("Move an item up or down."))
    siblings = list(siblings)
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for order, sibling in enumerate(siblings):
        if sibling.order != order:
            sibling.order = order
            sibling._history_user = actor
            sibling.save(update_fields=["order"])
