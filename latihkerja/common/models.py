"""Abstract building blocks shared by the domain apps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from latihkerja.accounts.models import User


class BilingualName:
    """For a model with `name` (Indonesian) and an optional `name_en`: `display_name` is the reader's."""

    name: Any
    name_en: Any

    @property
    def display_name(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return str(self.name_en)
        return str(self.name)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True

    def changed_values(self, values: dict[str, Any]) -> dict[str, Any]:
        """Of `values` (field name → new value), those that differ from what the object holds."""
        return {name: value for name, value in values.items() if getattr(self, name) != value}

    def save_changes(self, changed: dict[str, Any]) -> None:
        """Write `changed` (from `changed_values`) and nothing else: a save never undoes a concurrent change to
        another field."""
        for name, value in changed.items():
            setattr(self, name, value)
        self.save(update_fields=[*changed, "updated_at"])


class ScopedQuerySet(models.QuerySet[Any]):
    """A queryset that knows what a given user may see.

    Every staff page, admin list and API call loads objects through `for_user(user)`: one place per model
    decides visibility, and an object outside it is a 404, never a 403 that reveals it exists.
    """

    def for_user(self, user: User | Any) -> Self:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.scoped_to(user)

    def scoped_to(self, user: User) -> Self:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError
