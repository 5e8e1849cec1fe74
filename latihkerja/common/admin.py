"""The admin base class: every list and object goes through the model's `for_user` scope and the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from rules.contrib.admin import ObjectPermissionsModelAdmin

from latihkerja.accounts.address_limit import AdminSignInForm

admin.site.site_header = "LatihKerja"
admin.site.login_form = AdminSignInForm  # the per-address limit on failed sign-ins holds here too
admin.site.site_title = "LatihKerja"


# The largest primary key a database column holds (bigint). A larger number typed into a related-object field
# overflows in the database driver (a 500) before Django can call it an unknown choice.
_LARGEST_KEY = 2**63 - 1


def _too_large(value: Any) -> bool:
    text = str(value).strip()
    return text.lstrip("-").isdigit() and abs(int(text)) > _LARGEST_KEY


class BoundedKeysMixin:
    """Related-object fields (selects, multi-selects) refuse a number no key can be as an unknown choice."""

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if isinstance(field, forms.ModelChoiceField):
            clean = field.clean

            def bounded(value: Any) -> Any:
                values = value if isinstance(value, list | tuple) else [value]
                if any(v not in (None, "") and _too_large(v) for v in values):
                    raise forms.ValidationError(field.error_messages["invalid_choice"], code="invalid_choice")
                return clean(value)

            field.clean = bounded  # type: ignore[method-assign]
        return field


class ScopedModelAdmin(BoundedKeysMixin, ObjectPermissionsModelAdmin):
    """Lists only what `Model.objects.for_user(request.user)` allows; an object outside it is a 404.

    Object-level permissions come from django-rules (`<app>.change_<model>` predicates in each app's
    `rules.py`), the same predicates the pages and the API ask.
    """

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        for_user = getattr(queryset, "for_user", None)
        return for_user(request.user) if for_user else queryset

    def _get_obj_does_not_exist_redirect(self, request: HttpRequest, opts: Any, object_id: str) -> Any:
        """Outside the user's scope reads the same as missing (nothing tells which), but not as "deleted"."""
        from django.contrib import messages
        from django.contrib.admin.utils import unquote
        from django.http import HttpResponseRedirect
        from django.urls import reverse
        from django.utils.text import capfirst
        from django.utils.translation import gettext as _

        self.message_user(
            request,
            _("%(name)s dengan ID “%(key)s” tidak ada, atau tidak termasuk yang boleh Anda buka.")
            % {"name": capfirst(opts.verbose_name), "key": unquote(object_id)},
            messages.WARNING,
        )
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist", current_app=self.admin_site.name)
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Choices of a related object are scoped too: an operator cannot attach a batch to another centre."""
        related = db_field.related_model
        scoped = getattr(related._default_manager.all(), "for_user", None)
        if scoped is not None and "queryset" not in kwargs:
            kwargs["queryset"] = scoped(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReferenceAdmin(BoundedKeysMixin, ObjectPermissionsModelAdmin):
    """Reference data: readable by staff, edited by Bappeda only (rules in `accounts.rules`)."""


def register(model: type[Model], admin_class: type[admin.ModelAdmin[Any]]) -> None:
    admin.site.register(model, admin_class)
