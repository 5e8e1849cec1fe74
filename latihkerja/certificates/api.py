"""Certificate verification in the JSON API: the same look-up and the same public fields as the page."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone, translation
from ninja import Router, Schema
from ninja.errors import HttpError

from latihkerja.api.schemas import Message

from .errors import CertificateError
from .models import Certificate
from .numbers import normalize_number
from .queries import public_certificate
from .throttle import over_verify_limit

router = Router(tags=["certificates"])


class CertificateOut(Schema):
    number: str
    holder_name: str
    theme: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    is_valid: bool
    revoked_on: dt.date | None


def public_view(certificate: Certificate) -> CertificateOut:
    return CertificateOut(
        number=certificate.number,
        holder_name=certificate.holder_name,
        theme=certificate.display_theme_name,
        starts_on=certificate.starts_on,
        ends_on=certificate.ends_on,
        status=certificate.status,
        is_valid=not certificate.is_revoked,
        revoked_on=timezone.localtime(certificate.revoked_at).date() if certificate.revoked_at else None,
    )


@router.get(
    "/certificates/{number}",
    response={200: CertificateOut, 404: Message, 429: Message},
    summary="Verify a certificate by its number",
    auth=None,
)
def verify_certificate(request: HttpRequest, number: str) -> CertificateOut:
    """Public. `number` as printed (case, spaces and dashes are forgiven; O/0 and I/1 are read alike).
    Answers 404 `{"detail": …}` for an unknown number, 429 beyond 30 look-ups a minute from one address;
    `status` is `issued` or `revoked`."""
    if over_verify_limit(request):
        raise HttpError(
            429,
            str(
                translation.gettext("Terlalu banyak pemeriksaan dari alamat ini. Coba lagi satu menit lagi.")
            ),
        )
    if normalize_number(number) is None:
        raise HttpError(404, str(CertificateError.NUMBER_INVALID))
    certificate = public_certificate(number)
    if certificate is None:
        raise HttpError(404, str(CertificateError.NOT_FOUND))
    return public_view(certificate)
