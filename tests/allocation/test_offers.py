"""Offers: accept before the deadline; a decline or an expiry promotes the wait list in key order, once."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from latihkerja.allocation.errors import AllocationError
from latihkerja.allocation.models import WaitlistEntry
from latihkerja.allocation.services import accept_offer, decline_offer, expire_offers
from latihkerja.batches.errors import BatchError
from latihkerja.batches.models import Batch, Enrollment
from latihkerja.batches.services import take_open_seat
from latihkerja.notifications.models import Message
from tests.allocation.helpers import applicant, closed_period, published_run
from tests.factories import BatchFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def full_batch(db, bappeda_admin):
    """One batch of 2 seats: two laid-off residents hold offers; three wait, in key order W3, W2, W1."""
    period = closed_period()
    batch = BatchFactory(code="x", period=period, capacity=2, minimum=1)
    holders = [
        applicant(period, [batch], employment="phk", phone=f"08120000100{n}", with_user=True)
        for n in range(2)
    ]
    w1 = applicant(
        period, [batch], employment="bekerja", kelurahan="Sukarasa", phone="081200002001", with_user=True
    )
    w2 = applicant(
        period, [batch], employment="menganggur", kelurahan="Cipondoh", phone="081200002002", with_user=True
    )
    w3 = applicant(
        period, [batch], employment="menganggur", kelurahan="Sukarasa", phone="081200002003", with_user=True
    )
    run = published_run(period, bappeda_admin)
    offers = [Enrollment.objects.select_related("resident").get(resident=h.resident) for h in holders]
    return {"run": run, "batch": batch, "offers": offers, "waiting": [w3, w2, w1]}


def seat_of(application):
    return Enrollment.objects.filter(resident=application.resident).values_list("status", flat=True).first()


def test_wait_list_is_in_key_order_when_groups_and_localities_differ(full_batch):
    w3, w2, w1 = full_batch["waiting"]

    entries = list(WaitlistEntry.objects.filter(run=full_batch["run"]).order_by("position"))

    assert [e.application_id for e in entries] == [w3.pk, w2.pk, w1.pk]


def test_accepting_makes_the_seat_active_when_before_the_deadline(full_batch):
    offer = full_batch["offers"][0]

    accept_offer(enrollment=offer, actor=offer.resident.user)

    assert Enrollment.objects.get(pk=offer.pk).status == "active"
    assert Batch.objects.get(pk=full_batch["batch"].pk).seats_taken == 2
    assert WaitlistEntry.objects.filter(offered_at__isnull=False).count() == 0


def test_accepting_is_refused_when_the_deadline_has_passed(full_batch):
    offer = full_batch["offers"][0]
    Enrollment.objects.filter(pk=offer.pk).update(respond_by=timezone.now() - dt.timedelta(minutes=1))

    with pytest.raises(AllocationError) as error:
        accept_offer(enrollment=offer, actor=offer.resident.user)

    assert (
        error.value.message
        == "Batas waktu menjawab tawaran ini sudah lewat; kursinya diberikan ke daftar tunggu."
    )
    assert Enrollment.objects.get(pk=offer.pk).status == "offered"


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_accepting_is_refused_when_the_class_is_over(full_batch, status):
    """A class closed (or cancelled) with an offer left unanswered: taking that seat would make a participant of
    a class that has ended, with no outcome, and hold their one seat of the period."""
    offer = full_batch["offers"][0]
    Batch.objects.filter(pk=full_batch["batch"].pk).update(status=status)

    with pytest.raises(AllocationError) as error:
        accept_offer(enrollment=offer, actor=offer.resident.user)

    assert error.value.message == str(AllocationError.CLASS_NOT_JOINABLE)
    assert Enrollment.objects.get(pk=offer.pk).status == "offered"


def test_a_seat_freed_in_a_class_that_is_over_goes_to_nobody(full_batch):
    offer = full_batch["offers"][0]
    Batch.objects.filter(pk=full_batch["batch"].pk).update(status="completed")

    decline_offer(enrollment=offer, actor=offer.resident.user)

    assert WaitlistEntry.objects.filter(offered_at__isnull=False).count() == 0
    assert [seat_of(w) for w in full_batch["waiting"]] == [None, None, None]


def test_answering_is_refused_when_the_offer_belongs_to_someone_else(full_batch):
    mine, theirs = full_batch["offers"]

    with pytest.raises(AllocationError) as error:
        decline_offer(enrollment=theirs, actor=mine.resident.user)

    assert error.value.message == "Tawaran ini bukan untuk Anda."
    assert Enrollment.objects.get(pk=theirs.pk).status == "offered"


def test_declining_promotes_the_first_waiting_resident_in_key_order_and_notifies_them(full_batch):
    offer = full_batch["offers"][0]
    w3, w2, w1 = full_batch["waiting"]

    decline_offer(enrollment=offer, actor=offer.resident.user)

    assert Enrollment.objects.get(pk=offer.pk).status == "declined"
    assert [seat_of(w) for w in (w3, w2, w1)] == ["offered", None, None]
    promoted = Enrollment.objects.get(resident=w3.resident)
    assert promoted.run_id == full_batch["run"].pk
    assert promoted.respond_by > timezone.now() + dt.timedelta(days=2, hours=23)
    assert Batch.objects.get(pk=full_batch["batch"].pk).seats_taken == 2
    assert list(
        Message.objects.filter(kind="offer", recipient="+6281200002003").values_list("dedupe_key", flat=True)
    ) == [f"offer-{promoted.pk}"]


def test_declining_twice_is_refused_and_promotes_once_when_the_offer_was_already_declined(full_batch):
    offer = full_batch["offers"][0]
    decline_offer(enrollment=offer, actor=offer.resident.user)

    with pytest.raises(AllocationError) as error:
        decline_offer(enrollment=offer, actor=offer.resident.user)

    assert error.value.message == "Tawaran ini sudah dijawab atau tidak berlaku lagi."
    assert WaitlistEntry.objects.filter(offered_at__isnull=False).count() == 1
    assert Enrollment.objects.filter(status="offered").count() == 2


def test_expiry_promotes_the_next_waiting_residents_when_deadlines_pass(full_batch):
    later = timezone.now() + dt.timedelta(days=3, minutes=1)
    w3, w2, w1 = full_batch["waiting"]

    expired = expire_offers(later)

    assert expired == 2
    assert [Enrollment.objects.get(pk=o.pk).status for o in full_batch["offers"]] == ["expired", "expired"]
    assert [seat_of(w) for w in (w3, w2, w1)] == ["offered", "offered", None]
    assert Batch.objects.get(pk=full_batch["batch"].pk).seats_taken == 2
    assert expire_offers(timezone.now() + dt.timedelta(days=1)) == 0


def test_nobody_is_promoted_and_the_seat_is_free_when_the_wait_list_is_used_up(full_batch):
    for application in full_batch["waiting"]:
        application.status = "withdrawn"
        application.save()
    offer = full_batch["offers"][0]

    decline_offer(enrollment=offer, actor=offer.resident.user)

    assert Batch.objects.get(pk=full_batch["batch"].pk).seats_taken == 1
    assert Enrollment.objects.filter(status="offered").count() == 1


def test_waiting_resident_who_took_a_seat_elsewhere_is_skipped_when_a_seat_frees(full_batch, bappeda_admin):
    w3, w2, _w1 = full_batch["waiting"]
    elsewhere = BatchFactory(code="lain", period=full_batch["run"].period, status="allocated")
    take_open_seat(batch=elsewhere, resident=w3.resident, actor=bappeda_admin)
    offer = full_batch["offers"][0]

    decline_offer(enrollment=offer, actor=offer.resident.user)

    assert Enrollment.objects.get(resident=w2.resident, batch=full_batch["batch"]).status == "offered"
    assert Enrollment.objects.get(resident=w3.resident).batch_id == elsewhere.pk


def test_first_come_seat_is_refused_when_the_resident_holds_an_offer(full_batch, bappeda_admin):
    offer = full_batch["offers"][0]
    elsewhere = BatchFactory(code="lain", period=full_batch["run"].period, status="allocated")

    with pytest.raises(BatchError) as error:
        take_open_seat(batch=elsewhere, resident=offer.resident, actor=bappeda_admin)

    assert error.value.message == "Anda sudah punya kursi di kelas lain pada periode ini."
    assert Batch.objects.get(pk=elsewhere.pk).seats_taken == 0


def test_expiry_command_expires_overdue_offers_when_run_from_cron(full_batch):
    Enrollment.objects.filter(pk=full_batch["offers"][0].pk).update(
        respond_by=timezone.now() - dt.timedelta(seconds=1)
    )
    out = io.StringIO()

    call_command("expire_offers", stdout=out)

    assert out.getvalue().startswith("expire_offers enqueued (task ")
    assert Enrollment.objects.get(pk=full_batch["offers"][0].pk).status == "expired"
    assert seat_of(full_batch["waiting"][0]) == "offered"


def test_withdrawing_an_accepted_seat_offers_it_to_the_first_on_the_wait_list(full_batch):
    from latihkerja.allocation.services import withdraw_seat

    offer = full_batch["offers"][0]
    accept_offer(enrollment=offer, actor=offer.resident.user)
    w3, w2, w1 = full_batch["waiting"]

    withdraw_seat(enrollment=offer, actor=offer.resident.user, reason="dapat kerja")

    assert seat_of(offer) == "withdrawn"
    assert [seat_of(w) for w in (w3, w2, w1)] == ["offered", None, None]
    assert Batch.objects.get(pk=full_batch["batch"].pk).seats_taken == 2
    assert Message.objects.filter(kind="offer", resident=w3.resident).count() == 1


def test_withdrawing_is_refused_for_someone_elses_seat_and_for_a_pending_offer(full_batch, other_resident):
    from latihkerja.allocation.services import withdraw_seat

    first, second = full_batch["offers"]
    accept_offer(enrollment=first, actor=first.resident.user)

    with pytest.raises(AllocationError) as not_yours:
        withdraw_seat(enrollment=first, actor=other_resident)
    with pytest.raises(AllocationError) as pending:
        withdraw_seat(enrollment=second, actor=second.resident.user)

    assert not_yours.value.message == "Tawaran ini bukan untuk Anda."
    assert (
        pending.value.message
        == "Kursi ini tidak sedang Anda pegang sebagai peserta, jadi tidak dapat dilepas."
    )
    assert [seat_of(o) for o in (first, second)] == ["active", "offered"]
    assert Batch.objects.get(pk=full_batch["batch"].pk).seats_taken == 2


def test_cancelling_a_batch_after_publication_releases_every_seat_and_tells_the_holders(
    full_batch, bappeda_admin
):
    from latihkerja.batches.services import change_batch_status

    first, second = full_batch["offers"]
    accept_offer(enrollment=first, actor=first.resident.user)
    batch = Batch.objects.get(pk=full_batch["batch"].pk)

    change_batch_status(batch=batch, to="cancelled", actor=bappeda_admin, reason="instruktur berhalangan")

    assert [seat_of(o) for o in (first, second)] == ["cancelled", "cancelled"]
    assert Batch.objects.get(pk=batch.pk).seats_taken == 0
    messages = Message.objects.filter(kind="class_cancelled").order_by("resident_id")
    assert sorted(m.resident_id for m in messages) == sorted([first.resident_id, second.resident_id])
    assert all(
        m.body.startswith(f"Kelas {batch.theme.name} dibatalkan: instruktur berhalangan.") for m in messages
    )
    assert all(m.body.endswith(reverse("batches:catalogue")) for m in messages)  # where seats are left
    # Nobody on the wait list is offered a seat in a cancelled batch.
    assert [seat_of(w) for w in full_batch["waiting"]] == [None, None, None]


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_a_participant_of_a_class_that_is_over_cannot_withdraw_and_keeps_the_seat(full_batch, status):
    """A graduate withdrew from a completed class (security review): the class then counted one participant
    fewer than it trained, beside an outcome and a certificate."""
    from latihkerja.allocation.services import withdraw_seat

    offer = full_batch["offers"][0]
    accept_offer(enrollment=offer, actor=offer.resident.user)
    Batch.objects.filter(pk=full_batch["batch"].pk).update(status=status)
    taken = Batch.objects.get(pk=full_batch["batch"].pk).seats_taken

    with pytest.raises(AllocationError) as refused:
        withdraw_seat(enrollment=offer, actor=offer.resident.user)

    assert refused.value.template is AllocationError.CLASS_OVER
    assert seat_of(offer) == "active"
    assert Batch.objects.get(pk=full_batch["batch"].pk).seats_taken == taken
    assert [seat_of(w) for w in full_batch["waiting"]] == [None, None, None]


def test_participant_withdraws_from_the_page_and_nobody_else_can(full_batch, client):
    from django.urls import reverse

    first = full_batch["offers"][0]
    accept_offer(enrollment=first, actor=first.resident.user)
    other = full_batch["offers"][1].resident.user

    client.force_login(other)
    response = client.post(reverse("allocation:withdraw", args=[first.pk]))
    assert response.status_code == 404
    assert seat_of(first) == "active"

    client.force_login(first.resident.user)
    response = client.post(reverse("allocation:withdraw", args=[first.pk]), {"reason": "pindah kota"})
    assert response.status_code == 302
    assert seat_of(first) == "withdrawn"
    assert seat_of(full_batch["waiting"][0]) == "offered"


@pytest.fixture
def two_classes(db, bappeda_admin):
    """ "hi" and "lo", one seat each. A (laid off) gets hi; B (unemployed) ranks hi then lo and gets lo; C
    (employed) wanted lo and waits behind nobody there; D (employed) waits for hi behind B."""
    from latihkerja.centers.models import Center

    period = closed_period()
    hi = BatchFactory(code="hi", period=period, capacity=1, minimum=1)
    lo = BatchFactory(
        code="lo", period=period, capacity=1, minimum=1, center=Center.objects.get(kelurahan__name="Cipondoh")
    )
    a = applicant(period, [hi], employment="phk", phone="081200003001", with_user=True)
    b = applicant(period, [hi, lo], employment="menganggur", phone="081200003002", with_user=True)
    c = applicant(period, [lo], employment="bekerja", phone="081200003003", with_user=True)
    d = applicant(period, [hi], employment="bekerja", phone="081200003004", with_user=True)
    published_run(period, bappeda_admin)
    return {"hi": hi, "lo": lo, "a": a, "b": b, "c": c, "d": d}


def test_a_freed_seat_goes_first_to_the_waiting_resident_still_answering_a_lower_offer(two_classes):
    hi, lo, a, b, c, d = (two_classes[k] for k in ("hi", "lo", "a", "b", "c", "d"))
    assert Enrollment.objects.get(resident=b.resident).batch_id == lo.pk

    decline_offer(enrollment=Enrollment.objects.get(resident=a.resident), actor=a.resident.user)

    offers = dict(Enrollment.objects.filter(status="offered").values_list("resident_id", "batch_id"))
    assert offers == {b.resident_id: hi.pk, c.resident_id: lo.pk}  # B moves up, C takes B's old seat
    assert d.resident_id not in offers  # D waits behind B, whose priority is higher
    assert Enrollment.objects.get(resident=b.resident, batch=lo).status == "replaced"
    assert {(x.code, x.seats_taken) for x in Batch.objects.filter(pk__in=[hi.pk, lo.pk])} == {
        ("hi", 1),
        ("lo", 1),
    }


def test_a_waiting_resident_who_accepted_a_lower_seat_keeps_it_and_the_next_one_is_offered(two_classes):
    hi, a, b, d = (two_classes[k] for k in ("hi", "a", "b", "d"))
    accept_offer(enrollment=Enrollment.objects.get(resident=b.resident), actor=b.resident.user)

    decline_offer(enrollment=Enrollment.objects.get(resident=a.resident), actor=a.resident.user)

    assert Enrollment.objects.get(resident=d.resident).batch_id == hi.pk
    assert Enrollment.objects.get(resident=b.resident).status == "active"


def _seat_section(client, batch) -> dict[str, str]:
    """The text of the class page's seat section and of each of its lists, by id, as a reader sees it."""
    page = client.get(reverse("training:batch", args=[batch.code]))
    assert page.status_code == 200
    html = page.content.decode()
    section = html[html.index('aria-labelledby="seats-h"') : html.index("</section>", html.index("seats-h"))]
    parts = {"all": section}
    for part in ("seat-summary", "seats-offered", "seats-active", "seats-ended"):
        match = re.search(rf'id="{part}"[^>]*>(.*?)</(p|ul|details)>', section, re.S)
        parts[part] = match.group(1) if match else ""
    return {name: " ".join(strip_tags(text).split()) for name, text in parts.items()}


