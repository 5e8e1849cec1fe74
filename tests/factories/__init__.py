"""One factory per model; reference rows (regions, agencies, themes, centres) come from the shipped data."""

import datetime as dt

import factory
from django.utils import timezone

from latihkerja.accounts.enums import Role
from latihkerja.accounts.models import User
from latihkerja.agencies.models import Agency
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import Batch
from latihkerja.catalog.models import Theme
from latihkerja.centers.models import Center
from latihkerja.demand.models import Company, SkillDemand
from latihkerja.engine.nik import Sex as NikSex
from latihkerja.engine.nik import build_nik
from latihkerja.programs.models import Period
from latihkerja.regions.models import Kecamatan, Kelurahan
from latihkerja.residents.crypto import digest_identity, encrypt_identity
from latihkerja.residents.enums import Education, EmploymentStatus, Sex
from latihkerja.residents.models import Resident


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period
        django_get_or_create = ("code",)

    code = "2020-10"
    name = "Oktober–Desember 2020"
    starts_on = dt.date(2020, 10, 1)
    ends_on = dt.date(2020, 12, 31)
    # Open now, so that registration can be exercised; tests of a closed window set their own dates.
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    budget = 15_000_000_000


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Batch

    code = factory.Sequence(lambda n: f"2020-10-test-{n}")
    period = factory.SubFactory(PeriodFactory)
    center = factory.LazyFunction(lambda: Center.objects.get(kelurahan__name="Sukarasa"))
    theme = factory.LazyFunction(lambda: Theme.objects.get(code="BARISTA"))
    room = factory.LazyAttribute(lambda o: o.center.rooms.first())
    modality = "luring"
    capacity = 25
    minimum = 20
    starts_on = dt.date(2020, 10, 5)
    ends_on = dt.date(2020, 10, 16)
    status = BatchStatus.OPEN


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"PT Contoh Jaya {n}")
    nib = factory.Sequence(lambda n: f"{9100000000000 + n:013d}")
    sector = "Manufaktur"
    kecamatan = factory.LazyFunction(lambda: Kecamatan.objects.get(code="36.71.01"))
    contact_name = "Budi"
    contact_phone = "0215550000"
    contact_email = factory.Sequence(lambda n: f"hrd{n}@contoh.co.id")


class SkillDemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillDemand

    company = factory.SubFactory(CompanyFactory)
    theme = factory.LazyFunction(lambda: Theme.objects.get(code="BARISTA"))
    headcount = 10
    needed_by = dt.date(2020, 12, 1)
    kecamatan = factory.LazyAttribute(lambda o: o.company.kecamatan)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.RESIDENT
    password = factory.PostGenerationMethodCall("set_password", "rahasia-123")

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident
        exclude = ("nik",)

    nik = factory.Sequence(
        lambda n: build_nik(
            region="367101",
            birth_date=dt.date(1990, 1, 1) + dt.timedelta(days=n),
            sex=NikSex.MALE,
            serial=n % 9999 + 1,
        )
    )
    nik_digest = factory.LazyAttribute(lambda o: digest_identity(o.nik))
    nik_encrypted = factory.LazyAttribute(lambda o: encrypt_identity(o.nik))
    full_name = factory.Sequence(lambda n: f"Warga Uji {n}")
    sex = Sex.MALE
    birth_date = factory.Sequence(lambda n: dt.date(1990, 1, 1) + dt.timedelta(days=n))
    kelurahan = factory.LazyFunction(lambda: Kelurahan.objects.get(name="Sukarasa"))
    address = "Jl. Contoh No. 1"
    phone = "081200000000"
    education = Education.SMA
    employment_status = EmploymentStatus.LAID_OFF


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)
