"""First come, first served for seats left after allocation (the race itself is tested on PostgreSQL)."""

import datetime as dt

import pytest
from django.urls import reverse

from latihkerja.allocation.services import withdraw_seat
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.errors import BatchError
from latihkerja.batches.models import Batch, Enrollment
from latihkerja.batches.services import take_open_seat
from latihkerja.residents.services import register_resident
from tests.factories import BatchFactory, ResidentFactory
from tests.helpers import sent_code

pytestmark = pytest.mark.integration


def test_last_seat_is_taken_and_the_next_person_is_told_it_is_full_when_racing(bappeda_admin, period):
    batch = BatchFactory(status=BatchStatus.ALLOCATED, capacity=20, minimum=20, seats_taken=19)
    first, second = ResidentFactory(), ResidentFactory()

    take_open_seat(batch=batch, resident=first, actor=bappeda_admin)
    with pytest.raises(BatchError) as error:
        take_open_seat(batch=batch, resident=second, actor=bappeda_admin)

    assert error.value.message == "Kelas ini sudah penuh. Pilih kelas lain yang masih punya kursi."
    assert Batch.objects.get(pk=batch.pk).seats_taken == 20
    assert list(Enrollment.objects.values_list("resident", flat=True)) == [first.pk]


@pytest.mark.parametrize("status", ["draft", "approved", "open", "completed", "cancelled"])
def test_seats_are_not_taken_first_come_when_the_batch_is_not_after_allocation(bappeda_admin, period, status):
    batch = BatchFactory(status=status)

    with pytest.raises(BatchError) as error:
        take_open_seat(batch=batch, resident=ResidentFactory(), actor=bappeda_admin)

    assert error.value.message == "Kelas ini tidak sedang membuka kursi sisa."
    assert Batch.objects.get(pk=batch.pk).seats_taken == 0


def test_a_released_seat_can_be_taken_again_when_someone_withdraws(bappeda_admin, period):
    batch = BatchFactory(status=BatchStatus.RUNNING, capacity=20, minimum=20, seats_taken=19)
    leaving, arriving = ResidentFactory(), ResidentFactory()
    seat = take_open_seat(batch=batch, resident=leaving, actor=bappeda_admin)

    withdraw_seat(enrollment=seat, actor=bappeda_admin)
    take_open_seat(batch=batch, resident=arriving, actor=bappeda_admin)

    assert Batch.objects.get(pk=batch.pk).seats_taken == 20
    assert sorted(Enrollment.objects.values_list("resident", "status")) == sorted(
        [(leaving.pk, "withdrawn"), (arriving.pk, "active")]
    )


def signed_in_resident(client, period, batch):
    client.post(reverse("registration:phone"), {"phone": "081234567890"})
    client.post(reverse("registration:code"), {"code": sent_code("+6281234567890")})
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="+6281234567890")
    register_resident(
        period=period,
        user=user,
        nik="3671014508950003",
        kk="3671010101120005",
        full_name="Siti Aminah",
        sex="P",
        birth_date=dt.date(1995, 8, 5),
        kelurahan=batch.center.kelurahan,
        address="Jl. Uji",
        phone=user.username,
        education="sma",
        employment_status="phk",
        consent_given=True,
    )


def test_resident_takes_a_seat_from_the_batch_page_when_seats_are_left(client, period):
    batch = BatchFactory(code="sisa", status=BatchStatus.ALLOCATED, capacity=25, seats_taken=24)
    signed_in_resident(client, period, batch)

    page = client.get(reverse("batches:detail", args=["sisa"]))
    taken = client.post(reverse("registration:take-seat", args=["sisa"]), follow=True)
    after = client.get(reverse("batches:detail", args=["sisa"])).content.decode()
    client.logout()
    full = client.get(reverse("batches:detail", args=["sisa"]))

    assert "Ambil kursi" in page.content.decode()
    assert [str(m) for m in taken.context["messages"]] == [
        "Kursi Anda di kelas ini sudah tercatat. Sampai jumpa di kelas!"
    ]
    assert "Anda peserta kelas ini." in after  # the page changes: no button for a seat already taken
    assert "Ambil kursi" not in after
    assert "Kelas ini sudah penuh." in full.content.decode()


def test_a_batch_outside_the_public_catalogue_is_not_found_when_a_resident_takes_a_seat(client, period):
    batch = BatchFactory(code="sisa", status=BatchStatus.ALLOCATED, capacity=25, seats_taken=0)
    signed_in_resident(client, period, batch)
    period.is_published = False
    period.save(update_fields=["is_published"])

    response = client.post(reverse("registration:take-seat", args=["sisa"]))

    assert response.status_code == 404
    assert not Enrollment.objects.exists()
    assert Batch.objects.get(pk=batch.pk).seats_taken == 0


def running_with_sessions(held: int, *, scheduled: int, cancelled: int = 0):
    """A running class of 4-JP sessions: `held` done, `scheduled` to come, `cancelled` called off."""
    from tests.factories.training import SessionFactory

    batch = BatchFactory(status=BatchStatus.RUNNING, capacity=25, minimum=20, seats_taken=20)
    statuses = ["held"] * held + ["scheduled"] * scheduled + ["cancelled"] * cancelled
    for number, status in enumerate(statuses, start=1):
        SessionFactory(batch=batch, number=number, date=dt.date(2020, 10, number), status=status)
    return batch


@pytest.mark.parametrize(
    ("held", "cancelled", "open_to_late_joiners"),
    [
        (0, 0, True),
        (2, 0, True),  # 8 of 40 JP held: attending the other 32 is exactly the 80% rule
        (3, 0, False),  # 12 of 40: at most 28 left, 70%
        (2, 4, False),  # cancelled sessions do not count: 8 of 24 JP held
    ],
)
def test_a_running_class_takes_late_joiners_only_while_they_can_still_complete_it(
    bappeda_admin, period, held, cancelled, open_to_late_joiners
):
    batch = running_with_sessions(held, scheduled=10 - held - cancelled, cancelled=cancelled)
    assert batch.theme.completion_attendance_percent == 80

    listed = Batch.objects.with_late_join().get(pk=batch.pk).late_join_open
    if open_to_late_joiners:
        take_open_seat(batch=batch, resident=ResidentFactory(), actor=bappeda_admin)
    else:
        with pytest.raises(BatchError) as error:
            take_open_seat(batch=batch, resident=ResidentFactory(), actor=bappeda_admin)
        assert error.value.message.startswith("Kelas ini sudah berjalan terlalu jauh")

    assert listed is open_to_late_joiners
    assert Batch.objects.get(pk=batch.pk).seats_taken == (21 if open_to_late_joiners else 20)


def test_the_class_page_and_catalogue_stop_offering_seats_once_too_late(client, period):
    late = running_with_sessions(3, scheduled=7)
    early = running_with_sessions(1, scheduled=9)

    late_page = client.get(reverse("batches:detail", args=[late.code])).content.decode()
    early_page = client.get(reverse("batches:detail", args=[early.code])).content.decode()
    with_seats = client.get(reverse("batches:catalogue"), {"seats": "1"}).context["page"]

    assert "sudah berjalan terlalu jauh untuk peserta baru" in late_page
    assert "Ambil kursi" not in late_page
    assert "Ambil kursi" in early_page
    assert [b.code for b in with_seats] == [early.code]
