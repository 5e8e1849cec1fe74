"""The admin refuses what the app's forms, services and imports refuse, with their messages, in the reader's
language: each case posts the real admin form (as a browser would, from the page) with one bad value, and
expects the form back with the message and the database unchanged."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from latihkerja.accounts.models import User
from latihkerja.audit.models import AuditEvent
from latihkerja.batches.models import Batch
from latihkerja.catalog.models import Theme
from latihkerja.centers.models import Center, Room
from latihkerja.demand.forms import DemandForm
from latihkerja.demand.models import Company, SkillDemand, Vacancy
from latihkerja.programs.models import Period
from latihkerja.regions.models import Kecamatan, Kelurahan
from latihkerja.residents.models import DeletionRequest, DeletionRequestStatus, Resident
from tests.factories import BatchFactory, CompanyFactory, PeriodFactory, ResidentFactory, SkillDemandFactory

pytestmark = pytest.mark.integration


class _AdminForm(HTMLParser):
    """What a browser submits from the admin's model form: every named field with its current value."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.select: str | None = None
        self.textarea: str | None = None
        self.text: list[str] = []

    def add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = attr.get("id") == self.form_id
        if not self.inside or "disabled" in attr:
            return
        name = attr.get("name", "")
        if tag == "input" and name:
            kind = attr.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attr:
                    self.add(name, attr.get("value") or "on")
                return
            self.add(name, attr.get("value", ""))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attr:
            self.add(self.select, attr.get("value", ""))
        elif tag == "textarea":
            self.textarea, self.text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.add(self.textarea, "".join(self.text).removeprefix("\n"))
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.text.append(data)


def submit(client: Client, url: str, model: type[Model], **changes: Any) -> Any:
    """Open the admin page at `url`, change the named fields as a person would, and press Save."""
    page = client.get(url)
    assert page.status_code == 200
    reader = _AdminForm(f"{model._meta.model_name}_form")
    reader.feed(page.content.decode())
    assert reader.data, "the model's form was not found on the page"
    data: dict[str, Any] = dict(reader.data)
    for name, value in changes.items():
        data[name] = value
    return client.post(url, data)


def change_url(obj: Model) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def stored(obj: Model) -> dict[str, Any]:
    return type(obj)._default_manager.filter(pk=obj.pk).values().get()


def assert_refused(response: Any, message: str, before: dict[str, Any], obj: Model) -> None:
    assert response.status_code == 200  # the form is shown again, not saved and redirected
    assert escape(message) in response.content.decode()
    assert stored(obj) == before


@pytest.fixture
def admin_client(login: Callable[[User], Client], bappeda_admin: User) -> Client:
    return login(bappeda_admin)


@pytest.fixture
def vacancy(reference_data: None) -> Vacancy:
    company = CompanyFactory()
    return Vacancy.objects.create(
        company=company,
        title="Operator mesin",
        count=5,
        kecamatan=company.kecamatan,
        salary_min=4_000_000,
        salary_max=5_000_000,
        deadline=dt.date(2020, 11, 30),  # long past: an old vacancy stays editable
    )


# Employers' data: the sign-up, demand and vacancy forms' rules and messages (demand.forms, demand.services).


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nib": "12345"}, "NIB harus 13 angka."),
        ({"nib": "12345678901ab"}, "NIB harus 13 angka."),
        ({"contact_phone": "telepon kantor"}, "Tulis nomor telepon yang sah."),
    ],
)
def test_admin_refuses_a_company_with_the_sign_up_message_when_a_field_is_malformed(
    admin_client, reference_data, changes, message
):
    company = CompanyFactory()
    before = stored(company)

    response = submit(admin_client, change_url(company), Company, **changes)

    assert_refused(response, message, before, company)
    assert "is violated" not in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"occupation_code": "51A2"}, "Kode jabatan ISCO-08 terdiri dari 4 angka, misalnya 5132."),
        ({"occupation_code": "51322"}, "Kode jabatan ISCO-08 terdiri dari 4 angka, misalnya 5132."),
        ({"headcount": "0"}, "Jumlah orang harus lebih dari 0."),
        ({"headcount": "100001"}, "Paling banyak 100.000 orang."),
        ({"theme": "", "occupation_code": ""}, "Isi tema pelatihan atau kode jabatan (salah satu)."),
    ],
)
def test_admin_refuses_skill_demand_with_the_demand_form_message_when_a_value_breaks_a_rule(
    admin_client, reference_data, changes, message
):
    demand = SkillDemandFactory()
    before = stored(demand)

    response = submit(admin_client, change_url(demand), SkillDemand, **changes)

    assert_refused(response, message, before, demand)


