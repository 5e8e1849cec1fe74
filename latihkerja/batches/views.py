"""Public catalogue of batches."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from latihkerja.accounts.enums import Role

from .filters import CatalogueFilter
from .models import SEAT_HOLDING_STATUSES, Batch, Enrollment
from .queries import public_catalogue

PAGE_SIZE = 20


def catalogue(request: HttpRequest) -> HttpResponse:
    filterset = CatalogueFilter(request.GET or None, queryset=public_catalogue())
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else public_catalogue()
    if filterset.is_bound and not filterset.is_valid():
        queryset = queryset.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "batches/catalogue.html",
        {"filter": filterset, "page": page, "query": query.urlencode(), "total": page.paginator.count},
    )


def _seat_in_period(request: HttpRequest, batch: Batch) -> Enrollment | None:
    """A signed-in resident's seat (offered or taken) in the batch's period: the page then says where they
    stand instead of offering to register or take a seat they cannot have."""
    user: Any = request.user
    if not (user.is_authenticated and user.role == Role.RESIDENT):
        return None
    return (
        Enrollment.objects.filter(
            resident__user=user, period_id=batch.period_id, status__in=SEAT_HOLDING_STATUSES
        )
        .select_related("batch__theme")
        .first()
    )


def batch_detail(request: HttpRequest, code: str) -> HttpResponse:
    batch = get_object_or_404(public_catalogue(), code=code)
    return render(request, "batches/detail.html", {"batch": batch, "seat": _seat_in_period(request, batch)})
