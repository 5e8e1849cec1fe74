from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    """Accounts are managed by Bappeda only (superuser-level)."""

    list_display = ["username", "first_name", "last_name", "role", "agency", "center", "company", "is_active"]
    list_filter = ["role", "is_active", "agency"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Peran"), {"fields": ("role", "agency", "center", "company", "phone")}),
        (_("Verifikasi dua langkah"), {"fields": ("two_factor_setup_until",)}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Only a superuser may hand out superuser status or raw permissions: no escalation through the admin.
        # Staff status follows the role (`save_model`).
        if request.user.is_superuser:
            return [*super().get_readonly_fields(request, obj), "is_staff"]
        return ["is_staff", "is_superuser", "user_permissions", "groups", "last_login", "date_joined"]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """A staff role (Bappeda, OPD, operator, instructor) opens the admin for its own data; the others do
        not. Set from the role, so that an operator added here can work at once."""
        obj.is_staff = obj.is_superuser or obj.is_staff_role
        super().save_model(request, obj, form, change)

    def _is_bappeda(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_authenticated and (user.is_superuser or user.role == "bappeda"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_bappeda(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_bappeda(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_bappeda(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_bappeda(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)
