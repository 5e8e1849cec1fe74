"""Days off: national holidays, collective leave and the city's own days off. A weekly series skips them and
says so; moving a session onto one asks first. The test settings turn the national calendar off (tests date
sessions from today); the tests of the calendar itself turn it on."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import timezone, translation

from latihkerja.programs.holidays import days_off
from latihkerja.programs.models import DayOff
from latihkerja.training.models import TrainingSession
from tests.factories.training import SessionFactory, delivery_batch, participant
from tests.training.test_pages import next_monday, upcoming

pytestmark = pytest.mark.django_db


def test_the_national_calendar_names_holidays_and_collective_leave_in_the_readers_language(settings):
    settings.DAYS_OFF_COUNTRY = "ID"
    august = (dt.date(2026, 8, 1), dt.date(2026, 8, 31))
    christmas = (dt.date(2026, 12, 20), dt.date(2026, 12, 31))

    with translation.override("id"):
        assert days_off(*august) == {
            dt.date(2026, 8, 17): "Hari Kemerdekaan Republik Indonesia",
            dt.date(2026, 8, 25): "Maulid Nabi Muhammad",
        }
        assert days_off(*christmas) == {
            dt.date(2026, 12, 24): "Cuti Bersama Hari Raya Natal",
            dt.date(2026, 12, 25): "Hari Raya Natal",
        }
    with translation.override("en"):
        assert days_off(*august)[dt.date(2026, 8, 17)] == "Independence Day"


def test_the_citys_own_days_off_join_the_calendar_and_name_the_day_in_the_readers_language(settings):
    settings.DAYS_OFF_COUNTRY = "ID"
    DayOff.objects.create(date=dt.date(2026, 8, 17), name="Upacara kota", name_en="City ceremony")
    DayOff.objects.create(date=dt.date(2026, 8, 3), name="Pemungutan suara")

    with translation.override("en"):
        found = days_off(dt.date(2026, 8, 1), dt.date(2026, 8, 20))

    assert found == {dt.date(2026, 8, 3): "Pemungutan suara", dt.date(2026, 8, 17): "City ceremony"}
    assert days_off(dt.date(2026, 8, 20), dt.date(2026, 8, 1)) == {}


def test_without_a_country_only_the_citys_days_off_count(settings):
    settings.DAYS_OFF_COUNTRY = ""
    DayOff.objects.create(date=dt.date(2026, 8, 3), name="Pemungutan suara")

    assert days_off(dt.date(2026, 8, 1), dt.date(2026, 8, 31)) == {dt.date(2026, 8, 3): "Pemungutan suara"}


def test_a_country_the_calendar_does_not_know_stops_the_start(settings):
    settings.DAYS_OFF_COUNTRY = "XX"

    with pytest.raises(SystemCheckError, match=r"programs\.E001"):
        call_command("check")


def schedule(client, batch, **extra):
    data = {
        "first_date": next_monday().isoformat(),
        "weekdays": ["0"],
        "count": "3",
        "starts_at": "08:00",
        "ends_at": "12:00",
        "hours": "4",
        "modality": "luring",
        "room": batch.room_id,
        **extra,
    }
    return client.post(reverse("training:schedule", args=[batch.code]), data, follow=True)


def test_a_weekly_series_skips_a_day_off_and_says_which(login, operator_blk_a):
    batch = upcoming(delivery_batch())
    monday = next_monday()
    DayOff.objects.create(date=monday + dt.timedelta(days=7), name="Pemungutan suara")

    response = schedule(login(operator_blk_a), batch, skip_days_off="on")

    assert list(TrainingSession.objects.order_by("number").values_list("date", flat=True)) == [
        monday,
        monday + dt.timedelta(days=14),  # the series goes on after the day off
        monday + dt.timedelta(days=21),
    ]
    shown = [str(m) for m in response.context["messages"]]
    assert shown[-1] == (
        f"Dilewati karena hari libur: {_day(monday + dt.timedelta(days=7))} (Pemungutan suara)."
    )


def _day(day: dt.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "j F Y")


def test_a_weekly_series_keeps_a_day_off_when_told_to(login, operator_blk_a):
    batch = upcoming(delivery_batch())
    monday = next_monday()
    DayOff.objects.create(date=monday + dt.timedelta(days=7), name="Pemungutan suara")

    response = schedule(login(operator_blk_a), batch)  # the box left unticked

    assert list(TrainingSession.objects.order_by("number").values_list("date", flat=True)) == [
        monday + dt.timedelta(days=7 * week) for week in range(3)
    ]
    assert not any("Dilewati" in str(m) for m in response.context["messages"])


def test_the_schedule_page_ticks_the_box_and_lists_the_days_off_to_the_end_of_the_period(
    login, operator_blk_a
):
    batch = upcoming(delivery_batch())
    soon = timezone.localdate() + dt.timedelta(days=10)
    DayOff.objects.create(date=soon, name="Pemungutan suara")
    DayOff.objects.create(date=batch.period.ends_on + dt.timedelta(days=1), name="Sesudah periode")

    page = login(operator_blk_a).get(reverse("training:schedule", args=[batch.code])).content.decode()

    assert re.search(r'<input type="checkbox" name="skip_days_off"[^>]* checked', page)
    assert "Pemungutan suara" in page
    assert "Sesudah periode" not in page


def move(client, session, day, **extra):
    return client.post(
        reverse("training:move", args=[session.pk]),
        {
            "date": day.isoformat(),
            "starts_at": "13:00",
            "ends_at": "17:00",
            "modality": "luring",
            "room": session.room_id,
            **extra,
        },
    )


def test_moving_a_session_onto_a_day_off_asks_first(login, operator_blk_a):
    session = SessionFactory(
        batch=upcoming(delivery_batch()), date=timezone.localdate() + dt.timedelta(days=5)
    )
    participant(session.batch)
    holiday = timezone.localdate() + dt.timedelta(days=6)
    DayOff.objects.create(date=holiday, name="Pemungutan suara")
    client = login(operator_blk_a)

    assert 'name="on_day_off"' not in client.get(reverse("training:move", args=[session.pk])).content.decode()
    refused = move(client, session, holiday)

    assert refused.context["form"].errors["date"] == [
        f"{_day(holiday)} hari libur (Pemungutan suara). Pilih tanggal lain, atau centang “Tetap pada hari libur”."
    ]
    assert 'name="on_day_off"' in refused.content.decode()
    assert TrainingSession.objects.get(pk=session.pk).date == session.date

    moved = move(client, session, holiday, on_day_off="on")

    assert moved.status_code == 302
    assert TrainingSession.objects.get(pk=session.pk).date == holiday


def test_a_session_kept_on_a_day_off_changes_its_hours_without_asking_again(login, operator_blk_a):
    holiday = timezone.localdate() + dt.timedelta(days=6)
    session = SessionFactory(batch=upcoming(delivery_batch()), date=holiday)
    DayOff.objects.create(date=holiday, name="Pemungutan suara")

    response = move(login(operator_blk_a), session, holiday)

    assert response.status_code == 302
    assert TrainingSession.objects.get(pk=session.pk).starts_at == dt.time(13, 0)
