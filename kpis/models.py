"""Indicators (KPIs) that follow an action or an objective, and the values recorded for them."""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actions.models import Action
from pac.core import revisions
from pac.core.models import Versioned
from pac.core.validators import team_member_errors
from targets.models import Objective


class KpiQuerySet(models.QuerySet):
    def of_plan(self, plan):
        """Every KPI of a plan, whether it follows an action or an objective. Each path is a
        subquery of ids (the plan's actions, its objectives): an OR over the two joins joined
        every KPI of the database to its action, objective and their targets before filtering
        (the cockpit's standings of a plan's 200 KPIs among 14,000 went from 7.5 to 3.5 ms on
        SQLite, 9.2 to 6.2 on PostgreSQL; a plan holding every KPI reads as fast)."""
        return self.filter(
            Q(action__in=Action.objects.of_plan(plan).values("pk"))
            | Q(objective__in=Objective.objects.of_plan(plan).values("pk"))
        )


class Kpi(Versioned):
    """A performance indicator with its target, direction and reporting frequency."""

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")

    action = models.ForeignKey(
        "actions.Action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kpis",
        verbose_name=_("action"),
    )
    objective = models.ForeignKey(
        "targets.Objective",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kpis",
        verbose_name=_("objective"),
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=30)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    per_period = models.BooleanField(
        _("target per period"),
        default=False,
        help_text=_(
            "The target is for each week, month or quarter (30 demos a week), not for the whole "
            "action: each value is the figure of its period so far."
        ),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kpis",
        verbose_name=_("owner"),
        help_text=_("The person who records its values."),
    )

    objects = KpiQuerySet.as_manager()
    history = HistoricalRecords()
    # What its changes touch (pac.core.revisions): through its action or its objective.
    plan_path = ("action__target__plan", "objective__target__plan")

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__isnull=False, objective__isnull=True)
                | Q(action__isnull=True, objective__isnull=False),
                name="kpi_follows_action_or_objective",
                violation_error_message=_("A KPI follows either one action or one objective."),
            ),
            models.CheckConstraint(
                condition=Q(direction__in=["increase", "decrease"]),
                name="kpi_direction_valid",
                violation_error_message=_("Choose a direction."),
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=["weekly", "monthly", "quarterly"]),
                name="kpi_frequency_valid",
                violation_error_message=_("Choose a frequency: weekly, monthly or quarterly."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def plan(self):
        return (self.action or self.objective).target.plan

    @property
    def period_label(self):
        """ "per week", "per month" or "per quarter" for a target per period; "" otherwise."""
        return PERIOD_LABELS[self.frequency] if self.per_period else ""

    def clean(self):
        super().clean()
        if bool(self.action_id) == bool(self.objective_id):
            raise ValidationError(_("A KPI follows either one action or one objective."))
        errors = team_member_errors(self.plan, owner=self.owner)
        if self.per_period and self.pk and self.measured_objectives.exists():
            errors["per_period"] = _(
                "This KPI gives an objective its figure for the whole period: its target cannot "
                "be per period. Measure the objective otherwise first."
            )
        if errors:
            raise ValidationError(errors)


PERIOD_LABELS = {
    "weekly": _("per week"),
    "monthly": _("per month"),
    "quarterly": _("per quarter"),
}


def period_of(frequency, day):
    """The first and last day of the week (Monday to Sunday), month or calendar quarter holding
    `day`: the period a per-period target is for."""
    if frequency == Kpi.Frequency.WEEKLY:
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    months = 3 if frequency == Kpi.Frequency.QUARTERLY else 1
    first_month = (day.month - 1) // months * months + 1
    last_month = first_month + months - 1
    return (
        date(day.year, first_month, 1),
        date(day.year, last_month, calendar.monthrange(day.year, last_month)[1]),
    )


class KpiValue(models.Model):
    """A value of a KPI as measured on a date."""

    kpi = models.ForeignKey(
        Kpi, on_delete=models.CASCADE, related_name="values", verbose_name=_("KPI")
    )
    recorded_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="kpi_values",
        verbose_name=_("recorded by"),
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    # What its changes touch (pac.core.revisions): through its KPI.
    plan_path = ("kpi__action__target__plan", "kpi__objective__target__plan")
    # A value of a KPI of an action shows on its owner's PACI and in the cockpit's ranking of
    # KPIs: it moves the plan's values token and its owner's. A KPI of an objective, or one that
    # measures an objective, moves objectives' progress, which many pages show: its values move
    # everything.
    revision_kind = revisions.VALUES

    class Meta:
        ordering = ["kpi", "recorded_on"]
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "recorded_on"],
                name="kpivalue_one_per_kpi_and_date",
                violation_error_message=_("A value is already recorded for this KPI on this date."),
            ),
        ]

    def __str__(self):
        return f"{self.kpi} · {self.recorded_on:%d/%m/%Y} · {self.value}"

    def revision_people(self):
        row = (
            Kpi._base_manager.filter(pk=self.kpi_id)
            .annotate(measures=Count("measured_objectives"))
            .values_list("owner_id", "objective_id", "measures")
            .first()
        )
        if row is None or row[1] is not None or row[2]:
            return None
        return {row[0]}
