"""Back office of goals: a device's live goal and those it replaced."""

from django.contrib import admin

from countonme.base.admin import DeviceOwnedAdmin, LiveOrDeletedFilter
from devices.goals import services
from devices.goals.models import Goal


@admin.register(Goal)
class GoalAdmin(DeviceOwnedAdmin):
    """A device's goals: the live one and those it replaced."""

    list_display = [
        "__str__",
        "is_deleted_column",
        "device_column",
        "goal_type",
        "daily_calories_kcal",
        "macros",
        "water_ml",
        "created_at",
        "deleted_at",
    ]
    list_filter = ["goal_type", LiveOrDeletedFilter]
    ordering = ["-created_at", "-id"]

    @admin.display(description="protein / carbs / fat")
    def macros(self, obj: Goal) -> str:
        return f"{obj.protein_percent} / {obj.carbs_percent} / {obj.fat_percent} %"

    def undelete(self, obj: Goal) -> None:
        # Restoring an older goal makes it the live one; the current one retires.
        services.goal_restore(goal=obj)
