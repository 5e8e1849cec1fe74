"""Employer pages (sign-up, demand, vacancies), Disnaker's verification queue and the demand import.

Companies are loaded through `Company.objects.for_user` (an employer: their own only), so another company is
a 404, never a 403; acting on a visible company is then asked of `rules.can_declare_for_company`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from latihkerja.accounts.enums import Role
from latihkerja.audit.models import AuditEvent
from latihkerja.catalog.models import Theme
from latihkerja.common import throttle
from latihkerja.common.spreadsheets import safe_cell
from latihkerja.regions.models import Kecamatan
from latihkerja.registration.imports import error_report_rows

from .errors import DemandError
from .forms import CompanyProfileForm, DemandForm, DemandImportForm, EmployerSignupForm, VacancyForm
from .imports import COLUMNS, DemandImportError, commit_import, create_import, may_import
from .models import Company, DemandImport, DemandImportStatus, SkillDemand, Vacancy
from .rules import can_declare_for_company, can_verify_company
from .services import (
    VACANCY_FIELDS,
    declare_demand,
    decline_company,
    editable_fields,
    post_vacancy,
    register_employer,
    update_company_profile,
    update_vacancy,
    verify_company,
    withdraw_demand,
    withdraw_vacancy,
)

PAGE_SIZE = 25


def _company(request: HttpRequest, pk: int, *, acting: bool = False) -> Company:
    company = get_object_or_404(Company.objects.for_user(request.user).select_related("kecamatan"), pk=pk)
    if acting and not can_declare_for_company.test(request.user, company):
        raise Http404
    return company


# Sign-up attempts per address per hour. Each answer says whether a username or an NIB is taken, and each
# account may upload files: an office's few employers fit well within it, a script does not.
SIGNUPS_PER_HOUR = 10


def _signup_limit_reached(request: HttpRequest) -> bool:
    key = throttle.address_key("demand:signup", request, period=3600)
    return throttle.count(key, window=3600) > SIGNUPS_PER_HOUR


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """An employer creates their account and company; Disnaker verifies it before its demand counts."""
    if request.user.is_authenticated:
        return redirect("accounts:start")
    form = EmployerSignupForm(request.POST or None)
    # Counted only once the form is complete: a typo costs nothing, a look-up of a username or an NIB does.
    if request.method == "POST" and form.is_valid() and _signup_limit_reached(request):
        form.add_error(None, DemandError.SIGNUPS_FROM_HERE)
    elif request.method == "POST" and form.is_valid():
        try:
            user = register_employer(**form.cleaned_data)
        except DemandError as error:
            field = "nib" if error.template is DemandError.NIB_TAKEN else "username"
            form.add_error(field, error.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _(
                    "Akun perusahaan dibuat. Disnaker akan memverifikasi perusahaan Anda sebelum kebutuhannya dihitung."
                ),
            )
            return redirect("accounts:start")
    return render(request, "demand/signup.html", {"form": form})


@login_required
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = _company(request, pk)
    return render(
        request,
        "demand/company.html",
        {
            "company": company,
            "demands": company.demands.select_related("theme", "kecamatan"),
            "vacancies": company.vacancies.select_related("theme", "kecamatan"),
            "may_declare": can_declare_for_company.test(request.user, company),
            "may_verify": can_verify_company.test(request.user) and company.verified_at is None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def company_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company = _company(request, pk, acting=True)
    form = CompanyProfileForm(
        request.POST or None,
        initial={f: getattr(company, f) for f in editable_fields(company)},
        verified=company.verified_at is not None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_company_profile(company=company, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                for message in messages_:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Profil perusahaan diperbarui."))
            return redirect("accounts:start")
    return render(request, "demand/company_edit.html", {"form": form, "company": company})


@login_required
@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    company = _company(request, pk, acting=True)
    form = DemandForm(request.POST or None, initial={"kecamatan": company.kecamatan_id})
    if request.method == "POST" and form.is_valid():
        try:
            declare_demand(company=company, actor=request.user, **form.cleaned_data)
        except DemandError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Kebutuhan keterampilan tercatat."))
            return redirect("demand:company", pk=company.pk)
    return render(request, "demand/declare.html", {"form": form, "company": company})


@login_required
@require_http_methods(["GET", "POST"])
def vacancy_new(request: HttpRequest, pk: int) -> HttpResponse:
    company = _company(request, pk, acting=True)
    form = VacancyForm(request.POST or None, initial={"kecamatan": company.kecamatan_id})
    if request.method == "POST" and form.is_valid():
        try:
            post_vacancy(company=company, actor=request.user, **form.cleaned_data)
        except DemandError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Lowongan dipasang."))
            return redirect("demand:company", pk=company.pk)
    return render(request, "demand/vacancy.html", {"form": form, "company": company})


@login_required
@require_http_methods(["GET", "POST"])
def vacancy_edit(request: HttpRequest, pk: int, vacancy_pk: int) -> HttpResponse:
    company = _company(request, pk, acting=True)
    vacancy = Vacancy.objects.filter(company=company, pk=vacancy_pk).first()
    if vacancy is None:  # withdrawn meanwhile, e.g. from another tab
        _withdrawn_or_404(company, "vacancy.withdrawn", "vacancy", vacancy_pk)
        messages.info(request, _("Lowongan ini sudah ditarik."))
        return redirect("accounts:start")
    initial = {name: getattr(vacancy, name) for name in VACANCY_FIELDS}
    form = VacancyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_vacancy(vacancy=vacancy, actor=request.user, **form.cleaned_data)
        except DemandError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Lowongan %(title)s diperbarui.") % {"title": vacancy.title})
            if request.GET.get("next") == "start":
                return redirect("accounts:start")
            return redirect("demand:company", pk=company.pk)
    return render(request, "demand/vacancy.html", {"form": form, "company": company, "vacancy": vacancy})


@login_required
@require_POST
def demand_withdraw(request: HttpRequest, pk: int, demand_pk: int) -> HttpResponse:
    company = _company(request, pk, acting=True)
    demand = SkillDemand.objects.filter(company=company, pk=demand_pk).select_related("theme").first()
    if demand is None:  # withdrawn meanwhile, e.g. from another tab
        _withdrawn_or_404(company, "demand.withdrawn", "demand", demand_pk)
        messages.info(request, _("Kebutuhan ini sudah ditarik."))
        return _back_to(request, company)
    try:
        withdraw_demand(demand=demand, actor=request.user)
    except DemandError as error:
        messages.error(request, error.message)
    else:
        what = demand.theme.display_name if demand.theme else demand.occupation_code
        messages.success(request, _("Kebutuhan %(what)s ditarik.") % {"what": what})
    return _back_to(request, company)


def _withdrawn_or_404(company: Company, action: str, key: str, pk: int) -> None:
    """A need or vacancy missing from `company`: if the company withdrew it (its audit trail says so), the
    caller says so; any other id (another company's, or none) is a 404, never "already withdrawn"."""
    if not AuditEvent.objects.about(company).filter(action=action, **{f"detail__{key}": pk}).exists():
        raise Http404


def _back_to(request: HttpRequest, company: Company) -> HttpResponse:
    """Back where the withdrawal was asked: the employer's start page lists the same needs and vacancies."""
    if request.POST.get("next") == "start":
        return redirect("accounts:start")
    return redirect("demand:company", pk=company.pk)


@login_required
@require_POST
def vacancy_withdraw(request: HttpRequest, pk: int, vacancy_pk: int) -> HttpResponse:
    company = _company(request, pk, acting=True)
    vacancy = Vacancy.objects.filter(company=company, pk=vacancy_pk).first()
    if vacancy is None:  # withdrawn meanwhile, e.g. from another tab
        _withdrawn_or_404(company, "vacancy.withdrawn", "vacancy", vacancy_pk)
        messages.info(request, _("Lowongan ini sudah ditarik."))
        return _back_to(request, company)
    try:
        withdraw_vacancy(vacancy=vacancy, actor=request.user)
    except DemandError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Lowongan %(title)s ditarik.") % {"title": vacancy.title})
    return _back_to(request, company)


def verifier_required(view: Any) -> Any:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_verify_company.test(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@verifier_required
def unverified(request: HttpRequest) -> HttpResponse:
    """Companies waiting for verification, oldest first."""
    companies = (
        Company.objects.for_user(request.user)
        .filter(verified_at__isnull=True, declined_at__isnull=True)
        .select_related("kecamatan")
        .order_by("created_at", "pk")
    )
    page = Paginator(companies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "demand/unverified.html", {"page": page})


@verifier_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    company = _company(request, pk)
    try:
        verify_company(company=company, actor=request.user)
    except DemandError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s terverifikasi; kebutuhannya kini dihitung dalam perencanaan.")
            % {"name": company.name},
        )
    return redirect("demand:unverified")


@verifier_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    company = _company(request, pk)
    try:
        decline_company(company=company, actor=request.user, reason=str(request.POST.get("reason", "")))
    except DemandError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Verifikasi %(name)s ditolak; perusahaan membaca alasannya dan dapat memperbaiki datanya.")
            % {"name": company.name},
        )
    return redirect("demand:unverified")


