"""Reads of the carnet commercial: what the won deals add up to."""

from django.db.models import Count, Sum

from targets.models import Deal


def won_totals(plan):
    """Amount and number of won deals per (target, owner) of the plan: one grouped query."""
    rows = (
        Deal.objects.filter(plan=plan, stage=Deal.Stage.WON)
        .values("target", "owner")
        .annotate(amount=Sum("amount"), count=Count("pk"))
        .values_list("target", "owner", "amount", "count")
    )
    return {(target, owner): (amount, count) for target, owner, amount, count in rows}
