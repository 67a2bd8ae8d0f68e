"""The figures of a plan's diagnosis, for the period before it: sales and contribution margin per
client, per offer line (with its market), and per offer and segment; and the thresholds of its
analyses (pac.diagnosis.analysis computes them)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pac.core.models import Plan, Versioned
from pac.diagnosis import analysis
from pac.diagnosis.analysis import HUNDRED, ZERO

# Pareto's 80/20 and the usual B limit: what a plan's ABC uses until its manager changes them.
CLASS_A = Decimal("80")
CLASS_B = Decimal("95")
# Below this share of the A class held by its high-priority targets, a plan misses its best
# clients (pac.plans.selectors.focus_warnings).
A_COVERAGE = Decimal("50")


def amount_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def share_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(HUNDRED)],
        **kwargs,
    )


class Diagnosis(Versioned):
    """A plan's choices for its analyses; a plan without one uses the defaults."""

    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, related_name="diagnosis", verbose_name=_("plan")
    )
    figures_period = models.CharField(
        _("period of the figures"),
        max_length=60,
        blank=True,
        help_text=_("For instance 2025, or 1st semester 2026."),
    )
    class_a = models.DecimalField(
        _("class A up to (%)"),
        max_digits=5,
        decimal_places=2,
        default=CLASS_A,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("99"))],
        help_text=_("Share of the total that the first clients or offers make: class A."),
    )
    class_b = models.DecimalField(
        _("class B up to (%)"),
        max_digits=5,
        decimal_places=2,
        default=CLASS_B,
        validators=[MinValueValidator(Decimal("2")), MaxValueValidator(HUNDRED)],
        help_text=_("Up to this share, class B; the rest is class C."),
    )
    a_coverage = models.DecimalField(
        _("A class covered by high-priority targets, at least (%)"),
        max_digits=5,
        decimal_places=2,
        default=A_COVERAGE,
        validators=[MinValueValidator(ZERO), MaxValueValidator(HUNDRED)],
        help_text=_("Below it, the plan page warns that its priorities miss the best clients."),
    )

    history = HistoricalRecords()
    plan_path = "plan"  # what its changes touch (pac.core.revisions)

    class Meta:
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")
        constraints = [
            models.CheckConstraint(
                condition=Q(class_a__lt=F("class_b")),
                name="diagnosis_class_a_below_b",
                violation_error_message=_("Class A must end below class B."),
            ),
        ]

    def __str__(self):
        return str(self.plan)

    def clean(self):
        if self.class_a is not None and self.class_b is not None and self.class_a >= self.class_b:
            raise ValidationError({"class_b": _("Class B must end above class A.")})


class Figures(Versioned):
    """What every row of the diagnosis has: sales and a contribution margin that a row's sales
    bound (a margin may be negative: a client who costs more than he brings)."""

    sales = amount_field(_("sales (€)"), validators=[MinValueValidator(ZERO)])
    margin = amount_field(_("contribution margin (€)"))
    order = models.PositiveIntegerField(_("order"), default=0)

    plan_path = "plan"  # what its changes touch (pac.core.revisions)

    class Meta:
        abstract = True

    def clean(self):
        if self.sales is not None and self.margin is not None and self.margin > self.sales:
            raise ValidationError(
                {"margin": _("A contribution margin cannot be larger than the sales.")}
            )

    @property
    def margin_rate(self):
        return analysis.margin_rate(self.margin, self.sales)


class ClientFigure(Figures):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="client_figures", verbose_name=_("plan")
    )
    name = models.CharField(_("client"), max_length=200)
    segment = models.CharField(_("segment"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-sales", "name"]
        verbose_name = _("client's figures")
        verbose_name_plural = _("clients' figures")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="clientfigure_name_unique_per_plan",
                violation_error_message=_("This client is already in the diagnosis."),
            ),
            models.CheckConstraint(
                condition=Q(sales__gte=0), name="clientfigure_sales_not_negative"
            ),
        ]

    def __str__(self):
        return self.name


class OfferFigure(Figures):
    """An offer line (a product or a service line) with its market."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="offer_figures", verbose_name=_("plan")
    )
    name = models.CharField(_("offer"), max_length=200)
    market_share = share_field(
        _("market share in volume (%)"),
        null=True,
        blank=True,
        help_text=_("The company's share of its market, in volume: the strength of the line."),
    )
    market_growth = models.DecimalField(
        _("market growth (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("1000"))],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "-sales", "name"]
        verbose_name = _("offer's figures")
        verbose_name_plural = _("offers' figures")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="offerfigure_name_unique_per_plan",
                violation_error_message=_("This offer is already in the diagnosis."),
            ),
            models.CheckConstraint(
                condition=Q(sales__gte=0), name="offerfigure_sales_not_negative"
            ),
        ]

    def __str__(self):
        return self.name


class OfferSegmentFigure(Figures):
    """What one offer sold to one segment: a cell of the offers × segments matrix."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="offer_segment_figures", verbose_name=_("plan")
    )
    offer = models.CharField(_("offer"), max_length=200)
    segment = models.CharField(_("segment"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "offer", "segment"]
        verbose_name = _("offer × segment figures")
        verbose_name_plural = _("offers × segments figures")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "offer", "segment"],
                name="offersegmentfigure_unique_per_plan",
                violation_error_message=_("This offer already has figures for this segment."),
            ),
            models.CheckConstraint(
                condition=Q(sales__gte=0), name="offersegmentfigure_sales_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.offer} × {self.segment}"
