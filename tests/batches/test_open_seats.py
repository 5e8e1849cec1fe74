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
    full = client.get(reverse("batches:detail", args=["sisa"]))

    assert "Ambil kursi" in page.content.decode()
    assert [str(m) for m in taken.context["messages"]] == [
        "Kursi Anda di kelas ini sudah tercatat. Sampai jumpa di kelas!"
    ]
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
