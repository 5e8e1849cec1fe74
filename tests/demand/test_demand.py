"""Employers: sign-up, declared demand and vacancies (every field's bad input), Disnaker's verification, the
scoping of company pages, and the bulk demand import with per-row reasons."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from latihkerja.accounts.models import User
from latihkerja.audit.models import AuditEvent
from latihkerja.catalog.models import Theme
from latihkerja.demand.errors import DemandError
from latihkerja.demand.imports import commit_import, create_import
from latihkerja.demand.models import Company, DemandImport, SkillDemand, Vacancy
from latihkerja.demand.services import (
    decline_company,
    post_vacancy,
    update_vacancy,
    verify_company,
    withdraw_vacancy,
)
from latihkerja.regions.models import Kecamatan
from tests.factories import CompanyFactory, SkillDemandFactory, UserFactory

pytestmark = pytest.mark.integration

NEXT_YEAR = timezone.localdate() + dt.timedelta(days=365)


def signup_data(**changes):
    data = {
        "username": "hrd.maju",
        "password": "Sandi-Kuat-2025!",
        "name": "PT Maju Bersama",
        "nib": "1234567890123",
        "sector": "Manufaktur",
        "kecamatan": str(Kecamatan.objects.get(code="36.71.01").pk),
        "address": "",
        "contact_name": "Ani",
        "contact_phone": "021 555 1234",
        "contact_email": "hrd@maju.co.id",
    }
    return data | changes


def test_employer_signs_up_and_lands_on_their_unverified_company_when_the_form_is_valid(client, db):
    response = client.post(reverse("demand:signup"), signup_data(), follow=True)

    user = User.objects.get(username="hrd.maju")
    assert user.role == "employer"
    assert user.company.nib == "1234567890123"
    assert user.company.verified_at is None
    assert response.context["company"] == user.company
    assert AuditEvent.objects.filter(action="company.registered").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nib", "12345", "NIB harus 13 angka."),
        ("nib", "12345678901ab", "NIB harus 13 angka."),
        ("name", "", "Wajib diisi."),
        ("sector", "", "Wajib diisi."),
        ("kecamatan", "999999", "Pilih kecamatan dari daftar."),
        ("contact_phone", "telepon", "Tulis nomor telepon yang sah."),
        ("contact_phone", "0000-00-00", "Tulis nomor telepon yang sah."),
        ("contact_phone", "12345678901234567890", "Tulis nomor telepon yang sah."),
        ("contact_email", "bukan-email", "Masukkan alamat email yang valid."),
        ("username", "ada spasi", "Gunakan huruf, angka dan . @ + - _ saja."),
    ],
)
def test_signup_changes_nothing_when_a_field_is_bad(client, db, field, value, message):
    response = client.post(reverse("demand:signup"), signup_data(**{field: value}))

    assert response.context["form"].errors[field] == [message]
    assert not User.objects.filter(username="hrd.maju").exists()
    assert not Company.objects.filter(name="PT Maju Bersama").exists()


def test_signup_is_refused_when_the_nib_is_already_registered(client, db):
    CompanyFactory(nib="1234567890123")

    response = client.post(reverse("demand:signup"), signup_data())

    assert response.context["form"].errors["nib"] == [str(DemandError.NIB_TAKEN)]
    assert not User.objects.filter(username="hrd.maju").exists()


def test_signups_from_one_address_stop_after_ten_an_hour_and_the_eleventh_creates_nothing(
    client, bappeda_admin
):
    """Each answer says whether a username or an NIB is taken, and each account may upload files: a script
    must not run through them (security review)."""
    from latihkerja.demand.views import SIGNUPS_PER_HOUR

    typos = [client.post(reverse("demand:signup"), signup_data(nib="12")) for _ in range(SIGNUPS_PER_HOUR)]
    probes = [
        client.post(reverse("demand:signup"), signup_data(username="bappeda", nib=f"{9000000000000 + n}"))
        for n in range(SIGNUPS_PER_HOUR)
    ]
    refused = client.post(reverse("demand:signup"), signup_data())

    assert all(r.context["form"].errors.get("nib") for r in typos)  # incomplete forms are not counted
    assert all(r.context["form"].errors.get("username") for r in probes)  # 'bappeda' is taken each time
    assert refused.context["form"].non_field_errors() == [str(DemandError.SIGNUPS_FROM_HERE)]
    assert not User.objects.filter(username="hrd.maju").exists()


def declare_data(**changes):
    data = {
        "theme": "BARISTA",
        "occupation_code": "",
        "headcount": "12",
        "needed_by": NEXT_YEAR.isoformat(),
        "kecamatan": str(Kecamatan.objects.get(code="36.71.01").pk),
        "requirements": "SMA/SMK",
    }
    return data | changes


def test_employer_declares_demand_for_their_company_when_the_form_is_valid(login, employer):
    client = login(employer)

    client.post(reverse("demand:declare", args=[employer.company_id]), declare_data())

    demand = SkillDemand.objects.get()
    assert (demand.company_id, demand.theme.code, demand.headcount) == (employer.company_id, "BARISTA", 12)
    assert AuditEvent.objects.filter(action="demand.declared").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"headcount": "0"}, "headcount", str(DemandError.HEADCOUNT_POSITIVE)),
        ({"headcount": "-3"}, "headcount", str(DemandError.HEADCOUNT_POSITIVE)),
        ({"headcount": "dua"}, "headcount", "Tulis angka bulat."),
        ({"headcount": "99999999999999999999"}, "headcount", "Paling banyak 100.000."),
        ({"needed_by": timezone.localdate().isoformat()}, "needed_by", str(DemandError.NEEDED_BY_PAST)),
        ({"needed_by": "31/02/2030"}, "needed_by", "Tulis tanggal yang sah."),
        ({"theme": "", "occupation_code": ""}, "theme", str(DemandError.THEME_OR_OCCUPATION)),
        ({"theme": "TIDAK_ADA"}, "theme", "Pilih tema dari daftar."),
        ({"theme": "", "occupation_code": "51a2"}, "occupation_code", str(DemandError.OCCUPATION_FORMAT)),
        (
            {"theme": "", "occupation_code": "0000"},
            "occupation_code",
            str(DemandError.OCCUPATION_UNKNOWN) % {"code": "0000"},
        ),
        ({"occupation_code": "7212"}, "occupation_code", str(DemandError.THEME_AND_OCCUPATION)),
        ({"kecamatan": ""}, "kecamatan", "Pilih kecamatan."),
    ],
)
def test_declaring_demand_changes_nothing_when_a_field_is_bad(login, employer, changes, field, message):
    client = login(employer)

    response = client.post(reverse("demand:declare", args=[employer.company_id]), declare_data(**changes))

    assert response.context["form"].errors[field] == [message]
    assert SkillDemand.objects.count() == 0


def test_employer_declares_an_occupation_instead_of_a_theme(login, employer):
    client = login(employer)

    client.post(
        reverse("demand:declare", args=[employer.company_id]), declare_data(theme="", occupation_code="7212")
    )

    assert list(SkillDemand.objects.values_list("theme", "occupation_code")) == [(None, "7212")]


def vacancy_data(**changes):
    data = {
        "title": "Barista",
        "theme": "BARISTA",
        "skills": "espresso",
        "count": "3",
        "kecamatan": str(Kecamatan.objects.get(code="36.71.01").pk),
        "place": "Jl. Merdeka",
        "salary_min": "4000000",
        "salary_max": "5000000",
        "deadline": NEXT_YEAR.isoformat(),
    }
    return data | changes


def test_employer_posts_a_vacancy_when_the_form_is_valid(login, employer):
    client = login(employer)

    client.post(reverse("demand:vacancy", args=[employer.company_id]), vacancy_data())

    assert list(Vacancy.objects.values_list("title", "count", "salary_min", "salary_max")) == [
        ("Barista", 3, 4_000_000, 5_000_000)
    ]


def test_the_same_vacancy_posted_twice_is_kept_once_and_the_second_post_says_so(login, employer):
    client = login(employer)
    url = reverse("demand:vacancy", args=[employer.company_id])

    client.post(url, vacancy_data())
    again = client.post(url, vacancy_data())
    other = client.post(url, vacancy_data(count="4"))

    assert str(DemandError.VACANCY_DUPLICATE) in again.content.decode()
    assert other.status_code == 302
    assert sorted(Vacancy.objects.values_list("count", flat=True)) == [3, 4]


@pytest.mark.parametrize("typed", ["4.000.000", "Rp 4.000.000", "4,000,000", "4000000"])
def test_a_salary_is_read_as_people_write_rupiah(login, employer, typed):
    client = login(employer)

    client.post(
        reverse("demand:vacancy", args=[employer.company_id]),
        vacancy_data(salary_min=typed, salary_max="Rp5.000.000"),
    )

    assert list(Vacancy.objects.values_list("salary_min", "salary_max")) == [(4_000_000, 5_000_000)]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Wajib diisi."),
        ({"count": "0"}, "count", str(DemandError.COUNT_POSITIVE)),
        ({"salary_min": "6000000"}, "salary_max", str(DemandError.SALARY_RANGE)),
        ({"salary_min": "-1"}, "salary_min", str(DemandError.SALARY_NEGATIVE)),
        ({"salary_max": "99999999999999999999"}, "salary_max", str(DemandError.SALARY_TOO_HIGH)),
        ({"salary_min": "5"}, "salary_min", str(DemandError.SALARY_TOO_LOW)),  # "5" for 5 juta
        ({"salary_min": "4,5"}, "salary_min", "Tulis jumlah rupiah dengan angka, misalnya 4.500.000."),
        ({"count": "100001"}, "count", "Paling banyak 100.000."),
        ({"deadline": "2000-01-01"}, "deadline", str(DemandError.DEADLINE_PAST)),
        ({"deadline": "9999-12-31"}, "deadline", str(DemandError.DEADLINE_FAR)),
        ({"kecamatan": "x"}, "kecamatan", "Pilih kecamatan dari daftar."),
    ],
)
def test_posting_a_vacancy_changes_nothing_when_a_field_is_bad(login, employer, changes, field, message):
    client = login(employer)

    response = client.post(reverse("demand:vacancy", args=[employer.company_id]), vacancy_data(**changes))

    assert response.context["form"].errors[field] == [message]
    assert Vacancy.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"count": 100_001}, DemandError.COUNT_TOO_MANY),
        ({"salary_min": -1}, DemandError.SALARY_NEGATIVE),
        ({"salary_max": 10**20}, DemandError.SALARY_TOO_HIGH),
        ({"salary_min": 6_000_000}, DemandError.SALARY_RANGE),
        ({"salary_min": 5, "salary_max": 6}, DemandError.SALARY_TOO_LOW),
    ],
)
def test_the_vacancy_service_refuses_numbers_out_of_range_whoever_calls_it(employer, changes, message):
    arguments = {
        "company": employer.company,
        "actor": employer,
        "title": "Barista",
        "theme": None,
        "count": 3,
        "kecamatan": Kecamatan.objects.get(code="36.71.01"),
        "salary_min": 4_000_000,
        "salary_max": 5_000_000,
        "deadline": NEXT_YEAR,
    }

    with pytest.raises(DemandError) as error:
        post_vacancy(**(arguments | changes))

    assert error.value.message == str(message)
    assert Vacancy.objects.count() == 0


def test_employer_gets_404_for_another_company_and_changes_nothing(login, employer):
    other = CompanyFactory()
    client = login(employer)

    for method, url in [
        ("get", reverse("demand:company", args=[other.pk])),
        ("post", reverse("demand:declare", args=[other.pk])),
        ("post", reverse("demand:vacancy", args=[other.pk])),
        ("post", reverse("demand:verify", args=[other.pk])),
        ("get", reverse("demand:unverified")),
    ]:
        assert getattr(client, method)(url).status_code == 404
    assert client.get(reverse("demand:company", args=[employer.company_id])).status_code == 200
    assert SkillDemand.objects.count() == 0
    assert Company.objects.get(pk=other.pk).verified_at is None


@pytest.mark.parametrize("persona", ["resident", "operator_blk_a", "instructor", "other_opd_supervisor"])
def test_verification_pages_are_not_found_for_other_roles(client, db, persona, request):
    company = CompanyFactory()
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("demand:unverified")).status_code == 404
    assert client.post(reverse("demand:verify", args=[company.pk])).status_code == 404
    assert Company.objects.get(pk=company.pk).verified_at is None


def test_an_agency_other_than_disnaker_reads_the_demand_for_its_own_themes_not_companies_contacts(
    login, opd_supervisor, other_opd_supervisor
):
    """An OPD supervises its own themes (SPEC §3); Disnaker verifies companies and Bappeda plans from all."""
    company = CompanyFactory(contact_name="Ibu Rahasia")
    own_theme = Theme.objects.filter(agency=other_opd_supervisor.agency).first()
    other_theme = Theme.objects.filter(agency=opd_supervisor.agency).first()
    mine = SkillDemandFactory(company=company, theme=own_theme)
    SkillDemandFactory(company=company, theme=other_theme)
    client = login(other_opd_supervisor)

    company_page = client.get(reverse("demand:company", args=[company.pk]))
    companies = client.get(reverse("admin:demand_company_change", args=[company.pk]))
    demand = client.get(reverse("admin:demand_skilldemand_changelist"))

    assert company_page.status_code == 404
    assert companies.status_code in (302, 403)
    assert list(demand.context["cl"].result_list) == [mine]
    assert "Ibu Rahasia" not in demand.content.decode()
    assert login(opd_supervisor).get(reverse("demand:company", args=[company.pk])).status_code == 200


def test_anonymous_visitor_is_sent_to_sign_in_for_company_pages(client, db):
    company = CompanyFactory()
    for url in [
        reverse("demand:company", args=[company.pk]),
        reverse("demand:unverified"),
        reverse("demand:imports"),
    ]:
        response = client.get(url)

        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:login')}?next={url}"


def test_disnaker_verifies_a_company_and_its_demand_starts_counting(login, opd_supervisor):
    demand = SkillDemandFactory()
    client = login(opd_supervisor)
    assert list(SkillDemand.objects.counting()) == []
    listing = client.get(reverse("demand:unverified"))

    response = client.post(reverse("demand:verify", args=[demand.company_id]), follow=True)

    company = Company.objects.get(pk=demand.company_id)
    assert list(listing.context["page"]) == [company]
    assert company.verified_by == opd_supervisor
    assert list(SkillDemand.objects.counting()) == [demand]
    assert [str(m) for m in response.context["messages"]] == [
        f"{company.name} terverifikasi; kebutuhannya kini dihitung dalam perencanaan."
    ]
    assert AuditEvent.objects.filter(action="company.verified", target_id=str(company.pk)).count() == 1


def test_disnaker_declines_a_company_with_a_reason_it_reads_and_a_correction_puts_it_back_on_the_list(
    login, opd_supervisor, employer
):
    company = employer.company
    client = login(opd_supervisor)

    empty = client.post(reverse("demand:decline", args=[company.pk]), {"reason": "  "}, follow=True)
    declined = client.post(
        reverse("demand:decline", args=[company.pk]), {"reason": "NIB tidak ditemukan di OSS"}, follow=True
    )
    listing_after = client.get(reverse("demand:unverified"))
    own_page = login(employer).get(reverse("accounts:start")).content.decode()
    corrected = {
        "name": company.name,
        "nib": "9120001234567",  # the NIB was mistyped at sign-up: an unverified company corrects it itself
        "sector": company.sector,
        "kecamatan": str(company.kecamatan_id),
        "address": "Jl. Industri 2",
        "contact_name": company.contact_name,
        "contact_phone": company.contact_phone,
        "contact_email": company.contact_email,
    }
    login(employer).post(reverse("demand:company-edit", args=[company.pk]), corrected)
    listing_corrected = login(opd_supervisor).get(reverse("demand:unverified"))

    assert [str(m) for m in empty.context["messages"]] == [str(DemandError.DECLINE_REASON_REQUIRED)]
    assert str(declined.context["messages"]._loaded_messages[-1]).startswith(
        f"Verifikasi {company.name} ditolak"
    )
    assert list(listing_after.context["page"]) == []
    assert "NIB tidak ditemukan di OSS" in own_page
    assert "Verifikasi ditolak Disnaker" in own_page
    assert list(listing_corrected.context["page"]) == [Company.objects.get(pk=company.pk)]
    company.refresh_from_db()
    assert (company.declined_at, company.decline_reason, company.verified_at) == (None, "", None)
    assert company.nib == "9120001234567"
    assert AuditEvent.objects.filter(action="company.declined", target_id=str(company.pk)).count() == 1


def test_a_declined_company_saved_unchanged_is_back_on_the_list_and_a_verified_one_keeps_its_nib(
    login, opd_supervisor, employer
):
    from latihkerja.demand.services import decline_company, verify_company

    company = employer.company
    decline_company(company=company, actor=opd_supervisor, reason="Kontak tidak menjawab")
    client = login(employer)
    form = client.get(reverse("demand:company-edit", args=[company.pk])).context["form"]
    unchanged = {name: form.initial.get(name) or "" for name in form.fields}
    unchanged["kecamatan"] = str(company.kecamatan_id)

    client.post(reverse("demand:company-edit", args=[company.pk]), unchanged)
    company.refresh_from_db()
    assert company.declined_at is None

    verify_company(company=company, actor=opd_supervisor)
    verified_form = client.get(reverse("demand:company-edit", args=[company.pk])).context["form"]
    client.post(reverse("demand:company-edit", args=[company.pk]), unchanged | {"nib": "9120001234567"})
    company.refresh_from_db()

    assert "nib" not in verified_form.fields
    assert company.nib != "9120001234567"


def test_a_company_declined_or_verified_cannot_be_declined_again(opd_supervisor, bappeda_admin):
    company = CompanyFactory()
    decline_company(company=company, actor=opd_supervisor, reason="Kontak tidak menjawab")

    with pytest.raises(DemandError) as again:
        decline_company(company=company, actor=bappeda_admin, reason="Lain")
    verify_company(company=company, actor=bappeda_admin)  # a mistake corrected: verifying clears the refusal

    assert again.value.template is DemandError.NOT_WAITING
    company.refresh_from_db()
    assert (company.declined_at, company.verified_by) == (None, bappeda_admin)


def test_verifying_twice_is_refused_and_keeps_the_first_verifier(bappeda_admin, opd_supervisor):
    company = CompanyFactory()
    verify_company(company=company, actor=opd_supervisor)

    with pytest.raises(DemandError) as caught:
        verify_company(company=company, actor=bappeda_admin)

    assert caught.value.template is DemandError.ALREADY_VERIFIED
    assert Company.objects.get(pk=company.pk).verified_by == opd_supervisor


def test_other_agency_cannot_verify(other_opd_supervisor):
    company = CompanyFactory()

    with pytest.raises(DemandError) as caught:
        verify_company(company=company, actor=other_opd_supervisor)

    assert caught.value.template is DemandError.NOT_ALLOWED_VERIFY
    assert Company.objects.get(pk=company.pk).verified_at is None


# --- Import -------------------------------------------------------------------------------------------------

HEADER = "nib,tema,kode_jabatan,jumlah,paling_lambat,kecamatan,persyaratan\n"


def upload(text, name="kebutuhan.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_import_rejects_bad_rows_with_reasons_and_writes_nothing(
    bappeda_admin, django_capture_on_commit_callbacks
):
    company = CompanyFactory(nib="1111111111111")
    future = NEXT_YEAR.strftime("%d/%m/%Y")
    text = HEADER + (
        f"1111111111111,BARISTA,,10,{future},Tangerang,SMA\n"
        f"123,BARISTA,,10,{future},Tangerang,\n"
        f"2222222222222,,,0,kemarin,Atlantis,\n"
        f"1111111111111,TIDAK_ADA,12a,5,01/01/2000,36.71.01,\n"
        f"1111111111111,BARISTA,,100001,{future},36.71.01,\n"
        f"1111111111111,BARISTA,7212,5,{future},36.71.01,\n"
        f"1111111111111,BARISTA,,5,31/02/2030,36.71.01,\n"
        f"1111111111111,,0000,5,{future},36.71.01,\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        demand_import = create_import(uploaded_by=bappeda_admin, upload=upload(text))
    demand_import.refresh_from_db()

    assert demand_import.status == "invalid"
    assert [(p["row"], p["column"], p["message"]) for p in demand_import.errors] == [
        (3, "nib", "NIB harus 13 angka."),
        (4, "nib", "Tidak ada perusahaan terdaftar dengan NIB ini. Perusahaan mendaftar dulu di LatihKerja."),
        (4, "tema", "Isi tema atau kode_jabatan (salah satu)."),
        (4, "jumlah", "Jumlah harus angka bulat lebih dari 0."),
        (
            4,
            "paling_lambat",
            f"Tulis tanggal sebagai DD/MM/YYYY atau YYYY-MM-DD, misalnya 31/12/{timezone.localdate().year + 1}.",
        ),
        (4, "kecamatan", "Kecamatan “Atlantis” tidak ditemukan. Tulis nama atau kode Kemendagri-nya."),
        (
            5,
            "tema",
            "Tema “TIDAK_ADA” tidak ada di katalog. Tulis kode atau nama tema seperti di katalog pelatihan.",
        ),
        (5, "kode_jabatan", "Kode jabatan ISCO-08 terdiri dari 4 angka, misalnya 5132."),
        (5, "paling_lambat", "Tanggal harus setelah hari ini."),
        (6, "jumlah", "Paling banyak 100.000 orang."),
        (
            7,
            "kode_jabatan",
            "Isi tema atau kode_jabatan, salah satu saja: kode jabatan untuk keahlian yang tidak ada temanya.",
        ),
        (8, "paling_lambat", "Tanggal “31/02/2030” tidak ada di kalender."),
        (9, "kode_jabatan", str(DemandError.OCCUPATION_UNKNOWN) % {"code": "0000"}),
    ]
    with pytest.raises(Exception):  # noqa: B017,PT011 - an invalid import is never committed
        commit_import(demand_import=demand_import, actor=bappeda_admin)
    assert SkillDemand.objects.filter(company=company).count() == 0


def test_import_commits_every_row_when_all_are_valid(
    login, bappeda_admin, django_capture_on_commit_callbacks
):
    CompanyFactory(nib="1111111111111")
    future = NEXT_YEAR.isoformat()
    text = (
        HEADER
        + f"1111111111111,BARISTA,,10,{future},Tangerang,SMA\n1111111111111,,7212,4,{future},36.71.01,\n"
    )
    client = login(bappeda_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("demand:imports"), {"file": upload(text)})
    demand_import = DemandImport.objects.get()
    client.post(reverse("demand:import-commit", args=[demand_import.pk]))
    client.post(reverse("demand:import-commit", args=[demand_import.pk]))  # idempotent

    assert response.status_code == 302
    assert DemandImport.objects.get().status == "committed"
    assert sorted(SkillDemand.objects.values_list("headcount", "occupation_code")) == [(4, "7212"), (10, "")]


@pytest.mark.parametrize(
    ("fmt", "name"), [("xlsx", "contoh-impor-kebutuhan.xlsx"), ("csv", "contoh-impor-kebutuhan.csv")]
)
def test_the_example_file_imports_as_it_is_for_the_employer_who_downloads_it(
    login, employer, django_capture_on_commit_callbacks, fmt, name
):
    client = login(employer)
    page = client.get(reverse("demand:imports")).content.decode()

    example = client.get(reverse("demand:import-example"), {"format": fmt} if fmt == "xlsx" else {})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("demand:imports"), {"file": SimpleUploadedFile(name, example.content)})
    demand_import = DemandImport.objects.get()
    client.post(reverse("demand:import-commit", args=[demand_import.pk]))

    assert reverse("demand:import-example") in page
    assert example["Content-Disposition"] == f'attachment; filename="{name}"'
    assert demand_import.errors == []
    assert sorted(
        SkillDemand.objects.filter(company=employer.company).values_list("headcount", "occupation_code")
    ) == [(5, "7212"), (10, "")]


def test_the_example_workbook_lists_every_theme_code_and_kecamatan_to_pick_from(login, bappeda_admin):
    from openpyxl import load_workbook

    from latihkerja.regions.models import Kecamatan

    example = login(bappeda_admin).get(reverse("demand:import-example"), {"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(example.content))

    assert workbook.sheetnames == ["kebutuhan", "tema", "kecamatan"]
    assert [row[0] for row in workbook["tema"].iter_rows(min_row=2, values_only=True)] == list(
        Theme.objects.order_by("code").values_list("code", flat=True)
    )
    assert workbook["kecamatan"].max_row - 1 == Kecamatan.objects.count()


@pytest.mark.parametrize("persona", ["resident", "operator_blk_a", "other_opd_supervisor"])
def test_the_example_file_is_not_found_for_who_cannot_import(client, db, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("demand:import-example")).status_code == 404


def test_employer_import_rejects_another_companys_nib(employer, django_capture_on_commit_callbacks):
    CompanyFactory(nib="3333333333333")
    text = HEADER + f"3333333333333,BARISTA,,10,{NEXT_YEAR.isoformat()},Tangerang,\n"

    with django_capture_on_commit_callbacks(execute=True):
        demand_import = create_import(uploaded_by=employer, upload=upload(text))
    demand_import.refresh_from_db()

    assert [(p["row"], p["message"]) for p in demand_import.errors] == [
        (2, "NIB ini bukan NIB perusahaan Anda.")
    ]


def test_import_refuses_a_file_with_unknown_columns(bappeda_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demand_import = create_import(uploaded_by=bappeda_admin, upload=upload("nib,warna\n1,2\n"))
    demand_import.refresh_from_db()

    assert [p["message"] for p in demand_import.errors] == [
        "Kolom tidak dikenal: warna. Kolom yang dipakai: nib, tema, kode_jabatan, jumlah, paling_lambat, "
        "kecamatan, persyaratan."
    ]


def test_an_employers_file_of_endless_blank_lines_is_refused_without_reading_them(
    employer, django_capture_on_commit_callbacks, monkeypatch
):
    """Employers sign themselves up: their upload must not keep the one worker busy (sign-in codes wait)."""
    from latihkerja.registration import imports as registration_imports

    monkeypatch.setattr(registration_imports, "MAX_LINES", 10)
    with django_capture_on_commit_callbacks(execute=True):
        demand_import = create_import(uploaded_by=employer, upload=upload("nib,tema\n" + "\n" * 50))
    demand_import.refresh_from_db()

    assert [p["message"] for p in demand_import.errors] == [
        "Berkas berisi lebih dari 10 baris, baris kosong ikut dihitung. Hapus baris kosong di bawah data, atau "
        "bagi menjadi beberapa berkas."
    ]


def test_an_employer_uploads_at_most_twenty_files_a_day_and_the_next_stores_nothing(employer):
    """Anyone may sign up as an employer; each upload is stored and read by the worker (security review)."""
    from latihkerja.demand.imports import EMPLOYER_UPLOADS_PER_DAY, DemandImportError
    from latihkerja.demand.models import DemandImport

    for _ in range(EMPLOYER_UPLOADS_PER_DAY):
        create_import(uploaded_by=employer, upload=upload("nib,warna\n1,2\n"))

    with pytest.raises(DemandImportError) as refused:
        create_import(uploaded_by=employer, upload=upload("nib,warna\n1,2\n"))

    assert refused.value.message == (
        "Anda sudah mengunggah 20 berkas dalam 24 jam terakhir. Coba lagi besok, atau hubungi Disnaker."
    )
    assert DemandImport.objects.count() == EMPLOYER_UPLOADS_PER_DAY


def test_disnaker_is_not_held_to_the_employers_daily_upload_limit(opd_supervisor):
    from latihkerja.demand.imports import EMPLOYER_UPLOADS_PER_DAY

    for _ in range(EMPLOYER_UPLOADS_PER_DAY + 1):
        create_import(uploaded_by=opd_supervisor, upload=upload("nib,warna\n1,2\n"))


def test_salary_fields_are_text_so_the_browser_keeps_the_thousands_dots(login, employer):
    # A browser's number field reads "5.000.000" as 5.
    page = login(employer).get(reverse("demand:vacancy", args=[employer.company_id])).content.decode()

    field = page[page.index('name="salary_min"') - 200 : page.index('name="salary_min"') + 200]
    assert 'type="text"' in field
    assert 'inputmode="numeric"' in field


def posted_vacancy(company):
    return Vacancy.objects.create(
        company=company,
        title="Operator forklift",
        count=2,
        kecamatan=company.kecamatan,
        salary_min=4_500_000,
        salary_max=5_000_000,
        deadline=NEXT_YEAR,
    )


def test_an_employer_withdraws_a_vacancy_from_their_start_page(login, employer):
    vacancy = posted_vacancy(employer.company)
    client = login(employer)

    page = client.get(reverse("accounts:start")).content.decode()
    url = reverse("demand:vacancy-withdraw", args=[employer.company_id, vacancy.pk])
    response = client.post(url, {"next": "start"})

    assert f'action="{url}"' in page
    assert "Tarik lowongan Operator forklift?" in page  # asked before it goes
    assert response["Location"] == reverse("accounts:start")
    assert not Vacancy.objects.exists()
    event = AuditEvent.objects.get(action="vacancy.withdrawn")
    assert event.detail["title"] == "Operator forklift"


def test_another_company_cannot_withdraw_a_vacancy(login, employer):
    from tests.factories import CompanyFactory, UserFactory

    vacancy = posted_vacancy(employer.company)
    stranger = UserFactory(role="employer", company=CompanyFactory())

    response = login(stranger).post(
        reverse("demand:vacancy-withdraw", args=[employer.company_id, vacancy.pk])
    )
    own_url = reverse("demand:vacancy-withdraw", args=[stranger.company_id, vacancy.pk])

    assert response.status_code == 404
    login(stranger).post(own_url)  # the vacancy is not under their company either
    assert Vacancy.objects.count() == 1


def test_an_employer_corrects_a_posted_vacancy_and_the_audit_keeps_what_changed(login, employer):
    vacancy = posted_vacancy(employer.company)
    Vacancy.objects.filter(pk=vacancy.pk).update(theme=Theme.objects.get(code="BARISTA"))
    client = login(employer)
    url = reverse("demand:vacancy-edit", args=[employer.company_id, vacancy.pk])

    form = client.get(url).content.decode()
    response = client.post(
        url + "?next=start",
        vacancy_data(title="Operator forklift bersertifikat", theme="", skills="", count="4", place=""),
    )

    assert 'value="Operator forklift"' in form  # the form starts from what was posted
    assert 'value="4.500.000"' in form  # the salary grouped as it is typed
    assert '<option value="BARISTA" selected>' in form
    assert f'<option value="{employer.company.kecamatan_id}" selected>' in form
    assert response["Location"] == reverse("accounts:start")
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.count, vacancy.salary_min) == (
        "Operator forklift bersertifikat",
        4,
        4_000_000,
    )
    event = AuditEvent.objects.get(action="vacancy.updated")
    assert event.detail["count"] == {"before": 2, "after": 4}
    assert event.detail["title"]["before"] == "Operator forklift"
    assert "deadline" not in event.detail  # unchanged fields are not logged


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"count": "0"}, "count", str(DemandError.COUNT_POSITIVE)),
        ({"salary_min": "6000000"}, "salary_max", str(DemandError.SALARY_RANGE)),
        ({"deadline": "2000-01-01"}, "deadline", str(DemandError.DEADLINE_PAST)),
    ],
)
def test_a_bad_correction_changes_nothing(login, employer, changes, field, message):
    vacancy = posted_vacancy(employer.company)
    url = reverse("demand:vacancy-edit", args=[employer.company_id, vacancy.pk])

    response = login(employer).post(url, vacancy_data(**changes))

    assert response.context["form"].errors[field] == [message]
    assert Vacancy.objects.get(pk=vacancy.pk).title == "Operator forklift"
    assert not AuditEvent.objects.filter(action="vacancy.updated").exists()


def test_another_company_cannot_edit_a_vacancy(login, employer):
    from tests.factories import CompanyFactory, UserFactory

    vacancy = posted_vacancy(employer.company)
    stranger = UserFactory(role="employer", company=CompanyFactory())
    client = login(stranger)

    url = reverse("demand:vacancy-edit", args=[employer.company_id, vacancy.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, vacancy_data(title="Diambil alih")).status_code == 404
    # Under their own company the vacancy is not found either: they are sent back to their page.
    client.post(
        reverse("demand:vacancy-edit", args=[stranger.company_id, vacancy.pk]), vacancy_data(title="X")
    )
    assert Vacancy.objects.get(pk=vacancy.pk).title == "Operator forklift"


def test_the_vacancy_service_refuses_a_correction_out_of_range_whoever_calls_it(employer):
    vacancy = posted_vacancy(employer.company)

    with pytest.raises(DemandError) as error:
        update_vacancy(vacancy=vacancy, actor=employer, salary_min=6_000_000)

    assert error.value.message == str(DemandError.SALARY_RANGE)
    assert Vacancy.objects.get(pk=vacancy.pk).salary_min == 4_500_000


def test_an_employer_withdraws_a_declared_need_and_it_no_longer_counts(login, employer):
    demand = SkillDemandFactory(company=employer.company, headcount=40)
    kept = SkillDemandFactory(company=employer.company, headcount=7)
    client = login(employer)
    url = reverse("demand:demand-withdraw", args=[employer.company_id, demand.pk])

    page = client.get(reverse("accounts:start")).content.decode()
    response = client.post(url, {"next": "start"})

    assert f'action="{url}"' in page
    assert "Tarik kebutuhan 40 orang" in page  # asked before it goes
    assert response["Location"] == reverse("accounts:start")
    assert list(SkillDemand.objects.values_list("pk", flat=True)) == [kept.pk]
    event = AuditEvent.objects.get(action="demand.withdrawn")
    assert event.detail["headcount"] == 40


def test_another_company_cannot_withdraw_a_need(login, employer):
    from tests.factories import UserFactory

    demand = SkillDemandFactory(company=employer.company)
    stranger = UserFactory(role="employer", company=CompanyFactory())
    client = login(stranger)

    assert (
        client.post(reverse("demand:demand-withdraw", args=[employer.company_id, demand.pk])).status_code
        == 404
    )
    client.post(reverse("demand:demand-withdraw", args=[stranger.company_id, demand.pk]))  # not under theirs
    assert SkillDemand.objects.filter(pk=demand.pk).exists()


def test_withdrawing_a_vacancy_already_withdrawn_says_so_instead_of_a_dead_end(login, employer):
    vacancy = posted_vacancy(employer.company)
    client = login(employer)
    url = reverse("demand:vacancy-withdraw", args=[employer.company_id, vacancy.pk])
    client.post(url, {"next": "start"}, follow=True)

    again = client.post(url, {"next": "start"}, follow=True)  # the same button in a second tab

    assert again.redirect_chain[-1][0] == reverse("accounts:start")
    assert [str(m) for m in again.context["messages"]] == ["Lowongan ini sudah ditarik."]
    assert AuditEvent.objects.filter(action="vacancy.withdrawn").count() == 1


@pytest.mark.parametrize("typed", ["4.500.000,00", "Rp 4.500.000,-", "4,500,000.00", "4500000,00"])
def test_a_salary_with_cents_or_a_dash_is_read_as_rupiah(login, employer, typed):
    login(employer).post(
        reverse("demand:vacancy", args=[employer.company_id]),
        vacancy_data(salary_min=typed, salary_max=typed),
    )

    assert list(Vacancy.objects.values_list("salary_min", "salary_max")) == [(4_500_000, 4_500_000)]


def test_a_vacancy_may_state_a_minimum_salary_alone(login, employer):
    client = login(employer)

    client.post(
        reverse("demand:vacancy", args=[employer.company_id]),
        vacancy_data(salary_min="4.500.000", salary_max="0"),
    )
    page = client.get(reverse("accounts:start")).content.decode()

    assert list(Vacancy.objects.values_list("salary_min", "salary_max")) == [(4_500_000, 0)]
    assert "mulai 4.500.000" in page


def test_a_salary_not_stated_is_said_so_instead_of_0_0(login, employer):
    vacancy = posted_vacancy(employer.company)
    Vacancy.objects.filter(pk=vacancy.pk).update(salary_min=0, salary_max=0)

    page = login(employer).get(reverse("accounts:start")).content.decode()

    assert "tidak disebutkan" in page
    assert "0–0" not in page


def test_the_error_report_opens_in_excel_and_has_no_empty_name_column(
    login, employer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demand_import = create_import(
            uploaded_by=employer, upload=upload(f"nib,warna\n{employer.company.nib},2\n")
        )
    client = login(employer)

    report = client.get(reverse("demand:import-errors", args=[demand_import.pk])).content.decode("utf-8")
    page = client.get(reverse("demand:import", args=[demand_import.pk])).content.decode()

    assert report.startswith("\ufeffbaris,kolom,nilai,pesan\r\n")
    assert 'data-label="Kesalahan"' in page  # read as cards on a phone, the message included


def test_import_reads_a_theme_by_its_name_and_a_headcount_written_with_a_thousands_dot(
    bappeda_admin, django_capture_on_commit_callbacks
):
    CompanyFactory(nib="1111111111111")
    future = NEXT_YEAR.strftime("%d/%m/%Y")
    text = HEADER + (
        f"1111111111111,  barista ,,1.000,{future},Tangerang,\n"
        f"1111111111111,Photography,,12,{future},Tangerang,\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        demand_import = create_import(uploaded_by=bappeda_admin, upload=upload(text))
    demand_import.refresh_from_db()
    commit_import(demand_import=demand_import, actor=bappeda_admin)

    assert demand_import.errors == []
    assert sorted(SkillDemand.objects.values_list("theme__code", "headcount")) == [
        ("BARISTA", 1000),
        ("FOTOGRAFI", 12),
    ]


def test_declaring_the_same_need_twice_is_refused_and_stored_once(login, employer):
    client = login(employer)
    url = reverse("demand:declare", args=[employer.company_id])

    client.post(url, declare_data())
    again = client.post(url, declare_data())
    other_count = client.post(url, declare_data(headcount="15"))

    assert str(DemandError.DUPLICATE) in again.content.decode()
    assert other_count.status_code == 302
    assert sorted(SkillDemand.objects.values_list("headcount", flat=True)) == [12, 15]


def test_import_reports_a_need_repeated_in_the_file_or_already_stored(
    bappeda_admin, django_capture_on_commit_callbacks
):
    company = CompanyFactory(nib="1111111111111")
    SkillDemandFactory(
        company=company,
        theme=Theme.objects.get(code="LAS_SMAW"),
        headcount=5,
        needed_by=NEXT_YEAR,
        kecamatan=Kecamatan.objects.get(code="36.71.01"),
    )
    future = NEXT_YEAR.strftime("%d/%m/%Y")
    text = HEADER + (
        f"1111111111111,BARISTA,,10,{future},Tangerang,\n"
        f"1111111111111,BARISTA,,10,{future},Tangerang,\n"
        f"1111111111111,LAS_SMAW,,5,{future},36.71.01,\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        demand_import = create_import(uploaded_by=bappeda_admin, upload=upload(text))
    demand_import.refresh_from_db()

    assert [(p["row"], p["message"]) for p in demand_import.errors] == [
        (3, "Baris ini sama dengan baris 2."),
        (4, "Kebutuhan yang sama (tema, jumlah, tanggal dan kecamatan) sudah tercatat untuk perusahaan ini."),
    ]


def test_an_employer_keeps_the_company_contacts_current_and_the_audit_names_the_fields(login, employer):
    client = login(employer)
    url = reverse("demand:company-edit", args=[employer.company_id])
    company = employer.company
    data = {
        "name": company.name,
        "nib": company.nib,
        "sector": "Kuliner",
        "kecamatan": str(company.kecamatan_id),
        "address": "Jl. Baru 1",
        "contact_name": "Rina HRD",
        "contact_phone": company.contact_phone,
        "contact_email": "rina@example.org",
    }

    form = client.get(url).content.decode()
    response = client.post(url, data)

    assert f'value="{company.contact_name}"' in form
    assert response["Location"] == reverse("accounts:start")
    company.refresh_from_db()
    assert (company.sector, company.contact_name, company.contact_email) == (
        "Kuliner",
        "Rina HRD",
        "rina@example.org",
    )
    event = AuditEvent.objects.get(action="company.updated")
    assert set(event.detail["fields"]) == {"sector", "address", "contact_name", "contact_email"}
    assert "rina@example.org" not in str(event.detail)


def test_a_bad_contact_is_refused_beside_its_field_and_another_company_is_a_404(login, employer):
    stranger = UserFactory(role="employer", company=CompanyFactory())
    url = reverse("demand:company-edit", args=[employer.company_id])
    data = {
        "name": employer.company.name,
        "nib": employer.company.nib,
        "sector": "Kuliner",
        "kecamatan": str(employer.company.kecamatan_id),
        "contact_name": "Rina",
        "contact_phone": "abc",
        "contact_email": "bukan-email",
    }

    response = login(employer).post(url, data)
    foreign = login(stranger).post(url, data | {"contact_phone": "081234567890", "contact_email": "a@b.id"})

    assert set(response.context["form"].errors) == {"contact_phone", "contact_email"}
    assert foreign.status_code == 404
    assert Company.objects.get(pk=employer.company_id).contact_name != "Rina"


def test_editing_a_vacancy_withdrawn_meanwhile_says_so_instead_of_a_404(login, employer):
    vacancy = posted_vacancy(employer.company)
    url = reverse("demand:vacancy-edit", args=[employer.company_id, vacancy.pk])
    withdraw_vacancy(vacancy=vacancy, actor=employer)  # from another tab

    response = login(employer).post(url, vacancy_data(), follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:start")
    assert [str(m) for m in response.context["messages"]] == ["Lowongan ini sudah ditarik."]
    assert not Vacancy.objects.exists()


@pytest.mark.parametrize("theme_code", ["BARISTA", None])
def test_the_database_refuses_a_need_stored_twice_with_or_without_a_theme(db, reference_data, theme_code):
    theme = Theme.objects.get(code=theme_code) if theme_code else None
    need = {"theme": theme, "occupation_code": "5132", "headcount": 8, "needed_by": NEXT_YEAR}
    first = SkillDemandFactory(**need)
    SkillDemandFactory(company=first.company, **need | {"headcount": 9})  # another count is another need

    with pytest.raises(IntegrityError), transaction.atomic():
        SkillDemandFactory(company=first.company, **need)

    assert SkillDemand.objects.filter(company=first.company).count() == 2


def test_an_import_meeting_the_same_need_declared_meanwhile_reports_its_row_and_writes_nothing(
    bappeda_admin, monkeypatch, django_capture_on_commit_callbacks
):
    from latihkerja.demand import imports

    company = CompanyFactory(nib="1111111111111")
    barista = Theme.objects.get(code="BARISTA")
    text = HEADER + (
        f"1111111111111,LAS_SMAW,,4,{NEXT_YEAR.isoformat()},Tangerang,\n"
        f"1111111111111,BARISTA,,10,{NEXT_YEAR.isoformat()},Tangerang,\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        demand_import = create_import(uploaded_by=bappeda_admin, upload=upload(text))
    demand_import.refresh_from_db()
    checked = imports.check_file
    calls = []

    def declared_between_check_and_write(*args, **kwargs):
        result = checked(*args, **kwargs)
        if not calls:  # the employer's own declaration lands right after the commit's check
            SkillDemandFactory(
                company=company,
                theme=barista,
                headcount=10,
                needed_by=NEXT_YEAR,
                kecamatan=Kecamatan.objects.get(name="Tangerang"),
            )
        calls.append(1)
        return result

    monkeypatch.setattr(imports, "check_file", declared_between_check_and_write)
    committed = commit_import(demand_import=demand_import, actor=bappeda_admin)

    assert committed.status == "failed"
    assert [(p["row"], p["message"]) for p in committed.errors] == [
        (3, "Kebutuhan yang sama (tema, jumlah, tanggal dan kecamatan) sudah tercatat untuk perusahaan ini.")
    ]
    assert list(SkillDemand.objects.filter(company=company).values_list("theme", flat=True)) == [barista.pk]


def test_another_companys_need_or_vacancy_is_a_404_not_already_withdrawn(login, employer):
    other = CompanyFactory()
    their_demand = SkillDemandFactory(company=other)
    their_vacancy = posted_vacancy(other)
    client = login(employer)

    responses = [
        client.post(reverse("demand:demand-withdraw", args=[employer.company_id, their_demand.pk])),
        client.post(reverse("demand:vacancy-withdraw", args=[employer.company_id, their_vacancy.pk])),
        client.get(reverse("demand:vacancy-edit", args=[employer.company_id, their_vacancy.pk])),
        client.get(reverse("demand:vacancy-edit", args=[employer.company_id, 999_999])),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert SkillDemand.objects.filter(pk=their_demand.pk).exists()
    assert Vacancy.objects.filter(pk=their_vacancy.pk).exists()


def test_an_import_uploaded_in_english_reports_its_rows_in_english(
    login, bappeda_admin, django_capture_on_commit_callbacks
):
    CompanyFactory(nib="1111111111111")
    future = NEXT_YEAR.strftime("%d/%m/%Y")
    client = login(bappeda_admin)
    client.cookies["django_language"] = "en"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("demand:imports"),
            {"file": upload(HEADER + f"123,BARISTA,,10,{future},Tangerang,\n")},
        )
    demand_import = DemandImport.objects.get()
    report = client.get(reverse("demand:import-errors", args=[demand_import.pk])).content.decode()

    assert demand_import.language == "en"
    assert [(p["row"], p["column"], p["message"]) for p in demand_import.errors] == [
        (2, "nib", "The NIB must have 13 digits.")
    ]
    assert report.removeprefix("\ufeff").splitlines() == [
        "row,column,value,message",
        "2,nib,123,The NIB must have 13 digits.",
    ]


def test_disnaker_sees_how_many_wait_and_finds_declined_companies_in_the_admin(login, db):
    """Declined companies were on no page, and the queue gave no count (list review)."""
    from latihkerja.accounts.enums import Role
    from tests.factories import agency

    disnaker = UserFactory(username="disnaker", role=Role.OPD, is_staff=True, agency=agency("DISNAKER"))
    waiting = [CompanyFactory(nib=f"11111111111{i:02d}") for i in range(3)]
    declined = CompanyFactory(nib="2222222222222", declined_at=timezone.now())
    verified = CompanyFactory(nib="3333333333333", verified_at=timezone.now())
    client = login(disnaker)

    queue = client.get(reverse("demand:unverified")).content.decode()
    by_state = {
        state: {
            c.pk
            for c in client.get(reverse("admin:demand_company_changelist"), {"verifikasi": state})
            .context["cl"]
            .result_list
        }
        for state in ("menunggu", "terverifikasi", "ditolak")
    }

    assert "3 perusahaan menunggu." in queue
    assert by_state == {
        "menunggu": {c.pk for c in waiting},
        "terverifikasi": {verified.pk},
        "ditolak": {declined.pk},
    }
