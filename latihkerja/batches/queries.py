"""Reads of batches, scoped by viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Batch


def public_catalogue() -> QuerySet[Batch]:
    """Batches the public may see, with everything a catalogue row shows, in one query."""
    return (
        Batch.objects.public()
        .with_seats_left()
        .with_late_join()
        .select_related("theme", "theme__agency", "center", "center__kelurahan__kecamatan", "period")
        .order_by("starts_on", "code")
    )


def batches_visible_to(user: Any) -> QuerySet[Batch]:
    """Batches a staff member manages or supervises (empty for everybody else)."""
    return (
        Batch.objects.for_user(user)
        .with_seats_left()
        .select_related("theme", "theme__agency", "center", "center__kelurahan", "period")
        .order_by("starts_on", "code")
    )
