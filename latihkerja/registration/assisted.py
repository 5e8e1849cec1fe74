"""Assisted intake: a BLK operator registers a resident who has no smartphone, at the kelurahan office.

The resident proves they are present and agree by reading out the code sent to a phone they can read (their
own basic phone or a relative's). The operator never signs in as the resident: the verified phone is kept in
the operator's session for 30 minutes, and every record says who assisted (consent, application, audit trail).
"""

from __future__ import annotations

import time
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from latihkerja.accounts.enums import Role
from latihkerja.accounts.errors import AccountError
from latihkerja.accounts.services import client_ip, request_code
from latihkerja.regions.models import Kecamatan
from latihkerja.residents.errors import ResidentError
from latihkerja.residents.services import (
    account_of,
    free_account_for_phone,
    people_on_phone,
    verify_resident_phone,
)

from .enums import Source
from .errors import RegistrationError
from .forms import ChoicesForm, CodeForm, PhoneForm, ProfileForm
from .queries import (
    application_of,
    carried_picks,
    choosable_batches,
    current_choices,
    other_kecamatan_query,
    registration_period,
    resident_of,
    shown_kecamatan,
)
from .services import submit_application

PENDING = "assisted_pending_phone"
VERIFIED = "assisted_verified_phone"
VERIFIED_FOR = 30 * 60


def operator_required(view: Any) -> Any:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not (user.is_superuser or user.role in (Role.OPERATOR, Role.BAPPEDA)):
            from django.http import Http404

            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _verified_phone(request: HttpRequest) -> str | None:
    value = request.session.get(VERIFIED)
    if not value or time.time() - value["at"] > VERIFIED_FOR:
        return None
    return str(value["phone"])


def _verified_account(request: HttpRequest, phone_number: str) -> Any:
    """The account of the person being registered: chosen among the phone's residents, or new (None: not
    chosen yet). Only an account of the verified phone."""
    from latihkerja.accounts.models import User

    account_id = (request.session.get(VERIFIED) or {}).get("account")
    if account_id is None:
        return None
    return User.objects.filter(pk=account_id, phone=phone_number, role=Role.RESIDENT).first()


def _choose(request: HttpRequest, phone_number: str, account: Any) -> HttpResponse:
    request.session[VERIFIED] = {"phone": phone_number, "at": time.time(), "account": account.pk}
    return redirect("assisted:choices" if resident_of(account) else "assisted:profile")


@operator_required
@require_http_methods(["GET", "POST"])
def phone(request: HttpRequest) -> HttpResponse:
    form = PhoneForm(request.POST or None, assisted=True)
    if request.method == "POST" and form.is_valid():
        try:
            otp = request_code(phone=form.cleaned_data["phone"], ip=client_ip(request), assisted=True)
        except AccountError as error:
            form.add_error("phone", error.message)
        else:
            request.session[PENDING] = otp.phone
            request.session.pop(VERIFIED, None)
            return redirect("assisted:code")
    return render(request, "registration/assisted_phone.html", {"form": form})


@operator_required
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    if not pending:
        return redirect("assisted:phone")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = verify_resident_phone(phone=pending, code=form.cleaned_data["code"], assisted=True)
        except AccountError as error:
            form.add_error("code", error.message)
        else:
            request.session.pop(PENDING, None)
            if not people_on_phone(pending):
                return _choose(request, pending, user)
            # Someone is registered with this phone already: the operator says whether it is them or another
            # person (a relative's phone), so that nobody's registration is changed for someone else's.
            request.session[VERIFIED] = {"phone": pending, "at": time.time(), "account": None}
            return redirect("assisted:who")
    return render(request, "registration/assisted_code.html", {"form": form, "phone": pending})


@operator_required
@require_http_methods(["GET", "POST"])
def who(request: HttpRequest) -> HttpResponse:
    phone_number = _verified_phone(request)
    if phone_number is None:
        return redirect("assisted:phone")
    people = people_on_phone(phone_number)
    error = ""
    if request.method == "POST":
        chosen = request.POST.get("person", "")
        if chosen == "new":
            return _choose(request, phone_number, free_account_for_phone(phone_number))
        person = next((p for p in people if str(p.pk) == chosen), None)
        if person is not None:
            return _choose(request, phone_number, account_of(person, actor=request.user))
        error = _("Pilih warga yang sedang Anda bantu, atau “warga lain”.")
    return render(
        request, "registration/assisted_who.html", {"people": people, "phone": phone_number, "error": error}
    )


@operator_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    phone_number = _verified_phone(request)
    period = registration_period()
    if phone_number is None or period is None:
        return redirect("assisted:phone")
    account = _verified_account(request, phone_number)
    if account is None:
        return redirect("assisted:who")
    if resident_of(account) is not None:
        return redirect("assisted:choices")
    form = ProfileForm(request.POST or None, period=period, assisted=True)
    if request.method == "POST" and form.is_valid():
        try:
            form.register(user=account, phone=phone_number, source=Source.ASSISTED, assisted_by=request.user)
        except ResidentError as error:
            form.add_error("nik", error.message)
        else:
            return redirect("assisted:choices")
    return render(request, "registration/assisted_profile.html", {"form": form, "phone": phone_number})


@operator_required
@require_http_methods(["GET", "POST"])
def choices(request: HttpRequest) -> HttpResponse:
    phone_number = _verified_phone(request)
    period = registration_period()
    if phone_number is None or period is None:
        return redirect("assisted:phone")
    account = _verified_account(request, phone_number)
    if account is None:
        return redirect("assisted:who")
    resident = resident_of(account)
    if resident is None:
        return redirect("assisted:profile")
    application = application_of(resident, period)
    current = current_choices(application)
    user: Any = request.user
    default_kecamatan = (
        user.center.kelurahan.kecamatan.code if user.center_id else resident.kelurahan.kecamatan.code
    )
    kecamatan_code = shown_kecamatan(request.GET.get("kecamatan"), default_kecamatan)
    picked = carried_picks(request.GET, period.max_choices)
    sent = carried_picks(request.POST, period.max_choices)
    batches = choosable_batches(period, kecamatan_code=kecamatan_code, keep=[*current, *picked, *sent])
    initial = {f"choice_{rank}": code for rank, code in enumerate(current, 1)}
    if any(picked):
        initial = {f"choice_{rank}": code for rank, code in enumerate(picked, 1) if code}
    if request.method == "POST" and (query := other_kecamatan_query(request.POST, period.max_choices)):
        return redirect(f"{reverse('assisted:choices')}?{query}")
    form = ChoicesForm(request.POST or None, initial=initial, batches=batches, max_choices=period.max_choices)
    if request.method == "POST" and form.is_valid():
        try:
            submit_application(
                resident=resident,
                period=period,
                batch_codes=form.codes(),
                actor=request.user,
                source=Source.ASSISTED,
            )
        except RegistrationError as error:
            form.add_error(None, error.message)
        else:
            # The phone stays verified for its 30 minutes: another person sharing it (a relative) can be
            # registered next without one more code.
            request.session[VERIFIED] = {**request.session[VERIFIED], "account": None}
            messages.success(
                request,
                _("Pendaftaran %(name)s tersimpan. Warga menerima SMS konfirmasi.")
                % {"name": resident.full_name},
            )
            return redirect("assisted:who")
    return render(
        request,
        "registration/assisted_choices.html",
        {
            "form": form,
            "resident": resident,
            "period": period,
            "kecamatan": Kecamatan.objects.order_by("name"),
            "kecamatan_code": kecamatan_code,
            "is_open": period.registration_is_open(timezone.now()),
        },
    )
