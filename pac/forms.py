"""Forms of the plan editor: plan header and period, strategy, SWOT items, competitors."""

import calendar
import uuid
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from pac import text
from pac.display import readable
from pac.models import (
    Competitor,
    Plan,
    Review,
    Role,
    SwotItem,
    Team,
    User,
    plausible_errors,
    workers,
)


class DateInput(forms.DateInput):
    """The browser's date picker; it sends ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CheckedForm(forms.BaseForm):
    """What every form of PAC checks before anything is saved. Its text fields refuse what
    pac.text refuses, beside the field: a line break in a one-line field, a control character,
    a writing-direction mark left open. A form that creates something carries a one-time token
    (pac.editing.submit): sent twice, it creates once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(text.multi_line if multiline else text.one_line)
        if self.creates:
            # A plain Field: whatever a hand-made post puts there, pac.editing.sent_token() uses
            # it only when it has the shape of new_token().
            self.fields["once"] = forms.Field(
                widget=forms.HiddenInput, required=False, initial=new_token
            )

    @property
    def creates(self):
        instance = getattr(self, "instance", None)
        return instance is None or instance.pk is None


def new_token():
    return uuid.uuid4().hex


# The largest id a database integer holds (PostgreSQL's bigint, SQLite's INTEGER).
LARGEST_ID = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows chosen by id, an id too large for the database refused like an unknown one
    (SQLite raises OverflowError on it instead of finding nothing)."""

    def clean(self, value):
        for choice in value or ():
            try:
                number = int(choice)
            except (TypeError, ValueError):
                continue  # not an id at all: the field says so itself
            if abs(number) > LARGEST_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": choice},
                )
        return super().clean(value)


class OneFocus:
    """A list of checkboxes or radio buttons whose first one alone takes the form's autofocus:
    the widget's attributes go to every option, and a page holds one autofocus at most."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        if option["index"] not in ("0", "0_0"):
            option["attrs"].pop("autofocus", None)
        return option


class CheckboxSelectMultiple(OneFocus, forms.CheckboxSelectMultiple):
    pass


class RadioSelect(OneFocus, forms.RadioSelect):
    pass


class FocusedForm(CheckedForm):
    """A form opened in place takes the keyboard focus, htmx focusing the `autofocus` field of the
    region it swaps in: the first field left to fill (a check-in's value, not its date already
    set to today), else the first field; once submitted, the first field in error."""

    focused = False

    def __getitem__(self, name):
        # Chosen when the form is first read to render it, once its own __init__ has set its
        # fields and their initial values.
        if not self.focused:
            self.focus()
        return super().__getitem__(name)

    def add_error(self, field, error):
        super().add_error(field, error)
        self.focused = False

    def focus(self):
        self.focused = True
        visible = [
            name
            for name, field in self.fields.items()
            if not field.widget.is_hidden and not field.disabled
        ]
        wrong = [name for name in visible if name in (self._errors or {})]
        empty = [
            name
            for name in visible
            if not self.is_bound
            and self.get_initial_for_field(self.fields[name], name) in (None, "", [])
        ]
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        chosen = wrong or empty or visible
        if chosen:
            self.fields[chosen[0]].widget.attrs["autofocus"] = True


class VersionedForm(FocusedForm, forms.ModelForm):
    """An edit form that remembers which version of the row it was opened on. An edit sent
    without it (or with it garbled) is refused: it could not tell whether it overwrites a
    newer version."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.conflict = None

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("version") or ""
        if not self.instance.pk:
            cleaned["version"] = None
        elif version.isascii() and version.isdigit():
            cleaned["version"] = int(version)
        else:
            # The field is hidden: the message goes on top of the form.
            self.add_error(
                None,
                ValidationError(
                    _(
                        "This form does not say which version it was opened on, so saving it "
                        "could overwrite someone else's changes: reload the page and try again."
                    ),
                    code="version",
                ),
            )
        return cleaned

    def show_conflict(self, conflict, user_values):
        """Keep what the user typed, list where it differs from what was saved meanwhile, and
        move the form to the saved version: submitting again then means "keep mine"."""
        current = conflict.current
        differences = []
        for name in self.Meta.fields:
            field = current._meta.get_field(name)
            theirs = getattr(current, name)
            if field.many_to_many:
                theirs = list(theirs.all())
            yours = user_values.get(name)
            if field.many_to_many:
                yours = list(yours or [])
            if readable(field, theirs) != readable(field, yours):
                differences.append(
                    (field.verbose_name, readable(field, theirs), readable(field, yours))
                )
        last = current.history.select_related("history_user").first()
        self.conflict = {
            "who": last.history_user if last else None,
            "when": last.history_date if last else None,
            "differences": differences,
        }
        data = self.data.copy()
        data[self.add_prefix("version")] = current.version
        self.data = data


def unique_name(form, siblings, message):
    """The form's name if no sibling has it yet, whatever its case; the error sits beside it."""
    name = form.cleaned_data["name"]
    if siblings.filter(name__iexact=name).exclude(pk=form.instance.pk).exists():
        raise ValidationError(message, code="unique")
    return name


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class PeriodKind:
    YEAR = "year"
    SEMESTER = "semester"
    QUARTER = "quarter"
    CUSTOM = "custom"
    CHOICES = [
        (YEAR, _("A year")),
        (SEMESTER, _("A semester")),
        (QUARTER, _("A quarter")),
        (CUSTOM, _("Custom dates")),
    ]
    MONTHS = {YEAR: 12, SEMESTER: 6, QUARTER: 3}


