"""The Redis cache, made to degrade instead of failing requests when Redis is down or stalled.

The cache holds rate-limit counters (`common.throttle`) and short-lived copies of computed pages. Neither is
worth a 500: with Django's own Redis backend an unreachable Redis failed every staff sign-in and the
dashboard (resilience review). Here a Redis error is logged (at most once a minute per process) and the call
goes to a local-memory cache of the process instead, so the limits on sign-in failures, NIK look-ups and the
rest still hold, counted per process (each gunicorn worker counts on its own) until Redis is back, rather
than not at all. `/healthz` reports the outage (`reachable`), and the socket timeouts set in the settings keep
a stalled Redis from holding a request for long."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 60.0


class FailSoftRedisCache(RedisCache):
    _warned_at = 0.0

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        # Where the calls go while Redis is unreachable: this process's own memory.
        self._local = LocMemCache(f"latihkerja-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})

    def _unavailable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - FailSoftRedisCache._warned_at >= WARN_EVERY_SECONDS:
            FailSoftRedisCache._warned_at = now
            logger.warning("cache unavailable (%s): %s; carrying on without it", operation, error)

    def reachable(self) -> bool:
        """Whether Redis answers a PING now (for `/healthz`)."""
        try:
            return bool(self._cache.get_client().ping())
        except RedisError:
            return False

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError as error:
            self._unavailable("get", error)
            return self._local.get(key, default, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            self._unavailable("get_many", error)
            return self._local.get_many(keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except RedisError as error:
            self._unavailable("has_key", error)
            return self._local.has_key(key, version)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            self._unavailable("add", error)
            return self._local.add(key, value, timeout, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            self._unavailable("set", error)
            self._local.set(key, value, timeout, version)

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            self._unavailable("set_many", error)
            return self._local.set_many(data, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except RedisError as error:
            self._unavailable("touch", error)
            return self._local.touch(key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except RedisError as error:
            self._unavailable("delete", error)
            return self._local.delete(key, version)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except RedisError as error:
            self._unavailable("delete_many", error)
            self._local.delete_many(keys, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            self._unavailable("incr", error)
            return self._local.incr(key, delta, version)  # ValueError when absent, as from Redis

    def clear(self) -> None:
        try:
            super().clear()
        except RedisError as error:
            self._unavailable("clear", error)
            self._local.clear()
