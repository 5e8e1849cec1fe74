"""Refreshes of one period's figures racing each other (the refresher, the worker, a Bappeda click)."""

import pytest

from latihkerja.reports.models import Figure, FigureRefresh
from latihkerja.reports.services import refresh_figures
from tests.factories import BatchFactory, PeriodFactory, ResidentFactory
from tests.factories.reports import make_application, make_enrollment

from .conftest import run_in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_refreshes_leave_exactly_one_set_of_figures_when_racing(reference_data):
    period = PeriodFactory()
    batch = BatchFactory(status="running")
    for _ in range(6):
        resident = ResidentFactory()
        make_application(resident, period, [batch])
        make_enrollment(resident, batch)
    refresh_figures(period=period)
    expected = sorted(
        Figure.objects.filter(period=period).values_list(
            "scope", "scope_id", "dimension", "key", "measure", "value"
        )
    )

    results = run_in_parallel([lambda: refresh_figures(period=period) for _ in range(20)], workers=20)

    assert [r for r in results if isinstance(r, Exception)] == []
    figures = sorted(
        Figure.objects.filter(period=period).values_list(
            "scope", "scope_id", "dimension", "key", "measure", "value"
        )
    )
    assert figures == expected
    assert FigureRefresh.objects.get(period=period).figure_count == len(expected)


def test_a_refresh_reads_one_snapshot_when_an_application_commits_while_it_computes(reference_data):
    """Figures never mix before and after a concurrent change: the computation sees one snapshot."""
    from latihkerja.registration.models import Application
    from latihkerja.reports.compute import compute_figures, snapshot

    period = PeriodFactory()
    batch = BatchFactory(status="open")
    make_application(ResidentFactory(), period, [batch])

    with snapshot():
        assert Application.objects.filter(period=period).count() == 1  # the snapshot is taken here
        run_in_parallel([lambda: make_application(ResidentFactory(), period, [batch])], workers=1)
        inside = compute_figures(period).values

    assert Application.objects.filter(period=period).count() == 2
    assert inside[("city", 0, "total", "all", "registered")] == 1
    assert compute_figures(period).values[("city", 0, "total", "all", "registered")] == 2
