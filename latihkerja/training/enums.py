"""States of sessions, attendance and outcomes. Transitions live in `services.py`, one writer each."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionModality(models.TextChoices):
    """A session is either online or on site; a hybrid batch mixes both kinds of sessions."""

    DARING = "daring", _("Daring (online)")
    LURING = "luring", _("Luring (tatap muka)")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Terjadwal")
    STARTED = "started", _("Berlangsung")
    HELD = "held", _("Terlaksana")
    CANCELLED = "cancelled", _("Dibatalkan")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Hadir")
    LATE = "late", _("Terlambat")
    EXCUSED = "excused", _("Izin")
    ABSENT = "absent", _("Tidak hadir")


# The statuses that occupy a place in the room (count against the health-protocol cap) and earn hours.
ATTENDING_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("Pindai QR")
    JOIN_CODE = "join_code", _("Kode hadir daring")
    MARKED = "marked", _("Dicatat operator/instruktur")
    PAPER = "paper", _("Daftar hadir kertas")


class OutcomeStatus(models.TextChoices):
    COMPLETED = "completed", _("Lulus")
    NOT_COMPLETED = "not_completed", _("Tidak lulus")
    DROPPED_OUT = "dropped_out", _("Putus di tengah jalan")
