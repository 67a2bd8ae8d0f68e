"""The API's endpoints: function views over the pages' own access rules, queries and services.

Reading: whoever reads a plan's pages reads it here (plan_access: another team's plan, and every
row in it, is a 404 like a missing one). Writing: KPI values and deals, validated by the pages'
forms and saved by their services, refused (403) to whom the pages refuse them, viewers included;
a change made on a version that is no longer the latest is a 409. Errors are in the caller's
language: Accept-Language, else the one saved on their profile.
"""

import functools

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.forms.models import model_to_dict
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.settings import api_settings

from actions.models import Action, ActionStep
from kpis import selectors as kpi_selectors
from kpis import services as kpi_services
from kpis.forms import KpiValueForm
from kpis.measures import objectives_progress
from kpis.models import Kpi
from pac.api import serializers as s
from pac.core.access import plan_access
from pac.core.models import Plan
from pac.core.versioning import EditConflict
from targets import services as target_services
from targets.forms import DealForm
from targets.models import Deal, Objective

# The answers every endpoint may give besides its own.
REFUSALS = {
    401: OpenApiResponse(s.ErrorSerializer, description="No token, or a revoked one."),
    404: OpenApiResponse(s.ErrorSerializer, description="Not found, or not yours to read."),
    429: OpenApiResponse(s.ErrorSerializer, description="Too many requests."),
}
LIST_REFUSALS = REFUSALS | {400: OpenApiResponse(s.FieldErrorsSerializer)}
WRITE_REFUSALS = LIST_REFUSALS | {
    403: OpenApiResponse(s.ErrorSerializer, description="Not yours to change, or plan closed."),
}


def page_of(serializer):
    """A page of rows in the schema: their count, the links to the pages around, the rows."""
    return inline_serializer(
        name=f"Paginated{serializer.__name__.removesuffix('Serializer')}List",
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer(many=True),
        },
    )


PAGING = [
    OpenApiParameter("page", OpenApiTypes.INT, description="The page wanted, from 1."),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="Rows a page: 50, 200 at most."),
]
PERIOD = [
    *PAGING,
    OpenApiParameter("since", OpenApiTypes.DATE, description="From this day on (included)."),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Up to this day (included)."),
]


def language_of(request):
    """The caller's language: the one their request asks for, else their profile's."""
    asked = "HTTP_ACCEPT_LANGUAGE" in request.META or request.COOKIES.get("django_language")
    saved = getattr(request.user, "language", "")
    if not asked and saved:
        return translation.get_supported_language_variant(saved)
    return translation.get_language()


def endpoint(*methods):
    """A DRF function view that Django's sign-in middleware lets through (the API answers 401
    itself, in JSON) and that speaks its caller's language."""

    def decorate(view):
        @functools.wraps(view)
        def speaking(request, *args, **kwargs):
            translation.activate(language_of(request))
            request.LANGUAGE_CODE = translation.get_language()
            return view(request, *args, **kwargs)

        return login_not_required(api_view(methods)(speaking))

    return decorate


class PeriodForm(forms.Form):
    since = forms.DateField(required=False)
    until = forms.DateField(required=False)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise ValidationError(gettext_lazy("“since” must not be after “until”."))
        return cleaned


class Refused(Exception):
    """A request answered with its errors (400), before anything is read or saved."""

    def __init__(self, errors):
        self.errors = errors


def form_errors(form):
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if name == "__all__" else name): list(messages)
        for name, messages in form.errors.items()
    }


def period(request):
    form = PeriodForm(request.query_params)
    if not form.is_valid():
        raise Refused(form_errors(form))
    return form.cleaned_data["since"], form.cleaned_data["until"]


def refusing(view):
    """Bad parameters or bodies are a 400 with the message of each field."""

    @functools.wraps(view)
    def answered(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Refused as refused:
            return Response(refused.errors, status=status.HTTP_400_BAD_REQUEST)

    return answered


def within(rows, since, until, field):
    if since:
        rows = rows.filter(**{f"{field}__gte": since})
    if until:
        rows = rows.filter(**{f"{field}__lte": until})
    return rows


def paged(request, rows, serializer, **context):
    """One page of the rows, serialized, with the links to the others."""
    paginator = api_settings.DEFAULT_PAGINATION_CLASS()
    page = paginator.paginate_queryset(rows, request)
    return paginator.get_paginated_response(serializer(page, many=True, context=context).data)


def body(request):
    """The request's fields as a form reads them: a JSON object's values as text (a list or an
    object where a value is expected is refused), or the form-encoded fields as sent."""
    data = request.data
    if isinstance(data, QueryDict):
        return data
    if not isinstance(data, dict):
        raise Refused({api_settings.NON_FIELD_ERRORS_KEY: [_("Expected a JSON object.")]})
    fields, errors = {}, {}
    for name, value in data.items():
        if isinstance(value, (dict, list)):
            errors[name] = [_("Expected a single value.")]
        elif value is None:
            fields[name] = ""
        elif isinstance(value, bool):
            fields[name] = "on" if value else ""
        else:
            fields[name] = str(value)
    if errors:
        raise Refused(errors)
    return fields


def saved(form, save):
    """Validate the form and save its data with `save`, like the pages (pac.core.editing.submit):
    invalid, the form's messages; a newer version saved meanwhile, a 409."""
    if not form.is_valid():
        raise Refused(form_errors(form))
    form.cleaned_data.pop("once", None)
    try:
        return save(form.cleaned_data)
    except EditConflict as conflict:
        raise Conflict(conflict.current) from conflict
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages in error.error_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, error)
        raise Refused(form_errors(form)) from error