def test_admin_refuses_requirements_longer_than_the_demand_form_allows_with_its_message(
    admin_client, reference_data
):
    demand = SkillDemandFactory()
    before = stored(demand)
    too_long = "x" * 2001
    [page_message] = DemandForm({"requirements": too_long}).errors["requirements"]

    response = submit(admin_client, change_url(demand), SkillDemand, requirements=too_long)

    assert_refused(response, page_message, before, demand)


def test_admin_refuses_a_bad_demand_row_in_the_company_page_inline_with_the_demand_message(
    admin_client, reference_data
):
    demand = SkillDemandFactory()
    before = stored(demand)

    response = submit(admin_client, change_url(demand.company), Company, **{"demands-0-headcount": "0"})

    assert_refused(response, "Jumlah orang harus lebih dari 0.", before, demand)


@pytest.mark.parametrize("page", ["demand", "company inline"])
def test_admin_refuses_to_make_a_need_a_copy_of_another_with_the_duplicate_message(
    admin_client, reference_data, page
):
    kept = SkillDemandFactory(headcount=10)
    demand = SkillDemandFactory(company=kept.company, headcount=11)
    before = stored(demand)
    message = "Kebutuhan yang sama (tema, jumlah, tanggal dan kecamatan) sudah tercatat untuk perusahaan ini."

    if page == "demand":
        response = submit(admin_client, change_url(demand), SkillDemand, headcount="10")
    else:
        row = sorted([kept.pk, demand.pk]).index(demand.pk)  # the inline lists the needs in its own order
        response = submit(
            admin_client, change_url(kept.company), Company, **{f"demands-{row}-headcount": "10"}
        )

    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert stored(demand) == before


def test_admin_saves_an_old_skill_demand_whose_needed_by_date_has_passed(admin_client, reference_data):
    """Only a new declaration must be needed after today: editing last year's must keep working."""
    demand = SkillDemandFactory(needed_by=dt.date(2020, 12, 1))

    response = submit(admin_client, change_url(demand), SkillDemand, headcount="12")

    assert response.status_code == 302
    assert SkillDemand.objects.get(pk=demand.pk).headcount == 12


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"count": "0"}, "Jumlah lowongan harus lebih dari 0."),
        ({"count": "100001"}, "Paling banyak 100.000 lowongan."),
        ({"salary_max": "1000000001"}, "Gaji paling banyak Rp1.000.000.000 sebulan."),
        (
            {"salary_min": "6000000", "salary_max": "5000000"},
            "Gaji minimum tidak boleh lebih besar dari gaji maksimum.",
        ),
    ],
)
def test_admin_refuses_a_vacancy_with_the_vacancy_form_message_when_a_value_breaks_a_rule(
    admin_client, vacancy, changes, message
):
    before = stored(vacancy)

    response = submit(admin_client, change_url(vacancy), Vacancy, **changes)

    assert_refused(response, message, before, vacancy)