def test_the_operator_follows_offers_answers_and_the_wait_list_on_the_class_page(
    full_batch, login, operator_blk_a
):
    first, second = full_batch["offers"]
    w3, w2, w1 = full_batch["waiting"]
    accept_offer(enrollment=first, actor=first.resident.user)
    decline_offer(enrollment=second, actor=second.resident.user)  # the seat goes to W3, W2 and W1 still wait
    client = login(operator_blk_a)

    section = _seat_section(client, full_batch["batch"])

    summary = " ".join(section["seat-summary"].split())
    assert summary.startswith("2 kursi: 1 peserta, 1 menunggu jawaban, 0 kosong.")
    assert "2 orang di daftar tunggu" in summary
    assert first.resident.full_name in section["seats-active"]
    assert w3.resident.full_name in section["seats-offered"]
    ended = section["seats-ended"]
    assert second.resident.full_name in ended
    assert "Menolak tawaran" in ended
    for waiting in (w2, w1):  # the wait list's order is priority data: its people are not named here
        assert waiting.resident.full_name not in section["all"]


def test_the_class_page_says_free_seats_are_first_come_once_nobody_waits(full_batch, login, operator_blk_a):
    for offer in full_batch["offers"]:
        decline_offer(enrollment=offer, actor=offer.resident.user)
    for application in full_batch["waiting"]:
        enrollment = Enrollment.objects.get(resident=application.resident, status="offered")
        decline_offer(enrollment=enrollment, actor=enrollment.resident.user)

    section = _seat_section(login(operator_blk_a), full_batch["batch"])

    summary = " ".join(section["seat-summary"].split())
    assert summary.startswith("2 kursi: 0 peserta, 0 menunggu jawaban, 2 kosong.")
    assert "siapa cepat dia dapat" in summary
    assert "Belum ada peserta" in section["seats-active"]


