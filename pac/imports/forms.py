"""The file of a PAC to import, or, on confirmation, the text its preview made of it."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pac.core import spreadsheets, text
from pac.core.forms import CheckedForm, opened_version
from pac.imports import sheet


class PlanImportForm(CheckedForm, forms.Form):
    """A spreadsheet of targets, objectives, actions and steps, read as its `sheet`. The
    confirmation sends back the lines the preview read (`content`) and the plan's version the
    preview was made on: the file is not needed again."""

    file = forms.FileField(
        label=_("Spreadsheet of the plan"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=_(
            "An .xlsx or .csv file whose first line holds the column headers, one line per "
            "objective, action or step."
        ),
    )
    content = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(self, *args, confirming=False, **kwargs):
        self.confirming = confirming
        super().__init__(*args, **kwargs)
        # Lines of cells: the checks of a multi-line text, not of a one-line field.
        self.fields["content"].validators = [text.multi_line]
        self.sheet = None

    @property
    def creates(self):
        # The confirmation carries a one-time token (pac.imports.views): the preview does not.
        return self.confirming

    def clean(self):
        cleaned = super().clean()
        source = "content" if self.confirming else "file"
        if self.has_error(source):
            return cleaned
        if self.confirming:
            cleaned["version"] = opened_version(self, cleaned)
            if not cleaned.get("content", "").strip():
                self.add_error(None, _("This confirmation holds no lines: import the file again."))
                return cleaned
        elif not cleaned.get("file"):
            self.add_error("file", _("Choose the file of the plan to import."))
            return cleaned
        try:
            if self.confirming:
                rows = spreadsheets.read_pasted(cleaned["content"])
            else:
                rows = spreadsheets.read_file(cleaned["file"])
            self.sheet = sheet.read(rows)
        except ValidationError as error:
            self.add_error("file" if source == "file" else None, error)
        return cleaned
