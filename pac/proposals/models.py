"""A rep's proposal on their PACI: not the plan until a manager accepts it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pac.core.models import Plan, Versioned


class ProposalQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(state=Proposal.State.WAITING)


class Proposal(Versioned):
    """What a rep proposes, with why; the manager accepts it (as it is, or amended) or declines
    it with a reason. `changes` holds the proposed values by field name, as the form's text;
    `seen` the values the rep saw when proposing a change, with `seen_version` the version of the
    row then: a row that has moved since shows the manager both."""

    class Kind(models.TextChoices):
        NEW_ACTION = "new_action", _("New action")
        ACTION_CHANGE = "action_change", _("Change to an action")
        OBJECTIVE_CHANGE = "objective_change", _("Change to an objective")

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for a decision")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("plan")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("proposed by"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What it is about: the target of a new action, the action or the objective it changes.
    target = models.ForeignKey(
        "targets.Target",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("target"),
    )
    action = models.ForeignKey(
        "actions.Action",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("action"),
    )
    objective = models.ForeignKey(
        "targets.Objective",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("objective"),
    )
    changes = models.JSONField(_("proposed values"), default=dict)
    seen = models.JSONField(_("values seen"), default=dict, blank=True)
    seen_version = models.PositiveIntegerField(_("version seen"), null=True, blank=True)
    comment = models.TextField(_("why"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals_decided",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # What the manager applied: the proposed values, or theirs when they amended it.
    applied = models.JSONField(_("values applied"), default=dict, blank=True)
    # The action an accepted proposal of a new action became.
    created_action = models.ForeignKey(
        "actions.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_by",
        verbose_name=_("action created"),
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords()
    plan_path = "plan"  # what its changes touch (pac.core.revisions)

    class Meta:
        ordering = ["plan", "-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="new_action", target__isnull=False)
                | Q(kind="action_change", action__isnull=False)
                | Q(kind="objective_change", objective__isnull=False),
                name="proposal_names_what_it_is_about",
                violation_error_message=_(
                    "A proposal names its target, its action or its objective."
                ),
            ),
            models.CheckConstraint(
                condition=Q(state__in=["waiting", "accepted", "declined"]),
                name="proposal_state_valid",
                violation_error_message=_("Choose waiting, accepted or declined."),
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(reason=""),
                name="proposal_declined_with_a_reason",
                violation_error_message=_("Say why the proposal is declined."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.author}"

    @property
    def waiting(self):
        return self.state == self.State.WAITING
