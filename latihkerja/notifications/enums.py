"""Channels, kinds and the delivery life-cycle of an outbox message."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")


# A sign-in code is valid this long (`accounts.services.CODE_TTL`); its SMS is not sent any later
# (`services.deliver`).
SIGN_IN_CODE_TTL = dt.timedelta(minutes=10)

# Channels that reach a phone number (E.164); the others reach an email address.
PHONE_CHANNELS = frozenset({Channel.SMS, Channel.WHATSAPP})


class Kind(models.TextChoices):
    """What a message is about. A new kind needs a member here, its templates
    (`templates/notifications/<kind>.txt` and `<kind>_subject.txt`) and its entry in `REQUIRED_CONTEXT`."""

    OTP = "otp", _("Kode verifikasi")
    REGISTRATION_RECEIVED = "registration_received", _("Pendaftaran diterima")
    APPLICATION_SUBMITTED = "application_submitted", _("Pilihan kelas tersimpan")
    OFFER = "offer", _("Tawaran kursi")
    NO_SEAT = "no_seat", _("Belum mendapat kursi")
    REMINDER = "reminder", _("Pengingat kelas")
    CERTIFICATE = "certificate", _("Sertifikat terbit")
    JOB_MATCH = "job_match", _("Lowongan yang cocok")
    SCHEDULE_CHANGED = "schedule_changed", _("Jadwal berubah")
    DATA_ERASED = "data_erased", _("Data dihapus")
    CLASSES_OPEN = "classes_open", _("Kelas sesuai minat dibuka")
    CLASS_CANCELLED = "class_cancelled", _("Kelas dibatalkan")


# The context each kind's templates read. A missing key would silently render as an empty string in a
# message that cannot be recalled, so `queue_message` refuses it instead.
REQUIRED_CONTEXT: dict[str, frozenset[str]] = {
    Kind.OTP: frozenset({"code", "minutes"}),
    Kind.REGISTRATION_RECEIVED: frozenset({"name"}),
    Kind.APPLICATION_SUBMITTED: frozenset({"name", "period", "choices"}),
    Kind.OFFER: frozenset({"name", "batch", "center", "starts_on", "respond_by", "url"}),
    Kind.NO_SEAT: frozenset({"name", "period", "url"}),
    Kind.REMINDER: frozenset({"batch", "starts_at", "place"}),
    Kind.CERTIFICATE: frozenset({"name", "batch", "number", "url"}),
    Kind.JOB_MATCH: frozenset({"name", "vacancy", "company", "url"}),
    Kind.SCHEDULE_CHANGED: frozenset({"batch", "change", "url"}),
    Kind.DATA_ERASED: frozenset(),
    Kind.CLASSES_OPEN: frozenset({"name", "period", "theme", "closes", "url"}),
    Kind.CLASS_CANCELLED: frozenset({"batch", "reason", "url"}),
}


class MessageStatus(models.TextChoices):
    """`queued → sending → sent`, or `sending → failed → sending …` until `max_attempts`.

    Only `services.deliver` moves a message, with conditional updates (`… WHERE status = old`)."""

    QUEUED = "queued", _("Dalam antrean")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


# The states from which a worker may claim a message for (another) delivery attempt.
DELIVERABLE_STATUSES = frozenset({MessageStatus.QUEUED, MessageStatus.FAILED})
