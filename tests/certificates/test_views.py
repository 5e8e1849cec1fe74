"""Pages: public verification (only public fields, revoked, unknown, normalised, rate-limited), the resident's
own certificates, the download permission matrix, staff batch pages (issue, export), revocation, the API."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from latihkerja.audit.models import AuditEvent
from latihkerja.certificates import throttle
from latihkerja.certificates.enums import CertificateStatus
from latihkerja.certificates.errors import CertificateError
from latihkerja.certificates.models import Certificate
from latihkerja.certificates.services import generate_pdfs, revoke
from tests.factories import ResidentFactory
from tests.factories.certificates import CertificateFactory, OutcomeFactory, completed_batch

pytestmark = pytest.mark.integration


@pytest.fixture
def owned(resident):
    """The `resident` persona's certificate (Barista at Sukarasa, Disnaker), its PDF rendered."""
    holder = ResidentFactory(
        user=resident,
        full_name="Siti Aminah",
        phone="081298765432",
        address="Jl. Merpati Rahasia No. 7",
        email="siti@contoh.id",
    )
    certificate = CertificateFactory(outcome__enrollment__resident=holder)
    generate_pdfs(batch_id=certificate.batch_id)
    certificate.refresh_from_db()
    return certificate


def verify_url(number):
    return reverse("certificates:verify", args=[number])


# --- Public verification -------------------------------------------------------------------------------


def test_verify_page_shows_only_name_theme_dates_and_status_when_number_is_valid(client, owned):
    response = client.get(verify_url(owned.number))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Siti Aminah" in html
    assert "Barista" in html
    assert "5 Oktober 2020 – 16 Oktober 2020" in html
    assert "SAH" in html
    resident = owned.resident
    for secret in [
        resident.nik,
        resident.masked_nik,
        "081298765432",
        "Jl. Merpati Rahasia",
        "siti@contoh.id",
        owned.center_name,
    ]:
        assert secret not in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-cache" in response["Cache-Control"]


def test_verify_page_says_revoked_with_the_date_when_certificate_was_revoked(client, owned, bappeda_admin):
    revoke(certificate=owned, actor=bappeda_admin, reason="Data kehadiran dipalsukan")

    response = client.get(verify_url(owned.number))

    html = response.content.decode()
    assert response.status_code == 200
    assert "DICABUT" in html
    assert "SAH</strong>" not in html
    assert owned.revoked_at.strftime("%Y") in html
    assert "dipalsukan" not in html  # the reason is internal


def test_verify_page_answers_404_with_a_clear_message_when_number_is_unknown(client, db):
    response = client.get(verify_url("LK-0000-0000-0000"))

    assert response.status_code == 404
    assert response.context["message"] is CertificateError.NOT_FOUND
    assert str(CertificateError.NOT_FOUND) in response.content.decode()
    assert 'value="LK-0000-0000-0000"' in response.content.decode()  # kept in the field to mend a typo


def test_verify_page_answers_404_with_the_format_when_number_is_malformed(client, db):
    response = client.get(verify_url("bukan-nomor"))

    assert response.status_code == 404
    assert response.context["message"] is CertificateError.NUMBER_INVALID


def test_verify_page_redirects_to_the_canonical_number_when_typed_loosely(client, owned):
    loose = owned.number.lower().replace("-", "")

    response = client.get(verify_url(loose))

    assert response.status_code == 302
    assert response["Location"] == verify_url(owned.number)


def test_verify_form_goes_to_the_certificate_when_number_is_entered(client, owned):
    response = client.get(reverse("certificates:verify-form"), {"nomor": " " + owned.number.lower() + " "})

    assert response.status_code == 302
    assert response["Location"] == verify_url(owned.number)


