"""Answers to offers racing: one answer per offer wins, and a freed seat promotes exactly one waiting resident."""

import pytest

from latihkerja.allocation.errors import AllocationError
from latihkerja.allocation.models import WaitlistEntry
from latihkerja.allocation.services import accept_offer, decline_offer
from latihkerja.batches.models import Batch, Enrollment
from tests.allocation.helpers import applicant, closed_period, published_run
from tests.concurrency.conftest import run_in_parallel
from tests.factories import BatchFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def market(reference_data, bappeda_admin):
    """A batch of 5 seats offered to 5 laid-off residents; 10 unemployed residents wait."""
    period = closed_period()
    batch = BatchFactory(code="ramai", period=period, capacity=5, minimum=1)
    holders = [applicant(period, [batch], employment="phk", with_user=True) for _ in range(5)]
    waiting = [applicant(period, [batch], employment="menganggur", with_user=True) for _ in range(10)]
    run = published_run(period, bappeda_admin)
    offers = [Enrollment.objects.select_related("resident").get(resident=h.resident) for h in holders]
    return {"run": run, "batch": batch, "offers": offers, "waiting": waiting}


def test_one_offer_declined_twenty_times_at_once_promotes_exactly_one_resident(market):
    offer = market["offers"][0]

    outcomes = run_in_parallel(
        [lambda: decline_offer(enrollment=offer, actor=offer.resident.user)] * 20, workers=20
    )

    declined = [o for o in outcomes if isinstance(o, Enrollment)]
    refused = [o for o in outcomes if not isinstance(o, Enrollment)]
    assert len(declined) == 1
    assert {type(o) for o in refused} == {AllocationError}
    assert {o.message for o in refused} == {"Tawaran ini sudah dijawab atau tidak berlaku lagi."}
    assert WaitlistEntry.objects.filter(offered_at__isnull=False).count() == 1
    assert Enrollment.objects.filter(batch=market["batch"], status="offered").count() == 5
    assert Batch.objects.get(pk=market["batch"].pk).seats_taken == 5


def test_every_offer_declined_at_once_promotes_five_different_residents_without_overbooking(market):
    calls = [lambda o=o: decline_offer(enrollment=o, actor=o.resident.user) for o in market["offers"]]

    outcomes = run_in_parallel(calls, workers=5)

    assert all(isinstance(o, Enrollment) for o in outcomes), outcomes
    promoted = Enrollment.objects.filter(batch=market["batch"], status="offered")
    waiting_residents = {w.resident_id for w in market["waiting"]}
    assert promoted.count() == 5
    assert {e.resident_id for e in promoted} <= waiting_residents
    assert len({e.resident_id for e in promoted}) == 5
    assert sorted(
        WaitlistEntry.objects.filter(offered_at__isnull=False).values_list("position", flat=True)
    ) == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert Batch.objects.get(pk=market["batch"].pk).seats_taken == 5


def test_accept_and_decline_of_one_offer_at_once_let_exactly_one_win(market):
    offer = market["offers"][0]
    user = offer.resident.user

    outcomes = run_in_parallel(
        [
            lambda: accept_offer(enrollment=offer, actor=user),
            lambda: decline_offer(enrollment=offer, actor=user),
        ]
        * 5,
        workers=10,
    )

    winners = [o for o in outcomes if isinstance(o, Enrollment)]
    final = Enrollment.objects.get(pk=offer.pk).status
    assert len(winners) == 1
    assert final in ("active", "declined")
    assert WaitlistEntry.objects.filter(offered_at__isnull=False).count() == (1 if final == "declined" else 0)
    assert Batch.objects.get(pk=market["batch"].pk).seats_taken == 5
