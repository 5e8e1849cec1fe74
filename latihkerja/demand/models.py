"""Employers and the skills they declare they need: the input of planning and the yardstick of success."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from latihkerja.accounts.enums import Role
from latihkerja.catalog.models import Theme
from latihkerja.common.models import ScopedQuerySet, TimeStampedModel
from latihkerja.regions.models import Kecamatan

from .errors import DemandError

if TYPE_CHECKING:
    from latihkerja.accounts.models import User


# Field rules of the employer pages, on the model too: the admin refuses the same values with the same messages.
nib_validator = RegexValidator(r"\A[0-9]{13}\Z", DemandError.NIB_FORMAT, code="nib_format")
# An Indonesian number as people write it: 021 555 1234, (021) 5551234, 0812-3456-7890, +62 21 555 1234. Its
# digits start with 0 or 62 and then an area or mobile code (never 0: "0000-00-00" is a date, not a number).
contact_phone_validator = RegexValidator(
    r"\A(?=[\d ()+-]{6,20}\Z)\(?(?:\+?62|0)\)?[ -]?\(?[1-9][\d ()-]{4,}\Z",
    DemandError.CONTACT_PHONE_FORMAT,
    code="contact_phone_format",
)
occupation_code_validator = RegexValidator(
    r"\A[0-9]{4}\Z", DemandError.OCCUPATION_FORMAT, code="occupation_format"
)
# ISCO-08 numbers its sub-major and minor groups from 1 (0110, 1120, 5132): "0000" or "5002" is no unit group.
# A structural check; the full list of 436 unit groups is not shipped.
OCCUPATION_GROUPS = re.compile(r"[0-9][1-9][1-9][0-9]")


def occupation_code_is_isco(code: str) -> None:
    """Refuse a 4-digit code that cannot be an ISCO-08 unit group."""
    if len(code) == 4 and code.isascii() and code.isdigit() and not OCCUPATION_GROUPS.fullmatch(code):
        raise ValidationError(
            DemandError.OCCUPATION_UNKNOWN, code="occupation_unknown", params={"code": code}
        )


# The most one declaration (people) or vacancy (openings, rupiah a month) may state: beyond these a number is a
# typing error, and it would not fit the column either.
MAX_HEADCOUNT = 100_000
MAX_SALARY = 1_000_000_000
# Below this a stated monthly salary is a typing slip ("5" for 5 juta, or dots read as decimals); 0 = not stated.
MIN_SALARY = 100_000
REQUIREMENTS_MAX = 2000


# The agency whose verification makes a company's demand count (the city's manpower office).
VERIFYING_AGENCY = "DISNAKER"


def works_for_verifying_agency(user: Any) -> bool:
    """A supervisor of Disnaker, the agency that verifies companies (and so reads all of them)."""
    return bool(
        user.is_authenticated
        and user.role == Role.OPD
        and user.agency_id is not None
        and user.agency.code == VERIFYING_AGENCY
    )


class CompanyQuerySet(ScopedQuerySet):
    def scoped_to(self, user: User) -> Self:
        if user.role == Role.BAPPEDA or works_for_verifying_agency(user):
            # Bappeda plans from all of it; Disnaker verifies each company. Other agencies supervise their own
            # themes: they read the demand for those (`SkillDemandQuerySet`), not companies' contacts.
            return self.all()
        if user.role == Role.EMPLOYER:
            return self.filter(pk=user.company_id)
        return self.none()


class Company(TimeStampedModel):
    """An employer. Its demand counts in planning only once Disnaker has verified it (`verified_at`); Disnaker
    may instead decline it with a reason (`declined_at`), until the company corrects its profile."""

    name = models.CharField(_("nama perusahaan"), max_length=200)
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        unique=True,
        help_text=_("Nomor Induk Berusaha, 13 digit."),
        validators=[nib_validator],
    )
    sector = models.CharField(_("sektor"), max_length=100)
    kecamatan = models.ForeignKey(
        Kecamatan, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="companies"
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    contact_name = models.CharField(_("nama kontak"), max_length=200)
    contact_phone = models.CharField(_("telepon kontak"), max_length=20, validators=[contact_phone_validator])
    contact_email = models.EmailField(_("email kontak"))
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diverifikasi oleh"),
    )
    # Verification refused (NIB not in OSS, contacts that do not answer): off the waiting list, with the reason
    # the company reads, until it corrects its profile (which puts it back on the list).
    declined_at = models.DateTimeField(_("verifikasi ditolak pada"), null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditolak oleh"),
    )
    decline_reason = models.CharField(_("alasan penolakan"), max_length=500, blank=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("perusahaan")
        verbose_name_plural = _("perusahaan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nib__regex=r"^[0-9]{13}$"),
                name="company_nib_format",
                violation_error_message=DemandError.NIB_FORMAT,
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SkillDemandQuerySet(ScopedQuerySet):
    def scoped_to(self, user: User) -> Self:
        visible = models.Q(company__in=Company.objects.for_user(user))
        if user.role == Role.OPD and user.agency_id is not None:
            visible |= models.Q(theme__agency_id=user.agency_id)
        return self.filter(visible)

    def counting(self) -> Self:
        """The demand planning counts: only that of companies Disnaker (or Bappeda) has verified."""
        return self.filter(company__verified_at__isnull=False)


class SkillDemand(TimeStampedModel):
    """How many people with a skill a company needs, by when, and where."""

    company = models.ForeignKey(
        Company, verbose_name=_("perusahaan"), on_delete=models.CASCADE, related_name="demands"
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("tema"), on_delete=models.PROTECT, null=True, blank=True, related_name="demands"
    )
    occupation_code = models.CharField(
        _("kode jabatan (ISCO-08)"),
        max_length=10,
        blank=True,
        validators=[occupation_code_validator, occupation_code_is_isco],
    )
    headcount = models.PositiveIntegerField(
        _("jumlah orang"),
        validators=[
            MinValueValidator(1, DemandError.HEADCOUNT_POSITIVE),
            MaxValueValidator(MAX_HEADCOUNT, DemandError.HEADCOUNT_TOO_MANY),
        ],
    )
    # Not a validator: "after today" holds when declared, and an old declaration must stay editable.
    needed_by = models.DateField(_("dibutuhkan paling lambat"))
    kecamatan = models.ForeignKey(
        Kecamatan, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="demands"
    )
    requirements = models.TextField(
        _("persyaratan"), blank=True, validators=[MaxLengthValidator(REQUIREMENTS_MAX)]
    )

    objects = SkillDemandQuerySet.as_manager()

    class Meta:
        ordering = ["needed_by"]
        verbose_name = _("kebutuhan keterampilan")
        verbose_name_plural = _("kebutuhan keterampilan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(headcount__gt=0),
                name="demand_headcount_positive",
                violation_error_message=DemandError.HEADCOUNT_POSITIVE,
            ),
            models.CheckConstraint(
                condition=models.Q(theme__isnull=False) | ~models.Q(occupation_code=""),
                name="demand_names_theme_or_occupation",
                violation_error_message=DemandError.THEME_OR_OCCUPATION,
            ),
            # The same need declared twice (a double submit, a sheet uploaded again) would double the company's
            # demand in the plan. The services check first for a clear message; this decides a race. A need
            # without a theme counts as theme 0, because NULLs never clash in a unique index.
            models.UniqueConstraint(
                "company",
                Coalesce("theme", models.Value(0)),
                "occupation_code",
                "headcount",
                "needed_by",
                "kecamatan",
                name="demand_declared_once",
                violation_error_message=DemandError.DUPLICATE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company}: {self.headcount} × {self.theme or self.occupation_code}"


class VacancyQuerySet(ScopedQuerySet):
    def scoped_to(self, user: User) -> Self:
        return self.filter(company__in=Company.objects.for_user(user))


class Vacancy(TimeStampedModel):
    """An opening a company advertises: what, how many, where, for how much and until when."""

    company = models.ForeignKey(
        Company, verbose_name=_("perusahaan"), on_delete=models.CASCADE, related_name="vacancies"
    )
    title = models.CharField(_("judul lowongan"), max_length=200)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vacancies",
        verbose_name=_("tema pelatihan"),
    )
    skills = models.CharField(_("keterampilan"), max_length=300, blank=True)
    count = models.PositiveIntegerField(
        _("jumlah lowongan"),
        validators=[
            MinValueValidator(1, DemandError.COUNT_POSITIVE),
            MaxValueValidator(MAX_HEADCOUNT, DemandError.COUNT_TOO_MANY),
        ],
    )
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("kecamatan")
    )
    place = models.CharField(_("tempat kerja"), max_length=300, blank=True)
    salary_min = models.PositiveBigIntegerField(
        _("gaji minimum (Rp)"), validators=[MaxValueValidator(MAX_SALARY, DemandError.SALARY_TOO_HIGH)]
    )
    salary_max = models.PositiveBigIntegerField(
        _("gaji maksimum (Rp)"), validators=[MaxValueValidator(MAX_SALARY, DemandError.SALARY_TOO_HIGH)]
    )
    # Not a validator: "after today" holds when posted, and an old vacancy must stay editable.
    deadline = models.DateField(_("batas lamaran"))

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("lowongan")
        verbose_name_plural = _("lowongan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(count__gt=0),
                name="vacancy_count_positive",
                violation_error_message=DemandError.COUNT_POSITIVE,
            ),
            models.CheckConstraint(
                # A maximum of 0 is not stated: "from 4.5 million" has a minimum alone.
                condition=models.Q(salary_max=0) | models.Q(salary_min__lte=models.F("salary_max")),
                name="vacancy_salary_range_valid",
                violation_error_message=DemandError.SALARY_RANGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company}: {self.title}"


class DemandImportStatus(models.TextChoices):
    """`uploaded → valid | invalid`; `valid → committed | failed`. Written by `demand.imports` only."""

    UPLOADED = "uploaded", _("Sedang diperiksa")
    VALID = "valid", _("Siap disimpan")
    INVALID = "invalid", _("Ada kesalahan")
    COMMITTED = "committed", _("Tersimpan")
    FAILED = "failed", _("Gagal disimpan")


class DemandImportQuerySet(ScopedQuerySet):
    def scoped_to(self, user: User) -> Self:
        if user.role == Role.BAPPEDA:
            return self.all()
        # Disnaker staff and employers see the imports they uploaded themselves.
        if user.role in (Role.OPD, Role.EMPLOYER):
            return self.filter(uploaded_by=user)
        return self.none()


class DemandImport(TimeStampedModel):
    """A spreadsheet of skill demand (.xlsx/.csv): checked in the background, then written all or nothing.

    The file is kept only while the import waits (it holds nothing secret, but nobody needs it afterwards);
    `errors` lists every problem by spreadsheet row and column, in `language` (the uploader's at upload).
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    original_name = models.CharField(_("nama berkas"), max_length=200)
    content = models.BinaryField(_("isi berkas"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DemandImportStatus.choices, default=DemandImportStatus.UPLOADED
    )
    row_count = models.PositiveIntegerField(_("baris"), default=0)
    error_count = models.PositiveIntegerField(_("kesalahan"), default=0)
    errors = models.JSONField(_("laporan kesalahan"), default=list, blank=True)
    committed_at = models.DateTimeField(_("disimpan pada"), null=True, blank=True)
    language = models.CharField(_("bahasa laporan"), max_length=8, choices=settings.LANGUAGES, default="id")

    objects = DemandImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("impor kebutuhan")
        verbose_name_plural = _("impor kebutuhan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DemandImportStatus.values), name="demand_import_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
