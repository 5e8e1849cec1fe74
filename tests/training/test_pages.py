"""Delivery pages: who may see and do what (out of scope → 404), the meeting link never reaching a
non-participant, check-in from the QR link and the typed code, exports, and query-count guards."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from latihkerja.audit.models import AuditEvent
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import Batch, EnrollmentStatus
from latihkerja.notifications.models import Message
from latihkerja.training.enums import AttendanceMethod, AttendanceStatus, SessionStatus
from latihkerja.training.errors import TrainingError
from latihkerja.training.forms import AssessmentForm
from latihkerja.training.models import (
    Assessment,
    Attendance,
    AttendanceSheet,
    ChecklistSignOff,
    Outcome,
    SupervisionVisit,
    TrainingSession,
)
from latihkerja.training.services import rotating_code, start_session
from tests.factories import BatchFactory, ResidentFactory
from tests.factories.training import (
    SessionFactory,
    daring_session,
    delivery_batch,
    hybrid_batch,
    participant,
    programme_hours,
    room,
    session_now,
    signed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(operator_blk_a, resident, instructor):
    """A luring session happening now at centre A, started; `resident` is a participant; `instructor` teaches."""
    batch = delivery_batch()
    batch.instructors.add(instructor)
    session = session_now(batch)
    signed(session, operator_blk_a)
    start_session(session=session, actor=operator_blk_a)
    session.refresh_from_db()
    enrollment = participant(batch, user=resident, full_name="Siti Aminah", phone="+6281211112222")
    return session, enrollment


def _get_status(client, url):
    return client.get(url).status_code


# ------------------------------------------------------------------------------------- permission matrix


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("operator_blk_a", 200),
        ("opd_supervisor", 200),
        ("bappeda_admin", 200),
        ("instructor", 200),
        ("operator_blk_b", 404),
        ("other_opd_supervisor", 404),
        ("resident", 404),
        ("employer", 404),
    ],
)
def test_session_page_is_seen_only_in_scope(request, live, login, who, expected):
    session, _ = live
    client = login(request.getfixturevalue(who))

    assert _get_status(client, reverse("training:session", args=[session.pk])) == expected


def test_session_page_sends_an_anonymous_visitor_to_sign_in(client, live):
    session, _ = live

    response = client.get(reverse("training:session", args=[session.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("operator_blk_a", 200),
        ("bappeda_admin", 200),
        ("instructor", 404),
        ("opd_supervisor", 404),
        ("operator_blk_b", 404),
        ("resident", 404),
    ],
)
def test_qr_page_is_shown_only_to_whoever_runs_the_session(request, live, login, who, expected):
    session, _ = live
    client = login(request.getfixturevalue(who))

    assert _get_status(client, reverse("training:qr", args=[session.pk])) == expected


def test_a_started_session_says_from_when_it_can_be_ended_instead_of_offering_the_button(
    live, login, operator_blk_a
):
    session, _enrollment = live  # ends in about two hours, but not after midnight
    if timezone.localtime().time() >= dt.time(23, 30):
        pytest.skip("the session of today ends at midnight, within END_GRACE of now")

    page = login(operator_blk_a).get(reverse("training:session", args=[session.pk])).content.decode()
    refused = login(operator_blk_a).post(reverse("training:end", args=[session.pk]), follow=True)

    assert 'id="end-later"' in page
    assert "Akhiri sesi</button>" not in page
    assert 'id="end-early"' in page  # with a reason, for a session that stopped early
    assert "tulis alasannya" in refused.content.decode()
    session.refresh_from_db()
    assert session.status == SessionStatus.STARTED


def test_a_session_whose_room_the_class_outgrew_is_flagged_on_its_page_and_the_class_page(
    login, operator_blk_a
):
    """Offers accepted after the booking: the room's cap stays, the class grew past it."""
    batch = delivery_batch()
    session = SessionFactory(
        batch=batch,
        date=timezone.localdate() + dt.timedelta(days=7),  # still to come: it can be moved
        room=room(batch.center, name="Aula kecil", capacity=4),
        admitted_cap=2,
    )
    for _ in range(2):
        participant(batch)
    client = login(operator_blk_a)

    fits = client.get(reverse("training:session", args=[session.pk])).content.decode()
    participant(batch, status=EnrollmentStatus.OFFERED)
    outgrown = client.get(reverse("training:session", args=[session.pk])).content.decode()
    class_page = client.get(reverse("training:batch", args=[batch.code])).content.decode()

    assert 'id="room-too-small"' not in fits
    assert "Ruang Aula kecil hanya untuk 2 orang, padahal kelas ini memegang 3 kursi" in outgrown
    assert "Ruang terlalu kecil" in class_page


def test_two_participants_of_one_name_are_told_apart_on_the_roll_and_the_test_results(
    live, login, operator_blk_a
):
    session, _enrollment = live  # Siti Aminah, +6281211112222
    namesake = participant(session.batch, full_name="Siti  aminah", phone="+6281233334444")
    participant(session.batch, full_name="Dewi Lestari", phone="+6281255556666")
    client = login(operator_blk_a)

    roll = client.get(reverse("training:session", args=[session.pk])).content.decode()
    results = client.get(reverse("training:assessments", args=[session.batch.code])).content.decode()

    for page in (roll, results):
        assert "HP …222" in page
        assert "HP …444" in page
        assert "HP …666" not in page  # a name of one person needs no phone
        assert page.count("lahir ") == 2
        assert namesake.resident.kelurahan.name in page


def test_a_session_ended_early_with_a_reason_says_the_jp_it_was_recorded_with(login, operator_blk_a):
    now = timezone.localtime()
    if not dt.time(0, 55) <= now.time() <= dt.time(23, 30):
        pytest.skip("needs 50 minutes of today behind and half an hour ahead")
    session = SessionFactory(
        batch=delivery_batch(),
        date=now.date(),
        starts_at=(now - dt.timedelta(minutes=50)).time().replace(second=0, microsecond=0),
        ends_at=dt.time(23, 59),
        hours=Decimal("8"),
        status=SessionStatus.STARTED,
        started_at=now - dt.timedelta(minutes=50),
    )

    response = login(operator_blk_a).post(
        reverse("training:end", args=[session.pk]), {"reason": "Listrik padam"}, follow=True
    )

    assert "Sesi dicatat terlaksana dengan 1 JP, sesuai waktu yang berlangsung." in response.content.decode()
    session.refresh_from_db()
    assert (session.status, session.hours) == (SessionStatus.HELD, Decimal("1"))


