import pytest
from django.core.management import call_command
from django.db.models import Count, F, Sum
from django.utils import timezone

from latihkerja.accounts.models import User
from latihkerja.batches.models import Batch
from latihkerja.common.demo import demo_period
from latihkerja.demand.models import Company, SkillDemand
from latihkerja.engine.phone import normalize_phone
from latihkerja.programs.models import Period
from latihkerja.residents.enums import EmploymentStatus
from latihkerja.residents.models import Resident

pytestmark = pytest.mark.integration


def snapshot():
    return {
        "residents": sorted(
            Resident.objects.values_list(
                "nik_digest", "full_name", "birth_date", "kelurahan__code", "employment_status"
            )
        ),
        "batches": sorted(
            Batch.objects.values_list("code", "theme__code", "modality", "starts_on", "ends_on")
        ),
        "companies": sorted(Company.objects.values_list("nib", "name")),
        "demands": sorted(
            SkillDemand.objects.values_list("company__nib", "theme__code", "headcount", "needed_by")
        ),
        "users": sorted(User.objects.values_list("username", "role")),
    }


def wipe():
    from latihkerja.audit.models import AuditEvent
    from latihkerja.batches.models import Enrollment
    from latihkerja.certificates.models import Certificate
    from latihkerja.training.models import Assessment, Attendance, Outcome, SupervisionVisit, TrainingSession

    for model in (
        Certificate,
        Outcome,
        Assessment,
        Attendance,
        SupervisionVisit,
        TrainingSession,
        Enrollment,
        AuditEvent,
    ):
        model.objects.all().delete()
    User.objects.all().delete()
    Resident.objects.all().delete()
    Batch.objects.all().delete()
    SkillDemand.objects.all().delete()
    Company.objects.all().delete()


def test_seed_demo_is_idempotent_when_run_twice(db):
    call_command("seed_demo", residents=150, seed=11)
    first = snapshot()

    call_command("seed_demo", residents=150, seed=11)

    assert snapshot() == first
    assert len(first["residents"]) == 150
    assert len(first["batches"]) == 520


def test_seed_demo_is_reproducible_when_the_seed_is_the_same(db):
    call_command("seed_demo", residents=120, seed=5)
    first = snapshot()
    wipe()

    call_command("seed_demo", residents=120, seed=5)

    assert snapshot() == first


def test_seed_demo_differs_when_the_seed_differs(db):
    call_command("seed_demo", residents=50, seed=1)
    first = snapshot()
    wipe()

    call_command("seed_demo", residents=50, seed=2)

    assert snapshot()["residents"] != first["residents"]


def test_seed_demo_creates_the_scenarios_programme_when_run(db):
    call_command("seed_demo", residents=400, seed=2020)

    statuses = set(Resident.objects.values_list("employment_status", flat=True))
    per_center = list(
        Batch.objects.values("center").order_by().annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert {EmploymentStatus.LAID_OFF, EmploymentStatus.FURLOUGHED, EmploymentStatus.UNEMPLOYED} <= statuses
    assert per_center == [5] * 104
    assert SkillDemand.objects.count() > 0
    assert all(nik.startswith("3671") for nik in (r.nik for r in Resident.objects.all()[:50]))
    # Phones as the services store them, so that a demo resident signing in by SMS finds their profile.
    assert all(normalize_phone(phone) == phone for phone in Resident.objects.values_list("phone", flat=True))


def test_the_demo_has_the_next_period_unannounced_and_without_classes_to_plan(db):
    call_command("seed_demo", residents=50, seed=2020)

    current, upcoming = Period.objects.order_by("starts_on")
    assert (current.is_published, upcoming.is_published) == (True, False)
    assert upcoming.starts_on > current.ends_on
    assert not Batch.objects.filter(period=upcoming).exists()
    assert demo_period() == current


def test_seed_demo_rejects_a_negative_count_with_a_message_when_asked(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call_command("seed_demo", residents=-5)

    assert str(error.value) == "--residents must be between 0 and 5000000"
    assert Resident.objects.count() == 0


def test_seed_demo_shows_delivery_when_asked(db):
    from latihkerja.training.models import Attendance, ChecklistSignOff, Outcome, TrainingSession

    call_command("seed_demo", residents=150, seed=11)
    sessions = TrainingSession.objects.count()
    call_command("seed_demo", residents=150, seed=11)

    statuses = dict(
        Batch.objects.filter(sessions__isnull=False)
        .values_list("status")
        .annotate(n=Count("id", distinct=True))
    )
    assert statuses == {"completed": 1, "running": 1, "allocated": 1}
    assert TrainingSession.objects.count() == sessions == 18  # 5 held + 8 (4 held, 1 today) + 5 to come
    # Each class's sessions deliver the lesson hours its catalogue page announces.
    for batch in Batch.objects.filter(sessions__isnull=False).distinct().select_related("theme"):
        assert batch.sessions.aggregate(total=Sum("hours"))["total"] == batch.theme.hours
    assert TrainingSession.objects.filter(status="started").count() == 1
    outcomes = dict(Outcome.objects.values_list("status").annotate(n=Count("id")))
    assert outcomes["dropped_out"] == 2
    assert sum(outcomes.values()) == 20
    assert outcomes.get("completed", 0) > outcomes.get("not_completed", 0)
    assert (
        Attendance.objects.filter(status="present").count()
        > Attendance.objects.exclude(status="present").count()
    )
    assert ChecklistSignOff.objects.exists()
    assert Resident.objects.get(user__username="warga").enrollments.get().batch.status == "running"
    # The demo keeps the rules it shows: no hall holds two classes at once, checklists precede their session.
    booked = list(
        TrainingSession.objects.filter(room__isnull=False).values_list("room", "date", "starts_at", "ends_at")
    )
    for i, (room, day, starts, ends) in enumerate(booked):
        for other_room, other_day, other_starts, other_ends in booked[i + 1 :]:
            assert not (
                room == other_room and day == other_day and starts < other_ends and other_starts < ends
            )
    for sign_off in ChecklistSignOff.objects.select_related("session"):
        assert timezone.localtime(sign_off.signed_at).date() == sign_off.session.date


def test_a_share_of_the_demo_residents_registers_for_open_classes_near_home_when_asked(reference_data):
    from latihkerja.batches.enums import BatchStatus
    from latihkerja.common.demo import seed_demo
    from latihkerja.registration.models import Application, ApplicationChoice

    counts = seed_demo(residents=300, seed=7, delivery=True, applicants=0.5)

    period = demo_period()
    applications = Application.objects.filter(period=period)
    assert counts["applications"] == applications.filter(resident__enrollments=None).count()  # no seat holder
    assert 100 < counts["applications"] < 200  # about half of 300
    choices = ApplicationChoice.objects.filter(
        application__period=period, application__resident__enrollments=None
    )
    assert set(choices.values_list("batch__status", flat=True)) == {BatchStatus.OPEN}
    assert set(choices.values_list("rank", flat=True)) <= {1, 2, 3}
    near = choices.filter(
        batch__center__kelurahan__kecamatan=F("application__resident__kelurahan__kecamatan")
    )
    assert near.count() == choices.count()  # residents choose near home
