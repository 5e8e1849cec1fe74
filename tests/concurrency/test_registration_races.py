"""No overbooking, no double registration, no duplicate application — enforced by the database."""

import datetime as dt

import pytest

from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.errors import BatchError
from latihkerja.batches.models import Batch, Enrollment
from latihkerja.batches.services import take_open_seat
from latihkerja.engine.nik import Sex, build_nik
from latihkerja.regions.models import Kelurahan
from latihkerja.registration.models import Application, ApplicationChoice
from latihkerja.registration.services import Submission, submit_application
from latihkerja.residents.crypto import digest_identity, encrypt_identity
from latihkerja.residents.models import Resident
from latihkerja.residents.services import register_resident
from tests.concurrency.conftest import run_in_parallel
from tests.factories import BatchFactory, PeriodFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def many_residents(count: int) -> list[Resident]:
    kelurahan = Kelurahan.objects.get(name="Sukarasa")
    rows = []
    for n in range(count):
        nik = build_nik(
            region="367101", birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=n), sex=Sex.MALE, serial=1
        )
        rows.append(
            Resident(
                nik_digest=digest_identity(nik),
                nik_encrypted=encrypt_identity(nik),
                full_name=f"Warga {n}",
                sex="L",
                birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=n),
                kelurahan=kelurahan,
                address="Jl. Uji",
                phone="+6281200000000",
                education="sma",
                employment_status="phk",
            )
        )
    return Resident.objects.bulk_create(rows)


def profile(kelurahan, **person):
    """What a registration sends besides the person (NIK, name, sex): born 5 August 1995, in `kelurahan`."""
    return {
        "kk": "3671010101120005",
        "birth_date": dt.date(1995, 8, 5),
        "kelurahan": kelurahan,
        "address": "Jl. Uji",
        "phone": "+6281234567890",
        "education": "sma",
        "employment_status": "phk",
        "consent_given": True,
        **person,
    }


def test_five_hundred_attempts_on_the_last_twenty_seats_leave_exactly_twenty_when_racing(
    reference_data, bappeda_admin
):
    PeriodFactory()
    batch = BatchFactory(status=BatchStatus.ALLOCATED, capacity=25, seats_taken=5)
    residents = many_residents(500)

    outcomes = run_in_parallel(
        [lambda r=r: take_open_seat(batch=batch, resident=r, actor=bappeda_admin) for r in residents]
    )

    seated = [o for o in outcomes if isinstance(o, Enrollment)]
    refused = [o for o in outcomes if not isinstance(o, Enrollment)]
    batch.refresh_from_db()
    assert len(seated) == 20
    assert batch.seats_taken == 25
    assert Enrollment.objects.filter(batch=batch, status="active").count() == 20
    assert {type(o) for o in refused} == {BatchError}
    assert {o.message for o in refused} == {"Kelas ini sudah penuh. Pilih kelas lain yang masih punya kursi."}


def test_one_resident_cannot_hold_two_seats_in_a_period_when_racing_for_both(reference_data, bappeda_admin):
    PeriodFactory()
    batches = [BatchFactory(status=BatchStatus.ALLOCATED, capacity=25) for _ in range(2)]
    (resident,) = many_residents(1)

    outcomes = run_in_parallel(
        [lambda b=b: take_open_seat(batch=b, resident=resident, actor=bappeda_admin) for b in batches * 10],
        workers=20,
    )

    assert len([o for o in outcomes if isinstance(o, Enrollment)]) == 1
    assert (
        sum(Batch.objects.filter(pk__in=[b.pk for b in batches]).values_list("seats_taken", flat=True)) == 1
    )
    assert {o.message for o in outcomes if isinstance(o, BatchError)} == {
        "Anda sudah punya kursi di kelas lain pada periode ini."
    }


