"""The plan over time (calendar, timeline, horizon) and the profile that sets reminders and
feeds."""

from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from actions.forms import CalendarFilterForm, TimelineFilterForm
from pac.core import charts, revisions
from pac.core.access import plan_access
from pac.core.editing import UNSENT, Page, posted, submit
from pac.core.models import Role
from pac.core.paging import detached
from pac.core.periods import add_months
from pac.core.tokens import ApiTokenForm, token_create, token_revoke
from pac.planning import calendars, services
from pac.planning.feeds import feed_urls
from pac.planning.forms import ProfileForm


def read_filters(request, plan, form_class, role):
    """Valid filters of the request (invalid ones are explained by the form and left out). A rep
    sees their own work unless they ask for the team's."""
    form = form_class(request.GET, plan=plan)
    if role != Role.REP:
        # Managers and viewers see the team by default and pick a rep with the rep filter.
        del form.fields["scope"]
    form.is_valid()
    filters = {name: value for name, value in form.cleaned_data.items() if value}
    if role == Role.REP and not filters.get("owner") and filters.get("scope") != "team":
        filters["owner"] = request.user
        filters["scope"] = "mine"
    return form, filters


def default_month(plan, today):
    return today.replace(day=1) if plan.contains(today) else plan.period_start.replace(day=1)


def navigated(request, page, region):
    """The whole page, or only the region htmx asked for when navigating."""
    return page.render(request, region) if request.htmx else page.show(request)


@require_GET
def calendar(request, pk):
    access = plan_access(request, pk)
    plan = access.plan
    context = access.context()
    today = timezone.localdate()
    form, filters = read_filters(request, plan, CalendarFilterForm, access.role)
    month = filters.pop("month", None) or default_month(plan, today)
    query = request.GET.copy()
    links = {}
    for name, target in [
        ("previous", add_months(month, -1)),
        ("next", add_months(month, 1)),
        ("today", today.replace(day=1)),
    ]:
        query["month"] = target.strftime("%Y-%m")
        links[name] = f"?{query.urlencode()}"
    first, last = calendars.month_bounds(month)
    # The month's actions in the action list, under the same filters (a busy week links there).
    listed = QueryDict(mutable=True)
    for name in ("domain", "target", "owner", "status"):
        if filters.get(name):
            listed[name] = getattr(filters[name], "pk", filters[name])
    listed["month"] = month.strftime("%Y-%m")
    context |= {
        "month_actions_url": reverse("actions:action-list", args=[plan.pk])
        + f"?{listed.urlencode()}",
        "form": form,
        "filters": filters,
        "month": month,
        "links": links,
        "outside": last < plan.period_start or first > plan.period_end,
        "weekdays": calendars.WEEKDAYS,
    }
    month_page = Page(
        template="pac/calendar.html",
        url=reverse("pac:calendar", args=[plan.pk]),
        base=context,
        regions={
            "month": lambda: {
                "weeks": calendars.month_grid(plan, month, filters, today),
                "undated": calendars.undated_count(plan, filters),
            }
        },
        # Computed once per revision of the plan, day, month and filters.
        request=request,
        plan=plan,
        name="calendar",
        parts=(today, month, *revisions.filter_parts(filters)),
    )
    return navigated(request, month_page, "month")


@require_GET
def timeline(request, pk):
    access = plan_access(request, pk)
    plan = access.plan
    context = access.context()
    today = timezone.localdate()
    form, filters = read_filters(request, plan, TimelineFilterForm, access.role)
    group = filters.pop("group", "domain")
    window = filters.pop("window", "period")
    start = filters.pop("month", None) or default_month(plan, today)
    first, last = calendars.timeline_window(plan, window, start)
    number = request.GET.get("page") or "1"

    def chart():
        lanes, shown = calendars.timeline_lanes(
            plan, filters, group, first, last, today, page=number
        )
        return {
            "lanes": lanes,
            "page": detached(shown),
            "count": shown.paginator.count,
            "undated": calendars.undated_count(plan, filters),
            "chart": charts.timeline(
                lanes,
                first,
                last,
                today,
                lambda action: reverse("actions:action-detail", args=[plan.pk, action.pk]),
            ),
        }

    timeline_page = Page(
        template="pac/timeline.html",
        url=reverse("pac:timeline", args=[plan.pk]),
        base=context | {"form": form, "first": first, "last": last},
        regions={"chart": chart},
        # Computed once per revision of the plan, day, window and filters.
        request=request,
        plan=plan,
        name="timeline",
        parts=(today, group, window, first, number, *revisions.filter_parts(filters)),
    )
    return navigated(request, timeline_page, "chart")


@require_GET
def horizon(request, pk):
    access = plan_access(request, pk)
    plan = access.plan
    context = access.context()
    form, filters = read_filters(request, plan, CalendarFilterForm, access.role)
    filters.pop("month", None)
    days = request.GET.get("days", "30")
    days = int(days) if days in {str(d) for d in calendars.HORIZONS} else 30
    query = request.GET.copy()
    choices = []
    for option in calendars.HORIZONS:
        query["days"] = option
        choices.append((option, f"?{query.urlencode()}"))
    today = timezone.localdate()
    horizon_page = Page(
        template="pac/horizon.html",
        url=reverse("pac:horizon", args=[plan.pk]),
        base=context | {"form": form, "today": today, "choices": choices},
        regions={"lists": lambda: {"horizon": calendars.horizon(plan, filters, today, days)}},
    )
    return navigated(request, horizon_page, "lists")


# The page may show a new API token, once: no cache keeps it.
@never_cache
@require_http_methods(["GET", "POST"])
def profile(request):
    """My settings: language of e-mails and feeds, daily reminders, calendar feed URLs, API
    tokens (a new one shown once, right after it is created)."""
    form = ProfileForm(posted(request), instance=request.user)
    token_form = ApiTokenForm(prefix="token")
    new_token = None
    sent = UNSENT
    if request.method == "POST":
        if "regenerate" in request.POST:
            services.feed_token_regenerate(actor=request.user)
            messages.success(request, _("New feed address: the old one no longer works."))
            return redirect("profile")
        if "revoke" in request.POST:
            token = token_revoke(actor=request.user, pk=token_pk(request.POST["revoke"]))
            messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
            return redirect("profile")
        if "token-name" in request.POST:
            form = ProfileForm(instance=request.user)
            token_form = ApiTokenForm(request.POST, prefix="token")
            sent = submit(
                token_form, lambda data: token_create(actor=request.user, name=data["name"])
            )
            if sent.repeated:
                return redirect("profile")
            if sent.saved:
                # Shown in this answer and nowhere else, ever: nothing keeps the token itself (a
                # redirect would have to keep it somewhere until the next page).
                new_token = sent.result
                token_form = ApiTokenForm(prefix="token")
        else:

            def save(data):
                services.profile_update(
                    actor=request.user, language=data["language"], reminders=data["reminders"]
                )

            sent = submit(form, save)
            if sent.saved:
                messages.success(request, _("Settings saved."))
                return redirect("profile")
    context = {
        "form": form,
        "feeds": feed_urls(request.user),
        "token_form": token_form,
        "tokens": list(request.user.api_tokens.active()),
        "new_token": new_token,
    }
    return render(request, "pac/profile.html", context, status=sent.status)


def token_pk(value):
    """The id of a token to revoke, as posted; anything else names no token (a 404)."""
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise Http404
    return int(value)
