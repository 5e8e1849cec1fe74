"""View decorators for staff pages: sign-in first, then the role; a wrong role gets a 404, never a 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from .rules import is_bappeda


def role_required(predicate: Callable[[Any], bool]) -> Callable[[Any], Any]:
    def decorator(view: Any) -> Any:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not predicate(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


bappeda_required = role_required(is_bappeda)