def test_a_resident_sees_and_answers_their_offer_through_the_api(full_batch, client):
    first, second = full_batch["offers"]
    w3 = full_batch["waiting"][0]
    client.force_login(first.resident.user)

    status = client.get("/api/v1/me/application").json()
    someone_elses = client.post(f"/api/v1/me/offers/{second.pk}/accept")
    untouched = Enrollment.objects.get(pk=second.pk).status
    accepted = client.post(f"/api/v1/me/offers/{first.pk}/accept")
    again = client.post(f"/api/v1/me/offers/{first.pk}/decline")
    client.force_login(second.resident.user)
    declined = client.post(f"/api/v1/me/offers/{second.pk}/decline")

    respond_by = dt.datetime.fromisoformat(status["seat"].pop("respond_by"))
    assert abs(respond_by - first.respond_by) < dt.timedelta(milliseconds=1)  # JSON keeps milliseconds
    assert status["seat"] == {
        "id": first.pk,
        "batch": "x",
        "theme": "Barista",
        "center": full_batch["batch"].center.name,
        "status": "offered",
    }
    assert someone_elses.status_code == 404
    assert untouched == "offered"
    assert (accepted.status_code, accepted.json()["seat"]["status"]) == (200, "active")
    assert accepted.json()["seat"]["respond_by"] is None
    assert (again.status_code, again.json()) == (400, {"detail": str(AllocationError.OFFER_NOT_PENDING)})
    assert (declined.status_code, declined.json()["seat"]["status"]) == (200, "declined")
    assert seat_of(w3) == "offered"  # the wait list moved, as it does from the page


