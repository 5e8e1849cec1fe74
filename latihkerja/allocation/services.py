"""Running, publishing and answering the seat allocation of a programme period.

- `start_run` (Bappeda) records a run and enqueues `execute_run` on commit. A run may be computed while
  registration is still open (a *preview*), but only published once it has closed.
- `execute_run` (the worker) builds the engine input from submitted applications and open batches, runs the
  three mechanisms on it (the run's own decides the placements, the other two are the comparison), and
  stores one `Placement` per application. Idempotent: it claims the run with `queued → running` first.
- `publish_run` (Bappeda) turns a finished deferred-acceptance run into batch statuses, offers (seats held
  as `Enrollment(status="offered")`), wait lists and notifications — in one transaction, and only if the
  input is still exactly what the run computed on (same inputs hash).
- `accept_offer`, `decline_offer`, `expire_offers`: a declined or expired offer frees its seat and the next
  person on the batch's wait list without a seat is offered it. Every step is a conditional `UPDATE … WHERE
  status = old`, so two answers to one offer, or two freed seats at once, can never promote twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation

from latihkerja.accounts.rules import is_bappeda
from latihkerja.audit.services import record_event
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import (
    SEAT_HOLDING_STATUSES,
    Batch,
    Enrollment,
    EnrollmentSource,
    EnrollmentStatus,
)
from latihkerja.batches.services import FCFS_STATUSES, change_batch_status
from latihkerja.common.errors import DomainError
from latihkerja.engine.allocation import (
    ENGINE_VERSION,
    MECHANISMS,
    ArrayMarket,
    ArrayResult,
    allocate_arrays,
    market_from_lists,
    summarise,
)
from latihkerja.programs.models import Period
from latihkerja.registration.enums import ApplicationStatus
from latihkerja.registration.models import Application, ApplicationChoice

from .enums import PUBLISHABLE_MECHANISMS, Mechanism, RunStatus
from .errors import AllocationError
from .models import AllocationRun, Placement, WaitlistEntry
from .policy import Policy, lottery, policy_for
from .queries import waiting_for

logger = logging.getLogger(__name__)

SEED_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Reasons recorded with a batch's cancellation (audit trail; read by the OPD and shown to applicants).
REASON_BELOW_MINIMUM = "Peserta kurang dari minimum"
REASON_NO_APPLICANTS = "Tidak ada pendaftar"
ERROR_CHARS = 2000
# A run or publication a worker took and has not moved for this long was abandoned (`recover_stalled_runs`).
# A city's run takes seconds and its publication about a minute; a national one minutes.
STALLED_AFTER = dt.timedelta(minutes=30)


# --- The engine input ------------------------------------------------------------------------------------


@dataclass
class Inputs:
    """The engine input of a period, with what the app needs to store placements and wait lists.

    Batches are in code order; applications in arrival order (first submitted first: the order `fcfs`
    serves them). Per application, its choices at open batches, best first, with the original rank, the
    locality and the key at each.
    """

    batch_ids: list[int] = field(default_factory=list)
    batch_codes: list[str] = field(default_factory=list)
    capacities: list[int] = field(default_factory=list)
    minimums: list[int] = field(default_factory=list)
    application_ids: list[int] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    lotteries: list[float] = field(default_factory=list)
    choice_batches: list[list[int]] = field(default_factory=list)
    choice_ranks: list[list[int]] = field(default_factory=list)
    localities: list[list[int]] = field(default_factory=list)
    keys: list[list[float]] = field(default_factory=list)

    def canonical_json(self) -> str:
        """Exactly what the engine receives, as compact JSON (floats in Python's round-trip repr)."""
        data = {
            "batches": [
                [code, capacity, minimum]
                for code, capacity, minimum in zip(
                    self.batch_codes, self.capacities, self.minimums, strict=True
                )
            ],
            "applicants": [
                [str(app), [self.batch_codes[b] for b in batches], keys]
                for app, batches, keys in zip(
                    self.application_ids, self.choice_batches, self.keys, strict=True
                )
            ],
        }
        return json.dumps(data, separators=(",", ":"), ensure_ascii=True, allow_nan=False)

    def digest(self) -> str:
        return hashlib.sha256(self.canonical_json().encode("ascii")).hexdigest()

    def market(self) -> ArrayMarket:
        market, _, _ = market_from_lists(
            self.batch_codes,
            self.capacities,
            self.minimums,
            [str(a) for a in self.application_ids],
            [[self.batch_codes[b] for b in batches] for batches in self.choice_batches],
            self.keys,
        )
        return market


def build_inputs(period: Period, policy: Policy, seed: str) -> Inputs:
    """The engine input: submitted applications of `period` and its open batches, keyed by `policy`."""
    inputs = Inputs()
    index: dict[int, int] = {}
    where: list[tuple[int, int]] = []
    batches = (
        Batch.objects.filter(period=period, status=BatchStatus.OPEN)
        .order_by("code")
        .values_list(
            "pk",
            "code",
            "capacity",
            "minimum",
            "seats_taken",
            "center__kelurahan_id",
            "center__kelurahan__kecamatan_id",
        )
    )
    for pk, code, capacity, minimum, taken, kelurahan_id, kecamatan_id in batches:
        free = max(0, capacity - taken)
        index[pk] = len(inputs.batch_ids)
        inputs.batch_ids.append(pk)
        inputs.batch_codes.append(code)
        inputs.capacities.append(free)
        inputs.minimums.append(min(free, max(0, minimum - taken)))
        where.append((kelurahan_id, kecamatan_id))
    choices: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = (
        ApplicationChoice.objects.filter(
            application__period=period,
            application__status=ApplicationStatus.SUBMITTED,
            batch__period=period,
            batch__status=BatchStatus.OPEN,
        )
        .order_by("application_id", "rank")
        .values_list("application_id", "rank", "batch_id")
    )
    for application_id, rank, batch_id in rows:
        choices[application_id].append((rank, index[batch_id]))
    # Whoever holds a seat in the period already (an earlier run, a seat left over taken first come) is
    # settled: they compete for nothing, and counting them would report them as left without a seat.
    seated = Enrollment.objects.filter(period=period, status__in=SEAT_HOLDING_STATUSES).values("resident_id")
    applications = (
        Application.objects.filter(period=period, status=ApplicationStatus.SUBMITTED)
        .exclude(resident_id__in=seated)
        .order_by("created_at", "pk")
        .values_list(
            "pk", "resident__employment_status", "resident__kelurahan_id", "resident__kelurahan__kecamatan_id"
        )
    )
    for pk, employment, kelurahan_id, kecamatan_id in applications:
        group = policy.group_of(employment)
        number = lottery(seed, pk)
        ranked = choices.get(pk, [])
        localities = [
            policy.locality_of(
                kelurahan_id=kelurahan_id,
                kecamatan_id=kecamatan_id,
                batch_kelurahan_id=where[b][0],
                batch_kecamatan_id=where[b][1],
            )
            for _, b in ranked
        ]
        inputs.application_ids.append(pk)
        inputs.groups.append(group)
        inputs.lotteries.append(number)
        inputs.choice_batches.append([b for _, b in ranked])
        inputs.choice_ranks.append([rank for rank, _ in ranked])
        inputs.localities.append(localities)
        inputs.keys.append([policy.key(group=group, locality=loc, lottery=number) for loc in localities])
    return inputs


# --- Runs ------------------------------------------------------------------------------------------------


def start_run(*, period: Period, mechanism: str, seed: str, actor: Any) -> AllocationRun:
    """Record a run of `mechanism` for `period` with the public lottery `seed`; compute it in the background.

    Refused for anyone but Bappeda, for an unknown mechanism or a malformed seed, and once a run of the
    period has been published. The period's priority policy and offer deadline are copied onto the run.
    While a run of the same mechanism and seed is still queued or computing, that run is returned instead of
    a second one (a double click, a reloaded form): it would give the same result. The period's row lock
    makes this hold for starts that arrive together.
    """
    if not is_bappeda(actor):
        raise AllocationError(AllocationError.NOT_ALLOWED)
    if mechanism not in Mechanism.values:
        raise AllocationError(AllocationError.UNKNOWN_MECHANISM, mechanism=mechanism)
    if not SEED_PATTERN.fullmatch(seed):
        raise AllocationError(AllocationError.BAD_SEED)
    policy = policy_for(period)
    with transaction.atomic():
        Period.objects.select_for_update().filter(pk=period.pk).first()
        if AllocationRun.objects.filter(period=period, status=RunStatus.PUBLISHED).exists():
            raise AllocationError(AllocationError.ALREADY_PUBLISHED)
        in_flight = AllocationRun.objects.filter(
            period=period, mechanism=mechanism, seed=seed, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)
        ).first()
        if in_flight is not None:
            return in_flight
        run = AllocationRun.objects.create(
            period=period,
            mechanism=mechanism,
            seed=seed,
            policy=policy.to_json(),
            offer_response_days=period.offer_response_days,
            engine_version=ENGINE_VERSION,
            created_by=actor,
        )
        record_event(
            actor=actor,
            action="allocation.run_started",
            target=run,
            detail={"period": period.code, "mechanism": mechanism, "seed": seed, "policy": run.policy},
        )
        from .tasks import execute_allocation_run

        run_id = run.pk
        transaction.on_commit(lambda: execute_allocation_run.enqueue(run_id), robust=True)
    return run


