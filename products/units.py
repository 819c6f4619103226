"""Unit conversion between an amount eaten and a portion's base amount. Pure, no Django.

Mass (mg, g, kg) converts to mass, volume (ml, l, tsp = 5 ml, tbsp = 15 ml,
cup = 240 ml) to volume; ``pcs`` and ``serving`` only to themselves. A mass
also converts to any portion that knows its ``gram_weight`` (grams in one
base amount), which is how "150 g of a 1-cup portion" works. Anything else
raises ``UnitMismatch``.
"""

from decimal import Decimal
from enum import Enum


class Dimension(Enum):
    """What a unit measures."""

    MASS = "mass"
    VOLUME = "volume"
    COUNT = "count"


GRAMS_PER_UNIT = {"mg": Decimal("0.001"), "g": Decimal(1), "kg": Decimal(1000)}
MILLILITRES_PER_UNIT = {
    "ml": Decimal(1),
    "l": Decimal(1000),
    "tsp": Decimal(5),
    "tbsp": Decimal(15),
    "cup": Decimal(240),
}
COUNT_UNITS = ("pcs", "serving")
# Every unit an amount may be measured in, in the API's order: the one list
# (``products.models.Unit`` is built from it).
UNITS = (*GRAMS_PER_UNIT, *MILLILITRES_PER_UNIT, *COUNT_UNITS)


class UnitMismatch(ValueError):
    """An amount in ``from_unit`` cannot be expressed in ``to_unit``."""

    def __init__(self, from_unit: str, to_unit: str) -> None:
        self.from_unit = from_unit
        self.to_unit = to_unit
        super().__init__(f"Cannot convert {from_unit} to {to_unit}.")


def dimension(unit: str) -> Dimension:
    """The dimension of a unit; ``ValueError`` for an unknown unit."""
    if unit in GRAMS_PER_UNIT:
        return Dimension.MASS
    if unit in MILLILITRES_PER_UNIT:
        return Dimension.VOLUME
    if unit in COUNT_UNITS:
        return Dimension.COUNT
    raise ValueError(f"Unknown unit {unit!r}.")


def convert(amount: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """``amount`` of ``from_unit`` expressed in ``to_unit`` (same dimension only)."""
    if from_unit == to_unit:
        return amount
    kind = dimension(from_unit)
    if kind is not dimension(to_unit) or kind is Dimension.COUNT:
        raise UnitMismatch(from_unit, to_unit)
    table = GRAMS_PER_UNIT if kind is Dimension.MASS else MILLILITRES_PER_UNIT
    return amount * table[from_unit] / table[to_unit]


def grams_in_base(
    base_amount: Decimal, base_unit: str, gram_weight: Decimal | None
) -> Decimal | None:
    """Grams in a portion's base amount: exact for mass units, else its ``gram_weight``."""
    if dimension(base_unit) is Dimension.MASS:
        return convert(base_amount, base_unit, "g")
    return gram_weight


def base_amounts_in(
    *,
    amount: Decimal,
    unit: str,
    base_amount: Decimal,
    base_unit: str,
    gram_weight: Decimal | None,
) -> Decimal:
    """How many of the portion's base amounts ``amount unit`` is.

    Nutrition of the amount = the portion's values × this factor.
    """
    try:
        return convert(amount, unit, base_unit) / base_amount
    except UnitMismatch:
        # Last resort: a mass against a portion that knows its weight.
        if gram_weight is None or dimension(unit) is not Dimension.MASS:
            raise
        return convert(amount, unit, "g") / gram_weight


def per_100_grams(
    value: Decimal | None, *, base_amount: Decimal, base_unit: str, gram_weight: Decimal | None
) -> Decimal | None:
    """A portion's value scaled to 100 g, or ``None`` when its weight is unknown."""
    grams = grams_in_base(base_amount, base_unit, gram_weight)
    if value is None or not grams:
        return None
    return value * 100 / grams
