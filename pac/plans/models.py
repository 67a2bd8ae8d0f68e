"""The plan's diagnosis: SWOT items and competitors."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pac.core.models import Plan, Versioned


class SwotItem(Versioned):
    """One line of the SWOT (FFOM) matrix."""

    class Quadrant(models.TextChoices):
        STRENGTH = "strength", _("Strengths")
        WEAKNESS = "weakness", _("Weaknesses")
        OPPORTUNITY = "opportunity", _("Opportunities")
        THREAT = "threat", _("Threats")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="swot_items", verbose_name=_("plan")
    )
    quadrant = models.CharField(_("quadrant"), max_length=12, choices=Quadrant.choices)
    text = models.CharField(_("text"), max_length=500)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    plan_path = "plan"  # what its changes touch (pac.core.revisions)

    class Meta:
        ordering = ["plan", "quadrant", "order", "pk"]
        verbose_name = _("SWOT item")
        verbose_name_plural = _("SWOT items")
        constraints = [
            models.CheckConstraint(
                condition=Q(quadrant__in=["strength", "weakness", "opportunity", "threat"]),
                name="swotitem_quadrant_valid",
                violation_error_message=_(
                    "Choose a quadrant: strengths, weaknesses, opportunities or threats."
                ),
            ),
        ]

    def __str__(self):
        return self.text


class ThreatLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Competitor(Versioned):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="competitors", verbose_name=_("plan")
    )
    name = models.CharField(_("name"), max_length=200)
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    positioning = models.TextField(_("positioning"), blank=True)
    threat = models.CharField(
        _("threat level"), max_length=10, choices=ThreatLevel.choices, default=ThreatLevel.MEDIUM
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()
    plan_path = "plan"  # what its changes touch (pac.core.revisions)

    class Meta:
        ordering = ["plan", "order", "name"]
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="competitor_name_unique_per_plan",
                violation_error_message=_("This competitor is already in the plan."),
            ),
            models.CheckConstraint(
                condition=Q(threat__in=ThreatLevel.values),
                name="competitor_threat_valid",
                violation_error_message=_("Choose a threat level: low, medium or high."),
            ),
        ]

    def __str__(self):
        return self.name
