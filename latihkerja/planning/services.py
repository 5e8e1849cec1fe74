"""Generating, editing, sending and approving the training plan of a programme period.

- `start_plan` (Bappeda) records a plan and enqueues `execute_plan` on commit; the worker builds the engine
  input from the database (`build_input`), runs `engine.planning.plan` and the `even_spread` baseline on the
  same input, and stores one `PlannedBatch` per planned batch. The input is stored with the plan, so every
  later edit is evaluated (`engine.planning.evaluate`) against exactly the data the plan was made for.
- `add_planned_batch`, `move_planned_batch`, `remove_planned_batch` (Bappeda, before sending): an edit that
  breaks a rule is allowed; the review page names the rule.
- `send_plan` → each OPD approves the planned batches of its themes (`approve_plan_for_agency`); the last
  agency's approval, or Bappeda approving the whole plan (`approve_plan`), creates the batches, once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from latihkerja.accounts.enums import Role
from latihkerja.accounts.rules import is_bappeda
from latihkerja.agencies.models import Agency
from latihkerja.audit.services import record_event
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import Batch
from latihkerja.batches.services import announce_opening
from latihkerja.catalog.models import Theme
from latihkerja.centers.models import Center
from latihkerja.common.dates import month_label
from latihkerja.common.errors import checked_reason
from latihkerja.demand.models import SkillDemand
from latihkerja.engine.planning import Batch as EngineBatch
from latihkerja.engine.planning import (
    Evaluation,
    PlanningInput,
    evaluate,
    even_spread,
    parse_input,
    plan,
)
from latihkerja.programs.models import Period
from latihkerja.residents.models import Resident

from .enums import APPROVABLE_STATUSES, EDITABLE_STATUSES, PlanStatus, Source
from .errors import PlanningError
from .models import DEFAULT_OPD_MONTHLY_BATCHES, OpdMonthlyCapacity, PlannedBatch, PlanRun

logger = logging.getLogger(__name__)
ERROR_CHARS = 2000
# A plan a worker took and has not finished this long after was abandoned (`recover_stalled_plans`): the
# solver's time limit is at most 10 minutes.
STALLED_AFTER = dt.timedelta(minutes=30)
RETURN_REASON_MAX = 1000  # an OPD's note on a returned plan; the form says so too
HOURS_PER_DAY = 8  # JP a training day; a batch lasts at least three working days


# --- The engine input -------------------------------------------------------------------------------------


def period_months(period: Period) -> list[str]:
    months = []
    year, month = period.starts_on.year, period.starts_on.month
    while (year, month) <= (period.ends_on.year, period.ends_on.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def earliest_start(period: Period, today: dt.date) -> dt.date:
    """The first day a newly planned batch may start: in the period, after registration has closed (its seats
    are allocated then), and not before tomorrow."""
    days = [period.starts_on, today + dt.timedelta(days=1)]
    if period.registration_closes_at is not None:
        days.append(timezone.localdate(period.registration_closes_at) + dt.timedelta(days=1))
    return max(days)


def batch_start(period: Period, month: str, today: dt.date) -> dt.date | None:
    """The start of a batch planned in `month` (`YYYY-MM`): its first working day on or after
    `earliest_start`, or None when the month has no such day that still leaves the shortest batch (three
    working days) inside the period."""
    first = dt.date.fromisoformat(f"{month}-01")
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    day = max(first, earliest_start(period, today))
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    if day > last or end_date(day, 3 * HOURS_PER_DAY) > period.ends_on:
        return None
    return day


def plannable_months(period: Period, today: dt.date) -> list[str]:
    """The months of `period` in which a new batch can still start (see `batch_start`)."""
    return [month for month in period_months(period) if batch_start(period, month, today) is not None]


def existing_batches(period: Period) -> Any:
    """The period's batches that will run or ran (all but cancelled ones): a new plan adds to them."""
    return Batch.objects.filter(period=period).exclude(status=BatchStatus.CANCELLED)


