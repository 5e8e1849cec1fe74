from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class CenterError(DomainError):
    ROOM_CAPACITY_POSITIVE = _("Kapasitas ruang harus lebih dari 0.")
    ROOM_NAME_TAKEN = _("BLK ini sudah punya ruang dengan nama itu. Pilih nama lain.")
