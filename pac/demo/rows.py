"""How the demo writes its rows: validated as a form would, amounts in euros to the cent."""

from decimal import Decimal


def euros(value):
    return Decimal(value).quantize(Decimal("0.01"))


def saved(instance):
    """Validate as a form would, then save: the demo obeys the same rules as users' input."""
    instance.full_clean()
    instance.save()
    return instance