def build_input(
    period: Period, *, count_existing: bool = True, months: list[str] | None = None
) -> dict[str, Any]:
    """The planner's JSON input for `period`, from the database.

    Months: those in which a new batch can still start (`plannable_months`). Centres: active ones, `trainings`
    = the period's target, `rooms` = their rooms × the batches a room can host in a month (short trainings
    share a hall; the planner's rule is "at most `rooms` batches a month"). Themes: active ones, a batch costs
    cost per participant × the period's maximum and seats that maximum. Demand: verified companies' declared
    headcount per theme, needed on or after the period's start. Interest: residents' stated interests counted
    per kelurahan. OPD capacity: each agency's monthly row (default 200).

    With `count_existing` (the default), the period's batches that already exist are what the new plan adds
    to: they are taken off each centre's target, the OPDs' monthly capacity, the budget, and the demand they
    seat (capacity × batches of the theme). Residents' interest is not reduced. `months` replaces the
    plannable months (the planning benchmark plans a whole period).
    """
    if months is None:
        months = plannable_months(period, timezone.localdate())
    held = _existing_counts(period) if count_existing else _ExistingCounts()
    centers = [
        {
            "id": center.code,
            "kelurahan": center.kelurahan.code,
            "kecamatan": center.kelurahan.kecamatan.code,
            "trainings": max(0, period.trainings_per_center - held.per_center.get(center.code, 0)),
            "rooms": center.room_count * period.batches_per_room_per_month,
        }
        for center in Center.objects.filter(is_active=True)
        .select_related("kelurahan__kecamatan")
        .annotate(room_count=Count("rooms"))
        .order_by("code")
    ]
    themes = list(Theme.objects.filter(is_active=True).select_related("agency").order_by("code"))
    demand = [
        {"theme": row["theme__code"], "headcount": headcount}
        for row in SkillDemand.objects.counting()
        .filter(theme__is_active=True, needed_by__gte=period.starts_on)
        .values("theme__code")
        .annotate(total=Sum("headcount"))
        .order_by("theme__code")
        if (headcount := row["total"] - held.seats_per_theme.get(row["theme__code"], 0)) > 0
    ]
    through = Resident.interests.through
    interest = [
        {
            "theme": row["theme__code"],
            "kelurahan": row["resident__kelurahan__code"],
            "kecamatan": row["resident__kelurahan__kecamatan__code"],
            "residents": row["n"],
        }
        for row in through.objects.filter(theme__is_active=True)
        .values("theme__code", "resident__kelurahan__code", "resident__kelurahan__kecamatan__code")
        .annotate(n=Count("resident_id"))
        .order_by("theme__code", "resident__kelurahan__code")
    ]
    limits = dict(OpdMonthlyCapacity.objects.values_list("agency__code", "batches_per_month"))
    opds = sorted({theme.agency.code for theme in themes})
    return {
        "months": months,
        "centers": centers,
        "themes": [
            {
                "id": theme.code,
                "opd": theme.agency.code,
                "cost": theme.cost_per_participant * period.maximum_per_batch,
                "capacity": period.maximum_per_batch,
                "minimum": period.minimum_per_batch,
            }
            for theme in themes
        ],
        "demand": demand,
        "interest": interest,
        "opd_capacity": [
            {
                "opd": opd,
                "month": month,
                "batches": max(
                    0, limits.get(opd, DEFAULT_OPD_MONTHLY_BATCHES) - held.per_opd_month.get((opd, month), 0)
                ),
            }
            for opd in opds
            for month in months
        ],
        "budget": max(0, int(period.budget) - held.cost),
    }


@dataclass
class _ExistingCounts:
    per_center: dict[str, int] = field(default_factory=dict)
    per_opd_month: dict[tuple[str, str], int] = field(default_factory=dict)
    seats_per_theme: dict[str, int] = field(default_factory=dict)
    cost: int = 0


def _existing_counts(period: Period) -> _ExistingCounts:
    counts = _ExistingCounts()
    rows = existing_batches(period).values_list(
        "center__code",
        "theme__code",
        "theme__agency__code",
        "theme__cost_per_participant",
        "capacity",
        "starts_on",
    )
    for center, theme, opd, cost_per_participant, capacity, starts_on in rows:
        counts.per_center[center] = counts.per_center.get(center, 0) + 1
        key = (opd, f"{starts_on:%Y-%m}")
        counts.per_opd_month[key] = counts.per_opd_month.get(key, 0) + 1
        counts.seats_per_theme[theme] = counts.seats_per_theme.get(theme, 0) + capacity
        counts.cost += int(cost_per_participant * period.maximum_per_batch)
    return counts


# --- Generating ---------------------------------------------------------------------------------------------


