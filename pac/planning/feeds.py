"""Private iCalendar feeds (RFC 5545, built with the icalendar library).

User text goes in through pac.text.plain: RFC 5545 forbids control characters, and a line break
in a one-line property would end it (the calendar's name is not escaped by the library).

Each user has a secret feed URL of their own work; managers also get one per plan they manage.
The key in the URL is the only credential: regenerating it makes the old URL answer 404.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from actions.models import Action, ActionStep
from pac.core import text
from pac.core.access import PlanAccess
from pac.core.models import Plan, Team, User
from targets.models import Deal

DOMAIN = "pac"


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def event(uid, summary, first, last, description, url, stamp):
    """An all-day event from `first` to `last` included (DTEND is the day after, RFC 5545)."""
    item = Event()
    item.add("uid", f"{uid}@{DOMAIN}")
    item.add("summary", text.plain(summary, multiline=False))
    item.add("dtstart", first)
    item.add("dtend", last + timedelta(days=1) if last < date.max else last)
    item.add("dtstamp", stamp)
    item.add("description", text.plain(f"{description}\n{url}".strip()))
    item.add("url", url)
    return item


def build_calendar(name, actions, steps, deals):
    feed = Calendar()
    feed.add("prodid", "-//PAC//Plan d'action commercial//FR")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("x-wr-calname", text.plain(name, multiline=False))
    now = timezone.now()
    for action in actions:
        url = absolute(reverse("actions:action-detail", args=[action.target.plan_id, action.pk]))
        feed.add_component(
            event(
                f"action-{action.pk}",
                action.title,
                action.start_date,
                action.end_date,
                f"{action.target.plan} · {action.target} · {action.get_status_display()}",
                url,
                action.updated_at or now,
            )
        )
    for step in steps:
        action = step.action
        url = absolute(reverse("actions:action-detail", args=[action.target.plan_id, action.pk]))
        feed.add_component(
            event(
                f"step-{step.pk}",
                _("Step: %(step)s (%(action)s)") % {"step": step.title, "action": action.title},
                step.due_date,
                step.due_date,
                _("Done") if step.done else "",
                url,
                now,
            )
        )
    for deal in deals:
        owner = deal.owner.username
        url = absolute(reverse("pac:paci", args=[deal.plan_id, owner]))
        feed.add_component(
            event(
                f"deal-{deal.pk}",
                _("Deal milestone: %(company)s") % {"company": deal.company},
                deal.milestone_date,
                deal.milestone_date,
                f"{deal.nature} · {deal.get_stage_display()} · "
                f"{deal.amount} € × {deal.probability} %",
                url,
                now,
            )
        )
    return feed


def ics(feed, filename):
    response = HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def feed_owner(token):
    user = User.objects.filter(feed_token=token, is_active=True).first()
    if user is None:
        raise Http404
    return user


def dated(queryset):
    return queryset.filter(start_date__isnull=False, end_date__isnull=False)


@login_not_required
@never_cache
@require_GET
def my_feed(request, token):
    """A user's own work: actions they own or take part in, their steps, their deal milestones,
    in the plans they can see."""
    user = feed_owner(token)
    plans = Plan.objects.for_user(user)
    actions = dated(Action.objects.filter(target__plan__in=plans).involving(user)).select_related(
        "target__plan"
    )
    steps = (
        ActionStep.objects.given_to(user)
        .filter(action__target__plan__in=plans, due_date__isnull=False)
        .select_related("action__target")
    )
    deals = Deal.objects.filter(owner=user, plan__in=plans).select_related("owner")
    with translation.override(user.language):
        feed = build_calendar(_("PAC · %(name)s") % {"name": user}, actions, steps, deals)
    return ics(feed, f"pac-{user.username}.ics")


@login_not_required
@never_cache
@require_GET
def plan_feed(request, token, pk):
    """Everything dated in a plan, for the managers who steer it."""
    user = feed_owner(token)
    plan = get_object_or_404(Plan.objects.for_user(user), pk=pk)
    if not PlanAccess.of(user, plan).is_manager:
        raise Http404
    actions = dated(Action.objects.of_plan(plan)).select_related("target__plan")
    steps = (
        ActionStep.objects.of_plan(plan)
        .filter(due_date__isnull=False)
        .select_related("action__target")
    )
    deals = Deal.objects.filter(plan=plan).select_related("owner")
    with translation.override(user.language):
        feed = build_calendar(str(plan), actions, steps, deals)
    return ics(feed, f"pac-plan-{plan.pk}.ics")


def feed_urls(user):
    """The user's feed URLs: their own, and one per plan they manage."""
    plans = Plan.objects.filter(team__in=Team.objects.managed_by(user)).select_related("team")
    return {
        "mine": absolute(reverse("ical-mine", args=[user.feed_token])),
        "plans": [
            (plan, absolute(reverse("ical-plan", args=[user.feed_token, plan.pk])))
            for plan in plans
        ],
    }
