"""The nutrition snapshot of a food entry."""

from dataclasses import dataclass
from decimal import Decimal

from countonme.serializers import DECIMAL_PLACES
from products import units
from products.models import Portion

_QUANTUM = Decimal(1).scaleb(-DECIMAL_PLACES)


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


def entry_nutrition(*, portion: Portion, amount: Decimal, unit: str) -> Nutrition:
    """The portion's values × (amount in the portion's unit ÷ its base amount).

    Raises ``units.UnitMismatch`` when ``unit`` cannot be expressed in the
    portion's unit (not even through its ``gram_weight``).
    """
    factor = units.base_amounts_in(
        amount=amount,
        unit=unit,
        base_amount=portion.base_amount,
        base_unit=portion.base_unit,
        gram_weight=portion.gram_weight,
    )

    def scaled(value: Decimal | None) -> Decimal:
        return ((value or Decimal(0)) * factor).quantize(_QUANTUM)

    return Nutrition(
        calories=scaled(portion.calories),
        protein=scaled(portion.protein),
        carbs=scaled(portion.carbs),
        fat=scaled(portion.fat),
    )
