"""Writing records to the catalog: batched, idempotent upserts by ``(source, source_id)``.

Each batch is one transaction of a fixed number of queries whatever its
size: read the stored products and portions of the batch, compare, delete
the portions an updated food no longer has, then ``bulk_create`` with
``update_conflicts`` (an ``INSERT ... ON CONFLICT DO UPDATE`` on PostgreSQL
and SQLite) for the foods that are new or differ. Unchanged foods are not
written at all, so a second run of the same dump changes nothing, not even
``updated_at``. Ids are uuid5 of ``(source, source_id)`` and of the
portion's key, so a re-import addresses the same rows on every instance.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from products.catalog_import.disk_index import SeenKeys
from products.catalog_import.energy import settle_energy
from products.catalog_import.inputs import batched
from products.catalog_import.measures import portions_for
from products.catalog_import.records import (
    DUPLICATE,
    FoodRecord,
    SkippedRow,
    fit_to_limits,
    skip_reason,
)
from products.folding import fold_name
from products.gtin import barcode_key
from products.models import (
    CATALOG_PRODUCT_FIELDS,
    PORTION_VALUE_FIELDS,
    CatalogPortion,
    CatalogProduct,
    catalog_portion_id,
    catalog_product_id,
)
from products.relevance import plainness

DEFAULT_BATCH_SIZE = 500
EXAMPLES_PER_REASON = 3
PRODUCT_FIELDS = (
    *CATALOG_PRODUCT_FIELDS,
    "barcode_key",
    "name_folded",
    "plainness",
    "kcal_100g",
    "protein_100g",
    "carbs_100g",
    "fat_100g",
)
PORTION_FIELDS = ("product_id", *PORTION_VALUE_FIELDS)


@dataclass
class ImportSummary:
    """What an import did, food by food, and why it left some out."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    # Foods kept with their energy taken from another of their figures, by reason.
    energy_corrected: Counter[str] = field(default_factory=Counter)
    measures_dropped: Counter[str] = field(default_factory=Counter)
    # A few of the texts left out for each reason, so the summary says which.
    dropped_examples: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The summary as the commands print it."""
        rows = [
            f"  read       {self.read:>9,}",
            f"  created    {self.created:>9,}",
            f"  updated    {self.updated:>9,}",
            f"  unchanged  {self.unchanged:>9,}",
            f"  skipped    {self.skipped.total():>9,}",
            *(f"    {count:>9,}  {reason}" for reason, count in self.skipped.most_common()),
        ]
        if self.energy_corrected:
            rows.append(f"  energy corrected: {self.energy_corrected.total():,}")
            corrections = self.energy_corrected.most_common()
            rows += [f"    {count:>9,}  {reason}" for reason, count in corrections]
        if self.measures_dropped:
            rows.append(f"  household measures left out: {self.measures_dropped.total():,}")
            rows += [
                f"    {count:>9,}  {reason}{self._examples(reason)}"
                for reason, count in self.measures_dropped.most_common()
            ]
        rows.append(f"  time       {self.seconds:>9.1f} s")
        return rows

    def drop_measure(self, reason: str, text: str) -> None:
        """Count a source's measure left out, keeping the first few texts as examples."""
        self.measures_dropped[reason] += 1
        examples = self.dropped_examples.setdefault(reason, [])
        if len(examples) < EXAMPLES_PER_REASON and text not in examples:
            examples.append(text)

    def _examples(self, reason: str) -> str:
        examples = self.dropped_examples.get(reason)
        return f": {', '.join(map(repr, examples))}" if examples else ""


@dataclass
class _Planned:
    """A record as the column values of its rows; model instances are built only to write."""

    product_id: uuid.UUID
    product: tuple[Any, ...]  # PRODUCT_FIELDS
    portions: dict[uuid.UUID, tuple[Any, ...]]  # id → PORTION_FIELDS


def import_records(
    *, records: Iterable[FoodRecord | SkippedRow], batch_size: int = DEFAULT_BATCH_SIZE
) -> ImportSummary:
    """Upsert ``records`` into the catalog, ``batch_size`` foods per transaction.

    Within one run the first record of a ``(source, source_id)`` wins; later
    ones are skipped as duplicates, so a dump that repeats a food still
    imports idempotently.
    """
    started = time.monotonic()
    summary = ImportSummary()
    with SeenKeys() as seen:
        for chunk in batched(records, batch_size):
            summary.read += len(chunk)
            usable = []
            for item in chunk:
                reason = item.reason if isinstance(item, SkippedRow) else _checked(item, summary)
                if reason:
                    summary.skipped[reason] += 1
                else:
                    usable.append(fit_to_limits(item))
            keys = [f"{record.source}:{record.source_id}" for record in usable]
            planned = []
            for record, first in zip(usable, seen.first_sightings(keys), strict=True):
                if first:
                    planned.append(_plan(record, summary))
                else:
                    summary.skipped[DUPLICATE] += 1
            if planned:
                _write_batch(planned=planned, summary=summary)
    summary.seconds = time.monotonic() - started
    if summary.created or summary.updated:
        refresh_planner_statistics()
    return summary


