"""A limit on failed password sign-ins per address, whatever the usernames tried.

django-axes locks a username from an address after LOGIN_FAILURE_LIMIT wrong passwords; trying one common
password on many usernames from one address stays under that (password spraying, security review). The
sign-in forms (the site's and the admin's) refuse every password sign-in from an address that failed
LOGIN_FAILURES_PER_ADDRESS times within the hour, before `authenticate` runs: no password is compared, and
neither axes nor this counter records the refused attempt, so a staff member retrying during the hold is
not locked by axes for it. A kelurahan office's staff sharing one address mistype far fewer than that.
Counted in the cache (`common.throttle`; CACHE_URL must be shared by every process, docs/operations.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from latihkerja.common import throttle

WINDOW = 60 * 60

ADDRESS_LIMIT = _(
    "Terlalu banyak percobaan masuk yang gagal dari jaringan ini dalam satu jam. Tunggu sebentar, atau minta "
    "Bappeda memeriksa akun Anda."
)


def _key(request: HttpRequest) -> str:
    return throttle.address_key("accounts:login-failed", request, period=WINDOW)


def address_over_limit(request: HttpRequest | None) -> bool:
    if request is None:
        return False
    return throttle.current(_key(request)) >= settings.LOGIN_FAILURES_PER_ADDRESS


def count_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """`user_login_failed` receiver: one more wrong password from the request's address. A sign-in axes
    refused for a locked username compared no password and is not counted."""
    if request is not None and "password" in credentials and not getattr(request, "axes_locked_out", False):
        throttle.count(_key(request), window=WINDOW)


class _AddressLimited:
    request: HttpRequest | None
    fields: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # AuthenticationForm sets the username's max_length after the field is built, which adds no validator:
        # a longer name reached `authenticate`, and django-axes's record of the failure (255 characters) then
        # failed on PostgreSQL with a 500. Refused here as any over-long field is.
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))

    def clean(self) -> dict[str, Any]:
        if address_over_limit(self.request):
            raise ValidationError(ADDRESS_LIMIT, code="address_limit")
        return super().clean()  # type: ignore[misc]


class SignInForm(_AddressLimited, AuthenticationForm):
    """The sign-in page's form."""

    @property
    def held_back(self) -> bool:
        """Refused by the per-address limit, not for a wrong password: the page must say so, or a staff member
        typing the right password during the hold is told it is wrong (resilience re-test)."""
        return self.has_error("__all__", code="address_limit")


class AdminSignInForm(_AddressLimited, AdminAuthenticationForm):
    """The admin's sign-in form (`admin.site.login_form`)."""
