"""Allocation pages: Bappeda runs, reviews and publishes; a resident answers their offer and reads why.

Bappeda pages load runs through `queries.runs_visible_to` (empty for everybody else), so any other role gets
a 404, never a 403. A resident's offer is loaded through `queries.offers_of(user)`: another person's offer
is a 404 too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from latihkerja.accounts.decorators import bappeda_required
from latihkerja.batches.models import SEAT_HOLDING_STATUSES, Enrollment, EnrollmentStatus
from latihkerja.common.errors import DomainError
from latihkerja.programs.models import Period
from latihkerja.registration.queries import registration_period, resident_of

from . import queries
from .enums import PUBLISHABLE_MECHANISMS, RunStatus
from .errors import AllocationError
from .forms import StartRunForm, suggested_seed
from .services import accept_offer, decline_offer, request_publication, start_run, withdraw_seat

PAGE_SIZE = 50


@bappeda_required
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest) -> HttpResponse:
    period = registration_period()
    form = StartRunForm(
        request.POST or None, initial={"period": period.pk if period else None, "seed": suggested_seed()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            run = start_run(
                period=form.cleaned_data["period"],
                mechanism=form.cleaned_data["mechanism"],
                seed=form.cleaned_data["seed"],
                actor=request.user,
            )
        except AllocationError as error:
            form.add_error(None, error.message)
        else:
            return redirect("allocation:review", pk=run.pk)
    page = Paginator(queries.runs_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "allocation/runs.html", {"form": form, "page": page})


@bappeda_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(queries.runs_visible_to(request.user), pk=pk)
    context: dict[str, Any] = {
        "run": run,
        "is_working": run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
        "is_publishing": run.status == RunStatus.PUBLISHING,
        "registration_open": timezone.now() < run.period.registration_closes_at,
        "is_publishable_mechanism": run.mechanism in PUBLISHABLE_MECHANISMS,
        "policy": queries.policy_summary(run),
    }
    if run.status in (RunStatus.DONE, RunStatus.PUBLISHING, RunStatus.PUBLISHED):
        cancelled = set(run.metrics.get("cancelled", []))
        page = Paginator(queries.batch_fill(run), PAGE_SIZE).get_page(request.GET.get("page"))
        for batch in page:
            batch.was_cancelled = batch.code in cancelled  # type: ignore[attr-defined]
        context.update(
            page=page,
            engine=run.metrics.get("engine", {}),
            cancelled=run.metrics.get("cancelled", []),
            choice_ranks=queries.choice_ranks(run),
            by_kecamatan=queries.by_kecamatan(run),
            by_group=queries.by_priority_group(run),
            comparison=queries.comparison(run),
        )
    return render(request, "allocation/review.html", context)


@bappeda_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(queries.runs_visible_to(request.user), pk=pk)
    try:
        request_publication(run=run, actor=request.user, site_url=request.build_absolute_uri("/"))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Hasil alokasi sedang diumumkan: status kelas, tawaran kursi dan SMS disiapkan di latar belakang."
            ),
        )
    return redirect("allocation:review", pk=run.pk)


def _offer(request: HttpRequest, pk: int) -> Any:
    return get_object_or_404(queries.offers_of(request.user), pk=pk)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _offer(request, pk)
    done = _("Terima kasih, kursi Anda sudah tercatat. Sampai jumpa di kelas!")
    try:
        accept_offer(enrollment=enrollment, actor=request.user)
    except AllocationError as error:
        _refused_unless_done(request, error, enrollment, EnrollmentStatus.ACTIVE, done)
    else:
        messages.success(request, done)
    return redirect("accounts:start")


def _refused_unless_done(
    request: HttpRequest, error: AllocationError, enrollment: Enrollment, outcome: str, done: str
) -> None:
    """The refusal, unless the seat already is what was asked: a retry after an answer lost on a bad connection
    (the first request did the work) hears that it worked, not a red 'already answered'."""
    enrollment.refresh_from_db(fields=["status"])
    if enrollment.status == outcome:
        messages.success(request, done)
    else:
        messages.error(request, error.message)


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _offer(request, pk)
    done = _("Anda menolak tawaran ini. Kursinya ditawarkan kepada warga berikutnya di daftar tunggu.")
    try:
        decline_offer(enrollment=enrollment, actor=request.user, site_url=request.build_absolute_uri("/"))
    except AllocationError as error:
        _refused_unless_done(request, error, enrollment, EnrollmentStatus.DECLINED, done)
    else:
        messages.success(request, done)
    return redirect("accounts:start")


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant gives up their accepted seat (a confirmation step is on the page that posts here)."""
    enrollment = _offer(request, pk)
    done = _("Anda sudah mengundurkan diri. Kursinya diberikan kepada warga berikutnya.")
    try:
        withdraw_seat(
            enrollment=enrollment,
            actor=request.user,
            reason=request.POST.get("reason", "")[:300],
            site_url=request.build_absolute_uri("/"),
        )
    except AllocationError as error:
        _refused_unless_done(request, error, enrollment, EnrollmentStatus.WITHDRAWN, done)
    else:
        messages.success(request, done)
    return redirect("accounts:start")


@login_required
def my_result(request: HttpRequest) -> HttpResponse:
    """ "Why this result?" for the signed-in resident (404 for anyone without a resident profile)."""
    resident = resident_of(request.user)
    if resident is None:
        raise Http404
    period = _period_of(request)
    explanation = queries.explain(resident, period) if period else None
    # A seat held without an allocation (first come after it, or placed by the centre) is said as such.
    seat = (
        resident.enrollments.filter(period=period, status__in=SEAT_HOLDING_STATUSES)
        .select_related("batch__theme", "batch__center")
        .first()
        if period
        else None
    )
    return render(
        request,
        "allocation/my_result.html",
        {"period": period, "explanation": explanation, "resident": resident, "seat": seat},
    )


def _period_of(request: HttpRequest) -> Period | None:
    return registration_period()
