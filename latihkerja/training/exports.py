"""Downloads of the delivery evidence (CSV, XLSX) and the contact-tracing list (CSV).

Spreadsheet programs run a cell that starts with = + - @ (or a tab/CR) as a formula; a name typed by a
resident must never do that, so such values are prefixed with a single quote (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from latihkerja.common.spreadsheets import safe_cell
from latihkerja.engine.phone import national_phone

from .enums import AttendanceMethod, AttendanceStatus, SessionModality, SessionStatus
from .models import Attendance, TrainingSession
from .queries import Evidence

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _session_rows(report: Evidence) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Pertemuan"),
        _("Tanggal"),
        _("Mulai"),
        pgettext("end time", "Selesai"),
        _("JP"),
        _("Modalitas"),
        _("Ruang"),
        _("Batas hadir"),
        _("Status"),
        _("Hadir"),
        _("Ceklis ditandatangani oleh"),
        _("Ceklis ditandatangani pada"),
        _("Daftar hadir kertas"),
    ]
    rows = []
    for s in report.sessions:
        checklist = getattr(s, "checklist", None)
        rows.append(
            [
                s.number,
                s.date.isoformat(),
                s.starts_at.strftime("%H:%M"),
                s.ends_at.strftime("%H:%M"),
                float(s.hours),
                SessionModality(s.modality).label,
                s.room.name if s.room else "",
                s.admitted_cap if s.admitted_cap is not None else "",
                SessionStatus(s.status).label,
                s.attending,  # type: ignore[attr-defined]
                checklist.signed_by.get_full_name() or checklist.signed_by.username if checklist else "",
                _local(checklist.signed_at) if checklist else "",
                s.sheet_count,  # type: ignore[attr-defined]
            ]
        )
    return header, rows


def _corrections(attendance: Attendance) -> str:
    """A corrected record says so, with each change and its reason (the first status shown is the original)."""
    changes = sorted(attendance.corrections.all(), key=lambda c: c.pk)
    return "; ".join(
        f"{AttendanceStatus(c.from_status).label} → {AttendanceStatus(c.to_status).label}: {c.reason}"
        for c in changes
    )


def _attendance_rows(attendances: list[Attendance]) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Pertemuan"),
        _("Tanggal"),
        _("Peserta"),
        _("Status"),
        _("Cara pencatatan"),
        _("Waktu hadir"),
        _("JP diakui"),
        _("Dicatat oleh"),
        _("Koreksi"),
    ]
    rows = [
        [
            a.session.number,
            a.session.date.isoformat(),
            a.enrollment.resident.full_name,
            AttendanceStatus(a.status).label,
            AttendanceMethod(a.method).label,
            _local(a.checked_in_at),
            float(a.hours_credited),
            a.recorded_by.username if a.recorded_by else "",
            _corrections(a),
        ]
        for a in attendances
    ]
    return header, rows


def _participant_rows(report: Evidence) -> tuple[list[str], list[list[Any]]]:
    header = [_("Peserta"), _("JP dihadiri"), _("JP terlaksana"), _("Persen"), _("Hasil")]
    rows = []
    for p in report.participants:
        percent = round(float(p.hours / report.held_hours * 100), 1) if report.held_hours else 0.0
        rows.append(
            [p.enrollment.resident.full_name, float(p.hours), float(report.held_hours), percent, p.outcome]
        )
    return header, rows


def _visit_rows(report: Evidence) -> tuple[list[str], list[list[Any]]]:
    header = [_("Tanggal kunjungan"), _("Pengawas"), pgettext("visit rating", "Nilai"), _("Catatan")]
    rows = [[v.visited_on.isoformat(), v.supervisor.username, v.rating, v.notes] for v in report.visits]
    return header, rows


def _filename(report: Evidence, ext: str) -> str:
    return f"bukti-pelaksanaan-{report.batch.code}.{ext}"


def evidence_csv(report: Evidence) -> HttpResponse:
    """One CSV: the attendance rows (the evidence that people were there), per session and participant."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    writer = csv.writer(response)
    header, rows = _attendance_rows(report.attendances)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return response


def evidence_xlsx(report: Evidence) -> HttpResponse:
    """A workbook with four sheets: sessions, attendance, participants, supervision visits."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, (header, rows) in (
        (_("Sesi"), _session_rows(report)),
        (_("Kehadiran"), _attendance_rows(report.attendances)),
        (_("Peserta"), _participant_rows(report)),
        (_("Kunjungan"), _visit_rows(report)),
    ):
        sheet = book.create_sheet(title=title[:31])
        sheet.append(header)
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
    return response


def contacts_csv(session: TrainingSession, attendances: list[Attendance]) -> HttpResponse:
    """Attendees of one luring session for contact tracing: name, phone, kelurahan, check-in time."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"kontak-{session.batch.code}-{session.number}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Nama"), _("Nomor HP"), _("Kelurahan"), _("Waktu hadir")])
    for a in attendances:
        resident = a.enrollment.resident
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    resident.full_name,
                    national_phone(resident.phone),
                    resident.kelurahan.name,
                    _local(a.checked_in_at),
                )
            ]
        )
    return response
