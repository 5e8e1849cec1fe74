"""Reads for allocation, scoped by viewer: Bappeda's review tables, and a resident's own result.

`explain` answers "why this result?" for one resident from their own rows only: their choices, their
priority group and locality at each batch, their lottery number, and per batch the *label* of the last
admitted priority group (never another person's name, lottery number or key).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from latihkerja.batches.models import SEAT_HOLDING_STATUSES, Batch, Enrollment, EnrollmentStatus
from latihkerja.programs.models import Period
from latihkerja.registration.enums import ApplicationStatus
from latihkerja.registration.models import Application
from latihkerja.residents.models import Resident

from .enums import Mechanism, RunStatus
from .models import AllocationRun, Placement, WaitlistEntry
from .policy import Policy

# Runs whose placements are written and final: their outcome counts can be cached.
FINISHED_RUN_STATUSES = (RunStatus.DONE, RunStatus.PUBLISHING, RunStatus.PUBLISHED)
OUTCOME_CACHE_SECONDS = 7 * 24 * 3600


def runs_visible_to(user: Any) -> QuerySet[AllocationRun]:
    return AllocationRun.objects.for_user(user).select_related("period", "created_by", "published_by")


def published_run(period: Period) -> AllocationRun | None:
    return AllocationRun.objects.filter(period=period, status=RunStatus.PUBLISHED).first()


def batch_fill(run: AllocationRun) -> QuerySet[Batch]:
    """The run's input batches with `placed` (how many the run put there) and `waiting` (wait list),
    fullest first."""
    placed = (
        Placement.objects.filter(run=run, batch=OuterRef("pk"))
        .order_by()
        .values("batch")
        .annotate(n=Count("pk"))
        .values("n")
    )
    waiting = (
        WaitlistEntry.objects.filter(run=run, batch=OuterRef("pk"))
        .order_by()
        .values("batch")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Batch.objects.filter(pk__in=run.metrics.get("batch_ids", []))
        .annotate(placed=Coalesce(Subquery(placed), 0), waiting=Coalesce(Subquery(waiting), 0))
        .select_related("theme", "center__kelurahan__kecamatan")
        .order_by("-placed", "code")
    )


def choice_ranks(run: AllocationRun) -> list[dict[str, Any]]:
    """How many applicants got their 1st, 2nd, … choice; `rank` None: no seat."""
    return _outcome_figures(run)["ranks"]


def _outcome_figures(run: AllocationRun) -> dict[str, Any]:
    """The review's counts over every placement of a finished run, computed once per run and cached: a run's
    placements never change once written, and the counts read all of them (0.2–0.5 s at 140,000 applicants,
    on every page of the review)."""

    def compute() -> dict[str, Any]:
        rows = Placement.objects.filter(run=run).values("choice_rank").annotate(n=Count("pk")).order_by()
        ordered = sorted(rows, key=lambda r: (r["choice_rank"] is None, r["choice_rank"] or 0))
        return {
            "ranks": [{"rank": r["choice_rank"], "count": r["n"]} for r in ordered],
            "kecamatan": list(_grouped(run, F("application__resident__kelurahan__kecamatan__name"))),
            "groups": list(_grouped(run, F("priority_group"))),
        }

    if run.status not in FINISHED_RUN_STATUSES:
        return compute()
    # The creation time with the id: a restored database (or a test's) may give another run the same id.
    key = f"allocation:outcome:{run.pk}:{run.created_at.timestamp()}"
    figures = cache.get_or_set(key, compute, OUTCOME_CACHE_SECONDS)
    return figures if figures is not None else compute()


def _grouped(run: AllocationRun, by: Any) -> QuerySet[Any]:
    return (
        Placement.objects.filter(run=run)
        .values(label=by)
        .annotate(
            applicants=Count("pk"),
            placed=Count("batch"),
            first_choice=Count("pk", filter=Q(choice_rank=1)),
        )
        .order_by("label")
    )


def by_kecamatan(run: AllocationRun) -> list[dict[str, Any]]:
    """Applicants, placed and first choices by the applicant's kecamatan."""
    return list(_outcome_figures(run)["kecamatan"])


def by_priority_group(run: AllocationRun) -> list[dict[str, Any]]:
    """Applicants, placed and first choices by priority group, labelled in plain words (in the reader's
    language: the cached counts hold the group's number)."""
    policy = Policy.from_json(run.policy)
    return [{**row, "label": policy.group_label(row["label"])} for row in _outcome_figures(run)["groups"]]


def policy_summary(run: AllocationRun) -> dict[str, Any]:
    """The run's priority groups in plain words, best first, and how ties within a group are broken."""
    policy = Policy.from_json(run.policy)
    ties = []
    if policy.locality:
        ties.append(str(_("di dalam kelompok: warga kelurahan BLK, lalu kecamatannya, lalu lainnya")))
    ties.append(str(_("lalu nomor undian dari benih publik")))
    return {"groups": [policy.group_label(g) for g in range(policy.group_count)], "ties": ties}


def comparison(run: AllocationRun) -> list[dict[str, Any]]:
    """The three mechanisms on the same input: assigned, share on first choice, batches cancelled."""
    figures = run.metrics.get("comparison", {})
    return [
        {**figures[m], "mechanism": Mechanism(m), "is_own": m == run.mechanism}
        for m in Mechanism.values
        if m in figures
    ]


