"""The dashboard's figures computed straight from the raw tables.

`compute_figures(period)` returns every cell of every scope as a dict; `services.refresh_figures` stores it in
`Figure`. Each person-fact table (applications with their choices, seats with an "attended" flag, outcomes) is
read ONCE for all scopes, one row per fact reduced to small codes — batch, person tuple (kelurahan, sex, age
band, employment status), month — and the GROUP BY of every scope (city, each OPD, each centre) and dimension is
done in numpy: a batch's OPD and centre are known, so a row's scope is an array lookup. Seats and outcomes are
additive (one row, one count, in exactly one batch); applications are counted distinct: the city counts each
submitted application with a choice once, an OPD/centre each (application, OPD|centre) pair of its choices
once, theme/OPD/centre/modality by the first choice. Five fact queries per period (plain scans, no per-scope
repetition), whatever the number of scopes; the result equals the former per-scope GROUP BY queries
(`tests/reports/legacy_compute.py`, `test_compute_equivalence.py`).

Definitions (docs/reports.md):
- registered: submitted applications with at least one choice; by theme/OPD/modality/centre: by FIRST choice;
  in an OPD's or centre's scope: applications with any choice in its batches.
- allocated: seats held (enrollment offered or active); withdrawn: enrollment withdrawn.
- attending: active participants with at least one session attended (present or late).
- completed / not_completed / dropped_out: the batch outcome.
- batches: batches of the period not cancelled; batches_at_minimum: those with seats taken >= minimum.
- luring_sessions: luring sessions started or held; signed_sessions: those with a health-protocol sign-off.
- demand: declared headcount of verified companies per theme (not tied to a period).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from latihkerja.agencies.models import Agency
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import SEAT_HOLDING_STATUSES, Batch, Enrollment, EnrollmentStatus
from latihkerja.catalog.enums import Modality
from latihkerja.catalog.models import Theme
from latihkerja.centers.models import Center
from latihkerja.demand.models import SkillDemand
from latihkerja.programs.models import Period
from latihkerja.regions.models import Kecamatan, Kelurahan
from latihkerja.registration.enums import ApplicationStatus
from latihkerja.registration.models import Application, ApplicationChoice
from latihkerja.residents.enums import EmploymentStatus, Sex
from latihkerja.training.enums import ATTENDING_STATUSES, OutcomeStatus
from latihkerja.training.models import Attendance, Outcome
from latihkerja.training.queries import due_luring_sessions

from .enums import Dimension, Measure, Scope

# (scope, scope_id, dimension, key, measure)
Cell = tuple[str, int, str, str, str]

# Age bands at the period's start; residents outside them (should not exist: working age is checked) → "lain".
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("15-24", 15, 24),
    ("25-34", 25, 34),
    ("35-44", 35, 44),
    ("45-54", 45, 54),
    ("55-64", 55, 64),
)
OTHER_AGE_BAND = "lain"
SEXES: list[str] = list(Sex.values)
EMPLOYMENTS: list[str] = list(EmploymentStatus.values)
UNKNOWN = 99  # the code of a sex or employment value outside the enums

SCOPE_PATHS: dict[str, str] = {Scope.AGENCY: "theme__agency_id", Scope.CENTER: "center_id"}


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_band_of(birth_date: dt.date, on: dt.date) -> str:
    """The same banding in Python (tests and reference)."""
    for label, low, high in AGE_BANDS:
        if _years_before(on, high + 1) < birth_date <= _years_before(on, low):
            return label
    return OTHER_AGE_BAND


def age_band_expression(birth_field: str, on: dt.date) -> Case:
    whens = [
        When(
            Q(
                **{
                    f"{birth_field}__gt": _years_before(on, high + 1),
                    f"{birth_field}__lte": _years_before(on, low),
                }
            ),
            then=Value(label),
        )
        for label, low, high in AGE_BANDS
    ]
    return Case(*whens, default=Value(OTHER_AGE_BAND), output_field=CharField())


def choice_labels() -> dict[str, dict[str, str]]:
    """Display names of the keys that are enum choices, in the active language."""
    return {
        Dimension.MODALITY: {str(v): str(label) for v, label in Modality.choices},
        Dimension.SEX: {str(v): str(label) for v, label in Sex.choices},
        Dimension.EMPLOYMENT: {str(v): str(label) for v, label in EmploymentStatus.choices},
    }


class Labels:
    """Display names of every key, loaded once per refresh (reference tables: a few hundred rows)."""

    def __init__(self) -> None:
        self.kelurahan = {k.pk: (k.code, k.name, k.kecamatan_id) for k in Kelurahan.objects.all()}
        self.kecamatan = {k.pk: (k.code, k.name) for k in Kecamatan.objects.all()}
        self.theme = {t.pk: (t.code, t.name, t.agency_id) for t in Theme.objects.all()}
        self.agency = {a.pk: (a.code, a.short_name) for a in Agency.objects.all()}
        self.center = {c.pk: (c.code, c.name, c.kelurahan_id) for c in Center.objects.all()}
        self.choice_labels: dict[str, dict[str, str]] = {
            **choice_labels(),
            Dimension.AGE_BAND: {label: label for label, _, _ in AGE_BANDS} | {OTHER_AGE_BAND: "lain"},
        }


class Accumulator:
    def __init__(self) -> None:
        self.values: dict[Cell, int] = defaultdict(int)
        self.labels: dict[tuple[str, str], str] = {}

    def add(
        self, scope: str, scope_id: int, dimension: str, key: str, label: str, measure: str, n: int
    ) -> None:
        self.values[(scope, scope_id, dimension, key, measure)] += n
        self.labels[(dimension, key)] = label


ALL_SCOPES = (Scope.CITY, Scope.AGENCY, Scope.CENTER)


class FigureComputer:
    def __init__(
        self, period: Period, scopes: tuple[str, ...] = ALL_SCOPES, now: dt.datetime | None = None
    ) -> None:
        self.period = period
        self.scopes = scopes
        self.now = now or timezone.now()
        self.labels = Labels()
        self.out = Accumulator()
        self.batches: dict[int, dict[str, Any]] = {}
        self.batch_ids = np.zeros(0, np.int64)
        self._tuples: dict[tuple[Any, ...], int] = {}
        self._months: dict[int | None, int] = {}

    # --- person facts ---------------------------------------------------------------------------------
    # Each fact table is read ONCE for all scopes: one row per fact (application choice, seat, outcome) with
    # small codes — batch, person tuple (kelurahan, sex, age band, employment), month — and the GROUP BY of
    # every scope is done in numpy: a batch's OPD and centre are known, so a scope is a lookup per row.
    def _fetch(self, queryset: QuerySet[Any], *fields: Any, **expressions: Any) -> np.ndarray:
        """Rows of `queryset.values(...)` (or of `queryset` itself, given no columns) as an int64 matrix in that
        column order: every column is an integer or a boolean, never NULL (see `int_rows`)."""
        if fields or expressions:
            queryset = queryset.values(*fields, **expressions)
        return int_rows(queryset, len(fields) + len(expressions))

    def _coded_columns(self, resident: str, month: str) -> dict[str, Any]:
        """The person tuple as ONE integer (kelurahan id, sex, age band, employment: two digits each for the
        last three; UNKNOWN for a value outside the enums) and the month as YYYYMM (-1 when empty)."""

        def coded(field: str, values: list[str]) -> Case:
            whens = [When(**{field: value}, then=Value(i)) for i, value in enumerate(values)]
            return Case(*whens, default=Value(UNKNOWN), output_field=IntegerField())

        on = self.period.starts_on
        band = Case(
            *[
                When(
                    Q(
                        **{
                            f"{resident}birth_date__gt": _years_before(on, high + 1),
                            f"{resident}birth_date__lte": _years_before(on, low),
                        }
                    ),
                    then=Value(i),
                )
                for i, (_label, low, high) in enumerate(AGE_BANDS)
            ],
            default=Value(len(AGE_BANDS)),
            output_field=IntegerField(),
        )
        kelurahan = Cast(F(f"{resident}kelurahan_id"), BigIntegerField())
        return {
            "p_code": kelurahan * 1_000_000
            + coded(f"{resident}sex", SEXES) * 10_000
            + band * 100
            + coded(f"{resident}employment_status", EMPLOYMENTS),
            "p_month": Coalesce(_year_month(month), Value(-1)),
        }

    def _fetch_people(
        self, queryset: QuerySet[Any], resident: str, month: str, fields: tuple[str, ...], **extra: Any
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per row of `queryset`: its `fields` and `extra` integer columns (a matrix), its person-tuple index and
        its month index. Everything is coded in SQL, so the rows go straight into numpy."""
        width = len(fields)
        matrix = self._fetch(queryset, *fields, **self._coded_columns(resident, month), **extra)
        code = matrix[:, width]
        # Sex and employment are constrained to their enums by the database (resident_*_valid checks).
        if ((code // 10_000 % 100 == UNKNOWN) | (code % 100 == UNKNOWN)).any():
            raise ValueError("a resident's sex or employment status is outside its enum")
        tuples, months_index = self._tuples, self._months
        cells, inverse = np.unique(code, return_inverse=True)
        bands = [label for label, _, _ in AGE_BANDS] + [OTHER_AGE_BAND]
        index = np.array(
            [
                tuples.setdefault(
                    (c // 1_000_000, SEXES[c // 10_000 % 100], bands[c // 100 % 100], EMPLOYMENTS[c % 100]),
                    len(tuples),
                )
                for c in cells.tolist()
            ],
            dtype=np.int64,
        )
        people = index[inverse.ravel()]
        cells, inverse = np.unique(matrix[:, width + 1], return_inverse=True)
        index = np.array(
            [months_index.setdefault(m if m != -1 else None, len(months_index)) for m in cells.tolist()],
            dtype=np.int64,
        )
        months = index[inverse.ravel()]
        keep = [i for i in range(matrix.shape[1]) if i not in (width, width + 1)]
        return matrix[:, keep], people, months

    def _batch_index(self, batch_ids: np.ndarray) -> np.ndarray:
        """Positions of `batch_ids` in `self.batch_ids` (a fact of a batch outside the period is an error)."""
        index = np.searchsorted(self.batch_ids, batch_ids)
        index = np.minimum(index, max(len(self.batch_ids) - 1, 0))
        if len(batch_ids) and (not len(self.batch_ids) or (self.batch_ids[index] != batch_ids).any()):
            raise KeyError("a fact refers to a batch outside the period")
        return index

    def _codes(self) -> None:
        """Per person tuple / month / batch: the code of its key in every dimension (after the fetches)."""
        labels, choice = self.labels, self.labels.choice_labels
        tuples = list(self._tuples)

        table = _code_table

        def kel(t: tuple[Any, ...]) -> tuple[str, str]:
            code, name, _ = labels.kelurahan[t[0]]
            return code, name

        def kec(t: tuple[Any, ...]) -> tuple[str, str]:
            return labels.kecamatan[labels.kelurahan[t[0]][2]]

        self.person_dims = [
            table(Dimension.TOTAL, [("all", "Jumlah")] * len(tuples)),
            table(Dimension.KELURAHAN, [kel(t) for t in tuples]),
            table(Dimension.KECAMATAN, [kec(t) for t in tuples]),
            table(Dimension.SEX, [(t[1], choice[Dimension.SEX].get(t[1], t[1])) for t in tuples]),
            table(Dimension.AGE_BAND, [(t[2], choice[Dimension.AGE_BAND].get(t[2], t[2])) for t in tuples]),
            table(
                Dimension.EMPLOYMENT, [(t[3], choice[Dimension.EMPLOYMENT].get(t[3], t[3])) for t in tuples]
            ),
        ]
        month_keys = [f"{m // 100:04d}-{m % 100:02d}" if m is not None else "-" for m in self._months]
        self.month_dim = table(Dimension.MONTH, [(k, k) for k in month_keys])

    def _batch_codes(self) -> None:
        """Per batch of the period: its scope ids and the code of its key in every dimension."""
        labels, choice = self.labels, self.labels.choice_labels
        table = _code_table
        batches = [self.batches[int(b)] for b in self.batch_ids]
        themes = [labels.theme[b["theme_id"]] for b in batches]
        modality = choice[Dimension.MODALITY]
        places = [labels.kelurahan[labels.center[b["center_id"]][2]] for b in batches]
        months = [f"{b['starts_on']:%Y-%m}" if b["starts_on"] is not None else "-" for b in batches]
        self.batch_place_dims = [
            table(Dimension.TOTAL, [("all", "Jumlah")] * len(batches)),
            table(Dimension.KELURAHAN, [(p[0], p[1]) for p in places]),
            table(Dimension.KECAMATAN, [labels.kecamatan[p[2]] for p in places]),
            table(Dimension.MONTH, [(m, m) for m in months]),
        ]
        self.batch_dims = [
            table(Dimension.THEME, [(t[0], t[1]) for t in themes]),
            table(Dimension.AGENCY, [labels.agency[t[2]] for t in themes]),
            table(Dimension.CENTER, [labels.center[b["center_id"]][:2] for b in batches]),
            table(
                Dimension.MODALITY,
                [(b["modality"], modality.get(b["modality"], b["modality"])) for b in batches],
            ),
        ]
        self.batch_scope: dict[str, np.ndarray] = {
            Scope.CITY: np.zeros(len(batches), np.int64),
            Scope.AGENCY: np.fromiter((t[2] for t in themes), np.int64, count=len(themes)),
            Scope.CENTER: np.fromiter((b["center_id"] for b in batches), np.int64, count=len(batches)),
        }

    def _roll_batch_facts(self, measure: str, weights: np.ndarray) -> None:
        """A per-batch count (`weights`, one per batch) in every scope, by batch and place dimensions."""
        held = np.flatnonzero(weights)
        for scope in ALL_SCOPES:
            sids = self.batch_scope[scope][held]
            for dimension in self.batch_dims + self.batch_place_dims:
                self._emit(scope, measure, sids, held, weights[held].astype(np.float64), dimension)

    def _emit(
        self,
        scope: str,
        measure: str,
        sids: np.ndarray,
        codes: np.ndarray,
        weights: np.ndarray,
        dimension: tuple[str, list[tuple[str, str]], np.ndarray],
    ) -> None:
        """Sum `weights` by (scope id, key of `dimension` for `codes`) into the accumulator."""
        name, keys, code_of = dimension
        if not len(sids) or not keys:
            return
        width = len(keys)
        combined = sids * width + code_of[codes]
        cells, inverse = np.unique(combined, return_inverse=True)
        sums = np.bincount(inverse.ravel(), weights=weights)
        add = self.out.add
        for cell, total in zip(cells.tolist(), sums.tolist(), strict=True):
            if total:
                key, label = keys[cell % width]
                add(scope, cell // width, name, key, label, measure, int(total))

    def _roll(
        self,
        measure: str,
        scope: str,
        sids: np.ndarray,
        people: np.ndarray,
        months: np.ndarray,
    ) -> None:
        """One scope's person dimensions and months of facts (one row each, `sids` their scope ids)."""
        for codes in (people, months):
            width = max(int(codes.max()) + 1, 1) if len(codes) else 1
            cells, counts = np.unique(sids * width + codes, return_counts=True)
            cell_sids, cell_codes = cells // width, cells % width
            dims = self.person_dims if codes is people else [self.month_dim]
            for dimension in dims:
                self._emit(scope, measure, cell_sids, cell_codes, counts.astype(np.float64), dimension)

    def _roll_batches(self, measure: str, batch_index: np.ndarray) -> None:
        counts = np.bincount(batch_index, minlength=len(self.batch_ids)).astype(np.float64)
        held = np.flatnonzero(counts)
        for scope in self.scopes:
            for dimension in self.batch_dims:
                self._emit(scope, measure, self.batch_scope[scope][held], held, counts[held], dimension)

    def _roll_fact(
        self, measure: str, batch_index: np.ndarray, people: np.ndarray, months: np.ndarray
    ) -> None:
        """An additive fact (one row = one count, in exactly one batch): every scope from the same rows."""
        for scope in self.scopes:
            self._roll(measure, scope, self.batch_scope[scope][batch_index], people, months)
        self._roll_batches(measure, batch_index)

    def registered(self) -> None:
        """Applications (distinct): the city counts each submitted application with a choice once; an OPD or a
        centre each (application, OPD | centre) pair of its choices once; theme/OPD/centre/modality by the
        first choice."""
        applications = Application.objects.filter(period=self.period, status=ApplicationStatus.SUBMITTED)
        matrix, people, months = self._fetch_people(applications, "resident__", "created_at", ("id",))
        app_ids = matrix[:, 0]
        order = np.argsort(app_ids, kind="stable")
        app_ids, people, months = app_ids[order], people[order], months[order]
        # The choices of the period's batches (a choice of an application is in a batch of its period), kept
        # when their application is one of the submitted ones: no join with the applications table.
        choices = self._fetch(
            ApplicationChoice.objects.filter(batch__period=self.period), "application_id", "batch_id", "rank"
        )
        position = np.minimum(np.searchsorted(app_ids, choices[:, 0]), max(len(app_ids) - 1, 0))
        kept = app_ids[position] == choices[:, 0] if len(app_ids) else np.zeros(len(choices), dtype=bool)
        choices, c_app = choices[kept], position[kept]
        c_batch = self._batch_index(choices[:, 1])
        c_first = choices[:, 2] == 1
        del choices
        self._registered = (app_ids, people, months, c_app, c_batch, c_first)

    def _roll_registered(self) -> None:
        _app_ids, people, months, c_app, c_batch, c_first = self._registered
        measure = Measure.REGISTERED
        for scope in self.scopes:
            if scope == Scope.CITY:
                chosen = _distinct(c_app)
                sids = np.zeros(len(chosen), np.int64)
            else:
                width = len(people)
                pairs = _distinct(self.batch_scope[scope][c_batch] * width + c_app)
                sids, chosen = pairs // width, pairs % width
            self._roll(measure, scope, sids, people[chosen], months[chosen])
        first = _distinct(c_batch[c_first] * max(len(people), 1) + c_app[c_first]) // max(len(people), 1)
        self._roll_batches(measure, first)

    def enrollments(self) -> None:
        # "Attended at least once" from ONE scan of the period's attendance (distinct seats), matched to the seats
        # in numpy: a per-seat EXISTS costs an index probe for each of hundreds of thousands of seats.
        attended = int_rows(
            Attendance.objects.filter(session__batch__period=self.period, status__in=ATTENDING_STATUSES)
            .values("enrollment_id")
            .distinct(),
            1,
        )[:, 0]
        batch_index, statuses, people, months, ids = self._fact_arrays(
            Enrollment.objects.filter(period=self.period),
            "resident__",
            "created_at",
            list(EnrollmentStatus.values),
            seat=F("id"),
        )
        self._enrollments = (batch_index, statuses, people, months, np.isin(ids, attended))

    def outcomes(self) -> None:
        self._outcomes = self._fact_arrays(
            Outcome.objects.filter(batch__period=self.period),
            "enrollment__resident__",
            "decided_at",
            list(OutcomeStatus.values),
        )

    def _fact_arrays(
        self, queryset: QuerySet[Any], resident: str, month: str, statuses: list[str], **extra: Any
    ) -> tuple[Any, ...]:
        """(batch position, status, person tuple, month, the extra column or None) per fact row."""
        status = Case(
            *[When(status=value, then=Value(i)) for i, value in enumerate(statuses)],
            default=Value(-1),
            output_field=IntegerField(),
        )
        matrix, people, months = self._fetch_people(
            queryset, resident, month, ("batch_id",), status_code=status, **extra
        )
        batch_index = self._batch_index(matrix[:, 0])
        codes = np.array([*statuses, ""], dtype=object)  # -1 (a status outside the enum) → "", no measure
        return batch_index, codes[matrix[:, 1]], people, months, matrix[:, 2] if extra else None

    def _roll_by_status(self, arrays: tuple[Any, ...], measures: Mapping[str, str]) -> None:
        batch_index, statuses, people, months, _ = arrays
        by_measure: dict[str, list[str]] = defaultdict(list)
        for status, measure in measures.items():
            by_measure[measure].append(status)
        for measure, chosen in by_measure.items():
            mask = np.isin(statuses, chosen)
            self._roll_fact(measure, batch_index[mask], people[mask], months[mask])

    def _roll_people_facts(self) -> None:
        self._roll_registered()
        statuses = {str(s): Measure.ALLOCATED for s in SEAT_HOLDING_STATUSES} | {
            str(EnrollmentStatus.WITHDRAWN): Measure.WITHDRAWN
        }
        self._roll_by_status(self._enrollments, statuses)
        batch_index, statuses_of, people, months, attended = self._enrollments
        if attended is not None:
            mask = attended & (statuses_of == str(EnrollmentStatus.ACTIVE))
            self._roll_fact(Measure.ATTENDING, batch_index[mask], people[mask], months[mask])
        self._roll_by_status(
            self._outcomes,
            {
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
        self.batch_ids = np.array(sorted(self.batches), dtype=np.int64)

    def batch_counts(self) -> None:
        # Every active centre appears in the city's "trainings per centre", with 0 when it runs none.
        for center in Center.objects.filter(is_active=True).values("code", "name"):
            for measure in (Measure.BATCHES, Measure.BATCHES_AT_MINIMUM):
                self.out.add(Scope.CITY, 0, Dimension.CENTER, center["code"], center["name"], measure, 0)
        for name in Measure.values:
            self.out.add(Scope.CITY, 0, Dimension.TOTAL, "all", "Jumlah", name, 0)
        batches = [self.batches[int(b)] for b in self.batch_ids]
        running = np.array([b["status"] != BatchStatus.CANCELLED for b in batches], dtype=bool)
        at_minimum = np.array([b["seats_taken"] >= b["minimum"] for b in batches], dtype=bool)
        self._roll_batch_facts(Measure.BATCHES, running.astype(np.int64))
        self._roll_batch_facts(Measure.BATCHES_AT_MINIMUM, (running & at_minimum).astype(np.int64))

    def sessions(self) -> None:
        # Compliance counts every luring session that needed its sign-off by now, as the flagged list does (a
        # session cannot start unsigned, so counting only started ones would always give 100%).
        rows = int_rows(
            due_luring_sessions(self.now)
            .filter(batch__period=self.period)
            .values("batch_id")
            .annotate(total=Count("id"), signed=Count("checklist")),
            3,
        )
        index = self._batch_index(rows[:, 0])
        for measure, column in ((Measure.LURING_SESSIONS, 1), (Measure.SIGNED_SESSIONS, 2)):
            weights = np.zeros(len(self.batch_ids), dtype=np.int64)
            np.add.at(weights, index, rows[:, column])
            self._roll_batch_facts(measure, weights)

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
        self._batch_codes()
        self.batch_counts()
        self.registered()
        self.enrollments()
        self.outcomes()
        self._codes()
        self._roll_people_facts()
        self.sessions()
        self.demand()
        return self.out


def _year_month(field: str) -> Any:
    """YYYYMM of a datetime column in the current time zone. On SQLite, Django extracts through a Python
    function called per row (seconds at 1,000,000 rows); a zone without daylight saving (Asia/Jakarta) is a fixed
    offset, which SQLite's own strftime applies natively."""
    offset = _fixed_offset_minutes()
    if connection.vendor == "sqlite" and offset is not None:
        return Cast(
            Func(Value("%Y%m"), F(field), Value(f"{offset:+d} minutes"), function="strftime"),
            IntegerField(),
        )
    return Cast(ExtractYear(field) * 100 + ExtractMonth(field), IntegerField())


def _fixed_offset_minutes() -> int | None:
    """The current time zone's UTC offset in minutes when it is the same all year, else None."""
    zone = timezone.get_current_timezone()
    offsets = {
        dt.datetime(year, month, 1, tzinfo=dt.UTC).astimezone(zone).utcoffset()
        for year in (2000, 2026)
        for month in (1, 4, 7, 10)
    }
    if len(offsets) != 1:
        return None
    (offset,) = offsets
    return int(offset.total_seconds() // 60) if offset is not None else None


def _code_table(
    dimension: str, pairs: list[tuple[str, str]]
) -> tuple[str, list[tuple[str, str]], np.ndarray]:
    """(dimension, its distinct (key, label) pairs, the position of each of `pairs` among them)."""
    keys: dict[tuple[str, str], int] = {}
    codes = np.fromiter((keys.setdefault(pair, len(keys)) for pair in pairs), np.int64, count=len(pairs))
    return dimension, list(keys), codes


def _distinct(keys: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array (a sort: numpy's hash-based `unique` is slower here)."""
    ordered = np.sort(keys)
    if not len(ordered):
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def compute_figures(
    period: Period, scopes: tuple[str, ...] = ALL_SCOPES, now: dt.datetime | None = None
) -> Accumulator:
    """Every figure of `period` in the given scopes, straight from the raw tables (the direct aggregation).
    Batch, session and demand figures are cheap and always computed for every scope.

    All reads see one snapshot of the database (a read-only REPEATABLE READ transaction on PostgreSQL, one read
    transaction on SQLite), so a change committed meanwhile is either in every figure or in none."""
    with snapshot():
        return FigureComputer(period, scopes, now).run()


# Memory for the refresh's hash joins and sorts (PostgreSQL's default 4 MB spills the residents join to disk at
# 1,000,000 residents); JIT compilation costs ~250 ms per query and gains nothing on these plain scans.
REFRESH_WORK_MEM = "256MB"


@contextmanager
def snapshot() -> Iterator[None]:
    if connection.in_atomic_block:  # inside a caller's transaction (tests): read in it as it is
        yield
        return
    if connection.vendor == "sqlite":
        # A DEFERRED transaction that only reads: a snapshot that never blocks writers in WAL mode. Django's
        # atomic() would begin it IMMEDIATE (the project's setting), holding the write lock for the whole
        # refresh and failing every other writer with "database is locked".
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")  # nothing was written
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute(
                    "SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true)",
                    [REFRESH_WORK_MEM],
                )
        yield


def int_rows(queryset: QuerySet[Any], columns: int) -> np.ndarray:
    """The rows of `queryset` as an int64 matrix (`columns` wide): every column an integer or a boolean, never
    NULL. On PostgreSQL the rows come as one binary COPY read straight into numpy (no Python object per value:
    at 1,000,000 rows, seconds less than `fetchall`)."""
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = bytearray()
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT BINARY)", params) as copy:
                for chunk in copy:
                    buffer += chunk
            return _parse_binary_copy(buffer, columns)
        cursor.execute(sql, params)
        return np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, columns)


COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"


def _parse_binary_copy(buffer: bytearray, columns: int) -> np.ndarray:
    """PostgreSQL's binary COPY format (a header, then per row: int16 field count, per field int32 length and
    the big-endian value; an int16 -1 trailer) of fixed-width integer columns → an int64 matrix."""
    if buffer[:11] != COPY_SIGNATURE:
        raise ValueError("not a binary COPY stream")
    start = 19 + int.from_bytes(buffer[15:19], "big")
    body = memoryview(buffer)[start : len(buffer) - 2]
    if not len(body):
        return np.zeros((0, columns), dtype=np.int64)
    widths, offset = [], 2
    for _ in range(columns):
        width = int.from_bytes(body[offset : offset + 4], "big", signed=True)
        if width not in (1, 2, 4, 8):  # -1 is a NULL; anything else is not a plain integer
            raise ValueError(f"column of {width} bytes in a COPY of integers")
        widths.append(width)
        offset += 4 + width
    fields: list[tuple[str, str]] = [("count", ">i2")]
    for i, width in enumerate(widths):
        fields += [(f"length{i}", ">i4"), (f"value{i}", f">i{width}")]
    record = np.dtype(fields)
    if len(body) % record.itemsize:
        raise ValueError("rows of unequal width in a COPY of integers")
    rows = np.frombuffer(body, dtype=record)
    if (rows["count"] != columns).any() or any(
        (rows[f"length{i}"] != width).any() for i, width in enumerate(widths)
    ):
        raise ValueError("rows of unequal width in a COPY of integers")
    matrix = np.empty((len(rows), columns), dtype=np.int64)
    for i in range(columns):
        matrix[:, i] = rows[f"value{i}"]
    return matrix
