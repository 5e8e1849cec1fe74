"""Bappeda runs the allocation on the demo data and publishes it; one resident accepts, another declines, and
the first resident waiting for that batch is offered the freed seat."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from latihkerja.accounts.enums import Role
from latihkerja.allocation.models import AllocationRun, WaitlistEntry
from latihkerja.batches.models import Batch, Enrollment
from latihkerja.common.demo import DEMO_PASSWORD, demo_period, seed_demo
from latihkerja.registration.services import submit_application
from latihkerja.residents.models import Resident
from tests.factories import UserFactory
from tests.helpers import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
APPLICANTS = 80  # all rank the same three batches of 25 seats: three batches reach the minimum of 20


@pytest.fixture
def demo(reference_data):
    seed_demo(residents=120, seed=11)
    period = demo_period()
    batches = list(Batch.objects.filter(period=period, status="open").order_by("code")[:3])
    for resident in Resident.objects.order_by("pk")[:APPLICANTS]:
        submit_application(
            resident=resident, period=period, batch_codes=[b.code for b in batches], actor=None
        )
    period.registration_closes_at = timezone.now() - dt.timedelta(minutes=1)
    period.save(update_fields=["registration_closes_at"])
    return {"period": period, "batches": batches}


def signed_in(browser, live_server, resident):
    """A phone-sized browser signed in as `resident` (demo residents have no password: a session cookie)."""
    if resident.user is None:
        resident.user = UserFactory(username=f"warga-{resident.pk}", role=Role.RESIDENT)
        resident.save(update_fields=["user"])
    client = Client()
    client.force_login(resident.user)
    context = browser.new_context(viewport=PHONE)
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
    page.goto(f"{live_server.url}/akun/saya/")
    return context, page


def test_bappeda_publishes_an_allocation_and_a_decline_moves_the_wait_list_when_residents_answer(
    browser, live_server, demo, tmp_path
):
    staff = browser.new_context(viewport=DESKTOP)
    page = staff.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    staff_sign_in(page, live_server.url, "bappeda", DEMO_PASSWORD)
    page.get_by_role("link", name="Alokasi kursi").click()
    page.get_by_label("Benih undian (diumumkan)").fill("undian-publik-2020")
    page.get_by_role("button", name="Jalankan hitungan").click()

    assert page.locator("#run-status").inner_text() == "Selesai, menunggu tinjauan"
    assert "undian-publik-2020" in page.content()
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
    page.get_by_role("button", name="Umumkan hasil").click()
    # The worker publishes (the tests' task backend runs it as soon as the request commits).
    assert page.get_by_role("status").inner_text() == (
        "Hasil alokasi sedang diumumkan: status kelas, tawaran kursi dan SMS disiapkan di latar belakang."
    )
    assert page.locator("#run-status").inner_text() == "Diumumkan"
    page.screenshot(path=str(tmp_path / "published.png"), full_page=True)
    staff.close()

    run = AllocationRun.objects.get()
    batch = demo["batches"][0]
    assert run.status == "published"
    assert run.metrics["engine"]["assigned"] == 75
    assert Batch.objects.get(pk=batch.pk).seats_taken == 25
    first, second = (
        Enrollment.objects.filter(batch=batch, status="offered").select_related("resident").order_by("pk")[:2]
    )
    # First in wait-list order among those who have not accepted a seat: someone still answering an offer of
    # a lower choice is offered this one instead.
    holding = Enrollment.objects.filter(period=demo["period"], status="active").values("resident_id")
    expected = (
        WaitlistEntry.objects.filter(run=run, batch=batch)
        .exclude(application__resident_id__in=holding)
        .order_by("position")
        .select_related("application__resident")
        .first()
        .application.resident
    )

    context, page = signed_in(browser, live_server, first.resident)
    assert page.locator("#offer-heading").inner_text() == "Anda mendapat tawaran kursi"
    page.get_by_role("button", name="Terima kursi").click()
    assert (
        page.get_by_role("status").inner_text()
        == "Terima kasih, kursi Anda sudah tercatat. Sampai jumpa di kelas!"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(tmp_path / "accepted.png"), full_page=True)
    page.get_by_role("link", name="Mengapa hasil ini?").click()
    assert page.locator("#my-result").inner_text() == "Pilihan ke-1"
    context.close()

    context, page = signed_in(browser, live_server, second.resident)
    page.get_by_role("button", name="Tolak kursi").click()
    assert page.get_by_role("status").inner_text() == (
        "Anda menolak tawaran ini. Kursinya ditawarkan kepada warga berikutnya di daftar tunggu."
    )
    assert f"Anda menolak kursi di kelas {batch.theme.display_name}." in page.content()
    page.screenshot(path=str(tmp_path / "declined.png"), full_page=True)
    context.close()

    assert Enrollment.objects.get(pk=first.pk).status == "active"
    assert Enrollment.objects.get(pk=second.pk).status == "declined"
    promoted = Enrollment.objects.get(resident=expected, status="offered")
    assert promoted.batch_id == batch.pk
    assert Batch.objects.get(pk=batch.pk).seats_taken == 25

    context, page = signed_in(browser, live_server, expected)
    assert page.locator("#offer-heading").inner_text() == "Anda mendapat tawaran kursi"
    assert batch.theme.display_name in page.locator("#offer").inner_text()
    page.screenshot(path=str(tmp_path / "promoted.png"), full_page=True)
    context.close()
