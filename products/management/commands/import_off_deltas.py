"""``manage.py import_off_deltas [DIRECTORY]``: apply the new Open Food Facts delta files.

The job the Celery beat schedules (``products.import_off_deltas``), run
in-process: for an instance without a worker, from cron or by hand.
"""

import csv
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from countonme.jobs.locks import JobAlreadyRunning
from products.catalog_import.inputs import InputError
from products.catalog_jobs import import_off_deltas_once


class Command(BaseCommand):
    help = (
        "Import the Open Food Facts delta files (*.json.gz) of a directory that no earlier "
        "run imported, oldest first (by name). Default directory: OFF_DELTA_DIR."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", nargs="?", type=Path, help="default: OFF_DELTA_DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["directory"] or (
            Path(settings.OFF_DELTA_DIR) if settings.OFF_DELTA_DIR else None
        )
        if directory is None:
            raise CommandError("Give a directory, or set OFF_DELTA_DIR.")
        try:
            applied = import_off_deltas_once(directory=directory)
        except JobAlreadyRunning as running:
            self.stdout.write(str(running))
            return
        except InputError as error:
            raise CommandError(str(error)) from error
        except (OSError, EOFError, csv.Error, zipfile.BadZipFile) as error:
            raise CommandError(f"A delta file cannot be read to the end ({error}).") from error
        for delta in applied:
            self.stdout.write(
                f"{delta.name}: read {delta.read:,}, created {delta.created:,}, "
                f"updated {delta.updated:,}, unchanged {delta.unchanged:,}, "
                f"skipped {delta.skipped:,}"
            )
        self.stdout.write(f"Applied {len(applied)} delta files from {directory}.")
