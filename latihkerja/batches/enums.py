"""The batch life-cycle. `TRANSITIONS` is the single source of which status may follow which."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    APPROVED = "approved", _("Disetujui")
    OPEN = "open", _("Pendaftaran dibuka")
    ALLOCATED = "allocated", _("Kursi dibagikan")
    RUNNING = "running", _("Berjalan")
    COMPLETED = "completed", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


TRANSITIONS: dict[str, frozenset[str]] = {
    BatchStatus.DRAFT: frozenset({BatchStatus.APPROVED, BatchStatus.CANCELLED}),
    BatchStatus.APPROVED: frozenset({BatchStatus.OPEN, BatchStatus.CANCELLED}),
    BatchStatus.OPEN: frozenset({BatchStatus.ALLOCATED, BatchStatus.CANCELLED}),
    BatchStatus.ALLOCATED: frozenset({BatchStatus.RUNNING, BatchStatus.CANCELLED}),
    BatchStatus.RUNNING: frozenset({BatchStatus.COMPLETED, BatchStatus.CANCELLED}),
    BatchStatus.COMPLETED: frozenset(),
    BatchStatus.CANCELLED: frozenset(),
}

# What the public catalogue lists: a batch becomes public once registration opens.
PUBLIC_STATUSES = frozenset(
    {BatchStatus.OPEN, BatchStatus.ALLOCATED, BatchStatus.RUNNING, BatchStatus.COMPLETED}
)