def test_verify_form_shows_the_error_when_number_is_malformed(client, db):
    response = client.get(reverse("certificates:verify-form"), {"nomor": "12345"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"nomor": [str(CertificateError.NUMBER_INVALID)]}


def test_verify_is_rate_limited_per_address_when_hammered(client, owned, monkeypatch):
    monkeypatch.setattr(throttle, "VERIFY_LIMIT_PER_MINUTE", 3)

    statuses = [client.get(verify_url(owned.number)).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_api_is_rate_limited_with_the_page_when_hammered(client, owned, monkeypatch):
    monkeypatch.setattr(throttle, "VERIFY_LIMIT_PER_MINUTE", 2)
    client.get(verify_url(owned.number))

    statuses = [client.get(f"/api/v1/certificates/{owned.number}").status_code for _ in range(2)]

    assert statuses == [200, 429]


# --- API --------------------------------------------------------------------------------------------------


def test_api_returns_the_same_public_fields_when_number_is_valid(client, owned):
    response = client.get(f"/api/v1/certificates/{owned.number.lower()}")

    assert response.status_code == 200
    assert response.json() == {
        "number": owned.number,
        "holder_name": "Siti Aminah",
        "theme": "Barista",
        "starts_on": "2020-10-05",
        "ends_on": "2020-10-16",
        "status": "issued",
        "is_valid": True,
        "revoked_on": None,
    }


def test_api_says_revoked_when_certificate_was_revoked(client, owned, bappeda_admin):
    revoke(certificate=owned, actor=bappeda_admin, reason="Salah nama")

    body = client.get(f"/api/v1/certificates/{owned.number}").json()

    assert (body["status"], body["is_valid"]) == ("revoked", False)
    owned.refresh_from_db()
    assert body["revoked_on"] == timezone.localtime(owned.revoked_at).date().isoformat()


@pytest.mark.parametrize(
    ("number", "message"),
    [("LK-0000-0000-0000", CertificateError.NOT_FOUND), ("x", CertificateError.NUMBER_INVALID)],
)
def test_api_answers_404_with_the_message_when_number_is_unknown(client, db, number, message):
    response = client.get(f"/api/v1/certificates/{number}")

    assert response.status_code == 404
    assert response.json() == {"detail": str(message)}


# --- The resident's certificates and the download -------------------------------------------------------


def test_mine_lists_the_residents_own_certificates_with_download_when_logged_in(login, resident, owned):
    CertificateFactory()  # someone else's

    response = login(resident).get(reverse("certificates:mine"))

    assert response.status_code == 200
    assert response.context["certificates"] == [owned]
    assert reverse("certificates:download", args=[owned.number]) in response.content.decode()


@pytest.mark.parametrize("persona", ["bappeda_admin", "operator_blk_a", "employer"])
def test_mine_is_404_when_user_is_not_a_resident(login, request, persona):
    assert login(request.getfixturevalue(persona)).get(reverse("certificates:mine")).status_code == 404


def test_mine_sends_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("certificates:mine"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("resident", 200),
        ("bappeda_admin", 200),
        ("opd_supervisor", 200),
        ("operator_blk_a", 200),
        ("other_resident", 404),
        ("operator_blk_b", 404),
        ("other_opd_supervisor", 404),
        ("instructor", 404),
        ("employer", 404),
    ],
)
def test_download_permission_matrix(login, request, owned, persona, status):
    response = login(request.getfixturevalue(persona)).get(
        reverse("certificates:download", args=[owned.number])
    )

    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content)[:5] == b"%PDF-"


def test_download_is_allowed_when_instructor_teaches_the_batch(login, instructor, owned):
    owned.batch.instructors.add(instructor)

    assert login(instructor).get(reverse("certificates:download", args=[owned.number])).status_code == 200


def test_download_by_staff_is_audit_logged_when_allowed(login, bappeda_admin, owned):
    login(bappeda_admin).get(reverse("certificates:download", args=[owned.number]))

    assert AuditEvent.objects.filter(action="certificate.downloaded", target_id=str(owned.pk)).count() == 1


