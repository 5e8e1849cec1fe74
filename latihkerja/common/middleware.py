"""HTTP hardening that Django's SecurityMiddleware does not cover."""

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.translation import check_for_language, gettext

from .views import refused_nul

# Every asset is served from our own origin (vendored); nothing may load from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'"
)
PERMISSIONS_POLICY = "camera=(self), geolocation=(), microphone=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/admin/") or request.path.startswith("/api/v1/docs"):
            # The admin and the API docs use inline scripts/styles of their own.
            response.headers.setdefault(
                "Content-Security-Policy",
                CONTENT_SECURITY_POLICY.replace(
                    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
                ).replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
            )
        else:
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if getattr(getattr(request, "user", None), "is_authenticated", False) and not response.has_header(
            "Cache-Control"
        ):
            # A signed-in page holds someone's data: no browser or proxy keeps a copy (a shared computer's
            # back button, a cache on the way).
            add_never_cache_headers(response)
        if (
            request.path.startswith("/api/")
            and response.status_code == 405
            and "json" not in response.get("Content-Type", "")
        ):
            # A method the address does not take: said in the API's format and language, with what it takes.
            allowed = response.get("Allow", "")
            response = JsonResponse(
                {
                    "detail": gettext(
                        "Metode %(method)s tidak berlaku di alamat ini; yang berlaku: %(allowed)s."
                    )
                    % {"method": request.method, "allowed": allowed}
                },
                status=405,
            )
            response["Allow"] = allowed
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") and user is not None and user.is_authenticated:
            # A signed-in caller's answers are about them (their profile, application, company): never kept
            # by a shared cache or a proxy.
            patch_cache_control(response, private=True, no_store=True)
        return response


class LanguageMiddleware:
    """Bahasa Indonesia unless the person chose otherwise with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a resident whose phone is set to
    English would land on English pages they did not ask for; a public service speaks the national language
    first and offers the other. The JSON API, used by programs rather than people, follows Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not chosen and request.path.startswith("/api/"):
            # API clients (apps, portals) state their language in the standard header.
            chosen = translation.get_language_from_request(request)
        language = (
            chosen
            if chosen and check_for_language(chosen) and chosen in dict(settings.LANGUAGES)
            else settings.LANGUAGE_CODE
        )
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(
            response, ["Cookie", "Accept-Language"] if request.path.startswith("/api/") else ["Cookie"]
        )
        return response


# A NUL character in JSON: the escape \u0000 not itself escaped (an even run of backslashes before it).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def carries_nul(request: HttpRequest) -> bool:
    """Whether the path, the query or a text body holds a NUL character.

    PostgreSQL cannot store or even compare text holding NUL: such a value reaching a query is a 500. Django's
    form fields refuse it, but not a lookup made from a query parameter, an API field or a URL, so it is refused
    once, here, before any view. In a multipart body only the text fields are read: files may hold any byte.
    """
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        return b"%00" in request.body or b"\x00" in request.body
    if content_type == "multipart/form-data" and not request.path.startswith("/api/"):
        # Files may hold any byte; the text fields beside them may not. (The API takes no files and reads the
        # raw body, which parsing the form here would consume: it is checked as any other body.)
        return any("\x00" in value for values in request.POST.lists() for value in values[1])
    # JSON, and any other body (the API refuses a body not declared JSON, but only after this check).
    return b"\x00" in request.body or _JSON_NUL.search(request.body) is not None


class RefuseNulMiddleware:
    """A request carrying a NUL character gets a 400 in the reader's language (JSON under /api/)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if carries_nul(request):
            return refused_nul(request)
        return self.get_response(request)