def start_plan(*, period: Period, actor: Any, time_limit: float = 10.0) -> PlanRun:
    """Record a plan of `period` and compute it in the background (Bappeda only)."""
    if not is_bappeda(actor):
        raise PlanningError(PlanningError.NOT_ALLOWED)
    if not 1 <= time_limit <= 600:
        raise PlanningError(PlanningError.BAD_TIME_LIMIT)
    with transaction.atomic():
        if PlanRun.objects.filter(period=period, status=PlanStatus.APPROVED).exists():
            raise PlanningError(PlanningError.ALREADY_APPROVED)
        if not plannable_months(period, timezone.localdate()):
            raise PlanningError(PlanningError.NO_MONTHS_LEFT)
        full = (
            existing_batches(period)
            .values("center")
            .annotate(held=Count("pk"))
            .filter(held__gte=period.trainings_per_center)
            .values("center")
        )
        if not Center.objects.filter(is_active=True).exclude(pk__in=full).exists():
            raise PlanningError(PlanningError.NOTHING_TO_PLAN, target=period.trainings_per_center)
        run = PlanRun.objects.create(period=period, time_limit=time_limit, created_by=actor)
        record_event(
            actor=actor,
            action="plan.started",
            target=run,
            detail={"period": period.code, "time_limit": time_limit},
        )
        from .tasks import execute_plan_task

        run_id = run.pk
        transaction.on_commit(lambda: execute_plan_task.enqueue(run_id), robust=True)
    return run


def _figures(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "demand_covered": evaluation.demand_covered,
        "demand_total": evaluation.demand_total,
        "enrolment": evaluation.enrolment,
        "cost": evaluation.cost,
        "batches": evaluation.batch_count,
        "feasible": evaluation.feasible,
        "centers_meeting_target": evaluation.centers_meeting_target,
        "violations": [dict(v) for v in evaluation.violations],
    }


def execute_plan(run_id: int) -> PlanRun:
    """Compute plan `run_id` (claimed `queued → running`; any other status: returned unchanged).

    Any exception marks the plan `failed` with its message; the planned batches are written in one
    transaction with the `done` status, so nothing half-stored remains.
    """
    claimed = PlanRun.objects.filter(pk=run_id, status=PlanStatus.QUEUED).update(
        status=PlanStatus.RUNNING, updated_at=timezone.now()
    )
    run = PlanRun.objects.select_related("period").get(pk=run_id)
    if claimed != 1:
        return run
    try:
        document = build_input(run.period)
        data = parse_input(document)
        result = plan(data, time_limit=run.time_limit)
        baseline = even_spread(data)
        stored = result.to_json()
        stored.pop("batches")
        stored["even_spread"] = _figures(evaluate(data, baseline.batches))
        stored["generated"] = _figures(evaluate(data, result.batches))
        centers = dict(Center.objects.values_list("code", "pk"))
        themes = dict(Theme.objects.values_list("code", "pk"))
        rows = [
            PlannedBatch(
                plan_id=run_id,
                center_id=centers[batch.center],
                theme_id=themes[batch.theme],
                month=batch.month,
                source=Source.GENERATED,
            )
            for batch in result.batches
        ]
        with transaction.atomic():
            PlannedBatch.objects.filter(plan_id=run_id).delete()
            PlannedBatch.objects.bulk_create(rows, batch_size=1000)
            updated = PlanRun.objects.filter(pk=run_id, status=PlanStatus.RUNNING).update(
                status=PlanStatus.DONE, input=document, result=stored, finished_at=timezone.now()
            )
            if updated != 1:
                raise PlanningError(PlanningError.CHANGED_MEANWHILE)
            record_event(
                actor=None,
                action="plan.done",
                target=run,
                detail={"batches": len(rows), "objective": result.objective, "feasible": result.feasible},
            )
    except Exception as error:
        logger.exception("plan %s failed", run_id)
        PlanRun.objects.filter(pk=run_id, status=PlanStatus.RUNNING).update(
            status=PlanStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:ERROR_CHARS],
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    return run


