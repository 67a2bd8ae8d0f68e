"""The forms of the diagnosis: its settings and one row of each of its tables."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pac.core.forms import VersionedForm
from pac.diagnosis.models import ClientFigure, Diagnosis, OfferFigure, OfferSegmentFigure

FIGURES = ["sales", "margin"]


class DiagnosisForm(VersionedForm):
    class Meta:
        model = Diagnosis
        fields = ["figures_period", "class_a", "class_b", "a_coverage"]

    @property
    def creates(self):
        # The settings are edited, never created twice: a plan has one diagnosis.
        return False


class FiguresForm(VersionedForm):
    """A row of the diagnosis, its name unique in its table whatever its case."""

    # The fields that name a row in its table, with the message when another row has them.
    key: tuple = ("name",)
    taken = ""

    def clean(self):
        cleaned = super().clean()
        names = {name: cleaned.get(name) for name in self.key}
        if all(names.values()):
            siblings = type(self.instance).objects.filter(plan=self.instance.plan_id)
            for name, value in names.items():
                siblings = siblings.filter(**{f"{name}__iexact": value})
            if siblings.exclude(pk=self.instance.pk).exists():
                self.add_error(self.key[-1], ValidationError(self.taken, code="unique"))
        return cleaned


class ClientFigureForm(FiguresForm):
    taken = _("This client is already in the diagnosis.")

    class Meta:
        model = ClientFigure
        fields = ["name", "segment", *FIGURES]


class OfferFigureForm(FiguresForm):
    taken = _("This offer is already in the diagnosis.")

    class Meta:
        model = OfferFigure
        fields = ["name", *FIGURES, "market_share", "market_growth"]


class OfferSegmentFigureForm(FiguresForm):
    key = ("offer", "segment")
    taken = _("This offer already has figures for this segment.")

    class Meta:
        model = OfferSegmentFigure
        fields = ["offer", "segment", *FIGURES]


class ImportForm(forms.Form):
    """A table pasted from a spreadsheet, or a file of it: what the preview reads."""

    pasted = forms.CharField(
        label=_("Paste from a spreadsheet"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "Select the cells in Excel or LibreOffice, headers included, copy them and paste "
            "them here."
        ),
    )
    file = forms.FileField(
        label=_("Or import a file"),
        required=False,
        help_text=_("An .xlsx or .csv file whose first line holds the headers."),
    )
