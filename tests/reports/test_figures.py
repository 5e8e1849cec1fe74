"""Every dashboard figure equals a direct count over the raw tables; scopes hold only their own rows."""

from __future__ import annotations

import random

import pytest
from django.core.management import call_command

from latihkerja.accounts.enums import Role
from latihkerja.batches.models import Batch
from latihkerja.catalog.models import Theme
from latihkerja.demand.models import Company
from latihkerja.programs.models import Period
from latihkerja.regions.models import Kelurahan
from latihkerja.reports.enums import Dimension, Measure, Scope
from latihkerja.reports.models import Figure, FigureRefresh
from latihkerja.reports.services import refresh_figures
from tests.factories import UserFactory
from tests.factories.reports import populate_programme

from .direct import direct_count

pytestmark = pytest.mark.integration


@pytest.fixture
def demo_period(db):
    call_command("seed_demo", residents=160, seed=7)
    period = Period.objects.current()
    Company.objects.filter(pk__in=Company.objects.order_by("pk").values("pk")[:3]).update(
        verified_at="2020-09-01T00:00Z"
    )
    signer = UserFactory(username="op.sign", role=Role.BAPPEDA)
    populate_programme(period, seed=7, signer=signer)
    # Small minimums for a few batches with seats, so that some meet their minimum.
    Batch.objects.filter(
        pk__in=Batch.objects.filter(period=period, seats_taken__gte=2).order_by("pk").values("pk")[:5]
    ).update(minimum=2)
    # Two batches cancelled: they must not count as trainings.
    Batch.objects.filter(
        pk__in=Batch.objects.filter(period=period, enrollments__isnull=True).order_by("pk").values("pk")[:2]
    ).update(status="cancelled")
    return period


def test_every_figure_equals_a_direct_count_when_the_demo_data_is_loaded(demo_period):
    refresh_figures(period=demo_period)

    figures = list(Figure.objects.filter(period=demo_period).order_by("pk"))
    busiest_agency = max(
        (
            f
            for f in figures
            if f.scope == Scope.AGENCY and f.dimension == Dimension.TOTAL and f.measure == Measure.REGISTERED
        ),
        key=lambda f: f.value,
    ).scope_id
    busiest_center = max(
        (
            f
            for f in figures
            if f.scope == Scope.CENTER and f.dimension == Dimension.TOTAL and f.measure == Measure.ALLOCATED
        ),
        key=lambda f: f.value,
    ).scope_id
    chosen = [
        f
        for f in figures
        if f.scope == Scope.CITY
        or (f.scope == Scope.AGENCY and f.scope_id == busiest_agency)
        or (f.scope == Scope.CENTER and f.scope_id == busiest_center)
    ]
    chosen_pks = {f.pk for f in chosen}
    others = [f for f in figures if f.pk not in chosen_pks]
    chosen += random.Random(1).sample(others, k=min(300, len(others)))
    measures_seen = {f.measure for f in chosen if f.value > 0}

    mismatches = [
        (f.scope, f.scope_id, f.dimension, f.key, f.measure, f.value, expected)
        for f in chosen
        if f.value
        != (expected := direct_count(demo_period, f.scope, f.scope_id, f.dimension, f.key, f.measure))
    ]

    assert mismatches == []
    assert measures_seen == set(Measure.values)


def test_no_figure_is_missing_when_a_kelurahan_or_theme_has_data(demo_period):
    refresh_figures(period=demo_period)
    stored = {
        (f.dimension, f.key, f.measure): f.value
        for f in Figure.objects.filter(period=demo_period, scope=Scope.CITY)
    }

    for kelurahan in Kelurahan.objects.all():
        for measure in (Measure.REGISTERED, Measure.ALLOCATED, Measure.BATCHES):
            expected = direct_count(demo_period, "city", 0, "kelurahan", kelurahan.code, measure)
            assert stored.get(("kelurahan", kelurahan.code, measure), 0) == expected
    for theme in Theme.objects.all():
        for measure in (Measure.REGISTERED, Measure.COMPLETED, Measure.DEMAND):
            expected = direct_count(demo_period, "city", 0, "theme", theme.code, measure)
            assert stored.get(("theme", theme.code, measure), 0) == expected


