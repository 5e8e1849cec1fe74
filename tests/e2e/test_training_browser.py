"""The operator signs the health-protocol checklist, starts the session and shows the QR code; a resident on a
phone opens the code's link and checks in, then sees it on their schedule. After the last session the operator
records the assessment and closes the batch; the resident downloads the certificate on the phone and the public
page verifies its number."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from latihkerja.accounts.enums import Role
from latihkerja.certificates.models import Certificate
from latihkerja.training.models import Attendance, TrainingSession
from tests.factories import UserFactory
from tests.factories.training import delivery_batch, participant, programme_hours, session_now

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
TABLET = {"width": 800, "height": 1000}


def signed_in(browser, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    return context, page


def test_operator_shows_the_qr_a_resident_checks_in_by_phone_and_later_downloads_a_verified_certificate(
    browser, live_server, reference_data, tmp_path
):
    shots = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    operator = UserFactory(
        username="operator.e2e", role=Role.OPERATOR, center=delivery_batch().center, is_staff=True
    )
    batch = programme_hours(delivery_batch(code="e2e-barista"), 4)  # its one 4-JP session is the programme
    # It ends in 10 minutes, so the operator may end it during the test (`END_GRACE`).
    session = session_now(batch, number=1, topic="Teknik espresso", ends_in=dt.timedelta(minutes=10))
    resident_user = UserFactory(username="warga.e2e", role=Role.RESIDENT)
    participant(batch, user=resident_user, full_name="Dewi Lestari")
    for _ in range(3):
        participant(batch)

    staff, page = signed_in(browser, live_server, operator, TABLET)
    page.goto(f"{live_server.url}/pelatihan-berjalan/sesi/{session.pk}/")
    assert (
        page.get_by_role("button", name="Mulai sesi").count() == 0
    )  # not offered before the checklist is signed
    assert (
        "Tandatangani ceklis protokol kesehatan di atas"
        in page.locator("#start-needs-checklist").inner_text()
    )
    for checkbox in page.locator("input[name=items]").all():
        checkbox.check()
    page.get_by_role("button", name="Tandatangani ceklis").click()
    page.get_by_role("button", name="Mulai sesi").click()
    page.wait_for_selector(".qr-svg svg")
    code = page.locator("#qr-code").inner_text()
    page.screenshot(path=str(shots / "operator-qr.png"), full_page=True)
    assert len(code) == 8
    # The QR page polls every few seconds; leave it so that the resident's requests run alone (in-memory SQLite
    # shares one connection with the live server's threads).
    page.goto("about:blank")
    assert TrainingSession.objects.get(pk=session.pk).status == "started"

    phone, resident_page = signed_in(browser, live_server, resident_user, PHONE)
    resident_page.goto(f"{live_server.url}/pelatihan-berjalan/jadwal-saya/")
    assert resident_page.get_by_role("button", name="Catat hadir").is_visible()
    resident_page.screenshot(path=str(shots / "resident-schedule-before.png"), full_page=True)
    resident_page.goto(f"{live_server.url}/pelatihan-berjalan/hadir/{session.pk}/{code}/")
    resident_page.screenshot(path=str(shots / "resident-check-in.png"), full_page=True)
    resident_page.get_by_role("button", name="Saya hadir").click()

    # The session started ten minutes ago: within the fifteen minutes before a check-in counts as late.
    assert resident_page.locator(".alert").first.inner_text() == "Terima kasih, kehadiran Anda tercatat."
    resident_page.screenshot(path=str(shots / "resident-schedule.png"), full_page=True)
    attendance = Attendance.objects.get()
    assert (attendance.enrollment.resident.full_name, attendance.method) == ("Dewi Lestari", "qr")
    assert TrainingSession.objects.get(pk=session.pk).admitted == 1
    assert resident_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto(f"{live_server.url}/pelatihan-berjalan/sesi/{session.pk}/")
    page.screenshot(path=str(shots / "operator-session.png"), full_page=True)
    assert "Dewi Lestari" in page.locator("#p-" + str(attendance.enrollment_id)).inner_text()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/pelatihan-berjalan/kelas/{batch.code}/")
    page.screenshot(path=str(shots / "operator-batch-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # That was the batch's only (so last) session: end it, record the assessment, close the batch.
    page.goto(f"{live_server.url}/pelatihan-berjalan/sesi/{session.pk}/")
    page.get_by_role("button", name="Akhiri sesi").click()
    page.goto(f"{live_server.url}/pelatihan-berjalan/kelas/{batch.code}/penilaian/")
    row = page.locator(f"#p-{attendance.enrollment_id}")
    row.locator("select[name=passed]").select_option("1")
    row.get_by_role("button", name="Simpan").click()
    page.goto(f"{live_server.url}/pelatihan-berjalan/kelas/{batch.code}/")
    page.get_by_role("button", name="Tutup kelas dan hitung hasil").click()
    page.screenshot(path=str(shots / "operator-batch-closed.png"), full_page=True)
    certificate = Certificate.objects.get()  # only Dewi attended; the worker made its PDF after the commit
    assert (certificate.holder_name, certificate.generated_at is not None) == ("Dewi Lestari", True)
    staff.close()

    resident_page.goto(f"{live_server.url}/pelatihan-berjalan/jadwal-saya/")
    resident_page.screenshot(path=str(shots / "resident-certificate.png"), full_page=True)
    with resident_page.expect_download() as download:
        resident_page.get_by_role("link", name="Unduh PDF").click()
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
    resident_page.get_by_role("link", name="Halaman verifikasi").click()
    resident_page.wait_for_url(f"{live_server.url}/sertifikat/{certificate.number}/")
    assert "SAH" in resident_page.locator(".certificate-status").inner_text()
    assert "Dewi Lestari" in resident_page.content()
    resident_page.screenshot(path=str(shots / "public-verification.png"), full_page=True)
    phone.close()
