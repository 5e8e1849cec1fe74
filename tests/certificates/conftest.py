from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db: Any) -> None:
    """The verification page counts look-ups per address in the cache; each test starts at zero."""
    cache.clear()
