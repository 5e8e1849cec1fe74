"""The resident's registration journey, one short step per page (GOV.UK pattern), on phones first.

Start → phone number → code from SMS → profile with consent → ranked choices → confirmation.
Every step works without JavaScript.
"""

from __future__ import annotations

import time
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from latihkerja.accounts.enums import Role
from latihkerja.accounts.errors import AccountError
from latihkerja.accounts.services import client_ip, request_code
from latihkerja.engine.phone import national_phone
from latihkerja.notifications.enums import Kind, MessageStatus
from latihkerja.notifications.services import latest_message
from latihkerja.regions.models import Kecamatan
from latihkerja.residents.errors import ResidentError
from latihkerja.residents.models import Resident
from latihkerja.residents.services import account_of_person, free_account_for_phone, verify_resident_phone

from .enums import ApplicationStatus, Source
from .errors import RegistrationError
from .forms import ChoicesForm, CodeForm, PersonForm, PhoneForm, ProfileForm
from .queries import (
    application_of,
    carried_picks,
    choosable_batches,
    current_choices,
    holds_seat,
    open_batches,
    other_kecamatan_query,
    registration_period,
    resident_of,
    shown_kecamatan,
)
from .services import submit_application, withdraw_application

SESSION_PHONE = "registration_phone"
SESSION_BATCH = "registration_batch"
SESSION_SHARED = "registration_shared_phone"  # a verified phone several residents share, until one is chosen
SHARED_FOR = 10 * 60
SHARED_TRIES = 5
SESSION_RENEWED = "registration_renewed"  # the done page says "sent", not "changed", after a withdrawal
SESSION_NEXT = "registration_next"
SESSION_SIGNING_IN = "registration_signing_in"


def resident_required(view: Any) -> Any:
    @wraps(view)
    @login_required(login_url="registration:phone")
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.role != Role.RESIDENT:  # type: ignore[union-attr]
            messages.error(
                request, _("Halaman ini untuk warga. Petugas mendaftarkan warga lewat “Bantu daftar”.")
            )
            return redirect("accounts:start")
        return view(request, *args, **kwargs)

    return wrapper


def start(request: HttpRequest) -> HttpResponse:
    period = registration_period()
    if request.GET.get("batch"):
        request.session[SESSION_BATCH] = request.GET["batch"][:60]
    is_open = period is not None and period.registration_is_open(_now())
    user: Any = request.user
    if is_open and user.is_authenticated and user.role == Role.RESIDENT:
        # Already signed in (from a class page's "Register for this class"): no phone step again; the choices
        # page adds the class to their list.
        return redirect("registration:choices")
    return render(request, "registration/start.html", {"period": period, "is_open": is_open})


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


@require_http_methods(["GET", "POST"])
def phone(request: HttpRequest) -> HttpResponse:
    # Where a signed-out resident was going (a QR check-in link): back there after the code, not the wizard.
    wanted = request.GET.get("next") or request.POST.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        request.session[SESSION_NEXT] = wanted
    signing_in = bool(request.GET.get("masuk") or request.POST.get("masuk"))
    pending = request.session.get(SESSION_PHONE)
    # "Send again": the number already given is filled in, in the local form the resident typed.
    initial = {"phone": "0" + pending.removeprefix("+62")} if pending and pending.startswith("+62") else {}
    form = PhoneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            otp = request_code(
                phone=form.cleaned_data["phone"], ip=client_ip(request), language=translation.get_language()
            )
        except AccountError as error:
            form.add_error("phone", error.message)
        else:
            request.session[SESSION_PHONE] = otp.phone
            request.session[SESSION_SIGNING_IN] = signing_in  # the code page reads as a sign-in too
            return redirect("registration:code")
    return render(request, "registration/phone.html", {"form": form, "signing_in": signing_in})


