"""Targets of a plan, their objectives, and the deals of the carnet commercial."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, DecimalField, F, Q, Sum, Window
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pac.core.display import is_euros
from pac.core.models import Plan, Versioned
from pac.core.periods import near_period_errors
from pac.core.validators import period_errors, team_member_errors

HUNDRED = Decimal("100")
CENT = Decimal("0.01")


class Target(Versioned):
    """What a plan aims at ("cible"): a client account, a segment, a product or a couple of both."""

    class Kind(models.TextChoices):
        CLIENT = "client", _("Client account")
        SEGMENT = "segment", _("Customer segment")
        PRODUCT = "product", _("Product or service")
        PRODUCT_SEGMENT = "product_segment", _("Product × segment")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("High")
        MEDIUM = 2, _("Medium")
        LOW = 3, _("Low")

    class Origin(models.TextChoices):
        # The sections of the diagnosis page, by their anchors.
        CLIENTS = "abc-clients", _("ABC analysis of the clients")
        OFFERS = "abc-offers", _("ABC analysis of the offers")
        CROSSED = "crossed", _("Crossed ABC")
        OFFERS_SEGMENTS = "offers-segments", _("Offers × segments")
        MCKINSEY = "mckinsey", _("Attractiveness–strength matrix")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    rationale = models.TextField(_("rationale"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    # Where in the plan's diagnosis the target was chosen (pac.diagnosis): its section and what
    # it showed there, so that the plan page links back to it.
    origin = models.CharField(_("chosen from"), max_length=20, choices=Origin.choices, blank=True)
    origin_note = models.CharField(_("what the diagnosis showed"), max_length=300, blank=True)
    # The row, cell or class it was chosen from ("client-12", "class-A", "crossed-A-C"): what the
    # plan page's warnings count it as covering.
    origin_source = models.CharField(_("chosen on"), max_length=40, blank=True, editable=False)

    history = HistoricalRecords()
    plan_path = "plan"  # what its changes touch (pac.core.revisions)

    class Meta:
        ordering = ["plan", "priority", "order", "name"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="target_name_unique_per_plan",
                violation_error_message=_("The plan already has a target with this name."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["client", "segment", "product", "product_segment"]),
                name="target_kind_valid",
                violation_error_message=_(
                    "Choose a kind: client account, segment, product or product × segment."
                ),
            ),
            models.CheckConstraint(
                condition=Q(priority__in=[1, 2, 3]),
                name="target_priority_valid",
                violation_error_message=_("Choose a priority: high, medium or low."),
            ),
        ]

    def __str__(self):
        return self.name


class ObjectiveQuerySet(models.QuerySet):
    def of_plan(self, plan):
        return self.filter(target__plan=plan)

    def of_team(self):
        """The team's objectives, without the reps' shares of them."""
        return self.filter(parent=None)


class Objective(Versioned):
    """A SMART objective on a target: a number, a unit, a baseline, a deadline and an owner."""

    class Kind(models.TextChoices):
        QUANTITATIVE = "quantitative", _("Quantitative")
        QUALITATIVE = "qualitative", _("Qualitative")

    class Measure(models.TextChoices):
        KPI = "kpi", _("the latest value of one of its KPIs")
        WON_AMOUNT = "won_amount", _("the amount won on its target")
        WON_COUNT = "won_count", _("the number of deals won on its target")
        ASSESSMENT = "assessment", _("an assessment by the manager")

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("target")
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.QUANTITATIVE
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    metric = models.CharField(
        _("metric"),
        max_length=120,
        blank=True,
        help_text=_("What is counted: new clients, revenue, retention rate, win rate…"),
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    measured_by = models.CharField(
        _("measured by"),
        max_length=12,
        choices=Measure.choices,
        default=Measure.WON_AMOUNT,
        help_text=_("Where the actual figure comes from, to compare it with the target."),
    )
    # The KPI whose latest value is the objective's figure, when measured by a KPI. Without one
    # (none added yet, or deleted) the objective cannot be measured, and the pages say so.
    measure_kpi = models.ForeignKey(
        "kpis.Kpi",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measured_objectives",
        verbose_name=_("KPI that measures it"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name=_("owner"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    # A rep's share of a team objective (the PAC split down to the PACI): same target, metric and
    # unit, the rep as owner, part of the team's target value (targets.split).
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shares",
        verbose_name=_("team objective"),
        editable=False,
    )

    objects = ObjectiveQuerySet.as_manager()
    history = HistoricalRecords()
    plan_path = "target__plan"  # what its changes touch (pac.core.revisions)

    class Meta:
        ordering = ["target", "order", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="qualitative")
                | (
                    Q(kind="quantitative")
                    & ~Q(metric="")
                    & ~Q(unit="")
                    & Q(target_value__isnull=False)
                ),
                name="objective_quantitative_is_measurable",
                violation_error_message=_(
                    "A quantitative objective needs a metric, a unit and a target value."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="qualitative", measured_by="assessment")
                | Q(kind="quantitative", measured_by__in=["kpi", "won_amount", "won_count"]),
                name="objective_measure_fits_its_kind",
                violation_error_message=_(
                    "A qualitative objective is assessed; a quantitative one is measured by a "
                    "KPI or by the deals won."
                ),
            ),
            models.UniqueConstraint(
                fields=["parent", "owner"],
                condition=Q(parent__isnull=False),
                name="objective_one_share_per_rep",
                violation_error_message=_("This rep already has a share of this objective."),
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(owner__isnull=False),
                name="objective_share_has_its_rep",
                violation_error_message=_("A share of a team objective belongs to a rep."),
            ),
        ]

    def __str__(self):
        if self.parent_id is not None and self.owner_id is not None:
            return _("%(title)s (share of %(person)s)") % {
                "title": self.title,
                "person": self.owner,
            }
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == self.Kind.QUANTITATIVE:
            if not self.metric:
                errors["metric"] = _("Say what is measured.")
            if not self.unit:
                errors["unit"] = _("Give the unit of the figure (clients, €, %…).")
            if self.target_value is None:
                errors["target_value"] = _("A quantitative objective needs a target value.")
            errors |= self.measure_errors()
        elif self.measured_by != self.Measure.ASSESSMENT:
            errors["measured_by"] = _("A qualitative objective is assessed by the manager.")
        if self.target_id:
            plan = self.target.plan
            errors |= period_errors(plan, deadline=self.deadline)
            errors |= team_member_errors(plan, owner=self.owner)
        if self.parent_id:
            parent = self.parent
            if parent.parent_id or parent.target_id != self.target_id:
                errors[NON_FIELD_ERRORS] = _(
                    "A share belongs to a team objective of the same target."
                )
            if self.owner_id is None:
                errors["owner"] = _("A share of a team objective belongs to a rep.")
            if self.target_value is not None and self.target_value <= 0:
                errors["target_value"] = _(
                    "A share is a figure above zero; leave it empty to give none."
                )
        if errors:
            raise ValidationError(errors)

    def measure_errors(self):
        """What makes the chosen measure unable to give this objective its figure."""
        if self.measured_by == self.Measure.ASSESSMENT:
            return {"measured_by": _("Only a qualitative objective is assessed.")}
        if self.measured_by == self.Measure.WON_AMOUNT and self.unit and not self.in_euros:
            return {
                "measured_by": _(
                    "The amount won is counted in euros: give the objective the unit €, or "
                    "measure it otherwise."
                )
            }
        if self.measured_by == self.Measure.WON_COUNT and self.in_euros:
            return {
                "measured_by": _(
                    "A number of deals is not in euros: measure it by the amount won, or change "
                    "its unit."
                )
            }
        kpi = self.measure_kpi
        if self.measured_by == self.Measure.KPI and kpi is not None:
            if kpi.objective_id is None or kpi.objective_id != self.pk:
                return {"measured_by": _("Choose one of this objective's own KPIs.")}
            if kpi.per_period:
                return {
                    "measured_by": _(
                        "A KPI with a target per period starts again each period: it cannot "
                        "give the figure of an objective for the whole period."
                    )
                }
        return {}

    @property
    def in_euros(self):
        """A revenue objective: its figure is an amount in euros."""
        return is_euros(self.unit)

    @property
    def is_share(self):
        """A rep's share of a team objective."""
        return self.parent_id is not None

    def split_refusal(self):
        """Why this objective cannot be split between reps ({field: message}), empty when it
        can: only a team's figure that adds up is split, from its baseline to its target (not a
        rep's share, nor a qualitative objective, a rate, or a figure to bring down)."""
        if self.parent_id is not None:
            return {NON_FIELD_ERRORS: _("A rep's share cannot be split again.")}
        if self.kind != self.Kind.QUANTITATIVE:
            return {"kind": _("Only a quantitative objective is split between reps.")}
        if self.unit.strip() == "%":
            return {
                "unit": _(
                    "A rate does not add up between reps: split a figure such as an amount or a "
                    "number of clients."
                )
            }
        if self.target_value is None or self.target_value <= (self.baseline or 0):
            return {
                "target_value": _("Only a figure to raise from its baseline is split between reps.")
            }
        return {}

    @property
    def splittable(self):
        return not self.split_refusal()

    @property
    def to_split(self):
        """What the reps' shares add up to: the way from the baseline to the target value."""
        return (self.target_value or 0) - (self.baseline or 0)

    @property
    def unmeasurable(self):
        """A quantitative objective that nothing can give a figure to: measured by a KPI it does
        not have (yet, or any more)."""
        return (
            self.kind == self.Kind.QUANTITATIVE
            and self.measured_by == self.Measure.KPI
            and self.measure_kpi_id is None
        )


