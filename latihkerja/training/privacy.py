"""Attendance, test results and outcomes of a resident's trainings (what the checklist and QR kept about them)."""

from typing import Any

from django.db.models import F

from latihkerja.residents.models import Resident
from latihkerja.residents.privacy import personal_data

from .models import Assessment, Attendance, Outcome


@personal_data("attendance")
def attendance(resident: Resident) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in Attendance.objects.filter(enrollment__resident=resident)
        .order_by("session__date", "session__starts_at")
        .values(
            "status",
            "method",
            "checked_in_at",
            "hours_credited",
            "note",
            class_code=F("session__batch__code"),
            session_number=F("session__number"),
            session_date=F("session__date"),
            session_modality=F("session__modality"),
        )
    ]


@personal_data("assessments")
def assessments(resident: Resident) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in Assessment.objects.filter(enrollment__resident=resident)
        .order_by("assessed_at")
        .values("passed", "score", "notes", "assessed_at", class_code=F("enrollment__batch__code"))
    ]


@personal_data("outcomes")
def outcomes(resident: Resident) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in Outcome.objects.filter(enrollment__resident=resident)
        .order_by("decided_at")
        .values(
            "status",
            "hours_attended",
            "hours_total",
            "assessment_passed",
            "decided_at",
            class_code=F("batch__code"),
        )
    ]
