"""Back office of the diary (food entries, body weights) and the device page that needs every app.

``DeviceBackOfficeAdmin`` extends ``devices.admin.DeviceAdmin`` (registered
in its place) with what only this app, at the top of the dependency chain,
can compose: counts of products and entries on the list, the device page's
goal, recent weights and 30-day calorie chart, and the data export.
"""

from datetime import timedelta
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from rest_framework.renderers import JSONRenderer

from countonme.base.admin import (
    ID_SEARCH_HELP,
    DeviceOwnedAdmin,
    LiveOrDeletedFilter,
    admin_number,
    live_count,
    log_action,
)
from devices.admin import DeviceAdmin
from devices.models import Device, Goal
from entries import services, stats
from entries.body_weights.services import body_weight_restore
from entries.calorie_chart import calorie_chart_svg, kcal
from entries.models import BodyWeight, FoodEntry
from entries.selectors import export_document, export_filename
from products.models import Product

CHART_DAYS = 30
RECENT_WEIGHTS = 10


@admin.register(FoodEntry)
class FoodEntryAdmin(DeviceOwnedAdmin):
    """The diary: "my Tuesday disappeared" is answered here (filter by day, restore)."""

    list_display = [
        "day",
        "is_deleted_column",
        "meal_type",
        "product",
        "quantity",
        "kcal",
        "device_column",
        "created_at",
        "deleted_at",
    ]
    list_filter = [LiveOrDeletedFilter, "meal_type"]
    list_select_related = ["product"]
    raw_id_fields = ["product", "portion"]
    date_hierarchy = "day"
    search_fields = ["id", "product__name", "note"]
    search_help_text = f"{ID_SEARCH_HELP}; or a product name or a note."
    ordering = ["-day", "-created_at", "-id"]

    @admin.display(description="amount")
    def quantity(self, obj: FoodEntry) -> str:
        return admin_number(obj.amount, obj.unit)

    @admin.display(description="kcal", ordering="calories")
    def kcal(self, obj: FoodEntry) -> str:
        # A snapshot keeps 3 places for sums; a person reads one.
        return admin_number(obj.calories, places=1)

    def undelete(self, obj: FoodEntry) -> None:
        services.food_entry_undelete(entry=obj)


@admin.register(BodyWeight)
class BodyWeightAdmin(DeviceOwnedAdmin):
    """Weigh-ins, one live per day."""

    list_display = [
        "day",
        "is_deleted_column",
        "weight",
        "device_column",
        "created_at",
        "deleted_at",
    ]
    list_filter = [LiveOrDeletedFilter]
    date_hierarchy = "day"
    ordering = ["-day", "-created_at"]

    @admin.display(description="weight", ordering="weight_kg")
    def weight(self, obj: BodyWeight) -> str:
        return admin_number(obj.weight_kg, "kg")

    def undelete(self, obj: BodyWeight) -> None:
        body_weight_restore(body_weight=obj, day=obj.day, weight_kg=obj.weight_kg)


admin.site.unregister(Device)


@admin.register(Device)
class DeviceBackOfficeAdmin(DeviceAdmin):
    """Devices with their data: counts, goal, weights, calorie chart, export."""

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

    # --- The device page ----------------------------------------------------------------

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        device = self.get_object(request, object_id)
        if device is not None:
            extra_context = {**(extra_context or {}), **self.device_page_context(device)}
        return super().change_view(request, object_id, form_url, extra_context)

    def device_page_context(self, device: Device) -> dict[str, Any]:
        """Goal, recent weights, the calorie chart and links to the device's rows."""
        goal = Goal.objects.filter(device=device).first()
        last = timezone.localdate()
        first = last - timedelta(days=CHART_DAYS - 1)
        days = [
            (day, totals["calories"])
            for day, totals in stats.daily_totals(
                FoodEntry.objects.filter(device=device), first, last
            )
        ]
        eaten = [value for _, value in days if value]
        goal_kcal = goal.daily_calories_kcal if goal else None
        weights = BodyWeight.objects.filter(device=device).order_by("-day")[:RECENT_WEIGHTS]

        def rows_of(model: type, **filters: str) -> str:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            return f"{url}?{urlencode({'q': str(device.pk), **filters})}"

        return {
            "goal": goal,
            "goal_kcal": admin_number(goal_kcal, "kcal"),
            "goal_water": goal and admin_number(goal.water_ml, "ml"),
            "goal_macros": goal
            and f"{goal.protein_percent} / {goal.carbs_percent} / {goal.fat_percent} %",
            "weights": [(weight.day, admin_number(weight.weight_kg, "kg")) for weight in weights],
            "calorie_chart": calorie_chart_svg(days, goal_kcal),
            "chart_summary": {
                "days_logged": len(eaten),
                "average": kcal(sum(eaten) / len(eaten)) if eaten else None,
                "over_goal": sum(1 for value in eaten if goal_kcal and value > goal_kcal),
            },
            "counts": [
                (label, model.objects.filter(device=device).count(), rows_of(model))
                for label, model in [
                    ("Products", Product),
                    ("Food entries", FoodEntry),
                    ("Body weights", BodyWeight),
                    ("Goals", Goal),
                ]
            ],
            "deleted_products": Product.all_objects.filter(
                device=device, deleted_at__isnull=False
            ).count(),
            "deleted_products_url": rows_of(Product, status="deleted"),
        }

    # --- Export -------------------------------------------------------------------------

    @admin.action(permissions=["export"], description="Export data: download it as JSON")
    def export(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        devices = list(queryset[:2])
        if len(devices) != 1:
            self.message_user(request, "Select exactly one device to export.", messages.ERROR)
            return None
        device = devices[0]
        now = timezone.now()
        # The document of GET /v1/data/export, rendered as the API renders it.
        body = JSONRenderer().render(export_document(device=device, now=now))
        log_action(request, device, f"Exported its data ({len(body)} bytes)")
        response = HttpResponse(body, content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{export_filename(now)}"'
        return response
