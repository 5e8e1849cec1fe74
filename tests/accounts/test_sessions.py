"""Sign-ins are in the audit trail; a staff session ends when left idle (shared office computers); a signed-in
page is never kept by a browser or proxy cache."""

import pytest
from django.urls import reverse

from latihkerja.audit.models import AuditEvent
from tests.api.test_registration_api import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.integration

PASSWORD = "kata-sandi-yang-benar-2020"


@pytest.fixture
def operator(db):  # Bappeda: a staff role with no centre or agency to set up
    user = UserFactory(username="operator.uji", role="bappeda", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": "operator.uji", "password": password})


def test_a_staff_sign_in_is_in_the_audit_trail_and_a_failed_one_is_not(client, operator):
    sign_in(client, "salah")
    sign_in(client)

    assert list(AuditEvent.objects.values_list("actor", "action", "detail")) == [
        (operator.pk, "account.signed_in", {"via": "web"})
    ]


def test_a_residents_sign_in_by_code_over_the_api_is_in_the_audit_trail(client, open_batches):
    signed_in(client)

    assert list(AuditEvent.objects.filter(action="account.signed_in").values_list("detail", flat=True)) == [
        {"via": "api"}
    ]


def test_a_staff_session_ends_after_the_idle_time_and_a_residents_keeps_the_default(
    client, operator, resident, settings
):
    settings.STAFF_IDLE_MINUTES = 30
    sign_in(client)
    client.get(reverse("accounts:start"))
    staff_age = client.session.get_expiry_age()

    client.logout()
    client.force_login(resident)
    client.get(reverse("accounts:start"))

    assert staff_age == 30 * 60
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_a_signed_in_page_is_not_cached_and_a_public_one_may_be(client, resident, reference_data):
    public = client.get(reverse("home"))
    client.force_login(resident)

    private = client.get(reverse("accounts:start"))

    assert "no-store" in private["Cache-Control"]
    assert "private" in private["Cache-Control"]
    assert "no-store" not in public.get("Cache-Control", "")
