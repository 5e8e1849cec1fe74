"""Who may do what with a batch. Visibility is `Batch.objects.for_user`; these predicates decide actions.

Registered with django-rules, so `user.has_perm("batches.change_batch", batch)` answers the same in the
admin, the pages and the API.
"""

from __future__ import annotations

from typing import Any

import rules

from latihkerja.accounts.enums import Role
from latihkerja.accounts.rules import is_bappeda, is_instructor, is_opd, is_operator

from .enums import BatchStatus


@rules.predicate
def is_batch_agency_supervisor(user: Any, batch: Any) -> bool:
    return batch is None or (user.role == Role.OPD and batch.theme.agency_id == user.agency_id)


@rules.predicate
def is_batch_center_operator(user: Any, batch: Any) -> bool:
    return batch is None or (user.role == Role.OPERATOR and batch.center_id == user.center_id)


@rules.predicate
def is_batch_instructor(user: Any, batch: Any) -> bool:
    return batch is None or (user.role == Role.INSTRUCTOR and batch.instructors.filter(pk=user.pk).exists())


can_view_batch = is_bappeda | is_batch_agency_supervisor | is_batch_center_operator | is_batch_instructor
# Operators keep their own centre's batches up to date (room, dates, instructors); Bappeda edits any.
can_change_batch = is_bappeda | (is_operator & is_batch_center_operator)

rules.add_perm("batches", is_bappeda | is_opd | is_operator | is_instructor)
rules.add_perm("batches.view_batch", can_view_batch)
rules.add_perm("batches.add_batch", is_bappeda)
rules.add_perm("batches.change_batch", can_change_batch)
rules.add_perm("batches.delete_batch", is_bappeda)

# Status changes each have their own owners (docs/architecture.md, "Batch life-cycle").
TRANSITION_PERMISSIONS: dict[str, Any] = {
    BatchStatus.APPROVED: is_bappeda | (is_opd & is_batch_agency_supervisor),
    BatchStatus.OPEN: is_bappeda,
    BatchStatus.ALLOCATED: is_bappeda,
    BatchStatus.RUNNING: is_bappeda | (is_operator & is_batch_center_operator),
    BatchStatus.COMPLETED: is_bappeda | (is_operator & is_batch_center_operator),
    BatchStatus.CANCELLED: is_bappeda | (is_opd & is_batch_agency_supervisor),
}


def can_transition(user: Any, batch: Any, target: str) -> bool:
    predicate = TRANSITION_PERMISSIONS.get(target)
    return bool(predicate and predicate.test(user, batch))


rules.add_perm("batches.view_enrollment", is_bappeda | is_opd | is_operator | is_instructor)
for action in ("add", "change", "delete"):
    rules.add_perm(f"batches.{action}_enrollment", rules.always_deny)
