"""Action sheets ("fiches action") and their steps."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pac.core import revisions
from pac.core.models import Versioned
from pac.core.periods import span_errors
from pac.core.validators import period_errors, team_member_errors
from targets.models import Target

# Work that is over: a done or cancelled action calls for nothing more (a postponed one does).
FINISHED = ("done", "cancelled")


def step_is_open():
    """A step still calls for work when it is not done and its action is still open."""
    return Q(done=False) & ~Q(action__status__in=FINISHED)


def step_is_late(today):
    """A step is late when it is open and its due date has passed."""
    return step_is_open() & Q(due_date__lt=today)


def action_is_late(today):
    """An action is late when it is still open and either its end date has passed or one of its
    steps is late: the one meaning of "late" for every page, feed, reminder and document."""
    late_steps = ActionStep.objects.filter(step_is_late(today), action=OuterRef("pk"))
    return ~Q(status__in=FINISHED) & (Q(end_date__lt=today) | Exists(late_steps))


def flagged(condition):
    """A condition as a boolean column, to sort rows already loaded without a second rule."""
    return Case(When(condition, then=Value(True)), default=Value(False))


class ActionQuerySet(models.QuerySet):
    def of_plan(self, plan):
        return self.filter(target__plan=plan)

    def open(self):
        return self.exclude(status__in=FINISHED)

    def late(self, today):
        return self.filter(action_is_late(today))

    def with_lateness(self, today):
        """Each action with `is_late`, by the rule of `late`."""
        return self.annotate(is_late=flagged(action_is_late(today)))

    def involving(self, person):
        """A person's work: the actions they own or take part in. `person` may be an OuterRef,
        to count each person's work in a subquery."""
        # One level deeper inside the Exists, an outer reference must reach one level further.
        inner = OuterRef(person) if isinstance(person, OuterRef) else person
        takes_part = Action.participants.through.objects.filter(action=OuterRef("pk"), user=inner)
        return self.filter(Q(owner=person) | Exists(takes_part))