class Conflict(Exception):
    def __init__(self, current):
        self.current = current


def conflicting(view):
    @functools.wraps(view)
    def answered(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Conflict as conflict:
            message = _(
                "Someone saved this row after you read it (it is now at version %(version)s): "
                "read it again, then send your change."
            ) % {"version": conflict.current.version}
            return Response(
                {"detail": message, "version": conflict.current.version},
                status=status.HTTP_409_CONFLICT,
            )

    return answered


# Plans.


@extend_schema(
    operation_id="plans_list",
    parameters=PAGING,
    responses={200: page_of(s.PlanSerializer)} | REFUSALS,
    tags=["plans"],
)
@endpoint("GET")
def plan_list(request):
    """The plans of the caller's teams (every plan for staff), newest first."""
    plans = Plan.objects.for_user(request.user).select_related("team")
    return paged(request, plans.order_by("-period_start", "pk"), s.PlanSerializer)


@extend_schema(responses={200: s.PlanSerializer} | REFUSALS, tags=["plans"])
@endpoint("GET")
def plan_detail(request, pk):
    return Response(s.PlanSerializer(plan_access(request, pk).plan).data)


@extend_schema(
    parameters=PAGING, responses={200: page_of(s.TargetSerializer)} | LIST_REFUSALS, tags=["plans"]
)
@endpoint("GET")
def target_list(request, pk):
    plan = plan_access(request, pk).plan
    return paged(
        request, plan.targets.order_by("priority", "order", "name", "pk"), s.TargetSerializer
    )


@extend_schema(
    parameters=PAGING,
    responses={200: page_of(s.ObjectiveSerializer)} | LIST_REFUSALS,
    tags=["plans"],
)
@endpoint("GET")
def objective_list(request, pk):
    """The plan's objectives with their progress today, computed as on the plan page."""
    plan = plan_access(request, pk).plan
    items = objectives_progress(plan, Objective.objects.of_plan(plan), timezone.localdate())
    for item in items:
        item.objective.progress = item
    return paged(request, [item.objective for item in items], s.ObjectiveSerializer)


@extend_schema(
    parameters=[
        *PERIOD,
        OpenApiParameter("late", OpenApiTypes.BOOL, description="Only the late actions."),
    ],
    responses={200: page_of(s.ActionSerializer)} | LIST_REFUSALS,
    tags=["plans"],
)
@endpoint("GET")
@refusing
def action_list(request, pk):
    """The plan's actions with their steps; `since` and `until` keep those that run on one of
    those days at least."""
    plan = plan_access(request, pk).plan
    since, until = period(request)
    today = timezone.localdate()
    actions = Action.objects.of_plan(plan)
    if request.query_params.get("late") in {"true", "1"}:
        actions = actions.late(today)
    if since:
        actions = actions.filter(Q(end_date__gte=since) | Q(end_date__isnull=True))
    if until:
        actions = actions.filter(Q(start_date__lte=until) | Q(start_date__isnull=True))
    actions = (
        actions.with_lateness(today)
        .select_related("owner")
        .prefetch_related(Prefetch("steps", ActionStep.objects.order_by("order", "pk")))
        .order_by("start_date", "order", "pk")
    )
    return paged(request, actions, s.ActionSerializer)


@extend_schema(
    parameters=PAGING, responses={200: page_of(s.KpiSerializer)} | LIST_REFUSALS, tags=["plans"]
)
@endpoint("GET")
def kpi_list(request, pk):
    """The plan's KPIs with their latest value, and their standing today for the KPIs the caller
    follows, as the pages show them."""
    access = plan_access(request, pk)
    plan = access.plan
    kpis = kpi_selectors.with_standing(
        Kpi.objects.of_plan(plan).order_by("name", "pk"), plan, timezone.localdate()
    )
    for kpi in kpis:
        if not access.can_follow(kpi):
            # As on the plan's pages: the latest value, not the standing of a colleague's KPI.
            kpi.attainment = kpi.expected = kpi.standing = None
    return paged(request, kpis, s.KpiSerializer)


def get_kpi(request, pk):
    """A KPI of a plan the caller reads, with the access to its plan."""
    kpi = Kpi.objects.select_related("action__target", "objective__target").filter(pk=pk).first()
    if kpi is None:
        raise Http404
    target = (kpi.action or kpi.objective).target
    access = plan_access(request, target.plan_id)
    target.plan = access.plan
    return kpi, access


@extend_schema(
    methods=["GET"],
    parameters=PERIOD,
    responses={200: page_of(s.KpiValueSerializer)} | LIST_REFUSALS,
    tags=["kpis"],
)
@extend_schema(
    methods=["POST"],
    request=s.KpiValueInput,
    responses={201: s.KpiValueSerializer} | WRITE_REFUSALS,
    tags=["kpis"],
)
@endpoint("GET", "POST")
@refusing
def kpi_values(request, pk):
    """A KPI's values, latest first; POST records one, as its owner or a manager does on the
    PACI (a day of the plan's period that has come)."""
    kpi, access = get_kpi(request, pk)
    if not access.can_follow(kpi):
        raise Http404  # its values are on its owner's PACI, which this caller cannot open
    if request.method == "POST":
        access.ensure(access.can_record(kpi))
        form = KpiValueForm(body(request), kpi=kpi)
        value = saved(
            form,
            lambda data: kpi_services.kpi_value_record(
                actor=request.user,
                kpi=kpi,
                value=data["value"],
                on=data["recorded_on"],
                comment=data["comment"],
            ),
        )
        return Response(s.KpiValueSerializer(value).data, status=status.HTTP_201_CREATED)
    since, until = period(request)
    values = within(kpi.values.select_related("recorded_by"), since, until, "recorded_on")
    return paged(request, values.order_by("-recorded_on", "-pk"), s.KpiValueSerializer)


# Deals.


def deal_form(request, access, deal, data):
    return DealForm(
        data, instance=deal, plan=access.plan, user=request.user, manager=access.is_manager
    )


@extend_schema(
    methods=["GET"],
    operation_id="plans_deals_list",
    parameters=PERIOD,
    responses={200: page_of(s.DealSerializer)} | LIST_REFUSALS,
    tags=["deals"],
)
@extend_schema(
    methods=["POST"],
    request=s.DealInput,
    responses={201: s.DealSerializer} | WRITE_REFUSALS,
    tags=["deals"],
)
@endpoint("GET", "POST")
@refusing
def deal_list(request, pk):
    """The carnet, by milestone (`since` and `until` on the milestone date); POST adds a deal,
    as the carnet's form does: a rep's own, or anyone's for a manager."""
    access = plan_access(request, pk)
    plan = access.plan
    if request.method == "POST":
        access.ensure(access.works)
        data = body(request).copy()
        data.setdefault("owner", str(request.user.pk))
        form = deal_form(request, access, Deal(plan=plan), data)
        deal = saved(
            form,
            lambda data: target_services.deal_create(actor=request.user, plan=plan, data=data),
        )
        return Response(s.DealSerializer(deal).data, status=status.HTTP_201_CREATED)
    since, until = period(request)
    deals = within(plan.deals.select_related("owner"), since, until, "milestone_date")
    return paged(request, deals.order_by("milestone_date", "company", "pk"), s.DealSerializer)


@extend_schema(methods=["GET"], responses={200: s.DealSerializer} | REFUSALS, tags=["deals"])
@extend_schema(
    methods=["PUT"],
    request=s.DealUpdate,
    responses={200: s.DealSerializer, 409: s.ErrorSerializer} | WRITE_REFUSALS,
    tags=["deals"],
)
@extend_schema(
    methods=["PATCH"],
    request=s.DealPatch,
    responses={200: s.DealSerializer, 409: s.ErrorSerializer} | WRITE_REFUSALS,
    tags=["deals"],
)
@endpoint("GET", "PUT", "PATCH")
@refusing
@conflicting
def deal_detail(request, pk, deal_pk):
    """A deal; PUT or PATCH changes it with the version it was read at (a newer version saved
    meanwhile is a 409 and changes nothing). PATCH sends only the fields that change; PUT sends
    them all, but for its owner, who stays when not named."""
    access = plan_access(request, pk)
    deal = get_object_or_404(Deal.objects.select_related("owner"), plan=access.plan, pk=deal_pk)
    deal.plan = access.plan
    if request.method == "GET":
        return Response(s.DealSerializer(deal).data)
    access.ensure(access.can_edit_deal(deal))
    data = body(request).copy()
    if request.method == "PATCH":
        current = model_to_dict(deal, fields=DealForm.Meta.fields)
        data = {name: "" if value is None else str(value) for name, value in current.items()} | {
            name: data[name] for name in data
        }
    # Its owner stays when not named.
    data.setdefault("owner", str(deal.owner_id))
    form = deal_form(request, access, deal, data)
    deal = saved(
        form,
        lambda data: target_services.deal_update(
            actor=request.user, deal=deal, version=data["version"], data=data
        ),
    )
    return Response(s.DealSerializer(deal).data)


@extend_schema(
    parameters=PERIOD,
    responses={200: page_of(s.ReviewSerializer)} | LIST_REFUSALS,
    tags=["plans"],
)
@endpoint("GET")
@refusing
def review_list(request, pk):
    """The plan's reviews, latest first."""
    plan = plan_access(request, pk).plan
    since, until = period(request)
    reviews = within(plan.reviews.all(), since, until, "held_on")
    return paged(request, reviews.order_by("-held_on", "-pk"), s.ReviewSerializer)
