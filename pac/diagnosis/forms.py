"""The forms of the diagnosis: its settings and one row of each of its tables."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pac.core import spreadsheets
from pac.core.forms import CheckedForm, VersionedForm
from pac.core.numbers import number_text
from pac.diagnosis import imports
from pac.diagnosis.models import ClientFigure, Diagnosis, OfferFigure, OfferSegmentFigure

FIGURES = ["sales", "margin"]
# Characters that show nothing: a name holding one looks like the name without it.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def same_name(text):
    """A name as the table compares it: its letters composed (é typed in one or two
    characters), its spaces of every kind one space, nothing invisible."""
    return " ".join(unicodedata.normalize("NFC", text).translate(INVISIBLE).split())


class AmountField(forms.DecimalField):
    """A figure typed as people type it, "45 000,50 €" or "12,5 %", read as the imports read
    it (pac.core.numbers): a number field of the browser would drop the spaces and the
    comma and save 4 500 050 €."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        return super().to_python(number_text(value, self.decimal_places))

    def widget_attrs(self, widget):
        # Not the step and min of a number field: the text is read by to_python.
        return forms.Field.widget_attrs(self, widget)


class DiagnosisForm(VersionedForm):
    class Meta:
        model = Diagnosis
        fields = ["figures_period", "class_a", "class_b", "a_coverage"]

    @property
    def creates(self):
        # The settings are edited, never created twice: a plan has one diagnosis.
        return False


class FiguresForm(VersionedForm):
    """A row of the diagnosis, its name unique in its table whatever its case, its figures read
    as people type them."""

    # The fields that name a row in its table, with the message when another row has them.
    key: tuple = ("name",)
    taken = ""

    @property
    def imported(self):
        """A row read by an import belongs to no plan yet: the import compares its lines itself,
        and its fields' validators say what the database's checks would (sales not negative),
        without a query per line."""
        return self.instance.plan_id is None

    def validate_unique(self):
        if not self.imported:
            super().validate_unique()

    def validate_constraints(self):
        if not self.imported:
            super().validate_constraints()

    def clean(self):
        cleaned = super().clean()
        for name in [*self.key, "segment"]:
            if cleaned.get(name):
                cleaned[name] = same_name(cleaned[name])
                setattr(self.instance, name, cleaned[name])
        names = {name: cleaned.get(name) for name in self.key}
        if not self.imported and all(names.values()):
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
        field_classes = dict.fromkeys(FIGURES, AmountField)


class OfferFigureForm(FiguresForm):
    taken = _("This offer is already in the diagnosis.")

    class Meta:
        model = OfferFigure
        fields = ["name", *FIGURES, "market_share", "market_growth"]
        field_classes = dict.fromkeys([*FIGURES, "market_share", "market_growth"], AmountField)


class OfferSegmentFigureForm(FiguresForm):
    key = ("offer", "segment")
    taken = _("This offer already has figures for this segment.")

    class Meta:
        model = OfferSegmentFigure
        fields = ["offer", "segment", *FIGURES]
        field_classes = dict.fromkeys(FIGURES, AmountField)


class ImportForm(CheckedForm, forms.Form):
    """A table pasted from a spreadsheet, or a file of it, read as its preview (`preview`, which
    says what each line holds or why it cannot be saved). A confirmation sends back the text the
    preview made of it (`confirming`): the file is not needed again."""

    pasted = forms.CharField(
        label=_("Paste from a spreadsheet"),
        required=False,
        strip=False,  # a table's first cells may be empty: its tabs are part of it
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "Select the cells in Excel or LibreOffice, headers included, copy them and paste "
            "them here."
        ),
    )
    file = forms.FileField(
        label=_("Or import a file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=_("An .xlsx or .csv file whose first line holds the headers."),
    )

    def __init__(self, *args, table, confirming=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        self.confirming = confirming
        self.preview = None

    @property
    def creates(self):
        # No one-time token: an import sent twice replaces the table twice with the same rows.
        return False

    def clean(self):
        cleaned = super().clean()
        # A file chosen wins over text left in the box from an earlier try.
        chosen = cleaned.get("file") or self.has_error("file")
        source = "file" if chosen and not self.confirming else "pasted"
        if self.has_error(source):
            return cleaned
        if source == "pasted" and not (cleaned.get("pasted") or "").strip():
            self.add_error(
                "pasted", _("Paste the cells of the table here, or choose a file below.")
            )
            return cleaned
        try:
            if source == "file":
                rows = spreadsheets.read_file(cleaned["file"])
            else:
                rows = spreadsheets.read_pasted(cleaned["pasted"])
            self.preview = imports.preview(self.table, rows)
        except ValidationError as error:
            self.add_error(source, error)
            return cleaned
        return cleaned
