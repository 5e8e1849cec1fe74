"""The admin lists certificates through the same scope and is read-only (issue and revoke are services)."""

import pytest
from django.urls import reverse

from tests.factories.certificates import CertificateFactory, completed_batch

pytestmark = pytest.mark.integration


def test_admin_lists_only_the_centres_certificates_when_operator(login, operator_blk_b, center_a, center_b):
    CertificateFactory(outcome__enrollment__batch=completed_batch(center=center_a), holder_name="Di Sukarasa")
    CertificateFactory(outcome__enrollment__batch=completed_batch(center=center_b), holder_name="Di Cipondoh")

    response = login(operator_blk_b).get(reverse("admin:certificates_certificate_changelist"))

    assert response.status_code == 200
    assert [c.holder_name for c in response.context["cl"].result_list] == ["Di Cipondoh"]


def test_admin_refuses_to_add_or_change_when_bappeda(login, bappeda_admin):
    certificate = CertificateFactory()
    client = login(bappeda_admin)

    assert client.get(reverse("admin:certificates_certificate_add")).status_code == 403
    response = client.post(
        reverse("admin:certificates_certificate_change", args=[certificate.pk]), {"holder_name": "Diubah"}
    )
    certificate.refresh_from_db()
    assert response.status_code == 403
    assert certificate.holder_name != "Diubah"
