"""The rep's proposal form (a new action, a change to one of their actions or objectives) and the
manager's: amend then accept, or decline with a reason."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pac.core.forms import DateInput, FocusedForm
from pac.proposals.fields import FIELDS, MODELS

WIDGETS = {
    "start_date": DateInput,
    "end_date": DateInput,
    "description": lambda: forms.Textarea(attrs={"rows": 3}),
    "means": lambda: forms.Textarea(attrs={"rows": 2}),
}


def proposal_fields(kind, plan):
    """The form fields of what a proposal of this kind carries, as the model's fields make them."""
    fields = {}
    for name in FIELDS[kind]:
        model_field = MODELS[kind]._meta.get_field(name)
        widget = WIDGETS.get(name)
        field = model_field.formfield(**({"widget": widget()} if widget else {}))
        if name == "target":
            field.queryset = plan.targets.all()
        fields[name] = field
    return fields


class ProposalForm(FocusedForm, forms.Form):
    """What the rep proposes, with why. Opened on a change, it starts from the row's values; it
    creates a proposal, so it carries the one-time token of create forms."""

    def __init__(self, data=None, *, kind, plan, row=None, **kwargs):
        self.kind = kind
        self.base_fields = proposal_fields(kind, plan) | {
            "comment": forms.CharField(
                label=_("Why"),
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("What the manager reads to decide."),
            )
        }
        super().__init__(data, **kwargs)
        if row is not None:
            for name in FIELDS[kind]:
                self.fields[name].initial = getattr(row, name)

    @property
    def creates(self):
        return True

    def values(self):
        return {name: self.cleaned_data[name] for name in FIELDS[self.kind]}


class DecisionForm(FocusedForm, forms.Form):
    """A decision on a proposal remembers which version of it the manager saw."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(self, data=None, *, proposal, **kwargs):
        self.proposal = proposal
        super().__init__(data, **kwargs)
        self.fields["version"].initial = proposal.version
        self.conflict = None

    @property
    def creates(self):
        return False

    def clean_version(self):
        version = self.cleaned_data["version"]
        if not (version.isascii() and version.isdigit()):
            raise ValidationError(
                _(
                    "This form does not say which version it was opened on, so saving it "
                    "could overwrite someone else's changes: reload the page and try again."
                ),
                code="version",
            )
        return int(version)

    def show_conflict(self, conflict, values):
        """Decided by someone else meanwhile: said on top of the form."""
        self.add_error(None, _("This proposal has already been decided."))


class AmendForm(DecisionForm):
    """The proposed values, which the manager edits before accepting them."""

    def __init__(self, data=None, *, proposal, **kwargs):
        self.base_fields = proposal_fields(proposal.kind, proposal.plan) | dict(
            DecisionForm.base_fields
        )
        super().__init__(data, proposal=proposal, **kwargs)
        for name in FIELDS[proposal.kind]:
            if name in proposal.changes:
                self.fields[name].initial = proposal.changes[name]
            else:
                # Not proposed: the manager amends what the rep proposed, nothing else.
                del self.fields[name]

    def values(self):
        kept = FIELDS[self.proposal.kind]
        return {name: self.cleaned_data[name] for name in kept if name in self.fields}


class DeclineForm(DecisionForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The rep reads it on their PACI and in their e-mail."),
    )

    field_order = ["reason", "version"]
