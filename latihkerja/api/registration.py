"""Registration over the API: the same services, rules and messages as the pages.

Authentication is the session cookie obtained by verifying a one-time code (`/auth/code` then `/auth/verify`),
so a browser or a web view can use it directly (CSRF token required on writes, as on the pages).
Errors are `{"detail": "<message in the request's language>"}` with status 400, 401 (no valid session), 403,
404, 409 or 429 (try again later); a refused profile adds `"errors": {"<field>": ["<message>", …]}`, checked by
the page's own form (`ProfileForm`). A body of the wrong shape (a missing field, a number for a text) is 422
with `{"detail": [{"type", "loc", "msg"}, …]}`. Each status an endpoint can answer is in its OpenAPI entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import login, logout
from django.db.models import TextChoices
from django.http import HttpRequest
from django.utils import timezone, translation
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import django_auth
from pydantic import StrictBool

from latihkerja.accounts.enums import Role
from latihkerja.accounts.errors import AccountError
from latihkerja.accounts.services import (
    check_code,
    client_ip,
    normalized_phone,
    request_code,
    use_a_try,
)
from latihkerja.allocation.queries import offers_of, resident_allocation
from latihkerja.allocation.services import accept_offer, decline_offer
from latihkerja.batches.models import EnrollmentStatus
from latihkerja.common.errors import DomainError
from latihkerja.registration.consent import CURRENT_VERSION
from latihkerja.registration.enums import ApplicationStatus, Source
from latihkerja.registration.errors import RegistrationError
from latihkerja.registration.forms import ProfileForm
from latihkerja.registration.queries import application_of, registration_period, resident_of
from latihkerja.registration.services import submit_application, withdraw_application
from latihkerja.residents.crypto import digest_identity
from latihkerja.residents.enums import Education, EmploymentStatus, Sex
from latihkerja.residents.errors import ResidentError
from latihkerja.residents.models import Resident
from latihkerja.residents.services import (
    account_of_person,
    free_account_for_phone,
    people_on_phone,
    verify_resident_phone,
)
from latihkerja.residents.validators import identity_digits

from .schemas import SIGNED_IN, Invalid, Message

router = Router(tags=["registration"])


class PhoneIn(Schema):
    phone: str


class VerifyIn(Schema):
    phone: str
    code: str
    # A phone several residents share (a family): who is signing in, by NIK, or someone not registered yet.
    nik: str = ""
    new_person: StrictBool = False


class SessionOut(Schema):
    username: str
    has_profile: bool


def _one_of(choices: type[TextChoices], description: str) -> Any:
    """A string documented with its allowed values; the profile form checks it, answering 400 in the
    request's language like every other field (an enum type would make it pydantic's 422)."""
    return Field(..., description=description, json_schema_extra={"enum": list(choices.values)})


class ProfileIn(Schema):
    nik: str = Field(..., description="16 digits")
    kk: str = Field(..., description="family card number, 16 digits")
    full_name: str
    sex: str = _one_of(Sex, "L: male, P: female")
    birth_date: dt.date
    kelurahan: str = Field(..., description="kelurahan code, e.g. 36.71.01.1001 (GET /api/v1/public/regions)")
    address: str
    email: str = ""
    education: str = _one_of(Education, "highest education completed")
    employment_status: str = _one_of(EmploymentStatus, "priority groups: phk, dirumahkan, then menganggur")
    has_disability: bool = False
    interests: list[str] = []
    consent: StrictBool  # a legal consent is JSON true, not "yes" or 1
    consent_version: str = Field(
        "", description="the version of the text shown (GET /api/v1/public/consent); refused when outdated"
    )


class ProfileOut(Schema):
    full_name: str
    masked_nik: str
    kelurahan: str
    employment_status: str


class ChoicesIn(Schema):
    choices: list[str]


class ChoiceOut(Schema):
    rank: int
    batch: str
    theme: str
    center: str


class SeatOut(Schema):
    """The seat allocation gave (or a first-come seat taken): `offered` waits for an answer by `respond_by`."""

    id: int
    batch: str
    theme: str
    center: str
    status: str
    respond_by: dt.datetime | None


class ApplicationOut(Schema):
    period: str
    status: str
    revision: int
    registration_open: bool
    choices: list[ChoiceOut]
    # After the result is published: the seat offered or held in the period (null: none, or not yet published).
    seat: SeatOut | None = None


class Problem(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def _form_problem(form: Any) -> dict[str, Any]:
    """A refused form as the API answers it: `detail` for people (each message after its field's label, in
    the request's language) and `errors` for programs (the messages by field name)."""
    errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
    detail = " ".join(
        f"{form.fields[field].label}: {message}" if field in form.fields else message
        for field, messages in errors.items()
        for message in messages
    )
    return {"detail": detail, "errors": errors}


# Refusals that a later retry will pass: 429, so that clients back off instead of reporting bad input.
_RATE_LIMITED = (AccountError.TOO_MANY_CODES, AccountError.TOO_MANY_FROM_HERE)


def _fail(error: DomainError, status: int = 400) -> HttpError:
    return HttpError(429 if error.template in _RATE_LIMITED else status, error.message)


def _resident_user(request: HttpRequest) -> Any:
    user: Any = request.user
    if user.role != Role.RESIDENT:
        raise HttpError(403, str(translation.gettext("Hanya untuk akun warga.")))
    return user


@router.post(
    "/auth/code",
    response={202: Message, 400: Message, 422: Invalid, 429: Message},
    auth=None,
    summary="Send a one-time code by SMS",
)
def send_code(request: HttpRequest, body: PhoneIn) -> Status[dict[str, str]]:
    try:
        request_code(phone=body.phone, ip=client_ip(request), language=translation.get_language())
    except AccountError as error:
        raise _fail(error) from error
    return Status(202, {"detail": str(translation.gettext("Kode dikirim."))})


@router.post(
    "/auth/verify",
    response={200: SessionOut, 400: Message, 409: Message, 422: Invalid, 429: Message},
    auth=None,
    summary="Verify the code and sign in",
)
def verify(request: HttpRequest, body: VerifyIn) -> dict[str, Any]:
    nik = identity_digits(body.nik)
    try:
        phone = normalized_phone(body.phone)
        # The code first: nothing about the phone's residents is told to someone without it. Not spent until
        # it is known who signs in, so a missing or mistyped NIK can be sent again with the same code.
        otp = check_code(phone=phone, code=body.code)
        people = people_on_phone(phone)
        if nik and not body.new_person:
            use_a_try(otp)  # as the page's SHARED_TRIES: a relative holding the phone may not search
            if not any(p.nik_digest == digest_identity(nik) for p in people):
                raise ResidentError(ResidentError.NOT_ON_PHONE_API)
        if len(people) > 1 and not (nik or body.new_person):
            raise HttpError(409, str(ResidentError.PHONE_SHARED))
        user = verify_resident_phone(phone=phone, code=body.code)
        if body.new_person:
            user = free_account_for_phone(phone)
        elif nik:
            user = account_of_person(phone=phone, nik=nik)
        elif user is None:  # another resident registered with this phone a moment ago
            raise HttpError(409, str(ResidentError.PHONE_SHARED))
    except (AccountError, ResidentError) as error:
        raise _fail(error) from error
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return {"username": user.username, "has_profile": resident_of(user) is not None}


@router.post(
    "/auth/signout",
    response={200: Message, **SIGNED_IN},
    auth=django_auth,
    summary="Sign out (end this session)",
)
def sign_out(request: HttpRequest) -> dict[str, str]:
    logout(request)
    return {"detail": str(translation.gettext("Anda sudah keluar."))}


def _profile_out(resident: Resident) -> dict[str, Any]:
    return {
        "full_name": resident.full_name,
        "masked_nik": resident.masked_nik,
        "kelurahan": resident.kelurahan.code,
        "employment_status": resident.employment_status,
    }


@router.get(
    "/me/profile",
    response={200: ProfileOut, 403: Message, 404: Message, **SIGNED_IN},
    auth=django_auth,
    summary="My resident profile (NIK masked)",
)
def my_profile(request: HttpRequest) -> dict[str, Any]:
    resident = resident_of(_resident_user(request))
    if resident is None:
        raise HttpError(404, str(translation.gettext("Profil belum dibuat.")))
    return _profile_out(resident)


@router.post(
    "/me/profile",
    response={201: ProfileOut, 400: Problem, 403: Message, 409: Message, 422: Invalid, **SIGNED_IN},
    auth=django_auth,
    summary="Create my resident profile",
)
def create_profile(request: HttpRequest, body: ProfileIn) -> Status[dict[str, Any]]:
    user = _resident_user(request)
    period = registration_period()
    if period is None:
        raise HttpError(400, str(translation.gettext("Belum ada periode program yang dibuka.")))
    if body.consent_version and body.consent_version != CURRENT_VERSION:
        raise HttpError(
            409,
            str(
                translation.gettext(
                    "Teks persetujuan sudah berubah (versi %(version)s). Tampilkan teks terbaru "
                    "(GET /api/v1/public/consent), lalu kirim lagi."
                )
            )
            % {"version": CURRENT_VERSION},
        )
    # The page's form checks the body: every field rule and message is the one residents see on the page.
    form = ProfileForm(
        {
            **body.dict(exclude={"birth_date", "has_disability", "consent", "consent_version"}),
            "birth_date": body.birth_date.isoformat(),
            "has_disability": body.has_disability,
            "consent": body.consent,
        },
        period=period,
    )
    if not form.is_valid():
        return Status(400, _form_problem(form))
    try:
        resident = form.register(user=user, phone=user.phone or user.username, source=Source.ONLINE)
    except DomainError as error:
        raise _fail(error) from error
    return Status(201, _profile_out(resident))


def _application_out(resident: Any, period: Any) -> dict[str, Any]:
    application = application_of(resident, period)
    if application is None:
        raise HttpError(404, str(translation.gettext("Belum ada pendaftaran untuk periode ini.")))
    out = _out(period, application, [(c.rank, c.batch) for c in application.choices.all()])
    return out | {"seat": _seat_out(resident, period)}


def _seat_out(resident: Any, period: Any) -> dict[str, Any] | None:
    """The seat offered or held in `period`; without one, the last that ended (declined, expired, …)."""
    found = resident_allocation(resident, period)
    enrollment = found.get("seat") or next(iter(found.get("history", [])), None)
    if enrollment is None:
        return None
    return {
        "id": enrollment.pk,
        "batch": enrollment.batch.code,
        "theme": enrollment.batch.theme.name,
        "center": enrollment.batch.center.name,
        "status": enrollment.status,
        "respond_by": enrollment.respond_by if enrollment.status == EnrollmentStatus.OFFERED else None,
    }


def _out(period: Any, application: Any, ranked: list[tuple[int, Any]]) -> dict[str, Any]:
    """The answer about `application`, whose choices are the `(rank, batch)` pairs (no seat: while the
    resident may still change their choices, they hold none)."""
    return {
        "period": period.code,
        "status": application.status,
        "revision": application.revision,
        "registration_open": period.registration_is_open(timezone.now()),
        "choices": [
            {"rank": rank, "batch": b.code, "theme": b.theme.name, "center": b.center.name}
            for rank, b in ranked
        ],
    }


def _resident_and_period(request: HttpRequest) -> tuple[Any, Any]:
    user = _resident_user(request)
    # The signed-in resident's own row (the scope of a resident), with only what the services read.
    resident = Resident.objects.filter(user=user).only("id", "user_id", "full_name", "phone").first()
    if resident is not None:
        resident.user = user
    period = registration_period()
    if resident is None or period is None:
        raise HttpError(404, str(translation.gettext("Lengkapi profil Anda sebelum memilih kelas.")))
    return resident, period


@router.get(
    "/me/application",
    response={200: ApplicationOut, 403: Message, 404: Message, **SIGNED_IN},
    auth=django_auth,
    summary="My application and its status",
)
def my_application(request: HttpRequest) -> dict[str, Any]:
    resident, period = _resident_and_period(request)
    return _application_out(resident, period)


@router.put(
    "/me/application",
    response={200: ApplicationOut, 400: Message, 403: Message, 404: Message, 422: Invalid, **SIGNED_IN},
    auth=django_auth,
    summary="Submit or change my ranked choices (idempotent)",
)
def put_application(request: HttpRequest, body: ChoicesIn) -> dict[str, Any]:
    resident, period = _resident_and_period(request)
    try:
        submitted = submit_application(
            resident=resident, period=period, batch_codes=body.choices, actor=request.user
        )
    except DomainError as error:
        raise _fail(error) from error
    return _out(period, submitted.application, list(enumerate(submitted.batches, 1)))


@router.delete(
    "/me/application",
    response={200: ApplicationOut, 400: Message, 403: Message, 404: Message, **SIGNED_IN},
    auth=django_auth,
    summary="Withdraw my application",
)
def delete_application(request: HttpRequest) -> dict[str, Any]:
    resident, period = _resident_and_period(request)
    try:
        withdraw_application(resident=resident, period=period, actor=request.user)
    except RegistrationError as error:
        application = application_of(resident, period)
        already = application is not None and application.status == ApplicationStatus.WITHDRAWN
        if error.template != RegistrationError.NOTHING_TO_WITHDRAW or not already:
            raise _fail(error) from error
        # Withdrawn already (a retried request): the same answer as the first time, like a repeated PUT.
    except DomainError as error:
        raise _fail(error) from error
    return _application_out(resident, period)


def _answer(request: HttpRequest, pk: int, answer: Any) -> dict[str, Any]:
    """Accept or decline the signed-in resident's own offer `pk` (someone else's is a 404), then the status."""
    _resident_user(request)
    enrollment = offers_of(request.user).filter(pk=pk).first()
    if enrollment is None:
        raise HttpError(404, str(translation.gettext("Tidak ditemukan.")))
    try:
        answer(enrollment)
    except DomainError as error:
        raise _fail(error) from error
    return _application_out(enrollment.resident, enrollment.period)


@router.post(
    "/me/offers/{offer_id}/accept",
    response={200: ApplicationOut, 400: Message, 403: Message, 404: Message, **SIGNED_IN},
    auth=django_auth,
    summary="Accept my seat offer (before its respond_by)",
)
def accept(request: HttpRequest, offer_id: int) -> dict[str, Any]:
    return _answer(request, offer_id, lambda e: accept_offer(enrollment=e, actor=request.user))


@router.post(
    "/me/offers/{offer_id}/decline",
    response={200: ApplicationOut, 400: Message, 403: Message, 404: Message, **SIGNED_IN},
    auth=django_auth,
    summary="Decline my seat offer (the seat goes to the next on the wait list)",
)
def decline(request: HttpRequest, offer_id: int) -> dict[str, Any]:
    return _answer(
        request,
        offer_id,
        lambda e: decline_offer(enrollment=e, actor=request.user, site_url=request.build_absolute_uri("/")),
    )
