from django.apps import AppConfig


class EntriesConfig(AppConfig):
    """The diary: food entries with their nutrition snapshot, body weights, stats, reset, export."""

    name = "entries"
    verbose_name = "Diary"

    def ready(self) -> None:
        from countonme.sync.changes import sync_registry
        from entries.body_weights.serializers import BodyWeightSerializer
        from entries.models import BodyWeight, FoodEntry
        from entries.serializers import FoodEntrySerializer

        sync_registry.register("body_weights", BodyWeight, BodyWeightSerializer)
        sync_registry.register("food_entries", FoodEntry, FoodEntrySerializer)
