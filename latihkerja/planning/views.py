"""Planning pages: Bappeda generates, reviews, edits, sends and approves a plan; OPD supervisors approve
their themes. Plans are loaded through `PlanRun.objects.for_user` (others: 404, never 403)."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from latihkerja.accounts.decorators import bappeda_required
from latihkerja.accounts.enums import Role
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.errors import BatchError
from latihkerja.batches.models import Batch
from latihkerja.regions.models import Kecamatan

from . import queries
from .enums import EDITABLE_STATUSES, PlanStatus
from .errors import PlanningError
from .explain import display_names, explain_rule
from .forms import AddPlannedBatchForm, ApprovePlanForm, MovePlannedBatchForm, StartPlanForm
from .models import PlannedBatch
from .services import (
    add_planned_batch,
    agencies_of,
    approve_plan,
    approve_plan_for_agency,
    evaluate_current,
    move_planned_batch,
    open_plan_registration,
    remove_planned_batch,
    return_plan,
    send_plan,
    start_plan,
)

PAGE_SIZE = 25


def opd_required(view: Any) -> Any:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request.user, "role", None) != Role.OPD:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@bappeda_required
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest) -> HttpResponse:
    form = StartPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = start_plan(
                period=form.cleaned_data["period"],
                actor=request.user,
                time_limit=form.cleaned_data["time_limit"],
            )
        except PlanningError as error:
            form.add_error(None, error.message)
        else:
            return redirect("planning:review", pk=run.pk)
    page = Paginator(queries.plans_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "planning/runs.html", {"form": form, "page": page})


def _plan(request: HttpRequest, pk: int) -> Any:
    return get_object_or_404(queries.plans_visible_to(request.user), pk=pk)


def _comparison(run: Any, current: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"name": _("Hasil perencana"), **run.result.get("generated", {})},
        {"name": _("Rencana setelah diubah"), **current},
        {"name": _("Sebar rata (pembanding)"), **run.result.get("even_spread", {})},
    ]


@bappeda_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    run = _plan(request, pk)
    context: dict[str, Any] = {
        "run": run,
        "is_working": run.status in (PlanStatus.QUEUED, PlanStatus.RUNNING),
    }
    if run.input and run.status not in (PlanStatus.QUEUED, PlanStatus.RUNNING, PlanStatus.FAILED):
        totals = queries.kecamatan_totals(run)
        kecamatan_pages = Paginator([row["kecamatan"] for row in totals], 1)
        kecamatan_page = kecamatan_pages.get_page(request.GET.get("kecamatan"))
        kecamatan: Kecamatan = kecamatan_page.object_list[0]
        current = evaluate_current(run)
        names = display_names()
        months = run.input.get("months", [])
        editable = run.status in EDITABLE_STATUSES
        planned = list(queries.planned_in(run, kecamatan))
        center_choices = MovePlannedBatchForm.read_center_choices(kecamatan) if editable and planned else []
        for item in planned:
            item.move_form = MovePlannedBatchForm(  # type: ignore[attr-defined]
                months=months,
                initial={"center": item.center.code, "month": item.month},
                prefix=f"m{item.pk}",
                center_choices=center_choices,
            )
        context.update(
            totals=totals,
            kecamatan=kecamatan,
            kecamatan_page=kecamatan_page,
            grid=queries.grid(run, kecamatan),
            planned=planned,
            comparison=_comparison(run, current),
            binding=[explain_rule(entry, names) for entry in run.result.get("binding", [])],
            violations=[explain_rule(entry, names) for entry in current["violations"]],
            editable=editable,
            add_form=AddPlannedBatchForm(months=months, prefix="add") if editable else None,
            approve_form=ApprovePlanForm(),
            agencies=(agencies := queries.agency_progress(run)),
            approve_confirm=_approve_confirm(current, agencies),
            send_confirm=_send_confirm(current),
        )
    context["returns"] = queries.returns_of(run)
    if run.status == PlanStatus.APPROVED:
        context["waiting_to_open"] = Batch.objects.filter(
            planned_as__plan=run, status=BatchStatus.APPROVED
        ).count()
    return render(request, "planning/review.html", context)


def _approve_confirm(current: dict[str, Any], agencies: list[dict[str, Any]]) -> str:
    """What Bappeda is asked before approving: the classes it creates, and what is still wrong or pending."""
    parts = [
        _("Setujui seluruh rencana? %(n)s kelas akan dibuat dan tidak dapat ditarik kembali dari sini.")
        % {"n": current["batches"]}
    ]
    if current["violations"]:
        parts.append(
            _("Rencana ini melanggar %(n)s aturan (lihat daftar merah).") % {"n": len(current["violations"])}
        )
    pending = [row["agency"] for row in agencies if row["approved"] < row["total"]]
    if pending:
        parts.append(_("Belum disetujui OPD: %(agencies)s.") % {"agencies": ", ".join(pending)})
    return " ".join(parts)


def _send_confirm(current: dict[str, Any]) -> str:
    """What Bappeda is asked before sending: the plan freezes, and the OPDs see any broken rule too."""
    parts = [_("Kirim rencana ke OPD? Sesudah dikirim, rencana tidak dapat diubah lagi.")]
    if current["violations"]:
        parts.append(
            _("Rencana ini melanggar %(n)s aturan (lihat daftar merah); perbaiki dulu bila perlu.")
            % {"n": len(current["violations"])}
        )
    return " ".join(parts)


# Answers to an edit of the planned list are shown beside the list (base.html leaves `inline` messages to pages).
EDIT_TAG = "inline plan-edit"


def _back(run: Any, request: HttpRequest) -> HttpResponse:
    page = request.POST.get("kecamatan", "")
    url = redirect("planning:review", pk=run.pk).url
    # Back to the list that was edited, where the edit's answer is shown (not at the top of a long page).
    return redirect((f"{url}?kecamatan={page}" if page.isdigit() else url) + "#plan-edits")


@bappeda_required
@require_POST
def add(request: HttpRequest, pk: int) -> HttpResponse:
    run = _plan(request, pk)
    form = AddPlannedBatchForm(request.POST, months=run.input.get("months", []), prefix="add")
    if not form.is_valid():
        messages.error(
            request, " ".join(str(e) for errors in form.errors.values() for e in errors), extra_tags=EDIT_TAG
        )
        return _back(run, request)
    try:
        add_planned_batch(plan=run, actor=request.user, **form.cleaned_data)
    except PlanningError as error:
        messages.error(request, error.message, extra_tags=EDIT_TAG)
    else:
        messages.success(request, _("Kelas ditambahkan ke rencana."), extra_tags=EDIT_TAG)
    return _back(run, request)


def _planned(request: HttpRequest, run: Any, planned_pk: int) -> PlannedBatch:
    return get_object_or_404(
        PlannedBatch.objects.for_user(request.user).select_related("plan", "center", "theme"),
        pk=planned_pk,
        plan=run,
    )


@bappeda_required
@require_POST
def move(request: HttpRequest, pk: int, planned_pk: int) -> HttpResponse:
    run = _plan(request, pk)
    planned = _planned(request, run, planned_pk)
    form = MovePlannedBatchForm(request.POST, months=run.input.get("months", []), prefix=f"m{planned.pk}")
    if not form.is_valid():
        messages.error(
            request, " ".join(str(e) for errors in form.errors.values() for e in errors), extra_tags=EDIT_TAG
        )
        return _back(run, request)
    try:
        move_planned_batch(planned=planned, actor=request.user, **form.cleaned_data)
    except PlanningError as error:
        messages.error(request, error.message, extra_tags=EDIT_TAG)
    else:
        messages.success(request, _("Kelas dipindahkan."), extra_tags=EDIT_TAG)
    return _back(run, request)


@bappeda_required
@require_POST
def remove(request: HttpRequest, pk: int, planned_pk: int) -> HttpResponse:
    run = _plan(request, pk)
    planned = _planned(request, run, planned_pk)
    try:
        remove_planned_batch(planned=planned, actor=request.user)
    except PlanningError as error:
        messages.error(request, error.message, extra_tags=EDIT_TAG)
    else:
        messages.success(request, _("Kelas dihapus dari rencana."), extra_tags=EDIT_TAG)
    return _back(run, request)


@bappeda_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    run = _plan(request, pk)
    try:
        send_plan(plan=run, actor=request.user)
    except PlanningError as error:
        messages.error(request, error.message)
    else:
        names = ", ".join(agency.short_name for agency in agencies_of(run))
        messages.success(request, _("Rencana dikirim ke OPD untuk disetujui: %(names)s.") % {"names": names})
    return redirect("planning:review", pk=run.pk)


@bappeda_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    run = _plan(request, pk)
    form = ApprovePlanForm(request.POST)
    form.is_valid()
    try:
        run = approve_plan(
            plan=run, actor=request.user, open_registration=bool(form.cleaned_data.get("open_registration"))
        )
    except PlanningError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Rencana disetujui; %(n)s kelas dibuat.") % {"n": run.planned.count()})
    return redirect("planning:review", pk=run.pk)


@bappeda_required
@require_POST
def open_registration(request: HttpRequest, pk: int) -> HttpResponse:
    run = _plan(request, pk)
    try:
        opened = open_plan_registration(plan=run, actor=request.user)
    except (PlanningError, BatchError) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Pendaftaran dibuka untuk %(n)s kelas.") % {"n": opened})
    return redirect("planning:review", pk=run.pk)


@opd_required
def opd(request: HttpRequest) -> HttpResponse:
    """Sent plans naming the supervisor's themes, with their agency's planned batches."""
    user: Any = request.user
    plans = []
    for run in queries.plans_visible_to(user):
        mine = PlannedBatch.objects.for_user(user).filter(plan=run).select_related("center", "theme")
        # Two classes of one theme at one centre in one month are one row with their count: listed apart they
        # looked like a mistake nothing told apart.
        rows: dict[tuple[int, int, str], dict[str, Any]] = {}
        for planned in mine:
            row = rows.setdefault(
                (planned.center_id, planned.theme_id, planned.month),
                {
                    "center": planned.center,
                    "theme": planned.theme,
                    "month": planned.month,
                    "count": 0,
                    "approved_at": planned.approved_by_opd_at,
                },
            )
            row["count"] += 1
        plans.append(
            {
                "run": run,
                "planned": list(rows.values()),
                "classes": sum(row["count"] for row in rows.values()),
                "waiting": run.status == PlanStatus.SENT
                and mine.filter(approved_by_opd_at__isnull=True).exists(),
            }
        )
    return render(
        request,
        "planning/opd.html",
        {"plans": plans, "returned": queries.returned_by_agency(user), "agency": user.agency},
    )


@opd_required
@require_POST
def opd_approve(request: HttpRequest, pk: int) -> HttpResponse:
    run = _plan(request, pk)
    try:
        approve_plan_for_agency(plan=run, actor=request.user)
    except PlanningError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Kelas tema OPD Anda dalam rencana ini disetujui."))
    return redirect("planning:opd")


@opd_required
@require_POST
def opd_return(request: HttpRequest, pk: int) -> HttpResponse:
    run = _plan(request, pk)
    try:
        return_plan(plan=run, actor=request.user, reason=str(request.POST.get("reason", "")))
    except PlanningError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Rencana dikembalikan ke Bappeda dengan catatan Anda."))
    return redirect("planning:opd")
