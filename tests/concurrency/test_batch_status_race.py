"""Two people acting on one batch at the same moment: the database lets exactly one win."""

import threading

import pytest
from django.db import connections

from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.errors import BatchError
from latihkerja.batches.models import Batch
from latihkerja.batches.services import change_batch_status
from tests.factories import BatchFactory, PeriodFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_exactly_one_of_many_concurrent_status_changes_wins_when_racing(reference_data, bappeda_admin):
    PeriodFactory()
    batch = BatchFactory(status=BatchStatus.DRAFT)
    targets = ["approved", "cancelled"] * 8
    barrier = threading.Barrier(len(targets))
    outcomes: list[str] = []
    lock = threading.Lock()

    def act(target: str) -> None:
        stale = Batch.objects.get(pk=batch.pk)
        barrier.wait()
        try:
            change_batch_status(batch=stale, to=target, actor=bappeda_admin, reason="uji serentak")
            result = "won:" + target
        except BatchError as error:
            result = error.message
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=act, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winners = [o for o in outcomes if o.startswith("won:")]
    assert len(winners) == 1
    assert Batch.objects.get(pk=batch.pk).status == winners[0].removeprefix("won:")
    assert sorted(set(outcomes) - set(winners)) == [
        "Status kelas sudah diubah orang lain. Muat ulang halaman lalu coba lagi."
    ]