def _progress(run_id: int, percent: int) -> None:
    AllocationRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        progress=percent, updated_at=timezone.now()
    )


def _summary(market: ArrayMarket, result: ArrayResult, batch_codes: list[str]) -> dict[str, Any]:
    figures = summarise(market, result)
    counts: list[int] = figures["choice_counts"]  # type: ignore[assignment]
    applicants = int(figures["applicants"])  # type: ignore[call-overload]
    figures["share_first"] = round(counts[0] / applicants, 6) if applicants and counts else 0.0
    figures["cancelled"] = [batch_codes[b] for b in result.cancelled.tolist()]
    return figures


def execute_run(run_id: int) -> AllocationRun:
    """Compute run `run_id` (claimed `queued → running`; any other status: returned unchanged).

    Progress: 5 claimed, 20 input built, 60 mechanisms computed, 100 stored. Any exception marks the run
    `failed` with its message; nothing half-stored remains (placements are written in one transaction).
    """
    claimed = AllocationRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, progress=5, updated_at=timezone.now()
    )
    run = AllocationRun.objects.select_related("period").get(pk=run_id)
    if claimed != 1:
        return run
    try:
        inputs = build_inputs(run.period, Policy.from_json(run.policy), run.seed)
        market = inputs.market()
        _progress(run_id, 20)
        results = {m: allocate_arrays(market, m, validate=False) for m in MECHANISMS}
        own = results[run.mechanism]  # type: ignore[index]
        _progress(run_id, 60)
        placements = []
        for i, application_id in enumerate(inputs.application_ids):
            b, position = int(own.batch[i]), int(own.choice[i])
            placed = b >= 0
            placements.append(
                Placement(
                    run_id=run_id,
                    application_id=application_id,
                    batch_id=inputs.batch_ids[b] if placed else None,
                    choice_rank=inputs.choice_ranks[i][position] if placed else None,
                    priority_group=inputs.groups[i],
                    locality=inputs.localities[i][position] if placed else None,
                    lottery=inputs.lotteries[i],
                    key=inputs.keys[i][position] if placed else None,
                )
            )
        engine = _summary(market, own, inputs.batch_codes)
        metrics: dict[str, Any] = {
            "engine": engine,
            "comparison": {m: _summary(market, results[m], inputs.batch_codes) for m in MECHANISMS},
            "cancelled": [inputs.batch_codes[b] for b in own.cancelled.tolist()],
            "cancelled_ids": [inputs.batch_ids[b] for b in own.cancelled.tolist()],
            "batch_ids": inputs.batch_ids,
        }
        with transaction.atomic():
            Placement.objects.filter(run_id=run_id).delete()
            Placement.objects.bulk_create(placements, batch_size=2000)
            updated = AllocationRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
                status=RunStatus.DONE,
                progress=100,
                inputs_hash=inputs.digest(),
                metrics=metrics,
                finished_at=timezone.now(),
            )
            if updated != 1:
                raise AllocationError(AllocationError.CHANGED_MEANWHILE)
            record_event(
                actor=None,
                action="allocation.run_done",
                target=run,
                detail={"inputs_hash": inputs.digest(), "assigned": engine["assigned"]},
            )
    except Exception as error:
        logger.exception("allocation run %s failed", run_id)
        AllocationRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:ERROR_CHARS],
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    return run