def test_qr_page_shows_an_inline_svg_and_the_current_code(live, login, operator_blk_a):
    session, _ = live

    response = login(operator_blk_a).get(reverse("training:qr", args=[session.pk]))

    body = response.content.decode()
    assert "<svg" in body
    assert f'<code id="qr-code">{rotating_code(session)}</code>' in body or "qr-code" in body
    assert 'hx-get="/pelatihan-berjalan/sesi/' in body


def test_the_health_protocol_reads_in_english_before_and_after_it_is_signed(login, operator_blk_a):
    from latihkerja.training.models import ChecklistItem
    from latihkerja.training.services import sign_checklist

    session = session_now(delivery_batch())
    client = login(operator_blk_a)
    client.cookies["django_language"] = "en"
    url = reverse("training:session", args=[session.pk])

    before = client.get(url).content.decode()
    sign_checklist(
        session=session,
        confirmed=ChecklistItem.objects.filter(is_active=True).values_list("code", flat=True),
        actor=operator_blk_a,
    )
    after = client.get(url).content.decode()

    assert "Everyone wears a mask</label>" in before
    assert "Everyone wears a mask ✓" in after
    assert "memakai masker" not in before + after


def test_an_operator_of_another_centre_cannot_mark_attendance(live, login, operator_blk_b):
    session, enrollment = live

    response = login(operator_blk_b).post(
        reverse("training:mark", args=[session.pk]), {"enrollment": enrollment.pk, "status": "present"}
    )

    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_the_operator_marks_attendance_from_the_roll_call(live, login, operator_blk_a):
    session, enrollment = live

    response = login(operator_blk_a).post(
        reverse("training:mark", args=[session.pk]), {"enrollment": enrollment.pk, "status": "present"}
    )

    assert response.status_code == 302
    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.method, attendance.recorded_by) == (
        AttendanceStatus.PRESENT,
        AttendanceMethod.MARKED,
        operator_blk_a,
    )
    assert TrainingSession.objects.get(pk=session.pk).admitted == 1


def test_marking_with_an_unknown_status_changes_nothing(live, login, operator_blk_a):
    session, enrollment = live

    response = login(operator_blk_a).post(
        reverse("training:mark", args=[session.pk]), {"enrollment": enrollment.pk, "status": "hadir-banget"}
    )

    assert "Pilih status kehadiran dari daftar." in _row(response, enrollment)
    assert not Attendance.objects.exists()


def _row(response, enrollment):
    page = response.content.decode()
    row = page[page.index(f'id="p-{enrollment.pk}"') :]
    return row[: row.index("</li>")]


def test_a_correction_without_a_reason_is_answered_in_the_row_with_the_new_status_kept(
    live, login, operator_blk_a
):
    session, enrollment = live
    client = login(operator_blk_a)
    url = reverse("training:mark", args=[session.pk])
    client.post(url, {"enrollment": enrollment.pk, "status": "present"})

    response = client.post(url, {"enrollment": enrollment.pk, "status": "excused", "reason": ""})

    row = _row(response, enrollment)
    assert 'role="alert"' in row
    assert '<option value="excused" selected>' in row  # the choice made is still there to fix
    assert f'action="{url}#p-{enrollment.pk}"' in row
    assert Attendance.objects.get().status == AttendanceStatus.PRESENT


def test_a_correction_reason_too_long_is_named_as_such_in_the_row(live, login, operator_blk_a):
    session, enrollment = live
    client = login(operator_blk_a)
    url = reverse("training:mark", args=[session.pk])
    client.post(url, {"enrollment": enrollment.pk, "status": "present"})

    response = client.post(url, {"enrollment": enrollment.pk, "status": "excused", "reason": "x" * 301})

    row = _row(response, enrollment)
    assert "paling banyak 300 karakter" in row
    assert "Pilih status kehadiran" not in row
    assert Attendance.objects.get().status == AttendanceStatus.PRESENT


def test_signing_a_checklist_signed_meanwhile_or_of_a_cancelled_session_says_so(login, operator_blk_a):
    cancelled = SessionFactory(
        batch=delivery_batch(), status=SessionStatus.CANCELLED, date=timezone.localdate()
    )
    waiting = session_now(delivery_batch())
    signed(waiting, operator_blk_a)  # from another tab
    client = login(operator_blk_a)

    again = client.post(reverse("training:sign", args=[waiting.pk]), {"items": ["masker"]}, follow=True)
    too_late = client.post(reverse("training:sign", args=[cancelled.pk]), {"items": ["masker"]}, follow=True)

    assert [str(m) for m in again.context["messages"]] == [
        "Ceklis protokol kesehatan sesi ini sudah ditandatangani."
    ]
    assert [str(m) for m in too_late.context["messages"]] == [
        "Ceklis diisi sebelum sesi dimulai; sesi ini sudah dimulai, terlaksana atau dibatalkan."
    ]
    assert ChecklistSignOff.objects.filter(session=waiting).count() == 1


def test_marking_a_participant_of_another_batch_is_a_404(live, login, operator_blk_a):
    session, _ = live
    stranger = participant(delivery_batch())

    response = login(operator_blk_a).post(
        reverse("training:mark", args=[session.pk]), {"enrollment": stranger.pk, "status": "present"}
    )

    assert response.status_code == 404
    assert not Attendance.objects.exists()


# -------------------------------------------------------------------------------------- resident check-in


def test_a_participant_checks_in_through_the_qr_link(live, login, resident):
    session, enrollment = live
    url = reverse("training:check-in", args=[session.pk, rotating_code(session)])
    client = login(resident)

    page = client.get(url)
    response = client.post(url)
    again = client.get(url).content.decode()

    assert 'id="confirm-check-in"' in page.content.decode()
    assert response.status_code == 302
    attendance = Attendance.objects.get()
    assert (attendance.enrollment, attendance.method) == (enrollment, AttendanceMethod.QR)
    assert 'id="confirm-check-in"' not in again
    assert "Kehadiran Anda di pertemuan ini sudah tercatat." in again


