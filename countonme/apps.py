from django.apps import AppConfig


class CountOnMeConfig(AppConfig):
    """The project package: shared bases, composition, operational commands."""

    name = "countonme"
    verbose_name = "CountOnMe"

    def ready(self) -> None:
        from countonme.ops import checks  # noqa: F401 - registers the system checks
