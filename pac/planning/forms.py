"""The profile: the language of one's pages and e-mails, and the daily reminders."""

from django import forms

from pac.core.forms import CheckedForm
from pac.core.models import User


class ProfileForm(CheckedForm, forms.ModelForm):
    class Meta:
        model = User
        fields = ["language", "reminders"]
