"""Creating a resident's profile: one NIK = one resident, enforced by the unique NIK digest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from latihkerja.accounts.enums import Role
from latihkerja.accounts.models import OneTimeCode
from latihkerja.accounts.services import resident_account_for, verify_code
from latihkerja.audit.services import record_event
from latihkerja.catalog.models import Theme
from latihkerja.common import throttle
from latihkerja.common.errors import checked_reason
from latihkerja.notifications.services import queue_message
from latihkerja.programs.models import Period
from latihkerja.regions.models import Kelurahan
from latihkerja.registration.consent import CURRENT_VERSION, consent_digest
from latihkerja.registration.enums import Source
from latihkerja.registration.models import Application, Consent

from .crypto import digest_identity, encrypt_identity
from .errors import ResidentError
from .models import ERASED_NAME, DeletionRequest, DeletionRequestStatus, Resident
from .privacy import blank_admin_history, erasure_blocked_by, kept_since, run_erasers
from .validators import nik_problems


def register_resident(
    *,
    period: Period,
    user: Any | None,
    nik: str,
    kk: str,
    full_name: str,
    sex: str,
    birth_date: dt.date,
    kelurahan: Kelurahan,
    address: str,
    phone: str,
    email: str = "",
    education: str,
    employment_status: str,
    has_disability: bool = False,
    interests: Iterable[Theme] = (),
    consent_given: bool,
    source: str = Source.ONLINE,
    assisted_by: Any | None = None,
) -> Resident:
    """Create the resident and record their consent, in one transaction.

    The NIK rules are checked here too (forms check first, to show every message beside its field), so no
    caller can store an NIK that the programme would refuse. A second registration with the same NIK fails on
    the unique digest even when two arrive at the same instant.
    """
    if not consent_given:
        raise ResidentError(ResidentError.CONSENT_REQUIRED)
    problems = nik_problems(nik, period=period, birth_date=birth_date, sex=sex, kelurahan=kelurahan)
    if problems:
        raise ResidentError(ResidentError.INVALID_NIK, problems=" ".join(message for _, message in problems))
    if user is not None and Resident.objects.filter(user=user).exists():
        raise ResidentError(ResidentError.ALREADY_REGISTERED)
    if (
        user is not None
        and assisted_by is None
        and throttle.current(_nik_taken_key(user)) >= NIK_TAKEN_PER_DAY
    ):
        raise ResidentError(ResidentError.NIK_TAKEN_TOO_OFTEN)
    try:
        with transaction.atomic():
            resident = Resident.objects.create(
                user=user,
                nik_digest=digest_identity(nik),
                nik_encrypted=encrypt_identity(nik),
                kk_encrypted=encrypt_identity(kk) if kk else "",
                full_name=full_name.strip(),
                sex=sex,
                birth_date=birth_date,
                kelurahan=kelurahan,
                address=address.strip(),
                phone=phone,
                email=email,
                education=education,
                employment_status=employment_status,
                has_disability=has_disability,
            )
            resident.interests.set(interests)
            Consent.objects.create(
                resident=resident,
                version=CURRENT_VERSION,
                text_digest=consent_digest(CURRENT_VERSION),
                source=source,
                assisted_by=assisted_by,
            )
            record_event(
                actor=assisted_by or user,
                action="resident.registered",
                target=resident,
                detail={"source": source},
            )
    except IntegrityError as error:
        # A double submit (the account's profile was made a moment ago) or the NIK taken meanwhile.
        if user is not None and Resident.objects.filter(user=user).exists():
            raise ResidentError(ResidentError.ALREADY_REGISTERED) from error
        if Resident.objects.filter(nik_digest=digest_identity(nik)).exists():
            if user is not None and assisted_by is None:
                throttle.count(_nik_taken_key(user), window=NIK_TAKEN_WINDOW)
            raise ResidentError(ResidentError.NIK_TAKEN) from error
        raise
    return resident


# "This NIK is registered" tells whether someone is in the programme: a phone may hear it a few times a day
# (a typo, a relative's card), not run through a list of NIKs (security review). Counted in the cache
# (`CACHE_URL`; Redis when there are several app servers). Operators at the desk are audited instead.
NIK_TAKEN_PER_DAY = 5
NIK_TAKEN_WINDOW = 24 * 60 * 60


def _nik_taken_key(user: Any) -> str:
    # By the verified phone, not the account: "not me" makes a new account for the same phone at no cost.
    return f"residents:nik-taken:{user.phone or user.username}"


def find_by_nik(nik: str) -> Resident | None:
    return Resident.objects.filter(nik_digest=digest_identity(nik)).first()


def verify_resident_phone(*, phone: str, code: str, assisted: bool = False) -> Any:
    """Check the one-time code and return the account to sign in with: the account of the one resident
    registered with this phone (linked now if an import or an operator registered them without one), or the
    phone's own account when nobody is. Every sign-in by code goes through here: the pages, assisted intake
    and the API.

    Returns None when several residents share the phone (a family): the caller then asks who is signing in,
    with `account_of_person` (their NIK) or `free_account_for_phone` (someone not registered yet)."""
    user = verify_code(phone=phone, code=code, assisted=assisted)
    people = people_on_phone(user.phone or user.username)
    if len(people) > 1:
        return None
    if people and people[0].user is not None:
        return people[0].user
    claim_profile_by_phone(user)
    return user


def people_on_phone(phone: str) -> list[Resident]:
    """The residents registered with this mobile number (several for a family sharing one phone)."""
    return list(Resident.objects.filter(phone=phone).select_related("user").order_by("pk"))


def free_account_for_phone(phone: str) -> Any:
    """A resident account of this phone without a profile, for a person about to register: the phone's own
    account while nobody uses it, otherwise a new account of the same phone (`+62…-2`, `-3`, …). One account
    per person keeps every page and record about one resident; the phone only proves who may sign in."""
    primary = resident_account_for(phone)
    if not Resident.objects.filter(user=primary).exists():
        return primary
    return _new_account(primary.phone or primary.username)


def _new_account(phone: str) -> Any:
    """One more resident account of `phone` (never one without a profile that exists already: it may be
    someone's registration in progress)."""
    from latihkerja.accounts.models import User

    for number in range(User.objects.filter(username__startswith=f"{phone}-").count() + 2, 100):
        account = User(username=f"{phone}-{number}", phone=phone, role=Role.RESIDENT)
        account.set_unusable_password()
        try:
            with transaction.atomic():
                account.save()
        except IntegrityError:  # taken at the same moment: the next number
            continue
        return account
    raise ResidentError(ResidentError.PHONE_FULL)


def account_of_person(*, phone: str, nik: str, actor: Any = None) -> Any:
    """On a shared phone: the account of the resident with this NIK and this phone, linked now if they were
    registered without one. Only the residents of the verified phone can be reached this way."""
    person = (
        Resident.objects.filter(phone=phone, nik_digest=digest_identity(nik)).select_related("user").first()
    )
    if person is None:
        raise ResidentError(ResidentError.NOT_ON_PHONE)
    return account_of(person, actor=actor)


def account_of(person: Resident, *, actor: Any = None) -> Any:
    """The resident's own account, made for them now (on their phone) if they have none yet."""
    if person.user is not None:
        return person.user
    with transaction.atomic():  # the row lock: two devices signing the same person in make one account
        locked = Resident.objects.select_for_update().get(pk=person.pk)
        if locked.user_id is not None:
            return locked.user
        account = _new_account(locked.phone)
        Resident.objects.filter(pk=locked.pk).update(user=account)
        record_event(actor=actor or account, action="resident.claimed_by_phone", target=locked, detail={})
    return account


def claim_profile_by_phone(user: Any) -> Resident | None:
    """Link an account whose phone was just verified to the one profile registered with that phone without an
    account (imported from a centre's list, or assisted). Several profiles sharing one phone (a family) are not
    linked here: each person is asked for their NIK (`account_of_person`). The conditional update makes a
    concurrent claim harmless."""
    if Resident.objects.filter(user=user).exists():
        return None
    candidates = list(Resident.objects.filter(user__isnull=True, phone=user.username)[:2])
    if len(candidates) != 1:
        return None
    if Resident.objects.filter(pk=candidates[0].pk, user__isnull=True).update(user=user) != 1:
        return None
    record_event(actor=user, action="resident.claimed_by_phone", target=candidates[0], detail={})
    return Resident.objects.get(pk=candidates[0].pk)


def request_deletion(*, resident: Resident, actor: Any, reason: str = "") -> DeletionRequest:
    """Record the resident's request to delete their data for Bappeda (the controller) to decide; one open
    request at a time (a constraint settles a double click). A reason longer than the field is refused, never
    cut."""
    reason = checked_reason(
        reason.strip(),
        error=ResidentError,
        limit=DeletionRequest._meta.get_field("reason").max_length or 0,
        too_long=ResidentError.DELETION_REASON_TOO_LONG,
    )
    try:
        with transaction.atomic():
            deletion = DeletionRequest.objects.create(resident=resident, reason=reason)
            record_event(actor=actor, action="resident.deletion_requested", target=resident, detail={})
    except IntegrityError as error:
        raise ResidentError(ResidentError.DELETION_PENDING) from error
    return deletion


def erase_resident(*, deletion: DeletionRequest, actor: Any, note: str = "") -> DeletionRequest:
    """Grant a pending deletion request (UU PDP: the right to erasure) and erase the resident's data.

    Refused, changing nothing, while an app says it cannot be done yet (`privacy.erasure_blocked_by`: a seat in
    a class still running, an allocation being reviewed). Otherwise, in one transaction:
    - each app erases its part (`privacy.run_erasers`): applications are withdrawn (the wait lists skip them),
      messages sent to the resident are deleted;
    - the profile keeps what the programme's published figures count, without identity: sex, kelurahan,
      education, employment status and the year of birth. Name, NIK, KK, address, phone, email, disability and
      interests are blanked; the NIK is freed, so the person may register again one day as someone new;
    - the account is deleted (signed out everywhere) with the phone's sign-in codes, unless the phone is
      another resident's too;
    - attendance and certificates already issued stay, as evidence of the programme's spending (the resident
      was told so when asking); consents stay as the record that processing was lawful;
    - the request is closed with Bappeda's note, the audit trail records it, and an SMS tells the person.
    """
    with transaction.atomic():
        request = DeletionRequest.objects.select_for_update().get(pk=deletion.pk)
        if request.status != DeletionRequestStatus.PENDING:
            raise ResidentError(ResidentError.DELETION_DECIDED)
        resident = (
            Resident.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=request.resident_id)
        )
        blocked = erasure_blocked_by(resident)
        if blocked:
            raise ResidentError(ResidentError.ERASURE_BLOCKED, reason=blocked[0])
        phone, language = resident.phone, resident.language
        _erase(resident, actor, why={"request": request.pk})
        request.status = DeletionRequestStatus.DONE
        request.handled_by = actor
        request.handled_at = timezone.now()
        request.note = note
        request.save(update_fields=["status", "handled_by", "handled_at", "note"])
        if phone:
            queue_message(
                channel="sms",
                recipient=phone,
                kind="data_erased",
                context={},
                language=language,
                dedupe_key=f"data-erased-{request.pk}",
            )
    return request