def test_a_check_in_posted_again_after_its_reply_was_lost_is_told_it_worked(live, login, resident):
    """Slow-network review: the retry said 'already recorded' in red, as if something had gone wrong."""
    session, _enrollment = live
    url = reverse("training:check-in", args=[session.pk, rotating_code(session)])
    client = login(resident)
    client.post(url)
    client.get(reverse("training:my-schedule"))  # the first reply's message, as if it had arrived

    again = client.post(url, follow=True)

    assert Attendance.objects.count() == 1
    assert [(m.level_tag, str(m)) for m in again.context["messages"]] == [
        ("success", str(TrainingError.ALREADY_RECORDED))
    ]


def test_the_qr_link_of_an_ended_session_says_so_instead_of_offering_the_button(live, login, resident):
    session, _enrollment = live
    TrainingSession.objects.filter(pk=session.pk).update(status=SessionStatus.HELD)

    page = login(resident).get(reverse("training:check-in", args=[session.pk, "ABCDEFGH"])).content.decode()

    assert 'id="confirm-check-in"' not in page
    assert "Pertemuan ini sudah selesai" in page


def test_the_qr_link_is_a_404_for_a_non_participant(live, login, other_resident):
    from tests.factories import ResidentFactory

    session, _ = live
    ResidentFactory(user=other_resident)
    client = login(other_resident)

    url = reverse("training:check-in", args=[session.pk, rotating_code(session)])

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Attendance.objects.exists()


def test_a_wrong_code_is_refused_with_a_message_and_records_nothing(live, login, resident):
    session, _ = live

    client = login(resident)

    for typed in ("SALAH123", "😀🎉👍🏽", "kode-é"):
        response = client.post(
            reverse("training:check-in-code", args=[session.pk]), {"code": typed}, follow=True
        )

        page = response.content.decode()
        card = page[page.index(f'id="s-{session.pk}"') :]
        # Beside the field the code was typed in, not at the top of the page, a screen away on a phone.
        assert "Kode hadir salah atau sudah kedaluwarsa." in card[: card.index("</li>")]
        assert f'value="{escape(typed)}"' in card[: card.index("</li>")]  # kept, to see the typo
        assert 'class="alert alert-danger"' not in page
        assert response.redirect_chain[-1][0].endswith(f"#s-{session.pk}")
    assert not Attendance.objects.exists()


def test_a_participant_types_the_code_on_the_schedule_page(live, login, resident):
    session, _ = live

    response = login(resident).post(
        reverse("training:check-in-code", args=[session.pk]), {"code": rotating_code(session).lower()}
    )

    assert response.status_code == 302
    assert Attendance.objects.get().status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


def test_a_started_online_session_asks_for_the_meetings_code_not_a_qr_in_the_room(login, resident):
    batch = hybrid_batch(status=BatchStatus.RUNNING)
    participant(batch, user=resident)
    online = session_now(
        batch,
        modality="daring",
        room=None,
        admitted_cap=None,
        meeting_url="https://meet.example.org/k",
        join_code="K42",
    )
    TrainingSession.objects.filter(pk=online.pk).update(status="started")

    page = login(resident).get(reverse("training:my-schedule")).content.decode()

    assert "Pertemuan daring sedang berlangsung. Ketik kode hadir yang diberikan instruktur:" in page
    assert "Pindai kode QR" not in page
    assert "Catat hadir" in page


def test_the_meeting_link_never_reaches_a_non_participant(login, resident, other_resident, client):
    from tests.factories import ResidentFactory

    batch = hybrid_batch(status=BatchStatus.RUNNING)
    session = daring_session(batch, meeting_url="https://meet.example.org/rahasia-kelas")
    participant(batch, user=resident)
    ResidentFactory(user=other_resident)
    secret = "rahasia-kelas"

    own = login(resident).get(reverse("training:my-schedule")).content.decode()
    other = login(other_resident).get(reverse("training:my-schedule")).content.decode()
    other_check_in = login(other_resident).get(reverse("training:check-in", args=[session.pk, "X"]))
    client.logout()
    public = client.get(reverse("batches:detail", args=[batch.code])).content.decode()

    assert secret in own
    assert secret not in other
    assert other_check_in.status_code == 404
    assert secret not in public


def test_the_schedule_page_is_a_404_without_a_resident_profile(login, employer):
    assert login(employer).get(reverse("training:my-schedule")).status_code == 404


def test_the_schedule_page_shows_attendance_so_far(login, resident, operator_blk_a):
    batch = delivery_batch(status=BatchStatus.RUNNING)
    enrollment = participant(batch, user=resident)
    held = SessionFactory(batch=batch, number=1, status=SessionStatus.HELD, hours=Decimal("4"))
    SessionFactory(
        batch=batch, number=2, status=SessionStatus.HELD, hours=Decimal("4"), date=dt.date(2020, 10, 6)
    )
    Attendance.objects.create(
        session=held, enrollment=enrollment, status="present", method="qr", hours_credited=4
    )

    body = login(resident).get(reverse("training:my-schedule")).content.decode()

    assert "<strong>4</strong> dari 8 JP" in body


# ------------------------------------------------------------------------------------------ staff forms


def next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


def upcoming(batch):
    """`batch` (and its period) dated from today for 90 days, so sessions from next Monday fall within them."""
    from latihkerja.programs.models import Period

    today = timezone.localdate()
    Batch.objects.filter(pk=batch.pk).update(starts_on=today, ends_on=today + dt.timedelta(days=90))
    Period.objects.filter(pk=batch.period_id).update(ends_on=today + dt.timedelta(days=90))
    batch.refresh_from_db()
    batch.period.refresh_from_db()
    return batch


def test_scheduling_with_the_end_before_the_start_shows_an_error_and_creates_nothing(login, operator_blk_a):
    batch = delivery_batch()

    response = login(operator_blk_a).post(
        reverse("training:schedule", args=[batch.code]),
        {
            "first_date": next_monday().isoformat(),
            "weekdays": ["0", "2"],
            "count": "4",
            "starts_at": "12:00",
            "ends_at": "08:00",
            "hours": "4",
            "modality": "luring",
            "room": batch.room_id,
        },
    )

    assert response.status_code == 200
    assert "Jam selesai harus sesudah jam mulai." in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_scheduling_from_a_weekly_pattern_creates_the_sessions(login, operator_blk_a):
    batch = upcoming(delivery_batch())

    response = login(operator_blk_a).post(
        reverse("training:schedule", args=[batch.code]),
        {
            "first_date": next_monday().isoformat(),
            "weekdays": ["0", "2"],
            "count": "4",
            "starts_at": "08:00",
            "ends_at": "12:00",
            "hours": "4",
            "modality": "luring",
            "room": batch.room_id,
        },
    )

    monday = next_monday()
    assert response.status_code == 302
    assert list(TrainingSession.objects.values_list("number", "date")) == [
        (1, monday),
        (2, monday + dt.timedelta(days=2)),
        (3, monday + dt.timedelta(days=7)),
        (4, monday + dt.timedelta(days=9)),
    ]


