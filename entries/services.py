"""Diary writes: the nutrition snapshot of a food entry, creating and bringing back entries."""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from rest_framework import exceptions

from countonme.base.models import ChangeCounterModel
from countonme.base.numbers import round_half_up
from entries.models import FoodEntry
from products import limits, units
from products.models import Portion, PortionFields, Product
from products.services import BeyondLimits

# The snapshot columns hold 9 whole digits; a sum of many entries may need more.
MAX_SNAPSHOT_VALUE = Decimal(100_000_000)


@dataclass(frozen=True)
class Nutrition:
    """Calories and macros (grams) of an amount eaten; missing macros count as 0."""

    calories: Decimal
    protein: Decimal
    carbs: Decimal
    fat: Decimal

    def largest(self) -> Decimal:
        """The largest of the four values."""
        return max(self.calories, self.protein, self.carbs, self.fat)


class SnapshotTooLarge(exceptions.ValidationError):
    """400 ``max_value`` on ``amount``: its nutrition would not fit the snapshot columns."""

    def __init__(self) -> None:
        super().__init__(
            {"amount": [f"This amount's nutrition exceeds {MAX_SNAPSHOT_VALUE:,} units."]},
            code="max_value",
        )


class EntryUnitMismatch(exceptions.ValidationError, units.UnitMismatch):
    """400 ``unit_mismatch`` on ``unit``: the amount's unit does not convert to the portion's.

    Also a ``units.UnitMismatch``, the calculation's own error.
    """

    def __init__(self, mismatch: units.UnitMismatch, *, portion_unit: str) -> None:
        units.UnitMismatch.__init__(self, mismatch.from_unit, mismatch.to_unit)
        exceptions.ValidationError.__init__(
            self,
            {"unit": [f"{mismatch} The portion is measured in {portion_unit}."]},
            code="unit_mismatch",
        )


class PortionNotOfProduct(exceptions.NotFound):
    """404 ``not_found`` on ``portion_id``: as unknown as any other id."""

    def __init__(self) -> None:
        super().__init__({"portion_id": [exceptions.NotFound.default_detail]})


def portion_factor(*, portion: PortionFields, amount: Decimal, unit: str) -> Decimal:
    """How many of the portion's base amounts ``amount unit`` is (``units.base_amounts_in``).

    Raises ``units.UnitMismatch`` when ``unit`` does not convert to the portion.
    """
    return units.base_amounts_in(
        amount=amount,
        unit=unit,
        base_amount=portion.base_amount,
        base_unit=portion.base_unit,
        gram_weight=portion.gram_weight,
    )


def entry_nutrition(*, portion: PortionFields, amount: Decimal, unit: str) -> Nutrition:
    """The portion's values × (amount in the portion's unit ÷ its base amount).

    Rounded half up to 3 places (``round_half_up``, the one rule: 12.5 g of a
    20.5 kcal/100 g food is 2.563 kcal through "100 g" as through a "12.5 g"
    sachet). Works for device portions and catalog portions alike (both carry
    the portion fields). Raises ``units.UnitMismatch`` when ``unit`` cannot be
    expressed in the portion's unit (not even through its ``gram_weight``).
    """
    factor = portion_factor(portion=portion, amount=amount, unit=unit)

    def scaled(value: Decimal | None) -> Decimal:
        return round_half_up((value or Decimal(0)) * factor)

    return Nutrition(
        calories=scaled(portion.calories),
        protein=scaled(portion.protein),
        carbs=scaled(portion.carbs),
        fat=scaled(portion.fat),
    )


def entry_snapshot(*, portion: Portion, amount: Decimal, unit: str) -> Nutrition:
    """The nutrition an entry stores: ``entry_nutrition`` within the columns' bounds.

    Raises ``BeyondLimits`` (400 naming ``portion_id``) for a portion whose
    values break the physical limits (stored before they were enforced:
    ``manage.py audit_numbers`` lists them), ``EntryUnitMismatch`` (400
    ``unit_mismatch``, see ``entry_nutrition``) and ``SnapshotTooLarge`` (400
    ``max_value``).
    """
    breach = limits.portion_breach(limits.PortionValues.of(portion))
    if breach is not None:
        raise BeyondLimits(breach, field="portion_id")
    try:
        nutrition = entry_nutrition(portion=portion, amount=amount, unit=unit)
    except units.UnitMismatch as mismatch:
        raise EntryUnitMismatch(mismatch, portion_unit=portion.base_unit) from None
    if nutrition.largest() > MAX_SNAPSHOT_VALUE:
        raise SnapshotTooLarge()
    return nutrition


