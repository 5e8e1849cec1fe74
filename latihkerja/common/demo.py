"""Realistic synthetic data for the embedded demo and for tests: reproducible by seed, idempotent.

Everything is drawn from one `random.Random(seed)` and one seeded Faker (id_ID) in a fixed order over rows
sorted by code, so the same seed gives the same people, NIKs, companies and batches on any machine, and a
second run finds every row by its natural key and adds nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from latihkerja.accounts.enums import Role
from latihkerja.accounts.models import User
from latihkerja.agencies.models import Agency
from latihkerja.agencies.services import load_agencies
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import Batch, Enrollment
from latihkerja.catalog.enums import Modality
from latihkerja.catalog.models import Theme
from latihkerja.catalog.services import load_catalog
from latihkerja.centers.models import Center
from latihkerja.centers.services import create_default_centers
from latihkerja.demand.models import Company, SkillDemand
from latihkerja.engine.nik import Sex as NikSex
from latihkerja.engine.nik import build_nik
from latihkerja.programs.models import Period
from latihkerja.regions.models import Kecamatan, Kelurahan
from latihkerja.regions.services import load_regions
from latihkerja.residents.crypto import digest_identity, encrypt_identity
from latihkerja.residents.enums import Education, EmploymentStatus, Sex
from latihkerja.residents.models import Resident

DEMO_PASSWORD = "latihkerja-demo"  # noqa: S105 - demo accounts only; printed by `demo_logins`
# Kota Tangerang's industrial employers: enough declared demand (about the programme's 10,000–12,000 places)
# for planning to matter.
DEMO_COMPANIES = 150
MONTH_NAMES = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
MONTH_NAMES_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Registration for the classes that have not started stays open this many days after seeding.
REGISTRATION_DAYS_LEFT = 7
# The delivery demo's closed class began this many days before seeding (its five sessions all held).
DELIVERY_DAYS_AGO = 21
# The delivery demo's three classes (closed, running, about to start): 40-JP themes of the 2020 programme.
DELIVERY_THEMES = (("MEMBATIK", "luring"), ("KONTEN_KREATOR", "campuran"), ("SABLON", "luring"))

EMPLOYMENT_MIX = [
    (EmploymentStatus.LAID_OFF, 25),
    (EmploymentStatus.FURLOUGHED, 15),
    (EmploymentStatus.UNEMPLOYED, 30),
    (EmploymentStatus.EMPLOYED, 8),
    (EmploymentStatus.STUDENT, 12),
    (EmploymentStatus.OWN_BUSINESS, 10),
]
EDUCATION_MIX = [
    (Education.SD, 8),
    (Education.SMP, 17),
    (Education.SMA, 55),
    (Education.DIPLOMA, 8),
    (Education.S1, 11),
    (Education.S2, 1),
]
SECTORS = [
    "Manufaktur",
    "Perdagangan",
    "Logistik",
    "Makanan dan minuman",
    "Kreatif dan media",
    "Otomotif",
    "Perhotelan",
    "Konstruksi",
    "Garmen",
    "Jasa",
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    description: str


def demo_accounts() -> list[DemoAccount]:
    """One login per role, plus a second operator (for checking that centres cannot see each other)."""
    return [
        DemoAccount("bappeda", Role.BAPPEDA, "Admin Bappeda (seluruh kota)"),
        DemoAccount("opd.disnaker", Role.OPD, "Pengawas OPD Disnaker"),
        DemoAccount("operator.sukarasa", Role.OPERATOR, "Operator BLK Kelurahan Sukarasa"),
        DemoAccount("operator.cipondoh", Role.OPERATOR, "Operator BLK Kelurahan Cipondoh"),
        DemoAccount("instruktur", Role.INSTRUCTOR, "Instruktur (kelas di BLK Sukarasa)"),
        DemoAccount("pemberikerja", Role.EMPLOYER, "Pemberi kerja (perusahaan demo)"),
        DemoAccount("warga", Role.RESIDENT, "Warga (profil demo)"),
    ]


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


@transaction.atomic
def seed_demo(
    *, residents: int, seed: int, delivery: bool = False, applicants: float = 0.0
) -> dict[str, int]:
    """Create the demo programme period, its batches, companies with demand, residents and demo accounts;
    with `delivery`, also running trainings (`seed_delivery_demo`); with `applicants` (a share, 0–1), that share
    of the residents registers for the open classes, so that an allocation can be previewed on the demo."""
    load_regions()
    load_agencies()
    load_catalog()
    create_default_centers()
    rng = random.Random(seed)
    fake = Faker("id_ID")
    fake.seed_instance(seed)

    period = _period()
    _next_period(period)
    _batches(rng, period)
    companies = _companies(rng, fake, period)
    _residents(rng, fake, residents, period)
    _accounts(companies)
    sessions = seed_delivery_demo(seed=seed)["sessions"] if delivery else 0
    registered = _applications(random.Random(seed * 17 + 3), period, applicants) if applicants else 0
    return {
        "sessions": sessions,
        "applications": registered,
        "periods": Period.objects.count(),
        "batches": Batch.objects.filter(period=period).count(),
        "companies": Company.objects.count(),
        "demands": SkillDemand.objects.count(),
        "residents": Resident.objects.count(),
    }


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _three_months(starts_on: dt.date) -> dict[str, Any]:
    """Code, names and dates of a three-month period starting on the first of `starts_on`'s month."""
    last_month = _add_months(starts_on, 2)
    ends_on = last_month.replace(day=calendar.monthrange(last_month.year, last_month.month)[1])
    return {
        "code": f"{starts_on:%Y-%m}",
        "name": _span(starts_on, ends_on, MONTH_NAMES),
        "name_en": _span(starts_on, ends_on, MONTH_NAMES_EN),
        "starts_on": starts_on,
        "ends_on": ends_on,
    }


