"""State changes of employers' data: sign-up, declared demand, vacancies, and Disnaker's verification.

Every function is keyword-only, runs in one transaction and writes an audit event. The checks here are the
same whatever the caller (pages, import, admin actions): a form only parses input.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from latihkerja.accounts.enums import Role
from latihkerja.accounts.models import User
from latihkerja.audit.services import record_event
from latihkerja.catalog.models import Theme
from latihkerja.common.errors import checked_reason
from latihkerja.regions.models import Kecamatan

from .errors import DemandError
from .models import (
    MAX_HEADCOUNT,
    MAX_SALARY,
    MIN_SALARY,
    OCCUPATION_GROUPS,
    REQUIREMENTS_MAX,
    Company,
    SkillDemand,
    Vacancy,
)
from .rules import can_declare_for_company, can_verify_company

NIB_PATTERN = re.compile(r"[0-9]{13}")  # ASCII digits: a full-width spelling would be a second NIB
OCCUPATION_PATTERN = re.compile(r"[0-9]{4}")


def check_nib(nib: str) -> None:
    if not NIB_PATTERN.fullmatch(nib):
        raise DemandError(DemandError.NIB_FORMAT)


def register_employer(
    *,
    username: str,
    password: str,
    name: str,
    nib: str,
    sector: str,
    kecamatan: Kecamatan,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    address: str = "",
) -> User:
    """Create an employer account and its (not yet verified) company. Its demand counts once verified."""
    check_nib(nib)
    try:
        with transaction.atomic():
            if User.objects.filter(username__iexact=username).exists():
                raise DemandError(DemandError.USERNAME_TAKEN)
            if Company.objects.filter(nib=nib).exists():
                raise DemandError(DemandError.NIB_TAKEN)
            company = Company.objects.create(
                name=name,
                nib=nib,
                sector=sector,
                kecamatan=kecamatan,
                address=address,
                contact_name=contact_name,
                contact_phone=contact_phone,
                contact_email=contact_email,
            )
            user = User(username=username, role=Role.EMPLOYER, company=company, email=contact_email)
            user.set_password(password)
            user.save()
            record_event(actor=user, action="company.registered", target=company, detail={"nib": nib})
    except IntegrityError as error:
        # Two sign-ups with the same NIB or username at once: the unique constraints decide.
        raise DemandError(DemandError.NIB_TAKEN) from error
    return user


# Demand further out than this is a typing slip (9999-12-31), and no plan reaches it.
NEED_HORIZON_YEARS = 5


def latest_need_date() -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year + NEED_HORIZON_YEARS, day=min(today.day, 28))


def _check_declarer(company: Company, actor: Any) -> None:
    if not can_declare_for_company.test(actor, company):
        raise DemandError(DemandError.NOT_ALLOWED)


def declare_demand(
    *,
    company: Company,
    actor: Any,
    theme: Theme | None,
    occupation_code: str,
    headcount: int,
    needed_by: dt.date,
    kecamatan: Kecamatan,
    requirements: str = "",
) -> SkillDemand:
    """Record that `company` needs `headcount` people with a theme's (or an ISCO-08 occupation's) skills."""
    _check_declarer(company, actor)
    occupation_code = occupation_code.strip()
    if theme is None and not occupation_code:
        raise DemandError(DemandError.THEME_OR_OCCUPATION)
    if occupation_code and not OCCUPATION_PATTERN.fullmatch(occupation_code):
        raise DemandError(DemandError.OCCUPATION_FORMAT)
    if occupation_code and not OCCUPATION_GROUPS.fullmatch(occupation_code):
        raise DemandError(DemandError.OCCUPATION_UNKNOWN, code=occupation_code)
    if theme is not None and occupation_code:
        raise DemandError(DemandError.THEME_AND_OCCUPATION)
    if headcount <= 0:
        raise DemandError(DemandError.HEADCOUNT_POSITIVE)
    if headcount > MAX_HEADCOUNT:
        raise DemandError(DemandError.HEADCOUNT_TOO_MANY)
    if needed_by <= timezone.localdate():
        raise DemandError(DemandError.NEEDED_BY_PAST)
    if needed_by > latest_need_date():
        raise DemandError(DemandError.NEEDED_BY_FAR)
    if len(requirements) > REQUIREMENTS_MAX:
        raise DemandError(DemandError.REQUIREMENTS_TOO_LONG)
    need = {
        "company": company,
        "theme": theme,
        "occupation_code": occupation_code,
        "headcount": headcount,
        "needed_by": needed_by,
        "kecamatan": kecamatan,
    }
    try:
        with transaction.atomic():
            if SkillDemand.objects.filter(**need).exists():  # a double submit or the same need declared again
                raise DemandError(DemandError.DUPLICATE)
            demand = SkillDemand.objects.create(**need, requirements=requirements)
            record_event(
                actor=actor,
                action="demand.declared",
                target=demand,
                detail={
                    "company": company.nib,
                    "theme": theme.code if theme else None,
                    "occupation": occupation_code,
                    "headcount": headcount,
                },
            )
    except IntegrityError as error:  # the same need declared in the same instant: the constraint decides
        raise DemandError(DemandError.DUPLICATE) from error
    return demand


def post_vacancy(
    *,
    company: Company,
    actor: Any,
    title: str,
    theme: Theme | None,
    count: int,
    kecamatan: Kecamatan,
    salary_min: int,
    salary_max: int,
    deadline: dt.date,
    place: str = "",
    skills: str = "",
) -> Vacancy:
    """Advertise an opening of `company`. The same opening posted again (a double submit) is refused; the
    company's row lock makes this hold for posts that arrive together."""
    _check_declarer(company, actor)
    _check_vacancy(count=count, salary_min=salary_min, salary_max=salary_max, deadline=deadline)
    opening = {
        "company": company,
        "title": title,
        "theme": theme,
        "skills": skills,
        "count": count,
        "kecamatan": kecamatan,
        "place": place,
        "salary_min": salary_min,
        "salary_max": salary_max,
        "deadline": deadline,
    }
    with transaction.atomic():
        Company.objects.select_for_update().filter(pk=company.pk).first()
        if Vacancy.objects.filter(**opening).exists():
            raise DemandError(DemandError.VACANCY_DUPLICATE)
        vacancy = Vacancy.objects.create(**opening)
        record_event(
            actor=actor,
            action="vacancy.posted",
            target=vacancy,
            detail={"company": company.nib, "title": title, "count": count},
        )
    return vacancy


