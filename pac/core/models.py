"""The foundation: users, teams and their members, the plan itself, and what every plan-content
model inherits (its version)."""

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import models as auth
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Concat, Lower, NullIf, Trim
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pac.core.periods import plausible_errors, span_errors


class Versioned(models.Model):
    """A row whose every save bumps a version, so an edit opened on an older one is caught."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


def new_feed_token():
    """A long random secret for a private calendar feed URL."""
    return secrets.token_urlsafe(32)


# The fields PAC names a person by (User.name_of): what a page loads of the people it names.
NAME_FIELDS = ("first_name", "last_name", "username")


def person_name(path=""):
    """User.name_of in SQL, for the person at `path` ("owner", or "" for the user itself): to
    sort people by the name the pages show."""
    prefix = f"{path}__" if path else ""
    full = Trim(Concat(f"{prefix}first_name", Value(" "), f"{prefix}last_name"))
    return Coalesce(NullIf(full, Value("")), f"{prefix}username")


class UserQuerySet(models.QuerySet):
    def by_name(self):
        """People in the order of the names the pages show, whatever their case."""
        return self.order_by(Lower(person_name()), "pk")

    def members_of(self, team, roles=None):
        """The people of a team (a Team or its id), of any role or of one of `roles`, by name."""
        memberships = Membership.objects.filter(team=team)
        if roles is not None:
            memberships = memberships.filter(role__in=roles)
        return self.filter(pk__in=memberships.values("user")).by_name()

    def working_on(self, team):
        """The people who may own or take part in a team's work: its managers and reps."""
        return self.members_of(team, WORKING_ROLES)


class UserManager(auth.UserManager.from_queryset(UserQuerySet)):
    """Django's, for creating users, with PAC's ways of finding them."""


