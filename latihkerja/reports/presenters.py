"""What the dashboard page, the PDF and the open-data page show, derived from one scope's summary rows:
the promises against their targets, the charts (each with its table) and the rates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .enums import Dimension, Measure, Scope
from .queries import Dashboard


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def participant_target(dashboard: Dashboard) -> tuple[int, str]:
    """The lower end of the participants a scope is expected to train, and the target as shown: the period's
    promise for the city; for one centre its trainings, for one OPD its batches, times a batch's 20–25 seats."""
    period = dashboard.period
    if dashboard.scope == Scope.CITY:
        low, high = period.participant_target_min, period.participant_target_max
        return low, _("target %(range)s") % {"range": number_range(low, high)}
    trainings = (
        period.trainings_per_center if dashboard.scope == Scope.CENTER else dashboard.total(Measure.BATCHES)
    )
    low, high = trainings * period.minimum_per_batch, trainings * period.maximum_per_batch
    return (
        low,
        _("target %(range)s (%(n)s kelas × %(seats)s)")
        % {
            "range": number_range(low, high),
            "n": trainings,
            "seats": number_range(period.minimum_per_batch, period.maximum_per_batch),
        },
    )


def number_range(low: int, high: int) -> str:
    """A range of counts grouped the reader's way: 10.000–12.000 in Indonesian, 10,000–12,000 in English."""
    return f"{number_format(low, force_grouping=True)}–{number_format(high, force_grouping=True)}"


# How the figures are counted, said beside them (dashboard) and in the workbook's summary sheet: the headline and
# the breakdowns count registrants on different bases, so their totals differ by design.
READING_NOTES = (
    gettext_lazy(
        "Pendaftar: setiap orang dihitung sekali. Di dasbor OPD atau BLK: setiap orang yang memilih salah satu "
        "kelasnya, pada pilihan ke berapa pun."
    ),
    gettext_lazy(
        "Per tema, OPD, BLK dan modalitas: pendaftar menurut pilihan pertamanya saja, jadi jumlahnya bisa lebih "
        "kecil daripada angka Pendaftar."
    ),
    gettext_lazy(
        "Per kecamatan dan kelurahan (peta dan tabel wilayah): menurut tempat tinggal warga, bukan lokasi BLK. "
        "Per BLK: menurut lokasi kelasnya."
    ),
    gettext_lazy(
        "Mendapat kursi dan kelas dengan peserta ≥ minimum: kursi yang ditawarkan dan belum dijawab ikut dihitung "
        "sampai ditolak atau kedaluwarsa; yang sudah menerima tampil di Hadir pelatihan setelah hadir."
    ),
)


def headline(dashboard: Dashboard) -> list[dict[str, Any]]:
    period = dashboard.period
    target_min, target = participant_target(dashboard)
    batches = dashboard.total(Measure.BATCHES)
    at_minimum = dashboard.total(Measure.BATCHES_AT_MINIMUM)
    luring = dashboard.total(Measure.LURING_SESSIONS)
    signed = dashboard.total(Measure.SIGNED_SESSIONS)
    completed = dashboard.total(Measure.COMPLETED)
    items: list[dict[str, Any]] = [
        {"label": _("Pendaftar"), "value": dashboard.total(Measure.REGISTERED), "target": target},
        {"label": _("Mendapat kursi"), "value": dashboard.total(Measure.ALLOCATED), "target": target},
        {"label": _("Hadir pelatihan"), "value": dashboard.total(Measure.ATTENDING), "target": target},
        {"label": _("Lulus"), "value": completed, "target": target},
        {
            "label": _("Kelas berjalan/terencana"),
            "value": batches,
            "target": _("target %(n)s per BLK") % {"n": period.trainings_per_center},
        },
        {
            "label": _("Kelas dengan peserta ≥ minimum"),
            "value": at_minimum,
            "target": _("minimum %(n)s peserta per kelas") % {"n": period.minimum_per_batch},
        },
        {
            "label": _("Sesi luring dengan ceklis protokol"),
            "value": signed,
            "target": ngettext("dari %(n)s sesi luring", "dari %(n)s sesi luring", luring) % {"n": luring},
        },
    ]
    for item in items[:4]:
        item["percent"] = percent(item["value"], target_min)
    items[5]["percent"] = percent(at_minimum, batches)
    items[6]["percent"] = percent(signed, luring)
    return items


def rates(dashboard: Dashboard) -> dict[str, float | None]:
    completed = dashboard.total(Measure.COMPLETED)
    decided = completed + dashboard.total(Measure.NOT_COMPLETED) + dashboard.total(Measure.DROPPED_OUT)
    registered = dashboard.total(Measure.REGISTERED)
    laid_off = dashboard.value(Dimension.EMPLOYMENT, "phk", Measure.REGISTERED)
    furloughed = dashboard.value(Dimension.EMPLOYMENT, "dirumahkan", Measure.REGISTERED)
    return {
        "completion": percent(completed, decided),
        "dropout": percent(dashboard.total(Measure.DROPPED_OUT), decided),
        "withdrawal": percent(
            dashboard.total(Measure.WITHDRAWN),
            dashboard.total(Measure.ALLOCATED) + dashboard.total(Measure.WITHDRAWN),
        ),
        "laid_off": percent(laid_off, registered),
        "furloughed": percent(furloughed, registered),
        "health": percent(dashboard.total(Measure.SIGNED_SESSIONS), dashboard.total(Measure.LURING_SESSIONS)),
        "demand_coverage": percent(completed, dashboard.total(Measure.DEMAND))
        if dashboard.counts_demand
        else None,
    }


