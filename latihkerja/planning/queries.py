"""Reads of the planning pages, scoped by viewer."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, QuerySet

from latihkerja.catalog.models import Theme
from latihkerja.centers.models import Center
from latihkerja.regions.models import Kecamatan

from .enums import PlanStatus
from .models import PlannedBatch, PlanRun


def plans_visible_to(user: Any) -> QuerySet[PlanRun]:
    return PlanRun.objects.for_user(user).select_related("period", "created_by")


def kecamatan_totals(plan: PlanRun) -> list[dict[str, Any]]:
    """Planned batches per kecamatan, all kecamatan of the plan's centres (zero included)."""
    counts = {
        row["center__kelurahan__kecamatan__code"]: row["n"]
        for row in plan.planned.values("center__kelurahan__kecamatan__code")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return [
        {"kecamatan": kecamatan, "batches": counts.get(kecamatan.code, 0)}
        for kecamatan in Kecamatan.objects.filter(kelurahan_set__centers__is_active=True)
        .distinct()
        .order_by("code")
    ]


def grid(plan: PlanRun, kecamatan: Kecamatan) -> dict[str, Any]:
    """The centre × theme grid of one kecamatan: every active centre a row, every planned theme a column."""
    centers = list(Center.objects.filter(kelurahan__kecamatan=kecamatan, is_active=True).order_by("code"))
    cells = Counter(
        PlannedBatch.objects.filter(plan=plan, center__in=centers).values_list("center_id", "theme__code")
    )
    themes = sorted({code for _center, code in cells})
    rows = [
        {
            "center": center,
            "cells": [cells.get((center.pk, code), 0) for code in themes],
            "total": sum(cells.get((center.pk, code), 0) for code in themes),
        }
        for center in centers
    ]
    names = {theme.code: theme for theme in Theme.objects.filter(code__in=themes)}
    return {"themes": themes, "theme_objects": [names[code] for code in themes], "rows": rows}


def planned_in(plan: PlanRun, kecamatan: Kecamatan) -> QuerySet[PlannedBatch]:
    return (
        PlannedBatch.objects.filter(plan=plan, center__kelurahan__kecamatan=kecamatan)
        .select_related("center", "theme")
        .order_by("center__code", "month", "theme__code", "pk")
    )


def agency_progress(plan: PlanRun) -> list[dict[str, Any]]:
    """Per agency with batches in the plan: how many planned batches, how many it approved."""
    rows = (
        plan.planned.values("theme__agency__code", "theme__agency__short_name")
        .annotate(total=Count("pk"), approved=Count("approved_by_opd_at"))
        .order_by("theme__agency__code")
    )
    return [
        {
            "agency": row["theme__agency__short_name"],
            "total": row["total"],
            "approved": row["approved"],
        }
        for row in rows
    ]


def returned_by_agency(user: Any) -> list[dict[str, Any]]:
    """Plans the supervisor's agency sent back to Bappeda and Bappeda has not sent again, with the agency's
    notes: while Bappeda edits, the OPD's page still says where the plan is."""
    # Distinct by id in a subquery: DISTINCT over the plan rows themselves compared their large solver JSON
    # columns across every joined planned class (about 1 s per plan at city scale).
    plans = (
        PlanRun.objects.filter(
            pk__in=PlannedBatch.objects.filter(
                plan__status=PlanStatus.DONE, theme__agency_id=user.agency_id
            ).values("plan_id")
        )
        .select_related("period")
        .order_by("-pk")
    )
    returned = []
    for plan in plans:
        notes = [
            event for event in returns_of(plan) if event.actor and event.actor.agency_id == user.agency_id
        ]
        if notes:
            returned.append({"run": plan, "notes": notes})
    return returned


def returns_of(plan: PlanRun) -> list[Any]:
    """The notes with which OPDs sent `plan` back to Bappeda since it was last sent, newest first (from the
    audit log): once Bappeda sends the plan again, they have been dealt with."""
    from latihkerja.audit.models import AuditEvent

    events = AuditEvent.objects.about(plan)
    if plan.status != PlanStatus.DONE:
        return []
    last_sent = events.filter(action="plan.sent").order_by("-at", "-pk").values_list("pk", flat=True).first()
    returned = events.filter(action="plan.returned").select_related("actor__agency").order_by("-at", "-pk")
    if last_sent is not None:
        returned = returned.filter(pk__gt=last_sent)
    return list(returned)
