"""A deletion request granted by two people at once (two Bappeda staff, a double click): erased once, told once."""

import pytest

from latihkerja.audit.models import AuditEvent
from latihkerja.notifications.models import Message
from latihkerja.residents.errors import ResidentError
from latihkerja.residents.models import DeletionRequest, Resident
from latihkerja.residents.services import erase_resident
from tests.concurrency.conftest import run_in_parallel
from tests.factories import ResidentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_grants_of_one_request_at_once_erase_once_and_send_one_message(reference_data, bappeda_admin):
    resident = ResidentFactory(full_name="Siti Aminah", phone="+6281234567890")
    deletion = DeletionRequest.objects.create(resident=resident)

    outcomes = run_in_parallel(
        [lambda: erase_resident(deletion=deletion, actor=bappeda_admin)] * 10, workers=10
    )

    granted = [o for o in outcomes if isinstance(o, DeletionRequest)]
    refused = [o for o in outcomes if isinstance(o, ResidentError)]
    assert (len(granted), len(refused)) == (1, 9), outcomes
    assert {e.template for e in refused} == {ResidentError.DELETION_DECIDED}
    assert Resident.objects.get(pk=resident.pk).full_name == "Data dihapus"
    assert AuditEvent.objects.filter(action="resident.erased").count() == 1
    assert Message.objects.filter(kind="data_erased").count() == 1
