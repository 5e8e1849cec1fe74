"""The outbox in the back office: Bappeda reads it, nobody edits it, other staff do not see it."""

import pytest
from django.urls import reverse

from latihkerja.audit.models import AuditEvent
from latihkerja.notifications.models import Message
from latihkerja.notifications.services import queue_message
from tests.notifications.samples import SAMPLES

pytestmark = pytest.mark.integration


@pytest.fixture
def message(db):
    return queue_message(channel="sms", recipient="+6281234567890", kind="otp", context=SAMPLES["otp"][0])


def test_bappeda_lists_and_filters_messages_when_signed_in(login, bappeda_admin, message):
    failed = queue_message(channel="sms", recipient="+6281299999999", kind="otp", context=SAMPLES["otp"][0])
    Message.objects.filter(pk=failed.pk).update(status="failed", attempts=1)
    client = login(bappeda_admin)

    everything = client.get(reverse("admin:notifications_message_changelist"))
    only_failed = client.get(reverse("admin:notifications_message_changelist"), {"status__exact": "failed"})

    assert everything.status_code == 200
    assert list(everything.context["cl"].result_list) == [failed, message]
    assert list(only_failed.context["cl"].result_list) == [failed]


def test_bappeda_reads_a_message_and_it_is_audited_when_opened(login, bappeda_admin, message):
    client = login(bappeda_admin)

    response = client.get(reverse("admin:notifications_message_change", args=[message.pk]))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert list(
        AuditEvent.objects.exclude(action="account.signed_in").values_list(
            "actor", "action", "target_type", "target_id"
        )
    ) == [(bappeda_admin.pk, "notification.viewed", "notifications.message", str(message.pk))]


@pytest.mark.parametrize(
    ("method", "view", "with_pk"),
    [
        ("get", "admin:notifications_message_add", False),
        ("post", "admin:notifications_message_change", True),
        ("post", "admin:notifications_message_delete", True),
    ],
)
def test_bappeda_cannot_add_change_or_delete_when_trying(
    login, bappeda_admin, message, method, view, with_pk
):
    client = login(bappeda_admin)
    url = reverse(view, args=[message.pk] if with_pk else [])

    response = getattr(client, method)(url, {"body": "diubah", "status": "sent", "post": "yes"})

    assert response.status_code == 403
    assert list(Message.objects.values_list("pk", "body", "status")) == [(message.pk, message.body, "queued")]


def test_operator_does_not_see_the_outbox_when_signed_in(login, operator_blk_a, message):
    client = login(operator_blk_a)

    index = client.get(reverse("admin:index"))
    listing = client.get(reverse("admin:notifications_message_changelist"))
    detail = client.get(reverse("admin:notifications_message_change", args=[message.pk]))

    assert "notifications" not in [app["app_label"] for app in index.context["app_list"]]
    assert (listing.status_code, detail.status_code) == (403, 403)
    assert not AuditEvent.objects.exclude(action="account.signed_in").exists()


def test_anonymous_is_sent_to_the_login_when_opening_the_outbox(client, message):
    response = client.get(reverse("admin:notifications_message_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_bappeda_never_reads_a_live_sign_in_code_in_the_outbox(login, bappeda_admin):
    """The code would sign whoever reads it in as the resident; other messages read as they were sent."""
    otp = queue_message(
        channel="sms", recipient="+6281234567890", kind="otp", context={"code": "908172", "minutes": 10}
    )
    offer = queue_message(
        channel="sms", recipient="+6281234567890", kind="offer", context=SAMPLES["offer"][0]
    )
    client = login(bappeda_admin)

    otp_page = client.get(reverse("admin:notifications_message_change", args=[otp.pk])).content.decode()
    offer_page = client.get(reverse("admin:notifications_message_change", args=[offer.pk])).content.decode()

    assert "908172" in otp.body
    assert "908172" not in otp_page
    assert "••••••. Berlaku 10 menit" in otp_page
    assert "Siti Aminah" in offer_page


@pytest.mark.parametrize(
    "term", ["0812-3456-7890", "0812 3456 7890", "081234567890", "+6281234567890", "34567890"]
)
def test_bappeda_finds_a_residents_messages_by_the_number_as_staff_write_it(
    login, bappeda_admin, message, term
):
    """Only the stored +62 spelling matched: staff write 08… with dashes or spaces (list review)."""
    queue_message(channel="sms", recipient="+6281299999999", kind="otp", context=SAMPLES["otp"][0])

    page = login(bappeda_admin).get(reverse("admin:notifications_message_changelist"), {"q": term})

    assert list(page.context["cl"].result_list) == [message]