# The fields of a vacancy its company may change after posting it.
VACANCY_FIELDS = (
    "title",
    "theme",
    "skills",
    "count",
    "kecamatan",
    "place",
    "salary_min",
    "salary_max",
    "deadline",
)


def update_vacancy(*, vacancy: Vacancy, actor: Any, **changes: Any) -> Vacancy:
    """Correct a posted vacancy (a typo, another count, a later deadline) under the rules of posting one; the
    audit records each changed field's old and new value."""
    _check_declarer(vacancy.company, actor)
    unknown = set(changes) - set(VACANCY_FIELDS)
    if unknown:
        raise TypeError(f"not vacancy fields: {sorted(unknown)}")
    values = {name: changes.get(name, getattr(vacancy, name)) for name in VACANCY_FIELDS}
    _check_vacancy(
        count=values["count"],
        salary_min=values["salary_min"],
        salary_max=values["salary_max"],
        deadline=values["deadline"],
    )
    changed = vacancy.changed_values(values)
    if not changed:
        return vacancy
    with transaction.atomic():
        detail = {
            name: {"before": _audit_value(getattr(vacancy, name)), "after": _audit_value(value)}
            for name, value in changed.items()
        }
        vacancy.save_changes(changed)
        record_event(actor=actor, action="vacancy.updated", target=vacancy, detail=detail)
    return vacancy


