"""The former computation (one GROUP BY query per scope and grouping), kept as the reference that the one-pass
roll-up of `latihkerja.reports.compute` must match exactly (`test_compute_equivalence.py`).

`compute_figures(period)` returns every cell of every scope as a dict; `services.refresh_figures` stores it in
`Figure`. The queries group person facts (applications, seats, attendance, outcomes) by the finest tuple the
dashboard needs — (scope, kelurahan, sex, age band, employment status), (scope, batch) and (scope, month) — and
roll the tuples up in Python, so one pass yields every dimension: a resident falls in exactly one tuple, hence
the sums are exact. About 40 queries per period, whatever the size of the tables.

Definitions (docs/reports.md):
- registered: submitted applications with at least one choice; by theme/OPD/modality/centre: by FIRST choice;
  in an OPD's or centre's scope: applications with any choice in its batches.
- allocated: seats held (enrollment offered or active); withdrawn: enrollment withdrawn.
- attending: active participants with at least one session attended (present or late).
- completed / not_completed / dropped_out: the batch outcome.
- batches: batches of the period not cancelled; batches_at_minimum: those with seats taken >= minimum.
- luring_sessions: luring sessions due (started, held or past their start time, not cancelled); signed_sessions: those with a health-protocol sign-off.
- demand: declared headcount of verified companies per theme (not tied to a period).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import SEAT_HOLDING_STATUSES, Batch, Enrollment, EnrollmentStatus
from latihkerja.centers.models import Center
from latihkerja.demand.models import SkillDemand
from latihkerja.programs.models import Period
from latihkerja.registration.enums import ApplicationStatus
from latihkerja.registration.models import ApplicationChoice

# The shared vocabulary (cells, age bands, labels, the accumulator) is the production module's: this oracle
# re-implements only the computation (the former per-scope GROUP BY queries).
from latihkerja.reports.compute import (
    ALL_SCOPES,
    Accumulator,
    Labels,
    age_band_expression,
)
from latihkerja.reports.enums import Dimension, Measure, Scope
from latihkerja.training.enums import ATTENDING_STATUSES, OutcomeStatus
from latihkerja.training.models import Attendance, Outcome
from latihkerja.training.queries import due_luring_sessions

SCOPE_PATHS: dict[str, str] = {Scope.AGENCY: "theme__agency_id", Scope.CENTER: "center_id"}


class FigureComputer:
    def __init__(
        self, period: Period, scopes: tuple[str, ...] = ALL_SCOPES, now: dt.datetime | None = None
    ) -> None:
        self.period = period
        self.now = now or timezone.now()
        self.scopes = scopes
        self.labels = Labels()
        self.out = Accumulator()
        self.batches: dict[int, dict[str, Any]] = {}

    # --- roll-ups -------------------------------------------------------------------------------------
    def _person_tuple(self, scope: str, sid: int, measure: str, row: dict[str, Any], n: int) -> None:
        add = self.out.add
        add(scope, sid, Dimension.TOTAL, "all", "Jumlah", measure, n)
        kel_code, kel_name, kec_id = self.labels.kelurahan[row["kel"]]
        kec_code, kec_name = self.labels.kecamatan[kec_id]
        add(scope, sid, Dimension.KELURAHAN, kel_code, kel_name, measure, n)
        add(scope, sid, Dimension.KECAMATAN, kec_code, kec_name, measure, n)
        for dimension, field in (
            (Dimension.SEX, "sex"),
            (Dimension.AGE_BAND, "band"),
            (Dimension.EMPLOYMENT, "emp"),
        ):
            key = row[field]
            add(scope, sid, dimension, key, self.labels.choice_labels[dimension].get(key, key), measure, n)

    def _batch_dims(self, scope: str, sid: int, measure: str, batch_id: int, n: int) -> None:
        batch = self.batches[batch_id]
        theme_code, theme_name, agency_id = self.labels.theme[batch["theme_id"]]
        agency_code, agency_name = self.labels.agency[agency_id]
        center_code, center_name, _ = self.labels.center[batch["center_id"]]
        modality = batch["modality"]
        add = self.out.add
        add(scope, sid, Dimension.THEME, theme_code, theme_name, measure, n)
        add(scope, sid, Dimension.AGENCY, agency_code, agency_name, measure, n)
        add(scope, sid, Dimension.CENTER, center_code, center_name, measure, n)
        add(
            scope,
            sid,
            Dimension.MODALITY,
            modality,
            self.labels.choice_labels[Dimension.MODALITY].get(modality, modality),
            measure,
            n,
        )

    def _month(self, scope: str, sid: int, measure: str, month: Any, n: int) -> None:
        key = f"{month:%Y-%m}" if month is not None else "-"
        self.out.add(scope, sid, Dimension.MONTH, key, key, measure, n)

    # --- person facts ---------------------------------------------------------------------------------
    def _person_fact(
        self,
        queryset: QuerySet[Any],
        *,
        batch: str,
        resident: str,
        count: str,
        distinct: bool,
        month: str,
        measure_of: str | None = None,
        measures: Mapping[str, str],
        batch_queryset: QuerySet[Any] | None = None,
    ) -> None:
        """Group one fact table by each scope × (person tuple | batch | month); `measure_of` names a status column
        mapped to measures by `measures`, else every row counts for `measures[""]`."""
        band = age_band_expression(f"{resident}birth_date", self.period.starts_on)
        person = {
            "kel": F(f"{resident}kelurahan_id"),
            "sex": F(f"{resident}sex"),
            "emp": F(f"{resident}employment_status"),
        }
        status = [measure_of] if measure_of else []

        def measure(row: dict[str, Any]) -> str | None:
            return measures.get(row[measure_of] if measure_of else "")

        counter = Count(count, distinct=distinct)
        by_batch = batch_queryset if batch_queryset is not None else queryset
        for scope in self.scopes:
            cols = {"sid": F(f"{batch}{SCOPE_PATHS[scope]}")} if scope in SCOPE_PATHS else {}
            rows = queryset.values(*status, **cols, **person, band=band).annotate(n=counter).order_by()
            for row in rows:
                if (m := measure(row)) is not None:
                    self._person_tuple(scope, row.get("sid", 0), m, row, row["n"])
            rows = by_batch.values(*status, **cols, bid=F(f"{batch}id")).annotate(n=counter).order_by()
            for row in rows:
                if (m := measure(row)) is not None:
                    self._batch_dims(scope, row.get("sid", 0), m, row["bid"], row["n"])
            rows = queryset.values(*status, **cols, m=TruncMonth(month)).annotate(n=counter).order_by()
            for row in rows:
                if (m := measure(row)) is not None:
                    self._month(scope, row.get("sid", 0), m, row["m"], row["n"])

    def registered(self) -> None:
        choices = ApplicationChoice.objects.filter(
            application__period=self.period, application__status=ApplicationStatus.SUBMITTED
        )
        self._person_fact(
            choices,
            batch="batch__",
            resident="application__resident__",
            count="application_id",
            distinct=True,
            month="application__created_at",
            measures={"": Measure.REGISTERED},
            batch_queryset=choices.filter(rank=1),
        )

    def enrollments(self) -> None:
        statuses = {str(s): Measure.ALLOCATED for s in SEAT_HOLDING_STATUSES} | {
            str(EnrollmentStatus.WITHDRAWN): Measure.WITHDRAWN
        }
        self._person_fact(
            Enrollment.objects.filter(period=self.period),
            batch="batch__",
            resident="resident__",
            count="id",
            distinct=False,
            month="created_at",
            measure_of="status",
            measures=statuses,
        )
        attended = Attendance.objects.filter(enrollment=OuterRef("pk"), status__in=ATTENDING_STATUSES)
        self._person_fact(
            Enrollment.objects.filter(period=self.period, status=EnrollmentStatus.ACTIVE).filter(
                Exists(attended)
            ),
            batch="batch__",
            resident="resident__",
            count="id",
            distinct=False,
            month="created_at",
            measures={"": Measure.ATTENDING},
        )

    def outcomes(self) -> None:
        self._person_fact(
            Outcome.objects.filter(batch__period=self.period),
            batch="batch__",
            resident="enrollment__resident__",
            count="id",
            distinct=False,
            month="decided_at",
            measure_of="status",
            measures={
                str(OutcomeStatus.COMPLETED): Measure.COMPLETED,
                str(OutcomeStatus.NOT_COMPLETED): Measure.NOT_COMPLETED,
                str(OutcomeStatus.DROPPED_OUT): Measure.DROPPED_OUT,
            },
        )

    # --- batch facts ----------------------------------------------------------------------------------
    def load_batches(self) -> None:
        rows = Batch.objects.filter(period=self.period).values(
            "id", "center_id", "theme_id", "modality", "status", "seats_taken", "minimum", "starts_on"
        )
        self.batches = {row["id"]: row for row in rows}

    def _batch_scopes(self, batch: dict[str, Any]) -> Iterable[tuple[str, int]]:
        yield Scope.CITY, 0
        yield Scope.AGENCY, self.labels.theme[batch["theme_id"]][2]
        yield Scope.CENTER, batch["center_id"]

    def _batch_count(self, batch: dict[str, Any], measure: str, n: int) -> None:
        _, _, kel_id = self.labels.center[batch["center_id"]]
        kel_code, kel_name, kec_id = self.labels.kelurahan[kel_id]
        kec_code, kec_name = self.labels.kecamatan[kec_id]
        for scope, sid in self._batch_scopes(batch):
            self.out.add(scope, sid, Dimension.TOTAL, "all", "Jumlah", measure, n)
            self._batch_dims(scope, sid, measure, batch["id"], n)
            self.out.add(scope, sid, Dimension.KELURAHAN, kel_code, kel_name, measure, n)
            self.out.add(scope, sid, Dimension.KECAMATAN, kec_code, kec_name, measure, n)
            self._month(scope, sid, measure, batch["starts_on"], n)

    def batch_counts(self) -> None:
        # Every active centre appears in the city's "trainings per centre", with 0 when it runs none.
        for center in Center.objects.filter(is_active=True).values("code", "name"):
            for measure in (Measure.BATCHES, Measure.BATCHES_AT_MINIMUM):
                self.out.add(Scope.CITY, 0, Dimension.CENTER, center["code"], center["name"], measure, 0)
        for name in Measure.values:
            self.out.add(Scope.CITY, 0, Dimension.TOTAL, "all", "Jumlah", name, 0)
        for batch in self.batches.values():
            if batch["status"] == BatchStatus.CANCELLED:
                continue
            self._batch_count(batch, Measure.BATCHES, 1)
            if batch["seats_taken"] >= batch["minimum"]:
                self._batch_count(batch, Measure.BATCHES_AT_MINIMUM, 1)

    def sessions(self) -> None:
        rows = (
            due_luring_sessions(self.now)
            .filter(batch__period=self.period)
            .values("batch_id")
            .annotate(total=Count("id"), signed=Count("checklist"))
            .order_by()
        )
        for row in rows:
            batch = self.batches[row["batch_id"]]
            self._batch_count(batch, Measure.LURING_SESSIONS, row["total"])
            if row["signed"]:
                self._batch_count(batch, Measure.SIGNED_SESSIONS, row["signed"])

    def demand(self) -> None:
        rows = SkillDemand.objects.counting().values("theme_id").annotate(n=Sum("headcount")).order_by()
        for row in rows:
            n = row["n"] or 0
            self.out.add(Scope.CITY, 0, Dimension.TOTAL, "all", "Jumlah", Measure.DEMAND, n)
            if row["theme_id"] is None:
                continue
            code, name, agency_id = self.labels.theme[row["theme_id"]]
            self.out.add(Scope.AGENCY, agency_id, Dimension.TOTAL, "all", "Jumlah", Measure.DEMAND, n)
            for scope, sid in ((Scope.CITY, 0), (Scope.AGENCY, agency_id)):
                self.out.add(scope, sid, Dimension.THEME, code, name, Measure.DEMAND, n)

    def run(self) -> Accumulator:
        self.load_batches()
        self.batch_counts()
        self.registered()
        self.enrollments()
        self.outcomes()
        self.sessions()
        self.demand()
        return self.out


def compute_figures(
    period: Period, scopes: tuple[str, ...] = ALL_SCOPES, now: dt.datetime | None = None
) -> Accumulator:
    """Every figure of `period` in the given scopes, straight from the raw tables (the direct aggregation).
    Batch, session and demand figures are cheap and always computed for every scope."""
    return FigureComputer(period, scopes, now).run()