def entry_portion_check(*, product_id: uuid.UUID, portion: Portion) -> None:
    """The entry's portion rule: ``portion`` is one of the entry's product's portions.

    Raises ``PortionNotOfProduct`` (404): another product's portion is as
    unknown as any other id. Every write that names a portion runs it.
    """
    if portion.product_id != product_id:
        raise PortionNotOfProduct()


def food_entry_check(*, product: Product, portion: Portion, amount: Decimal, unit: str) -> None:
    """The rules of ``food_entry_create`` beyond field types, writing nothing.

    Raises ``PortionNotOfProduct`` (404), ``EntryUnitMismatch`` and
    ``SnapshotTooLarge`` (400), as a create with these fields would.
    """
    entry_portion_check(product_id=product.pk, portion=portion)
    entry_snapshot(portion=portion, amount=amount, unit=unit)


# No transaction.atomic of its own: the checks write nothing, and save() runs the
# version bump and the insert atomically. Inside a caller's transaction a
# savepoint here cost two round trips per create for nothing.
def food_entry_create(
    *,
    device: ChangeCounterModel,
    product: Product,
    portion: Portion,
    day: date,
    meal_type: str,
    amount: Decimal,
    unit: str,
    note: str | None = None,
    id: uuid.UUID | None = None,
    entry: FoodEntry | None = None,
) -> FoodEntry:
    """Log ``amount unit`` of ``portion`` with its nutrition snapshot; the row.

    ``product`` and ``portion`` are among the device's live rows. ``entry``,
    a soft-deleted entry of the device, is brought back with these fields and
    a fresh snapshot instead of a new row with ``id`` (a create replayed on
    its id, docs/api.md §3). Raises ``PortionNotOfProduct`` (404),
    ``EntryUnitMismatch`` and ``SnapshotTooLarge`` (400); an ``id`` already
    taken raises ``IntegrityError``.
    """
    if entry is None:
        entry = FoodEntry(device=device)
        if id is not None:
            entry.id = id
    entry.deleted_at = None
    _write(
        entry,
        force_insert=entry._state.adding,
        product=product,
        portion=portion,
        day=day,
        meal_type=meal_type,
        amount=amount,
        unit=unit,
        note=note,
    )
    return entry


_UNCHANGED: Any = object()


def food_entry_update(
    *,
    entry: FoodEntry,
    portion: Portion | None = None,
    day: date | None = None,
    meal_type: str | None = None,
    amount: Decimal | None = None,
    unit: str | None = None,
    note: str | None = _UNCHANGED,
) -> FoodEntry:
    """Change a live entry (PATCH); arguments left out keep their value.

    The product stays: ``portion`` must be one of its portions. The
    snapshot is computed again when the portion, amount or unit changes.
    Raises as ``food_entry_create``.
    """
    changes = {
        name: value
        for name, value in {
            "portion": portion,
            "day": day,
            "meal_type": meal_type,
            "amount": amount,
            "unit": unit,
        }.items()
        if value is not None
    }
    if note is not _UNCHANGED:
        changes["note"] = note
    _write(entry, **changes)
    return entry


def _write(entry: FoodEntry, *, force_insert: bool = False, **changes: Any) -> None:
    """Set ``changes`` on ``entry`` with the snapshot they call for, and save it.

    The one place an entry's snapshot is taken: on a create, and whenever
    the portion, amount or unit changes.
    """
    if "portion" in changes:
        product_id = changes["product"].pk if "product" in changes else entry.product_id
        entry_portion_check(product_id=product_id, portion=changes["portion"])
    for name, value in changes.items():
        setattr(entry, name, value)
    if {"portion", "amount", "unit"} & changes.keys():
        nutrition = entry_snapshot(portion=entry.portion, amount=entry.amount, unit=entry.unit)
        for name, value in vars(nutrition).items():
            setattr(entry, name, value)
    entry.save(force_insert=force_insert)


@transaction.atomic
def food_entry_undelete(*, entry: FoodEntry) -> FoodEntry:
    """Bring back a soft-deleted entry with the snapshot it had (a fresh sync version).

    Its product may still be deleted: entries are history and keep their
    nutrition whatever became of the product.
    """
    entry.restore()
    return entry