def test_download_is_refused_with_410_when_certificate_was_revoked(login, resident, owned, bappeda_admin):
    revoke(certificate=owned, actor=bappeda_admin, reason="Salah data")

    response = login(resident).get(reverse("certificates:download", args=[owned.number]))

    assert response.status_code == 410
    assert response.context["message"] == str(CertificateError.REVOKED_NO_DOWNLOAD)


def test_download_says_not_ready_when_the_pdf_is_not_made_yet(login, resident):
    certificate = CertificateFactory(outcome__enrollment__resident=ResidentFactory(user=resident))

    response = login(resident).get(reverse("certificates:download", args=[certificate.number]))

    assert response.status_code == 409
    assert response.context["message"] == str(CertificateError.PDF_NOT_READY)


def test_download_is_404_for_anonymous_or_unknown_number(client, login, resident, owned):
    assert client.get(reverse("certificates:download", args=[owned.number])).status_code == 302
    assert (
        login(resident).get(reverse("certificates:download", args=["LK-0000-0000-0000"])).status_code == 404
    )


# --- Staff: batch pages, issue, export ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("bappeda_admin", 200),
        ("opd_supervisor", 200),
        ("operator_blk_a", 200),
        ("operator_blk_b", 404),
        ("other_opd_supervisor", 404),
        ("instructor", 404),
        ("resident", 404),
        ("employer", 404),
    ],
)
def test_batch_page_permission_matrix(login, request, owned, persona, status):
    response = login(request.getfixturevalue(persona)).get(
        reverse("certificates:batch", args=[owned.batch_id])
    )

    assert response.status_code == status


def test_batch_issue_issues_the_graduates_certificates_when_operator_of_the_centre_posts(
    login, operator_blk_a, django_capture_on_commit_callbacks
):
    batch = completed_batch()
    OutcomeFactory.create_batch(3, enrollment__batch=batch)

    with django_capture_on_commit_callbacks(execute=True):
        response = login(operator_blk_a).post(
            reverse("certificates:batch-issue", args=[batch.pk]), follow=True
        )

    assert response.status_code == 200
    assert Certificate.objects.filter(batch=batch, generated_at__isnull=False).count() == 3
    assert [str(m) for m in response.context["messages"]] == [
        "3 sertifikat diterbitkan. Berkas PDF dibuat di latar belakang."
    ]


@pytest.mark.parametrize("persona", ["operator_blk_b", "other_opd_supervisor", "instructor", "resident"])
def test_batch_issue_is_404_and_issues_nothing_when_not_in_charge(login, request, persona):
    batch = completed_batch()
    OutcomeFactory(enrollment__batch=batch)
    user = request.getfixturevalue(persona)
    if persona == "instructor":
        batch.instructors.add(user)

    response = login(user).post(reverse("certificates:batch-issue", args=[batch.pk]))

    assert response.status_code == 404
    assert Certificate.objects.count() == 0


