"""``manage.py prepare``: bring an instance up to date before serving it."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Apply migrations, collect static files and load the starter food catalog. "
        "Idempotent: run it before every start (make run and the compose migrate service do)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity)
        call_command("collectstatic", interactive=False, verbosity=min(verbosity, 1))
        # By name: countonme must not import the apps. Skips in a few queries once loaded.
        call_command("load_starter_catalog", verbosity=verbosity)