class Assessment(models.Model):
    """The manager's verdict on a qualitative objective at a date: how it stands, and why."""

    class Verdict(models.TextChoices):
        REACHED = "reached", _("Reached")
        PARTLY = "partly", _("Partly reached")
        NOT_REACHED = "not_reached", _("Not reached")

    objective = models.ForeignKey(
        Objective,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("objective"),
    )
    assessed_on = models.DateField(_("date"))
    verdict = models.CharField(_("assessment"), max_length=12, choices=Verdict.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    plan_path = "objective__target__plan"  # what its changes touch (pac.core.revisions)

    class Meta:
        ordering = ["objective", "-assessed_on", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=["reached", "partly", "not_reached"]),
                name="assessment_verdict_valid",
                violation_error_message=_("Choose reached, partly reached or not reached."),
            ),
        ]

    def __str__(self):
        return f"{self.objective} · {self.get_verdict_display()}"

    @classmethod
    def verdict_label(cls, value):
        """The label of a verdict ("partly" → "Partly reached"), "" for none."""
        return cls.Verdict(value).label if value in cls.Verdict.values else ""

    def clean(self):
        # Any day that has come (the form says so): a verdict is often given at the review that
        # follows the period.
        super().clean()
        if self.objective_id and self.objective.kind != Objective.Kind.QUALITATIVE:
            raise ValidationError(
                {"verdict": _("Only a qualitative objective is assessed; the others measure.")}
            )
        if self.objective_id and self._state.adding:
            # When given: a later move of the plan's period leaves past verdicts as they are.
            errors = near_period_errors(self.objective.target.plan, assessed_on=self.assessed_on)
            if errors:
                raise ValidationError(errors)


