"""Physical limits of food: the one rule every path that makes a number applies.

A portion says "``base_amount base_unit`` has ``calories`` kcal and these grams
of protein, carbs and fat". Whatever wrote it — the API (product create with
per-100 g values, portion create, PATCH), a catalog import, the admin's forms,
a quick-add proposal, a batch copying a catalog food — it must describe
something that can exist:

- **energy**: at most 9 kcal per gram (900 kcal per 100 g): pure fat, the
  densest nutrient (Atwater's 9 kcal/g);
- **macros**: each of protein, carbs and fat at most the portion's mass, and
  their sum too (100 g of food cannot hold 101 g of nutrients);
- **density**: a volume portion weighs 0.01–3 g per ml. Nothing edible is
  denser than 3 g/ml (honey is 1.4, salt 2.2); the lower bound is USDA's
  lightest household measure, freeze-dried chives at 0.013 g/ml (a cup of
  popcorn is 8 g, 0.03 g/ml; 480 of SR28's 4,693 volume measures are below
  0.3 g/ml). A volume portion whose weight is unknown is held to the limits
  at the densest (3 g per ml);
- **mass portions know their weight**: ``gram_weight`` of a portion measured
  by mass is its mass (100 g → 100; the shipping app divides by it), so it
  weighs at least 0.001 g, exactly (0.5 mg would be stored as 0.001 g, twice
  its weight: a whole number of milligrams), and a different
  ``gram_weight`` is refused;
- **energy from fat and protein**: a portion's kcal is at least what its fat
  and protein must give — 80 % of them at USDA's lowest specific Atwater
  factors (fat 8.37, protein 2.44 kcal/g), less 5 kcal per 100 g of label
  rounding (5 kcal when the mass is unknown) — whatever its mass (10 kcal
  beside 90 g of fat is a typo, not a food).
  Carbohydrate sets no floor (fibre and polyols give 0–4 kcal/g, erythritol
  0); the catalog importer applies the same floor (``energy_floor``);
- **ranges**: amounts and values of a portion stay within the API's
  published range, 0–1,000,000 (a kilogram of butter is 7,170 kcal).

A portion measured in pieces or servings without a ``gram_weight`` has no
mass to hold it to: only the ranges and the energy floor apply. Every check compares exact
decimals (no tolerance): a value within the limits stays within them after
the one rounding rule (``countonme.base.numbers.round_half_up``), because the
limits themselves have 3 places. No database: plain values in, a breach out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from countonme.base.numbers import readable_number, round_half_up
from products import units
from products.nutrients import MACROS, NUTRIENTS

KCAL_PER_GRAM_MAX = Decimal(9)
KCAL_100G_MAX = KCAL_PER_GRAM_MAX * 100  # 900
MACROS_100G_MAX = Decimal(100)
DENSITY_MIN = Decimal("0.01")  # g per ml
DENSITY_MAX = Decimal(3)  # g per ml
PORTION_VALUE_MAX = Decimal(1_000_000)
SMALLEST = Decimal("0.001")  # the smallest positive value with the API's 3 places
# The least energy fat and protein give (products/catalog_import/energy.py says why).
LOWEST_FACTORS = {"protein": Decimal("2.44"), "fat": Decimal("8.37")}  # kcal per g
LOW_SHARE, SLACK_KCAL = Decimal("0.8"), Decimal(5)
PORTION_FIELDS = ("base_amount", "base_unit", "gram_weight", *NUTRIENTS)

# Error codes (docs/api.md §1 lists them).
ENERGY_CODE = "energy_above_limit"
# One macro above the mass names it; only their sum above it names none.
MACROS_CODE = "macros_exceed_amount"
DENSITY_CODE = "implausible_density"
ENERGY_BELOW_CODE = "energy_below_macros"
GRAM_WEIGHT_CODE = "gram_weight_mismatch"
# DRF's own code for a value with more places than the field keeps.
PLACES_CODE = "max_decimal_places"


@dataclass(frozen=True)
class Breach:
    """A limit a portion breaks: the field to name (None: several), a stable code, a sentence."""

    field: str | None
    code: str
    message: str


@dataclass(frozen=True)
class PortionValues:
    """What a portion says, as the limits read it (the fields of ``PortionFields``)."""

    base_amount: Decimal
    base_unit: str
    gram_weight: Decimal | None
    calories: Decimal
    protein: Decimal | None = None
    carbs: Decimal | None = None
    fat: Decimal | None = None

    @classmethod
    def of(cls, row: object) -> PortionValues:
        """The values of a portion row or anything with its attributes."""
        return cls(**{name: getattr(row, name) for name in PORTION_FIELDS})


def mass_gram_weight(base_amount: Decimal, base_unit: str) -> Decimal | None:
    """The ``gram_weight`` of a portion measured by mass (its mass in g, 3 places), else None.

    "100 g" → 100, "1 kg" → 1000, "250 mg" → 0.25.
    """
    if units.dimension(base_unit) is not units.Dimension.MASS:
        return None
    return round_half_up(units.convert(base_amount, base_unit, "g"))


def portion_breach(values: PortionValues) -> Breach | None:
    """The first limit ``values`` break (see the module), or None when it may exist."""
    return (
        _mass_breach(values)
        or _range_breach(values)
        or _weight_breach(values)
        or _content_breach(values)
        or _energy_floor_breach(values)
    )


def energy_floor(
    *, protein: Decimal | None, fat: Decimal | None, grams: Decimal | None = Decimal(100)
) -> Decimal:
    """The least kcal ``protein`` and ``fat`` grams give: 80 % at the lowest factors, less slack.

    The slack is label rounding, 5 kcal per 100 g of food (flat 5 kcal when the
    mass is unknown, ``grams=None``): a food at its floor per 100 g stays at or
    above it at any portion size. May be negative (a lean food: no floor).
    Source: USDA Agriculture Handbook 74's specific factors (fat 8.37–9.02,
    protein 2.44–4.36 kcal/g).
    """
    values = {"protein": protein or Decimal(0), "fat": fat or Decimal(0)}
    least = sum((values[name] * factor for name, factor in LOWEST_FACTORS.items()), Decimal(0))
    slack = SLACK_KCAL if grams is None else SLACK_KCAL * grams / 100
    return LOW_SHARE * least - slack


def per_100g_breach(
    *,
    kcal: Decimal,
    protein: Decimal | None = None,
    carbs: Decimal | None = None,
    fat: Decimal | None = None,
) -> Breach | None:
    """The first limit per-100 g values break, naming ``kcal_100g``, ``protein_100g``, …

    The same rule as a portion's: they are the portion "100 g".
    """
    breach = portion_breach(
        PortionValues(
            base_amount=Decimal(100),
            base_unit="g",
            gram_weight=None,
            calories=kcal,
            protein=protein,
            carbs=carbs,
            fat=fat,
        )
    )
    if breach is None or breach.field is None:
        return breach
    name = "kcal_100g" if breach.field == "calories" else f"{breach.field}_100g"
    return Breach(field=name, code=breach.code, message=breach.message)


def _range_breach(values: PortionValues) -> Breach | None:
    for name in ("base_amount", "gram_weight", *NUTRIENTS):
        value = getattr(values, name)
        if value is None:
            continue
        lowest = SMALLEST if name in ("base_amount", "gram_weight") else Decimal(0)
        if not lowest <= value <= PORTION_VALUE_MAX:
            return Breach(
                field=name,
                code="min_value" if value < lowest else "max_value",
                message=f"Must be within {readable_number(lowest)}–"
                f"{readable_number(PORTION_VALUE_MAX)}.",
            )
    return None


def _mass_breach(values: PortionValues) -> Breach | None:
    """A mass portion's mass has a ``gram_weight``: at least 0.001 g, with 3 places exactly.

    Checked before the ranges: a ``gram_weight`` filled from a mass too light
    (0.4 mg → 0.000) is the amount's fault, not a weight the user gave.
    """
    if units.dimension(values.base_unit) is not units.Dimension.MASS:
        return None
    grams = units.convert(values.base_amount, values.base_unit, "g")
    if grams < SMALLEST:
        return Breach(
            field="base_amount",
            code="min_value",
            message="A portion measured by mass weighs at least 0.001 g.",
        )
    if round_half_up(grams) != grams:
        return Breach(
            field="base_amount",
            code=PLACES_CODE,
            message=f"{readable_number(values.base_amount)} {values.base_unit} is "
            f"{readable_number(grams, places=7)} g; a portion measured by mass weighs a "
            "whole number of milligrams (gram_weight has 3 decimal places).",
        )
    return None


def _weight_breach(values: PortionValues) -> Breach | None:
    """A mass portion weighs what it says; a volume portion's weight is a plausible density."""
    kind = units.dimension(values.base_unit)
    if kind is units.Dimension.MASS:
        grams = mass_gram_weight(values.base_amount, values.base_unit)
        if values.gram_weight is not None and values.gram_weight != grams:
            return Breach(
                field="gram_weight",
                code=GRAM_WEIGHT_CODE,
                message=f"A portion of {readable_number(values.base_amount)} "
                f"{values.base_unit} weighs {readable_number(grams)} g; "
                "leave gram_weight out or give that.",
            )
    if kind is units.Dimension.VOLUME and values.gram_weight is not None:
        millilitres = units.convert(values.base_amount, values.base_unit, "ml")
        density = values.gram_weight / millilitres
        if not DENSITY_MIN <= density <= DENSITY_MAX:
            return Breach(
                field="gram_weight",
                code=DENSITY_CODE,
                message=f"{readable_number(values.gram_weight)} g in "
                f"{readable_number(millilitres)} ml is {readable_number(density)} g per ml; "
                f"food weighs {readable_number(DENSITY_MIN)}–{readable_number(DENSITY_MAX)} "
                "g per ml.",
            )
    return None


