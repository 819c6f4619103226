"""``manage.py import_catalog --source {usda,off,usda-sr28} PATH``: fill the catalog from a dump."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from products.catalog_import.fdc import read_fdc
from products.catalog_import.inputs import InputError
from products.catalog_import.off import read_off
from products.catalog_import.progress import Progress, SilentProgress, TerminalProgress
from products.catalog_import.records import FoodRecord, SkippedRow
from products.catalog_import.sr28 import read_sr28
from products.catalog_import.upsert import DEFAULT_BATCH_SIZE, import_records

Reader = Callable[..., Iterator[FoodRecord | SkippedRow]]
READERS: dict[str, Reader] = {"usda": read_fdc, "off": read_off, "usda-sr28": read_sr28}


class Command(BaseCommand):
    help = (
        "Import a public food dump into the catalog, idempotently by (source, source_id). "
        "--source usda: USDA FoodData Central SR Legacy CSV (directory or zip); "
        "off: Open Food Facts JSONL or CSV/TSV export (gzipped or not); "
        "usda-sr28: the SR28 ASCII release (directory or zip)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, choices=sorted(READERS))
        parser.add_argument("path", type=Path, help="the dump: a file, a directory or a zip")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help="foods per transaction (default: %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source, path, batch_size = options["source"], options["path"], options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if not path.exists():
            raise CommandError(f"{path}: no such file or directory.")
        progress = self.progress()
        try:
            summary = import_records(
                records=READERS[source](path=path, progress=progress), batch_size=batch_size
            )
        except InputError as error:
            raise CommandError(str(error)) from error
        except (OSError, EOFError, csv.Error, zipfile.BadZipFile) as error:
            # A truncated download or a corrupt archive: every batch before
            # the error is committed, and re-running on a good file completes it.
            raise CommandError(f"{path}: cannot read it to the end ({error}).") from error
        finally:
            progress.finish()
        self.stdout.write(f"Imported {path} (--source {source}):")
        self.stdout.write("\n".join(summary.lines()))

    def progress(self) -> Progress:
        """A progress bar when a person is watching (stdout is a terminal), else nothing."""
        if not self.stdout.isatty():
            return SilentProgress()

        def write(text: str) -> None:
            self.stdout.write(text, ending="")
            self.stdout.flush()

        return TerminalProgress(write=write)
