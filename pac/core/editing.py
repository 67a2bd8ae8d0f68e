"""How every edit form of PAC behaves, with htmx or without.

A page (the plan, an action sheet) is one template whose editable regions are partials. Opening a
form shows the region in its editing state: alone for htmx, inside the whole page otherwise. A valid
save redirects a plain request and, for htmx, answers with the region as it now stands. An invalid
form comes back with its errors beside the fields (422). A save over a newer version comes back with
the other person's values and saves nothing (409).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from pac.core import revisions
from pac.core.models import SentForm
from pac.core.versioning import EditConflict


def number(query, name):
    """A positive id from the address, or None for anything else."""
    value = query.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


def posted(request):
    """The submitted data on a POST (even an empty one), None on a GET: the form's bound state."""
    return request.POST if request.method == "POST" else None


@dataclass
class Page:
    """A page with regions that htmx refreshes one at a time.

    A page with a `name` is computed once per revision of its plan (pac.core.revisions): each
    region, and the whole page, under the name, the region and the `parts` that vary its content
    (the reader, the day, a page number...); `region_parts` adds a region's own.
    """

    template: str
    url: str
    base: dict
    regions: dict[str, Callable[[], dict]] = field(default_factory=dict)
    # The whole page; by default every region's data together, with `around`.
    full: Callable[[], dict] | None = None
    # What the whole page shows outside its regions, read afresh every time.
    around: Callable[[], dict] | None = None
    # Regions that a change in a given region also alters, refreshed with it out of band.
    follows: dict[str, list[str]] = field(default_factory=dict)
    request: object = None
    plan: object = None
    name: str = ""
    parts: tuple = ()
    region_parts: dict[str, tuple] = field(default_factory=dict)
    # A finer token than the plan's revision, for a page that reads only what it follows
    # (pac.core.revisions.person_token).
    revision: str = ""
    # What each region computed for this request: a region may read another's (the PACI's
    # signature reads its objectives and actions), and is computed once.
    computed_here: dict = field(default_factory=dict, repr=False)

    def region(self, region):
        return self.computed(region, self.regions[region], *self.region_parts.get(region, ()))

    def whole(self):
        around = self.around() if self.around is not None else {}
        if self.full is None:
            return around | {
                key: value for name in self.regions for key, value in self.region(name).items()
            }
        every = (part for name in self.regions for part in self.region_parts.get(name, ()))
        return around | self.computed("", self.full, *every)

    def computed(self, region, compute, *parts):
        key = (region, *parts)
        if key not in self.computed_here:
            self.computed_here[key] = self.compute(region, compute, *parts)
        return self.computed_here[key]

    def compute(self, region, compute, *parts):
        if not self.name:
            return compute()
        name = f"{self.name}-{region}" if region else self.name
        return revisions.cached(
            self.request,
            self.plan,
            name,
            compute,
            *self.parts,
            *parts,
            revision=self.revision or None,
        )

    def render(self, request, region, *, status=200, **context):
        """One region: alone for htmx, inside the whole page otherwise."""
        base = self.base | {"page_url": self.url}
        if request.htmx:
            data = base | self.region(region) | context
            return render(request, f"{self.template}#{region}", data, status=status)
        return render(request, self.template, base | self.whole() | context, status=status)

    def show(self, request):
        """The whole page; for htmx, the region named by ?section= (an edit was cancelled)."""
        section = request.GET.get("section")
        if request.htmx and section in self.regions:
            return self.render(request, section)
        base = self.base | {"page_url": self.url}
        return render(request, self.template, base | self.whole())

    def saved(self, request, region):
        if not request.htmx:
            return redirect(f"{self.url}#{region}")
        response = self.render(request, region)
        base = self.base | {"page_url": self.url, "oob": True}
        for other in self.follows.get(region, []):
            extra = render_to_string(
                f"{self.template}#{other}", base | self.region(other), request=request
            )
            response.content += extra.encode()
        return response


