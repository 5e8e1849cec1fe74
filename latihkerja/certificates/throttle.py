"""A per-address limit on public certificate look-ups (page and API share it).

The numbers are unguessable (60 bits), so the limit is not what protects them: it keeps a scraper from
hammering the database. Counted in the cache (`CACHE_URL`; Redis when there are several app servers).
"""

from __future__ import annotations

from django.http import HttpRequest

from latihkerja.common.throttle import address_key, count

VERIFY_LIMIT_PER_MINUTE = 30


def over_verify_limit(request: HttpRequest, limit: int | None = None) -> bool:
    """Count this look-up; True once the client address has made more than the limit this minute."""
    seen = count(address_key("certificates:verify", request, period=60), window=90)
    return seen > (VERIFY_LIMIT_PER_MINUTE if limit is None else limit)
