"""The reference: each dashboard figure counted straight from the raw tables, one question at a time, written
independently of `reports.compute` (no GROUP BY roll-ups: one filtered count per figure)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from latihkerja.batches.models import Batch, Enrollment
from latihkerja.demand.models import SkillDemand
from latihkerja.registration.models import Application, ApplicationChoice
from latihkerja.reports.compute import age_band_of
from latihkerja.reports.models import FigureRefresh
from latihkerja.training.models import Attendance, Outcome, TrainingSession

PERSON_DIMS = {
    "kecamatan": "kelurahan__kecamatan__code",
    "kelurahan": "kelurahan__code",
    "sex": "sex",
    "employment": "employment_status",
}
BATCH_DIMS = {
    "theme": "theme__code",
    "agency": "theme__agency__code",
    "center": "center__code",
    "modality": "modality",
}
SCOPE_FIELD = {"agency": "theme__agency_id", "center": "center_id"}


def _month(value: Any) -> str:
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return f"{value:%Y-%m}"


def _count_people(
    qs: Any, resident: str, when: str, period: Any, dimension: str, key: str, distinct: str
) -> int:
    if dimension == "total":
        return qs.values(distinct).distinct().count()
    if dimension in PERSON_DIMS:
        return qs.filter(**{f"{resident}{PERSON_DIMS[dimension]}": key}).values(distinct).distinct().count()
    if dimension == "age_band":
        rows = set(qs.values_list(distinct, f"{resident}birth_date"))
        return sum(1 for _, born in rows if age_band_of(born, period.starts_on) == key)
    if dimension == "month":
        rows = set(qs.values_list(distinct, when))
        return sum(1 for _, at in rows if _month(at) == key)
    raise AssertionError(dimension)


def direct_count(period: Any, scope: str, scope_id: int, dimension: str, key: str, measure: str) -> int:
    scope_q = Q() if scope == "city" else Q(**{SCOPE_FIELD[scope]: scope_id})

    def batch_q(prefix: str) -> Q:
        q = Q(**{f"{prefix}{k}": v for k, v in scope_q.children}) if scope != "city" else Q()
        if dimension in BATCH_DIMS:
            q &= Q(**{f"{prefix}{BATCH_DIMS[dimension]}": key})
        return q

    if measure == "registered":
        if dimension in BATCH_DIMS:
            return (
                ApplicationChoice.objects.filter(
                    batch_q("batch__"), rank=1, application__period=period, application__status="submitted"
                )
                .values("application_id")
                .distinct()
                .count()
            )
        scoped = ApplicationChoice.objects.filter(
            batch_q("batch__"), application__period=period, application__status="submitted"
        )
        applications = Application.objects.filter(pk__in=scoped.values("application_id"))
        return _count_people(applications, "resident__", "created_at", period, dimension, key, "pk")
    if measure in ("allocated", "withdrawn", "attending"):
        enrollments = Enrollment.objects.filter(batch_q("batch__"), period=period)
        if measure == "allocated":
            enrollments = enrollments.filter(status__in=["offered", "active"])
        elif measure == "withdrawn":
            enrollments = enrollments.filter(status="withdrawn")
        else:
            attended = Attendance.objects.filter(status__in=["present", "late"]).values("enrollment_id")
            enrollments = enrollments.filter(status="active", pk__in=attended)
        if dimension in BATCH_DIMS:
            return enrollments.count()
        return _count_people(enrollments, "resident__", "created_at", period, dimension, key, "pk")
    if measure in ("completed", "not_completed", "dropped_out"):
        outcomes = Outcome.objects.filter(batch_q("batch__"), batch__period=period, status=measure)
        if dimension in BATCH_DIMS:
            return outcomes.count()
        return _count_people(outcomes, "enrollment__resident__", "decided_at", period, dimension, key, "pk")
    if measure in ("batches", "batches_at_minimum", "luring_sessions", "signed_sessions"):
        batches = Batch.objects.filter(batch_q(""), period=period).exclude(status="cancelled")
        if dimension == "kelurahan":
            batches = batches.filter(center__kelurahan__code=key)
        elif dimension == "kecamatan":
            batches = batches.filter(center__kelurahan__kecamatan__code=key)
        if measure in ("batches", "batches_at_minimum"):
            if measure == "batches_at_minimum":
                batches = [b for b in batches if b.seats_taken >= b.minimum]
            if dimension == "month":
                return sum(1 for b in batches if _month(b.starts_on) == key)
            return len(list(batches))
        # Due at the refresh: luring, not cancelled, and started, held or past its start time then.
        as_of = timezone.localtime(FigureRefresh.objects.get(period=period).refreshed_at)
        sessions = (
            TrainingSession.objects.filter(batch__in=[b.pk for b in batches], modality="luring")
            .exclude(status="cancelled")
            .filter(
                Q(status__in=["started", "held"])
                | Q(date__lt=as_of.date())
                | Q(date=as_of.date(), starts_at__lte=as_of.time())
            )
        )
        if measure == "signed_sessions":
            sessions = sessions.filter(checklist__isnull=False)
        if dimension == "month":
            return sum(1 for s in sessions.select_related("batch") if _month(s.batch.starts_on) == key)
        return sessions.count()
    if measure == "demand":
        demands = SkillDemand.objects.filter(company__verified_at__isnull=False)
        if scope == "agency":
            demands = demands.filter(theme__agency_id=scope_id)
        elif scope == "center":
            return 0
        if dimension == "theme":
            demands = demands.filter(theme__code=key)
        elif dimension != "total":
            raise AssertionError(dimension)
        return demands.aggregate(n=Sum("headcount"))["n"] or 0
    raise AssertionError(measure)
