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


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _settings_cache(url: str) -> dict:
    """CACHES as the settings make them of CACHE_URL=url (see the last test)."""
    return {
        "default": {
            **environ.Env.cache_url_config(url),
            "BACKEND": "latihkerja.common.cache.FailSoftRedisCache",
            "OPTIONS": {"socket_connect_timeout": 1.0, "socket_timeout": 1.0},
        }
    }


def test_with_redis_unreachable_the_limits_still_count_in_the_process_instead_of_failing(settings, caplog):
    """Redis down made every staff sign-in a 500 (resilience review); counting from zero each time would have
    switched the sign-in and NIK limits off (diff review). The process counts on its own meanwhile."""
    from django.core.cache import cache

    from latihkerja.common import throttle

    settings.CACHES = _settings_cache(f"redis://127.0.0.1:{_closed_port()}/0")

    assert cache.get("page", "missing") == "missing"
    assert [throttle.count("limit", window=60) for _ in range(4)] == [1, 2, 3, 4]
    assert throttle.current("limit") == 4
    cache.set("page", "x", 60)
    assert cache.get("page") == "x"
    assert cache.reachable() is False
    assert "cache unavailable" in caplog.text


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_the_fail_soft_cache_counts_normally_when_redis_answers(settings):
    from django.core.cache import cache

    from latihkerja.common import throttle

    settings.CACHES = _settings_cache(REDIS)
    cache.delete("limit-soft")

    assert [throttle.count("limit-soft", window=60) for _ in range(3)] == [1, 2, 3]
    assert cache.reachable() is True
    cache.delete("limit-soft")


def test_the_settings_use_the_fail_soft_backend_with_short_timeouts_for_a_redis_url(monkeypatch):
    import importlib

    from latihkerja.config.settings import base

    monkeypatch.setenv("CACHE_URL", "redis://cache.example.org:6379/0")
    try:
        reloaded = importlib.reload(base)
        assert reloaded.CACHES["default"]["BACKEND"] == "latihkerja.common.cache.FailSoftRedisCache"
        assert reloaded.CACHES["default"]["OPTIONS"] == {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}
    finally:
        monkeypatch.delenv("CACHE_URL")
        importlib.reload(base)