class Action(Versioned):
    """One action of the plan, on a target, with everything its sheet holds."""

    class Domain(models.TextChoices):
        INFORMATION = "information", _("Information gathering")
        INTERNAL = "internal", _("Internal development")
        SALES = "sales", _("Sales actions")

    class SalesType(models.TextChoices):
        NOTORIETY = "notoriety", _("Notoriety")
        HUNTING = "hunting", _("Hunting (new clients)")
        FARMING = "farming", _("Farming (existing clients)")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="actions", verbose_name=_("target")
    )
    domain = models.CharField(_("domain"), max_length=12, choices=Domain.choices)
    sales_type = models.CharField(
        _("sales type"),
        max_length=10,
        choices=SalesType.choices,
        blank=True,
        help_text=_("Only for sales actions."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    means = models.TextField(
        _("means"),
        blank=True,
        help_text=_("Channels, communication means, sales materials."),
    )
    budget_planned = models.DecimalField(
        _("planned budget (€)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    budget_actual = models.DecimalField(
        _("actual spend (€)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        verbose_name=_("owner"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="participating_actions",
        verbose_name=_("participants"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    occurrences_planned = models.PositiveIntegerField(
        _("occurrences planned"),
        null=True,
        blank=True,
        help_text=_("For repeated actions, e.g. 12 client visits."),
    )
    occurrences_done = models.PositiveIntegerField(_("occurrences done"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    objectives = models.ManyToManyField(
        "targets.Objective",
        blank=True,
        related_name="actions",
        verbose_name=_("objectives served"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[participants, objectives])
    plan_path = "target__plan"  # what its changes touch (pac.core.revisions)

    @staticmethod
    def people_of(pk):
        """The ids of an action's owner and participants: whose PACI shows it. One query."""
        rows = Action._base_manager.filter(pk=pk).values_list("owner_id", "participants")
        return {person for row in rows for person in row} - {None}

    class Meta:
        ordering = ["start_date", "order", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="action_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(budget_planned__gte=0) & Q(budget_actual__gte=0),
                name="action_budget_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="action_progress_0_100",
                violation_error_message=_("The progress is a percentage between 0 and 100."),
            ),
            models.CheckConstraint(
                # Spelled out for NULL: a CHECK whose condition is unknown lets the row in.
                condition=Q(occurrences_planned__isnull=True, occurrences_done=0)
                | Q(
                    occurrences_planned__isnull=False,
                    occurrences_done__lte=models.F("occurrences_planned"),
                ),
                name="action_occurrences_done_within_planned",
                violation_error_message=_(
                    "The occurrences done cannot exceed the occurrences planned."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(domain="sales") & ~Q(sales_type=""))
                | (~Q(domain="sales") & Q(sales_type="")),
                name="action_sales_type_only_for_sales",
                violation_error_message=_(
                    "A sales action needs a sales type (notoriety, hunting or farming); "
                    "other domains have none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(domain__in=["information", "internal", "sales"]),
                name="action_domain_valid",
                violation_error_message=_(
                    "Choose a domain: information gathering, internal development or sales."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["planned", "in_progress", "done", "postponed", "cancelled"]
                ),
                name="action_status_valid",
                violation_error_message=_("Choose a valid status."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("actions:action-detail", args=[self.target.plan_id, self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.domain == self.Domain.SALES and not self.sales_type:
            errors["sales_type"] = _(
                "Say whether this sales action is notoriety, hunting or farming."
            )
        if self.domain and self.domain != self.Domain.SALES and self.sales_type:
            errors["sales_type"] = _("Only sales actions have a sales type.")
        errors |= span_errors(self.start_date, self.end_date, "end_date")
        if self.occurrences_planned is None and self.occurrences_done:
            errors["occurrences_done"] = _(
                "Set the number of occurrences planned before counting those done."
            )
        elif (
            self.occurrences_planned is not None
            and self.occurrences_done > self.occurrences_planned
        ):
            errors["occurrences_done"] = _(
                "%(done)s done is more than the %(planned)s planned: "
                "raise the number planned first."
            ) % {"done": self.occurrences_done, "planned": self.occurrences_planned}
        if self.target_id:
            plan = self.target.plan
            errors = (
                period_errors(plan, start_date=self.start_date, end_date=self.end_date)
                | errors
                | team_member_errors(plan, owner=self.owner)
            )
        if errors:
            raise ValidationError(errors)

    @property
    def plan(self):
        return self.target.plan

    @property
    def is_open(self):
        """Whether the action still calls for work, as `Action.objects.open()` has it."""
        return self.status not in FINISHED

    @property
    def budget_overrun(self):
        return max(self.budget_actual - self.budget_planned, Decimal("0"))


class ActionStepQuerySet(models.QuerySet):
    def of_plan(self, plan):
        return self.filter(action__target__plan=plan)

    def open(self):
        return self.filter(step_is_open())

    def late(self, today):
        return self.filter(step_is_late(today))

    def given_to(self, person):
        """The steps a person is to do: given to them, or to nobody on an action they own."""
        return self.filter(Q(owner=person) | Q(owner__isnull=True, action__owner=person))

    def with_lateness(self, today):
        """Each step with `is_late`, by the rule of `late`."""
        return self.annotate(is_late=flagged(step_is_late(today)))


class ActionStep(Versioned):
    """One of the successive steps of an action, with its own owner and due date."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="steps", verbose_name=_("action")
    )
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_steps",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = ActionStepQuerySet.as_manager()
    history = HistoricalRecords()
    plan_path = "action__target__plan"  # what its changes touch (pac.core.revisions)
    # A step shows on its action's people's PACIs (never by its own owner) and in the plan's late
    # work: its changes move the plan's steps token and those people's, not what the plan's other
    # pages share.
    revision_kind = revisions.STEPS

    class Meta:
        ordering = ["action", "order", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self):
        return self.title

    def revision_people(self):
        return Action.people_of(self.action_id)

    def clean(self):
        super().clean()
        if self.action_id:
            plan = self.action.target.plan
            errors = period_errors(plan, due_date=self.due_date) | team_member_errors(
                plan, owner=self.owner
            )
            if errors:
                raise ValidationError(errors)
