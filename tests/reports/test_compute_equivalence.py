"""The one-pass computation (every scope from one read of each fact table, rolled up in numpy) yields exactly
the figures — values and labels — of the former per-scope GROUP BY queries (`legacy_compute`)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from latihkerja.reports.compute import compute_figures
from latihkerja.reports.enums import Scope
from latihkerja.reports.models import Figure
from latihkerja.reports.services import refresh_figures

from . import legacy_compute
from .test_figures import demo_period  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.integration


def test_every_scope_equals_the_per_scope_queries_when_the_demo_data_is_loaded(demo_period):  # noqa: F811
    now = timezone.now()
    new = compute_figures(demo_period, now=now)
    old = legacy_compute.compute_figures(demo_period, now=now)

    assert len(new.values) > 1000
    assert dict(new.values) == dict(old.values)
    assert new.labels == old.labels


def test_city_only_equals_the_per_scope_queries_when_only_the_city_is_asked(demo_period):  # noqa: F811
    now = timezone.now()
    new = compute_figures(demo_period, scopes=(Scope.CITY,), now=now)
    old = legacy_compute.compute_figures(demo_period, scopes=(Scope.CITY,), now=now)

    assert dict(new.values) == dict(old.values)


def test_the_stored_rows_are_the_computed_figures_when_refreshed(demo_period):  # noqa: F811
    refresh = refresh_figures(period=demo_period)

    stored = {
        (f.scope, f.scope_id, f.dimension, f.key, f.measure): f.value
        for f in Figure.objects.filter(period=demo_period)
    }
    assert stored == dict(legacy_compute.compute_figures(demo_period, now=refresh.refreshed_at).values)


def test_an_empty_period_gives_only_the_zero_rows_when_nothing_happened(period):
    new = compute_figures(period)
    old = legacy_compute.compute_figures(period)

    assert dict(new.values) == dict(old.values)


def test_every_sex_and_employment_status_is_coded_when_residents_hold_each(period, open_batches):
    from latihkerja.residents.enums import EmploymentStatus, Sex
    from tests.factories.reports import ResidentFactory, make_application, make_enrollment

    for i, status in enumerate(EmploymentStatus.values):
        resident = ResidentFactory(employment_status=status, sex=Sex.values[i % len(Sex.values)])
        make_application(resident, period, open_batches[i % 4 : i % 4 + 1])
        make_enrollment(resident, open_batches[i % 4])

    new = compute_figures(period)

    assert dict(new.values) == dict(legacy_compute.compute_figures(period).values)
    for status in EmploymentStatus.values:
        assert new.values[("city", 0, "employment", status, "registered")] == 1
        assert new.values[("city", 0, "employment", status, "allocated")] == 1
