"""Columns derived from another one (``name_folded``, ``barcode_key``), kept in step.

Products and catalog products store their name folded (no case or accents) and
their barcode as a GTIN-14 key beside what was sent, so search and barcode
lookups compare one indexed column. Every ``save()`` and bulk write fills them
(``DerivedColumnsModel``, ``DerivedColumnsQuerySet``): no writer can forget.
"""

from collections.abc import Iterable
from typing import Any

from django.db import models

from products.folding import fold_name
from products.gtin import barcode_key

# Columns derived from another one, kept in step by every save and bulk write.
DERIVED_COLUMNS = {"name": "name_folded", "barcode": "barcode_key"}


def fill_derived_columns(row: "DerivedColumnsModel") -> None:
    """Set ``name_folded`` and ``barcode_key`` from ``name`` and ``barcode``."""
    row.name_folded = fold_name(row.name)
    row.barcode_key = barcode_key(row.barcode)


def with_derived_columns(fields: Iterable[str]) -> set[str]:
    """``fields`` to write plus the columns derived from them (``update_fields``, bulk_update)."""
    fields = set(fields)
    return fields | {DERIVED_COLUMNS[name] for name in fields if name in DERIVED_COLUMNS}


class DerivedColumnsQuerySet(models.QuerySet):
    """Bulk writes that fill the derived columns, as ``save()`` does."""

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list:
        objs = list(objs)
        for row in objs:
            fill_derived_columns(row)
        if kwargs.get("update_fields"):  # an upsert
            kwargs["update_fields"] = sorted(with_derived_columns(kwargs["update_fields"]))
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(
        self, objs: Iterable[Any], fields: Iterable[str], *args: Any, **kwargs: Any
    ) -> int:
        objs = list(objs)
        for row in objs:
            fill_derived_columns(row)
        return super().bulk_update(objs, sorted(with_derived_columns(fields)), *args, **kwargs)


class DerivedColumnsModel(models.Model):
    """A model with ``name_folded`` and ``barcode_key``, kept in step on every save."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        fill_derived_columns(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = with_derived_columns(kwargs["update_fields"])
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
