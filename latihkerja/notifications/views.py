"""The development outbox: what the console channel "sent", readable in the browser (DEBUG only)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Message

OUTBOX_SIZE = 50


@never_cache
@require_GET
def dev_outbox(request: HttpRequest) -> HttpResponse:
    """The last 50 messages, newest first, so a person trying `make run` can read their one-time code.

    A 404 unless `DEBUG` is on: the outbox holds phone numbers and live codes of real people in production.
    """
    if not settings.DEBUG:
        raise Http404
    outbox = Message.objects.order_by("-created_at", "-pk").only(
        "created_at", "channel", "recipient", "kind", "subject", "body", "status"
    )[:OUTBOX_SIZE]
    return render(request, "notifications/dev_outbox.html", {"outbox": outbox})
