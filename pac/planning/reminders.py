"""The daily digest: what is due in the next days and what is late, by e-mail, and what became
of the person's proposals since the last digest.

Run it once a day (cron, systemd timer...): `manage.py send_reminders`. Each item is sent at most
once a day to a person, so running it twice sends nothing new, even at the same moment on two
servers: a run holds the person's row locked while it reads what they were sent, writes what it
sends and sends it, so the other run waits, then finds everything already sent.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import translation

from actions.models import Action, ActionStep
from pac.core import text
from pac.core.models import Plan, User
from pac.planning.models import ReminderSent
from pac.proposals.models import Proposal
from pac.proposals.selectors import describe
from targets.models import Deal


@dataclass
class Digest:
    user: User
    late_actions: list = field(default_factory=list)
    due_actions: list = field(default_factory=list)
    late_steps: list = field(default_factory=list)
    due_steps: list = field(default_factory=list)
    deals: list = field(default_factory=list)
    proposals: list = field(default_factory=list)

    def items(self):
        return (
            [f"action:{a.pk}" for a in self.late_actions + self.due_actions]
            + [f"step:{s.pk}" for s in self.late_steps + self.due_steps]
            + [f"deal:{d.pk}" for d in self.deals]
            + [f"proposal:{p.pk}" for p in self.proposals]
        )


def digest_for(user, today, days):
    """The user's open work in running plans: their late actions (owned or taken part in, as on
    their PACI), the others they take part in that end within `days` days, their steps late or
    due by then, and the milestones of their open deals in that window. Items already sent to
    them today are left out; so are the decisions on their proposals already told, and those
    older than `days` days."""
    end = today + timedelta(days=days)
    span = timedelta(days=days)
    plans = Plan.objects.for_user(user).exclude(status=Plan.Status.CLOSED)
    # Today's items, and every decision on their proposals ever sent: a decision is told once.
    sent = set(
        ReminderSent.objects.filter(
            Q(sent_on=today) | Q(item__startswith="proposal:"), user=user
        ).values_list("item", flat=True)
    )
    work = Action.objects.filter(target__plan__in=plans).involving(user).open().with_lateness(today)
    actions = [
        action
        for action in work.filter(Q(is_late=True) | Q(end_date__lte=end))
        .select_related("target__plan")
        .order_by(F("end_date").asc(nulls_last=True), "pk")
        if f"action:{action.pk}" not in sent
    ]
    steps = [
        step
        for step in ActionStep.objects.given_to(user)
        .open()
        .filter(action__target__plan__in=plans, due_date__lte=end)
        .with_lateness(today)
        .select_related("action__target__plan")
        .order_by("due_date", "pk")
        if f"step:{step.pk}" not in sent
    ]
    deals = [
        deal
        for deal in Deal.objects.open()
        .filter(plan__in=plans, owner=user, milestone_date__range=(today, end))
        .order_by("milestone_date", "pk")
        if f"deal:{deal.pk}" not in sent
    ]
    proposals = [
        proposal
        for proposal in Proposal.objects.filter(author=user, decided_at__date__gte=today - span)
        .exclude(state=Proposal.State.WAITING)
        .select_related("plan", "decided_by", "target", "action", "objective")
        .order_by("decided_at", "pk")
        if f"proposal:{proposal.pk}" not in sent
    ]
    return Digest(
        user=user,
        late_actions=[a for a in actions if a.is_late],
        due_actions=[a for a in actions if not a.is_late],
        late_steps=[s for s in steps if s.is_late],
        due_steps=[s for s in steps if not s.is_late],
        deals=deals,
        proposals=proposals,
    )


def send_reminders(today, days=7, dry_run=False):
    """E-mail each user who wants reminders their digest; returns the digests sent."""
    sent = []
    users = User.objects.filter(is_active=True, reminders=True).exclude(email="")
    for user in users.order_by("pk"):
        try:
            digest = send_digest(user, today, days, dry_run)
        except IntegrityError:
            # Another run recorded this person's items first (a database without row locks):
            # they have had their e-mail, and the others still get theirs.
            continue
        if digest is not None:
            sent.append(digest)
    return sent


@transaction.atomic
def send_digest(user, today, days, dry_run):
    """The user's digest, sent and recorded; None when there is nothing new to tell them.

    The user's row stays locked (PostgreSQL) until the records are committed: a run started at
    the same moment elsewhere waits here, then reads those records and finds nothing to send.
    SQLite takes its one write lock when the transaction begins, to the same effect."""
    if not dry_run:
        User.objects.select_for_update(no_key=True).only("pk").get(pk=user.pk)
    digest = digest_for(user, today, days)
    if not digest.items():
        return None
    with translation.override(user.language):
        for proposal in digest.proposals:
            describe(proposal)
        context = {"digest": digest, "today": today, "days": days, "site": settings.SITE_URL}
        # User text saved before the forms refused control characters, or typed in the admin.
        subject = text.plain(
            render_to_string("email/reminder_subject.txt", context), multiline=False
        )
        body = text.plain(render_to_string("email/reminder_body.txt", context))
    if not dry_run:
        ReminderSent.objects.bulk_create(
            ReminderSent(user=user, item=item, sent_on=today) for item in digest.items()
        )
        EmailMessage(subject=subject, body=body, to=[user.email]).send()
    return digest
