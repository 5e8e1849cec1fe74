"""The Redis cache, made to degrade instead of failing requests when Redis is down or stalled.

The cache holds rate-limit counters (`common.throttle`) and short-lived copies of computed pages. Neither is
worth a 500: with Django's own Redis backend an unreachable Redis failed every staff sign-in and the
dashboard (resilience review). Here a Redis error is logged (at most once a minute per process) and the call
behaves as if the cache were empty: reads miss, writes are dropped, a counter counts from zero, so the limits
are not enforced until Redis is back. `/healthz` reports the outage (`reachable`), and the socket timeouts
set in the settings keep a stalled Redis from holding a request for long."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 60.0


class FailSoftRedisCache(RedisCache):
    _warned_at = 0.0

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
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            self._unavailable("get_many", error)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except RedisError as error:
            self._unavailable("has_key", error)
            return False

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            self._unavailable("add", error)
            return False

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            self._unavailable("set", error)

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            self._unavailable("set_many", error)
            return list(data)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except RedisError as error:
            self._unavailable("touch", error)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except RedisError as error:
            self._unavailable("delete", error)
            return False

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except RedisError as error:
            self._unavailable("delete_many", error)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """A counter Redis cannot keep counts from zero: the first step of a limit, never over it."""
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            self._unavailable("incr", error)
            return delta

    def clear(self) -> None:
        try:
            super().clear()
        except RedisError as error:
            self._unavailable("clear", error)
