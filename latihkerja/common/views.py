"""Operational endpoints."""

import datetime as dt
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Work queued longer than this means no worker is taking it: SMS codes and imports wait (resilience review).
QUEUE_LATE_AFTER = dt.timedelta(minutes=5)
# The refresher recomputes live periods every 20 s or so (`refresh_reports --every 20`); figures this old mean
# it is not running, and the dashboard and open data keep saying they are being computed.
REPORTS_LATE_AFTER = dt.timedelta(minutes=10)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """503 when the database does not answer (load balancers take the server out); otherwise 200, with
    `status` "degraded" and the reason when the shared cache is unreachable, queued background work waits
    longer than `QUEUE_LATE_AFTER` (a stopped worker: codes and imports wait; bulk SMS do not count), or a live
    period's dashboard figures are older than `REPORTS_LATE_AFTER` (no refresher running).
    Monitoring alerts on a status other than "ok"; a load balancer keeps the server, which still serves pages."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    body: dict[str, object] = {"status": "ok", "database": "ok"}
    reachable = getattr(cache, "reachable", None)
    if reachable is not None:
        body["cache"] = "ok" if reachable() else "unreachable"
    body.update(_background_checks())
    if body.get("cache") == "unreachable" or body.get("worker") == "late" or body.get("reports") == "late":
        body["status"] = "degraded"
    return JsonResponse(body)


# The checks of background work, kept per process for `HEALTHZ_CHECKS_SECONDS`: a load balancer probes every
# few seconds, and each answer should stay one `SELECT 1`, not a scan of the task queue and the periods.
_checked: tuple[float, dict[str, object]] | None = None


def _background_checks() -> dict[str, object]:
    global _checked
    now = time.monotonic()
    if _checked is not None and now - _checked[0] < settings.HEALTHZ_CHECKS_SECONDS:
        return _checked[1]
    from latihkerja.notifications.services import BULK_PRIORITY  # notifications builds on common

    from .queue import oldest_waiting_since

    found: dict[str, object] = {}
    # Bulk messages are left out: a publication's SMS legitimately wait an hour or two behind each other
    # (`notifications.services.STALE_BULK_AFTER`); a sign-in code, an import or a run does not.
    late = oldest_waiting_since(above_priority=BULK_PRIORITY)
    if late is not None:
        waited = timezone.now() - late
        found["oldest_queued_seconds"] = int(waited.total_seconds())
        if waited > QUEUE_LATE_AFTER:
            found["worker"] = "late"
    if _reports_late():
        found["reports"] = "late"
    _checked = (now, found)
    return found


def _reports_late() -> bool:
    """Whether a live period's figures were never computed or not for `REPORTS_LATE_AFTER`."""
    from django.db.models import Q

    from latihkerja.reports.services import live_periods  # reports builds on common

    stale = Q(figure_refresh__isnull=True) | Q(
        figure_refresh__refreshed_at__lt=timezone.now() - REPORTS_LATE_AFTER
    )
    return live_periods().filter(stale).exists()


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on pages without an icon link (JSON, files): send the shipped icon.

    Resolved per request, not at import, because the hashed name exists only after collectstatic."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


# Error pages. The HTML pages are Django's own handlers with the project's templates (404.html, 403.html,
# 400.html, 500.html); under /api/ the same errors answer in the API's format, {"detail": "<message>"}.

API_PREFIX = "/api/"


def _api_error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        if isinstance(exception, RequestDataTooBig):
            return _api_error(400, gettext("Isi permintaan terlalu besar untuk API ini."))
        return _api_error(400, gettext("Permintaan tidak dapat diproses."))
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _api_error(403, gettext("Akses ditolak."))
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _api_error(404, gettext("Tidak ditemukan. Daftar alamat API ada di /api/v1/docs."))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _api_error(
            500, gettext("Terjadi gangguan di server. Gangguan ini sudah dicatat untuk petugas.")
        )
    return defaults.server_error(request)


def refused_nul(request: HttpRequest) -> HttpResponse:
    """A request holding a NUL character (see `common.middleware.RefuseNulMiddleware`)."""
    message = gettext("Teks tidak boleh berisi karakter NUL (kode 0). Hapus karakter itu, lalu kirim lagi.")
    if request.path.startswith(API_PREFIX):
        return _api_error(400, message)
    return render(request, "400.html", {"message": message}, status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: an expired form explained in the reader's language, inside the site's layout. (The API's
    views are csrf-exempt for Django; ninja checks the token itself and answers in JSON, `api.errors`.)"""
    return render(request, "403_csrf.html", status=403)
