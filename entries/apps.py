from django.apps import AppConfig


class EntriesConfig(AppConfig):
    """The food diary: entries with their nutrition snapshot, stats, reset and export."""

    name = "entries"
    verbose_name = "Diary"
