"""Sign-in and each role's start page. Every list here is loaded through a `for_user` scope."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from latihkerja.allocation.queries import resident_allocation
from latihkerja.batches.enums import TRANSITIONS, BatchStatus
from latihkerja.batches.errors import BatchError
from latihkerja.batches.forms import BatchStatusForm
from latihkerja.batches.models import Batch
from latihkerja.batches.queries import batches_visible_to, matching, search_text
from latihkerja.batches.rules import can_transition
from latihkerja.batches.services import SET_BY_TRAINING, change_batch_status
from latihkerja.centers.models import Center
from latihkerja.demand.forms import DemandForm
from latihkerja.demand.models import Company, SkillDemand, Vacancy
from latihkerja.programs.queries import programme_figures
from latihkerja.registration.enums import ApplicationStatus
from latihkerja.registration.models import ApplicationChoice
from latihkerja.registration.queries import application_of, registration_period
from latihkerja.residents.models import Resident
from latihkerja.training.enums import SessionStatus
from latihkerja.training.models import TrainingSession
from latihkerja.training.queries import flagged_sessions, participant_sessions

from .enums import Role

PAGE_SIZE = 25


def _batch_page(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    batches = batches_visible_to(user)
    status = request.GET.get("status", "")
    if status in BatchStatus.values:
        batches = batches.filter(status=status)
    else:
        status = ""
    search = search_text(request)
    batches = matching(batches, search)
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    # Closing waits for every session to be held or cancelled; a class with sessions to come is not offered it.
    pending = set(
        TrainingSession.objects.filter(
            batch__in=[b.pk for b in page if b.status == BatchStatus.RUNNING],
            status__in=(SessionStatus.SCHEDULED, SessionStatus.STARTED),
        ).values_list("batch_id", flat=True)
    )
    # How many applied to each open class (any rank, and as first choice): counts only, no names; an operator
    # sees the demand for their classes before the seats are allocated.
    applied = {
        row["batch_id"]: row
        for row in ApplicationChoice.objects.filter(
            batch__in=[b.pk for b in page if b.status == BatchStatus.OPEN],
            application__status=ApplicationStatus.SUBMITTED,
        )
        .values("batch_id")
        .annotate(any=Count("pk"), first=Count("pk", filter=Q(rank=1)))
        .order_by()
    }
    for batch in page:
        batch.applied = applied.get(batch.pk)  # type: ignore[attr-defined]
        batch.actions = [  # type: ignore[attr-defined]
            BatchStatus(target)
            # The same order on every row, cancelling last, so a thumb does not find it where a step was.
            for target in sorted(TRANSITIONS[batch.status], key=lambda t: (t == BatchStatus.CANCELLED, t))
            if target not in SET_BY_TRAINING
            and can_transition(user, batch, target)
            and not (target == BatchStatus.ALLOCATED and batch.period.registration_is_open(now))
        ]
        # A running batch is completed by closing it on its delivery page, where the outcomes are decided.
        batch.may_close = (  # type: ignore[attr-defined]
            batch.status == BatchStatus.RUNNING
            and batch.pk not in pending
            and can_transition(user, batch, BatchStatus.COMPLETED)
        )
    counts = {
        row["status"]: row["n"]
        # The tabs count what the search found, so each tab's number is what it will list.
        for row in matching(Batch.objects.for_user(user), search)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    }
    return {
        "page": page,
        "status": status,
        "search": search,
        "search_query": urlencode({"q": search}) if search else "",
        "query": urlencode({key: value for key, value in (("status", status), ("q", search)) if value}),
        "statuses": [(s, counts.get(s.value, 0)) for s in BatchStatus],
    }


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Each role lands on the page for its own work and sees only its own objects."""
    user: Any = request.user
    role = Role.BAPPEDA if user.is_superuser else user.role
    context: dict[str, Any] = {"role": role}
    if role in (Role.BAPPEDA, Role.OPD, Role.OPERATOR, Role.INSTRUCTOR):
        context.update(_batch_page(request))
    if role == Role.BAPPEDA:
        context["figures"] = programme_figures()
    elif role == Role.OPD:
        context["agency"] = user.agency
        context["flagged_sessions"] = flagged_sessions(user).count()
    elif role == Role.OPERATOR:
        context["center"] = get_object_or_404(Center.objects.for_user(user).prefetch_related("rooms"))
    elif role == Role.EMPLOYER:
        company = get_object_or_404(Company.objects.for_user(user).select_related("kecamatan"))
        context["company"] = company
        context["demands"] = SkillDemand.objects.for_user(user).select_related("theme", "kecamatan")
        context["vacancies"] = Vacancy.objects.for_user(user).select_related("theme", "kecamatan")
        context["form"] = DemandForm(initial={"kecamatan": company.kecamatan_id})
        context["may_declare"] = True  # their own company
        context["on_start_page"] = True
    elif role == Role.RESIDENT:
        resident = Resident.objects.for_user(user).select_related("kelurahan__kecamatan").first()
        period = registration_period()
        application = application_of(resident, period) if resident and period else None
        context.update(
            resident=resident,
            period=period,
            application=application,
            # A class chosen and then cancelled gets no seat: the page says so while the choice can be changed.
            cancelled_choice=bool(
                application
                and any(c.batch.status == BatchStatus.CANCELLED for c in application.choices.all())
            ),
            registration_open=bool(period and period.registration_is_open(timezone.now())),
            allocation=resident_allocation(resident, period),
            has_schedule=bool(resident and participant_sessions(resident).exists()),
        )
    return render(request, f"accounts/start_{role}.html", context)


@login_required
@require_POST
def change_status(request: HttpRequest, code: str) -> HttpResponse:
    batch = get_object_or_404(Batch.objects.for_user(request.user).select_related("theme"), code=code)
    form = BatchStatusForm(request.POST)
    if not form.is_valid():
        if "reason" in form.errors:  # the reason typed too long: say so, not "pick a status"
            messages.error(request, " ".join(str(e) for e in form.errors["reason"]))
        else:
            messages.error(request, _("Permintaan tidak valid: pilih status yang tersedia."))
        return redirect("accounts:start")
    try:
        change_batch_status(
            batch=batch, to=form.cleaned_data["to"], actor=request.user, reason=form.cleaned_data["reason"]
        )
    except BatchError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Status kelas %(code)s sekarang “%(status)s”.")
            % {"code": batch.code, "status": BatchStatus(batch.status).label},
        )
    return redirect("accounts:start")