def _span(starts_on: dt.date, ends_on: dt.date, months: tuple[str, ...]) -> str:
    """A period's name from its months: "Oktober–Desember 2020", "November 2026–Januari 2027"."""
    first, last = months[starts_on.month - 1], months[ends_on.month - 1]
    if starts_on.year == ends_on.year:
        return f"{first}–{last} {ends_on.year}"
    return f"{first} {starts_on.year}–{last} {ends_on.year}"


def demo_period() -> Period:
    """The demo's programme period (the latest published one), created by `seed_demo`."""
    period = Period.objects.exclude(is_published=False).order_by("-starts_on").first()
    if period is None:
        raise Period.DoesNotExist("run seed_demo first")
    return period


def _period() -> Period:
    """The scenario's programme (October–December 2020: 104 centres × 5 trainings, 10,000–12,000 people), moved
    to the months around the day the demo is seeded, so that everything in it is current: its first classes
    started three weeks ago (the delivery demo: one closed, one running today), and registration for the
    classes that have not started is open for another week. A second run reuses the period it made."""
    existing = Period.objects.exclude(is_published=False).order_by("-starts_on").first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    tz = timezone.get_default_timezone()
    starts_on = (today - dt.timedelta(days=DELIVERY_DAYS_AGO)).replace(day=1)

    return Period.objects.create(
        **_three_months(starts_on),
        registration_opens_at=dt.datetime.combine(starts_on - dt.timedelta(days=14), dt.time(8), tzinfo=tz),
        registration_closes_at=dt.datetime.combine(
            today + dt.timedelta(days=REGISTRATION_DAYS_LEFT), dt.time(23, 59), tzinfo=tz
        ),
        trainings_per_center=5,
        minimum_per_batch=20,
        maximum_per_batch=25,
        participant_target_min=10_000,
        participant_target_max=12_000,
        budget=15_000_000_000,
        max_choices=3,
    )