def recover_stalled_plans(*, now: dt.datetime | None = None) -> int:
    """Take up the plans a worker never finished, once `STALLED_AFTER` has passed (a solver's time limit is
    minutes at most): a plan a worker took (`running`) fails with the reason on its page; a plan still `queued`
    whose task was lost (none waits in the queue) is scheduled again. Run by `manage.py recover_stalled_work`;
    returns how many."""
    from latihkerja.common.queue import schedule_lost

    from .tasks import execute_plan_task

    now = now or timezone.now()
    stale = PlanRun.objects.filter(updated_at__lt=now - STALLED_AFTER)
    recovered = schedule_lost(stale, PlanStatus.QUEUED, execute_plan_task, now=now)
    for run in stale.filter(status=PlanStatus.RUNNING):
        with transaction.atomic():
            if PlanRun.objects.filter(pk=run.pk, status=PlanStatus.RUNNING).update(
                status=PlanStatus.FAILED,
                error=str(PlanningError.INTERRUPTED),
                finished_at=now,
                updated_at=now,
            ):
                record_event(actor=None, action="plan.interrupted", target=run, detail={})
                recovered += 1
    return recovered


def planning_input(run: PlanRun) -> PlanningInput:
    return parse_input(run.input)


def evaluate_current(run: PlanRun) -> dict[str, Any]:
    """The figures and broken rules of the plan as it stands now (after edits)."""
    batches = [
        EngineBatch(center, theme, month)
        for center, theme, month in run.planned.values_list("center__code", "theme__code", "month")
    ]
    return _figures(evaluate(planning_input(run), batches))


# --- Editing ------------------------------------------------------------------------------------------------


def _check_editable(run: PlanRun, actor: Any) -> None:
    if not is_bappeda(actor):
        raise PlanningError(PlanningError.NOT_ALLOWED)
    if run.status not in EDITABLE_STATUSES:
        raise PlanningError(PlanningError.NOT_EDITABLE)


def _check_month(run: PlanRun, month: str) -> None:
    if month not in run.input.get("months", []):
        raise PlanningError(PlanningError.BAD_MONTH, month=month)


def add_planned_batch(*, plan: PlanRun, center: Center, theme: Theme, month: str, actor: Any) -> PlannedBatch:
    """Add a batch to an unsent plan (allowed even if it breaks a rule: the review page names the rule)."""
    _check_editable(plan, actor)
    _check_month(plan, month)
    with transaction.atomic():
        planned = PlannedBatch.objects.create(
            plan=plan, center=center, theme=theme, month=month, source=Source.EDITED
        )
        record_event(
            actor=actor,
            action="plan.batch_added",
            target=plan,
            detail={"center": center.code, "theme": theme.code, "month": month},
        )
    return planned


def move_planned_batch(*, planned: PlannedBatch, center: Center, month: str, actor: Any) -> PlannedBatch:
    """Move a planned batch to another centre and/or month."""
    plan_ = planned.plan
    _check_editable(plan_, actor)
    _check_month(plan_, month)
    with transaction.atomic():
        before = {"center": planned.center.code, "month": planned.month}
        planned.center, planned.month, planned.source = center, month, Source.EDITED
        planned.save(update_fields=["center", "month", "source"])
        record_event(
            actor=actor,
            action="plan.batch_moved",
            target=plan_,
            detail={
                "theme": planned.theme.code,
                "from": before,
                "to": {"center": center.code, "month": month},
            },
        )
    return planned


def remove_planned_batch(*, planned: PlannedBatch, actor: Any) -> None:
    plan_ = planned.plan
    _check_editable(plan_, actor)
    with transaction.atomic():
        record_event(
            actor=actor,
            action="plan.batch_removed",
            target=plan_,
            detail={"center": planned.center.code, "theme": planned.theme.code, "month": planned.month},
        )
        planned.delete()


# --- Sending and approving ----------------------------------------------------------------------------------


def send_plan(*, plan: PlanRun, actor: Any) -> PlanRun:
    """Send a computed plan to the supervising agencies; it cannot be edited afterwards."""
    if not is_bappeda(actor):
        raise PlanningError(PlanningError.NOT_ALLOWED)
    if not plan.planned.exists():
        raise PlanningError(PlanningError.EMPTY)
    with transaction.atomic():
        updated = PlanRun.objects.filter(pk=plan.pk, status=PlanStatus.DONE).update(
            status=PlanStatus.SENT, sent_at=timezone.now()
        )
        if updated != 1:
            raise PlanningError(PlanningError.NOT_SENDABLE)
        record_event(actor=actor, action="plan.sent", target=plan, detail={"period": plan.period.code})
    plan.refresh_from_db()
    return plan


def agencies_of(plan: PlanRun) -> list[Agency]:
    return list(Agency.objects.filter(themes__planned_batches__plan=plan).distinct().order_by("code"))