def schedule_with_hours(client, batch, hours):
    return client.post(
        reverse("training:schedule", args=[batch.code]),
        {
            "first_date": next_monday().isoformat(),
            "weekdays": ["0"],
            "count": "2",
            "starts_at": "08:00",
            "ends_at": "12:00",
            "hours": hours,
            "modality": "luring",
            "room": batch.room_id,
        },
    )


def test_lesson_hours_may_be_written_with_a_decimal_comma(login, operator_blk_a):
    batch = upcoming(delivery_batch())

    response = schedule_with_hours(login(operator_blk_a), batch, "2,5")

    assert response.status_code == 302
    assert list(TrainingSession.objects.values_list("hours", flat=True)) == [Decimal("2.5"), Decimal("2.5")]


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("1234", "Paling banyak 12 JP per sesi."),
        ("2,55", "Paling banyak satu angka di belakang koma, misalnya 2,5."),
        ("dua", "Tulis angka, misalnya 4 atau 2,5."),
    ],
)
def test_bad_lesson_hours_get_one_clear_message(login, operator_blk_a, hours, message):
    batch = delivery_batch()

    response = schedule_with_hours(login(operator_blk_a), batch, hours)

    assert response.status_code == 200
    assert response.context["form"].errors["hours"] == [message]
    assert not TrainingSession.objects.exists()


def test_scheduling_is_a_404_for_an_instructor_and_another_operator(login, instructor, operator_blk_b):
    batch = delivery_batch()
    batch.instructors.add(instructor)
    url = reverse("training:schedule", args=[batch.code])

    assert login(instructor).get(url).status_code == 404
    assert login(operator_blk_b).get(url).status_code == 404


