"""The API's errors in the request's language.

django-ninja answers its own errors in English ("Unauthorized", "Cannot parse request body", pydantic's
"Field required"). These handlers keep its shapes, which clients parse — `{"detail": "<message>"}`, and for
422 `{"detail": [{"type", "loc", "msg"}]}` — and put the message in the language of the request
(`Accept-Language` or the language cookie), as every page and service message already is.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext, gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser

# ninja's fixed English messages, by the text it raises them with.
_NINJA_MESSAGES = {
    "Cannot parse request body": gettext_lazy("Isi permintaan bukan JSON yang sah."),
    "CSRF check Failed": gettext_lazy(
        "Token CSRF tidak ada atau tidak cocok: kirim header X-CSRFToken dengan nilai cookie csrftoken."
    ),
}

# pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/), by what they ask for.
_TYPE_MESSAGES = {
    "missing": gettext_lazy("Wajib diisi."),
    "string_type": gettext_lazy("Harus berupa teks."),
    "string_unicode": gettext_lazy("Harus berupa teks."),
    "int_type": gettext_lazy("Harus berupa bilangan bulat."),
    "int_parsing": gettext_lazy("Harus berupa bilangan bulat."),
    "int_from_float": gettext_lazy("Harus berupa bilangan bulat."),
    "int_parsing_size": gettext_lazy("Bilangan terlalu besar."),
    "float_type": gettext_lazy("Harus berupa angka."),
    "float_parsing": gettext_lazy("Harus berupa angka."),
    "finite_number": gettext_lazy("Harus berupa angka."),
    "bool_type": gettext_lazy("Harus true atau false."),
    "bool_parsing": gettext_lazy("Harus true atau false."),
    "date_type": gettext_lazy("Harus berupa tanggal dengan format TTTT-BB-HH, misalnya 2026-01-31."),
    "date_parsing": gettext_lazy("Harus berupa tanggal dengan format TTTT-BB-HH, misalnya 2026-01-31."),
    "date_from_datetime_parsing": gettext_lazy(
        "Harus berupa tanggal dengan format TTTT-BB-HH, misalnya 2026-01-31."
    ),
    "date_from_datetime_inexact": gettext_lazy(
        "Harus berupa tanggal dengan format TTTT-BB-HH, misalnya 2026-01-31."
    ),
    "datetime_type": gettext_lazy("Harus berupa tanggal dan jam (ISO 8601)."),
    "datetime_parsing": gettext_lazy("Harus berupa tanggal dan jam (ISO 8601)."),
    "datetime_from_date_parsing": gettext_lazy("Harus berupa tanggal dan jam (ISO 8601)."),
    "list_type": gettext_lazy("Harus berupa daftar (array)."),
    "dict_type": gettext_lazy("Harus berupa objek JSON."),
    "model_type": gettext_lazy("Harus berupa objek JSON."),
    "model_attributes_type": gettext_lazy("Harus berupa objek JSON."),
    "json_invalid": gettext_lazy("Isi permintaan bukan JSON yang sah."),
    "json_type": gettext_lazy("Isi permintaan bukan JSON yang sah."),
    "uuid_type": gettext_lazy("Harus berupa UUID."),
    "uuid_parsing": gettext_lazy("Harus berupa UUID."),
}

# Types whose message needs the limit pydantic reports in `ctx`.
_LIMIT_MESSAGES = {
    "greater_than_equal": ("ge", gettext_lazy("Paling kecil %(limit)s.")),
    "greater_than": ("gt", gettext_lazy("Harus lebih dari %(limit)s.")),
    "less_than_equal": ("le", gettext_lazy("Paling besar %(limit)s.")),
    "less_than": ("lt", gettext_lazy("Harus kurang dari %(limit)s.")),
    "string_too_short": ("min_length", gettext_lazy("Paling sedikit %(limit)s karakter.")),
    "string_too_long": ("max_length", gettext_lazy("Paling banyak %(limit)s karakter.")),
    "too_short": ("min_length", gettext_lazy("Paling sedikit %(limit)s butir.")),
    "too_long": ("max_length", gettext_lazy("Paling banyak %(limit)s butir.")),
    "literal_error": ("expected", gettext_lazy("Pilihan tidak dikenal; yang dikenal: %(limit)s.")),
    "enum": ("expected", gettext_lazy("Pilihan tidak dikenal; yang dikenal: %(limit)s.")),
}


def error_message(error: dict[str, Any]) -> str:
    """One pydantic error in the active language; an unknown type gets a general message, never English."""
    kind = str(error.get("type", ""))
    if kind in _TYPE_MESSAGES:
        return str(_TYPE_MESSAGES[kind])
    if kind in _LIMIT_MESSAGES:
        key, message = _LIMIT_MESSAGES[kind]
        limit = (error.get("ctx") or {}).get(key)
        if limit is not None:
            return str(message) % {"limit": limit}
    return gettext("Nilai tidak valid.")


class NotJsonError(ValueError):
    """A body sent without `Content-Type: application/json`."""


class JsonParser(Parser):
    """Bodies are read only when they say they are JSON.

    A browser sends a cross-site form without asking the server first (no CORS preflight) only as
    form-encoded, multipart or text/plain. Reading a text/plain body as JSON let a page elsewhere post
    `{"phone": …, "code": …}` to `/auth/verify` from a victim's browser and sign it into the attacker's
    account (login CSRF), where the victim's NIK would then be filed. JSON itself needs a preflight, which
    this API does not grant."""

    def parse_body(self, request: HttpRequest) -> Any:
        media = (request.content_type or "").lower()
        if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
            raise NotJsonError(media)
        return super().parse_body(request)


def install(api: NinjaAPI) -> None:
    """Replace ninja's default handlers for the errors a client can cause (a server fault stays Django's)."""

    def validation_error(request: HttpRequest, exc: Any) -> HttpResponse:  # ninja types it loosely
        details = [
            {"type": error.get("type"), "loc": error.get("loc"), "msg": error_message(error)}
            for error in exc.errors
        ]
        return api.create_response(request, {"detail": details}, status=422)

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        message = str(exc)
        if isinstance(exc, AuthenticationError):
            message = gettext("Masuk dulu: permintaan ini memerlukan sesi yang sah.")
        elif isinstance(exc, AuthorizationError):
            message = gettext("Akses ditolak.")
        elif isinstance(exc, Throttled):
            message = gettext("Terlalu banyak permintaan. Coba lagi sebentar lagi.")
        elif isinstance(exc.__cause__, NotJsonError):  # ninja wraps the parser's error in a 400
            message = gettext(
                "Kirim isi permintaan sebagai JSON dengan header Content-Type: application/json."
            )
            return api.create_response(request, {"detail": message}, status=415)
        else:
            # ninja appends the parser's exception ("Cannot parse request body (Expecting value: …)"): the
            # client gets the message without Python's internals.
            known = next((text for text in _NINJA_MESSAGES if message.startswith(text)), None)
            if known is not None:
                message = str(_NINJA_MESSAGES[known])
        return api.create_response(request, {"detail": message}, status=exc.status_code)

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": gettext("Tidak ditemukan.")}, status=404)

    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