def test_admin_adds_no_vacancy_and_says_why_when_the_count_is_zero(admin_client, reference_data):
    company = CompanyFactory()
    count = Vacancy.objects.count()

    response = submit(
        admin_client,
        reverse("admin:demand_vacancy_add"),
        Vacancy,
        company=str(company.pk),
        title="Barista",
        count="0",
        kecamatan=str(company.kecamatan_id),
        salary_min="3000000",
        salary_max="4000000",
        deadline="2020-12-31",
    )

    assert response.status_code == 200
    assert "Jumlah lowongan harus lebih dari 0." in response.content.decode()
    assert Vacancy.objects.count() == count


def test_admin_saves_an_old_vacancy_whose_deadline_has_passed(admin_client, vacancy):
    response = submit(admin_client, change_url(vacancy), Vacancy, count="6")

    assert response.status_code == 302
    assert Vacancy.objects.get(pk=vacancy.pk).count == 6


# Batches, centres' rooms and the catalogue.


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"capacity": "0"}, "Jumlah kursi harus lebih dari 0."),
        ({"minimum": "26"}, "Peserta minimum tidak boleh lebih dari jumlah kursi."),
        (
            {"starts_on": "2020-10-16", "ends_on": "2020-10-05"},
            "Tanggal selesai tidak boleh sebelum tanggal mulai.",
        ),
        ({"modality": "daring"}, "Tema ini tidak boleh diselenggarakan secara Daring (online)."),
    ],
)
def test_admin_refuses_a_batch_that_contradicts_itself_with_a_human_message(
    admin_client, period, center_a, changes, message
):
    batch = BatchFactory(center=center_a)
    before = stored(batch)

    response = submit(admin_client, change_url(batch), type(batch), **changes)

    assert_refused(response, message, before, batch)
    assert "is violated" not in response.content.decode()


def test_admin_refuses_fewer_seats_than_are_already_taken_instead_of_failing(admin_client, period, center_a):
    """`seats_taken` is read-only in the admin, so Django's own constraint check skips it: without the model's
    check the database refused the save with a server error."""
    batch = BatchFactory(center=center_a)
    type(batch).objects.filter(pk=batch.pk).update(seats_taken=10)
    before = stored(batch)

    response = submit(admin_client, change_url(batch), type(batch), capacity="8", minimum="5")

    assert_refused(response, "Jumlah kursi tidak boleh kurang dari kursi yang sudah terisi.", before, batch)


def test_admin_refuses_a_batch_room_of_another_centre(admin_client, period, center_a, center_b):
    batch = BatchFactory(center=center_a)
    before = stored(batch)

    response = submit(admin_client, change_url(batch), type(batch), room=str(center_b.rooms.first().pk))

    assert_refused(response, "Ruang itu bukan milik BLK kelas ini.", before, batch)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hours": "0"}, "Durasi tema harus lebih dari 0 JP."),
        (
            {"completion_attendance_percent": "101"},
            "Kehadiran minimum untuk lulus harus antara 0 dan 100 persen.",
        ),
    ],
)
def test_admin_refuses_a_theme_with_impossible_hours_or_attendance_rule(
    admin_client, reference_data, changes, message
):
    theme = Theme.objects.get(code="BARISTA")
    before = stored(theme)

    response = submit(admin_client, change_url(theme), Theme, **changes)

    assert_refused(response, message, before, theme)


def test_admin_refuses_a_room_without_capacity(admin_client, center_a):
    room = center_a.rooms.first()
    before = stored(room)

    response = submit(admin_client, change_url(room), Room, capacity="0")

    assert_refused(response, "Kapasitas ruang harus lebih dari 0.", before, room)


def test_admin_refuses_a_second_room_of_the_same_name_in_one_centre(admin_client, center_a):
    first = center_a.rooms.first()
    second = Room.objects.create(center=center_a, name="Ruang praktik", capacity=20)
    before = stored(second)

    response = submit(admin_client, change_url(second), Room, name=first.name)

    assert_refused(response, "BLK ini sudah punya ruang dengan nama itu. Pilih nama lain.", before, second)


