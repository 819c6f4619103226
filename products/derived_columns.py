"""Columns derived from others (``name_folded``, ``barcode_key``, ``plainness``), kept in step.

Products and catalog products store their name folded (no case or accents) and
their barcode as a GTIN-14 key beside what was sent, so search and barcode
lookups compare one indexed column; catalog products also store how plain a
food their name says they are (``products.relevance``), which search orders
by. Every ``save()`` and bulk write fills them (``DerivedColumnsModel``,
``DerivedColumnsQuerySet``): no writer can forget.
"""

from collections.abc import Iterable
from typing import Any

from django.db import models

from products.folding import fold_name
from products.gtin import barcode_key
from products.relevance import plainness

# Columns derived from others → the columns they are made of, kept in step by
# every save and bulk write (``plainness`` only on models that have it).
DERIVED_COLUMNS = {
    "name_folded": ("name",),
    "barcode_key": ("barcode",),
    "plainness": ("name", "brand"),
}


def fill_derived_columns(row: "DerivedColumnsModel") -> None:
    """Set ``name_folded``, ``barcode_key`` (and ``plainness``) from their columns."""
    row.name_folded = fold_name(row.name)
    row.barcode_key = barcode_key(row.barcode)
    if _has_column(type(row), "plainness"):
        row.plainness = plainness(row.name, row.brand)


def with_derived_columns(fields: Iterable[str], model: type[models.Model]) -> set[str]:
    """``fields`` of ``model`` to write plus the columns derived from them (``update_fields``)."""
    fields = set(fields)
    return fields | {
        derived
        for derived, sources in DERIVED_COLUMNS.items()
        if fields & set(sources) and _has_column(model, derived)
    }


def _has_column(model: type[models.Model], name: str) -> bool:
    return any(field.attname == name for field in model._meta.concrete_fields)


class DerivedColumnsQuerySet(models.QuerySet):
    """Bulk writes that fill the derived columns, as ``save()`` does."""

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list:
        objs = list(objs)
        for row in objs:
            fill_derived_columns(row)
        if kwargs.get("update_fields"):  # an upsert
            kwargs["update_fields"] = sorted(
                with_derived_columns(kwargs["update_fields"], self.model)
            )
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(
        self, objs: Iterable[Any], fields: Iterable[str], *args: Any, **kwargs: Any
    ) -> int:
        objs = list(objs)
        for row in objs:
            fill_derived_columns(row)
        return super().bulk_update(
            objs, sorted(with_derived_columns(fields, self.model)), *args, **kwargs
        )


class DerivedColumnsModel(models.Model):
    """A model with ``name_folded`` and ``barcode_key`` (and ``plainness``), kept on every save."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        fill_derived_columns(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = with_derived_columns(kwargs["update_fields"], type(self))
        super().save(*args, **kwargs)


def name_folded_field() -> models.TextField:
    """``fold_name(name)``: what SQLite searches compare (PostgreSQL folds with unaccent)."""
    return models.TextField(
        editable=False, default="", help_text="The name without case or accents, for search."
    )


def barcode_key_field() -> models.CharField:
    """``products.gtin.barcode_key(barcode)``: what barcode lookups and duplicate checks compare."""
    return models.CharField(
        max_length=64,
        null=True,
        blank=True,
        editable=False,
        help_text="GTIN-14 of a valid GTIN, else the barcode as scanned.",
    )


def plainness_field() -> models.SmallIntegerField:
    """``products.relevance.plainness(name, brand)``: what search orders a tier by."""
    return models.SmallIntegerField(
        editable=False,
        default=0,
        help_text="How far the name is from the plain food (lower is plainer), for search.",
    )


def refill_plainness(model: type[models.Model], rows: models.Q | None = None) -> None:
    """Score ``plainness`` again for ``model``'s rows matching ``rows`` (all when None).

    For the migrations that change ``products.relevance``: rows are read in
    batches of 2,000 and only the ones whose score changed are written.
    """
    manager = model._base_manager
    batch: list[models.Model] = []
    selected = manager.filter(rows) if rows is not None else manager.all()
    for row in selected.only("pk", "name", "brand", "plainness").iterator(chunk_size=2000):
        score = plainness(row.name, row.brand)
        if score != row.plainness:
            row.plainness = score
            batch.append(row)
        if len(batch) == 2000:
            manager.bulk_update(batch, ["plainness"])
            batch = []
    manager.bulk_update(batch, ["plainness"])
