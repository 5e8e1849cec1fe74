import re
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from latihkerja.audit.services import record_event
from latihkerja.engine.phone import phone_or_none

from .enums import Kind
from .models import Message

# A one-time code in a message body: whoever reads it can sign in as the resident while it lives.
_CODE = re.compile(r"\d{4,}")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    """Read-only, and only for Bappeda (superuser-level): to see what left, when, and why a message failed.

    Messages carry phone numbers and names: each opening of one is written to the audit trail (UU PDP). No
    one adds, edits or deletes them here; only `services` writes the outbox. A sign-in code is never shown:
    it would let whoever reads it sign in as the resident.
    """

    fields = [
        "created_at",
        "channel",
        "recipient",
        "kind",
        "language",
        "subject",
        "shown_body",
        "status",
        "attempts",
        "last_error",
        "provider_message_id",
        "sent_at",
        "resident",
        "user",
        "dedupe_key",
    ]
    readonly_fields = ["created_at", "shown_body"]

    list_display = ["created_at", "channel", "kind", "recipient", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "kind", "language"]
    search_fields = ["recipient", "provider_message_id", "dedupe_key"]
    # One message per applicant at each publication: no count of the whole outbox, no grouping of it by day.
    show_full_result_count = False

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> tuple[Any, bool]:
        """A phone number as staff write it (0812-…, spaces) finds the messages stored as +62812…."""
        phone = phone_or_none(search_term)
        if phone is not None and (exact := queryset.filter(recipient=phone)).exists():
            return exact, False
        return super().get_search_results(request, queryset, search_term)  # part of a number, a key

    @admin.display(description=_("isi"))
    def shown_body(self, obj: Message) -> str:
        return _CODE.sub("••••••", obj.body) if obj.kind == Kind.OTP else obj.body

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return bool(
            request.user.is_authenticated and (request.user.is_superuser or request.user.role == "bappeda")
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                record_event(
                    actor=request.user, action="notification.viewed", target=obj, detail={"via": "admin"}
                )
        return response
