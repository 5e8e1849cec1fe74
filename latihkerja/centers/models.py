"""Training centres (BLK), one per kelurahan by default, and their rooms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from latihkerja.accounts.enums import Role
from latihkerja.common.models import ScopedQuerySet
from latihkerja.regions.models import Kelurahan

from .errors import CenterError

if TYPE_CHECKING:
    from latihkerja.accounts.models import User


class CenterQuerySet(ScopedQuerySet):
    def scoped_to(self, user: User) -> Self:
        if user.role == Role.BAPPEDA:
            return self.all()
        if user.role == Role.OPERATOR:
            return self.filter(pk=user.center_id)
        if user.role == Role.OPD:
            return self.filter(batches__theme__agency_id=user.agency_id).distinct()
        if user.role == Role.INSTRUCTOR:
            return self.filter(batches__instructors=user).distinct()
        return self.none()


class Center(models.Model):
    """A Balai Latihan Kerja. Public information (its page is public); staff scoping via `for_user`."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kelurahan = models.ForeignKey(
        Kelurahan, verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="centers"
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    objects = CenterQuerySet.as_manager()

    class Meta:
        ordering = ["kelurahan__code", "code"]
        verbose_name = _("BLK")
        verbose_name_plural = _("BLK")

    def __str__(self) -> str:
        return self.name


class RoomQuerySet(ScopedQuerySet):
    def scoped_to(self, user: User) -> Self:
        return self.filter(center__in=Center.objects.for_user(user))


class Room(models.Model):
    """A room where luring sessions take place. `capacity` is the normal seating, before health-protocol caps."""

    center = models.ForeignKey(Center, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("BLK"))
    name = models.CharField(_("nama ruang"), max_length=100)
    capacity = models.PositiveIntegerField(
        _("kapasitas"), validators=[MinValueValidator(1, CenterError.ROOM_CAPACITY_POSITIVE)]
    )

    objects = RoomQuerySet.as_manager()

    class Meta:
        ordering = ["center", "name"]
        verbose_name = _("ruang")
        verbose_name_plural = _("ruang")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "name"],
                name="room_unique_name_per_center",
                violation_error_code="room_name_taken",
                violation_error_message=CenterError.ROOM_NAME_TAKEN,
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gt=0),
                name="room_capacity_positive",
                violation_error_message=CenterError.ROOM_CAPACITY_POSITIVE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.center.name} — {self.name}"
