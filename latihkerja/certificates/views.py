"""Certificate pages: public verification (no login), the resident's own certificates, staff pages per batch
(issue, export, revoke) and the PDF download.

Staff objects are loaded through `for_user` (out of scope → 404), then the action is asked of `rules.py`
(not allowed → 404 as well, so nothing is revealed). The public pages show only `queries.PUBLIC_FIELDS`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from latihkerja.accounts.enums import Role
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import Batch

from .errors import CertificateError
from .forms import RevokeForm, VerifyForm
from .models import Certificate
from .numbers import normalize_number
from .queries import batches_with_certificates, certificate_visible_to, certificates_of, public_certificate
from .rules import can_export_batch, can_issue_for_batch, can_revoke, is_staff_role
from .services import export_batch, issue_for_batch, open_pdf, revoke
from .throttle import over_verify_limit

PAGE_SIZE = 25


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "certificates/verify_form.html",
        {
            "form": VerifyForm(),
            "limit_message": _("Terlalu banyak pemeriksaan dari alamat ini. Coba lagi satu menit lagi."),
        },
        status=429,
    )
    response["Retry-After"] = "60"
    return response


@never_cache
@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """Enter a number; a valid one goes to its verification page."""
    if "nomor" not in request.GET:
        return render(request, "certificates/verify_form.html", {"form": VerifyForm()})
    if over_verify_limit(request):
        return _too_many(request)
    form = VerifyForm(request.GET)
    if form.is_valid():
        return redirect("certificates:verify", number=form.cleaned_data["nomor"])
    return render(request, "certificates/verify_form.html", {"form": form})


@never_cache
@require_GET
def verify(request: HttpRequest, number: str) -> HttpResponse:
    """Public: whether the certificate with this number is valid, with the holder's name, theme and dates."""
    if over_verify_limit(request):
        return _too_many(request)
    normalized = normalize_number(number)
    if normalized is not None and normalized != number:
        return redirect("certificates:verify", number=normalized)
    certificate = public_certificate(number) if normalized else None
    if certificate is None:
        message = CertificateError.NOT_FOUND if normalized else CertificateError.NUMBER_INVALID
        return render(
            request,
            "certificates/verify_unknown.html",
            # The number as typed stays in the field, to mend a typo instead of typing it all again.
            {"message": message, "number": number[:40], "form": VerifyForm(initial={"nomor": number[:40]})},
            status=404,
        )
    response = render(request, "certificates/verify.html", {"certificate": certificate})
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The resident's own certificates, each with its PDF once the worker has made it."""
    if getattr(request.user, "role", None) != Role.RESIDENT:
        raise Http404
    certificates = list(certificates_of(request.user))
    return render(request, "certificates/mine.html", {"certificates": certificates})


@login_required
def download(request: HttpRequest, number: str) -> HttpResponseBase:
    """The PDF, for its holder and for staff who see the certificate; refused (410) once revoked."""
    certificate = certificate_visible_to(request.user, number)
    if certificate is None:
        raise Http404
    try:
        handle = open_pdf(certificate=certificate, actor=request.user)
    except CertificateError as error:
        status = 410 if certificate.is_revoked else 409
        return render(
            request,
            "certificates/unavailable.html",
            {"message": error.message, "certificate": certificate},
            status=status,
        )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"sertifikat-{certificate.number}.pdf",
        content_type="application/pdf",
    )


def _staff(request: HttpRequest) -> None:
    if not is_staff_role.test(request.user):
        raise Http404


def _batch(request: HttpRequest, batch_id: int) -> Batch:
    _staff(request)
    return get_object_or_404(
        Batch.objects.for_user(request.user).select_related("theme__agency", "center", "period"), pk=batch_id
    )


@login_required
def batch_index(request: HttpRequest) -> HttpResponse:
    """Completed batches in the user's scope with their certificate counts."""
    _staff(request)
    page = Paginator(batches_with_certificates(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certificates/batch_index.html", {"page": page})


@login_required
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch(request, batch_id)
    certificates = (
        Certificate.objects.for_user(request.user).filter(batch=batch).order_by("holder_name", "pk")
    )
    page = Paginator(certificates, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/batch.html",
        {
            "batch": batch,
            "page": page,
            "may_issue": batch.status == BatchStatus.COMPLETED
            and can_issue_for_batch.test(request.user, batch),
            "may_export": can_export_batch.test(request.user, batch) and page.paginator.count > 0,
            "may_revoke": page.paginator.count > 0 and can_revoke.test(request.user, page.object_list[0]),
        },
    )


@login_required
@require_POST
def batch_issue(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch(request, batch_id)
    if not can_issue_for_batch.test(request.user, batch):
        raise Http404
    try:
        count = issue_for_batch(batch=batch, actor=request.user)
    except CertificateError as error:
        messages.error(request, error.message)
    else:
        if count:
            messages.success(
                request,
                _("%(count)s sertifikat diterbitkan. Berkas PDF dibuat di latar belakang.")
                % {"count": count},
            )
        else:
            messages.info(
                request, _("Tidak ada sertifikat baru: semua lulusan kelas ini sudah bersertifikat.")
            )
    return redirect("certificates:batch", batch_id=batch.pk)


@login_required
@require_GET
def batch_export(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch(request, batch_id)
    if not can_export_batch.test(request.user, batch):
        raise Http404
    content = export_batch(batch=batch, actor=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{batch.code}.zip"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def revoke_view(request: HttpRequest, number: str) -> HttpResponse:
    certificate = certificate_visible_to(request.user, number)
    if certificate is None or not can_revoke.test(request.user, certificate):
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not certificate.is_revoked:
        try:
            revoke(certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"])
        except CertificateError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, _("Sertifikat %(number)s dicabut.") % {"number": certificate.number})
            return redirect("certificates:batch", batch_id=certificate.batch_id)
    context: dict[str, Any] = {"certificate": certificate, "form": form}
    return render(request, "certificates/revoke.html", context)
