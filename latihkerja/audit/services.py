"""Recording audit events. Called inside the caller's transaction so the trail and the change commit together."""

from typing import Any

from django.db import models

from .models import AuditEvent


def record_event(
    *, actor: Any, action: str, target: models.Model, detail: dict[str, Any] | None = None
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        detail=detail or {},
    )
