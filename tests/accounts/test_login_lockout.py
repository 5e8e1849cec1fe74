"""Staff password sign-in is locked for a username from one address after 5 wrong passwords (django-axes)."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.integration

PASSWORD = "kata-sandi-yang-benar-2020"


@pytest.fixture
def operator(db):
    user = UserFactory(username="operator.uji", role="bappeda", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, password, *, ip="10.0.0.1", username="operator.uji"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_the_right_password_is_refused_when_five_wrong_ones_came_first_from_that_address(client, operator):
    for _ in range(4):
        assert sign_in(client, "salah").status_code == 200
    assert sign_in(client, "salah").status_code == 429  # the fifth failure locks

    response = sign_in(client, PASSWORD)

    assert response.status_code == 429
    assert b'id="locked-out"' in response.content
    assert "15 menit" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_address_can_still_sign_in_when_one_address_is_locked(client, operator):
    for _ in range(5):
        sign_in(client, "salah", ip="10.0.0.1")

    response = sign_in(client, PASSWORD, ip="10.0.0.2")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(operator.pk)


def test_a_success_clears_the_count_when_fewer_than_five_failures_came_before(client, operator):
    for _ in range(4):
        sign_in(client, "salah")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        sign_in(client, "salah")

    assert sign_in(client, PASSWORD).status_code == 302


def test_one_address_trying_many_usernames_is_stopped_even_for_a_right_password(client, operator, settings):
    """Password spraying: one common password on many usernames stays under the per-username lockout."""
    settings.LOGIN_FAILURES_PER_ADDRESS = 6

    sprayed = [sign_in(client, "Tangerang2020!", username=f"staf.{n}").status_code for n in range(6)]
    right = sign_in(client, PASSWORD)
    admin = client.post(
        reverse("admin:login"), {"username": "operator.uji", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    elsewhere = client.post(
        reverse("accounts:login"), {"username": "operator.uji", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )

    message = (
        "Terlalu banyak percobaan masuk yang gagal dari jaringan ini dalam satu jam. Tunggu sebentar, atau minta "
        "Bappeda memeriksa akun Anda."
    )
    assert sprayed == [200] * 6
    assert right.status_code == 200
    assert right.context["form"].non_field_errors() == [message]
    assert message in right.content.decode()  # the page says why, not "wrong username or password"
    assert "Nama pengguna atau kata sandi salah" not in right.content.decode()
    assert message in admin.content.decode()  # the admin's sign-in is held back too
    assert elsewhere.status_code == 302  # another address is not held back
    assert client.session["_auth_user_id"] == str(operator.pk)


def test_retrying_the_right_password_during_the_hold_does_not_lock_the_username_afterwards(
    client, operator, settings
):
    """Refused before any password is compared, the retries count neither for axes nor for the address."""
    from django.core.cache import cache

    settings.LOGIN_FAILURES_PER_ADDRESS = 2
    for n in range(2):
        sign_in(client, "salah", username=f"staf.{n}")
    held = [sign_in(client, PASSWORD).status_code for _ in range(6)]
    cache.clear()  # the hour is over

    after = sign_in(client, PASSWORD)

    assert held == [200] * 6
    assert after.status_code == 302
    assert client.session["_auth_user_id"] == str(operator.pk)


def test_attempts_axes_refused_for_a_locked_username_do_not_count_for_the_address(client, operator, settings):
    """One confused colleague retrying a locked username must not hold back everyone else at the office."""
    settings.LOGIN_FAILURES_PER_ADDRESS = 10
    for _ in range(5):
        sign_in(client, "salah")  # locks operator.uji from this address (axes): 5 failures counted
    for _ in range(20):
        sign_in(client, "salah")  # refused by axes, nothing compared

    other = UserFactory(username="staf.lain", role="bappeda", is_staff=True)
    other.set_password(PASSWORD)
    other.save()

    assert sign_in(client, PASSWORD, username="staf.lain").status_code == 302


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (reverse("accounts:login"), "Nama pengguna atau kata sandi salah"),
        ("/admin/login/", "paling banyak 150 karakter"),
    ],
)
def test_an_overlong_username_is_refused_with_a_message_when_signing_in(client, operator, url, message):
    """The failure record keeps 255 characters: on PostgreSQL a longer name failed to save, a 500."""
    response = client.post(url, {"username": "a" * 300, "password": "salah"}, REMOTE_ADDR="10.0.0.1")

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "_auth_user_id" not in client.session
