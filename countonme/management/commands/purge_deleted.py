"""``manage.py purge_deleted --older-than 30d``: erase old tombstones for good.

The policy lives in ``countonme.sync.purge``; this command reads the options
and reports what it removed. It runs the job the Celery worker runs, under the
same single-run lock: started while another purge runs, it says so and ends
(exit status 0, nothing to retry).
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from countonme.jobs.locks import JobAlreadyRunning
from countonme.sync.purge import parse_age, purge_deleted_once


class Command(BaseCommand):
    help = (
        "Hard-delete soft-deleted rows older than the retention window, in small "
        "batches (each its own transaction), so it is safe to run while the API serves."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            default=f"{settings.SOFT_DELETE_RETENTION_DAYS}d",
            help="Age of the tombstones to erase, e.g. 30d, 12h, 2w "
            "(default: SOFT_DELETE_RETENTION_DAYS).",
        )
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            removed = purge_deleted_once(
                older_than=parse_age(options["older_than"]),
                batch_size=options["batch_size"],
                warn=self.stderr.write,
            )
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        except JobAlreadyRunning as running:
            self.stdout.write(str(running))
            return
        for label, count in removed.items():
            self.stdout.write(f"{label}: {count} removed")
        total = sum(removed.values())
        self.stdout.write(f"Removed {total} soft-deleted rows older than {options['older_than']}.")
