from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from latihkerja.common.admin import ScopedModelAdmin

from .models import Batch, Enrollment
from .services import announce_new_dates


def _person(user: Any) -> str:
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


@admin.register(Batch)
class BatchAdmin(ScopedModelAdmin):
    list_display = [
        "code",
        "theme",
        "center",
        "period",
        "modality",
        "starts_on",
        "capacity",
        "seats_taken",
        "status",
    ]
    list_filter = ["status", "period", "modality", "theme__agency", "center__kelurahan__kecamatan"]
    search_fields = ["code", "theme__name", "center__name"]
    list_select_related = ["theme", "center", "period"]
    filter_horizontal = ["instructors"]
    # The life-cycle is changed only through batches.services.change_batch_status (staff start page).
    readonly_fields = ["status", "seats_taken"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.has_perm("batches.add_batch"):
            # The code is the class's public address (/pelatihan/<code>/): only who creates classes renames one.
            fields += ["code", "period", "center", "theme", "capacity", "minimum"]
        return fields

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "room":  # each room is shown with its centre: one query, not one per room
            kwargs["queryset"] = db_field.remote_field.model.objects.select_related("center")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "instructors" and field is not None:
            # Instructors by name (their user name beside it): a list of bare user names was hard to pick from.
            field.label_from_instance = _person
            field.queryset = field.queryset.order_by("first_name", "last_name", "username")
        return field

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """On a change, write only the fields this form changed. `seats_taken` and `status` move under row
        locks in the services (a seat taken, an offer accepted) while the page is open: saving the whole row
        would put back the count it was loaded with, and a seat could then be sold twice."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        concrete = {field.name for field in obj._meta.concrete_fields}
        fields = [name for name in form.changed_data if name in concrete]
        if fields:
            obj.save(update_fields=[*fields, "updated_at"])
        if {"starts_on", "ends_on"} & set(fields):
            told = announce_new_dates(
                batch=obj,
                starts_was=form.initial.get("starts_on"),
                ends_was=form.initial.get("ends_on"),
                actor=request.user,
            )
            if told:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)s pemegang kursi diberi tahu tanggal baru lewat SMS.",
                        "%(count)s pemegang kursi diberi tahu tanggal baru lewat SMS.",
                        told,
                    )
                    % {"count": told},
                )


@admin.register(Enrollment)
class EnrollmentAdmin(ScopedModelAdmin):
    """Seats change only through batches.services (take_open_seat) and allocation.services (offers, withdraw_seat): read-only here."""

    list_display = ["resident", "batch_code", "batch", "status", "respond_by", "source", "created_at"]
    list_filter = ["status", "source", "period", "batch__center__kelurahan__kecamatan"]
    # Working through unanswered offers: a person by name, a class by its code (list review).
    search_fields = ["resident__full_name", "batch__code"]
    search_help_text = _("Cari dengan nama warga atau kode kelas.")
    list_select_related = ["resident", "batch__theme", "batch__center"]
    show_full_result_count = False

    @admin.display(description=_("kode kelas"), ordering="batch__code")
    def batch_code(self, obj: Enrollment) -> str:
        return obj.batch.code

    readonly_fields = ["resident", "batch", "period", "status", "source"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).filter(batch__in=Batch.objects.for_user(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
