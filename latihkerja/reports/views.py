"""The dashboard (Bappeda: the city; OPD: its themes; operator: its centre), its downloads, report exports and
the public open-data page. Every page reads summary rows only (`queries.load_dashboard`)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from latihkerja.accounts.decorators import role_required
from latihkerja.agencies.models import Agency
from latihkerja.centers.models import Center
from latihkerja.programs.models import Period

from . import maps, opendata, presenters
from .enums import Dimension, ExportFormat, ExportStatus, Measure, Scope
from .errors import ReportsError
from .exports import breakdown_rows, csv_bytes, dimension_label
from .models import FigureRefresh, ReportExport
from .queries import BREAKDOWNS, Dashboard, dashboard_scope_of, load_dashboard, period_from, scope_label
from .rules import can_choose_scope, can_refresh_figures, can_view_dashboard
from .services import request_export
from .tasks import refresh_period_figures

dashboard_required = role_required(can_view_dashboard.test)
MAP_LEVELS = (Dimension.KECAMATAN, Dimension.KELURAHAN)
MAP_MEASURES = (Measure.REGISTERED, Measure.ALLOCATED, Measure.COMPLETED, Measure.BATCHES)


def _scope(request: HttpRequest) -> tuple[str, int]:
    """The viewer's own scope; Bappeda may look at one OPD (`?opd=CODE`) or one centre (`?blk=CODE`)."""
    scope = dashboard_scope_of(request.user)
    if scope is None:
        raise Http404
    if can_choose_scope.test(request.user):
        if code := request.GET.get("opd"):
            return Scope.AGENCY, get_object_or_404(Agency, code=code).pk
        if code := request.GET.get("blk"):
            return Scope.CENTER, get_object_or_404(Center, code=code).pk
    return scope


def _dashboard(request: HttpRequest) -> Dashboard:
    scope, scope_id = _scope(request)
    return load_dashboard(period_from(request.GET.get("periode")), scope, scope_id)


def _choice(request: HttpRequest, name: str, allowed: tuple[str, ...]) -> str:
    value = request.GET.get(name, allowed[0])
    return value if value in allowed else allowed[0]


# Rendered dashboards are cached per refresh: the key holds the refresh time, so a new refresh is a new key.
CACHE_SECONDS = 3600


@dashboard_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope, scope_id = _scope(request)
    period = period_from(request.GET.get("periode"))
    level = _choice(request, "peta", MAP_LEVELS)
    map_measure = _choice(request, "ukuran", MAP_MEASURES)
    refreshed = FigureRefresh.objects.filter(period=period).values_list("refreshed_at", flat=True).first()
    stamp = refreshed.timestamp() if refreshed else 0
    # The query string is part of the key: the page's links carry it (a Bappeda's `?opd=` view links to the
    # OPD's CSV files, an OPD supervisor's own view does not).
    digest = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:16]
    key = f"reports:dashboard:{period.pk}:{scope}:{scope_id}:{stamp}:{level}:{map_measure}:{get_language()}:{digest}"
    context: dict[str, Any] = {
        "period": period,
        "refreshed_at": refreshed,
        "query": request.GET.urlencode(),
        "formats": ExportFormat.choices,
        "may_refresh": can_refresh_figures.test(request.user),
        "may_choose": can_choose_scope.test(request.user),
        "chosen": {"opd": request.GET.get("opd", ""), "blk": request.GET.get("blk", "")},
        **_scope_choices(),
    }
    cached = cache.get(key)
    if cached is None:
        body_context = _dashboard_context(
            request, load_dashboard(period, scope, scope_id), level, map_measure
        )
        cached = (body_context["scope_label"], render_to_string("reports/_dashboard_body.html", body_context))
        cache.set(key, cached, CACHE_SECONDS)
        context.update(body_context)
    context["scope_label"], context["body"] = cached
    return render(request, "reports/dashboard.html", context)


def _scope_choices() -> dict[str, list[tuple[str, str]]]:
    """What the dashboard can show: any announced period; for Bappeda also one OPD or one centre. Cached for a
    few minutes, per language (a period's name is bilingual): a cache hit of the dashboard stays a handful of
    queries."""
    key = f"reports:scope-choices:{get_language()}"
    choices = cache.get(key)
    if choices is None:
        choices = {
            "periods": [
                (p.code, p.display_name)
                for p in Period.objects.exclude(is_published=False).order_by("-starts_on")
            ],
            "agencies": list(
                Agency.objects.filter(themes__isnull=False)
                .distinct()
                .order_by("name")
                .values_list("code", "name")
            ),
            "centers": list(Center.objects.order_by("name").values_list("code", "name")),
        }
        cache.set(key, choices, 300)
    return choices


