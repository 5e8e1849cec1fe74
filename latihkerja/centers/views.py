"""A centre's public page: where it is, its rooms, and its batches in the public catalogue."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from latihkerja.batches.queries import public_catalogue

from .models import Center


def center_detail(request: HttpRequest, code: str) -> HttpResponse:
    center = get_object_or_404(
        Center.objects.filter(is_active=True)
        .select_related("kelurahan__kecamatan")
        .prefetch_related("rooms"),
        code=code,
    )
    batches = public_catalogue().filter(center=center)
    return render(request, "centers/detail.html", {"center": center, "batches": batches})
