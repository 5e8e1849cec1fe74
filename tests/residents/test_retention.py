"""Retention (UU PDP, and the consent text's promise): `purge_personal_data` erases residents the programme
has not seen for its retention period, deletes old sign-in codes and messages, and blanks old import reports;
what is still within its period stays."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from latihkerja.accounts.models import OneTimeCode
from latihkerja.notifications.models import Message
from latihkerja.notifications.services import queue_message
from latihkerja.registration.models import RegistrationImport
from latihkerja.residents.models import Resident
from latihkerja.residents.privacy import purge_expired
from tests.factories import BatchFactory, PeriodFactory, ResidentFactory
from tests.factories.reports import make_application, make_enrollment

pytestmark = pytest.mark.integration

FIVE_YEARS_ON = dt.timedelta(days=5 * 365 + 30)


def test_residents_unseen_for_the_retention_period_are_erased_and_the_others_stay(reference_data, period):
    now = timezone.now()
    later = PeriodFactory(
        code="2025-10",
        name="Oktober–Desember 2025",
        starts_on=now.date(),
        ends_on=(now + FIVE_YEARS_ON).date(),
    )
    old = ResidentFactory(full_name="Lama Sekali")
    make_application(old, period, [BatchFactory(period=period)])
    applied_later = ResidentFactory(full_name="Daftar Lagi")
    make_application(applied_later, later, [BatchFactory(period=later, code="2025-10-a")])
    trained_later = ResidentFactory(full_name="Masih Belajar")
    make_enrollment(trained_later, BatchFactory(period=later, code="2025-10-b", ends_on=later.ends_on))

    counts = purge_expired(now + FIVE_YEARS_ON)

    assert counts["residents"] == 1
    assert sorted(Resident.objects.values_list("full_name", flat=True)) == [
        "Daftar Lagi",
        "Data dihapus",
        "Masih Belajar",
    ]
    assert Resident.objects.get(pk=old.pk).nik == ""
    assert purge_expired(now)["residents"] == 0  # nobody is past it today


def test_sign_in_codes_and_messages_go_after_their_periods(db):
    OneTimeCode.objects.create(phone="+6281234567890", code_digest="x" * 64, expires_at=timezone.now())
    queue_message(channel="sms", recipient="+6281234567890", kind="otp", context={"code": "1", "minutes": 10})
    queue_message(
        channel="sms", recipient="+6281234567890", kind="registration_received", context={"name": "Siti"}
    )
    now = timezone.now()

    within_the_hour = purge_expired(now + dt.timedelta(hours=1))
    two_days_on = purge_expired(now + dt.timedelta(days=2))
    kinds_after_two_days = list(Message.objects.values_list("kind", flat=True))
    a_year_on = purge_expired(now + dt.timedelta(days=366))

    assert (within_the_hour["sign_in_codes"], within_the_hour["messages"]) == (0, 0)
    assert (two_days_on["sign_in_codes"], two_days_on["messages"]) == (1, 1)
    assert kinds_after_two_days == ["registration_received"]
    assert a_year_on["messages"] == 1
    assert not Message.objects.exists()


def test_old_import_error_reports_are_blanked_but_their_counts_stay(reference_data, period, bappeda_admin):
    report = [{"row": 2, "column": "nama", "message": "Nama Siti Aminah tidak sah"}]
    finished = RegistrationImport.objects.create(
        period=period,
        uploaded_by=bappeda_admin,
        original_name="daftar.xlsx",
        status="invalid",
        row_count=1,
        error_count=1,
        errors=report,
        preview=[{"full_name": "Siti Aminah"}],
    )

    soon = purge_expired(timezone.now() + dt.timedelta(days=30))
    later = purge_expired(timezone.now() + dt.timedelta(days=91))

    finished.refresh_from_db()
    assert (soon["import_reports"], later["import_reports"]) == (0, 1)
    assert (finished.errors, finished.preview, finished.error_count) == ([], [], 1)


def test_the_command_reports_what_went(db):
    out = io.StringIO()

    call_command("purge_personal_data", stdout=out)

    assert out.getvalue().strip() == "import_reports: 0, messages: 0, residents: 0, sign_in_codes: 0"