# --- A class's seats, for the staff who run it ---------------------------------------------------------


def waiting_for(batch_id: int, period_id: int) -> QuerySet[WaitlistEntry]:
    """The wait-list places of a batch that a freed seat may still go to: not offered yet, their application
    standing, and no seat accepted anywhere in the period. `services._free_seat_and_promote` asks them in
    order; the class page counts them."""
    accepted = Enrollment.objects.filter(
        resident_id=OuterRef("application__resident_id"),
        period_id=period_id,
        status=EnrollmentStatus.ACTIVE,
    )
    return WaitlistEntry.objects.filter(
        batch_id=batch_id, offered_at__isnull=True, application__status=ApplicationStatus.SUBMITTED
    ).exclude(Exists(accepted))


def still_waiting(batch: Batch) -> int:
    """How many on `batch`'s published wait list could still be offered a freed seat. A count only: the list
    itself orders people by priority, which only Bappeda sees."""
    return waiting_for(batch.pk, batch.period_id).filter(run__status=RunStatus.PUBLISHED).count()


# --- A resident's own result -----------------------------------------------------------------------------


def offers_of(user: Any) -> QuerySet[Enrollment]:
    """The enrollments (offers and seats) of the signed-in resident; nobody else's."""
    residents = Resident.objects.for_user(user).filter(user=user)
    return Enrollment.objects.filter(resident__in=residents).select_related(
        "resident", "batch__theme", "batch__center", "run"
    )


def resident_allocation(resident: Resident | None, period: Period | None) -> dict[str, Any]:
    """What a resident's start page shows: their current seat or offer, their last answered offer, and
    whether a published result explains it."""
    if resident is None or period is None:
        return {}
    enrollments = list(
        Enrollment.objects.filter(resident=resident, period=period)
        .select_related("batch__theme", "batch__center")
        .order_by("-created_at", "-pk")
    )
    seat = next((e for e in enrollments if e.status in SEAT_HOLDING_STATUSES), None)
    return {
        "seat": seat,
        "history": [e for e in enrollments if e is not seat],
        "published": published_run(period) is not None,
    }


def explain(resident: Resident, period: Period) -> dict[str, Any] | None:
    """Why `resident` got their result in `period`'s published run (None: nothing published yet).

    Each choice gets an `outcome`: `admitted`; `cancelled` (below its minimum: its applicants were
    re-matched); `full` (ranked above the result, the batch filled with applicants of a better or equal
    group; `cutoff` says which); `lower` (ranked below the seat they got, so never needed); `closed` (not
    open when the run was made).
    """
    run = published_run(period)
    if run is None:
        return None
    application = Application.objects.filter(resident=resident, period=period).first()
    placement = (
        Placement.objects.filter(run=run, application=application).select_related("batch").first()
        if application is not None
        else None
    )
    result: dict[str, Any] = {"run": run, "placement": placement, "choices": []}
    if application is None or placement is None:
        return result
    policy = Policy.from_json(run.policy)
    choices = list(
        application.choices.select_related("batch__theme", "batch__center__kelurahan").order_by("rank")
    )
    batch_ids = [c.batch_id for c in choices]
    cutoffs = dict(
        Placement.objects.filter(run=run, batch_id__in=batch_ids)
        .values("batch_id")
        .annotate(last=Max("key"))
        .values_list("batch_id", "last")
        .order_by()
    )
    positions = dict(
        WaitlistEntry.objects.filter(run=run, application=application).values_list("batch_id", "position")
    )
    cancelled = set(run.metrics.get("cancelled_ids", []))
    considered = set(run.metrics.get("batch_ids", []))
    kelurahan = resident.kelurahan
    for choice in choices:
        batch = choice.batch
        locality = policy.locality_of(
            kelurahan_id=kelurahan.pk,
            kecamatan_id=kelurahan.kecamatan_id,
            batch_kelurahan_id=batch.center.kelurahan_id,
            batch_kecamatan_id=batch.center.kelurahan.kecamatan_id,
        )
        key = policy.key(group=placement.priority_group, locality=locality, lottery=placement.lottery)
        if batch.pk not in considered:
            outcome = "closed"
        elif placement.batch_id == batch.pk:
            outcome = "admitted"
        elif batch.pk in cancelled:
            outcome = "cancelled"
        elif placement.choice_rank is not None and choice.rank > placement.choice_rank:
            outcome = "lower"
        else:
            outcome = "full"
        cutoff = cutoffs.get(batch.pk)
        result["choices"].append(
            {
                "rank": choice.rank,
                "batch": batch,
                "outcome": outcome,
                "your_group": policy.describe_key(key),
                "cutoff_group": policy.describe_key(cutoff) if cutoff is not None else None,
                "same_group_as_cutoff": cutoff is not None and int(cutoff) == int(key),
                "waitlist_position": positions.get(batch.pk),
            }
        )
    result["any_cancelled"] = any(c["outcome"] == "cancelled" for c in result["choices"])
    result["group_label"] = policy.group_label(placement.priority_group)
    result["policy_text"] = " ".join(policy.describe())
    return result
