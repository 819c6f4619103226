"""Back office of the device account: devices (goals: ``devices.goals.admin``).

``DeviceAdmin`` here does what needs only this app: find, revoke, un-revoke,
allow re-pairing, erase. ``entries/admin/device.py`` extends it with what needs the
other apps (counts, the calorie chart, the data export), keeping the
dependencies one-way.
"""

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html

from countonme.base.admin import (
    TimestampSetFilter,
    log_action,
    log_erasure,
    plural,
    status_badge,
    uuid_prefix_range,
)
from countonme.base.models import device_owned_models
from devices import services
from devices.codes.admin import DeviceCodesAdminMixin
from devices.goals import admin as goal_admin  # noqa: F401 - registers GoalAdmin
from devices.models import Device


class RevokedFilter(TimestampSetFilter):
    """Revoked devices, or devices that may use the API."""

    parameter_name = "revoked"
    timestamp = "revoked_at"
    states = {"yes": ("Revoked", True), "no": ("Not revoked", False)}


class ActivityFilter(admin.SimpleListFilter):
    """Devices seen by the API recently, or not."""

    title = "activity"
    parameter_name = "active"
    WINDOWS = {"1": 1, "7": 7, "30": 30}

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            ("1", "Active in the last day"),
            ("7", "Active in the last 7 days"),
            ("30", "Active in the last 30 days"),
            ("idle", "Not seen for 30 days"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        now = timezone.now()
        if self.value() in self.WINDOWS:
            since = now - timedelta(days=self.WINDOWS[self.value()])
            return queryset.filter(last_seen_at__gte=since)
        if self.value() == "idle":
            since = now - timedelta(days=30)
            return queryset.exclude(last_seen_at__gte=since)
        return queryset


@admin.register(Device)
class DeviceAdmin(DeviceCodesAdminMixin, admin.ModelAdmin):
    """Devices register themselves; staff find them and act on them, never edit them."""

    list_display = ["id", "created_at", "last_seen_at", "is_revoked_column"]
    list_filter = [RevokedFilter, ActivityFilter]
    # Searched by id only, in get_search_results (a range on the primary key).
    search_fields = ["id"]
    search_help_text = "A device id or its first characters (at least 4), dashes optional."
    ordering = ["-created_at"]
    list_per_page = 50
    show_full_result_count = False
    # The token hash is shown only as a short hint: it is no use to staff in
    # full, and never leaves the database whole.
    fields = [
        "id",
        "created_at",
        "last_seen_at",
        "token_rotated_at",
        "token_fingerprint",
        "revoked_at",
        "repairing_allowed_until",
        "last_version",
        "purged_version",
        *DeviceCodesAdminMixin.code_fields,
    ]
    readonly_fields = fields
    actions = ["revoke", "unrevoke", "allow_repairing", "revoke_codes", "erase"]

    # --- Read-only; erasing needs erase_device --------------------------------------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Device | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Device | None = None) -> bool:
        return self.has_erase_permission(request)

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("devices.revoke_device")

    def has_erase_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("devices.erase_device")

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("devices.export_device")

    def has_allow_repairing_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("devices.allow_repairing_device")

    def get_actions(self, request: HttpRequest) -> dict:
        # "Erase" (with its own confirmation page) replaces Django's bulk delete.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # --- Search: the id or its leading part -------------------------------------------

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        if not search_term.strip():
            return queryset, False
        ids = uuid_prefix_range(search_term)
        if ids is None:
            return queryset.none(), False
        return queryset.filter(id__range=ids), False

    # --- Columns ----------------------------------------------------------------------

    @admin.display(description="access", ordering="revoked_at")
    def is_revoked_column(self, obj: Device) -> str:
        return status_badge("revoked", "off") if obj.is_revoked else status_badge("active", "ok")

    @admin.display(description="token hash")
    def token_fingerprint(self, obj: Device) -> str:
        return format_html("{}… (hidden)", obj.token_hash[:6])

    # --- Actions ----------------------------------------------------------------------

    @admin.action(permissions=["revoke"], description="Revoke: lock the device out (403)")
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._switch_access(
            request,
            queryset,
            services.device_revoke,
            history="Revoked: its token now gets 403 device_revoked",
            done="Revoked",
        )

    @admin.action(permissions=["revoke"], description="Un-revoke: give the device its access back")
    def unrevoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._switch_access(
            request,
            queryset,
            services.device_unrevoke,
            history="Un-revoked: its token works again",
            done="Un-revoked",
        )

    def _switch_access(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        service: Callable[..., bool],
        *,
        history: str,
        done: str,
    ) -> None:
        """Apply the revoke or un-revoke service; log each device it changed."""
        changed = 0
        for device in queryset:
            if service(device=device):
                log_action(request, device, history)
                changed += 1
        self.message_user(request, f"{done} {plural(changed, 'device')}.", messages.SUCCESS)

    @admin.action(
        permissions=["allow_repairing"],
        description="Allow re-pairing: the app may register this id again, once, within a day",
    )
    def allow_repairing(self, request: HttpRequest, queryset: QuerySet) -> None:
        for device in queryset:
            until = services.device_allow_repairing(
                device=device, granted_by=request.user.get_username()
            )
            log_action(
                request,
                device,
                f"Allowed re-pairing until {until:%Y-%m-%d %H:%M} UTC "
                "(one registration without a token)",
            )
            self.message_user(
                request,
                f"{device.pk} may register again until {until:%Y-%m-%d %H:%M} UTC.",
                messages.SUCCESS,
            )

    @admin.action(
        permissions=["erase"], description="Erase the device and all its data (asks first)"
    )
    def erase(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        devices = list(queryset)
        if request.POST.get("post") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Erase devices: are you sure?",
                "opts": self.model._meta,
                "devices": [(device, self.owned_row_counts([device])) for device in devices],
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "media": self.media,
            }
            return TemplateResponse(
                request, "admin/devices/device/erase_confirmation.html", context
            )
        for device in devices:
            self.erase_device(request, device)
        self.message_user(
            request,
            f"Erased {plural(len(devices), 'device')} and all their data.",
            messages.SUCCESS,
        )
        return None

    def erase_device(self, request: HttpRequest, device: Device) -> None:
        """The right-to-be-forgotten erasure of ``DELETE /v1/devices/me``, logged first."""
        counts = ", ".join(f"{n} {name}" for name, n in self.owned_row_counts([device]).items())
        log_erasure(request, device, f"Erased with all its data ({counts or 'no rows'})")
        services.device_erase(device=device)

    @staticmethod
    def owned_row_counts(devices: Iterable[Device]) -> dict[str, int]:
        """Rows of every kind the devices own, deleted ones included (what erasure removes)."""
        counts = {}
        for model in device_owned_models():
            count = model.all_objects.filter(device__in=list(devices)).count()
            if count:
                meta = model._meta
                name = meta.verbose_name if count == 1 else meta.verbose_name_plural
                counts[str(name)] = count
        return counts

    # --- The delete button is the erasure too -------------------------------------------

    def get_deleted_objects(
        self, objs: Iterable[Device], request: HttpRequest
    ) -> tuple[list[str], dict[str, int], set[str], list[str]]:
        """What the confirmation page lists: counts per kind, not every row.

        Django's collector would refuse (food entries PROTECT their products) and
        list thousands of rows; erasure deletes table by table instead.
        """
        devices = list(objs)
        counts = {"devices": len(devices), **self.owned_row_counts(devices)}
        listed = [f"{count} {name}" for name, count in counts.items()]
        return listed, counts, set(), []

    def delete_model(self, request: HttpRequest, obj: Device) -> None:
        services.device_erase(device=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for device in queryset:
            services.device_erase(device=device)