def importer_required(view: Any) -> Any:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_import(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@importer_required
@require_http_methods(["GET", "POST"])
def import_index(request: HttpRequest) -> HttpResponse:
    form = DemandImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            demand_import = create_import(uploaded_by=request.user, upload=form.cleaned_data["file"])
        except DemandImportError as error:
            form.add_error("file", error.message)
        else:
            return redirect("demand:import", pk=demand_import.pk)
    imports = DemandImport.objects.for_user(request.user).defer("content")
    page = Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "demand/import_index.html", {"form": form, "page": page})


# An occupation without a catalogue theme, for the example's second row: welders (ISCO-08 7212).
EXAMPLE_OCCUPATION = "7212"
EXAMPLE_LEAD_DAYS = 90


@importer_required
def import_example(request: HttpRequest) -> HttpResponse:
    """An example file that imports as it is for whoever downloads it: two needs of their company (an employer)
    or of the first verified company (Disnaker, Bappeda), one by theme and one by occupation code, needed three
    months from today. The .xlsx adds the lists to pick from: every theme's code with its names and OPD, and
    every kecamatan; the import reads the first sheet only."""
    user: Any = request.user
    if user.role == Role.EMPLOYER:
        company = Company.objects.filter(pk=user.company_id).select_related("kecamatan").first()
    else:
        company = (
            Company.objects.filter(verified_at__isnull=False)
            .select_related("kecamatan")
            .order_by("name")
            .first()
        )
    nib = company.nib if company else "1234567890123"
    kecamatan = (
        company.kecamatan.name
        if company
        else Kecamatan.objects.order_by("code").values_list("name", flat=True).first() or ""
    )
    themes = list(Theme.objects.select_related("agency").order_by("code"))
    when = (timezone.localdate() + dt.timedelta(days=EXAMPLE_LEAD_DAYS)).strftime("%d/%m/%Y")
    rows = [
        list(COLUMNS),
        [
            nib,
            themes[0].code if themes else "",
            "",
            "10",
            when,
            kecamatan,
            _("Lulusan SMA/SMK, siap kerja shift"),
        ],
        [nib, "", EXAMPLE_OCCUPATION, "5", when, kecamatan, _("Sertifikat las dasar diutamakan")],
    ]
    if request.GET.get("format") == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "kebutuhan"
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
        for line in range(1, 1001):
            sheet.cell(row=line, column=1).number_format = "@"  # the NIB's 13 digits stay as typed
        sheet.column_dimensions["A"].width = 18
        reference = workbook.create_sheet("tema")
        reference.append([_("kode"), _("nama"), _("nama (Inggris)"), "OPD"])
        for theme in themes:
            reference.append(
                [safe_cell(v) for v in (theme.code, theme.name, theme.name_en, theme.agency.code)]
            )
        places = workbook.create_sheet("kecamatan")
        places.append([_("kode"), _("nama")])
        for code, name in Kecamatan.objects.order_by("code").values_list("code", "name"):
            places.append([code, safe_cell(name)])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="contoh-impor-kebutuhan.xlsx"'
        return response
    text = io.StringIO()
    csv.writer(text).writerows([[safe_cell(value) for value in row] for row in rows])
    response = HttpResponse(text.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contoh-impor-kebutuhan.csv"'
    return response


def _import(request: HttpRequest, pk: int) -> DemandImport:
    return get_object_or_404(DemandImport.objects.for_user(request.user).defer("content"), pk=pk)


@importer_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    demand_import = _import(request, pk)
    return render(
        request,
        "demand/import_detail.html",
        {
            "imp": demand_import,
            "is_valid": demand_import.status == DemandImportStatus.VALID,
            "in_progress": demand_import.status == DemandImportStatus.UPLOADED,
        },
    )


@importer_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    demand_import = _import(request, pk)
    try:
        demand_import = commit_import(demand_import=demand_import, actor=request.user)
    except DemandImportError as error:
        messages.error(request, error.message)
    else:
        if demand_import.status == DemandImportStatus.COMMITTED:
            messages.success(
                request, _("Semua %(rows)s baris kebutuhan tersimpan.") % {"rows": demand_import.row_count}
            )
        else:
            messages.error(request, _("Tidak ada yang disimpan: data berubah sejak berkas diperiksa."))
    return redirect("demand:import", pk=demand_import.pk)


@importer_required
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    demand_import = _import(request, pk)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    with translation.override(demand_import.language):  # the titles in the messages' language
        csv.writer(buffer).writerows(error_report_rows(demand_import.errors, with_name=False))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="kesalahan-impor-kebutuhan-{demand_import.pk}.csv"'
    )
    return response