# The pages whose regions the apps' views refresh are built above the apps (the plan page in
# pac.plans, the PACI in pac.steering): each registers its builder under a name, and a view asks
# for the page by that name, as it links to a URL by its name, without importing it.
PAGES: dict[str, Callable[..., Page]] = {}


def registered(name):
    """Register a page builder, called as page(name, request, access, ...)."""

    def register(build):
        PAGES[name] = build
        return build

    return register


def page(name, request, access, *args):
    return PAGES[name](request, access, *args)


# A create form's token is remembered a day: long enough for any resubmission of that form.
SENT_FORMS_KEPT = timedelta(days=1)
TOKEN = re.compile(r"[0-9a-f]{32}")


def sent_token(form):
    """The one-time token the create form was sent with (pac.forms.CheckedForm), or "" when it
    has none, or one of a shape new_token() never makes (a hand-made post)."""
    token = form["once"].value() if "once" in form.fields else None
    return token if isinstance(token, str) and TOKEN.fullmatch(token) else ""


def first_sending(token):
    """Whether this is the first time the create form holding `token` saves; called inside the
    save's transaction, so a save that fails leaves the token free for the next try. A second
    sending at the same instant waits on the token's row until the first commits, then finds
    it (PostgreSQL; SQLite lets one writer at a time)."""
    try:
        with transaction.atomic():
            SentForm.objects.create(token=token)
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class Submitted:
    """What became of a form sent: "saved" (`result` is what the save returned), "invalid",
    "conflict" (saved over a newer version: nothing saved), "repeated" (a create form sent again
    once it had created: nothing saved twice), or "unsent" (a GET)."""

    outcome: str
    result: object = None

    @property
    def saved(self):
        return self.outcome == "saved"

    @property
    def repeated(self):
        return self.outcome == "repeated"

    @property
    def status(self):
        return {"invalid": 422, "conflict": 409}.get(self.outcome, 200)


UNSENT = Submitted("unsent")


def submit(form, save):
    """Validate the form and hand its data to `save`; a Submitted says what became of it.

    A ValidationError from the service lands on the form, beside its field when it names one.
    """
    token = sent_token(form)
    if token:
        # Outside the save's transaction: no create waits on the rows of old tokens.
        SentForm.objects.filter(sent_at__lt=timezone.now() - SENT_FORMS_KEPT).delete()
        # Sent again once it had created: say so, rather than what its second validation
        # would find (that its name is taken now, by the row it created itself).
        if SentForm.objects.filter(token=token).exists():
            return Submitted("repeated")
    if not form.is_valid():
        return Submitted("invalid")
    form.cleaned_data.pop("once", None)
    try:
        with transaction.atomic():
            if token and not first_sending(token):
                return Submitted("repeated")
            result = save(form.cleaned_data)
    except EditConflict as conflict:
        form.show_conflict(conflict, form.cleaned_data)
        return Submitted("conflict")
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)
        else:
            form.add_error(None, error)
        return Submitted("invalid")
    return Submitted("saved", result)


def edit_region(request, page, region, form, save, *, then=None, **context):
    """GET opens the form in its region; POST saves it and shows the region again, or answers
    with `then(result)` when given (what the save calls for next, from what it returned). A
    create sent twice shows the region as the first sending left it."""
    if request.method != "POST":
        return page.render(request, region, form=form, **context)
    sent = submit(form, save)
    if sent.repeated:
        return page.saved(request, region)
    if sent.saved:
        return then(sent.result) if then is not None else page.saved(request, region)
    return page.render(request, region, status=sent.status, form=form, **context)


def page_saved(request, url):
    """After a save on a page of its own: htmx follows with a full load, a form post redirects."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def page_repeated(request, url):
    """A create form of a page of its own sent again: to `url`, where what it created shows."""
    messages.info(request, _("This form had already been sent: it created nothing more."))
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)
