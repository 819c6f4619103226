"""The activity page: every staff member's actions (``LogEntry``), for support leads only.

The stock changelist of ``LogEntry``, filterable by user, action and day
(``?action_time__date=YYYY-MM-DD`` or the date drill-down), read-only. Only
``BACK_OFFICE_ACTIVITY_PERMISSION`` shows it: the ``support`` group's
``view_logentry`` is not enough (each object's own history stays theirs).
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

ACTION_WORDS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted / erased"}


class StaffUserFilter(admin.RelatedOnlyFieldListFilter):
    """The staff users who did something (not every account)."""


class DayFilter(admin.SimpleListFilter):
    """One day (``YYYY-MM-DD`` in the admin's zone); the links offer the last 7."""

    title = "day"
    parameter_name = "action_time__date"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        today = timezone.localdate()
        days = [today - timedelta(days=n) for n in range(7)]
        return [(f"{day:%Y-%m-%d}", f"{day:%a %d %b}") for day in days]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        try:
            day = date.fromisoformat(self.value())
        except ValueError:
            return queryset.none()
        return queryset.filter(action_time__date=day)


class StaffActivityAdmin(admin.ModelAdmin):
    """Who did what, when, to which object: read-only, leads only."""

    list_display = ["action_time", "user", "action", "object_link", "change_message_text"]
    list_filter = [("user", StaffUserFilter), "action_flag", DayFilter]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "change_message"]
    search_help_text = "An object (a device id...) or words of the message."
    date_hierarchy = "action_time"
    ordering = ["-action_time"]
    list_per_page = 100
    show_full_result_count = False

    def _allowed(self, request: HttpRequest) -> bool:
        return request.user.has_perm(settings.BACK_OFFICE_ACTIVITY_PERMISSION)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: LogEntry | None = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: LogEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: LogEntry | None = None) -> bool:
        return False

    @admin.display(description="action", ordering="action_flag")
    def action(self, obj: LogEntry) -> str:
        return ACTION_WORDS.get(obj.action_flag, str(obj.action_flag))

    @admin.display(description="object")
    def object_link(self, obj: LogEntry) -> str:
        url = obj.get_admin_url() if obj.action_flag != DELETION else ""
        if url:
            return format_html('<a href="{}">{}</a>', url, obj.object_repr)
        return obj.object_repr

    @admin.display(description="what")
    def change_message_text(self, obj: LogEntry) -> str:
        return obj.get_change_message()


admin.site.register(LogEntry, StaffActivityAdmin)
