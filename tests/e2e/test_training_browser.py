"""The operator signs the health-protocol checklist, starts the session and shows the QR code; a resident on a
phone opens the code's link and checks in, then sees it on their schedule."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from latihkerja.accounts.enums import Role
from latihkerja.training.models import Attendance, TrainingSession
from tests.factories import UserFactory
from tests.factories.training import delivery_batch, participant, session_now

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
TABLET = {"width": 800, "height": 1000}


def signed_in(browser, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport)
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


def test_operator_signs_the_checklist_and_shows_the_qr_and_a_resident_on_a_phone_checks_in(
    browser, live_server, reference_data, tmp_path
):
    shots = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    operator = UserFactory(
        username="operator.e2e", role=Role.OPERATOR, center=delivery_batch().center, is_staff=True
    )
    batch = delivery_batch(code="e2e-barista")
    session = session_now(batch, number=1, topic="Teknik espresso")
    resident_user = UserFactory(username="warga.e2e", role=Role.RESIDENT)
    participant(batch, user=resident_user, full_name="Dewi Lestari")
    for _ in range(3):
        participant(batch)

    staff, page = signed_in(browser, live_server, operator, TABLET)
    page.goto(f"{live_server.url}/pelatihan-berjalan/sesi/{session.pk}/")
    page.get_by_role("button", name="Mulai sesi").click()
    assert "ceklis protokol kesehatan ditandatangani operator" in page.locator(".alert-danger").inner_text()
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
    assert resident_page.get_by_role("button", name="Hadir").is_visible()
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
    staff.close()
    phone.close()
