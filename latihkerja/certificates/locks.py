"""Row locks of the certificates app (STYLE: one lock call per transaction, late, ordered by pk)."""

from __future__ import annotations

from latihkerja.batches.models import Batch


def lock_batch(batch_id: int) -> Batch:
    """The batch row, locked: two people issuing one batch's certificates at once take turns, so the second
    finds the first one's certificates and issues nothing (on SQLite the write lock already serialises)."""
    return (
        Batch.objects.select_for_update().select_related("theme__agency", "center", "period").get(pk=batch_id)
    )
