from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import BatchStatus


class BatchStatusForm(forms.Form):
    to = forms.ChoiceField(choices=BatchStatus.choices, label=_("Status baru"))
    reason = forms.CharField(label=_("Alasan"), max_length=300, required=False)
