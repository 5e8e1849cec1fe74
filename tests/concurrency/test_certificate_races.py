"""Issuing one batch's certificates and revoking one certificate from many connections at once: every
graduate gets exactly one certificate and one PDF, and a certificate is revoked exactly once."""

import pytest

from latihkerja.certificates.errors import CertificateError
from latihkerja.certificates.models import Certificate
from latihkerja.certificates.services import issue_for_batch, revoke
from latihkerja.notifications.models import Message
from tests.concurrency.conftest import run_in_parallel
from tests.factories import PeriodFactory
from tests.factories.certificates import CertificateFactory, OutcomeFactory, completed_batch

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_each_graduate_gets_exactly_one_certificate_when_many_issue_at_once(reference_data, bappeda_admin):
    PeriodFactory()
    batch = completed_batch()
    outcomes = OutcomeFactory.create_batch(5, enrollment__batch=batch)

    results = run_in_parallel([lambda: issue_for_batch(batch=batch, actor=bappeda_admin)] * 20, workers=20)

    assert sorted(r for r in results if isinstance(r, int)) == [0] * 19 + [5]
    assert sorted(Certificate.objects.values_list("outcome_id", flat=True)) == sorted(o.pk for o in outcomes)
    assert Certificate.objects.filter(generated_at__isnull=False).count() == 5
    assert Message.objects.filter(kind="certificate").count() == 5


def test_a_certificate_is_revoked_exactly_once_when_many_revoke_at_once(reference_data, bappeda_admin):
    PeriodFactory()
    certificate = CertificateFactory(outcome__enrollment__batch=completed_batch())
    reasons = [f"alasan {i}" for i in range(20)]

    results = run_in_parallel(
        [lambda r=r: revoke(certificate=certificate, actor=bappeda_admin, reason=r) for r in reasons],
        workers=20,
    )

    winners = [r for r in results if isinstance(r, Certificate)]
    losers = [r for r in results if isinstance(r, CertificateError)]
    assert len(winners) == 1
    assert [e.template for e in losers] == [CertificateError.ALREADY_REVOKED] * 19
    certificate.refresh_from_db()
    assert certificate.revocation_reason == winners[0].revocation_reason