def purge_inactive_residents(now: dt.datetime) -> int:
    """Erase, as `erase_resident` does, every resident past the retention the consent text states: no
    application in a period, and no seat in a class, that ended within `RETENTION_DAYS["residents"]`, and a
    profile older than that. Residents an app still needs (`erasure_blocked_by`) are left for a later run."""
    from latihkerja.batches.models import Enrollment

    since = kept_since("residents", now)
    recent_application = Application.objects.filter(
        resident=OuterRef("pk"), period__ends_on__gte=since.date()
    )
    recent_seat = Enrollment.objects.filter(resident=OuterRef("pk"), batch__ends_on__gte=since.date())
    expired = (
        Resident.objects.exclude(nik_encrypted="")
        .filter(created_at__lt=since)
        .exclude(Exists(recent_application))
        .exclude(Exists(recent_seat))
    )
    erased = 0
    for pk in list(expired.values_list("pk", flat=True)):
        with transaction.atomic():
            resident = (
                Resident.objects.select_for_update(of=("self",)).select_related("user").filter(pk=pk).first()
            )
            # Looked at again under the lock: someone may have applied (or been erased) since the list was made.
            if resident is None or not expired.filter(pk=pk).exists() or erasure_blocked_by(resident):
                continue
            _erase(resident, None, why={"retention_days": settings.RETENTION_DAYS["residents"]})
            erased += 1
    return erased


