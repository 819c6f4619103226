"""``DeviceBackOfficeAdmin``: the device list with counts, the device page, its buttons, export."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from countonme.base.admin import live_count, log_action
from devices.admin import DeviceAdmin
from devices.models import Device
from entries.admin.device_page import device_page_context
from entries.admin.device_tools import DeviceToolsMixin
from entries.models import FoodEntry
from entries.selectors import export_document
from products.models import Product

admin.site.unregister(Device)


@admin.register(Device)
class DeviceBackOfficeAdmin(DeviceToolsMixin, DeviceAdmin):
    """Devices with their data: counts, goal, a day, the chart, notes, buttons, export."""

    list_display = [*DeviceAdmin.list_display, "product_count", "entry_count"]
    actions = [*DeviceAdmin.actions, "export"]
    change_form_template = "admin/entries/device_change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                product_count=live_count(Product, "device"),
                entry_count=live_count(FoodEntry, "device"),
            )
        )

    @admin.display(description="products", ordering="product_count")
    def product_count(self, obj: Device) -> int:
        return obj.product_count

    @admin.display(description="food entries", ordering="entry_count")
    def entry_count(self, obj: Device) -> int:
        return obj.entry_count

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        device = self.get_object(request, object_id)
        if device is not None and self.has_view_permission(request, device):
            extra_context = {
                **(extra_context or {}),
                **device_page_context(request, device),
                **self.tools_context(request, device),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    # --- Export -------------------------------------------------------------------------

    @staticmethod
    def export_name(device: Device) -> str:
        """The download's file name: the device id and the day, so files of devices never mix."""
        return f"countonme-export-{device.pk}-{timezone.localdate():%Y-%m-%d}.json"

    @admin.action(permissions=["export"], description="Export data: download it as JSON")
    def export(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        devices = list(queryset[:2])
        if len(devices) != 1:
            self.message_user(request, "Select exactly one device to export.", messages.ERROR)
            return None
        device = devices[0]
        # The document of GET /v1/data/export, rendered as the API renders it.
        body = JSONRenderer().render(export_document(device=device, now=timezone.now()))
        log_action(request, device, f"Exported its data ({len(body)} bytes)")
        name = self.export_name(device)
        # Shown on the next page the user opens (the download leaves this one).
        self.message_user(request, f"Exported the data of {device.pk} as {name}.", messages.SUCCESS)
        response = HttpResponse(body, content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