def centres(dashboard: Dashboard) -> list[dict[str, Any]]:
    """Trainings per centre against the period's target, lagging centres first."""
    target = dashboard.period.trainings_per_center
    rows = [
        {
            "key": row["key"],
            "label": row["label"],
            "batches": row["values"][0],
            "at_minimum": row["values"][1],
            "luring": row["values"][2],
            "signed": row["values"][3],
            "lagging": dashboard.has_centre_target and row["values"][0] < target,
        }
        for row in dashboard.rows(
            Dimension.CENTER,
            [Measure.BATCHES, Measure.BATCHES_AT_MINIMUM, Measure.LURING_SESSIONS, Measure.SIGNED_SESSIONS],
        )
    ]
    return sorted(rows, key=lambda row: (row["batches"], row["label"]))


def coverage(dashboard: Dashboard) -> list[dict[str, Any]]:
    rows = []
    for row in dashboard.rows(Dimension.THEME, [Measure.DEMAND, Measure.COMPLETED, Measure.ALLOCATED]):
        demand, completed, allocated = row["values"]
        if demand or completed or allocated:
            rows.append(
                {
                    "label": row["label"],
                    "demand": demand,
                    "completed": completed,
                    "allocated": allocated,
                    "coverage": percent(completed, demand),
                }
            )
    return sorted(rows, key=lambda row: (-row["demand"], row["label"]))


def chart(
    dashboard: Dashboard,
    chart_id: str,
    title: str,
    dimension: str,
    measures: Sequence[str],
    kind: str = "bar",
) -> dict[str, Any]:
    rows = dashboard.rows(dimension, measures)
    if dimension == Dimension.MONTH:
        # Months still to come (classes planned to start then) have no registrations or graduates yet: drawn
        # as zeros they read as a collapse, so the trend stops at the current month.
        this_month = f"{timezone.localdate():%Y-%m}"
        rows = [row for row in rows if row["key"] <= this_month]
    from .exports import measure_label

    return {
        "id": chart_id,
        "title": title,
        "type": kind,
        "dimension": dimension,
        "labels": [row["label"] for row in rows],
        "datasets": [
            {
                "label": measure_label(measure),
                "measure": str(measure),
                "data": [row["values"][i] for row in rows],
            }
            for i, measure in enumerate(measures)
        ],
        "headers": [str(Dimension(dimension).label), *[measure_label(m) for m in measures]],
        "rows": [[row["label"], *row["values"]] for row in rows],
        # Many labels are drawn as horizontal bars, one line each.
        "height": max(260, 22 * len(rows) * (1 if kind == "bar" else 0) + 90),
        # Months are placed by their distance in time (months since year 0), so that quiet months between
        # two busy ones show as a gap, not as neighbours.
        "x": [month_number(row["key"]) for row in rows] if dimension == Dimension.MONTH else None,
    }


def month_number(key: str) -> int:
    year, month = key.split("-")
    return int(year) * 12 + int(month) - 1


def charts(dashboard: Dashboard) -> list[dict[str, Any]]:
    flow = [Measure.REGISTERED, Measure.ALLOCATED, Measure.COMPLETED]
    specs = [
        chart(
            dashboard,
            "trend",
            _("Tren per bulan"),
            Dimension.MONTH,
            [Measure.REGISTERED, Measure.ALLOCATED, Measure.COMPLETED],
            "line",
        ),
        chart(dashboard, "kecamatan", _("Per kecamatan tempat tinggal"), Dimension.KECAMATAN, flow),
        chart(
            dashboard,
            "theme",
            _("Lulusan dan kebutuhan perusahaan per tema")
            if dashboard.counts_demand
            else _("Lulusan per tema"),
            Dimension.THEME,
            dashboard.shown([Measure.DEMAND, Measure.COMPLETED, Measure.ALLOCATED]),
        ),
        chart(dashboard, "employment", _("Status pekerjaan pendaftar"), Dimension.EMPLOYMENT, flow),
        chart(dashboard, "sex", _("Jenis kelamin"), Dimension.SEX, flow),
        chart(dashboard, "age_band", _("Kelompok usia"), Dimension.AGE_BAND, flow),
        chart(dashboard, "modality", _("Modalitas (menurut pilihan pertama)"), Dimension.MODALITY, flow),
    ]
    if dashboard.scope == Scope.CITY:
        # People only: a bar of 410 classes beside bars of 40 people would flatten them (classes per OPD are in
        # the exports).
        specs.insert(
            3, chart(dashboard, "agency", _("Per OPD (menurut pilihan pertama)"), Dimension.AGENCY, flow)
        )
    return specs
