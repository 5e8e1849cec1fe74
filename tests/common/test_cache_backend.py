"""The shared cache operations.md configures for several app servers (CACHE_URL=redis://…) works with what
the project installs: Django's Redis backend needs the `redis` package."""

import socket

import environ
import pytest
from django.core.cache.backends.redis import RedisCache

REDIS = "redis://127.0.0.1:6379/15"


def _redis_answers() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


def test_the_documented_cache_url_means_djangos_redis_backend():
    assert environ.Env.cache_url_config(REDIS)["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_the_redis_cache_keeps_and_counts_what_the_limits_store():
    cache = RedisCache(REDIS, {"KEY_PREFIX": "latihkerja-test"})
    cache.delete("limit")

    added = cache.add("limit", 1, 60)
    counted = cache.incr("limit")

    assert added is True
    assert counted == 2
    assert cache.add("limit", 1, 60) is False  # a limit's first hit is counted once, whoever arrives first
    cache.delete("limit")