def test_an_operator_records_the_answer_of_a_resident_without_a_smartphone(full_batch, login, operator_blk_a):
    """At the centre: a code goes to the resident's phone, they read it back, the operator saves their answer."""
    from latihkerja.audit.models import AuditEvent
    from latihkerja.engine.phone import normalize_phone
    from tests.helpers import sent_code

    offer = full_batch["offers"][0]
    url = reverse("training:answer-offer", args=[full_batch["batch"].code, offer.pk])
    client = login(operator_blk_a)
    page = client.get(reverse("training:batch", args=[full_batch["batch"].code])).content.decode()

    client.post(url, {"step": "send"})
    wrong = client.post(url, {"step": "answer", "answer": "accept", "code": "000000"})
    right = client.post(
        url, {"step": "answer", "answer": "accept", "code": sent_code(normalize_phone(offer.resident.phone))}
    )

    assert url in page
    assert "Kode salah" in wrong.content.decode()
    assert right.status_code == 302
    assert Enrollment.objects.get(pk=offer.pk).status == "active"
    event = AuditEvent.objects.get(action="offer.accepted", target_id=str(offer.pk))
    assert (event.actor, event.detail) == (operator_blk_a, {"assisted": True})


def test_a_declined_answer_at_the_centre_moves_the_wait_list(full_batch, login, operator_blk_a):
    from latihkerja.engine.phone import normalize_phone
    from tests.helpers import sent_code

    offer = full_batch["offers"][0]
    url = reverse("training:answer-offer", args=[full_batch["batch"].code, offer.pk])
    client = login(operator_blk_a)

    client.post(url, {"step": "send"})
    client.post(
        url, {"step": "answer", "answer": "decline", "code": sent_code(normalize_phone(offer.resident.phone))}
    )

    assert Enrollment.objects.get(pk=offer.pk).status == "declined"
    assert seat_of(full_batch["waiting"][0]) == "offered"