def _dashboard_context(request: HttpRequest, data: Dashboard, level: str, map_measure: str) -> dict[str, Any]:
    map_values = {key: data.value(level, key, map_measure) for key in data.keys.get(level, [])}
    charts = presenters.charts(data)
    query = request.GET.copy()
    for name in ("peta", "ukuran"):
        query.pop(name, None)
    return {
        "data": data,
        "scope_label": scope_label(data.scope, data.scope_id),
        "is_city": data.scope == Scope.CITY,
        "headline": presenters.headline(data),
        "reading_notes": presenters.READING_NOTES,
        "rates": presenters.rates(data),
        "centres": presenters.centres(data),
        "coverage": presenters.coverage(data),
        "charts": charts,
        "chart_data": [{k: c[k] for k in ("id", "type", "labels", "datasets", "x")} for c in charts],
        "map_svg": maps.choropleth(level, map_values, str(dimension_label(level))),
        "map_legend": maps.legend(map_values),
        "map_rows": sorted(
            ({"label": data.labels.get((level, k), k), "value": v} for k, v in map_values.items()),
            key=lambda row: (-row["value"], row["label"]),
        ),
        "map_level": level,
        "map_measure": map_measure,
        "map_levels": [(d, dimension_label(d)) for d in MAP_LEVELS],
        "map_measures": [(m, Measure(m).label) for m in MAP_MEASURES],
        "base_query": query.urlencode(),
        "query": request.GET.urlencode(),
    }


def _csv_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@dashboard_required
def breakdown_csv(request: HttpRequest, dimension: str) -> HttpResponse:
    """One chart's table as CSV, in the viewer's scope."""
    measures = dict(BREAKDOWNS).get(dimension)
    if measures is None:
        raise Http404
    data = _dashboard(request)
    return _csv_response(
        csv_bytes(breakdown_rows(data, dimension, measures)), f"dasbor-{data.period.code}-{dimension}.csv"
    )


@role_required(can_refresh_figures.test)
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    period = period_from(request.POST.get("periode"))
    refresh_period_figures.enqueue(period.pk)
    messages.success(request, _("Pembaruan angka dasbor dijadwalkan."))
    return redirect(reverse("reports:dashboard") + f"?periode={period.code}")


@dashboard_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    scope, scope_id = _scope(request)
    period = period_from(request.GET.get("periode"))
    try:
        export = request_export(
            period=period,
            scope=scope,
            scope_id=scope_id,
            format=request.POST.get("format", ""),
            actor=request.user,
        )
    except ReportsError as error:
        messages.error(request, error.message)
        return redirect(reverse("reports:dashboard") + (f"?{request.GET.urlencode()}" if request.GET else ""))
    return redirect("reports:export", pk=export.pk)


def _export(request: HttpRequest, pk: int) -> ReportExport:
    return get_object_or_404(ReportExport.objects.for_user(request.user).defer("content"), pk=pk)


@login_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    export = _export(request, pk)
    return render(
        request,
        "reports/export.html",
        {
            "export": export,
            "is_done": export.status == ExportStatus.DONE,
            "is_pending": export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING),
        },
    )


CONTENT_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.PDF: "application/pdf",
}


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(ReportExport.objects.for_user(request.user), pk=pk)
    if export.status != ExportStatus.DONE:
        messages.error(request, ReportsError.NOT_READY)
        return redirect("reports:export", pk=export.pk)
    response = HttpResponse(bytes(export.content), content_type=CONTENT_TYPES[ExportFormat(export.format)])
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _open_dashboard(request: HttpRequest) -> Dashboard:
    return load_dashboard(period_from(request.GET.get("periode"), public=True), Scope.CITY, 0)


def open_data(request: HttpRequest) -> HttpResponse:
    """Public: aggregates only, person counts under 5 suppressed."""
    data = _open_dashboard(request)
    return render(
        request,
        "reports/open_data.html",
        {"data": data, "tables": opendata.open_tables(data), "counts": opendata.open_batch_counts(data)},
    )


def open_data_csv(request: HttpRequest) -> HttpResponse:
    data = _open_dashboard(request)
    rows: list[list[Any]] = [[_("Dimensi"), _("Kode"), _("Label"), _("Ukuran"), _("Nilai")]]
    for table in opendata.open_tables(data):
        rows.append(
            [table["dimension_label"], "all", _("Total"), table["measure_label"], _none(table["total"])]
        )
        for cell in table["cells"]:
            rows.append(
                [
                    table["dimension_label"],
                    cell["key"],
                    cell["label"],
                    table["measure_label"],
                    _none(cell["value"]),
                ]
            )
    return _csv_response(csv_bytes(rows), f"data-terbuka-{data.period.code}.csv")


def _none(value: int | None) -> str | int:
    return "*" if value is None else value