def recover_stalled_runs(*, now: dt.datetime | None = None) -> int:
    """Take up the runs a worker never finished (it died, or lost its database), once `STALLED_AFTER` has
    passed without a change, so that none waits forever:
    - a computation a worker took (`running`) becomes `failed` with the reason, so that Bappeda can start the
      same seed again (a run in flight with that seed is otherwise returned instead);
    - a run still `queued` whose task was lost (none waits in the queue) is scheduled again;
    - a publication still `publishing` whose task no longer waits in the queue (a worker took it and died)
      goes back to `done`, to be published again: publishing is all or nothing, so nothing was published.
    Work whose task still waits its turn (the worker is down or busy) is left to it. Run by
    `manage.py recover_stalled_work`; returns how many runs were taken up."""
    from latihkerja.common.queue import schedule_lost, waiting_in_queue

    from .tasks import execute_allocation_run, publish_allocation_run

    now = now or timezone.now()
    stale = AllocationRun.objects.filter(updated_at__lt=now - STALLED_AFTER)
    recovered = schedule_lost(stale, RunStatus.QUEUED, execute_allocation_run, now=now)
    for status, to, reason, task in (
        (RunStatus.RUNNING, RunStatus.FAILED, AllocationError.INTERRUPTED, None),
        (
            RunStatus.PUBLISHING,
            RunStatus.DONE,
            AllocationError.PUBLICATION_INTERRUPTED,
            publish_allocation_run,
        ),
    ):
        for run in stale.filter(status=status):
            if task is not None and waiting_in_queue(task, run.pk):
                continue
            with transaction.atomic():
                changes: dict[str, Any] = {"status": to, "error": str(reason), "updated_at": now}
                if to == RunStatus.FAILED:
                    changes["finished_at"] = now
                if AllocationRun.objects.filter(pk=run.pk, status=status).update(**changes):
                    record_event(
                        actor=None, action="allocation.run_interrupted", target=run, detail={"status": status}
                    )
                    recovered += 1
    return recovered


