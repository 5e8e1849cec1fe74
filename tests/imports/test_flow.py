"""A valid .csv and a valid .xlsx go from upload through the preview to the commit, through the pages."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from latihkerja.audit.models import AuditEvent
from latihkerja.engine.nik import Sex
from latihkerja.registration.consent import CURRENT_VERSION, consent_digest
from latihkerja.registration.enums import Source
from latihkerja.registration.errors import RegistrationError
from latihkerja.registration.imports import RegistrationImportError
from latihkerja.registration.models import (
    Application,
    ApplicationChoice,
    Consent,
    ImportStatus,
    RegistrationImport,
)
from latihkerja.residents.models import Resident
from tests.imports.conftest import HEADER, csv_bytes, nik_for, person_birth, row, xlsx_bytes

pytestmark = pytest.mark.integration

REFRESH = 'data-refresh="2"'  # the page follows the work (app.js; a <noscript> refresh without it)


def upload(client, name, content, period="2020-10"):
    return client.post(
        reverse("imports:index"), {"period": period, "file": SimpleUploadedFile(name, content)}
    )


def choices_of(resident):
    application = Application.objects.get(resident=resident)
    return list(application.choices.order_by("rank").values_list("rank", "batch__code"))


def test_valid_csv_is_previewed_then_committed_when_every_row_is_valid(
    login, operator_blk_a, batches, open_period, django_capture_on_commit_callbacks
):
    client = login(operator_blk_a)
    content = csv_bytes(
        [
            row(0, email="a@contoh.id"),
            row(1, pilihan_1="a-3", pilihan_2="a-1", pilihan_3="a-2", disabilitas="ya"),
            row(2, pilihan_2=""),
        ]
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "pendaftar.csv", content)
    registration_import = RegistrationImport.objects.get()
    preview = client.get(reverse("imports:detail", args=[registration_import.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", args=[registration_import.pk]))
    committed = client.get(reverse("imports:detail", args=[registration_import.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("imports:detail", args=[registration_import.pk])
    assert preview.context["imp"].status == ImportStatus.VALID
    assert preview.context["can_commit"] is True
    assert "Simpan semua" in preview.content.decode()
    assert REFRESH not in preview.content.decode()
    shown = preview.content.decode()[preview.content.decode().index('id="preview"') :]
    assert "Warga Impor B" in shown  # the rows as they will be saved, to compare with the paper forms
    assert re.findall(r"<li>([^<]*)\((a-[123])\)</li>", shown[shown.index("Warga Impor B") :])[:3] == [
        ("Barista · BLK Kelurahan Sukarasa ", "a-3"),  # each class as the paper form names it, in rank order
        ("Barista · BLK Kelurahan Sukarasa ", "a-1"),
        ("Barista · BLK Kelurahan Sukarasa ", "a-2"),
    ]
    assert nik_for(1) not in shown  # the NIK masked
    assert nik_for(1)[:6] + "••••••" + nik_for(1)[12:] in shown
    registration_import.refresh_from_db()
    assert registration_import.status == ImportStatus.COMMITTED
    assert (
        registration_import.row_count,
        registration_import.valid_count,
        registration_import.error_count,
    ) == (3, 3, 0)
    assert registration_import.progress == 100
    assert registration_import.center == operator_blk_a.center
    assert registration_import.file.name == ""  # the NIKs in clear are gone with the file
    assert registration_import.preview == []  # and the rows shown before saving
    assert "3 pendaftaran tersimpan" in committed.content.decode()
    residents = list(Resident.objects.order_by("birth_date"))
    assert [(r.nik, r.full_name, r.user, r.phone, r.email, r.has_disability) for r in residents] == [
        (nik_for(0), "Warga Impor A", None, "+6281200000000", "a@contoh.id", False),
        (nik_for(1), "Warga Impor B", None, "+6281200000001", "", True),
        (nik_for(2), "Warga Impor C", None, "+6281200000002", "", False),
    ]
    assert [choices_of(r) for r in residents] == [
        [(1, "a-1"), (2, "a-2")],
        [(1, "a-3"), (2, "a-1"), (3, "a-2")],
        [(1, "a-1")],
    ]
    assert (
        list(Application.objects.values_list("period", "source", "submitted_by", "status"))
        == [(open_period.pk, Source.IMPORT, operator_blk_a.pk, "submitted")] * 3
    )
    assert (
        list(Consent.objects.values_list("source", "assisted_by", "version", "text_digest"))
        == [(Source.IMPORT, operator_blk_a.pk, CURRENT_VERSION, consent_digest(CURRENT_VERSION))] * 3
    )
    assert list(
        AuditEvent.objects.about(registration_import).order_by("pk").values_list("action", "actor")
    ) == [
        ("registration_import.uploaded", operator_blk_a.pk),
        ("registration_import.viewed", operator_blk_a.pk),  # the preview shows names and phones
        ("registration_import.committed", operator_blk_a.pk),
    ]


def test_valid_xlsx_with_excel_dates_and_numbers_is_committed_when_every_row_is_valid(
    login, operator_blk_a, batches, django_capture_on_commit_callbacks
):
    client = login(operator_blk_a)
    woman = nik_for(5, sex=Sex.FEMALE)
    content = xlsx_bytes(
        [
            [column.upper() for column in HEADER if column != "minat"],  # a file of before the column
            # A real Excel date; the phone typed as a number (Excel dropped its leading zero); a boolean.
            [
                nik_for(4),
                "3671010101200004",
                "Ahmad Yani",
                "L",
                dt.datetime(1990, 1, 5),
                "Sukarasa",
                "Jl. Satu",
                81234567890,
                None,
                "s1",
                "menganggur",
                False,
                "a-2",
                None,
                None,
                "ya",
            ],
            [
                woman,
                3671010101200005,
                "Dewi Sartika",
                "P",
                person_birth(5).strftime("%d/%m/%Y"),
                "36.71.01.1002",
                "Jl. Dua",
                "0813-1111-2222",
                "dewi@contoh.id",
                "diploma",
                "usaha",
                "tidak",
                "a-1",
                "a-3",
                None,
                "Ya",
            ],
            [None] * 16,  # a blank row left at the end of the sheet
        ]
    )

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "Pendaftar BLK.xlsx", content)
    registration_import = RegistrationImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", args=[registration_import.pk]))

    registration_import.refresh_from_db()
    assert registration_import.errors == []
    assert registration_import.status == ImportStatus.COMMITTED
    assert registration_import.row_count == 2
    residents = list(Resident.objects.order_by("full_name"))
    assert [(r.nik, r.sex, r.birth_date, r.kelurahan.name, r.phone, r.education) for r in residents] == [
        (nik_for(4), "L", dt.date(1990, 1, 5), "Sukarasa", "+6281234567890", "s1"),
        (woman, "P", person_birth(5), "Sukaasih", "+6281311112222", "diploma"),
    ]
    assert [choices_of(r) for r in residents] == [[(1, "a-2")], [(1, "a-1"), (2, "a-3")]]
    assert ApplicationChoice.objects.count() == 3


def test_preview_refreshes_itself_with_progress_when_validation_has_not_finished(
    login, operator_blk_a, batches
):
    client = login(operator_blk_a)

    upload(
        client, "pendaftar.csv", csv_bytes([row(0)])
    )  # on_commit callbacks not run: the task is still queued
    registration_import = RegistrationImport.objects.get()
    response = client.get(reverse("imports:detail", args=[registration_import.pk]))

    assert registration_import.status == ImportStatus.UPLOADED
    assert REFRESH in response.content.decode()
    assert "Berkas sedang diperiksa." in response.content.decode()
    assert response.context["can_commit"] is False


def test_preview_lists_errors_without_commit_button_when_rows_are_invalid(
    login, operator_blk_a, batches, django_capture_on_commit_callbacks
):
    client = login(operator_blk_a)

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "pendaftar.csv", csv_bytes([row(0), row(1, no_hp="123")]))
    registration_import = RegistrationImport.objects.get()
    response = client.get(reverse("imports:detail", args=[registration_import.pk]))
    page = response.content.decode()

    assert registration_import.status == ImportStatus.INVALID
    assert response.context["can_commit"] is False
    assert "Simpan semua" not in page
    assert [(p["row"], p["column"]) for p in response.context["page"]] == [(3, "no_hp")]
    assert str(RegistrationImportError.PHONE_FORMAT) in page
    assert registration_import.file.name == ""


def test_commit_is_refused_and_nothing_stored_when_the_import_has_errors(
    login, operator_blk_a, batches, django_capture_on_commit_callbacks
):
    client = login(operator_blk_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "pendaftar.csv", csv_bytes([row(0), row(1, no_hp="123")]))
    registration_import = RegistrationImport.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:commit", args=[registration_import.pk]), follow=True)

    assert [str(m) for m in response.context["messages"]] == [str(RegistrationImportError.NOT_READY)]
    registration_import.refresh_from_db()
    assert registration_import.status == ImportStatus.INVALID
    assert (Resident.objects.count(), Application.objects.count()) == (0, 0)


def test_second_commit_changes_nothing_when_the_button_is_pressed_twice(
    login, operator_blk_a, batches, django_capture_on_commit_callbacks
):
    client = login(operator_blk_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "pendaftar.csv", csv_bytes([row(0), row(1)]))
    registration_import = RegistrationImport.objects.get()
    url = reverse("imports:commit", args=[registration_import.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    assert [str(m) for m in response.context["messages"]] == [str(RegistrationImportError.NOT_READY)]
    assert (Resident.objects.count(), Application.objects.count(), ApplicationChoice.objects.count()) == (
        2,
        2,
        4,
    )


def test_commit_is_refused_when_the_registration_window_has_closed_since_validation(
    login, operator_blk_a, batches, open_period, django_capture_on_commit_callbacks
):
    client = login(operator_blk_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "pendaftar.csv", csv_bytes([row(0)]))
    registration_import = RegistrationImport.objects.get()
    open_period.registration_closes_at = open_period.registration_opens_at + dt.timedelta(hours=1)
    open_period.save()

    preview = client.get(reverse("imports:detail", args=[registration_import.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:commit", args=[registration_import.pk]), follow=True)

    assert preview.context["can_commit"] is False
    assert "Pendaftaran periode ini sudah ditutup" in preview.content.decode()
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert messages[0].startswith(str(RegistrationError.WINDOW_CLOSED).split("%")[0])
    registration_import.refresh_from_db()
    assert registration_import.status == ImportStatus.VALID
    assert Resident.objects.count() == 0


def test_a_checked_import_is_discarded_and_nothing_is_saved_when_the_operator_drops_it(
    login, operator_blk_a, batches, django_capture_on_commit_callbacks
):
    client = login(operator_blk_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "pendaftar.csv", csv_bytes([row(0), row(1)]))
    registration_import = RegistrationImport.objects.get()
    stored = registration_import.file.path
    preview = client.get(reverse("imports:detail", args=[registration_import.pk]))

    response = client.post(reverse("imports:discard", args=[registration_import.pk]), follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        commit = client.post(reverse("imports:commit", args=[registration_import.pk]), follow=True)

    assert "Buang impor ini" in preview.content.decode()
    assert [str(m) for m in response.context["messages"]] == [
        "Impor dibuang. Tidak ada yang disimpan, dan berkasnya sudah dihapus."
    ]
    assert "Buang impor ini" not in response.content.decode()
    assert "Simpan semua" not in response.content.decode()
    registration_import.refresh_from_db()
    assert registration_import.status == ImportStatus.DISCARDED
    assert registration_import.get_status_display() in response.content.decode()
    assert registration_import.file.name == ""
    assert registration_import.preview == []  # the rows shown before are gone with the file
    assert not Path(stored).exists()
    assert [str(m) for m in commit.context["messages"]] == [str(RegistrationImportError.NOT_READY)]
    assert (Resident.objects.count(), Application.objects.count()) == (0, 0)
    assert AuditEvent.objects.filter(
        action="registration_import.discarded", actor=operator_blk_a, target_id=str(registration_import.pk)
    ).exists()


def test_an_import_is_discarded_only_before_it_is_saved_and_only_by_its_own_centre(
    login, operator_blk_a, operator_blk_b, batches, django_capture_on_commit_callbacks
):
    client = login(operator_blk_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "pendaftar.csv", csv_bytes([row(0)]))
    registration_import = RegistrationImport.objects.get()
    url = reverse("imports:discard", args=[registration_import.pk])

    elsewhere = login(operator_blk_b).post(url)
    client = login(operator_blk_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", args=[registration_import.pk]), follow=True)
    after_saving = client.post(url, follow=True)

    assert elsewhere.status_code == 404
    assert [str(m) for m in after_saving.context["messages"]] == [
        str(RegistrationImportError.NOT_DISCARDABLE)
    ]
    registration_import.refresh_from_db()
    assert registration_import.status == ImportStatus.COMMITTED
    assert Resident.objects.count() == 1


def test_the_import_list_shows_one_status_at_a_time_with_counts(login, operator_blk_a, batches, run_import):
    """'Which imports failed?' meant paging through every import (list review)."""
    good = run_import(operator_blk_a, csv_bytes([row(0)]))
    bad = run_import(operator_blk_a, csv_bytes([row(1, no_hp="12")]))
    client = login(operator_blk_a)

    everything = client.get(reverse("imports:index"))
    failing = client.get(reverse("imports:index"), {"status": "invalid"})
    unknown = client.get(reverse("imports:index"), {"status": "<x>"})

    assert [i.pk for i in everything.context["page"]] == [bad.pk, good.pk]
    assert [i.pk for i in failing.context["page"]] == [bad.pk]
    assert [i.pk for i in unknown.context["page"]] == [bad.pk, good.pk]  # an unknown status filters nothing
    assert "Ada kesalahan (1)" in everything.content.decode()
    assert "Siap disimpan (1)" in everything.content.decode()
