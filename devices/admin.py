"""Support back office for devices: look a device up, revoke it, erase it."""

from collections.abc import Iterable

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from countonme.models import device_owned_models
from devices import services
from devices.models import Device


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    """Devices register themselves; staff can only revoke, restore access or erase."""

    list_display = ["id", "created_at", "last_seen_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["=id"]
    ordering = ["-created_at"]
    # The token hash is never shown: it is useless to staff and should stay put.
    fields = [
        "id",
        "created_at",
        "last_seen_at",
        "token_rotated_at",
        "revoked_at",
        "last_version",
        "purged_version",
    ]
    readonly_fields = [f for f in fields if f != "revoked_at"]
    actions = ["revoke", "restore_access"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Revoke the selected devices (403 device_revoked)")
    def revoke(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"Revoked {count} device(s).", messages.SUCCESS)

    @admin.action(description="Restore access of the selected devices")
    def restore_access(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.filter(revoked_at__isnull=False).update(revoked_at=None)
        self.message_user(request, f"Restored {count} device(s).", messages.SUCCESS)

    def get_deleted_objects(
        self, objs: Iterable[Device], request: HttpRequest
    ) -> tuple[list[str], dict[str, int], set[str], list[str]]:
        """What the confirmation page lists: counts per kind, not every row.

        Django's collector would refuse (food entries PROTECT their products) and
        list thousands of rows; erasure deletes table by table instead.
        """
        devices = list(objs)
        counts = {"devices": len(devices)}
        for model in device_owned_models():
            count = model.all_objects.filter(device__in=devices).count()
            if count:
                counts[str(model._meta.verbose_name_plural)] = count
        listed = [f"{count} {name}" for name, count in counts.items()]
        return listed, counts, set(), []

    def delete_model(self, request: HttpRequest, obj: Device) -> None:
        # Deleting a device is the right-to-be-forgotten erasure, all rows included.
        services.device_erase(device=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for device in queryset:
            services.device_erase(device=device)
