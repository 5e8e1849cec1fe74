"""Report files built from the summary rows: Excel (one sheet per breakdown), CSV (long format) and a one-page
PDF summary for the mayor's office. Every text cell is made safe against formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from latihkerja.common.spreadsheets import safe_cell

from .enums import Dimension, ExportFormat, Measure
from .models import ReportExport
from .presenters import READING_NOTES
from .queries import BREAKDOWNS, Dashboard, load_dashboard


def measure_label(measure: str) -> str:
    return str(Measure(measure).label)


def dimension_label(dimension: str) -> str:
    return str(Dimension(dimension).label)


# Breakdowns that count a registrant at their first choice only (READING_NOTES): their column says so, since
# its total is smaller than the summary's count of registrants.
BY_FIRST_CHOICE = frozenset({Dimension.THEME, Dimension.AGENCY, Dimension.CENTER, Dimension.MODALITY})


def breakdown_rows(dashboard: Dashboard, dimension: str, measures: Sequence[str]) -> list[list[Any]]:
    measures = dashboard.shown(measures)

    def label(measure: str) -> str:
        if measure == Measure.REGISTERED and dimension in BY_FIRST_CHOICE:
            return str(_("Pendaftar (menurut pilihan pertama)"))
        return measure_label(measure)

    header = [_("Kode"), dimension_label(dimension), *[label(m) for m in measures]]
    return [header] + [
        [row["key"], row["label"], *row["values"]] for row in dashboard.rows(dimension, measures)
    ]


def csv_bytes(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([[safe_cell(cell) for cell in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")


def render_csv(dashboard: Dashboard) -> bytes:
    rows: list[list[Any]] = [[_("Dimensi"), _("Kode"), _("Label"), _("Ukuran"), _("Nilai")]]
    for measure in dashboard.shown(Measure.values):
        rows.append(
            [
                dimension_label(Dimension.TOTAL),
                "all",
                _("Total"),
                measure_label(measure),
                dashboard.total(measure),
            ]
        )
    for dimension, all_measures in BREAKDOWNS:
        measures = dashboard.shown(all_measures)
        for row in dashboard.rows(dimension, measures):
            for measure, value in zip(measures, row["values"], strict=True):
                rows.append(
                    [dimension_label(dimension), row["key"], row["label"], measure_label(measure), value]
                )
    return csv_bytes(rows)


def render_xlsx(dashboard: Dashboard) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Ringkasan")[:31]
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E79")

    def style_header(sheet: Any, columns: int) -> None:
        for column in range(1, columns + 1):
            cell = sheet.cell(row=1, column=column)
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.freeze_panes = "A2"

    summary.append([_("Ukuran"), _("Nilai")])
    for measure in dashboard.shown(Measure.values):
        summary.append([measure_label(measure), dashboard.total(measure)])
    summary.append([])
    summary.append([_("Periode"), safe_cell(dashboard.period.display_name)])
    stamp = (
        timezone.localtime(dashboard.refreshed_at).strftime("%d/%m/%Y %H:%M")
        if dashboard.refreshed_at
        else "-"
    )
    summary.append([_("Data per"), stamp])
    summary.append([])
    summary.append([_("Cara membaca angka ini")])
    for note in READING_NOTES:
        summary.append([str(note)])
    style_header(summary, 2)
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 24

    for dimension, measures in BREAKDOWNS:
        sheet = workbook.create_sheet(dimension_label(dimension)[:31])
        rows = breakdown_rows(dashboard, dimension, measures)
        for row in rows:
            sheet.append([safe_cell(cell) for cell in row])
        style_header(sheet, len(rows[0]))
        sheet.column_dimensions["A"].width = 16
        sheet.column_dimensions["B"].width = 36
        for column in range(3, len(rows[0]) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 16
            for cells in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                for cell in cells:
                    cell.number_format = "#,##0"
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_pdf(dashboard: Dashboard, title: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from .presenters import headline

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title)
    story: list[Any] = [Paragraph(title, styles["Title"])]
    stamp = (
        timezone.localtime(dashboard.refreshed_at).strftime("%d/%m/%Y %H:%M")
        if dashboard.refreshed_at
        else "-"
    )
    story.append(Paragraph(f"{dashboard.period.display_name} — {_('data per')} {stamp}", styles["Normal"]))
    story.append(Spacer(1, 12))
    rows = [[_("Janji / ukuran"), _("Capaian"), _("Target")]]
    cell = styles["BodyText"]
    for item in headline(dashboard):  # text cells as paragraphs: a long target wraps inside its column
        rows.append(
            [
                Paragraph(str(item["label"]), cell),
                number_format(item["value"], force_grouping=True),
                Paragraph(str(item["target"]), cell),
            ]
        )
    table = Table(rows, colWidths=[230, 80, 160])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1F4E79")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("ALIGN", (1, 1), (1, -1), "RIGHT"),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 12))
    story.append(Paragraph(_("Per kecamatan"), styles["Heading2"]))
    kecamatan = breakdown_rows(
        dashboard,
        Dimension.KECAMATAN,
        [Measure.REGISTERED, Measure.ALLOCATED, Measure.COMPLETED, Measure.BATCHES],
    )
    table = Table([[str(c) for c in row[1:]] for row in kecamatan], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE6F0")),
            ]
        )
    )
    story.append(table)
    document.build(story)
    return buffer.getvalue()


def render_export(export: ReportExport) -> tuple[bytes, str]:
    from .queries import scope_label

    dashboard = load_dashboard(export.period, export.scope, export.scope_id)
    base = f"laporan-{export.period.code}-{export.scope}"
    if export.scope_id:
        base += f"-{export.scope_id}"
    if export.format == ExportFormat.XLSX:
        return render_xlsx(dashboard), f"{base}.xlsx"
    if export.format == ExportFormat.CSV:
        return render_csv(dashboard), f"{base}.csv"
    label = scope_label(export.scope, export.scope_id)
    title = _("Ringkasan program pelatihan") + (f" — {label}" if label else "")
    return render_pdf(dashboard, title), f"{base}.pdf"