def test_admin_refuses_a_room_without_capacity_in_the_centre_page_inline(admin_client, center_a):
    room = center_a.rooms.first()
    before = stored(room)

    response = submit(admin_client, change_url(center_a), Center, **{"rooms-0-capacity": "0"})

    assert_refused(response, "Kapasitas ruang harus lebih dari 0.", before, room)


# Programme periods and regions (reference data, Bappeda's).


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"starts_on": "2020-12-31", "ends_on": "2020-10-01"},
            "Tanggal selesai tidak boleh sebelum tanggal mulai.",
        ),
        (
            {"registration_opens_at_0": "2020-09-10", "registration_closes_at_0": "2020-09-01"},
            "Pendaftaran harus ditutup sesudah dibuka.",
        ),
        ({"maximum_per_batch": "0"}, "Peserta maksimum per kelas harus antara 1 dan 100."),
        (
            {"minimum_per_batch": "30", "maximum_per_batch": "25"},
            "Peserta minimum per kelas tidak boleh lebih dari peserta maksimum per kelas.",
        ),
        (
            {"participant_target_min": "13000", "participant_target_max": "12000"},
            "Target peserta (bawah) tidak boleh lebih dari target peserta (atas).",
        ),
        ({"max_choices": "0"}, "Pilihan kelas per pendaftar harus antara 1 dan 10."),
        ({"min_age": "65", "max_age": "64"}, "Usia minimum tidak boleh lebih dari usia maksimum."),
        (
            {"batches_per_room_per_month": "0"},
            "Satu ruang dipakai antara 1 dan 10 kelas per bulan.",
        ),
        ({"max_choices": "11"}, "Pilihan kelas per pendaftar harus antara 1 dan 10."),
        ({"maximum_per_batch": "1000"}, "Peserta maksimum per kelas harus antara 1 dan 100."),
        ({"trainings_per_center": "0"}, "Pelatihan per BLK harus antara 1 dan 50."),
        ({"batches_per_room_per_month": "11"}, "Satu ruang dipakai antara 1 dan 10 kelas per bulan."),
        ({"offer_response_days": "300"}, "Batas jawab tawaran kursi harus antara 1 dan 30 hari."),
        ({"min_age": "5"}, "Usia minimum dan maksimum harus antara 10 dan 100 tahun."),
        ({"max_age": "150"}, "Usia minimum dan maksimum harus antara 10 dan 100 tahun."),
        ({"offer_response_days": "0"}, "Batas jawab tawaran kursi harus antara 1 dan 30 hari."),
        ({"occupancy_percent": "0"}, "Batas isi ruang harus antara 1 dan 100 persen."),
        ({"occupancy_percent": "101"}, "Batas isi ruang harus antara 1 dan 100 persen."),
        (
            {"allocation_policy": '{"groups": [["pengangguran"]]}'},
            "Kebijakan prioritas periode ini tidak sah: unknown employment status 'pengangguran'",
        ),
    ],
)
def test_admin_refuses_a_period_whose_settings_contradict_each_other(admin_client, db, changes, message):
    period = PeriodFactory()
    before = stored(period)

    response = submit(admin_client, change_url(period), Period, **changes)

    assert_refused(response, message, before, period)
    assert "is violated" not in response.content.decode()


@pytest.mark.parametrize(
    ("model", "changes", "message"),
    [
        (Kecamatan, {"code": "36.71"}, "Kode Kemendagri kecamatan ditulis seperti 36.71.01."),
        (Kecamatan, {"nik_prefix": "3671"}, "Awalan NIK terdiri dari 6 angka, misalnya 367101."),
        (Kelurahan, {"code": "36.71.01.10"}, "Kode Kemendagri kelurahan ditulis seperti 36.71.01.1001."),
    ],
)
def test_admin_refuses_a_malformed_kemendagri_code(admin_client, reference_data, model, changes, message):
    region = model.objects.order_by("code").first()
    before = stored(region)

    response = submit(admin_client, change_url(region), model, **changes)

    assert_refused(response, message, before, region)


