"""The certificate PDF: one A4 landscape page in Bahasa Indonesia, drawn with reportlab.

Only reportlab's built-in Helvetica is used (no font files to ship). Its encoding is Windows-1252, which
covers Indonesian and most Latin names; any other character is reduced to its Latin base letter when it has one
(`Nguyễn` → `Nguyen`) and replaced by `?` otherwise, so an unusual name never stops a batch from being
printed. The QR code (segno's encoder, error correction M, drawn as rectangles) holds the absolute verification URL.
"""

from __future__ import annotations

import io
import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.utils import formats, timezone, translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

if TYPE_CHECKING:
    from .models import Certificate

PAGE = landscape(A4)
FONT = "Helvetica"
BOLD = "Helvetica-Bold"
QR_SIZE = 38 * mm
ACCENT = colors.HexColor("#0b5394")
# A fixed mask pattern (valid for any decoder) spares segno scoring all eight: ~3x faster rendering of a
# 10,000-certificate period, at no cost in readability for a short URL printed this large.
QR_MASK = 2
# Latin letters that Unicode does not decompose into a base letter plus an accent.
_UNDECOMPOSABLE = {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Ŧ": "T", "ŧ": "t"}


def pdf_text(text: str) -> str:
    """`text` made printable in Helvetica's Windows-1252 encoding (see the module docstring)."""
    out = []
    for char in text:
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            if char in _UNDECOMPOSABLE:
                out.append(_UNDECOMPOSABLE[char])
                continue
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c) and c.isascii()
            )
            out.append(base or "?")
        else:
            out.append(char)
    return "".join(out)


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def _centered(canvas: Canvas, text: str, y: float, font: str, size: float, max_width: float) -> None:
    """Draw `text` centred at height `y`, shrinking the font until it fits `max_width`."""
    text = pdf_text(text)
    while size > 8 and stringWidth(text, font, size) > max_width:
        size -= 1
    canvas.setFont(font, size)
    canvas.drawCentredString(PAGE[0] / 2, y, text)


def _draw_qr(canvas: Canvas, data: str, x: float, y: float) -> None:
    """The QR code of `data` (segno, error correction M, 4-module quiet zone), `QR_SIZE` wide, lower-left at
    (x, y). Drawn in module units (one unit = one module) as one rectangle per dark run of a row, written as
    literal PDF operators: the page stays small, and no per-module float formatting slows a 10,000-page run."""
    matrix = segno.make(data, error="m", micro=False, boost_error=False, mask=QR_MASK).matrix
    quiet = 4
    modules = len(matrix) + 2 * quiet
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, QR_SIZE, QR_SIZE, stroke=0, fill=1)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(QR_SIZE / modules, QR_SIZE / modules)
    operators = ["0 0 0 rg"]
    for row_index, row in enumerate(matrix):
        bottom = modules - quiet - row_index - 1
        column = 0
        while column < len(row):
            if row[column]:
                start = column
                while column < len(row) and row[column]:
                    column += 1
                operators.append(f"{start + quiet} {bottom} {column - start} 1 re")
            else:
                column += 1
    operators.append("f")
    canvas.addLiteral("\n".join(operators))
    canvas.restoreState()
    canvas.setFillColor(colors.black)


def render_certificate(certificate: Certificate) -> bytes:
    """The PDF of `certificate`, as bytes."""
    width, height = PAGE
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, invariant=True, pageCompression=1)
    canvas.setTitle(pdf_text(f"Sertifikat {certificate.number}"))
    canvas.setAuthor(pdf_text(settings.CITY["name"]))
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    text_width = width - 60 * mm

    with translation.override("id"):
        starts = formats.date_format(certificate.starts_on, "j F Y")
        ends = formats.date_format(certificate.ends_on, "j F Y")
        issued = formats.date_format(timezone.localdate(certificate.issued_at), "j F Y")
    canvas.setFillColor(ACCENT)
    _centered(canvas, settings.CITY["programme_name"].upper(), height - 38 * mm, BOLD, 13, text_width)
    _centered(canvas, settings.CITY["name"], height - 45 * mm, FONT, 11, text_width)
    _centered(canvas, "SERTIFIKAT PELATIHAN", height - 66 * mm, BOLD, 30, text_width)
    canvas.setFillColor(colors.black)
    _centered(canvas, f"Nomor: {certificate.number}", height - 75 * mm, FONT, 12, text_width)
    _centered(canvas, "diberikan kepada", height - 90 * mm, FONT, 13, text_width)
    _centered(canvas, certificate.holder_name, height - 104 * mm, BOLD, 26, text_width)
    _centered(canvas, "yang telah menyelesaikan pelatihan", height - 117 * mm, FONT, 13, text_width)
    _centered(canvas, certificate.theme_name, height - 129 * mm, BOLD, 18, text_width)
    hours = (
        f"{_hours(certificate.hours_attended)} dari {_hours(certificate.hours_total)} jam pelajaran (JP), "
        f"{starts} s.d. {ends}"
    )
    _centered(canvas, hours, height - 139 * mm, FONT, 12, text_width)
    _centered(
        canvas,
        f"di {certificate.center_name}, dibina oleh {certificate.agency_name}",
        height - 147 * mm,
        FONT,
        12,
        text_width,
    )
    _centered(canvas, f"Periode {certificate.period_name}", height - 155 * mm, FONT, 11, text_width)

    url = certificate.verification_url()
    qr_x, qr_y = width - 24 * mm - QR_SIZE, 20 * mm
    _draw_qr(canvas, url, qr_x, qr_y)
    canvas.setFont(FONT, 8)
    canvas.drawRightString(width - 26 * mm, qr_y - 1 * mm, "Pindai untuk memeriksa keaslian")

    canvas.setFont(FONT, 9)
    canvas.drawString(26 * mm, 32 * mm, pdf_text(f"Diterbitkan {issued}."))
    canvas.drawString(26 * mm, 27 * mm, pdf_text("Periksa keaslian sertifikat ini di:"))
    canvas.drawString(26 * mm, 22 * mm, pdf_text(url))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