def test_fifty_registrations_with_the_same_nik_leave_one_resident_when_racing(reference_data):
    period = PeriodFactory()
    kelurahan = Kelurahan.objects.get(name="Sukarasa")

    def register():
        return register_resident(
            period=period,
            user=None,
            **profile(kelurahan, nik="3671014508950003", full_name="Siti Aminah", sex="P"),
        )

    outcomes = run_in_parallel([register] * 50, workers=50)

    assert Resident.objects.filter(nik_digest=digest_identity("3671014508950003")).count() == 1
    assert len([o for o in outcomes if isinstance(o, Resident)]) == 1
    assert {o.message for o in outcomes if not isinstance(o, Resident)} == {
        "NIK ini sudah terdaftar. Masuk dengan nomor HP yang dipakai saat mendaftar, atau datangi kantor kelurahan."
    }


def test_concurrent_submits_of_one_resident_leave_one_application_with_one_set_of_choices_when_racing(
    reference_data,
):
    period = PeriodFactory()
    batches = [BatchFactory(status=BatchStatus.OPEN) for _ in range(3)]
    (resident,) = many_residents(1)
    orders = [[b.code for b in batches], [b.code for b in reversed(batches)]] * 10

    outcomes = run_in_parallel(
        [
            lambda o=o: submit_application(resident=resident, period=period, batch_codes=o, actor=None)
            for o in orders
        ],
        workers=20,
    )

    assert all(isinstance(o, Submission) for o in outcomes), outcomes
    application = Application.objects.get()
    ranks = list(
        ApplicationChoice.objects.filter(application=application)
        .values_list("rank", flat=True)
        .order_by("rank")
    )
    assert ranks == [1, 2, 3]


def test_one_person_of_a_shared_phone_signing_in_on_two_devices_at_once_gets_one_account(reference_data):
    from latihkerja.accounts.models import User
    from latihkerja.residents.services import account_of_person
    from tests.factories import ResidentFactory

    nik = build_nik(region="367101", birth_date=dt.date(1985, 5, 5), sex=Sex.MALE, serial=7)
    person = ResidentFactory(phone="+6281234567890", user=None, nik=nik)
    ResidentFactory(phone="+6281234567890", user=None)  # the phone is shared

    outcomes = run_in_parallel([lambda: account_of_person(phone="+6281234567890", nik=nik)] * 20, workers=20)

    person.refresh_from_db()
    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert {o.pk for o in outcomes} == {person.user_id}
    assert User.objects.filter(phone="+6281234567890").count() == 1  # no account left over


def test_family_members_registering_on_one_phone_at_once_each_get_an_account_of_their_own(reference_data):
    from latihkerja.accounts.models import User
    from latihkerja.residents.services import free_account_for_phone
    from tests.factories import ResidentFactory

    owner = free_account_for_phone("+6281234567890")
    ResidentFactory(phone="+6281234567890", user=owner)

    outcomes = run_in_parallel([lambda: free_account_for_phone("+6281234567890")] * 12, workers=12)

    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert len({o.pk for o in outcomes}) == 12
    assert User.objects.filter(phone="+6281234567890").count() == 13


def test_one_account_sending_its_profile_twice_at_once_gets_one_profile_and_a_clear_answer(reference_data):
    from latihkerja.accounts.enums import Role
    from latihkerja.residents.errors import ResidentError
    from tests.factories import UserFactory

    period = PeriodFactory()
    user = UserFactory(role=Role.RESIDENT)
    kelurahan = Kelurahan.objects.get(name="Sukarasa")

    def register(serial):  # an app retrying after mending the NIK: the bodies differ
        nik = build_nik(region="367101", birth_date=dt.date(1995, 8, 5), sex=Sex.MALE, serial=serial)
        return register_resident(
            period=period, user=user, **profile(kelurahan, nik=nik, full_name="Budi", sex="L")
        )

    outcomes = run_in_parallel(
        [lambda serial=serial: register(serial) for serial in range(1, 11)], workers=10
    )

    assert Resident.objects.filter(user=user).count() == 1
    refused = [o for o in outcomes if not isinstance(o, Resident)]
    assert len(refused) == 9
    assert all(isinstance(o, ResidentError) for o in refused), refused
    assert {o.template for o in refused} == {ResidentError.ALREADY_REGISTERED}