def _erase(resident: Resident, actor: Any, *, why: dict[str, Any]) -> None:
    """Erase `resident` in the caller's transaction (see `erase_resident` for what goes and what stays)."""
    phone, user = resident.phone, resident.user
    run_erasers(resident, actor)
    if phone and not resident.shares_phone():
        OneTimeCode.objects.filter(phone=phone).delete()
    resident.nik_digest = f"erased-{resident.pk}"
    resident.nik_encrypted = resident.kk_encrypted = ""
    resident.full_name = ERASED_NAME
    resident.birth_date = resident.birth_date.replace(month=1, day=1)
    resident.address = resident.phone = resident.email = ""
    resident.has_disability = False
    resident.user = None
    resident.save()
    resident.interests.clear()
    blank_admin_history(Resident, [resident.pk])
    blank_admin_history(DeletionRequest, resident.deletion_requests.values_list("pk", flat=True))
    if user is not None:
        user.delete()
    record_event(actor=actor, action="resident.erased", target=resident, detail=why)


def update_interests(*, resident: Resident, themes: Iterable[Theme], actor: Any) -> Resident:
    """Replace the themes the resident says they want to learn. Planning counts interests per kelurahan when a
    plan is computed, so what a resident states before the period is planned shapes which trainings open."""
    chosen = sorted({theme.pk for theme in themes})
    with transaction.atomic():
        resident.interests.set(chosen)
        record_event(actor=actor, action="resident.interests", target=resident, detail={"themes": chosen})
    return resident


# What a resident may correct themselves. Contact details at any time; what decides eligibility and priority
# (kelurahan, education, employment, disability) only while the period takes registrations and they hold no
# seat, since the allocation reads it. Identity (NIK, KK, name, birth date, sex) is corrected by Bappeda.
CONTACT_FIELDS = ("address", "email")
PRIORITY_FIELDS = ("kelurahan", "education", "employment_status", "has_disability")


def correct_profile(
    *, resident: Resident, actor: Any, changes: dict[str, Any], priority_open: bool
) -> list[str]:
    """Apply the resident's own corrections (the fields `CONTACT_FIELDS`, and `PRIORITY_FIELDS` when
    `priority_open`); returns the names of the fields that changed, written to the audit trail (not the values)."""
    allowed = set(CONTACT_FIELDS) | (set(PRIORITY_FIELDS) if priority_open else set())
    if set(changes) - allowed:
        raise ResidentError(ResidentError.CORRECTION_CLOSED)
    changed = resident.changed_values(changes)
    if not changed:
        return []
    with transaction.atomic():
        resident.save_changes(changed)
        record_event(
            actor=actor, action="resident.corrected", target=resident, detail={"fields": list(changed)}
        )
    return list(changed)
