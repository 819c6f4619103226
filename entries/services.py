"""Diary writes: the nutrition snapshot of a food entry, creating and bringing back entries."""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from countonme.base.models import ChangeCounterModel
from countonme.base.serializers import DECIMAL_PLACES
from entries.models import FoodEntry
from products import units
from products.models import Portion, PortionFields, Product

_QUANTUM = Decimal(1).scaleb(-DECIMAL_PLACES)
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


class SnapshotTooLarge(ValueError):
    """An amount whose nutrition would not fit the snapshot columns."""

    def __init__(self) -> None:
        super().__init__(f"This amount's nutrition exceeds {MAX_SNAPSHOT_VALUE:,} units.")


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

    Works for device portions and catalog portions alike (both carry the
    portion fields). Raises ``units.UnitMismatch`` when ``unit`` cannot be
    expressed in the portion's unit (not even through its ``gram_weight``).
    """
    factor = portion_factor(portion=portion, amount=amount, unit=unit)

    def scaled(value: Decimal | None) -> Decimal:
        return ((value or Decimal(0)) * factor).quantize(_QUANTUM)

    return Nutrition(
        calories=scaled(portion.calories),
        protein=scaled(portion.protein),
        carbs=scaled(portion.carbs),
        fat=scaled(portion.fat),
    )


def entry_snapshot(*, portion: Portion, amount: Decimal, unit: str) -> Nutrition:
    """The nutrition an entry stores: ``entry_nutrition`` within the columns' bounds.

    Raises ``units.UnitMismatch`` (see ``entry_nutrition``) and
    ``SnapshotTooLarge``.
    """
    nutrition = entry_nutrition(portion=portion, amount=amount, unit=unit)
    if nutrition.largest() > MAX_SNAPSHOT_VALUE:
        raise SnapshotTooLarge()
    return nutrition


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
) -> FoodEntry:
    """Log ``amount unit`` of ``portion`` with its nutrition snapshot; the new row.

    The caller has resolved ``product`` and ``portion`` among the device's live
    rows (the portion being the product's). Raises ``units.UnitMismatch`` and
    ``SnapshotTooLarge``; an ``id`` already taken raises ``IntegrityError``.
    """
    if portion.product_id != product.pk:
        raise ValueError("The portion is not the product's.")
    nutrition = entry_snapshot(portion=portion, amount=amount, unit=unit)
    entry = FoodEntry(
        device=device,
        product=product,
        portion=portion,
        day=day,
        meal_type=meal_type,
        amount=amount,
        unit=unit,
        note=note,
        **vars(nutrition),
    )
    if id is not None:
        entry.id = id
    entry.save(force_insert=True)
    return entry


@transaction.atomic
def food_entry_undelete(*, entry: FoodEntry) -> FoodEntry:
    """Bring back a soft-deleted entry with the snapshot it had (a fresh sync version).

    Its product may still be deleted: entries are history and keep their
    nutrition whatever became of the product.
    """
    entry.restore()
    return entry
