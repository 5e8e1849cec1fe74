import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from latihkerja.accounts.errors import AccountError
from latihkerja.accounts.rules import is_bappeda
from latihkerja.audit.services import record_event
from latihkerja.common.admin import ScopedModelAdmin
from latihkerja.engine.nik import NikRule
from latihkerja.engine.phone import PhoneError, normalize_phone, phone_or_none
from latihkerja.programs.models import Period
from latihkerja.registration.queries import priority_fields_open, registration_period

from .crypto import digest_identity, encrypt_identity
from .errors import ResidentError
from .models import DeletionRequest, DeletionRequestStatus, Resident
from .privacy import erasure_blocked_by
from .services import PRIORITY_FIELDS, erase_resident, find_by_nik
from .validators import clean_full_name, identity_digits, nik_problems


class ResidentAdminForm(forms.ModelForm[Resident]):
    """The profile form's rules: a name as on the KTP, and the phone stored as `+628…`, the spelling by which a
    phone's account finds its profile (`residents.services.claim_profile_by_phone`). The admin supplies the model
    and the fields (`ResidentAdmin`).

    Bappeda alone also corrects identity: a mistyped NIK (`new_nik`), and the sex and birth date it encodes. The
    result must pass the registration's NIK rules (all but the age, which was checked when they applied) and
    belong to nobody else. `ResidentAdmin.get_form` removes `new_nik` for everyone else."""

    new_nik = forms.CharField(
        label=_("NIK yang benar"),
        required=False,
        max_length=40,
        help_text=_("Kosongkan bila NIK sudah benar. Tanggal lahir dan jenis kelamin harus sesuai NIK."),
    )
    corrected_nik = ""

    def clean_full_name(self) -> str:
        return clean_full_name(self.cleaned_data["full_name"])

    def clean_phone(self) -> str:
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except PhoneError as error:
            raise forms.ValidationError(AccountError.BAD_PHONE, code="bad_phone") from error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        resident = self.instance
        if resident.is_erased or not {"new_nik", "sex", "birth_date"} & set(self.changed_data):
            return cleaned
        nik = identity_digits(cleaned.get("new_nik") or "") or resident.nik
        # The latest period's domicile rule; with none yet, the model's defaults. The age is not checked again.
        period = Period.objects.order_by("-starts_on").first() or Period(starts_on=timezone.localdate())
        problems = [
            message
            for rule, message in nik_problems(
                nik,
                period=period,
                birth_date=cleaned.get("birth_date", resident.birth_date),
                sex=cleaned.get("sex", resident.sex),
                kelurahan=cleaned.get("kelurahan", resident.kelurahan),
            )
            if rule != NikRule.AGE_OUT_OF_RANGE
        ]
        if problems:
            raise forms.ValidationError(
                ResidentError(ResidentError.INVALID_NIK, problems="; ".join(problems)).message
            )
        holder = find_by_nik(nik)
        if holder is not None and holder.pk != resident.pk:
            raise forms.ValidationError(ResidentError.NIK_TAKEN_BY_ANOTHER)
        self.corrected_nik = nik if nik != resident.nik else ""
        return cleaned


