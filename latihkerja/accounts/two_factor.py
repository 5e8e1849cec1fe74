"""Staff two-factor sign-in (SPEC §5): a password, then a code from an authenticator app (TOTP).

django-otp keeps the devices and marks a session as verified; this module decides who must verify (every
staff role and superusers, when `STAFF_TWO_FACTOR` is on), walks a first-time user through adding the app,
and keeps every other page closed until the session is verified. Wrong codes are throttled per device by
django-otp (each failure doubles the wait).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from latihkerja.audit.services import record_event

from .sessions import is_staff_session


def may_set_up(user: Any) -> bool:
    deadline = user.two_factor_setup_until
    return deadline is not None and deadline > timezone.now()


def reopen_setup(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
    """`post_delete` of a device (a lost phone, deleted in the admin): its owner may add a new app for a day."""
    from .models import TWO_FACTOR_RESET_HOURS, User

    User.objects.filter(pk=instance.user_id).update(
        two_factor_setup_until=timezone.now() + dt.timedelta(hours=TWO_FACTOR_RESET_HOURS)
    )


def needs_second_factor(user: Any) -> bool:
    return bool(settings.STAFF_TWO_FACTOR and is_staff_session(user))


class StaffTwoFactorMiddleware:
    """Sends a signed-in staff member whose session is not verified yet to the code page, from any page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if needs_second_factor(user) and not user.is_verified() and not _is_open(request.path):  # type: ignore[union-attr]
            target = reverse("accounts:two-factor")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _is_open(path: str) -> bool:
    """Pages an unverified staff session may still open: the code page itself, signing out, assets."""
    open_paths = (
        reverse("accounts:two-factor"),
        reverse("accounts:logout"),
        reverse("accounts:login"),
        "/static/",
        "/i18n/",
        reverse("healthz"),
        "/favicon.ico",
    )
    return path.startswith(open_paths)


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Kode 6 angka dari aplikasi autentikator"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("Kode hanya berisi angka."))
        return token


WRONG_CODE = _("Kode salah atau sudah berganti. Ketik kode yang sedang tampil di aplikasi.")
THROTTLED = _("Terlalu banyak kode salah. Tunggu sebentar, lalu coba lagi dengan kode yang baru.")


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the code; on the first sign-in, first show the QR code that adds LatihKerja to the app."""
    user: Any = request.user
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("accounts:start")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("accounts:start")
    if not needs_second_factor(user) or user.is_verified():
        return redirect(next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    setting_up = device is None
    if setting_up and not may_set_up(user):
        # A password alone must not attach an app long after the account was made (a stolen password would
        # attach the thief's): the admin deletes the old device, which opens the window again.
        return render(request, "accounts/two_factor_closed.html", status=403)
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="aplikasi autentikator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _detail = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", THROTTLED)
        elif device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                record_event(actor=user, action="two_factor.enrolled", target=user, detail={})
            otp_login(request, device)
            return redirect(next_url)
        else:
            form.add_error("token", WRONG_CODE)
    context: dict[str, Any] = {"form": form, "next": next_url, "setting_up": setting_up}
    if setting_up:
        context["qr_svg"] = mark_safe(  # noqa: S308 - segno's own SVG of our otpauth URI, no user input
            segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#111", light="#fff")
        )
        key = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
        context["secret"] = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
    return render(request, "accounts/two_factor.html", context)
