"""The refresh swaps in only what changed, reads one snapshot, and the refresher survives a failed refresh."""

from __future__ import annotations

import datetime as dt
import struct
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.db import OperationalError

from latihkerja.registration.models import Application
from latihkerja.reports import services
from latihkerja.reports.compute import _parse_binary_copy, compute_figures
from latihkerja.reports.models import Figure
from latihkerja.reports.services import refresh_figures
from tests.factories.reports import ResidentFactory, make_application

pytestmark = pytest.mark.integration


def stored(period: Any) -> dict[tuple[Any, ...], int]:
    return {
        (f.scope, f.scope_id, f.dimension, f.key, f.measure): f.value
        for f in Figure.objects.filter(period=period)
    }


def test_a_second_refresh_rewrites_only_the_changed_cells_when_one_application_arrives(period, open_batches):
    for batch in open_batches[:3]:
        make_application(ResidentFactory(), period, [batch])
    refresh_figures(period=period)
    ids_before = dict(Figure.objects.filter(period=period).values_list("pk", "value"))

    make_application(ResidentFactory(), period, [open_batches[3]])  # a new centre: new cells appear
    refresh_figures(period=period)

    assert stored(period) == dict(compute_figures(period).values)
    rows = dict(Figure.objects.filter(period=period).values_list("pk", "value"))
    kept = set(ids_before) & set(rows)
    assert (
        len(kept) > len(ids_before) * 0.8
    )  # unchanged cells were left in place, not deleted and re-inserted
    assert any(rows[pk] != ids_before[pk] for pk in kept)  # and the changed ones were updated in place
    assert stored(period)[("city", 0, "total", "all", "registered")] == 4


def test_cells_that_vanish_are_deleted_when_their_application_is_withdrawn(period, open_batches):
    applications = [make_application(ResidentFactory(), period, [batch]) for batch in open_batches[:4]]
    refresh_figures(period=period)
    theme_key = open_batches[3].theme.code
    center_cell = ("center", open_batches[3].center_id, "theme", theme_key, "registered")
    assert stored(period)[center_cell] == 1

    applications[3].delete()
    refresh_figures(period=period)

    assert center_cell not in stored(period)
    assert stored(period) == dict(compute_figures(period).values)


def test_every_row_is_replaced_when_most_cells_changed(period, open_batches, monkeypatch):
    make_application(ResidentFactory(), period, [open_batches[0]])
    refresh_figures(period=period)
    monkeypatch.setattr(services, "REWRITE_ABOVE", 0.0)
    make_application(ResidentFactory(), period, [open_batches[1]])

    refresh_figures(period=period)

    assert stored(period) == dict(compute_figures(period).values)


def copy_stream(rows: list[tuple[int, ...]], widths: tuple[int, ...]) -> bytearray:
    out = bytearray(b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0))
    formats = {2: ">h", 4: ">i", 8: ">q"}
    for row in rows:
        out += struct.pack(">h", len(row))
        for value, width in zip(row, widths, strict=True):
            if value is None:
                out += struct.pack(">i", -1)
            else:
                out += struct.pack(">i", width) + struct.pack(formats[width], value)
    return out + struct.pack(">h", -1)


def test_a_binary_copy_of_integers_becomes_the_same_matrix_when_columns_mix_widths():
    rows = [(1, -5, 2**40), (7, 0, 3)]

    matrix = _parse_binary_copy(copy_stream(rows, (4, 2, 8)), 3)

    assert matrix.dtype == np.int64
    assert matrix.tolist() == [list(r) for r in rows]
    assert _parse_binary_copy(copy_stream([], (8,)), 1).shape == (0, 1)


@pytest.mark.parametrize(
    ("rows", "widths"),
    [([(1, None)], (4, 4)), ([(1, 2), (3, 4)], (4, 4))],
    ids=["a NULL", "a truncated stream"],
)
def test_a_binary_copy_is_refused_when_it_is_not_plain_integers(rows, widths):
    stream = copy_stream(rows, widths)
    if len(rows) == 2:
        stream = stream[:-5]

    with pytest.raises(ValueError, match="COPY of integers"):
        _parse_binary_copy(stream, 2)


def test_the_refresher_keeps_going_when_one_refresh_fails(db, monkeypatch):
    calls = []

    def refresh_all(periods: Any = None) -> list[Any]:
        calls.append(periods)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return []

    class Stop(Exception):
        pass

    def sleep(seconds: float) -> None:
        if len(calls) >= 2:
            raise Stop

    command = "latihkerja.reports.management.commands.refresh_reports"
    monkeypatch.setattr(f"{command}.refresh_all", refresh_all)
    monkeypatch.setattr(f"{command}.time.sleep", sleep)

    with pytest.raises(Stop):
        call_command("refresh_reports", every=5)

    assert len(calls) == 2


def test_a_single_refresh_reports_the_failure_when_not_repeating(db, monkeypatch):
    def refresh_all(periods: Any = None) -> list[Any]:
        raise OperationalError("database is down")

    monkeypatch.setattr("latihkerja.reports.management.commands.refresh_reports.refresh_all", refresh_all)

    with pytest.raises(OperationalError):
        call_command("refresh_reports")


def test_an_application_counts_in_its_local_month_when_made_late_in_the_evening_utc(period, open_batches):
    application = make_application(ResidentFactory(), period, [open_batches[0]])
    # 31 October 18:30 UTC is 1 November 01:30 in Jakarta (UTC+7): the local month is November.
    Application.objects.filter(pk=application.pk).update(
        created_at=dt.datetime(2020, 10, 31, 18, 30, tzinfo=dt.UTC)
    )

    values = compute_figures(period).values

    assert values[("city", 0, "month", "2020-11", "registered")] == 1
    assert ("city", 0, "month", "2020-10", "registered") not in values


def test_health_compliance_counts_a_luring_session_past_its_start_unsigned_when_the_flagged_list_shows_it(
    period, operator_blk_a
):
    from latihkerja.batches.enums import BatchStatus
    from latihkerja.training.queries import flagged_sessions
    from tests.factories import BatchFactory
    from tests.factories.reports import make_session

    batch = BatchFactory(period=period, center=operator_blk_a.center, status=BatchStatus.RUNNING)
    make_session(batch, 1, status="held", signed_by=operator_blk_a)  # signed, then held
    make_session(batch, 2, status="scheduled")  # its day is past, nobody signed: flagged
    make_session(batch, 3, status="cancelled")  # never needed a sign-off
    make_session(batch, 4, modality="daring", status="held")  # online: no room, no checklist

    refresh = refresh_figures(period=period)
    figures = stored(period)

    assert figures[("city", 0, "total", "all", "luring_sessions")] == 2
    assert figures[("city", 0, "total", "all", "signed_sessions")] == 1
    assert figures[("center", operator_blk_a.center.pk, "total", "all", "luring_sessions")] == 2
    assert [s.number for s in flagged_sessions(operator_blk_a, now=refresh.refreshed_at)] == [2]
