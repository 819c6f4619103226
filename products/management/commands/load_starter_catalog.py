"""``manage.py load_starter_catalog``: load the USDA SR28 foods shipped with the project."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from products.catalog_import.inputs import batched
from products.catalog_import.starter import read_header, read_records
from products.catalog_import.upsert import import_records
from products.models import CatalogProduct, catalog_product_id
from products.starter_catalog import DATA_FILE

PRESENCE_CHECK_CHUNK = 900


class Command(BaseCommand):
    help = (
        "Load the starter food catalog (USDA SR28, shipped with the project). Safe on every "
        "start: foods already in the catalog are left alone (a later import of a newer dump "
        "may have updated them), so a loaded catalog costs a few indexed reads. --force "
        "re-applies every starter food over what is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="upsert every starter food, overwriting values stored by other imports",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        header = read_header(path=DATA_FILE)
        records = list(read_records(path=DATA_FILE))  # ~9,000 small records: bounded
        if not options["force"]:
            ids = [catalog_product_id(r.source, r.source_id) for r in records]
            missing = self.missing_ids(ids)
            if not missing:
                if options["verbosity"] >= 1:
                    self.stdout.write(
                        f"Starter catalog already loaded ({len(records):,} foods); nothing to do."
                    )
                return
            records = [r for r, pk in zip(records, ids, strict=True) if pk in missing]
        summary = import_records(records=records)
        if options["verbosity"] >= 1:
            self.stdout.write(f"Loaded the starter catalog ({header['release']}):")
            self.stdout.write("\n".join(summary.lines()))

    def missing_ids(self, ids: list[uuid.UUID]) -> set[uuid.UUID]:
        """Those of ``ids`` with no catalog product: one indexed query per 900 ids."""
        missing = set(ids)
        for chunk in batched(ids, PRESENCE_CHECK_CHUNK):
            missing.difference_update(
                CatalogProduct.objects.filter(pk__in=chunk).values_list("pk", flat=True)
            )
        return missing