def _next_period(current: Period) -> Period:
    """The period after the demo's: three months, not yet published and without classes, so that Bappeda can
    plan it from the declared demand and residents' interests (the planning demo). A second run reuses it."""
    starts_on = _add_months(current.ends_on, 1)
    tz = timezone.get_default_timezone()
    existing = Period.objects.filter(code=f"{starts_on:%Y-%m}").first()
    if existing is not None:
        return existing

    return Period.objects.create(
        **_three_months(starts_on),
        registration_opens_at=dt.datetime.combine(starts_on - dt.timedelta(days=28), dt.time(8), tzinfo=tz),
        registration_closes_at=dt.datetime.combine(
            starts_on - dt.timedelta(days=8), dt.time(23, 59), tzinfo=tz
        ),
        trainings_per_center=current.trainings_per_center,
        minimum_per_batch=current.minimum_per_batch,
        maximum_per_batch=current.maximum_per_batch,
        participant_target_min=current.participant_target_min,
        participant_target_max=current.participant_target_max,
        budget=current.budget,
        max_choices=current.max_choices,
        is_published=False,
    )


def _batches(rng: random.Random, period: Period) -> None:
    themes = list(Theme.objects.filter(is_active=True).order_by("code"))
    weights = [4 if t.in_scenario else 1 for t in themes]
    existing = set(Batch.objects.filter(period=period).values_list("code", flat=True))
    opens_after = timezone.localdate(period.registration_closes_at) + dt.timedelta(days=1)
    window = max(0, (period.ends_on - opens_after).days - 14)  # the last start leaves two weeks to train
    new: list[Batch] = []
    for center in Center.objects.filter(is_active=True).order_by("code").prefetch_related("rooms"):
        chosen: list[Theme] = []
        while len(chosen) < period.trainings_per_center:
            theme = rng.choices(themes, weights=weights)[0]
            if theme not in chosen:
                chosen.append(theme)
        room = next(iter(center.rooms.all()), None)
        for index, theme in enumerate(chosen, start=1):
            # Open classes start after registration closes, spread over the rest of the period (the delivery
            # demo re-dates its three classes to their sessions).
            share = ((index - 1) % 3 * 14 + rng.randrange(0, 14)) / 42
            start = opens_after + dt.timedelta(days=round(share * window))
            while start.weekday() >= 5:
                start += dt.timedelta(days=1)
            days = max(3, -(-theme.hours // 8))  # 8 JP a day, at least three days
            end = min(start + dt.timedelta(days=days + 2 * (days // 5)), period.ends_on)
            while end.weekday() >= 5:  # trainings end on a working day
                end -= dt.timedelta(days=1)
            modality: str = theme.modality
            if modality == Modality.CAMPURAN:
                modality = rng.choice([Modality.DARING, Modality.LURING, Modality.CAMPURAN])
            code = f"{period.code}-{center.code.removeprefix('blk-')}-{index}"
            if code in existing:
                continue
            new.append(
                Batch(
                    code=code,
                    period=period,
                    center=center,
                    theme=theme,
                    room=room,
                    modality=modality,
                    capacity=period.maximum_per_batch,
                    minimum=period.minimum_per_batch,
                    starts_on=start,
                    ends_on=end,
                    status=BatchStatus.OPEN,
                )
            )
    Batch.objects.bulk_create(new, batch_size=500)


def _companies(rng: random.Random, fake: Faker, period: Period) -> list[Company]:
    themes = list(Theme.objects.filter(is_active=True).order_by("code"))
    # Demand is concentrated, as in the article: companies ask mostly for the scenario's themes.
    weights = [8 if t.in_scenario else 1 for t in themes]
    kecamatan = list(Kecamatan.objects.order_by("code"))
    companies = []
    for index in range(DEMO_COMPANIES):
        name = fake.company()
        nib = f"{9120000000000 + index * 7919 + rng.randrange(0, 7000):013d}"
        kec = rng.choice(kecamatan)
        company, created = Company.objects.get_or_create(
            nib=nib,
            defaults={
                "name": name,
                "sector": rng.choice(SECTORS),
                "kecamatan": kec,
                "address": fake.street_address(),
                "contact_name": fake.name(),
                "contact_phone": f"021{rng.randrange(10_000_000, 99_999_999)}",
                "contact_email": f"hrd{index}@contoh.co.id",
                "verified_at": timezone.now() if index % 8 else None,
            },
        )
        demands = [
            SkillDemand(
                company=company,
                theme=rng.choices(themes, weights=weights)[0],
                headcount=rng.choice([10, 15, 20, 30, 40, 60, 80, 120]),
                needed_by=period.starts_on + dt.timedelta(days=31 + rng.randrange(0, 150)),
                kecamatan=kec if rng.random() < 0.7 else rng.choice(kecamatan),
            )
            for _ in range(rng.randint(1, 3))
        ]
        if created:  # a need drawn twice is one need (the database refuses the same need declared twice)
            unique = {(d.theme_id, d.headcount, d.needed_by, d.kecamatan_id): d for d in demands}
            SkillDemand.objects.bulk_create(unique.values())
        companies.append(company)
    return companies


def _residents(rng: random.Random, fake: Faker, count: int, period: Period) -> None:
    kelurahan = list(Kelurahan.objects.select_related("kecamatan").order_by("code"))
    existing = set(Resident.objects.values_list("nik_digest", flat=True))
    themes = list(Theme.objects.filter(is_active=True).order_by("code"))
    # Residents mostly want the themes of the article (content creator, barista, …), as the planner expects.
    theme_weights = [6 if t.in_scenario else 1 for t in themes]
    used: set[str] = set()
    new: list[Resident] = []
    interests: dict[str, set[int]] = {}
    for _ in range(count):
        sex = Sex.FEMALE if rng.random() < 0.48 else Sex.MALE
        age_days = rng.randrange(18 * 365, 55 * 365)
        birth = period.starts_on - dt.timedelta(days=age_days)
        kel = rng.choice(kelurahan)
        serial = rng.randrange(1, 9000)
        nik = build_nik(region=kel.kecamatan.nik_prefix, birth_date=birth, sex=NikSex(sex), serial=serial)
        while nik in used:
            serial = serial % 9999 + 1
            nik = build_nik(region=kel.kecamatan.nik_prefix, birth_date=birth, sex=NikSex(sex), serial=serial)
        used.add(nik)
        first = fake.first_name_female() if sex == Sex.FEMALE else fake.first_name_male()
        name = f"{first} {fake.last_name()}"
        address = f"{fake.street_address()}, RT {rng.randint(1, 12):03d}/RW {rng.randint(1, 9):03d}"
        # Stored as the services store phones (E.164), so that a resident signing in by SMS finds their profile.
        prefix = rng.choice([11, 12, 13, 21, 22, 52, 53, 57, 58, 77, 78, 95, 96])
        phone = f"+628{prefix}{rng.randrange(10_000_000, 99_999_999)}"
        employment = _weighted(rng, EMPLOYMENT_MIX)
        education = _weighted(rng, EDUCATION_MIX)
        disability = rng.random() < 0.03
        kk = f"{kel.kecamatan.nik_prefix}{rng.randrange(10**9, 10**10)}"
        liked = {t.pk for t in rng.choices(themes, weights=theme_weights, k=rng.randint(1, 3))}
        digest = digest_identity(nik)
        if digest in existing:  # after every draw, so that a rerun consumes the generator identically
            continue
        interests[digest] = liked
        new.append(
            Resident(
                nik_digest=digest,
                nik_encrypted=encrypt_identity(nik),
                kk_encrypted=encrypt_identity(kk),
                full_name=name,
                sex=sex,
                birth_date=birth,
                kelurahan=kel,
                address=address,
                phone=phone,
                education=education,
                employment_status=employment,
                has_disability=disability,
            )
        )
    Resident.objects.bulk_create(new, batch_size=1000)
    ids = dict(Resident.objects.filter(nik_digest__in=interests).values_list("nik_digest", "pk"))
    through = Resident.interests.through
    through.objects.bulk_create(
        [
            through(resident_id=ids[digest], theme_id=theme)
            for digest, liked in interests.items()
            for theme in liked
        ],
        batch_size=2000,
    )


def _accounts(companies: list[Company]) -> None:
    disnaker = Agency.objects.get(code="DISNAKER")
    sukarasa = Center.objects.get(kelurahan__name="Sukarasa")
    cipondoh = Center.objects.get(kelurahan__name="Cipondoh")
    anchors: dict[str, dict[str, Any]] = {
        "bappeda": {"first_name": "Sugiharto", "last_name": "(Bappeda)"},
        "opd.disnaker": {"agency": disnaker, "first_name": "Pengawas", "last_name": "Disnaker"},
        "operator.sukarasa": {"center": sukarasa, "first_name": "Operator", "last_name": "Sukarasa"},
        "operator.cipondoh": {"center": cipondoh, "first_name": "Operator", "last_name": "Cipondoh"},
        "instruktur": {"first_name": "Instruktur", "last_name": "Demo"},
        "pemberikerja": {"company": companies[0], "first_name": "HRD", "last_name": companies[0].name},
        "warga": {"first_name": "Warga", "last_name": "Demo"},
    }
    for account in demo_accounts():
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "role": account.role,
                "is_staff": account.role in (Role.BAPPEDA, Role.OPD, Role.OPERATOR, Role.INSTRUCTOR),
                **anchors[account.username],
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    instructor = User.objects.get(username="instruktur")
    for batch in Batch.objects.filter(center=sukarasa, period=demo_period()).order_by("code")[:3]:
        batch.instructors.add(instructor)
    resident_user = User.objects.get(username="warga")
    if not Resident.objects.filter(user=resident_user).exists():
        first = (
            Resident.objects.filter(user__isnull=True, kelurahan__name="Sukarasa").order_by("pk").first()
            or Resident.objects.filter(user__isnull=True).order_by("pk").first()
        )
        if first is not None:
            first.user = resident_user
            first.save(update_fields=["user"])


# ------------------------------------------------------------------------------------------------ delivery

DELIVERY_PARTICIPANTS = 20
DELIVERY_DROP_OUTS = 2


def seed_delivery_demo(*, seed: int) -> dict[str, int]:
    """Running trainings at BLK Sukarasa (the demo operator's centre, the demo instructor's batches): one batch
    held and closed with outcomes (mostly present, some late/excused/absent, two drop-outs), one running with
    a session started today (try the QR check-in as `warga`), one allocated whose first session passed without
    a health-protocol sign-off (flagged to the OPD). Idempotent: nothing is added once the batches have
    sessions. Participants are residents without a seat in the period, from the newest, so the registration
    and allocation demo keep their applicants."""
    from latihkerja.batches.models import Enrollment, EnrollmentSource, EnrollmentStatus
    from latihkerja.training.models import TrainingSession
    from latihkerja.training.services import close_batch

    period = demo_period()
    sukarasa = Center.objects.get(kelurahan__name="Sukarasa")
    batches = list(
        Batch.objects.filter(center=sukarasa, period=period)
        .select_related("theme__agency", "period", "room")
        .order_by("code")[:3]
    )
    if len(batches) < 3 or TrainingSession.objects.filter(batch__in=batches).exists():
        return {"sessions": 0}
    rng = random.Random(seed * 31 + 6)
    operator = User.objects.get(username="operator.sukarasa")
    warga = Resident.objects.filter(user__username="warga").first()
    free = list(
        Resident.objects.exclude(enrollments__period=period)
        .exclude(user__username="warga")
        .order_by("-pk")
        .values_list("pk", flat=True)[: DELIVERY_PARTICIPANTS * 3]
    )
    if len(free) < DELIVERY_PARTICIPANTS * 3:
        return {"sessions": 0}
    done, running, allocated = batches
    # 40-JP themes of the 2020 programme, so that the sessions below deliver the hours the catalogue announces.
    # The running class is hybrid: its session today is on site, for the QR check-in.
    for batch, (code, modality) in zip(batches, DELIVERY_THEMES, strict=True):
        theme = Theme.objects.get(code=code)
        Batch.objects.filter(pk=batch.pk).update(theme=theme, modality=modality)
        batch.theme, batch.modality = theme, modality
    for index, (batch, status) in enumerate(
        ((done, BatchStatus.RUNNING), (running, BatchStatus.RUNNING), (allocated, BatchStatus.ALLOCATED))
    ):
        people = free[index * DELIVERY_PARTICIPANTS : (index + 1) * DELIVERY_PARTICIPANTS]
        if batch is running and warga is not None and not warga.enrollments.filter(period=period).exists():
            people = [warga.pk, *people[1:]]
        Enrollment.objects.bulk_create(
            Enrollment(
                batch=batch,
                period=period,
                resident_id=pk,
                status=EnrollmentStatus.ACTIVE,
                source=EnrollmentSource.ALLOCATION,
            )
            for pk in people
        )
        Batch.objects.filter(pk=batch.pk).update(status=status, seats_taken=len(people))
        batch.status = status
        _demo_applications(period, batch, people)
    today = timezone.localdate()
    # The closed and the coming class meet in the afternoon: the running class holds the hall in the mornings.
    count = _demo_sessions(
        rng,
        done,
        operator,
        first=today - dt.timedelta(days=DELIVERY_DAYS_AGO),
        held=5,
        total=5,
        start=dt.time(12, 30),
    )
    _drop_out(done, operator, DELIVERY_DROP_OUTS)
    _demo_assessments(rng, done, operator)
    count += _demo_sessions(rng, running, operator, first=today - dt.timedelta(days=14), held=4, total=8)
    count += _demo_sessions(
        rng, allocated, operator, first=today - dt.timedelta(days=1), held=0, total=5, start=dt.time(12, 30)
    )
    for batch in (done, running, allocated):  # these three started early: their dates are their sessions'
        dates = list(
            TrainingSession.objects.filter(batch=batch).order_by("date").values_list("date", flat=True)
        )
        Batch.objects.filter(pk=batch.pk).update(starts_on=dates[0], ends_on=dates[-1])
        batch.starts_on, batch.ends_on = dates[0], dates[-1]
    close_batch(batch=done, actor=operator)
    return {"sessions": count}


def _applications(rng: random.Random, period: Period, share: float) -> int:
    """`share` of the residents without a seat or an application register, each ranking up to three open
    classes: of the themes they said they want, near home first (their kecamatan), as people choose."""
    from latihkerja.registration.enums import ApplicationStatus
    from latihkerja.registration.models import Application, ApplicationChoice

    by_theme_place: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_place: dict[int, list[int]] = defaultdict(list)
    for pk, theme_id, kecamatan_id in (
        Batch.objects.filter(period=period, status=BatchStatus.OPEN)
        .order_by("code")
        .values_list("pk", "theme_id", "center__kelurahan__kecamatan_id")
    ):
        by_theme_place[(theme_id, kecamatan_id)].append(pk)
        by_place[kecamatan_id].append(pk)
    if not by_place:
        return 0
    interests: dict[int, list[int]] = defaultdict(list)
    for resident_id, theme_id in Resident.interests.through.objects.order_by(
        "resident_id", "theme_id"
    ).values_list("resident_id", "theme_id"):
        interests[resident_id].append(theme_id)
    taken = Enrollment.objects.filter(period=period).values("resident_id")
    applied = Application.objects.filter(period=period).values("resident_id")
    people = list(
        Resident.objects.exclude(pk__in=taken)
        .exclude(pk__in=applied)
        .exclude(user__username="warga")  # the demo resident keeps the page of someone who has not chosen yet
        .order_by("pk")
        .values_list("pk", "kelurahan__kecamatan_id")
    )
    ranked: dict[int, list[int]] = {}
    for resident_id, kecamatan_id in people:
        if rng.random() >= share:
            continue
        near = [b for theme in interests[resident_id] for b in by_theme_place[(theme, kecamatan_id)]]
        rng.shuffle(near)
        others = list(by_place[kecamatan_id])
        rng.shuffle(others)
        choices = list(dict.fromkeys([*near, *others]))[: rng.randint(1, 3)]
        if choices:
            ranked[resident_id] = choices
    applications = Application.objects.bulk_create(
        [Application(resident_id=pk, period=period, status=ApplicationStatus.SUBMITTED) for pk in ranked],
        batch_size=2000,
    )
    ApplicationChoice.objects.bulk_create(
        [
            ApplicationChoice(application=application, rank=rank, batch_id=batch_id)
            for application in applications
            for rank, batch_id in enumerate(ranked[application.resident_id], 1)
        ],
        batch_size=5000,
    )
    return len(applications)


def _demo_applications(period: Period, batch: Batch, residents: list[int]) -> None:
    """Participants registered before they got their seat: a submitted application with the batch as first
    choice, so the dashboard's "registered" is never below "allocated" on the demo."""
    from latihkerja.registration.enums import ApplicationStatus
    from latihkerja.registration.models import Application, ApplicationChoice

    have = set(
        Application.objects.filter(period=period, resident_id__in=residents).values_list(
            "resident_id", flat=True
        )
    )
    applications = Application.objects.bulk_create(
        Application(resident_id=pk, period=period, status=ApplicationStatus.SUBMITTED)
        for pk in residents
        if pk not in have
    )
    ApplicationChoice.objects.bulk_create(
        ApplicationChoice(application=application, rank=1, batch=batch) for application in applications
    )


def _demo_dates(first: dt.date, total: int, today: dt.date, held: int) -> list[dt.date]:
    """`held` Mon/Wed/Fri dates from `first` (before today); then today for a running batch (or `first` itself
    for a batch not started yet), then Mon/Wed/Fri after today."""
    dates: list[dt.date] = []
    day = first
    while len(dates) < held and day < today:
        if day.weekday() in (0, 2, 4):
            dates.append(day)
        day += dt.timedelta(days=1)
    if 0 < held < total:
        dates.append(today)
    elif held == 0:
        dates.append(first)
    day = today + dt.timedelta(days=1)
    while len(dates) < total:
        if day.weekday() in (0, 2, 4):
            dates.append(day)
        day += dt.timedelta(days=1)
    return dates


def _demo_sessions(
    rng: random.Random,
    batch: Batch,
    operator: User,
    *,
    first: dt.date,
    held: int,
    total: int,
    start: dt.time = dt.time(8),
) -> int:
    from decimal import Decimal

    from latihkerja.batches.models import EnrollmentStatus
    from latihkerja.training.models import (
        Attendance,
        ChecklistItem,
        ChecklistSignOff,
        SupervisionVisit,
        TrainingSession,
    )
    from latihkerja.training.services import occupancy_cap

    today = timezone.localdate()
    now = timezone.localtime()
    items = [
        {"code": i.code, "label": i.label, "label_en": i.label_en, "ok": True}
        for i in ChecklistItem.objects.filter(is_active=True)
    ]
    enrollments = list(batch.enrollments.filter(status=EnrollmentStatus.ACTIVE).order_by("pk"))
    # Most people come to nearly everything; a few are often away.
    reliability = {e.pk: rng.choice([1.0] * 5 + [0.95] * 4 + [0.6]) for e in enrollments}
    tz = timezone.get_current_timezone()
    # The theme's hours spread over the sessions (half-JP steps); a JP is 45 minutes.
    per_session = (Decimal(batch.theme.hours) / total).quantize(Decimal("0.5"))
    length = dt.timedelta(minutes=45 * float(per_session))
    for number, day in enumerate(_demo_dates(first, total, today, held), start=1):
        modality = (
            batch.modality
            if batch.modality in ("daring", "luring")
            else ("luring" if number % 2 else "daring")
        )
        luring = modality == "luring" and batch.room is not None
        is_today = day == today
        starts = start
        ends = (dt.datetime.combine(day, starts) + length).time()
        if is_today:  # the demo session is open whenever the demo is started
            starts = (
                max(now - dt.timedelta(minutes=30), now.replace(hour=0, minute=0))
                .time()
                .replace(second=0, microsecond=0)
            )
            ends = dt.time(23, 59)
        status = "held" if number <= held else ("started" if is_today else "scheduled")
        start_dt = dt.datetime.combine(day, starts, tzinfo=tz)
        session = TrainingSession.objects.create(
            batch=batch,
            number=number,
            date=day,
            starts_at=starts,
            ends_at=ends,
            topic=f"Materi {number}",
            hours=per_session,
            modality="luring" if luring else "daring",
            room=batch.room if luring else None,
            admitted_cap=occupancy_cap(batch.room, batch.period.occupancy_percent)
            if luring and batch.room
            else None,
            meeting_url="" if luring else f"https://meet.jit.si/latihkerja-{batch.code}",
            join_code="" if luring else f"DEMO{number:02d}",
            status=status,
            started_at=start_dt if status in ("held", "started") else None,
            started_by=operator if status in ("held", "started") else None,
            ended_at=start_dt + length if status == "held" else None,
        )
        if luring and status in ("held", "started"):
            sign_off = ChecklistSignOff.objects.create(session=session, signed_by=operator, items=items)
            # Signed just before the session began, as an operator does (not when the demo was seeded), and on
            # the session's day, as the rule requires: a demo seeded just after midnight opens today's session
            # at 00:00.
            ChecklistSignOff.objects.filter(pk=sign_off.pk).update(
                signed_at=max(
                    start_dt - dt.timedelta(minutes=10), dt.datetime.combine(day, dt.time(0), tzinfo=tz)
                )
            )
        if status != "held":
            continue
        rows = []
        for e in enrollments:
            draw = rng.random()
            if draw < reliability[e.pk] * 0.95:
                state, hours, late = "present", per_session, 0
            elif draw < reliability[e.pk]:
                state, hours, late = "late", per_session - Decimal("0.5"), 30
            elif rng.random() < 0.5:
                state, hours, late = "excused", Decimal("0"), None
            else:
                state, hours, late = "absent", Decimal("0"), None
            method = "marked" if state in ("excused", "absent") else ("qr" if luring else "join_code")
            if method != "marked" and rng.random() < 0.08:
                method = "marked"
            rows.append(
                Attendance(
                    session=session,
                    enrollment=e,
                    status=state,
                    method=method,
                    checked_in_at=start_dt + dt.timedelta(minutes=late + rng.randint(-10, 5))
                    if late is not None
                    else None,
                    hours_credited=hours,
                    recorded_by=operator if method == "marked" else None,
                )
            )
        Attendance.objects.bulk_create(rows)
        if luring:
            attending = sum(1 for r in rows if r.status in ("present", "late"))
            TrainingSession.objects.filter(pk=session.pk).update(
                admitted=min(attending, session.admitted_cap or 0)
            )
        if number == 2 and batch.theme.agency.code == "DISNAKER":
            supervisor = User.objects.filter(username="opd.disnaker").first()
            if supervisor is not None:
                SupervisionVisit.objects.create(
                    batch=batch,
                    session=session,
                    supervisor=supervisor,
                    visited_on=day,
                    rating=rng.choice([4, 4, 5, 3]),
                    notes="Kelas tertib, protokol kesehatan dijalankan, peserta aktif bertanya.",
                )
    return total


def _drop_out(batch: Batch, operator: User, count: int) -> None:
    from django.db.models import F

    from latihkerja.audit.services import record_event
    from latihkerja.batches.models import EnrollmentStatus

    for enrollment in batch.enrollments.filter(status=EnrollmentStatus.ACTIVE).order_by("-pk")[:count]:
        enrollment.status = EnrollmentStatus.WITHDRAWN
        enrollment.save(update_fields=["status", "updated_at"])
        Batch.objects.filter(pk=batch.pk).update(seats_taken=F("seats_taken") - 1)
        record_event(
            actor=operator,
            action="enrollment.withdrawn",
            target=enrollment,
            detail={"reason": "Diterima bekerja"},
        )


def _demo_assessments(rng: random.Random, batch: Batch, operator: User) -> None:
    from decimal import Decimal

    from latihkerja.batches.models import EnrollmentStatus
    from latihkerja.training.models import Assessment

    for enrollment in batch.enrollments.filter(status=EnrollmentStatus.ACTIVE).order_by("pk"):
        score = Decimal(rng.randint(60, 98))
        Assessment.objects.create(
            enrollment=enrollment, passed=score >= 65, score=score, assessed_by=operator
        )
