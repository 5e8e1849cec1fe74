"""Mechanisms, the life-cycle of an allocation run, and how near a resident lives to a batch's centre."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mechanism(models.TextChoices):
    """The engine's three mechanisms (`latihkerja.engine.allocation`). Only `da` results are published:
    `fcfs` and `welfare` exist to compare against (what stability and priorities cost or gain)."""

    DA = "da", _("Penerimaan tertunda (DA)")  # short: the select must fit a phone; the page explains it
    FCFS = "fcfs", _("Siapa cepat dia dapat (pembanding)")
    WELFARE = "welfare", _("Penempatan terbanyak (pembanding)")


PUBLISHABLE_MECHANISMS = frozenset({Mechanism.DA})


class RunStatus(models.TextChoices):
    """`queued → running → done | failed`; `done → publishing → published` (or back to `done`, with the
    reason in `error`, when publication is refused in the worker). Only `allocation.services` writes it, with
    conditional updates (`… WHERE status = old`)."""

    QUEUED = "queued", _("Menunggu giliran")
    RUNNING = "running", _("Sedang dihitung")
    DONE = "done", _("Selesai, menunggu tinjauan")
    FAILED = "failed", _("Gagal")
    PUBLISHING = "publishing", _("Sedang diumumkan")
    PUBLISHED = "published", _("Diumumkan")


class Locality(models.IntegerChoices):
    """Where the resident lives, seen from the batch's centre (lower is better in the priority key)."""

    KELURAHAN = 0, _("warga kelurahan BLK")
    KECAMATAN = 1, _("warga kecamatan BLK")
    ELSEWHERE = 2, _("warga luar kecamatan BLK")