# Accounts.


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"role": "operator", "center": ""}, "Operator BLK harus terhubung ke satu BLK. Pilih BLK-nya."),
        (
            {"role": "opd", "agency": "", "center": ""},
            "Pengawas OPD harus terhubung ke satu OPD. Pilih OPD-nya.",
        ),
        (
            {"role": "employer", "company": "", "center": ""},
            "Akun pemberi kerja harus terhubung ke satu perusahaan. Pilih perusahaannya.",
        ),
    ],
)
def test_admin_refuses_a_staff_role_without_what_scopes_it(admin_client, operator_blk_a, changes, message):
    before = stored(operator_blk_a)

    response = submit(admin_client, change_url(operator_blk_a), User, **changes)

    assert_refused(response, message, before, operator_blk_a)


# Residents: the registration form's rules; sex and birth date follow the NIK.


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "12345"}, "Masukkan nomor HP Indonesia, misalnya 0812 3456 7890."),
        ({"phone": "021 555 1234"}, "Masukkan nomor HP Indonesia, misalnya 0812 3456 7890."),
        ({"full_name": "Budi 2"}, "Tulis nama lengkap dengan huruf, sesuai KTP."),
        ({"full_name": " B "}, "Tulis nama lengkap dengan huruf, sesuai KTP."),
    ],
)
def test_admin_refuses_a_resident_phone_or_name_the_registration_form_refuses(
    admin_client, reference_data, changes, message
):
    resident = ResidentFactory(full_name="Siti Aminah")
    before = stored(resident)

    response = submit(admin_client, change_url(resident), Resident, **changes)

    assert_refused(response, message, before, resident)


def test_admin_stores_a_resident_phone_as_the_account_spells_it(admin_client, reference_data):
    """Accounts find their profile by the normalised phone (`residents.services.claim_profile_by_phone`)."""
    resident = ResidentFactory(full_name="Siti Aminah")

    response = submit(
        admin_client, change_url(resident), Resident, phone="0812-3456-7890", full_name="  Siti   Aminah "
    )

    resident.refresh_from_db()
    assert response.status_code == 302
    assert resident.phone == "+6281234567890"
    assert resident.full_name == "Siti Aminah"


def test_sex_and_birth_date_stay_as_the_nik_says_when_changed_alone(admin_client, reference_data):
    resident = ResidentFactory(full_name="Siti Aminah", sex="L", birth_date=dt.date(1990, 1, 1))
    before = stored(resident)

    response = submit(
        admin_client, change_url(resident), Resident, sex="P", birth_date="1999-09-09", address="Jl. Baru 2"
    )

    assert_refused(response, "NIK tidak dapat diterima:", before, resident)
    assert "tanggal lahir" in response.content.decode().lower()


def test_bappeda_corrects_a_mistyped_nik_with_the_birth_date_and_sex_it_encodes(login, bappeda_admin):
    """A NIK mistyped on a paper sheet stays until someone can correct it: Bappeda, by the NIK's own rules."""
    from latihkerja.engine.nik import Sex as NikSex
    from latihkerja.engine.nik import build_nik
    from latihkerja.residents.services import find_by_nik

    resident = ResidentFactory(full_name="Siti Aminah", sex="L", birth_date=dt.date(1990, 1, 1))
    old = resident.nik
    right = build_nik(region="367101", birth_date=dt.date(1991, 2, 3), sex=NikSex.FEMALE, serial=77)

    response = submit(
        login(bappeda_admin), change_url(resident), Resident, new_nik=right, sex="P", birth_date="1991-02-03"
    )

    resident.refresh_from_db()
    assert response.status_code == 302
    assert (resident.nik, resident.sex, resident.birth_date) == (right, "P", dt.date(1991, 2, 3))
    assert find_by_nik(right) == resident
    assert find_by_nik(old) is None
    assert AuditEvent.objects.get(action="resident.corrected").detail == {
        "fields": ["nik", "sex", "birth_date"],
        "via": "admin",
    }


