"""Counters for rate limits, kept in the cache (`CACHE_URL`; Redis when there are several app servers, so that
every server sees the same count)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.utils import timezone


def count(key: str, *, window: int) -> int:
    """Add one to the counter `key` (started now for `window` seconds if absent) and return the new count."""
    cache.add(key, 0, timeout=window)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def current(key: str) -> int:
    """The counter's value without counting (0 when absent or expired)."""
    return int(cache.get(key, 0))


def address_key(name: str, request: Any, *, period: int) -> str:
    """The counter of `name` for the request's client address in the current fixed window of `period` seconds
    (the address as our own proxies saw it: `accounts.services.client_ip`)."""
    from latihkerja.accounts.services import client_ip  # accounts builds on common

    window = int(timezone.now().timestamp() // period)
    return f"{name}:{client_ip(request) or '-'}:{window}"