def test_a_sheet_that_is_not_pdf_or_an_image_is_refused(live, login, operator_blk_a):
    session, _ = live

    response = login(operator_blk_a).post(
        reverse("training:sheet-upload", args=[session.pk]),
        {"file": SimpleUploadedFile("hadir.exe", b"MZ...", content_type="application/octet-stream")},
        follow=True,
    )

    assert "Unggah berkas PDF, JPG atau PNG." in response.content.decode()
    assert not AttendanceSheet.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("hadir.pdf", b"PK\x03\x04word/document.xml", "Isi berkas bukan PDF, walau namanya berakhiran .pdf."),
        ("hadir.jpg", b"\x89PNG\r\n\x1a\n....", "Isi berkas bukan JPG, walau namanya berakhiran .jpg."),
        ("hadir.png", b"MZ\x90\x00", "Isi berkas bukan PNG, walau namanya berakhiran .png."),
    ],
)
def test_a_file_renamed_to_look_like_a_sheet_is_refused(live, login, operator_blk_a, name, content, message):
    session, _ = live

    response = login(operator_blk_a).post(
        reverse("training:sheet-upload", args=[session.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
        follow=True,
    )

    assert message in response.content.decode()
    assert not AttendanceSheet.objects.exists()


def test_a_scanned_sheet_is_kept_when_it_is_what_its_name_says(live, login, operator_blk_a):
    session, _ = live

    login(operator_blk_a).post(
        reverse("training:sheet-upload", args=[session.pk]),
        {"file": SimpleUploadedFile("hadir.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF", content_type="image/jpeg")},
        follow=True,
    )

    assert AttendanceSheet.objects.filter(session=session).count() == 1


def test_a_supervision_visit_is_recorded_by_the_supervising_opd(login, opd_supervisor, other_opd_supervisor):
    batch = delivery_batch()
    url = reverse("training:visit", args=[batch.code])

    refused = login(other_opd_supervisor).post(
        url, {"visited_on": "2020-10-05", "rating": "4", "notes": "Baik"}
    )
    response = login(opd_supervisor).post(url, {"visited_on": "2020-10-05", "rating": "4", "notes": "Baik"})

    assert refused.status_code == 404
    assert response.status_code == 302
    assert list(SupervisionVisit.objects.values_list("rating", "notes")) == [(4, "Baik")]


def test_a_visit_rated_9_is_refused_with_a_message(login, opd_supervisor):
    batch = delivery_batch()

    response = login(opd_supervisor).post(
        reverse("training:visit", args=[batch.code]),
        {"visited_on": "2020-10-05", "rating": "9", "notes": "x"},
    )

    assert response.status_code == 200
    assert "Pilih nilai 1 sampai 5." in response.content.decode()
    assert not SupervisionVisit.objects.exists()


def test_closing_a_batch_from_its_page_computes_outcomes(login, operator_blk_a):
    batch = programme_hours(delivery_batch(status=BatchStatus.RUNNING), 4)
    session = SessionFactory(batch=batch, status=SessionStatus.HELD)
    enrollment = participant(batch)
    Attendance.objects.create(
        session=session, enrollment=enrollment, status="present", method="qr", hours_credited=4
    )

    response = login(operator_blk_a).post(reverse("training:close", args=[batch.code]))

    assert response.status_code == 302
    assert Outcome.objects.get().status == "not_completed"  # no assessment yet
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMPLETED


def test_the_close_button_waits_and_says_why_while_a_session_is_still_scheduled(login, operator_blk_a):
    batch = programme_hours(delivery_batch(status=BatchStatus.RUNNING), 4)
    SessionFactory(batch=batch, number=1, status=SessionStatus.HELD)
    pending = SessionFactory(batch=batch, number=2, status=SessionStatus.SCHEDULED)
    client = login(operator_blk_a)

    waiting = client.get(reverse("training:batch", args=[batch.code])).content.decode()
    TrainingSession.objects.filter(pk=pending.pk).update(status=SessionStatus.CANCELLED)
    ready = client.get(reverse("training:batch", args=[batch.code])).content.decode()

    close_url = reverse("training:close", args=[batch.code])
    assert "1 sesi belum terlaksana atau dibatalkan." in waiting
    assert close_url not in waiting
    assert close_url in ready
    assert "belum terlaksana atau dibatalkan" not in ready


def test_a_closed_class_shows_its_attendance_and_results_read_only(login, operator_blk_a):
    batch = programme_hours(delivery_batch(status=BatchStatus.COMPLETED), 4)
    session = SessionFactory(batch=batch, status=SessionStatus.HELD)
    enrollment = participant(batch, full_name="Siti Aminah")
    Attendance.objects.create(
        session=session, enrollment=enrollment, status="present", method="qr", hours_credited=4
    )
    client = login(operator_blk_a)

    session_page = client.get(reverse("training:session", args=[session.pk])).content.decode()
    results_page = client.get(reverse("training:assessments", args=[batch.code])).content.decode()

    assert "Siti Aminah" in session_page  # the roll call is still there to read
    assert reverse("training:mark", args=[session.pk]) not in session_page
    assert reverse("training:sheet-upload", args=[session.pk]) not in session_page
    assert "Kelas ini sudah ditutup" in results_page
    assert 'name="passed"' not in results_page


def test_a_past_session_without_a_checklist_says_it_can_no_longer_be_signed(login, operator_blk_a):
    session = SessionFactory(batch=delivery_batch())  # 5 October 2020, never signed

    page = login(operator_blk_a).get(reverse("training:session", args=[session.pk])).content.decode()

    assert "Ceklis tidak diisi pada hari sesi (5 Oktober 2020) dan tidak dapat diisi sesudahnya." in page
    assert reverse("training:sign", args=[session.pk]) not in page


# --------------------------------------------------------------------------------------------- exports


def test_the_evidence_csv_shows_a_corrected_record_with_the_change_and_its_reason(
    live, login, operator_blk_a
):
    session, enrollment = live
    client = login(operator_blk_a)
    mark = reverse("training:mark", args=[session.pk])
    client.post(mark, {"enrollment": enrollment.pk, "status": "present"})
    client.post(mark, {"enrollment": enrollment.pk, "status": "excused", "reason": "Surat dokter"})

    response = client.get(reverse("training:evidence-csv", args=[session.batch.code]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Koreksi"
    assert rows[1][3] == "Izin"
    assert rows[1][-1] == "Hadir → Izin: Surat dokter"


def test_the_evidence_csv_neutralises_formulas_in_names(login, operator_blk_a):
    batch = delivery_batch(status=BatchStatus.RUNNING)
    session = SessionFactory(batch=batch, status=SessionStatus.HELD)
    enrollment = participant(batch, full_name='=HYPERLINK("http://x","klik")')
    Attendance.objects.create(
        session=session, enrollment=enrollment, status="present", method="qr", hours_credited=4
    )

    response = login(operator_blk_a).get(reverse("training:evidence-csv", args=[batch.code]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][2] == '\'=HYPERLINK("http://x","klik")'
    assert rows[1][3:5] == ["Hadir", "Pindai QR"]


def test_the_evidence_xlsx_has_the_four_sheets(login, opd_supervisor):
    from openpyxl import load_workbook

    batch = delivery_batch(status=BatchStatus.RUNNING)
    SessionFactory(batch=batch, number=1, status=SessionStatus.HELD)

    response = login(opd_supervisor).get(reverse("training:evidence-xlsx", args=[batch.code]))

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Sesi", "Kehadiran", "Peserta", "Kunjungan"]
    assert [c.value for c in book["Sesi"][2]][:5] == [1, "2020-10-05", "08:00", "12:00", 4]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("operator_blk_a", 200), ("opd_supervisor", 200), ("instructor", 404), ("operator_blk_b", 404)],
)
def test_the_contact_list_is_for_staff_in_scope_and_audited(request, live, login, who, expected):
    session, enrollment = live
    Attendance.objects.create(
        session=session, enrollment=enrollment, status="present", method="qr", hours_credited=4
    )
    client = login(request.getfixturevalue(who))

    response = client.get(reverse("training:contacts", args=[session.pk]))

    assert response.status_code == expected
    exported = AuditEvent.objects.filter(action="training.contacts_exported")
    if expected == 200:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[1][:3] == ["Siti Aminah", "0812-1111-2222", "Sukarasa"]
        assert exported.count() == 1
    else:
        assert not exported.exists()


# ---------------------------------------------------------------------------------------- query counts


@pytest.mark.parametrize("count", [1, 3])
def test_the_delivery_list_runs_a_fixed_number_of_queries(
    login, operator_blk_a, django_assert_max_num_queries, count
):
    for _ in range(count):
        SessionFactory(batch=delivery_batch())
    client = login(operator_blk_a)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("training:batches"))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_schedule_page_runs_a_fixed_number_of_queries(
    login, resident, django_assert_max_num_queries, count
):
    batch = delivery_batch(status=BatchStatus.RUNNING)
    enrollment = participant(batch, user=resident)
    for number in range(1, count + 1):
        session = SessionFactory(batch=batch, number=number, status=SessionStatus.HELD)
        Attendance.objects.create(
            session=session, enrollment=enrollment, status="present", method="qr", hours_credited=4
        )
    client = login(resident)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("training:my-schedule"))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_session_page_runs_a_fixed_number_of_queries(
    login, operator_blk_a, django_assert_max_num_queries, count
):
    batch = delivery_batch(status=BatchStatus.RUNNING)
    session = SessionFactory(batch=batch, status=SessionStatus.HELD)
    for _ in range(count):
        enrollment = participant(batch)
        Attendance.objects.create(
            session=session, enrollment=enrollment, status="present", method="qr", hours_credited=4
        )
    client = login(operator_blk_a)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("training:session", args=[session.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_evidence_page_runs_a_fixed_number_of_queries(
    login, bappeda_admin, django_assert_max_num_queries, count
):
    batch = delivery_batch(status=BatchStatus.RUNNING)
    for number in range(1, count + 1):
        session = SessionFactory(batch=batch, number=number, status=SessionStatus.HELD)
        Attendance.objects.create(
            session=session, enrollment=participant(batch), status="present", method="qr", hours_credited=4
        )
    client = login(bappeda_admin)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("training:evidence", args=[batch.code]))

    assert response.status_code == 200


def test_the_flagged_list_shows_a_luring_session_past_its_start_without_a_checklist(login, opd_supervisor):
    batch = BatchFactory(status=BatchStatus.RUNNING)
    SessionFactory(batch=batch, number=1, topic="Tanpa ceklis")

    body = login(opd_supervisor).get(reverse("training:flagged")).content.decode()

    assert "pertemuan 1" in body
    assert reverse("training:session", args=[TrainingSession.objects.get().pk]) in body


def test_the_running_classes_list_heads_its_one_class_rows_class_when_in_english(login, operator_blk_a):
    delivery_batch(status=BatchStatus.RUNNING)
    client = login(operator_blk_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = client.get(reverse("training:batches")).content.decode()

    assert '<th scope="col">Class</th>' in page
    assert 'data-label="Class"' in page


@pytest.mark.parametrize(
    ("score", "errors", "cleaned"),
    [
        ("87,5", None, Decimal("87.5")),
        ("87.5", None, Decimal("87.5")),
        ("1234567", ["Nilai paling besar 100."], None),
        ("87,255", ["Paling banyak dua angka di belakang koma, misalnya 87,25."], None),
    ],
)
def test_an_assessment_score_takes_a_decimal_comma_and_gets_one_message_when_wrong(
    db, score, errors, cleaned
):
    form = AssessmentForm({"enrollment": "1", "passed": "1", "score": score})

    assert form.is_valid() is (errors is None)
    assert form.errors.get("score") == errors
    if cleaned is not None:
        assert form.cleaned_data["score"] == cleaned


@pytest.mark.parametrize(("language", "times"), [("id", "08.00–12.00"), ("en", "08:00–12:00")])
def test_session_times_are_written_as_the_readers_language_writes_them(
    login, operator_blk_a, language, times
):
    from django.conf import settings

    batch = delivery_batch()
    SessionFactory(batch=batch)
    client = login(operator_blk_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(reverse("training:batch", args=[batch.code])).content.decode()

    assert times in page


def test_the_class_page_warns_when_the_schedule_falls_short_of_the_programmes_hours(login, operator_blk_a):
    batch = delivery_batch()
    SessionFactory(batch=batch, number=1, hours=Decimal("4"))
    SessionFactory(batch=batch, number=2, hours=Decimal("4"), status="cancelled")
    client = login(operator_blk_a)

    short = client.get(reverse("training:batch", args=[batch.code])).content.decode()
    batch.theme.hours = 4
    batch.theme.save(update_fields=["hours"])
    complete = client.get(reverse("training:batch", args=[batch.code])).content.decode()

    assert "Jadwal baru berisi 4 dari" in short  # the cancelled session does not count
    assert 'id="hours-short"' not in complete
    assert "program 4 JP · terjadwal 4 JP · terlaksana 0 JP" in complete
    SessionFactory(batch=batch, number=3, hours=Decimal("4"))
    over = client.get(reverse("training:batch", args=[batch.code])).content.decode()
    assert "Jadwal berisi 8 JP, lebih dari 4 JP program ini." in over


def test_lesson_hours_are_a_text_field_so_the_browser_keeps_the_decimal_comma(login, operator_blk_a):
    # A browser's number field turns "4,5" into 45 before the server sees it.
    batch = delivery_batch()

    page = login(operator_blk_a).get(reverse("training:schedule", args=[batch.code])).content.decode()

    field = page[page.index('name="hours"') - 200 : page.index('name="hours"') + 200]
    assert 'type="text"' in field
    assert 'inputmode="decimal"' in field


def test_start_is_offered_only_while_the_session_can_be_started(login, operator_blk_a):
    batch = delivery_batch()
    past = SessionFactory(batch=batch, number=1, date=dt.date(2020, 10, 5))
    now = session_now(batch, number=2)
    later = SessionFactory(batch=batch, number=3, date=timezone.localdate() + dt.timedelta(days=7))
    client = login(operator_blk_a)

    def page(session):
        return client.get(reverse("training:session", args=[session.pk])).content.decode()

    unsigned = page(now)
    signed(now, operator_blk_a)

    assert 'id="start-session"' not in unsigned  # a luring session needs its checklist signed first
    assert 'id="start-needs-checklist"' in unsigned
    assert 'id="start-session"' in page(now)
    assert 'id="start-session"' not in page(past)
    assert "Jam sesi ini sudah lewat" in page(past)
    assert 'id="start-session"' not in page(later)
    assert "Sesi dapat dimulai sejak" in page(later)


def test_a_bad_score_is_answered_in_the_participants_row_with_what_was_typed(login, operator_blk_a):
    batch = delivery_batch(status=BatchStatus.RUNNING)
    first, second = participant(batch, full_name="Ani Lestari"), participant(batch, full_name="Budi Santoso")
    url = reverse("training:assessments", args=[batch.code])

    response = login(operator_blk_a).post(url, {"enrollment": second.pk, "passed": "1", "score": "150"})

    page = response.content.decode()
    row = page[page.index(f'id="p-{second.pk}"') :]
    row = row[: row.index("</li>")]
    assert "Nilai paling besar 100." in row
    assert 'value="150"' in row
    assert '<option value="1" selected>' in row
    assert "Nilai paling besar 100." not in page[: page.index(f'id="p-{first.pk}"')]  # Ani's row comes first
    assert f'action="{url}#p-{second.pk}"' in row  # the answer scrolls back to the row
    assert not Assessment.objects.filter(enrollment=second).exists()


def test_a_saved_score_is_shown_back_the_way_the_reader_writes_numbers(login, operator_blk_a):
    batch = delivery_batch(status=BatchStatus.RUNNING)
    enrollment = participant(batch)
    client = login(operator_blk_a)
    url = reverse("training:assessments", args=[batch.code])

    client.post(url, {"enrollment": enrollment.pk, "passed": "0", "score": "87,5"})
    indonesian = client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()

    assert 'value="87,5"' in indonesian
    assert 'value="87.5"' in english
    assert '<option value="0" selected>' in indonesian
    assert Assessment.objects.get(enrollment=enrollment).score == Decimal("87.5")


def test_the_schedule_form_asks_only_for_what_the_classs_modalities_need(login, operator_blk_a):
    on_site = delivery_batch(modality="luring")
    hybrid = hybrid_batch()
    client = login(operator_blk_a)

    on_site_form = client.get(reverse("training:schedule", args=[on_site.code])).content.decode()
    hybrid_form = client.get(reverse("training:schedule", args=[hybrid.code])).content.decode()

    assert 'name="meeting_url"' not in on_site_form
    assert "Tanpa ruang (daring)" not in on_site_form
    assert 'name="room"' in on_site_form
    assert 'name="meeting_url"' in hybrid_form
    assert "Tanpa ruang (daring)" in hybrid_form


def test_the_operator_cancels_a_session_from_its_page_with_a_reason(login, operator_blk_a):
    session = SessionFactory(date=timezone.localdate() + dt.timedelta(days=2))
    client = login(operator_blk_a)
    url = reverse("training:cancel", args=[session.pk])

    assert (
        reverse("training:cancel", args=[session.pk])
        in client.get(reverse("training:session", args=[session.pk])).content.decode()
    )
    refused = client.post(url, {"reason": "  "})
    done = client.post(url, {"reason": "Hari libur"})

    assert "Tulis alasan pembatalan" in refused.content.decode()
    assert done.status_code == 302
    assert TrainingSession.objects.get(pk=session.pk).status == SessionStatus.CANCELLED
    page = client.get(reverse("training:session", args=[session.pk])).content.decode()
    assert url not in page  # nothing left to cancel
    assert "Hari libur" in page[page.index('id="cancellation"') :]  # why, by whom, when
    assert 'id="roll-h"' not in page


def test_cancelling_is_a_404_for_an_instructor_and_another_operator(login, instructor, operator_blk_b):
    session = SessionFactory()
    session.batch.instructors.add(instructor)

    for user in (instructor, operator_blk_b):
        response = login(user).post(reverse("training:cancel", args=[session.pk]), {"reason": "Libur"})
        assert response.status_code == 404
    assert TrainingSession.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED


def schedule_from(client, batch, first_date):
    return client.post(
        reverse("training:schedule", args=[batch.code]),
        {
            "first_date": first_date.isoformat(),
            "weekdays": ["0", "1", "2", "3", "4", "5", "6"],
            "count": "1",
            "starts_at": "08:00",
            "ends_at": "12:00",
            "hours": "4",
            "modality": "luring",
            "room": batch.room_id,
        },
    )


def test_a_session_cannot_be_scheduled_in_the_past_or_before_its_class_starts(login, operator_blk_a):
    today = timezone.localdate()
    batch = delivery_batch(starts_on=today + dt.timedelta(days=10), ends_on=today + dt.timedelta(days=40))
    client = login(operator_blk_a)

    past = schedule_from(client, batch, today - dt.timedelta(days=3))
    early = schedule_from(client, batch, today + dt.timedelta(days=2))

    assert past.context["form"].errors["first_date"] == [
        "Tanggal ini sudah lewat. Pilih hari ini atau sesudahnya."
    ]
    assert early.context["form"].errors["first_date"][0].startswith("Kelas ini mulai ")
    assert not TrainingSession.objects.exists()


def test_a_session_cannot_be_moved_into_the_past_and_nobody_is_told(login, operator_blk_a):
    session = SessionFactory(date=timezone.localdate() + dt.timedelta(days=5))
    participant(session.batch)

    response = login(operator_blk_a).post(
        reverse("training:move", args=[session.pk]),
        {
            "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "starts_at": "08:00",
            "ends_at": "12:00",
            "modality": "luring",
            "room": session.room_id,
        },
    )

    assert response.context["form"].errors["date"] == [
        "Tanggal ini sudah lewat. Pilih hari ini atau sesudahnya."
    ]
    assert TrainingSession.objects.get(pk=session.pk).date == session.date
    assert not Message.objects.filter(kind="schedule_changed").exists()


def test_the_close_button_waits_and_says_why_while_the_programme_hours_are_not_held(login, operator_blk_a):
    batch = programme_hours(delivery_batch(status=BatchStatus.RUNNING), 8)
    SessionFactory(batch=batch, number=1, status=SessionStatus.HELD)  # 4 JP

    page = login(operator_blk_a).get(reverse("training:batch", args=[batch.code])).content.decode()

    assert "Baru 4 dari 8 JP program yang terlaksana." in page
    assert reverse("training:close", args=[batch.code]) not in page


def test_the_running_classes_list_counts_held_sessions_of_those_still_planned(login, operator_blk_a):
    batch = delivery_batch(status=BatchStatus.RUNNING)
    SessionFactory(batch=batch, number=1, status=SessionStatus.HELD)
    SessionFactory(batch=batch, number=2, status=SessionStatus.SCHEDULED)
    SessionFactory(batch=batch, number=3, status=SessionStatus.CANCELLED)

    page = login(operator_blk_a).get(reverse("training:batches")).content.decode()

    assert ">1/2</td>" in page


def test_a_visit_dated_before_the_class_starts_is_refused_beside_the_date(login, opd_supervisor):
    batch = delivery_batch()  # starts 5 October 2020

    response = login(opd_supervisor).post(
        reverse("training:visit", args=[batch.code]),
        {"visited_on": "2020-01-01", "rating": "4", "notes": "Rapi"},
    )

    assert response.context["form"].errors["visited_on"] == [
        "Kelas ini mulai 5 Oktober 2020; kunjungan tidak dapat bertanggal sebelum itu."
    ]
    assert not SupervisionVisit.objects.exists()


def test_one_scheduled_session_is_said_in_the_singular_in_english(login, operator_blk_a):
    batch = upcoming(delivery_batch())
    client = login(operator_blk_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    schedule_from(client, batch, next_monday())
    page = client.get(reverse("training:batch", args=[batch.code])).content.decode()

    assert "1 session scheduled." in page


@pytest.mark.parametrize("score", ["1e2", "NaN", "Infinity", "12,5,0"])
def test_a_score_that_is_not_a_plain_number_is_refused(score):
    form = AssessmentForm(data={"enrollment": "1", "passed": "1", "score": score})

    assert form.errors["score"] == ["Tulis angka 0 sampai 100."]


def test_a_session_still_to_come_offers_no_attendance_or_sheet_forms_and_says_when(login, operator_blk_a):
    later = SessionFactory(date=timezone.localdate() + dt.timedelta(days=7))
    participant(later.batch)

    page = login(operator_blk_a).get(reverse("training:session", args=[later.pk])).content.decode()

    assert reverse("training:mark", args=[later.pk]) not in page
    assert reverse("training:sheet-upload", args=[later.pk]) not in page
    assert 'id="recording-later"' in page


def test_an_incomplete_checklist_keeps_its_ticks_and_says_what_is_missing(login, operator_blk_a):
    from latihkerja.training.models import ChecklistItem

    session = SessionFactory(date=timezone.localdate())
    first = ChecklistItem.objects.filter(is_active=True).order_by("pk").first()

    response = login(operator_blk_a).post(
        reverse("training:sign", args=[session.pk]), {"items": [first.code], "notes": "Sabun habis"}
    )

    page = response.content.decode()
    assert "Semua butir protokol kesehatan harus dipenuhi" in page
    assert f'value="{first.code}"' in page
    assert page.count("checked") >= 1
    assert "Sabun habis" in page
    assert not ChecklistSignOff.objects.exists()


def test_an_online_session_without_a_link_is_refused_beside_the_link_field(login, operator_blk_a):
    batch = upcoming(hybrid_batch())

    response = login(operator_blk_a).post(
        reverse("training:schedule", args=[batch.code]),
        {
            "first_date": next_monday().isoformat(),
            "weekdays": ["0"],
            "count": "1",
            "starts_at": "08:00",
            "ends_at": "12:00",
            "hours": "4",
            "modality": "daring",
            "meeting_url": "",
        },
    )

    assert response.context["form"].errors["meeting_url"] == ["Sesi daring perlu tautan pertemuan."]
    assert not TrainingSession.objects.exists()


def test_after_the_class_closes_the_residents_page_shows_the_result_not_a_start_date(login, resident):
    from tests.factories.certificates import OutcomeFactory

    outcome = OutcomeFactory(
        enrollment__resident=ResidentFactory(user=resident),
        enrollment__batch=delivery_batch(status=BatchStatus.COMPLETED),
    )

    page = login(resident).get(reverse("accounts:start")).content.decode()

    assert 'id="seat-result"' in page
    assert "Lulus" in page
    assert f"Anda hadir {outcome.hours_attended:.0f} dari {outcome.hours_total:.0f} JP." in page
    assert "Anda peserta kelas" not in page


def test_the_evidence_xlsx_headers_read_right_in_english(login, opd_supervisor):
    from openpyxl import load_workbook

    batch = delivery_batch(status=BatchStatus.RUNNING)
    SessionFactory(batch=batch, number=1, status=SessionStatus.HELD)
    client = login(opd_supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    book = load_workbook(io.BytesIO(client.get(reverse("training:evidence-xlsx", args=[batch.code])).content))

    sessions = [c.value for c in book.worksheets[0][1]]
    visits = [c.value for c in book.worksheets[3][1]]
    assert sessions[2:4] == ["Start", "End"]  # not "Completed", the status
    assert "Rating" in visits


def test_the_qr_link_of_a_cancelled_session_says_it_was_cancelled(live, login, resident):
    session, _enrollment = live
    TrainingSession.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)

    page = login(resident).get(reverse("training:check-in", args=[session.pk, "ABCDEFGH"])).content.decode()

    assert "Pertemuan ini dibatalkan." in page
    assert 'id="confirm-check-in"' not in page


def test_participants_are_told_by_sms_when_sessions_are_added_to_their_class(login, operator_blk_a):
    """The first schedule is announced as set, not as "changed"; sessions added later are news of a change."""
    batch = upcoming(delivery_batch())
    people = [participant(batch, phone=f"08120000000{i}") for i in range(2)]
    client = login(operator_blk_a)

    schedule_from(client, batch, next_monday())
    first = list(Message.objects.filter(kind="schedule_changed").order_by("recipient"))
    schedule_from(client, batch, next_monday() + dt.timedelta(days=7))
    added = Message.objects.filter(kind="schedule_changed").exclude(pk__in=[m.pk for m in first])

    assert [m.resident_id for m in first] == [p.resident_id for p in people]
    assert first[0].body.startswith(f"Jadwal kelas {batch.theme.name} sudah ada: 1 pertemuan, mulai ")
    assert sorted(m.resident_id for m in added) == sorted(p.resident_id for p in people)
    assert added[0].body.startswith(f"Jadwal kelas {batch.theme.name} berubah: 1 pertemuan baru, mulai ")


def test_the_checklist_is_signed_on_the_sessions_day_not_days_ahead(login, operator_blk_a):
    from latihkerja.training.models import ChecklistItem

    later = SessionFactory(date=timezone.localdate() + dt.timedelta(days=3))
    codes = list(ChecklistItem.objects.filter(is_active=True).values_list("code", flat=True))
    client = login(operator_blk_a)

    page = client.get(reverse("training:session", args=[later.pk])).content.decode()
    response = client.post(reverse("training:sign", args=[later.pk]), {"items": codes})

    assert 'id="sign-checklist"' not in page
    assert 'id="checklist-later"' in page
    assert "diisi pada hari sesi" in response.content.decode()
    assert not ChecklistSignOff.objects.exists()


def test_a_past_session_nobody_recorded_is_not_shown_to_the_resident_as_still_scheduled(login, resident):
    from tests.factories.training import SessionFactory

    batch = delivery_batch(status=BatchStatus.RUNNING)
    participant(batch, user=resident)
    SessionFactory(batch=batch, date=timezone.localdate() - dt.timedelta(days=1))
    coming = SessionFactory(batch=batch, date=timezone.localdate() + dt.timedelta(days=1))

    page = login(resident).get(reverse("training:my-schedule")).content.decode()

    assert page.count("Belum dicatat BLK") == 1
    card = page[page.index(f'id="s-{coming.pk}"') :]
    assert "Terjadwal" in card[: card.index("</li>")]


def test_the_training_stylesheet_is_linked_in_the_head_not_in_the_page_body(live, login, resident):
    """A stylesheet in the body holds up what follows it, one more round trip on a slow link (review)."""
    page = login(resident).get(reverse("training:my-schedule")).content.decode()

    head, body = page.split("</head>", 1)
    assert "training/training" in head
    assert "training/training" not in body
