"""Reads of certificates, scoped by who is asking. Staff and residents go through `Certificate.objects.for_user`;
the public look-up returns a certificate by number (the number is the secret) and the views show only the
public fields (`PUBLIC_FIELDS`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from latihkerja.accounts.enums import Role
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import Batch

from .enums import CertificateStatus
from .models import Certificate
from .numbers import normalize_number

# What anyone holding a number may learn: nothing that identifies the holder beyond the printed name.
PUBLIC_FIELDS = (
    "number",
    "holder_name",
    "theme_name",
    "theme_name_en",
    "starts_on",
    "ends_on",
    "status",
    "revoked_at",
)


def public_certificate(text: str) -> Certificate | None:
    """The certificate with the number `text` (as typed; normalised here), loaded with the public fields only."""
    number = normalize_number(text)
    if number is None:
        return None
    return Certificate.objects.only(*PUBLIC_FIELDS).filter(number=number).first()


def certificates_of(user: Any) -> QuerySet[Certificate]:
    """A resident's own certificates, newest first (empty for anyone else)."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.RESIDENT:
        return Certificate.objects.none()
    return Certificate.objects.for_user(user).order_by("-issued_at", "-pk")


def certificate_visible_to(user: Any, number: str) -> Certificate | None:
    """The certificate `number` if `user` may see it (its holder, or staff in scope), else None."""
    normalized = normalize_number(number)
    if normalized is None:
        return None
    return Certificate.objects.for_user(user).select_related("batch").filter(number=normalized).first()


def batches_with_certificates(user: Any) -> QuerySet[Batch]:
    """Completed batches visible to `user`, with counts of issued and revoked certificates and PDFs made."""
    return (
        Batch.objects.for_user(user)
        .filter(status=BatchStatus.COMPLETED)
        .select_related("theme", "center", "period")
        .annotate(
            issued_count=Count("certificates", filter=Q(certificates__status=CertificateStatus.ISSUED)),
            revoked_count=Count("certificates", filter=Q(certificates__status=CertificateStatus.REVOKED)),
            pdf_count=Count("certificates", filter=Q(certificates__generated_at__isnull=False)),
        )
        .order_by("-ends_on", "code")
    )