@admin.register(Resident)
class ResidentAdmin(ScopedModelAdmin):
    """Every opening of a resident's record by staff is written to the audit trail (UU PDP)."""

    form = ResidentAdminForm
    list_display = ["full_name", "masked_nik", "shown_phone", "kelurahan", "employment_status", "created_at"]
    list_filter = ["employment_status", "sex", "kelurahan__kecamatan"]
    # A name; or a whole NIK (matched by its digest: NIKs are stored encrypted) or phone number in any spelling
    # (0812…, +62812…, with spaces or dashes): who phones in gives one of the three.
    search_fields = ["full_name"]
    search_help_text = _("Cari dengan nama, NIK lengkap (16 angka) atau nomor HP.")
    list_select_related = ["kelurahan"]
    show_full_result_count = False
    # Sex and birth date are written in the NIK: only Bappeda corrects them, with it (`ResidentAdminForm.clean`).
    readonly_fields = ["nik", "sex", "birth_date"]
    exclude = ["user"]

    @admin.display(description=_("NIK"))
    def masked_nik(self, obj: Resident) -> str:
        return obj.masked_nik

    @admin.display(description=_("Nomor HP"), ordering="phone")
    def shown_phone(self, obj: Resident) -> str:
        return obj.phone

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> tuple[Any, bool]:
        term = search_term.strip()
        digits = identity_digits(term)
        if re.fullmatch(r"[0-9]{16}", digits):
            return queryset.filter(nik_digest=digest_identity(digits)), False
        phone = phone_or_none(term)
        if phone is not None:
            return queryset.filter(phone=phone), False
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # residents register through the service (with consent); a superuser too

    def has_delete_permission(self, request: HttpRequest, obj: Resident | None = None) -> bool:
        # Deleting would take consents, applications and deletion requests with it, the record that processing
        # was lawful: a resident's data is erased by granting a deletion request (`services.erase_resident`).
        return False

    def get_fields(self, request: HttpRequest, obj: Resident | None = None) -> Any:
        """Identity first: the NIK (masked) and, for Bappeda, its correction, above the name it belongs with."""
        fields = list(super().get_fields(request, obj))
        first = [name for name in ("nik", "new_nik") if name in fields]
        return first + [name for name in fields if name not in first]

    def get_readonly_fields(self, request: HttpRequest, obj: Resident | None = None) -> Any:
        """An operator corrects a resident's address and contact, not who they are nor how they sign in: the
        phone is the key to the account (a code sent to it signs in), and identity is Bappeda's to correct.
        What decides priority follows the resident's own rule: it locks when registration closes or a seat is
        held (`registration.queries.priority_fields_open`)."""
        fields = list(super().get_readonly_fields(request, obj))
        if is_bappeda(request.user):
            return ["nik"]
        fields += ["full_name", "phone"]
        if obj is not None and not priority_fields_open(obj, registration_period()):
            fields += list(PRIORITY_FIELDS)
        return fields

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if not is_bappeda(request.user):
            form.base_fields.pop("new_nik", None)  # a fresh class per request: nobody else's form changes
        return form

    def save_model(self, request: HttpRequest, obj: Resident, form: Any, change: bool) -> None:
        """A staff correction is in the audit trail like the resident's own: who changed which fields (not the
        values), besides the admin's own history. A corrected NIK is sealed and its look-up digest replaced."""
        if form.corrected_nik:
            obj.nik_encrypted = encrypt_identity(form.corrected_nik)
            obj.nik_digest = digest_identity(form.corrected_nik)
        super().save_model(request, obj, form, change)
        changed = ["nik" if name == "new_nik" else name for name in form.changed_data]
        if change and changed:
            record_event(
                actor=request.user,
                action="resident.corrected",
                target=obj,
                detail={"fields": changed, "via": "admin"},
            )

    @admin.display(description=_("NIK"))
    def nik(self, obj: Resident) -> str:
        return obj.masked_nik

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                record_event(
                    actor=request.user, action="resident.viewed", target=obj, detail={"via": "admin"}
                )
        return response


class DeletionRequestAdminForm(forms.ModelForm[DeletionRequest]):
    """Granting a request ("Data dihapus") erases the data (`services.erase_resident`): refused here, with the
    reason, while an app says it cannot be done yet, so the request stays pending and nothing changes."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        granting = cleaned.get("status") == DeletionRequestStatus.DONE and "status" in self.changed_data
        if granting and (blocked := erasure_blocked_by(self.instance.resident)):
            raise forms.ValidationError(
                ResidentError(ResidentError.ERASURE_BLOCKED, reason=blocked[0]).message
            )
        return cleaned


@admin.register(DeletionRequest)
class DeletionRequestAdmin(ScopedModelAdmin):
    """Bappeda decides each request and writes the note the resident reads. Granting it ("Data dihapus")
    erases the resident's data there and then (`services.erase_resident`); refusing keeps it, with the note."""

    form = DeletionRequestAdminForm
    list_display = ["resident", "requested_at", "status", "handled_at"]
    list_filter = ["status"]
    list_select_related = ["resident"]
    readonly_fields = ["resident", "requested_at", "reason", "handled_by", "handled_at"]
    fields = ["resident", "requested_at", "reason", "status", "note", "handled_by", "handled_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: DeletionRequest | None = None) -> Any:
        """A decision stands: an erasure cannot be undone, and rewriting a refusal would rewrite its record."""
        fields = list(super().get_readonly_fields(request, obj))
        # The stored decision, not the form's: a refused grant re-shows the page with the status still to choose.
        if (
            obj is not None
            and DeletionRequest.objects.filter(pk=obj.pk)
            .exclude(status=DeletionRequestStatus.PENDING)
            .exists()
        ):
            fields += ["status", "note"]
        return fields

    def save_model(self, request: HttpRequest, obj: DeletionRequest, form: Any, change: bool) -> None:
        if change and "status" in form.changed_data and obj.status == DeletionRequestStatus.DONE:
            try:
                erase_resident(deletion=obj, actor=request.user, note=obj.note)
            except (
                ResidentError
            ) as error:  # decided by someone else meanwhile, or a seat taken since the check
                self.message_user(request, error.message, messages.ERROR)
            obj.refresh_from_db()
            return
        if change and "status" in form.changed_data:
            obj.handled_by = request.user  # type: ignore[assignment]
            obj.handled_at = timezone.now()
            record_event(
                actor=request.user,
                action="resident.deletion_decided",
                target=obj.resident,
                detail={"status": obj.status},
            )
        super().save_model(request, obj, form, change)
