"""Back office of the diary: food entries and body weights."""

from django.contrib import admin

from countonme.base.admin import (
    ID_SEARCH_HELP,
    DeviceOwnedAdmin,
    LiveOrDeletedFilter,
    admin_number,
)
from entries import services
from entries.body_weights.services import body_weight_restore
from entries.models import BodyWeight, FoodEntry

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
