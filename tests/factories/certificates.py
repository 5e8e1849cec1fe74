"""Factories for the certificate tests: a participant's enrollment, its outcome, and a certificate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import Enrollment, EnrollmentSource, EnrollmentStatus
from latihkerja.certificates.models import Certificate
from latihkerja.training.enums import OutcomeStatus
from latihkerja.training.models import Outcome
from tests.factories import BatchFactory, ResidentFactory


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    batch = factory.SubFactory(BatchFactory, status=BatchStatus.COMPLETED)
    period = factory.LazyAttribute(lambda o: o.batch.period)
    resident = factory.SubFactory(ResidentFactory)
    status = EnrollmentStatus.ACTIVE
    source = EnrollmentSource.ALLOCATION


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    enrollment = factory.SubFactory(EnrollmentFactory)
    batch = factory.LazyAttribute(lambda o: o.enrollment.batch)
    status = OutcomeStatus.COMPLETED
    hours_attended = Decimal("72.0")
    hours_total = Decimal("80.0")
    assessment_passed = True


class CertificateFactory(factory.django.DjangoModelFactory):
    """A certificate as `issue_for_batch` would have made it (without its PDF)."""

    class Meta:
        model = Certificate

    outcome = factory.SubFactory(OutcomeFactory)
    batch = factory.LazyAttribute(lambda o: o.outcome.batch)
    resident = factory.LazyAttribute(lambda o: o.outcome.enrollment.resident)
    holder_name = factory.LazyAttribute(lambda o: o.resident.full_name)
    theme_name = factory.LazyAttribute(lambda o: o.batch.theme.name)
    hours_attended = factory.LazyAttribute(lambda o: o.outcome.hours_attended)
    hours_total = factory.LazyAttribute(lambda o: o.outcome.hours_total)
    center_name = factory.LazyAttribute(lambda o: o.batch.center.name)
    agency_name = factory.LazyAttribute(lambda o: o.batch.theme.agency.name)
    starts_on = factory.LazyAttribute(lambda o: o.batch.starts_on)
    ends_on = factory.LazyAttribute(lambda o: o.batch.ends_on)
    period_name = factory.LazyAttribute(lambda o: o.batch.period.name)
    issued_at = factory.LazyFunction(timezone.now)


def completed_batch(**kwargs: Any) -> Any:
    """A completed batch (Barista at Sukarasa by default: Disnaker's theme, operator A's centre)."""
    kwargs.setdefault("status", BatchStatus.COMPLETED)
    kwargs.setdefault("starts_on", dt.date(2020, 10, 5))
    kwargs.setdefault("ends_on", dt.date(2020, 10, 16))
    return BatchFactory(**kwargs)
