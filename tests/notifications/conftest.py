from collections.abc import Iterator

import pytest

from latihkerja.notifications import channels


@pytest.fixture(autouse=True)
def empty_outbox() -> Iterator[list[channels.SentMessage]]:
    """LocmemChannel's outbox lives in the process: each test starts with an empty one."""
    channels.outbox.clear()
    yield channels.outbox
    channels.outbox.clear()
