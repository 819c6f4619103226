from django.apps import AppConfig


class EntriesConfig(AppConfig):
    """The food diary: entries with their nutrition snapshot, stats, reset and export."""

    name = "entries"
    verbose_name = "Diary"

    def ready(self) -> None:
        from countonme.sync.changes import sync_registry
        from entries.models import FoodEntry
        from entries.serializers import FoodEntrySerializer

        sync_registry.register("food_entries", FoodEntry, FoodEntrySerializer)
