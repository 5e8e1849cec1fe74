"""UU PDP: a resident corrects their own details; what decides their priority only while registration is open."""

import datetime as dt

import pytest
from django.utils import timezone

from latihkerja.audit.models import AuditEvent
from latihkerja.regions.models import Kelurahan
from latihkerja.residents.errors import ResidentError
from latihkerja.residents.models import Resident
from latihkerja.residents.services import correct_profile
from tests.factories import BatchFactory, ResidentFactory

pytestmark = pytest.mark.integration

URL = "/akun/saya/data/ubah/"


@pytest.fixture
def siti(resident, period):
    return ResidentFactory(user=resident, employment_status="bekerja", address="Jl. Lama 1")


def form_data(resident, **changes):
    data = {
        "address": resident.address,
        "kelurahan": resident.kelurahan_id,
        "education": resident.education,
        "employment_status": resident.employment_status,
        "email": resident.email,
    }
    if resident.has_disability:
        data["has_disability"] = "on"
    return data | changes


def test_a_resident_corrects_address_and_employment_while_registration_is_open(client, resident, siti):
    client.force_login(resident)
    other = Kelurahan.objects.exclude(pk=siti.kelurahan_id).first()

    response = client.post(
        URL, form_data(siti, address="Jl. Baru  2, RT 001", employment_status="phk", kelurahan=other.pk)
    )

    assert response.status_code == 302
    siti.refresh_from_db()
    assert (siti.address, siti.employment_status, siti.kelurahan_id) == (
        "Jl. Baru 2, RT 001",
        "phk",
        other.pk,
    )
    event = AuditEvent.objects.get(action="resident.corrected")
    assert sorted(event.detail["fields"]) == ["address", "employment_status", "kelurahan"]  # names, no values


def test_with_a_seat_held_only_contact_details_change(client, resident, siti, period):
    from latihkerja.batches.services import take_open_seat

    take_open_seat(batch=BatchFactory(status="allocated"), resident=siti, actor=resident)
    client.force_login(resident)

    page = client.get(URL).content.decode()
    client.post(URL, form_data(siti, address="Jl. Baru 3", employment_status="phk"))

    siti.refresh_from_db()
    assert 'id="priority-closed"' in page
    assert (
        "kursi Anda sudah dibagikan berdasarkan data ini" in page
    )  # the reason that holds, not a choice of two
    assert (siti.address, siti.employment_status) == ("Jl. Baru 3", "bekerja")


def test_after_registration_closes_priority_fields_stay_as_the_allocation_reads_them(
    client, resident, siti, period
):
    period.registration_closes_at = timezone.now() - dt.timedelta(days=1)
    period.save(update_fields=["registration_closes_at"])
    client.force_login(resident)

    page = client.get(URL).content.decode()
    client.post(URL, form_data(siti, address="Jl. Baru 4", employment_status="phk"))

    assert "sekarang pendaftaran sedang tidak dibuka" in page
    assert "kursi Anda sudah dibagikan berdasarkan data ini" not in page
    siti.refresh_from_db()  # no seat, but the allocation is about to read the status: it is not raised now
    assert (siti.address, siti.employment_status) == ("Jl. Baru 4", "bekerja")


def test_the_service_refuses_priority_fields_once_closed(resident, siti):
    with pytest.raises(ResidentError) as error:
        correct_profile(
            resident=siti, actor=resident, changes={"employment_status": "phk"}, priority_open=False
        )

    assert error.value.template == ResidentError.CORRECTION_CLOSED
    assert Resident.objects.get(pk=siti.pk).employment_status == "bekerja"


def test_an_empty_address_is_refused_with_what_to_write(client, resident, siti):
    client.force_login(resident)

    response = client.post(URL, form_data(siti, address="   "))

    assert response.status_code == 200
    assert "Tulis alamat Anda: jalan, nomor, RT/RW." in response.content.decode()
    assert Resident.objects.get(pk=siti.pk).address == "Jl. Lama 1"


@pytest.mark.parametrize("persona", ["other_resident", "operator_blk_a", "bappeda_admin"])
def test_the_correction_page_is_only_for_the_resident_themselves(client, siti, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 404
    assert client.post(URL, form_data(siti, address="Jl. Orang Lain")).status_code == 404
    assert Resident.objects.get(pk=siti.pk).address == "Jl. Lama 1"
