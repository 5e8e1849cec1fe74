"""Reads of batches, scoped by viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Q, QuerySet, Value, When

from .enums import BatchStatus
from .models import Batch


def public_catalogue() -> QuerySet[Batch]:
    """Batches the public may see, with everything a catalogue row shows, in one query."""
    return (
        Batch.objects.public()
        .with_seats_left()
        .with_late_join()
        .select_related("theme", "theme__agency", "center", "center__kelurahan__kecamatan", "period")
        # What a resident can still join first (registration open, then seats left after allocation), then
        # classes under way, finished ones last; by start date within each.
        .annotate(
            listing_order=Case(
                When(status=BatchStatus.OPEN, then=Value(0)),
                When(status=BatchStatus.ALLOCATED, then=Value(1)),
                When(status=BatchStatus.RUNNING, then=Value(2)),
                default=Value(3),
            )
        )
        .order_by("listing_order", "starts_on", "code")
    )


SEARCH_MAX = 100


def search_text(request: Any) -> str:
    """The `q` of a staff class list, spaces tidied and cut to `SEARCH_MAX` characters."""
    return " ".join(str(request.GET.get("q", "")).split())[:SEARCH_MAX]


def matching(batches: QuerySet[Batch], text: str) -> QuerySet[Batch]:
    """The classes whose code, BLK, kecamatan or theme (either language) contains `text` (all when blank): one
    class among a period's 520 by what people quote."""
    if not text:
        return batches
    return batches.filter(
        Q(code__icontains=text)
        | Q(center__name__icontains=text)
        | Q(center__kelurahan__kecamatan__name__icontains=text)
        | Q(theme__name__icontains=text)
        | Q(theme__name_en__icontains=text)
    )


def batches_visible_to(user: Any) -> QuerySet[Batch]:
    """Batches a staff member manages or supervises (empty for everybody else)."""
    return (
        Batch.objects.for_user(user)
        .with_seats_left()
        .select_related("theme", "theme__agency", "center", "center__kelurahan", "period")
        .order_by("starts_on", "code")
    )