def test_a_nik_correction_is_refused_when_it_breaks_a_rule_or_is_someone_elses(login, bappeda_admin):
    resident = ResidentFactory(full_name="Siti Aminah")
    other = ResidentFactory(full_name="Budi Santoso")
    before = stored(resident)
    client = login(bappeda_admin)

    too_short = submit(client, change_url(resident), Resident, new_nik="36710101019")
    taken = submit(
        client,
        change_url(resident),
        Resident,
        new_nik=other.nik,
        birth_date=other.birth_date.isoformat(),
    )

    assert_refused(too_short, "NIK tidak dapat diterima:", before, resident)
    assert_refused(taken, "NIK ini sudah tercatat untuk warga lain.", before, resident)


def test_only_bappeda_is_offered_the_nik_correction(login, operator_blk_a):
    from latihkerja.engine.nik import Sex as NikSex
    from latihkerja.engine.nik import build_nik

    resident = ResidentFactory(full_name="Siti Aminah")
    client = login(operator_blk_a)
    page = client.get(change_url(resident)).content.decode()
    forged = client.post(
        change_url(resident),
        {
            "new_nik": build_nik(region="367101", birth_date=resident.birth_date, sex=NikSex.MALE, serial=99),
            "kelurahan": resident.kelurahan_id,
            "address": resident.address,
            "email": "",
            "education": resident.education,
            "employment_status": resident.employment_status,
        },
    )

    resident.refresh_from_db()
    assert 'name="new_nik"' not in page
    assert forged.status_code in (200, 302)
    assert resident.nik_digest == stored(resident)["nik_digest"]
    assert not [
        e for e in AuditEvent.objects.filter(action="resident.corrected") if "nik" in e.detail["fields"]
    ]


def test_an_operator_corrects_an_address_but_not_the_phone_that_signs_in_nor_the_name(login, operator_blk_a):
    """A code sent to the profile's phone signs in as that resident: an operator who could change the phone
    could take the account over. Identity is Bappeda's to correct."""
    resident = ResidentFactory(full_name="Siti Aminah", phone="+6281234567890", employment_status="phk")
    client = login(operator_blk_a)
    page = client.get(change_url(resident)).content.decode()

    response = submit(
        client,
        change_url(resident),
        Resident,
        phone="081299990001",
        full_name="Orang Lain",
        employment_status="menganggur",
        address="Jl. Baru 2",
    )

    resident.refresh_from_db()
    assert response.status_code == 302
    assert 'name="phone"' not in page
    assert 'name="full_name"' not in page
    # No period takes registrations: what decides priority is locked, as on the resident's own page.
    assert 'name="employment_status"' not in page
    assert (resident.phone, resident.full_name, resident.employment_status, resident.address) == (
        "+6281234567890",
        "Siti Aminah",
        "phk",
        "Jl. Baru 2",
    )
    assert list(AuditEvent.objects.filter(action="resident.corrected").values_list("actor", "detail")) == [
        (operator_blk_a.pk, {"fields": ["address"], "via": "admin"})
    ]


def test_an_operator_corrects_what_decides_priority_while_registration_is_open(login, operator_blk_a):
    from django.utils import timezone

    now = timezone.now()
    PeriodFactory(
        registration_opens_at=now - dt.timedelta(days=1), registration_closes_at=now + dt.timedelta(days=1)
    )
    resident = ResidentFactory(full_name="Siti Aminah", employment_status="phk")

    response = submit(login(operator_blk_a), change_url(resident), Resident, employment_status="menganggur")

    resident.refresh_from_db()
    assert response.status_code == 302
    assert resident.employment_status == "menganggur"


