"""Residents who said what they want to learn hear when a class of that theme opens in their kecamatan: each theme
once per period, by SMS in their language, unless they already applied. Without it, interest stated before the period's
classes existed (online, or imported from paper) would go unanswered and the window could pass unseen."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.services import change_batch_status
from latihkerja.catalog.models import Theme
from latihkerja.notifications.models import Message
from latihkerja.regions.models import Kelurahan
from latihkerja.registration.models import Application
from tests.factories import BatchFactory, PeriodFactory, ResidentFactory

pytestmark = pytest.mark.integration


def resident(phone, *, kelurahan="Sukarasa", themes=("BARISTA",), **fields):
    person = ResidentFactory(phone=phone, kelurahan=Kelurahan.objects.get(name=kelurahan), **fields)
    person.interests.set(Theme.objects.filter(code__in=themes))
    return person


def told():
    return sorted(Message.objects.filter(kind="classes_open").values_list("recipient", flat=True))


def open_batch(batch, actor, callbacks):
    with callbacks(execute=True):
        change_batch_status(batch=batch, to=BatchStatus.OPEN, actor=actor)


def test_residents_who_want_the_theme_nearby_are_told_once_when_its_class_opens(
    reference_data, bappeda_admin, django_capture_on_commit_callbacks
):
    period = PeriodFactory()
    resident("+6281200000001")  # Sukarasa, the class's kelurahan
    resident("+6281200000002", kelurahan="Sukaasih")  # another kelurahan of the same kecamatan
    resident("+6281200000003", kelurahan="Cipondoh")  # another kecamatan: too far
    resident("+6281200000004", themes=("LAS_SMAW",))  # wants another theme
    applied = resident("+6281200000005")
    Application.objects.create(resident=applied, period=period)  # chose already: nothing to tell
    resident("", full_name="")  # erased: no number left
    first, second = (BatchFactory(period=period, status=BatchStatus.APPROVED) for _ in range(2))

    open_batch(first, bappeda_admin, django_capture_on_commit_callbacks)
    open_batch(second, bappeda_admin, django_capture_on_commit_callbacks)  # the same theme again

    assert told() == ["+6281200000001", "+6281200000002"]
    body = Message.objects.get(recipient="+6281200000001").body
    assert "Barista" in body
    assert period.display_name in body
    assert "/daftar/" in body


def test_the_message_is_in_the_residents_language(
    reference_data, bappeda_admin, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    english = resident("+6281200000001", user=UserFactory(username="warga.en", language="en"))
    batch = BatchFactory(period=PeriodFactory(), status=BatchStatus.APPROVED)

    open_batch(batch, bappeda_admin, django_capture_on_commit_callbacks)

    message = Message.objects.get(kind="classes_open")
    assert english.language == "en"
    assert (message.language, message.recipient) == ("en", "+6281200000001")
    assert "registration" in message.body.lower()


@pytest.mark.parametrize(
    "period_fields",
    [
        pytest.param({"is_published": False}, id="period-not-announced"),
        pytest.param(
            {
                "registration_opens_at": timezone.now() + dt.timedelta(days=1),
                "registration_closes_at": timezone.now() + dt.timedelta(days=10),
            },
            id="registration-not-open-yet",
        ),
    ],
)
def test_nobody_is_told_while_the_period_cannot_take_their_choice(
    reference_data, bappeda_admin, django_capture_on_commit_callbacks, period_fields
):
    resident("+6281200000001")
    batch = BatchFactory(period=PeriodFactory(**period_fields), status=BatchStatus.APPROVED)

    open_batch(batch, bappeda_admin, django_capture_on_commit_callbacks)

    assert told() == []


def test_the_hourly_job_tells_residents_once_the_window_opens_after_their_class_did(
    reference_data, bappeda_admin, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from latihkerja.programs.models import Period

    resident("+6281200000001")
    period = PeriodFactory(
        registration_opens_at=timezone.now() + dt.timedelta(days=1),
        registration_closes_at=timezone.now() + dt.timedelta(days=10),
    )
    open_batch(
        BatchFactory(period=period, status=BatchStatus.APPROVED),
        bappeda_admin,
        django_capture_on_commit_callbacks,
    )
    before = told()
    Period.objects.filter(pk=period.pk).update(registration_opens_at=timezone.now() - dt.timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_interested", stdout=io.StringIO())
        call_command("notify_interested", stdout=io.StringIO())  # the next hour: nothing twice

    assert before == []
    assert told() == ["+6281200000001"]


def test_the_hourly_job_tells_a_resident_whose_interest_came_in_after_the_class_opened(
    reference_data, bappeda_admin, django_capture_on_commit_callbacks
):
    from latihkerja.registration.services import notify_interested_now

    period = PeriodFactory()
    open_batch(
        BatchFactory(period=period, status=BatchStatus.APPROVED),
        bappeda_admin,
        django_capture_on_commit_callbacks,
    )
    resident("+6281200000001")  # imported from a paper form afterwards

    with django_capture_on_commit_callbacks(execute=True):
        queued = notify_interested_now()

    assert queued == 1
    assert told() == ["+6281200000001"]


def test_classes_opened_together_schedule_one_notice_task_for_their_period(
    reference_data, bappeda_admin, django_capture_on_commit_callbacks, monkeypatch
):
    """A plan opens 520 classes in one transaction: one task reads them all, not one task per class."""
    from types import SimpleNamespace

    from django.db import transaction

    from latihkerja.registration import tasks

    enqueued = []
    monkeypatch.setattr(tasks, "notify_interested_task", SimpleNamespace(enqueue=enqueued.append))
    period = PeriodFactory()
    batches = [BatchFactory(period=period, status=BatchStatus.APPROVED) for _ in range(3)]

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for batch in batches:
            change_batch_status(batch=batch, to=BatchStatus.OPEN, actor=bappeda_admin)
    other = PeriodFactory(code="2027-02", name="Februari–April 2027")
    with django_capture_on_commit_callbacks(execute=True):
        change_batch_status(
            batch=BatchFactory(period=other, status=BatchStatus.APPROVED), to="open", actor=bappeda_admin
        )

    assert enqueued == [period.pk, other.pk]  # one for the three together, one for another period's class


def test_a_notice_left_without_its_resident_does_not_stop_the_others(
    reference_data, bappeda_admin, django_capture_on_commit_callbacks
):
    """A message whose resident link is empty must not turn 'not told yet' into 'nobody' (NOT IN and NULL)."""
    from latihkerja.notifications.services import queue_message

    period = PeriodFactory()
    queue_message(
        channel="sms",
        recipient="+6281200000009",
        kind="classes_open",
        context={"name": "X", "period": "P", "theme": "T", "closes": timezone.now(), "url": "u"},
        dedupe_key=f"classes-open-{period.pk}-0",
    )
    resident("+6281200000001")

    open_batch(
        BatchFactory(period=period, status=BatchStatus.APPROVED),
        bappeda_admin,
        django_capture_on_commit_callbacks,
    )

    assert told() == ["+6281200000001", "+6281200000009"]


def test_one_notice_names_every_theme_the_resident_wants_that_opened_nearby(reference_data):
    """A plan approved opens its classes at once; the notice named only the first theme (set-up review)."""
    from latihkerja.registration.services import notify_interested
    from tests.factories import UserFactory

    period = PeriodFactory()
    resident("+6281200000001", themes=("BARISTA", "LAS_SMAW", "FOTOGRAFI"))
    english = resident(
        "+6281200000002",
        themes=("BARISTA", "LAS_SMAW"),
        user=UserFactory(username="warga.en2", language="en"),
    )
    resident("+6281200000003", themes=("LAS_SMAW",))
    BatchFactory(period=period, status=BatchStatus.OPEN)  # Barista at Sukarasa
    BatchFactory(period=period, status=BatchStatus.OPEN, theme=Theme.objects.get(code="LAS_SMAW"))

    notify_interested(period.pk)

    bodies = {m.recipient: m.body for m in Message.objects.filter(kind="classes_open")}
    assert "Ada kelas Barista dan Pengelasan SMAW" in bodies["+6281200000001"]  # no photography class here
    assert "Fotografi" not in bodies["+6281200000001"]
    assert "There are Barista and " in bodies[english.phone]
    assert "Ada kelas Pengelasan SMAW" in bodies["+6281200000003"]


def test_a_long_list_of_themes_is_cut_after_three_and_an_older_queued_notice_still_renders(db):
    from django.template.loader import render_to_string
    from django.utils import translation

    from latihkerja.registration.services import _theme_list

    with translation.override("en"):
        english = _theme_list(["A", "B", "C", "D", "E"])
    older = render_to_string(  # queued before notices counted their themes
        "notifications/classes_open.txt",
        {"name": "Siti", "period": "P", "theme": "Barista", "closes": timezone.now(), "url": "u"},
    )

    assert _theme_list(["A", "B", "C", "D", "E"]) == "A, B, C dan 2 lainnya"
    assert english == "A, B, C and 2 more"
    assert "Ada kelas Barista di kecamatan Anda" in older


def test_a_theme_whose_class_opens_later_is_told_too_and_each_theme_only_once(reference_data):
    """Later classes are added one by one in the admin: a resident told of Barista must still hear of Las."""
    from latihkerja.registration.services import notify_interested

    period = PeriodFactory()
    resident("+6281200000001", themes=("BARISTA", "LAS_SMAW"))
    resident("+6281200000002", themes=("BARISTA",))
    BatchFactory(period=period, status=BatchStatus.OPEN)  # Barista at Sukarasa
    notify_interested(period.pk)

    BatchFactory(period=period, status=BatchStatus.OPEN, theme=Theme.objects.get(code="LAS_SMAW"))
    notify_interested(period.pk)
    BatchFactory(period=period, status=BatchStatus.OPEN)  # another class of a theme everybody was told of
    notify_interested(period.pk)

    sent = list(Message.objects.filter(kind="classes_open").order_by("pk").values_list("recipient", "body"))
    assert [recipient for recipient, _ in sent] == ["+6281200000001", "+6281200000002", "+6281200000001"]
    assert "Ada kelas Barista di" in sent[0][1]
    assert "Ada kelas Pengelasan SMAW" in sent[2][1]  # only the new theme
    assert "Barista" not in sent[2][1]


def test_notices_sent_before_themes_were_counted_are_remembered_by_the_migration(reference_data):
    """The upgrade must not tell again what the single notice per period already said."""
    import importlib

    from django.apps import apps

    from latihkerja.notifications.services import queue_message
    from latihkerja.registration.models import InterestNotice
    from latihkerja.registration.services import notify_interested

    migration = importlib.import_module("latihkerja.registration.migrations.0009_interest_notices")
    period = PeriodFactory()
    person = resident("+6281200000001", themes=("BARISTA", "LAS_SMAW", "FOTOGRAFI"))
    BatchFactory(period=period, status=BatchStatus.OPEN)  # Barista at Sukarasa
    BatchFactory(period=period, status=BatchStatus.OPEN, theme=Theme.objects.get(code="LAS_SMAW"))
    queue_message(  # as the old code stored it
        channel="sms",
        recipient=person.phone,
        kind="classes_open",
        context={"name": "X", "period": "P", "theme": "T", "closes": timezone.now(), "url": "u"},
        resident=person,
        dedupe_key=f"classes-open-{period.pk}-{person.pk}",
    )

    migration.remember_notices_sent(apps, None)
    notify_interested(period.pk)

    told_of = set(InterestNotice.objects.filter(resident=person).values_list("theme__code", flat=True))
    assert told_of == {"BARISTA", "LAS_SMAW"}  # no photography class in the period
    assert Message.objects.filter(kind="classes_open").count() == 1


def test_the_themes_told_are_in_the_residents_data_and_go_with_an_erasure(reference_data, bappeda_admin):
    from latihkerja.registration.models import InterestNotice
    from latihkerja.registration.services import notify_interested
    from latihkerja.residents.models import DeletionRequest
    from latihkerja.residents.privacy import personal_data_of
    from latihkerja.residents.services import erase_resident

    period = PeriodFactory()
    person = resident("+6281200000001")
    BatchFactory(period=period, status=BatchStatus.OPEN)
    notify_interested(period.pk)

    exported = personal_data_of(person)["interest_notices"]
    erase_resident(deletion=DeletionRequest.objects.create(resident=person), actor=bappeda_admin)

    assert [row["theme_code"] for row in exported] == ["BARISTA"]
    assert not InterestNotice.objects.filter(resident=person).exists()
