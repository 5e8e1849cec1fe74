import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(f"real parallel connections need PostgreSQL (this run is on {connection.vendor})")


def run_in_parallel(calls: list[Callable[[], Any]], *, workers: int = 60) -> list[Any]:
    """Run `calls` on `workers` threads, each with its own database connection, released together.

    PostgreSQL allows ~100 connections here, so 500 attempts run as 60 truly parallel connections that each
    fire their share as fast as they can; the first wave starts at one barrier.
    """
    barrier = threading.Barrier(min(workers, len(calls)))
    started = threading.local()

    def guarded(call: Callable[[], Any]) -> Any:
        if not getattr(started, "done", False):
            started.done = True
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=30)
        try:
            return call()
        except Exception as error:  # the caller asserts on the kinds of outcome
            return error
        finally:
            connections.close_all()  # a thread's connection must not outlive the test database

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(guarded, calls))
