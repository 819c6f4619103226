from django.apps import AppConfig


class DevicesConfig(AppConfig):
    """The anonymous account: devices, tokens, goals, body weights."""

    name = "devices"
    verbose_name = "Devices"

    def ready(self) -> None:
        from devices import schema  # noqa: F401 - registers the OpenAPI auth extension