# --- Publishing ------------------------------------------------------------------------------------------


def offer_url(site_url: str = "") -> str:
    """Where a resident answers an offer: their start page, absolute when the site address is known."""
    base = (site_url or settings.SITE_URL).rstrip("/")
    return f"{base}{reverse('accounts:start')}"


def _check_publishable(run: AllocationRun, actor: Any, *, statuses: tuple[str, ...]) -> None:
    if not is_bappeda(actor):
        raise AllocationError(AllocationError.NOT_ALLOWED)
    if run.status not in statuses:
        raise AllocationError(AllocationError.NOT_READY)
    if run.mechanism not in PUBLISHABLE_MECHANISMS:
        raise AllocationError(AllocationError.NOT_PUBLISHABLE)
    closes = run.period.registration_closes_at
    if timezone.now() < closes:
        raise AllocationError(
            AllocationError.REGISTRATION_OPEN,
            closes=formats.date_format(timezone.localtime(closes), "DATETIME_FORMAT"),
        )


def request_publication(*, run: AllocationRun, actor: Any, site_url: str = "") -> AllocationRun:
    """Bappeda asks to publish `run`: checked now, carried out by the worker (`tasks.publish_allocation_run`).

    Publishing a city's period writes ~12,000 offers, wait lists and messages: too long for a request. The
    run moves `done → publishing` with a conditional update (a double click enqueues once); the worker's
    `publish_run` then does all or nothing, and a refusal there (say the input changed meanwhile) puts the
    run back to `done` with the reason in `error`.
    """
    _check_publishable(run, actor, statuses=(RunStatus.DONE,))
    with transaction.atomic():
        claimed = AllocationRun.objects.filter(pk=run.pk, status=RunStatus.DONE).update(
            status=RunStatus.PUBLISHING, error="", updated_at=timezone.now()
        )
        if claimed != 1:
            raise AllocationError(AllocationError.CHANGED_MEANWHILE)
        record_event(actor=actor, action="allocation.publication_requested", target=run, detail={})
        from .tasks import publish_allocation_run

        transaction.on_commit(lambda: publish_allocation_run.enqueue(run.pk, actor.pk, site_url))
    run.refresh_from_db()
    return run


def publish_in_background(run_id: int, actor_id: int, site_url: str) -> str:
    """The worker's side of `request_publication`; returns the run's status afterwards."""
    from latihkerja.accounts.models import User

    run = AllocationRun.objects.select_related("period").get(pk=run_id)
    if run.status != RunStatus.PUBLISHING:
        return str(run.status)  # already published (a re-delivered task) or taken back
    actor = User.objects.get(pk=actor_id)
    try:
        publish_run(run=run, actor=actor, site_url=site_url)
    except DomainError as error:
        AllocationRun.objects.filter(pk=run_id, status=RunStatus.PUBLISHING).update(
            status=RunStatus.DONE, error=str(error.message)
        )
    return str(AllocationRun.objects.values_list("status", flat=True).get(pk=run_id))