class User(auth.AbstractUser):
    """A person who signs in: manager, rep or viewer through their team memberships."""

    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="fr",
        help_text=_("The language of your e-mails and calendar feeds."),
    )
    reminders = models.BooleanField(
        _("daily reminders"),
        default=True,
        help_text=_("An e-mail each morning with what is due soon and what is late."),
    )
    feed_token = models.CharField(
        _("calendar feed key"), max_length=64, unique=True, default=new_feed_token, editable=False
    )

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["feed_token"])
    # Pages show people's names: a rename shows on every plan of their teams (pac.core.revisions).
    plan_path = "memberships__team__plans"

    class Meta(auth.AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name_of(self.first_name, self.last_name, self.username)

    @staticmethod
    def name_of(first_name, last_name, username):
        """How PAC names a person: full name, else username. For rows read without a User
        (their NAME_FIELDS); person_name() says the same in SQL."""
        return f"{first_name or ''} {last_name or ''}".strip() or username


class TeamQuerySet(models.QuerySet):
    def for_user(self, user):
        """The teams a user belongs to in any role; every team for staff."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(pk__in=Membership.objects.filter(user=user).values("team"))

    def managed_by(self, user):
        """The teams whose plans a user creates and rolls over: those they manage; every team
        for staff."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(
            pk__in=Membership.objects.filter(user=user, role=Role.MANAGER).values("team")
        )


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="teams",
        verbose_name=_("members"),
    )

    objects = TeamQuerySet.as_manager()
    history = HistoricalRecords()
    # Pages show people's names and roles: the team's plans (pac.core.revisions).
    plan_path = "plans"

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    MANAGER = "manager", _("Sales manager")
    REP = "rep", _("Sales rep")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """One user's role in one team: what they may do with the team's plans."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    history = HistoricalRecords()
    plan_path = "team__plans"  # a new role shows on every plan of the team (pac.core.revisions)

    class Meta:
        ordering = ["team__name", "role", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                name="membership_one_role_per_team",
                violation_error_message=_("This person already has a role in this team."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="membership_role_valid",
                violation_error_message=_("Choose a role: sales manager, sales rep or viewer."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.team} · {self.get_role_display()}"


# The roles that carry a plan's work: owners and participants of objectives, actions, steps,
# KPIs and deals. Viewers read.
WORKING_ROLES = (Role.MANAGER, Role.REP)


class PlanQuerySet(models.QuerySet):
    def for_user(self, user):
        """The plans of the teams a user belongs to, whatever their role; every plan for staff."""
        return self.filter(team__in=Team.objects.for_user(user))


# A plan's revision tokens (pac.core.revisions): bookkeeping, kept out of its history.
REVISION_FIELDS = (
    "revision",
    "revised_at",
    "shared_revision",
    "steps_revision",
    "values_revision",
    "people_revisions",
)


class Plan(Versioned):
    """A team's commercial action plan (PAC) for one period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    # A plan's life: drafted, run (and back to draft for a rework), closed. A closed plan is the
    # archive of its period: it never opens again.
    NEXT_STATUSES = {
        Status.DRAFT: {Status.ACTIVE},
        Status.ACTIVE: {Status.DRAFT, Status.CLOSED},
        Status.CLOSED: set(),
    }

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="plans", verbose_name=_("team")
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    budget_envelope = models.DecimalField(
        _("budget envelope (€)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The total the plan's actions may spend over the period."),
    )
    strategy = models.TextField(_("commercial strategy"), blank=True)
    ambitions = models.TextField(_("ambitions"), blank=True)
    segmentation = models.TextField(_("market segmentation"), blank=True)
    company_goals = models.TextField(_("link to company goals"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("duplicated from"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Changes with anything the plan holds (pac.revisions), so what is computed from the plan can
    # be cached under it. A random token, not a counter: a save from an instance read earlier
    # writes an old token back, and only a token never used before is safe to follow it.
    revision = models.UUIDField(_("revision"), default=uuid.uuid4, editable=False)
    # When the revision last changed: a plan quiet for a few minutes gets its synthesis printed
    # ahead of the meeting (`manage.py print_documents`).
    revised_at = models.DateTimeField(_("revised at"), default=timezone.now, editable=False)
    # Finer tokens for the pages that read a part of the plan (pac.core.revisions): the ticks of
    # steps and the values of a rep's own KPIs move `steps_revision` or `values_revision`, and
    # the token of each person whose PACI shows them (`people_revisions`, by user id); anything
    # else moves `shared_revision`, and the two others with it.
    shared_revision = models.UUIDField(default=uuid.uuid4, editable=False)
    steps_revision = models.UUIDField(default=uuid.uuid4, editable=False)
    values_revision = models.UUIDField(default=uuid.uuid4, editable=False)
    people_revisions = models.JSONField(default=dict, editable=False)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=list(REVISION_FIELDS))
    plan_path = "pk"  # the plan is its own (pac.core.revisions)

    class Meta:
        ordering = ["-period_start", "team__name", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="plan_period_end_after_start",
                violation_error_message=_("The period must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(budget_envelope__gte=0),
                name="plan_budget_envelope_not_negative",
                violation_error_message=_("The budget envelope cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "closed"]),
                name="plan_status_valid",
                violation_error_message=_("Choose a status: draft, active or closed."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pac:plan-detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A plan cannot be duplicated from itself.")})
        start, end = self.period_start, self.period_end
        # An implausible year first: the order of two dates in year 9999 says little.
        errors = plausible_errors(period_start=start, period_end=end) or span_errors(
            start, end, "period_end", period=True
        )
        if errors:
            raise ValidationError(errors)

    def contains(self, day):
        """Whether a date falls inside the plan's period (both ends included)."""
        return day is not None and self.period_start <= day <= self.period_end

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @classmethod
    def status_change_error(cls, old, new):
        """Why a plan may not go from status `old` to `new`, or None when it may."""
        if new in cls.NEXT_STATUSES.get(old, ()):
            return None
        return _("A plan cannot go from %(old)s to %(new)s.") % {
            "old": cls.Status(old).label if old in cls.Status.values else old,
            "new": cls.Status(new).label if new in cls.Status.values else new,
        }


class SentForm(models.Model):
    """The one-time token of a create form that has created something: the same form sent again
    (a double click, a post resubmitted from the browser's history) creates nothing more."""

    token = models.CharField(max_length=64, primary_key=True)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sent form")
        verbose_name_plural = _("sent forms")

    def __str__(self):
        return self.token
