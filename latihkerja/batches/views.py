"""Public catalogue of batches."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .filters import CatalogueFilter
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


def batch_detail(request: HttpRequest, code: str) -> HttpResponse:
    batch = get_object_or_404(public_catalogue(), code=code)
    return render(request, "batches/detail.html", {"batch": batch})
