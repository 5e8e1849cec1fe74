"""Sign-ins and staff sessions: every sign-in is in the audit trail, and a staff session ends when left idle.

Staff open residents' personal data, often on shared computers at the kelurahan office: a session left open
there must not stay usable for Django's default two weeks. Residents, on their own phones, keep theirs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from latihkerja.audit.services import record_event


def is_staff_session(user: Any) -> bool:
    """Whether `user` is signed in as staff (a superuser, or a role of `STAFF_ROLES`)."""
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or user.is_staff_role))


def record_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """`user_logged_in` receiver: the sign-in in the audit trail (password, SMS code or API, by the backend);
    a staff session's idle clock starts with it, saved with the sign-in itself."""
    if is_staff_session(user):
        _touch(request)
    record_event(
        actor=user,
        action="account.signed_in",
        target=user,
        detail={"via": "api" if request.path.startswith("/api/") else "web"},
    )


# A staff session is saved again (its end pushed back) at most once a minute, not on every request.
_TOUCHED = "staff_idle_touched"
_TOUCH_EVERY = 60


class StaffIdleTimeoutMiddleware:
    """A staff session ends `STAFF_IDLE_MINUTES` (up to a minute more) after its last request: each request
    pushes its end back, saving the session at most once a minute. Residents' sessions keep the site's default."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_staff_session(getattr(request, "user", None)) and (
            int(time.time()) - int(request.session.get(_TOUCHED, 0)) >= _TOUCH_EVERY
        ):
            _touch(request)
        return self.get_response(request)


def _touch(request: HttpRequest) -> None:
    request.session[_TOUCHED] = int(time.time())
    request.session.set_expiry(settings.STAFF_IDLE_MINUTES * 60)
