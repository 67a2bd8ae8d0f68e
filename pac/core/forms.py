"""What every form of PAC inherits: checked text, one-time create tokens, versions and edit
conflicts, the field a form focuses, date inputs."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pac.core import text
from pac.core.display import readable


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


def opened_version(form, cleaned):
    """The version the form says it was opened on, or None with the reason on top of the form
    (the field is hidden) when it does not say, or says it garbled."""
    version = cleaned.get("version") or ""
    if version.isascii() and version.isdigit():
        return int(version)
    form.add_error(
        None,
        ValidationError(
            _(
                "This form does not say which version it was opened on, so saving it "
                "could overwrite someone else's changes: reload the page and try again."
            ),
            code="version",
        ),
    )
    return None


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
        if not self.instance.pk:
            cleaned["version"] = None
        else:
            cleaned["version"] = opened_version(self, cleaned)
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