def test_a_decided_deletion_request_is_neither_reopened_nor_rewritten(admin_client, reference_data):
    """A decision stands: an erasure cannot be undone, and a refusal's note is the record of why."""
    resident = ResidentFactory(full_name="Siti Aminah")
    refused = DeletionRequest.objects.create(
        resident=resident, status=DeletionRequestStatus.REFUSED, note="Wajib disimpan sampai 2026."
    )
    page = admin_client.get(change_url(refused)).content.decode()

    admin_client.post(change_url(refused), {"status": "pending", "note": "Lain"})

    refused.refresh_from_db()
    assert 'name="status"' not in page
    assert (refused.status, refused.note) == ("refused", "Wajib disimpan sampai 2026.")


# The reader's language.


@pytest.mark.parametrize(
    ("make", "model", "changes", "message"),
    [
        (lambda: CompanyFactory(), Company, {"nib": "12345"}, "The NIB must have 13 digits."),
        (
            lambda: ResidentFactory(full_name="Siti Aminah"),
            Resident,
            {"phone": "12345"},
            "Enter an Indonesian mobile number, for example 0812 3456 7890.",
        ),
        (
            lambda: PeriodFactory(),
            Period,
            {"min_age": "65", "max_age": "64"},
            "The minimum age cannot be more than the maximum age.",
        ),
        (
            lambda: Theme.objects.get(code="BARISTA"),
            Theme,
            {"hours": "0"},
            "A theme's duration must be more than 0 lesson hours (JP).",
        ),
    ],
)
def test_admin_says_it_in_english_when_the_reader_chose_english(
    admin_client, reference_data, make, model, changes, message
):
    obj = make()
    before = stored(obj)
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = submit(admin_client, change_url(obj), model, **changes)

    assert_refused(response, message, before, obj)


def test_admin_saving_a_batch_keeps_seats_taken_meanwhile(admin_client, period, center_a, monkeypatch):
    """A seat taken while the admin page was being saved is not undone by the save."""
    from latihkerja.batches.admin import BatchAdmin

    batch = BatchFactory(center=center_a, seats_taken=3)
    url = change_url(batch)
    stale = type(batch).objects.get(pk=batch.pk)  # what the admin loaded, seats_taken 3
    type(batch).objects.filter(pk=batch.pk).update(seats_taken=7)  # four seats taken since
    monkeypatch.setattr(BatchAdmin, "get_object", lambda self, request, object_id, from_field=None: stale)

    response = submit(admin_client, url, type(batch), minimum="18")

    assert response.status_code == 302
    assert type(batch).objects.values_list("minimum", "seats_taken").get(pk=batch.pk) == (18, 7)


def test_admin_column_headers_are_in_the_readers_language(admin_client, reference_data):
    from latihkerja.training.models import Attendance
    from tests.factories.training import SessionFactory, participant

    session = SessionFactory()
    Attendance.objects.create(
        session=session,
        enrollment=participant(session.batch),
        status="present",
        method="marked",
        hours_credited=4,
    )

    page = admin_client.get(reverse("admin:training_attendance_changelist")).content.decode()
    table = page[page.index('id="result_list"') :]
    headers = table[: table.index("</thead>")]

    assert "Sesi" in headers
    assert "Peserta" in headers
    assert "Session" not in headers


def test_admin_lists_name_their_columns_and_filters_in_indonesian(admin_client, reference_data, period):
    from tests.factories.reports import make_application

    make_application(ResidentFactory(), period, [BatchFactory(period=period)])
    SkillDemandFactory()

    applications = admin_client.get(reverse("admin:registration_application_changelist")).content.decode()
    demands = admin_client.get(reverse("admin:demand_skilldemand_changelist")).content.decode()

    for page, indonesian, english in [
        (applications, ["Warga", "Periode"], ["Resident", "Period"]),
        (demands, ["Perusahaan", "Tema"], ["Company", "Theme"]),
    ]:
        table = page[page.index('id="result_list"') :]
        headers = table[: table.index("</thead>")]
        for word in indonesian:
            assert word in headers
        for word in english:
            assert not re.search(rf">\s*{word}\s*<", headers, re.IGNORECASE)  # a header's text, not its class
            assert not re.search(rf"Berdasarkan {word}\b", page, re.IGNORECASE)


