"""A resident opens the catalogue on a phone and on a desktop, filters by kecamatan and opens a batch."""

import pytest

from latihkerja.centers.models import Center
from tests.factories import BatchFactory, PeriodFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def catalogue_data(reference_data):
    PeriodFactory()
    a = Center.objects.get(kelurahan__name="Sukarasa")  # Kec. Tangerang
    b = Center.objects.get(kelurahan__name="Cipondoh")  # Kec. Cipondoh
    BatchFactory(code="e2e-barista-a", center=a)
    BatchFactory(code="e2e-barista-b", center=b)
    return b


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_resident_filters_by_kecamatan_and_opens_a_batch_when_browsing(
    browser, live_server, catalogue_data, viewport, tmp_path
):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="id-ID")
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/pelatihan/")
    assert page.locator("h1").inner_text() == "Katalog pelatihan"
    assert page.locator(".result-count").inner_text() == "2 kelas ditemukan"
    toggle = page.get_by_text("Saring pelatihan", exact=True)
    if viewport == "phone":  # filters are folded on a phone, a sidebar on a desktop
        assert not page.get_by_label("Kecamatan").is_visible()
        toggle.click()
    else:
        assert not toggle.is_visible()
    page.get_by_label("Kelurahan").select_option(label="Sukarasa")
    page.get_by_label("Kecamatan").select_option(label="Cipondoh")
    offered = page.locator("select[name=kelurahan] option:not([hidden])").all_inner_texts()
    assert "Cipondoh" in offered  # only the kecamatan's kelurahan are left, and the other one was unpicked
    assert "Sukarasa" not in offered
    assert page.get_by_label("Kelurahan").input_value() == ""
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url("**kecamatan=36.71.05**")
    assert page.locator(".result-count").inner_text() == "1 kelas ditemukan"
    page.screenshot(path=str(tmp_path / f"catalogue-{viewport}.png"), full_page=True)
    page.locator(".batch-card a").first.click()
    page.wait_for_url("**/pelatihan/e2e-barista-b/")

    assert page.locator("h1").inner_text() == "Barista"
    assert "BLK Kelurahan Cipondoh" in page.locator("main").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"]  # nothing overflows sideways on a phone
    assert console_errors == []
    context.close()