def _checked(record: FoodRecord, summary: ImportSummary) -> str | None:
    """Why ``record`` is skipped, or None; its energy settled first (``energy.settle_energy``)."""
    verdict = settle_energy(record)
    reason = verdict.skip or skip_reason(record)
    if reason is None and verdict.corrected:
        summary.energy_corrected[verdict.corrected] += 1
    return reason


def refresh_planner_statistics() -> None:
    """ANALYZE the catalog tables after a load (PostgreSQL).

    Without statistics the planner takes a freshly filled catalog for an empty
    one and scans it whole on every search; autovacuum may be late or off.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (CatalogProduct, CatalogPortion):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _plan(record: FoodRecord, summary: ImportSummary) -> _Planned:
    product_id = catalog_product_id(record.source, record.source_id)
    specs, dropped = portions_for(record)
    summary.measures_dropped.update(dropped)
    for reason, text in record.measures_dropped:
        summary.drop_measure(reason, text)
    default = specs[0]
    name = _fit(record.name, CatalogProduct, "name")
    brand = _fit(record.brand, CatalogProduct, "brand")
    barcode = _fit(record.barcode, CatalogProduct, "barcode") if record.barcode else None
    product = (
        record.source,
        record.source_id,
        name,
        _fit(record.display_name or record.name, CatalogProduct, "display_name"),
        brand,
        barcode,
        _fit(record.category, CatalogProduct, "category"),
        # What CatalogProduct.save() would set (products.derived_columns).
        barcode_key(barcode),
        fold_name(name),
        plainness(name, brand),
        default.calories,
        default.protein,
        default.carbs,
        default.fat,
    )
    portions = {
        catalog_portion_id(product_id, spec.key): (
            product_id,
            _fit(spec.label, CatalogPortion, "label"),
            spec.base_amount,
            spec.base_unit,
            spec.gram_weight,
            spec.calories,
            spec.protein,
            spec.carbs,
            spec.fat,
            spec.is_default,
        )
        for spec in specs
    }
    return _Planned(product_id=product_id, product=product, portions=portions)


def _write_batch(*, planned: list[_Planned], summary: ImportSummary) -> None:
    """Write the new and changed foods of one batch, in one transaction."""
    ids = [plan.product_id for plan in planned]
    with transaction.atomic():
        stored = {
            row[0]: row[1:]
            for row in CatalogProduct.objects.filter(pk__in=ids).values_list("pk", *PRODUCT_FIELDS)
        }
        stored_portions: dict[uuid.UUID, dict[uuid.UUID, tuple[Any, ...]]] = defaultdict(dict)
        for row in CatalogPortion.objects.filter(product_id__in=ids).values_list(
            "pk", *PORTION_FIELDS
        ):
            stored_portions[row[1]][row[0]] = row[1:]

        products, portions, stale = [], [], []
        for plan in planned:
            old_portions = stored_portions.get(plan.product_id, {})
            if plan.product_id not in stored:
                summary.created += 1
            elif stored[plan.product_id] == plan.product and old_portions == plan.portions:
                summary.unchanged += 1
                continue
            else:
                summary.updated += 1
                stale += [pk for pk in old_portions if pk not in plan.portions]
            products.append(
                CatalogProduct(
                    id=plan.product_id, **dict(zip(PRODUCT_FIELDS, plan.product, strict=True))
                )
            )
            portions += [
                CatalogPortion(id=pk, **dict(zip(PORTION_FIELDS, values, strict=True)))
                for pk, values in plan.portions.items()
            ]

        # Stale portions go first: a relabelled default must not meet its
        # successor under the one-default-per-product constraint.
        if stale:
            CatalogPortion.objects.filter(pk__in=stale).delete()
        if products:
            CatalogProduct.objects.bulk_create(
                products,
                update_conflicts=True,
                unique_fields=["source", "source_id"],
                update_fields=[*PRODUCT_FIELDS[2:], "updated_at"],
            )
            CatalogPortion.objects.bulk_create(
                portions,
                update_conflicts=True,
                unique_fields=["id"],
                update_fields=list(PORTION_FIELDS[1:]),
            )


def _fit(value: str, model: type[CatalogProduct | CatalogPortion], field_name: str) -> str:
    """``value`` fitted to its column: NUL removed (PostgreSQL refuses it), cut to max_length."""
    return value.replace("\x00", "").strip()[: _max_length(model, field_name)]


@functools.cache
def _max_length(model: type[CatalogProduct | CatalogPortion], field_name: str) -> int:
    return model._meta.get_field(field_name).max_length
