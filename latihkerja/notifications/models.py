"""The outbox: one row per message to one recipient, rendered when queued and delivered by the worker."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import Channel, Kind, MessageStatus


class Message(models.Model):
    """A message in the recipient's language, stored in the caller's transaction and sent after it commits.

    The text is rendered once, at queueing time, so a retry sends exactly what was first meant to go out.
    `status` is written only by `services.deliver`, which claims a row with a conditional `UPDATE` so that
    two workers never send the same message. A non-blank `dedupe_key` is unique: a retried request (a double
    click, a re-run task) finds the message it already queued instead of sending a second one.

    Holds personal data (phone numbers, names): the admin is for Bappeda only and each opening is audited.
    """

    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(
        _("penerima"), max_length=254, help_text=_("Nomor HP dalam format +62… atau alamat email.")
    )
    kind = models.CharField(_("jenis"), max_length=40, choices=Kind.choices)
    language = models.CharField(_("bahasa"), max_length=5, choices=settings.LANGUAGES, default="id")
    subject = models.CharField(_("judul"), max_length=200, blank=True)
    body = models.TextField(_("isi"))
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan kirim"), default=0)
    last_error = models.TextField(_("kesalahan terakhir"), blank=True)
    provider_message_id = models.CharField(_("id di penyedia"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    # When a worker last took the message to send it: a message left `sending` long after (the worker died
    # while the provider answered) is released by `services.requeue_undelivered_messages`.
    claimed_at = models.DateTimeField(_("diambil untuk dikirim pada"), null=True, blank=True)
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("warga"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("pengguna"),
    )
    dedupe_key = models.CharField(
        _("kunci anti-duplikat"),
        max_length=200,
        blank=True,
        help_text=_("Permintaan yang diulang dengan kunci yang sama tidak mengantrekan pesan kedua."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pesan")
        verbose_name_plural = _("kotak keluar pesan")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MessageStatus.values), name="message_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="message_channel_valid"),
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.SENT) | Q(sent_at__isnull=False),
                name="message_sent_has_time",
            ),
            models.UniqueConstraint(
                fields=["dedupe_key"], condition=~Q(dedupe_key=""), name="message_dedupe_key_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="message_status_created"),
            models.Index(fields=["recipient", "kind"], name="message_recipient_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient} ({self.kind}, {self.status})"