def _content_breach(values: PortionValues) -> Breach | None:
    """Energy and macros within what the portion's mass (or its densest volume) can hold."""
    grams = units.grams_in_base(values.base_amount, values.base_unit, values.gram_weight)
    at_most = ""
    if grams is None:
        if units.dimension(values.base_unit) is not units.Dimension.VOLUME:
            return None  # pieces or servings of unknown weight: nothing to hold them to
        grams = units.convert(values.base_amount, values.base_unit, "ml") * DENSITY_MAX
        at_most = f" (at most, at {readable_number(DENSITY_MAX)} g per ml)"
    weight = f"{readable_number(grams)} g{at_most}"
    if values.calories > KCAL_PER_GRAM_MAX * grams:
        per_100g = values.calories * 100 / grams
        return Breach(
            field="calories",
            code=ENERGY_CODE,
            message=f"{readable_number(values.calories)} kcal in {weight} is "
            f"{readable_number(per_100g, places=0)} kcal per 100 g; food holds at most "
            f"{readable_number(KCAL_100G_MAX)} (pure fat).",
        )
    for name in MACROS:
        value = getattr(values, name)
        if value is not None and value > grams:
            return Breach(
                field=name,
                code=MACROS_CODE,
                message=f"{readable_number(value)} g of {name} is more than the portion's "
                f"{weight}.",
            )
    total = sum((getattr(values, name) or Decimal(0) for name in MACROS), Decimal(0))
    if total > grams:
        return Breach(
            field=None,
            code=MACROS_CODE,
            message=f"protein + carbs + fat ({readable_number(total)} g) may not exceed "
            f"the portion's mass ({weight}).",
        )
    return None


def _energy_floor_breach(values: PortionValues) -> Breach | None:
    """Energy at least what the portion's fat and protein give, whatever its mass."""
    grams = units.grams_in_base(values.base_amount, values.base_unit, values.gram_weight)
    floor = energy_floor(protein=values.protein, fat=values.fat, grams=grams)
    if values.calories >= floor:
        return None
    return Breach(
        field="calories",
        code=ENERGY_BELOW_CODE,
        message=f"{readable_number(values.calories)} kcal is less than its "
        f"{readable_number(values.fat or 0)} g of fat and "
        f"{readable_number(values.protein or 0)} g of protein give (at least "
        f"{readable_number(floor, places=0)} kcal).",
    )
