"""Review meetings of a plan (revues du PAC)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pac.core.models import Plan, Versioned
from pac.core.periods import near_period_errors


class Review(Versioned):
    """A review meeting of the plan along the PDCA loop."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("plan")
    )
    held_on = models.DateField(_("date"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="reviews_attended",
        verbose_name=_("attendees"),
    )
    other_attendees = models.CharField(
        _("other attendees"),
        max_length=500,
        blank=True,
        help_text=_("People without an account, separated by commas."),
    )
    findings = models.TextField(_("findings"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    snapshot = models.JSONField(
        _("figures at the date of the review"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Objectives and KPIs as they stood on the review's date; never changed."),
    )

    # The actions decided at the meeting (`corrective_action_create`), listed by the synthesis
    # until they are done.
    corrective_actions = models.ManyToManyField(
        "actions.Action",
        blank=True,
        related_name="decided_at",
        verbose_name=_("corrective actions"),
        editable=False,
    )

    history = HistoricalRecords(m2m_fields=[attendees])
    plan_path = "plan"  # what its changes touch (pac.core.revisions)

    class Meta:
        ordering = ["plan", "-held_on"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return _("Review of %(date)s") % {"date": date_format(self.held_on, "SHORT_DATE_FORMAT")}

    def save(self, *args, **kwargs):
        # The snapshot is the record of where the plan stood on the day: it never changes.
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("snapshot", flat=True)
            if stored and stored[0] and stored[0] != self.snapshot:
                raise ValidationError(
                    _("The figures of a review are frozen at its date; they cannot change.")
                )
        super().save(*args, **kwargs)

    @property
    def attendee_names(self):
        """Who attended: the team's people by name, then those without an account as typed."""
        others = [name.strip() for name in self.other_attendees.split(",") if name.strip()]
        return [str(person) for person in self.attendees.all()] + others

    def get_absolute_url(self):
        return reverse("pac:review-detail", args=[self.plan_id, self.pk])

    def clean(self):
        super().clean()
        # When recorded: its date never changes, and a later move of the plan's period must not
        # make the review impossible to edit.
        if self.plan_id and self._state.adding:
            errors = near_period_errors(self.plan, held_on=self.held_on)
            if errors:
                raise ValidationError(errors)


class PaciSignature(models.Model):
    """A rep's dated acknowledgement of their PACI, after the "entretien PAC": the objectives and
    actions as they were then (`snapshot`, never changed), and its fingerprint, the version
    signed. The latest one per rep and plan is the one that counts."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="paci_signatures", verbose_name=_("plan")
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="paci_signatures",
        verbose_name=_("rep"),
    )
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    snapshot = models.JSONField(_("PACI signed"), default=dict, editable=False)
    fingerprint = models.CharField(_("version signed"), max_length=12, editable=False)

    plan_path = "plan"  # what its changes touch (pac.core.revisions)

    class Meta:
        ordering = ["plan", "rep", "-signed_at", "-pk"]
        get_latest_by = "signed_at"
        verbose_name = _("PACI signature")
        verbose_name_plural = _("PACI signatures")

    def __str__(self):
        return f"{self.rep} · {self.signed_at:%Y-%m-%d}"
