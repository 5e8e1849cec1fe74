"""`check --deploy` says when the rate limits kept in the cache would be counted per web worker."""

import pytest

from latihkerja.common.checks import cache_is_shared


@pytest.mark.parametrize(
    ("backend", "ids"),
    [
        ("django.core.cache.backends.locmem.LocMemCache", ["common.W001"]),
        ("django.core.cache.backends.dummy.DummyCache", ["common.W001"]),
        ("django.core.cache.backends.redis.RedisCache", []),
    ],
)
def test_the_deploy_check_warns_until_the_cache_is_shared_by_every_process(settings, backend, ids):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "redis://127.0.0.1:6379/9"}}

    assert [warning.id for warning in cache_is_shared()] == ids
