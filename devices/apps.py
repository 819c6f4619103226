from django.apps import AppConfig


class DevicesConfig(AppConfig):
    """The anonymous account: devices, tokens, goals."""

    name = "devices"
    verbose_name = "Devices"

    def ready(self) -> None:
        from countonme.sync.changes import sync_registry
        from devices import schema  # noqa: F401 - registers the OpenAPI auth extension
        from devices.goals.serializers import GoalSerializer
        from devices.models import Goal

        sync_registry.register("goals", Goal, GoalSerializer)
