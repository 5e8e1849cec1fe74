"""The life-cycle of a plan and where each planned batch came from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    """`queued → running → done | failed`; `done → sent → approved` (or `done → approved` by Bappeda);
    `sent → done` when an OPD returns the plan with a note.

    Only `planning.services` writes it, with conditional updates (`… WHERE status = old`)."""

    QUEUED = "queued", _("Menunggu giliran")
    RUNNING = "running", _("Sedang dihitung")
    DONE = "done", _("Selesai, dapat diubah")
    FAILED = "failed", _("Gagal")
    SENT = "sent", _("Dikirim ke OPD")
    APPROVED = "approved", _("Disetujui, kelas dibuat")


EDITABLE_STATUSES = frozenset({PlanStatus.DONE})
APPROVABLE_STATUSES = frozenset({PlanStatus.DONE, PlanStatus.SENT})


class Source(models.TextChoices):
    GENERATED = "generated", _("Hasil perencana")
    EDITED = "edited", _("Diubah Bappeda")