def approve_plan_for_agency(*, plan: PlanRun, actor: Any) -> PlanRun:
    """An OPD supervisor approves the planned batches of their agency's themes in a sent plan.

    When the last agency with batches in the plan approves, the plan is approved and its batches are
    created (status `approved`; Bappeda opens registration).
    """
    if not (getattr(actor, "is_authenticated", False) and actor.role == Role.OPD and actor.agency_id):
        raise PlanningError(PlanningError.NOT_ALLOWED_OPD)
    with transaction.atomic():
        locked = PlanRun.objects.select_for_update().get(pk=plan.pk)
        if locked.status != PlanStatus.SENT:
            raise PlanningError(PlanningError.NOT_SENT)
        mine = PlannedBatch.objects.filter(plan=locked, theme__agency_id=actor.agency_id)
        if not mine.exists():
            raise PlanningError(PlanningError.NOTHING_FOR_AGENCY)
        count = mine.filter(approved_by_opd_at__isnull=True).update(
            approved_by_opd_at=timezone.now(), approved_by_opd=actor
        )
        record_event(
            actor=actor,
            action="plan.approved_by_agency",
            target=locked,
            detail={"agency": actor.agency.code, "batches": count},
        )
        if not PlannedBatch.objects.filter(plan=locked, approved_by_opd_at__isnull=True).exists():
            _approve(locked, actor=actor, status=BatchStatus.APPROVED)
    plan.refresh_from_db()
    return plan


def return_plan(*, plan: PlanRun, actor: Any, reason: str) -> PlanRun:
    """An OPD supervisor sends a plan back to Bappeda with a note (a class its agency cannot supervise, a month
    it cannot staff). The plan becomes editable again and every agency's approval is cleared, since the plan
    will change; the note is audited and shown on the plan's review."""
    if not (getattr(actor, "is_authenticated", False) and actor.role == Role.OPD and actor.agency_id):
        raise PlanningError(PlanningError.NOT_ALLOWED_OPD)
    reason = checked_reason(
        reason.strip(),
        error=PlanningError,
        limit=RETURN_REASON_MAX,
        too_long=PlanningError.RETURN_REASON_TOO_LONG,
        required=PlanningError.RETURN_REASON_REQUIRED,
    )
    with transaction.atomic():
        locked = PlanRun.objects.select_for_update().get(pk=plan.pk)
        if locked.status != PlanStatus.SENT:
            raise PlanningError(PlanningError.NOT_SENT)
        if not PlannedBatch.objects.filter(plan=locked, theme__agency_id=actor.agency_id).exists():
            raise PlanningError(PlanningError.NOTHING_FOR_AGENCY)
        PlanRun.objects.filter(pk=locked.pk).update(status=PlanStatus.DONE, sent_at=None)
        PlannedBatch.objects.filter(plan=locked).update(approved_by_opd_at=None, approved_by_opd=None)
        record_event(
            actor=actor,
            action="plan.returned",
            target=locked,
            detail={"agency": actor.agency.code, "reason": reason},
        )
    plan.refresh_from_db()
    return plan


def approve_plan(*, plan: PlanRun, actor: Any, open_registration: bool = False) -> PlanRun:
    """Bappeda approves the whole plan: one batch per planned batch, `approved` or directly `open`.

    Idempotent: an approved plan is returned unchanged, and a planned batch that already has its batch is
    skipped.
    """
    if not is_bappeda(actor):
        raise PlanningError(PlanningError.NOT_ALLOWED)
    with transaction.atomic():
        locked = PlanRun.objects.select_for_update().get(pk=plan.pk)
        if locked.status == PlanStatus.APPROVED:
            return locked
        if locked.status not in APPROVABLE_STATUSES:
            raise PlanningError(PlanningError.NOT_APPROVABLE)
        if PlanRun.objects.filter(period_id=locked.period_id, status=PlanStatus.APPROVED).exists():
            raise PlanningError(PlanningError.ALREADY_APPROVED)
        if open_registration and not locked.period.is_published:
            # Open classes of an unannounced period would be open for nobody: the catalogue shows none.
            raise PlanningError(PlanningError.PERIOD_NOT_PUBLISHED, period=locked.period.display_name)
        _approve(locked, actor=actor, status=BatchStatus.OPEN if open_registration else BatchStatus.APPROVED)
    plan.refresh_from_db()
    return plan