def test_batch_export_holds_the_pdfs_and_a_register_when_downloaded(
    login, opd_supervisor, owned, bappeda_admin
):
    other = CertificateFactory(outcome__enrollment__batch=owned.batch, holder_name="Budi Santoso")
    revoke(certificate=other, actor=bappeda_admin, reason="Salah data")

    response = login(opd_supervisor).get(reverse("certificates:batch-export", args=[owned.batch_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted([f"{owned.number}.pdf", "register.csv"])
    assert archive.read(f"{owned.number}.pdf")[:5] == b"%PDF-"
    rows = list(csv.reader(io.StringIO(archive.read("register.csv").decode("utf-8-sig"))))
    assert rows[0] == [
        "nomor",
        "nama",
        "tema",
        "mulai",
        "selesai",
        "status",
        "dicabut_pada",
        "alasan_pencabutan",
        "pdf",
    ]
    assert rows[1][:6] == [other.number, "Budi Santoso", "Barista", "2020-10-05", "2020-10-16", "Dicabut"]
    assert rows[1][8] == ""
    assert rows[2] == [
        owned.number,
        "Siti Aminah",
        "Barista",
        "2020-10-05",
        "2020-10-16",
        "Sah",
        "",
        "",
        f"{owned.number}.pdf",
    ]
    assert AuditEvent.objects.filter(action="certificates.exported").count() == 1


def test_batch_export_register_does_not_run_a_name_or_a_reason_as_a_formula(login, owned, bappeda_admin):
    other = CertificateFactory(
        outcome__enrollment__batch=owned.batch, holder_name='=HYPERLINK("http://x","a")'
    )
    revoke(certificate=other, actor=bappeda_admin, reason='@SUM(1+1)*cmd|" /C calc"!A0')

    response = login(bappeda_admin).get(reverse("certificates:batch-export", args=[owned.batch_id]))

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    rows = list(csv.reader(io.StringIO(archive.read("register.csv").decode("utf-8-sig"))))
    row = next(r for r in rows if r[0] == other.number)
    assert row[1] == '\'=HYPERLINK("http://x","a")'
    assert row[7] == '\'@SUM(1+1)*cmd|" /C calc"!A0'


@pytest.mark.parametrize("persona", ["operator_blk_b", "other_opd_supervisor", "resident", "employer"])
def test_batch_export_is_404_when_out_of_scope(login, request, owned, persona):
    response = login(request.getfixturevalue(persona)).get(
        reverse("certificates:batch-export", args=[owned.batch_id])
    )

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_batch_index_lists_completed_batches_in_constant_queries(
    login, bappeda_admin, django_assert_max_num_queries, count
):
    for _ in range(count):
        CertificateFactory.create_batch(2, outcome__enrollment__batch=completed_batch())
    client = login(bappeda_admin)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("certificates:batches"))

    assert len(response.context["page"].object_list) == count
    assert [b.issued_count for b in response.context["page"].object_list] == [2] * count


@pytest.mark.parametrize("count", [1, 3])
def test_batch_page_lists_certificates_in_constant_queries(
    login, bappeda_admin, django_assert_max_num_queries, count
):
    batch = completed_batch()
    CertificateFactory.create_batch(count, outcome__enrollment__batch=batch)
    client = login(bappeda_admin)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("certificates:batch", args=[batch.pk]))

    assert response.context["page"].paginator.count == count


def test_batch_index_shows_only_batches_in_scope_when_operator(login, operator_blk_b, owned):
    response = login(operator_blk_b).get(reverse("certificates:batches"))

    assert list(response.context["page"].object_list) == []


# --- Revocation page --------------------------------------------------------------------------------------


def test_revoke_page_revokes_with_reason_when_opd_of_the_theme_posts(login, opd_supervisor, owned):
    response = login(opd_supervisor).post(
        reverse("certificates:revoke", args=[owned.number]), {"reason": "Peserta tidak pernah hadir"}
    )

    assert response.status_code == 302
    owned.refresh_from_db()
    assert (owned.status, owned.revocation_reason) == (
        CertificateStatus.REVOKED,
        "Peserta tidak pernah hadir",
    )


def test_revoke_page_requires_a_reason_and_changes_nothing_when_blank(login, bappeda_admin, owned):
    response = login(bappeda_admin).post(
        reverse("certificates:revoke", args=[owned.number]), {"reason": "   "}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": [str(CertificateError.REASON_REQUIRED)]}
    owned.refresh_from_db()
    assert owned.status == CertificateStatus.ISSUED


@pytest.mark.parametrize(
    "persona", ["operator_blk_a", "other_opd_supervisor", "resident", "other_resident", "instructor"]
)
def test_revoke_page_is_404_and_changes_nothing_when_not_allowed(login, request, owned, persona):
    response = login(request.getfixturevalue(persona)).post(
        reverse("certificates:revoke", args=[owned.number]), {"reason": "Coba"}
    )

    assert response.status_code == 404
    owned.refresh_from_db()
    assert owned.status == CertificateStatus.ISSUED
