import pytest
from django.db import IntegrityError, transaction

from latihkerja.batches.models import Batch
from tests.factories import BatchFactory

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"seats_taken": 26}, "batch_never_overbooked"),
        ({"minimum": 30}, "batch_minimum_within_capacity"),
        ({"status": "published"}, "batch_status_valid"),
        ({"modality": "teleport"}, "batch_modality_valid"),
    ],
)
def test_database_refuses_an_invalid_batch_when_python_checks_are_bypassed(period, fields, constraint):
    batch = BatchFactory()

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Batch.objects.filter(pk=batch.pk).update(**fields)

    assert constraint in str(error.value) or "CHECK constraint failed" in str(error.value)
    assert Batch.objects.filter(pk=batch.pk, **fields).count() == 0