def test_only_the_classes_staff_answer_for_a_resident(full_batch, login, operator_blk_b, opd_supervisor):
    offer = full_batch["offers"][0]
    url = reverse("training:answer-offer", args=[full_batch["batch"].code, offer.pk])

    for user in (operator_blk_b, opd_supervisor):
        assert login(user).post(url, {"step": "send"}).status_code == 404
    assert not Message.objects.filter(kind="otp").exists()


@pytest.mark.parametrize(
    ("action", "kept", "said"),
    [
        ("allocation:accept", "active", "Terima kasih, kursi Anda sudah tercatat. Sampai jumpa di kelas!"),
        (
            "allocation:decline",
            "declined",
            "Anda menolak tawaran ini. Kursinya ditawarkan kepada warga berikutnya di daftar tunggu.",
        ),
    ],
)
def test_an_answer_sent_again_after_its_reply_was_lost_is_told_it_worked(
    full_batch, client, action, kept, said
):
    """On a bad connection the reply to 'accept' is lost and the resident presses again: the first request did
    the work, so the second must not answer with a red 'already answered' (slow-network review)."""
    from django.urls import reverse

    offer = full_batch["offers"][0]
    client.force_login(offer.resident.user)
    client.post(reverse(action, args=[offer.pk]))
    client.get(reverse("accounts:start"))  # the first reply's message, as if it had arrived

    again = client.post(reverse(action, args=[offer.pk]), follow=True)

    assert seat_of(offer) == kept
    assert [(m.level_tag, str(m)) for m in again.context["messages"]] == [("success", said)]


def test_answering_again_with_the_other_answer_is_still_refused(full_batch, client):
    from django.urls import reverse

    offer = full_batch["offers"][0]
    client.force_login(offer.resident.user)
    client.post(reverse("allocation:accept", args=[offer.pk]))
    client.get(reverse("accounts:start"))

    declined = client.post(reverse("allocation:decline", args=[offer.pk]), follow=True)

    assert seat_of(offer) == "active"
    assert [m.level_tag for m in declined.context["messages"]] == ["error"]
