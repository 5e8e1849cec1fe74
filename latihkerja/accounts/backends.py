"""A limit on failed password sign-ins per address, whatever the usernames tried.

django-axes locks a username from an address after LOGIN_FAILURE_LIMIT wrong passwords; trying one common
password on many usernames from one address stays under that (password spraying, security review). This
backend, before the ones that compare passwords in AUTHENTICATION_BACKENDS, refuses every password sign-in from an address that failed
LOGIN_FAILURES_PER_ADDRESS times within the hour, before any password is compared. A kelurahan office's staff
sharing one address mistype far fewer than that. Counted in the cache (`common.throttle`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from latihkerja.common import throttle

from .services import client_ip

WINDOW = 60 * 60


def _key(request: HttpRequest) -> str:
    hour = int(timezone.now().timestamp() // WINDOW)
    return f"accounts:login-failed:{client_ip(request) or '-'}:{hour}"


def address_over_limit(request: HttpRequest | None) -> bool:
    if request is None:
        return False
    return throttle.current(_key(request)) >= settings.LOGIN_FAILURES_PER_ADDRESS


def count_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """`user_login_failed` receiver: one more failed password sign-in from the request's address."""
    if request is not None and "password" in credentials:
        throttle.count(_key(request), window=WINDOW)


class AddressLimitBackend:
    """Only `authenticate`, no `get_user`: a session is never attributed to this backend (`force_login` and
    `login` pick the first backend that can load users)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if password is not None and address_over_limit(request):
            raise PermissionDenied  # Django stops here: no other backend compares the password
        return None


ADDRESS_LIMIT = _(
    "Terlalu banyak percobaan masuk yang gagal dari jaringan ini dalam satu jam. Tunggu sebentar, atau minta "
    "Bappeda memeriksa akun Anda."
)


class SignInForm(AuthenticationForm):
    """The sign-in page's form: says so when the address is over its limit, instead of "wrong password"."""

    def get_invalid_login_error(self) -> ValidationError:
        if address_over_limit(self.request):
            return ValidationError(ADDRESS_LIMIT, code="address_limit")
        return super().get_invalid_login_error()
