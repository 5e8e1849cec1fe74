"""Staff confirm each sign-in with an authenticator code; a first sign-in sets the app up (django-otp TOTP)."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("two_factor_on", "reference_data")]


@pytest.fixture
def two_factor_on():
    with override_settings(STAFF_TWO_FACTOR=True):
        yield


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize("persona", ["bappeda_admin", "opd_supervisor", "operator_blk_a", "instructor"])
def test_staff_are_sent_to_the_code_page_from_any_page_when_the_session_is_not_verified(
    client, persona, request
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("accounts:start"))

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:two-factor')}?next=%2Fakun%2Fsaya%2F"
    assert client.get("/admin/").status_code == 302


def test_first_sign_in_shows_the_qr_code_and_a_right_code_opens_the_pages(client, operator_blk_a):
    client.force_login(operator_blk_a)

    page = client.get(reverse("accounts:two-factor"), {"next": "/akun/saya/"})
    device = TOTPDevice.objects.get(user=operator_blk_a)
    response = client.post(reverse("accounts:two-factor"), {"token": code_for(device), "next": "/akun/saya/"})

    assert page.status_code == 200
    assert b'id="totp-qr"' in page.content
    assert b"<svg" in page.content
    assert response.status_code == 302
    assert response.url == "/akun/saya/"
    assert TOTPDevice.objects.get(user=operator_blk_a).confirmed
    assert client.get(reverse("accounts:start")).status_code == 200


def test_a_wrong_code_is_refused_with_a_message_and_the_pages_stay_closed(client, operator_blk_a):
    client.force_login(operator_blk_a)
    client.get(reverse("accounts:two-factor"))
    device = TOTPDevice.objects.get(user=operator_blk_a)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("accounts:two-factor"), {"token": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "token": ["Kode salah atau sudah berganti. Ketik kode yang sedang tampil di aplikasi."]
    }
    assert not TOTPDevice.objects.get(user=operator_blk_a).confirmed
    assert client.get(reverse("accounts:start")).status_code == 302


def test_a_confirmed_device_is_asked_for_without_a_new_qr_code_when_signing_in_again(client, operator_blk_a):
    device = TOTPDevice.objects.create(user=operator_blk_a, name="hp", confirmed=True)
    client.force_login(operator_blk_a)

    page = client.get(reverse("accounts:two-factor"))
    response = client.post(reverse("accounts:two-factor"), {"token": code_for(device)})

    assert b'id="totp-qr"' not in page.content
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=operator_blk_a).count() == 1


def test_next_cannot_send_a_verified_user_to_another_site(client, operator_blk_a):
    device = TOTPDevice.objects.create(user=operator_blk_a, name="hp", confirmed=True)
    client.force_login(operator_blk_a)

    response = client.post(
        reverse("accounts:two-factor"), {"token": code_for(device), "next": "https://jahat.example/"}
    )

    assert response.url == reverse("accounts:start")


def test_residents_and_employers_are_not_asked_for_a_second_factor(client, resident, employer):
    for user in (resident, employer):
        client.force_login(user)
        assert client.get(reverse("accounts:start")).status_code == 200
    assert not TOTPDevice.objects.exists()


def staff_whose_setup_closed(username: str, *, days_ago: int):
    return UserFactory(
        username=username,
        role="bappeda",
        is_staff=True,
        two_factor_setup_until=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_a_staff_account_past_its_setup_window_cannot_attach_an_app_with_the_password_alone(client):
    """A stolen password for an account that never set up its app must not let the thief attach theirs."""
    user = staff_whose_setup_closed("staf.lama", days_ago=1)
    client.force_login(user)

    page = client.get(reverse("accounts:two-factor"))

    assert page.status_code == 403
    assert 'id="setup-closed"' in page.content.decode()
    assert "totp-qr" not in page.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_deleting_a_lost_phones_device_opens_the_setup_for_a_day(client):
    user = staff_whose_setup_closed("staf.hilang", days_ago=30)
    TOTPDevice.objects.create(user=user, name="lama", confirmed=True).delete()
    user.refresh_from_db()
    client.force_login(user)

    page = client.get(reverse("accounts:two-factor"))

    day = dt.timedelta(hours=24)
    assert timezone.now() + day - dt.timedelta(hours=1) < user.two_factor_setup_until <= timezone.now() + day
    assert page.status_code == 200
    assert 'id="totp-qr"' in page.content.decode()


def test_a_new_staff_account_has_a_week_to_set_up_its_app():
    user = UserFactory(username="staf.baru", role="bappeda", is_staff=True)

    week = dt.timedelta(days=7)
    assert timezone.now() + week - dt.timedelta(days=1) < user.two_factor_setup_until <= timezone.now() + week