def period_end_for(kind, start):
    """The last day of a year, semester or quarter starting on `start`."""
    return date.fromordinal(add_months(start, PeriodKind.MONTHS[kind]).toordinal() - 1)


class PeriodFormMixin(CheckedForm, forms.Form):
    """A period as a preset length from a start date, or two dates of one's own."""

    period_kind = forms.ChoiceField(
        label=_("Period"), choices=PeriodKind.CHOICES, initial=PeriodKind.SEMESTER
    )
    period_start = forms.DateField(label=_("Period start"), widget=DateInput())
    period_end = forms.DateField(
        label=_("Period end"),
        widget=DateInput(),
        required=False,
        help_text=_("Only for custom dates; a year, semester or quarter ends by itself."),
    )

    def clean(self):
        cleaned = super().clean()
        kind, start, end = (
            cleaned.get("period_kind"),
            cleaned.get("period_start"),
            cleaned.get("period_end"),
        )
        if not kind or not start:
            return cleaned
        # Before any month is counted from them: year 9999 has no next year.
        wrong = plausible_errors(period_start=start, period_end=end)
        if wrong:
            for name, message in wrong.items():
                self.add_error(name, message)
            return cleaned
        if kind == PeriodKind.CUSTOM:
            if end is None:
                self.add_error("period_end", _("Give the last day of a custom period."))
            elif end <= start:
                self.add_error("period_end", _("The period must end after it starts."))
        else:
            cleaned["period_end"] = period_end_for(kind, start)
        return cleaned


class PlanCreateForm(PeriodFormMixin):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    budget_envelope = forms.DecimalField(
        label=_("Budget envelope (€)"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )

    field_order = ["team", "title", "period_kind", "period_start", "period_end", "budget_envelope"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.all()
        if not user.is_staff:
            teams = teams.filter(memberships__user=user, memberships__role=Role.MANAGER)
        self.fields["team"].queryset = teams
        if len(self.fields["team"].queryset) == 1:
            self.fields["team"].initial = self.fields["team"].queryset[0]


class PlanDuplicateForm(PeriodFormMixin):
    title = forms.CharField(label=_("Title of the new plan"), max_length=200)

    field_order = ["title", "period_kind", "period_start", "period_end"]


def next_period_start(plan):
    return date.fromordinal(plan.period_end.toordinal() + 1)


def period_kind_of(plan):
    for kind in PeriodKind.MONTHS:
        if period_end_for(kind, plan.period_start) == plan.period_end:
            return kind
    return PeriodKind.CUSTOM


class PlanHeaderForm(VersionedForm):
    class Meta:
        model = Plan
        fields = ["title", "period_start", "period_end", "budget_envelope"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end <= start:
            raise ValidationError({"period_end": _("The period must end after it starts.")})
        return cleaned


class PlanStrategyForm(VersionedForm):
    class Meta:
        model = Plan
        fields = ["strategy", "ambitions", "segmentation", "company_goals"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class SwotItemForm(VersionedForm):
    class Meta:
        model = SwotItem
        fields = ["text"]


class CompetitorForm(VersionedForm):
    class Meta:
        model = Competitor
        fields = ["name", "strengths", "weaknesses", "positioning", "threat"]
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 2}),
            "weaknesses": forms.Textarea(attrs={"rows": 2}),
            "positioning": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_name(self):
        return unique_name(
            self,
            Competitor.objects.filter(plan=self.instance.plan_id),
            _("This competitor is already in the plan."),
        )


class ReviewForm(VersionedForm):
    class Meta:
        model = Review
        fields = ["held_on", "attendees", "other_attendees", "findings", "decisions"]
        widgets = {
            "held_on": DateInput(),
            "attendees": CheckboxSelectMultiple,
            "findings": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"attendees": ModelMultipleChoiceField}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = User.objects.filter(
            memberships__team_id=plan.team_id
        ).order_by("first_name", "last_name")
        if not self.instance.pk:
            self.fields["held_on"].initial = timezone.localdate()
        else:
            self.fields["held_on"].disabled = True
            self.fields["held_on"].help_text = _(
                "The date of a review cannot change: its figures belong to that day."
            )

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise ValidationError(_("Record a review once it has taken place."))
        return day


class CorrectiveActionForm(CheckedForm, forms.Form):
    """A decision of a review turned into an action of the plan."""

    title = forms.CharField(label=_("Title"), max_length=200)
    target = forms.ModelChoiceField(label=_("Target"), queryset=None)
    domain = forms.ChoiceField(label=_("Domain"))
    sales_type = forms.ChoiceField(label=_("Sales type"), required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    budget_planned = forms.DecimalField(
        label=_("Planned budget (€)"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = plan.targets.all()
        self.fields["owner"].queryset = workers(plan.team_id)
        self.fields["domain"].choices = Action.Domain.choices
        self.fields["sales_type"].choices = [("", "—"), *Action.SalesType.choices]
        self.fields["start_date"].initial = timezone.localdate()


class ProfileForm(CheckedForm, forms.ModelForm):
    class Meta:
        model = User
        fields = ["language", "reminders"]