class DealQuerySet(models.QuerySet):
    def open(self):
        """The deals still in play: neither won nor lost."""
        return self.exclude(stage__in=[Deal.Stage.WON, Deal.Stage.LOST])

    def summary(self):
        """(number of deals, weighted total) in one query. The weighted total is the forecast:
        the sum of amount × probability, in euros rounded to the cent."""
        row = self.aggregate(**SUMMARY)
        return row["count"], forecast(row["total"])

    def with_summary(self):
        """Each deal carrying the summary of all of them (`summary_count`, `summary_total`):
        window aggregates, computed before a page is cut, so that a page of the carnet and its
        totals come in one query."""
        return self.annotate(
            **{f"summary_{name}": Window(aggregate) for name, aggregate in SUMMARY.items()}
        )


SUMMARY = {
    "count": Count("pk"),
    "total": Sum(F("amount") * F("probability"), output_field=DecimalField()),
}


def forecast(weighted):
    """The sum of amount × probability as euros rounded to the cent (SQLite may give a float)."""
    return (Decimal(str(weighted or 0)) / HUNDRED).quantize(CENT)


class Deal(Versioned):
    """A line of the carnet commercial: an expected sale with its probability."""

    class Stage(models.TextChoices):
        LEAD = "lead", _("Lead")
        QUALIFIED = "qualified", _("Qualified")
        PROPOSAL = "proposal", _("Proposal sent")
        NEGOTIATION = "negotiation", _("Negotiation")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="deals", verbose_name=_("plan")
    )
    target = models.ForeignKey(
        Target,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals",
        verbose_name=_("target"),
    )
    milestone_date = models.DateField(_("milestone date"))
    company = models.CharField(_("company"), max_length=200)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    nature = models.CharField(_("nature (product)"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="deals",
        verbose_name=_("owner"),
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.LEAD)
    # The deal's id in the CRM it was imported from: a second import updates it (targets.crm).
    external_id = models.CharField(_("CRM id"), max_length=100, blank=True)

    objects = DealQuerySet.as_manager()
    history = HistoricalRecords()
    plan_path = "plan"  # what its changes touch (pac.core.revisions)

    class Meta:
        ordering = ["plan", "milestone_date", "company"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        # The carnet's order: its first page is read from the index, not sorted from all deals.
        indexes = [
            models.Index(
                fields=["plan", "milestone_date", "company", "id"], name="deal_carnet_order"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=0, probability__lte=100),
                name="deal_probability_0_100",
                violation_error_message=_("The probability is a percentage between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="deal_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(stage="won") | Q(probability=100),
                name="deal_won_is_certain",
                violation_error_message=_("A won deal is certain: set its probability to 100."),
            ),
            models.CheckConstraint(
                condition=~Q(stage="lost") | Q(probability=0),
                name="deal_lost_is_zero",
                violation_error_message=_(
                    "A lost deal has no chance left: set its probability to 0."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    stage__in=["lead", "qualified", "proposal", "negotiation", "won", "lost"]
                ),
                name="deal_stage_valid",
                violation_error_message=_("Choose a stage of the pipeline."),
            ),
            models.UniqueConstraint(
                fields=["plan", "external_id"],
                condition=~Q(external_id=""),
                name="deal_external_id_unique",
                violation_error_message=_("The plan already has a deal with this CRM id."),
            ),
        ]

    def __str__(self):
        return f"{self.company} · {self.nature}" if self.nature else self.company

    @property
    def weighted_amount(self):
        return (self.amount * self.probability / HUNDRED).quantize(CENT)

    def clean(self):
        super().clean()
        if not self.plan_id:
            return
        errors = team_member_errors(self.plan, owner=self.owner if self.owner_id else None)
        # A deal may close a little after the period, not in year 9999.
        errors |= near_period_errors(self.plan, milestone_date=self.milestone_date)
        if self.target_id and self.target.plan_id != self.plan_id:
            errors["target"] = _("Choose a target of the same plan.")
        if errors:
            raise ValidationError(errors)
