"""A resident's own data: download everything kept about them, and ask for its deletion (UU PDP)."""

from __future__ import annotations

import json

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
from latihkerja.registration.queries import resident_of

from .errors import ResidentError
from .models import DeletionRequest, Resident
from .privacy import personal_data_of
from .services import request_deletion, update_interests


class InterestsForm(forms.Form):
    interests = ThemeMultipleChoiceField(
        label=gettext_lazy("Pelatihan yang ingin Anda ikuti"),
        queryset=Theme.objects.filter(is_active=True).order_by("name"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": gettext_lazy("Pilih tema dari daftar.")},
    )


def _own_resident(request: HttpRequest) -> Resident:
    resident = resident_of(request.user)
    if resident is None:
        raise Http404
    return resident


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    resident = _own_resident(request)
    requests = DeletionRequest.objects.filter(resident=resident).order_by("-requested_at")
    return render(request, "residents/my_data.html", {"resident": resident, "deletion_requests": requests})


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
