"""In a phone-sized browser: the resident downloads their certificate PDF and the public page verifies its
number; staff see the batch's certificates. Screenshots go to $SCREENSHOT_DIR (or the test's tmp dir)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from latihkerja.certificates.services import generate_pdfs
from tests.factories import ResidentFactory
from tests.factories.certificates import CertificateFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def signed_in(browser, live_server, user, viewport=PHONE):
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
    return context, context.new_page()


def test_resident_downloads_the_pdf_and_the_public_page_verifies_it_when_on_a_phone(
    browser, live_server, reference_data, resident, bappeda_admin, tmp_path
):
    shots = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    holder = ResidentFactory(user=resident, full_name="Siti Aminah Nurhaliza")
    certificate = CertificateFactory(outcome__enrollment__resident=holder)
    CertificateFactory(outcome__enrollment__batch=certificate.batch, holder_name="Budi Santoso")
    generate_pdfs(batch_id=certificate.batch_id)

    context, page = signed_in(browser, live_server, resident)
    page.goto(f"{live_server.url}/sertifikat/saya/")
    page.screenshot(path=str(shots / "certificates-mine-phone.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh PDF").click()
    assert download.value.suggested_filename == f"sertifikat-{certificate.number}.pdf"
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
    context.close()

    public = browser.new_context(viewport=PHONE)
    page = public.new_page()
    page.goto(f"{live_server.url}/sertifikat/")
    page.get_by_label("Nomor sertifikat").fill(certificate.number.lower().replace("-", " "))
    page.get_by_role("button", name="Periksa").click()
    page.wait_for_url(f"{live_server.url}/sertifikat/{certificate.number}/")
    assert "SAH" in page.locator(".certificate-status").inner_text()
    assert "Siti Aminah Nurhaliza" in page.content()
    page.screenshot(path=str(shots / "certificates-verify-phone.png"), full_page=True)
    page.goto(f"{live_server.url}/sertifikat/LK-0000-0000-0000/")
    page.screenshot(path=str(shots / "certificates-unknown-phone.png"), full_page=True)
    public.close()

    context, page = signed_in(browser, live_server, bappeda_admin)
    page.goto(f"{live_server.url}/sertifikat/kelola/")
    page.screenshot(path=str(shots / "certificates-batches-phone.png"), full_page=True)
    page.get_by_role("link", name="Barista").click()
    page.wait_for_url(f"{live_server.url}/sertifikat/kelola/kelas/{certificate.batch_id}/")
    page.screenshot(path=str(shots / "certificates-batch-phone.png"), full_page=True)
    page.get_by_role("link", name="Cabut").first.click()
    page.screenshot(path=str(shots / "certificates-revoke-phone.png"), full_page=True)
    context.close()