def publish_run(*, run: AllocationRun, actor: Any, site_url: str = "") -> AllocationRun:
    """Publish a finished deferred-acceptance run: batches, offers, wait lists and messages, all or nothing.

    - batches the engine cancelled → `cancelled` ("Peserta kurang dari minimum"); other batches with
      placements → `allocated`; batches of the input nobody was placed in → `cancelled` ("Tidak ada
      pendaftar");
    - one `offered` enrollment per placement, answerable until now + `run.offer_response_days`, counted in
      `seats_taken` (F() updates);
    - per allocated batch, the wait list of those who ranked it above what they got, by key (then id);
    - an `offer` SMS to each resident offered a seat.

    Refused unless Bappeda, the run is `done` with mechanism `da`, registration has closed, and the input is
    unchanged since the run (same inputs hash): what residents are told is exactly what was reviewed.
    """
    _check_publishable(run, actor, statuses=(RunStatus.DONE, RunStatus.PUBLISHING))
    period = run.period
    now = timezone.now()
    inputs = build_inputs(period, Policy.from_json(run.policy), run.seed)
    if inputs.digest() != run.inputs_hash:
        raise AllocationError(AllocationError.INPUTS_CHANGED)
    placements = list(
        Placement.objects.filter(run=run).values_list(
            "application_id", "application__resident_id", "batch_id", "choice_rank"
        )
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                claimed = AllocationRun.objects.filter(pk=run.pk, status=run.status).update(
                    status=RunStatus.PUBLISHED, published_at=now, published_by=actor, error=""
                )
        except IntegrityError as error:
            raise AllocationError(AllocationError.ALREADY_PUBLISHED) from error
        if claimed != 1:
            raise AllocationError(AllocationError.CHANGED_MEANWHILE)
        cancelled = set(run.metrics.get("cancelled_ids", []))
        counts = Counter(batch_id for _, _, batch_id, _ in placements if batch_id is not None)
        chosen = {inputs.batch_ids[b] for ranked in inputs.choice_batches for b in ranked}
        for batch in Batch.objects.filter(pk__in=inputs.batch_ids).select_related("theme").order_by("code"):
            if batch.pk in cancelled:
                # The engine cancels an empty class too (0 is below any minimum): say which it was.
                reason = REASON_BELOW_MINIMUM if batch.pk in chosen else REASON_NO_APPLICANTS
                change_batch_status(batch=batch, to=BatchStatus.CANCELLED, actor=actor, reason=reason)
            elif counts[batch.pk]:
                change_batch_status(batch=batch, to=BatchStatus.ALLOCATED, actor=actor)
            else:
                change_batch_status(
                    batch=batch, to=BatchStatus.CANCELLED, actor=actor, reason=REASON_NO_APPLICANTS
                )
        respond_by = now + dt.timedelta(days=run.offer_response_days)
        offers = [
            Enrollment(
                batch_id=batch_id,
                period=period,
                resident_id=resident_id,
                status=EnrollmentStatus.OFFERED,
                source=EnrollmentSource.ALLOCATION,
                respond_by=respond_by,
                run=run,
            )
            for _, resident_id, batch_id, _ in placements
            if batch_id is not None
        ]
        try:
            with transaction.atomic():
                Enrollment.objects.bulk_create(offers, batch_size=1000)
        except IntegrityError as error:
            raise AllocationError(AllocationError.SEAT_CONFLICT) from error
        by_count: dict[int, list[int]] = defaultdict(list)
        for batch_id, count in counts.items():
            by_count[count].append(batch_id)
        for count, batch_ids in by_count.items():  # a handful of UPDATEs instead of one per batch
            Batch.objects.filter(pk__in=batch_ids).update(seats_taken=F("seats_taken") + count)
        waiting = _build_waitlists(run, inputs, placements, allocated=set(counts) - cancelled)
        url = offer_url(site_url)
        unsent = _notify_offers(Enrollment.objects.filter(run=run, status=EnrollmentStatus.OFFERED), url)
        unsent += _notify_no_seat(
            run, [application_id for application_id, _, batch_id, _ in placements if batch_id is None], url
        )
        record_event(
            actor=actor,
            action="allocation.published",
            target=run,
            detail={
                "offers": len(offers),
                "waitlisted": waiting,
                "cancelled": run.metrics.get("cancelled", []),
                "unsent": unsent,
            },
        )
    run.refresh_from_db()
    return run


def _notify_no_seat(run: AllocationRun, application_ids: list[int], url: str) -> int:
    """Tell each applicant left without a seat that the result is out, and where its reason is (they were
    promised an SMS either way), in bulk. Returns how many could not be queued (an unusable number: logged)."""
    from latihkerja.notifications.services import Outgoing, queue_many

    def no_seat(application: Application) -> Outgoing:
        resident = application.resident
        language = resident.language
        with translation.override(language):
            period = run.period.display_name
        return Outgoing(
            channel="sms",
            recipient=resident.phone,
            kind="no_seat",
            context={"name": resident.full_name, "period": period, "url": url},
            language=language,
            resident=resident,
            dedupe_key=f"no-seat-{run.pk}-{application.pk}",
        )

    applications = Application.objects.filter(pk__in=application_ids).select_related("resident__user")
    refused = queue_many(no_seat(a) for a in applications.iterator(chunk_size=1000))
    for item, error in refused:
        logger.warning("run %s: no message sent (%s): %s", run.pk, item.dedupe_key, error.message)
    return len(refused)


def _build_waitlists(
    run: AllocationRun,
    inputs: Inputs,
    placements: list[tuple[int, int, int | None, int | None]],
    *,
    allocated: set[int],
) -> int:
    got_rank = {application_id: rank for application_id, _, _, rank in placements}
    rows: dict[int, list[tuple[float, str, int]]] = defaultdict(list)
    for i, application_id in enumerate(inputs.application_ids):
        got = got_rank.get(application_id)
        for position, b in enumerate(inputs.choice_batches[i]):
            if got is not None and inputs.choice_ranks[i][position] >= got:
                break
            batch_id = inputs.batch_ids[b]
            if batch_id in allocated:
                rows[batch_id].append((inputs.keys[i][position], str(application_id), application_id))
    entries = []
    for batch_id, waiting in rows.items():
        waiting.sort()  # by key, then the application id as a string: the engine's own tie-break
        entries += [
            WaitlistEntry(run=run, batch_id=batch_id, application_id=application_id, key=key, position=place)
            for place, (key, _, application_id) in enumerate(waiting, 1)
        ]
    WaitlistEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def _offers_to_notify(enrollments: Any) -> Any:
    return enrollments.select_related("resident__user", "batch__theme", "batch__center").order_by("pk")


def _notify_offers(enrollments: Any, url: str) -> int:
    """Queue the offer SMS of each enrollment (in bulk: a publication makes thousands); a resident's unusable
    phone number must not undo the allocation (logged). Returns how many could not be queued."""
    from latihkerja.notifications.services import Outgoing, queue_many

    def offer(enrollment: Enrollment) -> Outgoing:
        resident = enrollment.resident
        language = resident.language
        with translation.override(language):  # the class's name in the resident's language, as the rest
            batch_name = enrollment.batch.theme.display_name
        return Outgoing(
            channel="sms",
            recipient=resident.phone,
            kind="offer",
            context={
                "name": resident.full_name,
                "batch": batch_name,
                "center": enrollment.batch.center.name,
                "starts_on": enrollment.batch.starts_on,
                "respond_by": timezone.localtime(enrollment.respond_by) if enrollment.respond_by else None,
                "url": url,
            },
            language=language,
            resident=resident,
            dedupe_key=f"offer-{enrollment.pk}",
        )

    refused = queue_many(offer(e) for e in _offers_to_notify(enrollments).iterator(chunk_size=1000))
    for item, error in refused:
        logger.warning("%s: no message sent: %s", item.dedupe_key, error.message)
    return len(refused)


# --- Answering offers ------------------------------------------------------------------------------------


def _check_holder(enrollment: Enrollment, actor: Any) -> None:
    if enrollment.resident.user_id is None or enrollment.resident.user_id != getattr(actor, "pk", None):
        raise AllocationError(AllocationError.NOT_YOURS)


def accept_offer(*, enrollment: Enrollment, actor: Any) -> Enrollment:
    """The resident takes the seat they were offered, while the offer is pending and before its deadline."""
    _check_holder(enrollment, actor)
    return _accept(enrollment, actor, detail={})


def decline_offer(*, enrollment: Enrollment, actor: Any, site_url: str = "") -> Enrollment:
    """The resident turns the offer down: the seat goes to the next on the batch's wait list (if any)."""
    _check_holder(enrollment, actor)
    return _decline(enrollment, actor, site_url=site_url, detail={})


def answer_offer_assisted(
    *, enrollment: Enrollment, actor: Any, code: str, accept: bool, site_url: str = ""
) -> Enrollment:
    """A resident without a smartphone answers their offer at the centre: the operator (or Bappeda) records the
    answer once the resident reads back the code just sent to their phone, the proof of their own word, as at
    assisted intake. Then exactly as the resident's own answer; the audit trail names who assisted."""
    from latihkerja.accounts.errors import AccountError
    from latihkerja.accounts.services import consume_code

    if not actor.has_perm("batches.change_batch", enrollment.batch):
        raise AllocationError(AllocationError.NOT_YOURS)
    if enrollment.status != EnrollmentStatus.OFFERED:
        raise AllocationError(AllocationError.OFFER_NOT_PENDING)
    try:
        consume_code(phone=enrollment.resident.phone, code=code, assisted=True)
    except AccountError as error:
        raise AllocationError(error.template, **error.params) from error
    if accept:
        return _accept(enrollment, actor, detail={"assisted": True})
    return _decline(enrollment, actor, site_url=site_url, detail={"assisted": True})


def _accept(enrollment: Enrollment, actor: Any, *, detail: dict[str, Any]) -> Enrollment:
    now = timezone.now()
    with transaction.atomic():
        accepted = Enrollment.objects.filter(
            pk=enrollment.pk,
            status=EnrollmentStatus.OFFERED,
            respond_by__gt=now,
            # A class closed, cancelled or too far along to complete takes nobody new (the first-come rule).
            batch__in=Batch.objects.with_late_join().filter(late_join_open=True).values("pk"),
        ).update(status=EnrollmentStatus.ACTIVE)
        if accepted != 1:
            enrollment.refresh_from_db()
            if enrollment.status != EnrollmentStatus.OFFERED:
                raise AllocationError(AllocationError.OFFER_NOT_PENDING)
            if enrollment.respond_by is not None and enrollment.respond_by <= now:
                raise AllocationError(AllocationError.OFFER_EXPIRED)
            raise AllocationError(AllocationError.CLASS_NOT_JOINABLE)
        record_event(actor=actor, action="offer.accepted", target=enrollment, detail=detail)
    enrollment.refresh_from_db()
    return enrollment


def _decline(enrollment: Enrollment, actor: Any, *, site_url: str, detail: dict[str, Any]) -> Enrollment:
    with transaction.atomic():
        declined = Enrollment.objects.filter(pk=enrollment.pk, status=EnrollmentStatus.OFFERED).update(
            status=EnrollmentStatus.DECLINED
        )
        if declined != 1:
            raise AllocationError(AllocationError.OFFER_NOT_PENDING)
        promoted = _free_seat_and_promote(enrollment, site_url=site_url)
        record_event(
            actor=actor,
            action="offer.declined",
            target=enrollment,
            detail={**detail, "promoted": promoted.pk if promoted else None},
        )
    enrollment.refresh_from_db()
    return enrollment


def withdraw_seat(*, enrollment: Enrollment, actor: Any, reason: str = "", site_url: str = "") -> Enrollment:
    """A participant gives up an accepted seat (themselves, or the centre's operator or Bappeda for them), while
    the class is allocated or running.

    The seat goes to the first waiting applicant of the batch's wait list, exactly as a declined offer does,
    while the batch still takes seats (allocated or running); a seat taken first come, first served has no
    wait list and simply becomes free."""
    is_holder = enrollment.resident.user_id is not None and enrollment.resident.user_id == getattr(
        actor, "pk", None
    )
    if not is_holder and not actor.has_perm("batches.change_batch", enrollment.batch):
        raise AllocationError(AllocationError.NOT_YOURS)
    with transaction.atomic():
        # Only while the class still takes seats: a completed class's participants keep their outcome and
        # certificate (a graduate could otherwise withdraw and leave the class one participant short).
        withdrawn = Enrollment.objects.filter(
            pk=enrollment.pk,
            status=EnrollmentStatus.ACTIVE,
            batch__status__in=FCFS_STATUSES,
        ).update(status=EnrollmentStatus.WITHDRAWN)
        if withdrawn != 1:
            if Enrollment.objects.filter(pk=enrollment.pk, status=EnrollmentStatus.ACTIVE).exists():
                raise AllocationError(AllocationError.CLASS_OVER)
            raise AllocationError(AllocationError.SEAT_NOT_ACTIVE)
        promoted = _free_seat_and_promote(enrollment, site_url=site_url)
        record_event(
            actor=actor,
            action="enrollment.withdrawn",
            target=enrollment,
            detail={"reason": reason.strip(), "promoted": promoted.pk if promoted else None},
        )
    enrollment.refresh_from_db()
    return enrollment


def expire_offers(now: dt.datetime | None = None, *, site_url: str = "") -> int:
    """Expire every pending offer past its deadline, each in its own transaction, promoting the wait list.

    Safe to run often and from several workers: each offer is expired by a conditional update. Returns how
    many offers this call expired.
    """
    now = now or timezone.now()
    expired = 0
    due = Enrollment.objects.filter(status=EnrollmentStatus.OFFERED, respond_by__lte=now).order_by("pk")
    for enrollment in due.iterator():
        with transaction.atomic():
            updated = Enrollment.objects.filter(
                pk=enrollment.pk, status=EnrollmentStatus.OFFERED, respond_by__lte=now
            ).update(status=EnrollmentStatus.EXPIRED)
            if updated != 1:
                continue
            promoted = _free_seat_and_promote(enrollment, site_url=site_url)
            record_event(
                actor=None,
                action="offer.expired",
                target=enrollment,
                detail={"promoted": promoted.pk if promoted else None},
            )
            expired += 1
    return expired


def _free_seat_and_promote(enrollment: Enrollment, *, site_url: str) -> Enrollment | None:
    """Give back `enrollment`'s seat, then offer it to the first waiting applicant in wait-list order.

    The wait list holds those who ranked the batch above what they got. Someone still answering an offer of a
    lower choice is not passed over: the new offer replaces that one (`replaced`), whose seat then goes down
    its own wait list. Only those who accepted a seat, or who hold an offer they ranked at least as high, are
    skipped.

    Runs inside the caller's transaction, right after the offer left `offered`. The batch row is locked
    by the first UPDATE until commit, so promotions at one batch serialise; each wait-list place is claimed
    by a conditional update (`offered_at IS NULL`) inside a savepoint, and the new offer takes the seat
    with `seats_taken < capacity`, so a seat is never offered twice. A candidate who got a seat elsewhere
    meanwhile hits the one-seat-per-period constraint and is skipped (the savepoint undoes their claim).
    """
    Batch.objects.filter(pk=enrollment.batch_id).update(seats_taken=F("seats_taken") - 1)
    if enrollment.run_id is None:
        return None
    if not Batch.objects.with_late_join().filter(pk=enrollment.batch_id, late_join_open=True).exists():
        return None  # closed, or too far along for a newcomer to complete: nobody is offered the seat
    candidates = (
        waiting_for(enrollment.batch_id, enrollment.period_id)
        .filter(run_id=enrollment.run_id)
        .select_related("application")
        .order_by("position")
    )
    respond_by = timezone.now() + dt.timedelta(days=enrollment.run.offer_response_days)  # type: ignore[union-attr]
    for entry in candidates:
        pending = Enrollment.objects.filter(
            resident_id=entry.application.resident_id,
            period_id=enrollment.period_id,
            status=EnrollmentStatus.OFFERED,
        ).first()
        if pending is not None and not _ranks_higher(
            entry.application_id, enrollment.batch_id, pending.batch_id
        ):
            continue
        try:
            with transaction.atomic():
                claimed = WaitlistEntry.objects.filter(pk=entry.pk, offered_at__isnull=True).update(
                    offered_at=timezone.now()
                )
                if claimed != 1:
                    continue
                if pending is not None and not Enrollment.objects.filter(
                    pk=pending.pk, status=EnrollmentStatus.OFFERED
                ).update(status=EnrollmentStatus.REPLACED):
                    continue  # they answered that offer meanwhile: ask again on the next freed seat
                seat = Batch.objects.filter(
                    pk=enrollment.batch_id, status__in=FCFS_STATUSES, seats_taken__lt=F("capacity")
                ).update(seats_taken=F("seats_taken") + 1)
                if seat != 1:
                    raise _NoSeat
                offer = Enrollment.objects.create(
                    batch_id=enrollment.batch_id,
                    period_id=enrollment.period_id,
                    resident_id=entry.application.resident_id,
                    status=EnrollmentStatus.OFFERED,
                    source=EnrollmentSource.ALLOCATION,
                    respond_by=respond_by,
                    run_id=enrollment.run_id,
                )
        except _NoSeat:
            return None  # the batch no longer takes seats (cancelled, finished, or the seat is gone)
        except IntegrityError:
            continue
        record_event(
            actor=None,
            action="offer.promoted",
            target=offer,
            detail={
                "from_waitlist_position": entry.position,
                "freed_by": enrollment.pk,
                "replaces": pending.pk if pending is not None else None,
            },
        )
        _notify_offers(Enrollment.objects.filter(pk=offer.pk), offer_url(site_url))
        if pending is not None:  # the lower offer's seat goes down its own wait list
            _free_seat_and_promote(pending, site_url=site_url)
        return offer
    return None


def _ranks_higher(application_id: int, batch_id: int, than_batch_id: int) -> bool:
    """Whether the application ranks `batch_id` above `than_batch_id` (a class it did not choose: below all)."""
    ranks = dict(
        ApplicationChoice.objects.filter(
            application_id=application_id, batch_id__in=[batch_id, than_batch_id]
        ).values_list("batch_id", "rank")
    )
    return batch_id in ranks and ranks[batch_id] < ranks.get(than_batch_id, 10**6)


class _NoSeat(Exception):
    """Internal: rolls back a wait-list claim when the batch has no seat to give."""
