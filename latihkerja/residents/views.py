"""A resident's own data: download everything kept about them, and ask for its deletion (UU PDP)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from latihkerja.audit.services import record_event
from latihkerja.catalog.fields import ThemeMultipleChoiceField
from latihkerja.catalog.models import Theme
from latihkerja.registration.forms import BootstrapMixin
from latihkerja.registration.queries import priority_fields_open, registration_period, resident_of

from .errors import ResidentError
from .models import DeletionRequest, DeletionRequestStatus, Resident
from .privacy import personal_data_of
from .services import PRIORITY_FIELDS, correct_profile, request_deletion, update_interests


class InterestsForm(forms.Form):
    interests = ThemeMultipleChoiceField(
        label=gettext_lazy("Pelatihan yang ingin Anda ikuti"),
        queryset=Theme.objects.filter(is_active=True).order_by("name"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": gettext_lazy("Pilih tema dari daftar.")},
    )


ADDRESS_REQUIRED = gettext_lazy("Tulis alamat Anda: jalan, nomor, RT/RW.")


class CorrectionForm(BootstrapMixin, forms.ModelForm):  # type: ignore[type-arg]
    """The details a resident corrects themselves; the priority fields only while `priority_open`."""

    class Meta:
        model = Resident
        fields = ["address", *PRIORITY_FIELDS, "email"]

    def __init__(self, *args: Any, priority_open: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kelurahan: Any = self.fields["kelurahan"]
        kelurahan.queryset = kelurahan.queryset.select_related("kecamatan").order_by("name")
        kelurahan.label_from_instance = lambda k: f"{k.name} (Kec. {k.kecamatan.name})"
        self.fields["address"].error_messages["required"] = ADDRESS_REQUIRED
        if not priority_open:
            for name in PRIORITY_FIELDS:
                self.fields[name].disabled = True
        self.apply_classes()

    def clean_address(self) -> str:
        address = " ".join(str(self.cleaned_data["address"]).split())
        if not address:
            raise forms.ValidationError(ADDRESS_REQUIRED)
        return address


def _own_resident(request: HttpRequest) -> Resident:
    resident = resident_of(request.user)
    if resident is None:
        raise Http404
    return resident


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    resident = _own_resident(request)
    requests = list(DeletionRequest.objects.filter(resident=resident).order_by("-requested_at"))
    pending = any(item.status == DeletionRequestStatus.PENDING for item in requests)
    return render(
        request,
        "residents/my_data.html",
        {"resident": resident, "deletion_requests": requests, "deletion_pending": pending},
    )


@login_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    resident = _own_resident(request)
    data = personal_data_of(resident)
    record_event(actor=request.user, action="resident.data_downloaded", target=resident, detail={})
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="data-saya-latihkerja-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def my_data_delete(request: HttpRequest) -> HttpResponse:
    resident = _own_resident(request)
    try:
        request_deletion(resident=resident, actor=request.user, reason=request.POST.get("reason", ""))
    except ResidentError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Permintaan hapus data terkirim ke Bappeda. Keputusannya akan tampil di halaman ini."),
        )
    return redirect("residents:my-data")


@login_required
def my_interests(request: HttpRequest) -> HttpResponse:
    resident = _own_resident(request)
    form = InterestsForm(
        request.POST or None, initial={"interests": list(resident.interests.values_list("code", flat=True))}
    )
    if request.method == "POST" and form.is_valid():
        update_interests(resident=resident, themes=form.cleaned_data["interests"], actor=request.user)
        messages.success(
            request, _("Minat pelatihan Anda tersimpan. Terima kasih: ini dipakai saat kelas direncanakan.")
        )
        return redirect("residents:my-interests")
    return render(request, "residents/my_interests.html", {"form": form})


@login_required
def my_data_correct(request: HttpRequest) -> HttpResponse:
    """The resident corrects their contact details, and what decides their priority while that is still open."""
    resident = _own_resident(request)
    period = registration_period()
    registration_open = period is not None and period.registration_is_open(timezone.now())
    priority_open = priority_fields_open(resident, period)
    form = CorrectionForm(request.POST or None, instance=resident, priority_open=priority_open)
    if request.method == "POST" and form.is_valid():
        changes = {
            name: form.cleaned_data[name] for name in form.changed_data if not form.fields[name].disabled
        }
        try:
            changed = correct_profile(
                # Fresh from the database: validating the form already wrote the new values onto its instance.
                resident=Resident.objects.get(pk=resident.pk),
                actor=request.user,
                changes=changes,
                priority_open=priority_open,
            )
        except ResidentError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Data Anda diperbarui.") if changed else _("Tidak ada yang berubah."))
            return redirect("residents:my-data")
    return render(
        request,
        "residents/my_data_correct.html",
        {
            "form": form,
            "resident": resident,
            "priority_open": priority_open,
            "registration_open": registration_open,
        },
    )