@pytest.mark.parametrize("empty", ["", "null", "{}"])
def test_an_empty_allocation_policy_means_the_default_and_is_saved_without_an_error(admin_client, db, empty):
    period = PeriodFactory(allocation_policy={"groups": [["phk"]]})

    response = submit(admin_client, change_url(period), Period, allocation_policy=empty)

    assert response.status_code == 302
    period.refresh_from_db()
    assert period.allocation_policy == {}


@pytest.mark.parametrize("field", ["instructors", "room", "center"])
def test_a_number_no_key_can_be_is_an_unknown_choice_not_a_server_error(admin_client, db, field):
    batch = BatchFactory()
    before = stored(batch)
    huge = "1" + "0" * 40

    response = submit(
        admin_client, change_url(batch), Batch, **{field: [huge] if field == "instructors" else huge}
    )

    assert response.status_code == 200
    assert stored(batch) == before
    assert "errorlist" in response.content.decode()


def test_a_batchs_instructors_are_picked_by_name_in_the_admin(admin_client, period, center_a):
    from tests.factories import BatchFactory, UserFactory

    batch = BatchFactory(center=center_a)
    UserFactory(
        username="instr.budi", first_name="Budi", last_name="Santoso", role="instructor", is_staff=True
    )

    page = admin_client.get(reverse("admin:batches_batch_change", args=[batch.pk])).content.decode()

    assert "Budi Santoso (instr.budi)" in page


def test_new_class_dates_set_in_the_admin_reach_every_seat_holder_by_sms(admin_client, period, center_a):
    """Participants and residents still answering an offer would otherwise come on the old date."""
    from latihkerja.batches.models import EnrollmentStatus
    from latihkerja.notifications.models import Message
    from tests.factories.training import participant

    batch = BatchFactory(center=center_a, status="allocated")
    participant(batch, phone="+6281200000001")
    participant(batch, status=EnrollmentStatus.OFFERED, phone="+6281200000002")
    participant(batch, status=EnrollmentStatus.DECLINED, phone="+6281200000003")

    response = submit(
        admin_client, change_url(batch), type(batch), starts_on="2020-10-12", ends_on="2020-11-27"
    )
    again = submit(admin_client, change_url(batch), type(batch), minimum="18")  # no date changed: no message

    assert (response.status_code, again.status_code) == (302, 302)
    sent = Message.objects.filter(kind="schedule_changed").order_by("recipient")
    assert list(sent.values_list("recipient", flat=True)) == ["+6281200000001", "+6281200000002"]
    assert "12 Oktober 2020 sampai 27 November 2020" in sent[0].body
    event = AuditEvent.objects.about(batch).get(action="batch.dates_changed")
    assert event.detail["to"] == ["2020-10-12", "2020-11-27"]


def test_admin_refuses_class_dates_that_leave_a_session_outside(admin_client, period, center_a):
    from tests.factories.training import SessionFactory

    batch = BatchFactory(center=center_a, status="allocated")
    SessionFactory(batch=batch, number=1, date=dt.date(2020, 10, 5))
    SessionFactory(batch=batch, number=2, date=dt.date(2020, 11, 20))
    before = stored(batch)

    late_start = submit(admin_client, change_url(batch), type(batch), starts_on="2020-10-06")
    early_end = submit(admin_client, change_url(batch), type(batch), ends_on="2020-11-19")

    assert_refused(
        late_start,
        "Pertemuan pertama kelas ini pada 5 Oktober 2020: tanggal mulai tidak bisa sesudahnya. Pindahkan atau "
        "batalkan pertemuannya dulu.",
        before,
        batch,
    )
    assert_refused(
        early_end,
        "Pertemuan terakhir kelas ini pada 20 November 2020: tanggal selesai tidak bisa sebelumnya. Pindahkan atau "
        "batalkan pertemuannya dulu.",
        before,
        batch,
    )
