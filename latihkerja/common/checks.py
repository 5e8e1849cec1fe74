"""`manage.py check --deploy`: the rate limits counted in the cache (`common.throttle`) hold only if every
process reads the same cache. Each gunicorn worker is a process: a local-memory cache gives each its own
counts, which multiplies every limit by the workers and forgets it at each restart."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.security, deploy=True)
def cache_is_shared(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if settings.CACHES["default"]["BACKEND"] not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "The cache is kept per process: the limits on failed sign-ins, employer sign-ups and NIK look-ups "
            "(common.throttle) are counted separately by each web worker and forgotten at each restart.",
            hint="Set CACHE_URL to a Redis shared by every web process, e.g. redis://127.0.0.1:6379/0 "
            "(docs/operations.md).",
            id="common.W001",
        )
    ]
