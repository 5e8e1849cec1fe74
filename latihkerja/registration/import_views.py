"""Staff pages of the bulk import: upload, preview with the error report, commit.

Only operators (their own centre's imports) and Bappeda (all) see these pages; everyone else gets a 404, and
an import outside the viewer's scope is a 404 too (loaded through `RegistrationImport.objects.for_user`).
"""

from __future__ import annotations

from functools import wraps
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from latihkerja.accounts.enums import Role
from latihkerja.audit.services import record_event
from latihkerja.common.forms import style_fields
from latihkerja.programs.models import Period

from .errors import RegistrationError
from .imports import (
    EXTENSIONS,
    MAX_FILE_BYTES,
    RegistrationImportError,
    create_import,
    discard_import,
    error_report_csv,
    request_commit,
    thousands,
)
from .models import ImportStatus, RegistrationImport

PAGE_SIZE = 25
ERRORS_PER_PAGE = 50
EXAMPLE_FILE = Path(__file__).resolve().parent / "data" / "template_import.csv"
IN_PROGRESS = (ImportStatus.UPLOADED, ImportStatus.VALIDATING, ImportStatus.COMMITTING)


def importer_required(view: Any) -> Any:
    """Signed in (else the login page) and an operator or Bappeda (else 404: the pages do not exist for them)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not (user.is_superuser or user.role in (Role.OPERATOR, Role.BAPPEDA)):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _open_periods() -> Any:
    now = timezone.now()
    return Period.objects.filter(registration_opens_at__lte=now, registration_closes_at__gt=now).order_by(
        "registration_closes_at"
    )


class ImportUploadForm(forms.Form):
    period = forms.ModelChoiceField(
        label=gettext_lazy("Periode"),
        queryset=Period.objects.none(),
        to_field_name="code",
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Pilih periode yang sedang menerima pendaftaran.")},
    )
    file = forms.FileField(
        label=gettext_lazy("Berkas pendaftar (.xlsx atau .csv)"),
        help_text=gettext_lazy("Paling besar 50 MB dan 200.000 baris. Baris pertama berisi judul kolom."),
        error_messages={
            "required": gettext_lazy("Pilih berkas yang akan diimpor."),
            "empty": gettext_lazy("Berkas kosong."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        periods = self.fields["period"]
        assert isinstance(periods, forms.ModelChoiceField)
        periods.queryset = _open_periods()
        style_fields(self)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(RegistrationImportError.WRONG_TYPE)
        if upload.size > MAX_FILE_BYTES:
            size = f"{upload.size / (1024 * 1024):.1f}".replace(".", ",")
            raise forms.ValidationError(RegistrationImportError.TOO_BIG, params={"size": size})
        return upload


@importer_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """The upload form and the imports the viewer may see, newest first."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration_import = create_import(
                period=form.cleaned_data["period"], uploaded_by=request.user, upload=form.cleaned_data["file"]
            )
        except (RegistrationImportError, RegistrationError) as error:
            form.add_error("file", error.message)
        else:
            return redirect("imports:detail", pk=registration_import.pk)
    imports = RegistrationImport.objects.for_user(request.user).select_related(
        "period", "center", "uploaded_by"
    )
    # "Which imports failed?": one status at a time, with how many each has.
    counts = dict(imports.values_list("status").annotate(n=Count("pk")).order_by())
    status = request.GET.get("status", "")
    if status in ImportStatus.values:
        imports = imports.filter(status=status)
    else:
        status = ""
    page = Paginator(imports.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    user: Any = request.user
    return render(
        request,
        "imports/index.html",
        {
            "form": form,
            "page": page,
            "status": status,
            "statuses": [(s, counts[s.value]) for s in ImportStatus if counts.get(s.value)],
            "query": f"status={status}" if status else "",
            "center": user.center if user.role == Role.OPERATOR else None,
            "has_open_period": _open_periods().exists(),
        },
    )


def _load(request: HttpRequest, pk: int) -> RegistrationImport:
    return get_object_or_404(
        RegistrationImport.objects.for_user(request.user).select_related("period", "center", "uploaded_by"),
        pk=pk,
    )


@importer_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview: status (refreshing itself while work runs), counts, the error table, the commit button."""
    registration_import = _load(request, pk)
    problems = registration_import.errors or []
    file_problems = [p for p in problems if p.get("row") is None]
    row_problems = [p for p in problems if p.get("row") is not None]
    page = Paginator(row_problems, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    window_open = registration_import.period.registration_is_open(timezone.now())
    in_progress = registration_import.status in IN_PROGRESS
    if not in_progress and (problems or registration_import.preview):
        # Names, phones and the cells that failed are on this page (its polling while work runs is not logged).
        record_event(
            actor=request.user, action="registration_import.viewed", target=registration_import, detail={}
        )
    return render(
        request,
        "imports/detail.html",
        {
            "imp": registration_import,
            "statuses": ImportStatus,
            "in_progress": in_progress,
            "file_problems": file_problems,
            "page": page,
            "shown_count": len(problems),
            "truncated": registration_import.error_count > len(problems),
            "window_open": window_open,
            "can_commit": (
                registration_import.status == ImportStatus.VALID
                and registration_import.error_count == 0
                and window_open
            ),
        },
    )


@importer_required
def error_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored problems as CSV (UTF-8 with BOM so that Excel reads it), formula-looking cells escaped."""
    registration_import = _load(request, pk)
    record_event(
        actor=request.user,
        action="registration_import.error_report_downloaded",
        target=registration_import,
        detail={},
    )
    with translation.override(registration_import.language):  # the titles in the messages' language
        text = error_report_csv(registration_import.errors or [])
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kesalahan-impor-{registration_import.pk}.csv"'
    return response


@importer_required
@require_POST
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    registration_import = _load(request, pk)
    try:
        request_commit(registration_import=registration_import, actor=request.user)
    except (RegistrationImportError, RegistrationError) as error:
        messages.error(request, error.message)
    else:
        registration_import.refresh_from_db()
        if registration_import.status == ImportStatus.COMMITTED:
            messages.success(
                request,
                _("%(count)s pendaftaran tersimpan.") % {"count": thousands(registration_import.row_count)},
            )
        elif registration_import.status != ImportStatus.FAILED:
            messages.info(request, _("Pendaftaran sedang disimpan. Halaman ini diperbarui sendiri."))
    return redirect("imports:detail", pk=registration_import.pk)


@importer_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    registration_import = _load(request, pk)
    try:
        discard_import(registration_import=registration_import, actor=request.user)
    except RegistrationImportError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Impor dibuang. Tidak ada yang disimpan, dan berkasnya sudah dihapus."))
    return redirect("imports:detail", pk=registration_import.pk)


# The class codes the example file is written with; the download puts real open classes in their place.
EXAMPLE_CODES = ("2020-10-3671011001-1", "2020-10-3671011001-2", "2020-10-3671011001-3")


@importer_required
def example(request: HttpRequest) -> HttpResponse:
    """The example file: the header and two valid rows, choosing classes the downloader can import into now
    (open classes of a period taking registrations, in their scope), so that it imports as it is. Before any
    class is open the rows state interests only, as a centre collecting interest for planning would."""
    from latihkerja.batches.enums import BatchStatus
    from latihkerja.batches.models import Batch

    text = EXAMPLE_FILE.read_text(encoding="utf-8")
    codes = list(
        Batch.objects.for_user(request.user)
        .filter(status=BatchStatus.OPEN, period__in=_open_periods())
        .order_by("code")
        .values_list("code", flat=True)[:3]
    )
    if len(codes) >= 2:
        for index, code in enumerate(EXAMPLE_CODES):
            text = text.replace(code, codes[index % len(codes)])
    else:  # one open class: each row chooses it, once; none yet: the rows state interests only
        replacements = (codes[0], "", codes[0]) if codes else ("", "", "")
        for code, replacement in zip(EXAMPLE_CODES, replacements, strict=True):
            text = text.replace(code, replacement)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            _example_workbook(text),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="contoh-impor-pendaftaran.xlsx"'
        return response
    # With a BOM, so that Excel opens the names' letters right.
    response = HttpResponse(text.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contoh-impor-pendaftaran.csv"'
    return response


# Numbers Excel would otherwise round to 15 digits (and show as 3,67101E+15) or strip of their leading 0.
TEXT_COLUMNS = ("nik", "no_kk", "no_hp")


def _example_workbook(text: str) -> bytes:
    """The example as .xlsx, every cell text and the identity and phone columns formatted as text down the
    sheet, so that what the centre types there stays as typed."""
    import csv
    import io

    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    rows = list(csv.reader(io.StringIO(text)))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "pendaftar"
    for row in rows:
        sheet.append(row)
    for index, name in enumerate(rows[0], 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(name) + 4)
        if name in TEXT_COLUMNS:
            sheet.column_dimensions[letter].width = 20
            for line in range(1, 1001):
                sheet.cell(row=line, column=index).number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
