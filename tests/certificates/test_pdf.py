"""The certificate PDF opens, says what it must in Indonesian, and its QR code decodes to exactly the public
verification URL of its number (rendered with pdfium, decoded with zxing: no mocks)."""

import datetime as dt
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.test import override_settings

from latihkerja.certificates.pdf import pdf_text, render_certificate
from tests.factories.certificates import CertificateFactory

pytestmark = pytest.mark.integration


def first_page(data: bytes) -> tuple[str, object, tuple[float, float]]:
    document = pdfium.PdfDocument(data)
    assert len(document) == 1
    page = document[0]
    text = page.get_textpage().get_text_range()
    image = page.render(scale=2).to_pil()
    return text, image, page.get_size()


def qr_texts(image: object) -> list[str]:
    return [
        result.text
        for result in zxingcpp.read_barcodes(image)
        if result.format == zxingcpp.BarcodeFormat.QRCode
    ]


def test_pdf_opens_as_a4_landscape_and_its_qr_decodes_to_the_verification_url_when_rendered(db):
    certificate = CertificateFactory(
        holder_name="Siti Aminah",
        hours_attended=Decimal("72.5"),
        hours_total=Decimal("80.0"),
        starts_on=dt.date(2020, 10, 5),
        ends_on=dt.date(2020, 10, 16),
    )

    text, image, (width, height) = first_page(render_certificate(certificate))

    assert (round(width), round(height)) == (842, 595)
    assert qr_texts(image) == [f"http://127.0.0.1:8000/sertifikat/{certificate.number}/"]
    flat = " ".join(text.split())
    for expected in [
        "SERTIFIKAT PELATIHAN",
        f"Nomor: {certificate.number}",
        "Siti Aminah",
        "Barista",
        "72,5 dari 80 jam pelajaran (JP), 5 Oktober 2020 s.d. 16 Oktober 2020",
        f"di {certificate.center_name}, dibina oleh {certificate.agency_name}",
        f"Periode {certificate.period_name}",
    ]:
        assert expected in flat


@override_settings(SITE_URL="https://latihkerja.tangerangkota.go.id/")
def test_qr_holds_the_configured_public_address_when_site_url_is_set(db):
    certificate = CertificateFactory()

    _, image, _ = first_page(render_certificate(certificate))

    assert qr_texts(image) == [f"https://latihkerja.tangerangkota.go.id/sertifikat/{certificate.number}/"]


def test_pdf_renders_when_the_name_has_characters_outside_latin_1(db):
    certificate = CertificateFactory(holder_name="Nguyễn Thị Ánh 李小龍 Ma'ruf Ğül")

    text, image, _ = first_page(render_certificate(certificate))

    assert "Nguyen Thi Ánh ??? Ma'ruf Gül" in " ".join(text.split())
    assert len(qr_texts(image)) == 1


@pytest.mark.unit
def test_pdf_text_keeps_indonesian_and_latin_when_encodable():
    assert pdf_text("Dinas Perindustrian – Ñoño “Café” ß") == "Dinas Perindustrian – Ñoño “Café” ß"
    assert pdf_text("Łukasz Żółć Đặng") == "Lukasz Zólc Dang"
    assert pdf_text("李 ☃") == "? ?"


def test_the_issue_date_is_the_citys_day_when_issued_in_its_early_morning(db):
    """Issued at 03:00 in Jakarta is 20:00 the day before in UTC: the certificate carries the city's date."""
    certificate = CertificateFactory(issued_at=dt.datetime(2020, 10, 16, 20, 0, tzinfo=dt.UTC))

    text, _image, _size = first_page(render_certificate(certificate))

    assert "Diterbitkan 17 Oktober 2020." in " ".join(text.split())