@require_http_methods(["GET", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    phone_number = request.session.get(SESSION_PHONE)
    if not phone_number:
        if request.method == "POST":
            # A code posted without a number waiting: usually a retry after the answer to a code that worked
            # was lost on the way (the sign-in changed the session). Say so instead of starting over silently.
            if request.user.is_authenticated:
                return redirect("accounts:start")
            messages.info(
                request, _("Sesi pendaftaran berakhir atau kodenya sudah dipakai. Masukkan nomor HP lagi.")
            )
        return redirect("registration:phone")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = verify_resident_phone(phone=phone_number, code=form.cleaned_data["code"])
        except AccountError as error:
            form.add_error("code", error.message)
        else:
            if user is None:  # several residents share this phone: ask who is signing in
                request.session[SESSION_SHARED] = {"phone": phone_number, "at": time.time(), "tries": 0}
                return redirect("registration:who")
            return _sign_in(request, user)
    shown = national_phone(phone_number)  # 0813-…, as residents know their number, not +62813…
    masked = shown[:4] + "•••" + shown[-3:]
    # While the SMS provider fails, "we sent a code" was not true (resilience review): say what happened.
    sms = latest_message(recipient=phone_number, kind=Kind.OTP)
    return render(
        request,
        "registration/code.html",
        {
            "form": form,
            "masked_phone": masked,
            "signing_in": request.session.get(SESSION_SIGNING_IN, False),
            "sms_failed": sms is not None and sms.status == MessageStatus.FAILED,
        },
    )


def _sign_in(request: HttpRequest, user: Any) -> HttpResponse:
    """Sign the resident in (keeping the class they came for and where they were going) and send them on."""
    batch = request.session.get(SESSION_BATCH)
    wanted = request.session.pop(SESSION_NEXT, "")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if batch:
        request.session[SESSION_BATCH] = batch
    if user.language != translation.get_language():
        user.language = translation.get_language()
        user.save(update_fields=["language"])
    resident = resident_of(user)
    if resident and wanted:
        return redirect(wanted)
    if resident is None:
        return redirect("registration:profile")
    period = registration_period()
    if period is None or not period.registration_is_open(_now()):
        return redirect("accounts:start")  # choices are settled: My page shows the result, seat and schedule
    return redirect("registration:choices")


@require_http_methods(["GET", "POST"])
def who(request: HttpRequest) -> HttpResponse:
    """A phone several residents share (a family): the one signing in gives their NIK, or registers anew."""
    shared = request.session.get(SESSION_SHARED)
    if not shared or time.time() - shared["at"] > SHARED_FOR or shared["tries"] >= SHARED_TRIES:
        request.session.pop(SESSION_SHARED, None)
        return redirect("registration:phone")
    form = PersonForm(request.POST or None)
    if request.method == "POST" and "new" in request.POST:
        request.session.pop(SESSION_SHARED, None)
        return _sign_in(request, free_account_for_phone(shared["phone"]))
    if request.method == "POST" and form.is_valid():
        try:
            user = account_of_person(phone=shared["phone"], nik=form.cleaned_data["nik"])
        except ResidentError as error:
            shared["tries"] += 1
            request.session[SESSION_SHARED] = shared
            form.add_error("nik", error.message)
        else:
            request.session.pop(SESSION_SHARED, None)
            return _sign_in(request, user)
    return render(request, "registration/who.html", {"form": form})


@resident_required
@require_http_methods(["POST"])
def another(request: HttpRequest) -> HttpResponse:
    """ "Not me": another person using this phone registers with an account of their own."""
    user: Any = request.user
    return _sign_in(request, free_account_for_phone(user.phone or user.username))


@resident_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    period = registration_period()
    if period is None:
        return redirect("registration:start")
    if resident_of(request.user) is not None:
        return redirect("registration:choices")
    form = ProfileForm(request.POST or None, period=period)
    if request.method == "POST" and form.is_valid():
        try:
            user: Any = request.user
            form.register(user=user, phone=user.phone or user.username, source=Source.ONLINE)
        except ResidentError as error:
            form.add_error("nik", error.message)
        else:
            return redirect("registration:choices")
    return render(request, "registration/profile.html", {"form": form, "period": period})


@resident_required
@require_http_methods(["GET", "POST"])
def choices(request: HttpRequest) -> HttpResponse:
    period = registration_period()
    resident = resident_of(request.user)
    if period is None:
        return redirect("registration:start")
    if resident is None:
        return redirect("registration:profile")
    if holds_seat(resident, period):
        messages.info(request, RegistrationError.SEAT_HELD)
        return redirect("accounts:start")
    application = application_of(resident, period)
    current = current_choices(application)
    kecamatan_code = shown_kecamatan(request.GET.get("kecamatan"), resident.kelurahan.kecamatan.code)
    wanted = request.session.get(SESSION_BATCH)
    picked = carried_picks(request.GET, period.max_choices)
    sent = carried_picks(request.POST, period.max_choices)
    batches = choosable_batches(
        period, kecamatan_code=kecamatan_code, keep=[*current, wanted or "", *picked, *sent]
    )
    initial: dict[str, str] = {f"choice_{rank}": code for rank, code in enumerate(current, 1)}
    if wanted and wanted not in current and len(current) < period.max_choices:
        initial[f"choice_{len(current) + 1}"] = wanted
    wanted_note = (
        _wanted_note(wanted, current, batches, period.max_choices) if request.method == "GET" else ""
    )
    if any(picked):
        initial = {f"choice_{rank}": code for rank, code in enumerate(picked, 1) if code}
    if request.method == "POST" and (query := other_kecamatan_query(request.POST, period.max_choices)):
        return redirect(f"{reverse('registration:choices')}?{query}")
    form = ChoicesForm(request.POST or None, initial=initial, batches=batches, max_choices=period.max_choices)
    if request.method == "POST" and form.is_valid():
        try:
            submit_application(resident=resident, period=period, batch_codes=form.codes(), actor=request.user)
        except RegistrationError as error:
            form.add_error(None, error.message)
        else:
            request.session.pop(SESSION_BATCH, None)
            if application is not None and not current:  # registered again after withdrawing
                request.session[SESSION_RENEWED] = True
            return redirect("registration:done")
    kecamatan = Kecamatan.objects.order_by("name")
    is_open = period.registration_is_open(_now())
    return render(
        request,
        "registration/choices.html",
        {
            "form": form,
            "period": period,
            "kecamatan": kecamatan,
            "kecamatan_code": kecamatan_code,
            "is_open": is_open,
            # While registration is open but no class is yet (after it closes, the page says it closed).
            "no_classes": is_open and not open_batches(period).exists(),
            "application": application if current else None,
            "withdrawn": application is not None and not current,
            "resident": resident,
            "wanted_note": wanted_note,
        },
    )


def _wanted_note(wanted: str | None, current: list[str], batches: list[Any], max_choices: int) -> str:
    """What became of the class the resident came from ("Register for this class"): said, never dropped."""
    if not wanted:
        return ""
    batch = next((b for b in batches if b.code == wanted), None)
    if batch is None:
        return _("Kelas yang Anda pilih tidak dibuka untuk pendaftaran lagi. Pilih kelas lain di bawah.")
    name = batch.theme.display_name
    if wanted in current:
        return _("Kelas %(name)s sudah ada di pilihan Anda.") % {"name": name}
    if len(current) >= max_choices:
        return _(
            "Kelas %(name)s belum masuk pilihan Anda: semua %(n)s pilihan sudah terisi. Ganti salah satu di bawah."
        ) % {"name": name, "n": max_choices}
    return _(
        "Kelas %(name)s ditambahkan sebagai pilihan ke-%(rank)s. Tekan Kirim pendaftaran untuk menyimpannya."
    ) % {
        "name": name,
        "rank": len(current) + 1,
    }


@resident_required
def done(request: HttpRequest) -> HttpResponse:
    period = registration_period()
    resident = resident_of(request.user)
    application = application_of(resident, period) if resident and period else None
    if application is None or application.status != ApplicationStatus.SUBMITTED:
        return redirect("registration:choices")
    renewed = request.session.pop(SESSION_RENEWED, False)
    return render(
        request,
        "registration/done.html",
        {"application": application, "period": period, "changed": application.revision > 1 and not renewed},
    )


@resident_required
@require_http_methods(["POST"])
def withdraw(request: HttpRequest) -> HttpResponse:
    period = registration_period()
    resident = resident_of(request.user)
    if period is None or resident is None:
        return redirect("registration:start")
    try:
        withdraw_application(resident=resident, period=period, actor=request.user)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Pendaftaran Anda dibatalkan. Anda bisa mendaftar lagi selama pendaftaran masih dibuka."),
        )
    return redirect("accounts:start")


@resident_required
@require_http_methods(["POST"])
def take_seat(request: HttpRequest, code: str) -> HttpResponse:
    """First come, first served for seats left after allocation: atomic in the database, never overbooks."""
    from django.shortcuts import get_object_or_404

    from latihkerja.batches.errors import BatchError
    from latihkerja.batches.models import Batch
    from latihkerja.batches.services import take_open_seat

    # Only what taking a seat reads: the public catalogue's rule for which batches exist, not its columns.
    batch = get_object_or_404(Batch.objects.public().only("pk", "code", "period_id"), code=code)
    user: Any = request.user  # a signed-in resident (@resident_required)
    resident = Resident.objects.filter(user=user).only("pk").first()
    if resident is None:
        return redirect("registration:profile")
    try:
        take_open_seat(batch=batch, resident=resident, actor=request.user)
    except BatchError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Kursi Anda di kelas ini sudah tercatat. Sampai jumpa di kelas!"))
    return redirect("batches:detail", code=batch.code)