def test_refresh_replaces_the_figures_when_the_data_changed(demo_period):
    refresh_figures(period=demo_period)
    before = Figure.objects.get(
        period=demo_period, scope="city", dimension="total", key="all", measure="batches"
    ).value

    Batch.objects.filter(period=demo_period).exclude(status="cancelled").filter(
        enrollments__isnull=True
    ).order_by("pk").first().delete()
    refresh = refresh_figures(period=demo_period)

    after = Figure.objects.get(
        period=demo_period, scope="city", dimension="total", key="all", measure="batches"
    ).value
    assert after == before - 1
    assert FigureRefresh.objects.get(period=demo_period) == refresh
    assert refresh.figure_count == Figure.objects.filter(period=demo_period).count()


def test_every_active_centre_is_listed_when_it_runs_no_training(demo_period):
    refresh_figures(period=demo_period)

    centres = Figure.objects.filter(period=demo_period, scope="city", dimension="center", measure="batches")

    assert centres.count() == 104


def test_refresh_reports_command_refreshes_one_period_when_named(period, capsys):
    call_command("refresh_reports", period=period.code)

    assert (
        FigureRefresh.objects.get(period=period).figure_count == Figure.objects.filter(period=period).count()
    )
    assert capsys.readouterr().out.startswith(f"{period.code}: ")


def test_refresh_reports_command_fails_when_the_period_is_unknown(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("refresh_reports", period="tidak-ada")


def test_by_default_a_closed_period_is_refreshed_once_and_then_left_alone(reference_data, capsys):
    import datetime as dt

    from django.utils import timezone

    from tests.factories import PeriodFactory

    today = timezone.localdate()
    live = PeriodFactory(
        code="kini", starts_on=today - dt.timedelta(days=10), ends_on=today + dt.timedelta(days=30)
    )
    long_ago = timezone.now() - dt.timedelta(days=420)
    closed = PeriodFactory(
        code="lama",
        starts_on=today - dt.timedelta(days=400),
        ends_on=today - dt.timedelta(days=300),
        registration_opens_at=long_ago,
        registration_closes_at=long_ago + dt.timedelta(days=7),
    )
    call_command("refresh_reports")
    first = capsys.readouterr().out
    call_command("refresh_reports")
    second = capsys.readouterr().out
    call_command("refresh_reports", all=True)
    everything = capsys.readouterr().out

    assert "lama: " in first
    assert "lama: " not in second
    assert f"{live.code}: " in second
    assert "lama: " in everything
    assert FigureRefresh.objects.filter(period=closed).exists()


def test_a_period_past_its_dates_is_still_refreshed_when_a_batch_is_still_running(reference_data, capsys):
    import datetime as dt

    from django.utils import timezone

    from tests.factories import BatchFactory, PeriodFactory

    today = timezone.localdate()
    long_ago = timezone.now() - dt.timedelta(days=420)
    late = PeriodFactory(
        code="telat",
        starts_on=today - dt.timedelta(days=400),
        ends_on=today - dt.timedelta(days=300),
        registration_opens_at=long_ago,
        registration_closes_at=long_ago + dt.timedelta(days=7),
    )
    batch = BatchFactory(period=late, status="running")
    PeriodFactory(  # registration still open (the factory closes it in 30 days)
        code="buka", starts_on=today - dt.timedelta(days=400), ends_on=today - dt.timedelta(days=300)
    )
    call_command("refresh_reports")
    capsys.readouterr()

    call_command("refresh_reports")
    while_running = capsys.readouterr().out
    batch.status = "completed"
    batch.save(update_fields=["status"])
    call_command("refresh_reports")
    after_completion = capsys.readouterr().out

    assert "telat: " in while_running
    assert "telat: " not in after_completion
    assert "buka: " in after_completion