def open_plan_registration(*, plan: PlanRun, actor: Any) -> int:
    """Open registration for every class of an approved plan still `approved` (those its OPDs approved one by
    one, or a plan approved before its period was announced); returns how many opened. Each class moves
    through `change_batch_status`, checked and audited as when opened one at a time."""
    from latihkerja.batches.services import change_batch_status

    if not is_bappeda(actor):
        raise PlanningError(PlanningError.NOT_ALLOWED)
    if plan.status != PlanStatus.APPROVED:
        raise PlanningError(PlanningError.NOT_APPROVED_YET)
    if not plan.period.is_published:
        raise PlanningError(PlanningError.PERIOD_NOT_PUBLISHED, period=plan.period.display_name)
    waiting = Batch.objects.filter(planned_as__plan=plan, status=BatchStatus.APPROVED).order_by("code")
    with transaction.atomic():
        opened = 0
        for batch in waiting.select_for_update(of=("self",)):
            change_batch_status(batch=batch, to=BatchStatus.OPEN, actor=actor)
            opened += 1
    return opened


def end_date(start: dt.date, hours: int) -> dt.date:
    """The last day of a batch of `hours` JP from `start`: 8 JP a working day, at least three days."""
    days = max(3, -(-hours // HOURS_PER_DAY))
    end = start
    left = days - 1
    while left > 0:
        end += dt.timedelta(days=1)
        if end.weekday() < 5:
            left -= 1
    return end


def _approve(plan: PlanRun, *, actor: Any, status: str) -> None:
    """Create the batches of a locked plan (inside the caller's transaction) and mark it approved.

    Batches are created at their first status (`approved`, or `open` when Bappeda opens registration at
    once): creation is not a transition, and the plan's approval is the approval `change_batch_status`
    would otherwise record. Codes are `<period>-<centre code>-<n>` with the next free n of the centre.
    """
    period = plan.period
    # The plan is marked approved first: `plan_one_approved_per_period` then makes a second plan of the
    # period, approved at the same moment, wait for this transaction and fail before it creates anything.
    try:
        with transaction.atomic():
            PlanRun.objects.filter(pk=plan.pk).update(
                status=PlanStatus.APPROVED, approved_at=timezone.now(), approved_by=actor
            )
    except IntegrityError as error:
        raise PlanningError(PlanningError.ALREADY_APPROVED) from error
    planned = list(
        PlannedBatch.objects.filter(plan=plan, batch__isnull=True)
        .select_related("center", "theme")
        .order_by("center__code", "month", "theme__code", "pk")
    )
    today = timezone.localdate()
    starts = {month: batch_start(period, month, today) for month in {item.month for item in planned}}
    passed = sorted(month for month, start in starts.items() if start is None)
    if passed:
        raise PlanningError(PlanningError.MONTHS_PASSED, months=", ".join(month_label(m) for m in passed))
    taken = set(Batch.objects.filter(period=period).values_list("code", flat=True))
    rooms: dict[int, Any] = {}
    next_number: dict[int, int] = defaultdict(lambda: 1)
    for item in planned:
        center = item.center
        if center.pk not in rooms:
            # The largest room: the class's sessions are booked in it unless the operator picks another, and
            # a hall of 40 holds 20 under the health protocol where a small room may not hold a class of 25.
            rooms[center.pk] = center.rooms.order_by("-capacity", "pk").first()
        prefix = f"{period.code}-{center.code.removeprefix('blk-')}"
        while f"{prefix}-{next_number[center.pk]}" in taken:
            next_number[center.pk] += 1
        code = f"{prefix}-{next_number[center.pk]}"
        taken.add(code)
        start = starts[item.month]
        assert start is not None  # checked above
        batch = Batch.objects.create(
            code=code,
            period=period,
            center=center,
            theme=item.theme,
            room=rooms[center.pk],
            modality=item.theme.modality,
            capacity=period.maximum_per_batch,
            minimum=period.minimum_per_batch,
            starts_on=start,
            ends_on=min(end_date(start, item.theme.hours), period.ends_on),
            status=status,
        )
        PlannedBatch.objects.filter(pk=item.pk).update(batch=batch)
    if status == BatchStatus.OPEN and planned:
        announce_opening(period.pk)
    record_event(
        actor=actor,
        action="plan.approved",
        target=plan,
        detail={"period": period.code, "batches": len(planned), "status": status},
    )
