"""Staff lists on a phone: each record reads as a card with its column names, and nothing scrolls sideways."""

import pytest

from latihkerja.batches.enums import BatchStatus
from tests.conftest import PASSWORD
from tests.factories import BatchFactory, CompanyFactory, PeriodFactory
from tests.helpers import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def signed_in_phone(browser, live_server, user):
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    staff_sign_in(page, live_server.url, user.username, PASSWORD)
    page.wait_for_url("**/akun/saya/")
    return context, page


def fits_the_screen(page, button):
    box = button.bounding_box()
    widths = page.evaluate("[...document.querySelectorAll('table')].map(table => table.scrollWidth)")
    return (
        bool(widths)
        and max(widths) <= PHONE["width"]
        and page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        and box is not None
        and box["x"] + box["width"] <= PHONE["width"]
    )


def test_operator_reads_each_class_and_its_action_within_the_screen_when_on_a_phone(
    browser, live_server, operator_blk_a
):
    period = PeriodFactory()
    for index, status in enumerate([BatchStatus.RUNNING, BatchStatus.OPEN, BatchStatus.ALLOCATED]):
        BatchFactory(
            code=f"2020-10-3671011001-{index}", period=period, center=operator_blk_a.center, status=status
        )
    context, page = signed_in_phone(browser, live_server, operator_blk_a)

    running = page.locator("tr", has_text="2020-10-3671011001-0")
    action = running.get_by_role("link", name="Tutup kelas…")

    assert action.is_visible()
    assert fits_the_screen(page, action)
    assert (
        running.locator("td").first.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Kode"'
    )
    context.close()


def test_supervisor_verifies_a_company_without_scrolling_sideways_when_on_a_phone(
    browser, live_server, opd_supervisor
):
    CompanyFactory(
        name="PT Sumber Rejeki Plastik Indonesia (Persero) Tbk", contact_name="Raden Ayu Kusumawardhani"
    )
    context, page = signed_in_phone(browser, live_server, opd_supervisor)
    page.goto(f"{live_server.url}/pemberi-kerja/verifikasi/")

    action = page.get_by_role("button", name="Verifikasi PT Sumber Rejeki Plastik Indonesia (Persero) Tbk")

    assert fits_the_screen(page, action)
    page.on("dialog", lambda dialog: dialog.accept())  # "Verifikasi …? Kebutuhannya akan dihitung …"
    action.click()
    page.wait_for_url("**/pemberi-kerja/verifikasi/")
    assert "Tidak ada perusahaan yang menunggu verifikasi." in page.locator("main").inner_text()
    context.close()
