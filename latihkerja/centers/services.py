"""Centres: by default one BLK per kelurahan, at the kelurahan office, with one hall."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from latihkerja.regions.models import Kelurahan

from .models import Center, Room

DEFAULT_ROOM_NAME = "Aula Kantor Kelurahan"


def center_code(kelurahan: Kelurahan) -> str:
    return "blk-" + kelurahan.code.replace(".", "")


@transaction.atomic
def create_default_centers(*, room_capacity: int | None = None) -> int:
    """Give every kelurahan without a centre its BLK and hall. Existing centres are left as they are."""
    capacity: int = room_capacity or settings.DEFAULT_ROOM_CAPACITY
    city = settings.CITY["name"]
    for kelurahan in Kelurahan.objects.select_related("kecamatan").filter(centers__isnull=True):
        postcode = kelurahan.postcodes.split(";")[0]
        center = Center.objects.create(
            code=center_code(kelurahan),
            name=f"BLK Kelurahan {kelurahan.name}",
            kelurahan=kelurahan,
            address=f"Kantor Kelurahan {kelurahan.name}, Kec. {kelurahan.kecamatan.name}, {city} {postcode}".strip(),
        )
        Room.objects.create(center=center, name=DEFAULT_ROOM_NAME, capacity=capacity)
    return Center.objects.count()