def _audit_value(value: Any) -> Any:
    """A field's value as the audit log stores it: a related object by its key, a date as ISO text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return getattr(value, "pk", value)


def _check_vacancy(*, count: int, salary_min: int, salary_max: int, deadline: dt.date) -> None:
    if count <= 0:
        raise DemandError(DemandError.COUNT_POSITIVE)
    if count > MAX_HEADCOUNT:
        raise DemandError(DemandError.COUNT_TOO_MANY)
    if salary_min < 0 or salary_max < 0:
        raise DemandError(DemandError.SALARY_NEGATIVE)
    if salary_max > MAX_SALARY:
        raise DemandError(DemandError.SALARY_TOO_HIGH)
    if 0 < salary_min < MIN_SALARY or 0 < salary_max < MIN_SALARY:
        raise DemandError(DemandError.SALARY_TOO_LOW)
    if salary_max and salary_min > salary_max:
        raise DemandError(DemandError.SALARY_RANGE)
    if deadline <= timezone.localdate():
        raise DemandError(DemandError.DEADLINE_PAST)
    if deadline > latest_deadline():
        raise DemandError(DemandError.DEADLINE_FAR)


def latest_deadline() -> dt.date:
    """The furthest application deadline a vacancy may have: a year ahead (9999-12-31 is a slip)."""
    return timezone.localdate() + dt.timedelta(days=366)


# What an employer may change about their company after signing up; the name and NIB only until Disnaker has
# verified them (a declined company corrects a wrong NIB itself).
PROFILE_FIELDS = ("sector", "kecamatan", "address", "contact_name", "contact_phone", "contact_email")
IDENTITY_FIELDS = ("name", "nib")


def editable_fields(company: Company) -> tuple[str, ...]:
    return PROFILE_FIELDS if company.verified_at is not None else (*IDENTITY_FIELDS, *PROFILE_FIELDS)


def update_company_profile(*, company: Company, actor: Any, **changes: Any) -> Company:
    """Keep a company's sector, place and contacts current (and its name and NIB while not verified); audited
    by field name (the contacts are a person's data, so their values are not copied into the log). Saving a
    declined company puts it back on Disnaker's list, changed or not: the employer answers the reason."""
    _check_declarer(company, actor)
    unknown = set(changes) - set(editable_fields(company))
    if unknown:
        raise TypeError(f"not editable fields: {sorted(unknown)}")
    changed = company.changed_values(changes)
    if not changed and company.declined_at is None:
        return company
    with transaction.atomic():
        for name, value in changed.items():
            setattr(company, name, value)
        company.full_clean(
            exclude=["verified_by", "declined_by"]
        )  # the model's validators, as the sign-up form's
        company.save_changes(changed)
        record_event(actor=actor, action="company.updated", target=company, detail={"fields": list(changed)})
        if company.declined_at is not None:  # corrected after a refusal: back on Disnaker's waiting list
            Company.objects.filter(pk=company.pk).update(
                declined_at=None, declined_by=None, decline_reason=""
            )
            company.refresh_from_db()
    return company


def verify_company(*, company: Company, actor: Any) -> Company:
    """Mark `company` verified (Disnaker's supervisors or Bappeda): from now on its demand counts in planning.

    Conditional on the company being unverified, so two supervisors pressing at once record one verification.
    """
    if not can_verify_company.test(actor):
        raise DemandError(DemandError.NOT_ALLOWED_VERIFY)
    now = timezone.now()
    with transaction.atomic():
        updated = Company.objects.filter(pk=company.pk, verified_at__isnull=True).update(
            verified_at=now,
            verified_by=actor,
            updated_at=now,
            declined_at=None,
            declined_by=None,
            decline_reason="",
        )
        if updated != 1:
            raise DemandError(DemandError.ALREADY_VERIFIED)
        record_event(actor=actor, action="company.verified", target=company, detail={"nib": company.nib})
    company.refresh_from_db()
    return company


DECLINE_REASON_MAX = 500


def decline_company(*, company: Company, actor: Any, reason: str) -> Company:
    """Refuse to verify `company` (its NIB is not in OSS, nobody answers at its contacts), with the reason it
    reads on its page. It leaves the waiting list until it corrects its profile. Conditional, like verifying."""
    if not can_verify_company.test(actor):
        raise DemandError(DemandError.NOT_ALLOWED_VERIFY)
    reason = checked_reason(
        " ".join(reason.split()),
        error=DemandError,
        limit=DECLINE_REASON_MAX,
        too_long=DemandError.DECLINE_REASON_TOO_LONG,
        required=DemandError.DECLINE_REASON_REQUIRED,
    )
    now = timezone.now()
    with transaction.atomic():
        updated = Company.objects.filter(
            pk=company.pk, verified_at__isnull=True, declined_at__isnull=True
        ).update(declined_at=now, declined_by=actor, decline_reason=reason, updated_at=now)
        if updated != 1:
            raise DemandError(DemandError.NOT_WAITING)
        record_event(
            actor=actor,
            action="company.declined",
            target=company,
            detail={"nib": company.nib, "reason": reason},
        )
    company.refresh_from_db()
    return company


def withdraw_demand(*, demand: SkillDemand, actor: Any) -> None:
    """Take back a declared need (filled meanwhile, no longer wanted, or declared by mistake): from the next plan
    and the next dashboard refresh it no longer counts. Audited with what it said, so the record stays."""
    _check_declarer(demand.company, actor)
    with transaction.atomic():
        record_event(
            actor=actor,
            action="demand.withdrawn",
            target=demand.company,
            detail={
                "demand": demand.pk,
                "theme": demand.theme.code if demand.theme else None,
                "occupation": demand.occupation_code,
                "headcount": demand.headcount,
                "needed_by": demand.needed_by.isoformat(),
            },
        )
        demand.delete()


def withdraw_vacancy(*, vacancy: Vacancy, actor: Any) -> None:
    """Take down a vacancy the company no longer offers (filled, cancelled or posted by mistake); audited with
    its title, so the record of what was advertised stays."""
    _check_declarer(vacancy.company, actor)
    with transaction.atomic():
        record_event(
            actor=actor,
            action="vacancy.withdrawn",
            target=vacancy.company,
            detail={"vacancy": vacancy.pk, "title": vacancy.title, "count": vacancy.count},
        )
        vacancy.delete()
