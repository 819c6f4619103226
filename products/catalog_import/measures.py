"""Portions of a catalog food: the default "100 g" and one per household measure.

A household measure ("1 cup, sliced", 150 g) becomes a portion in a contract
unit (``products.models.Unit``) where one fits, so the app can scale it:
volumes keep their amount in that unit, masses become grams, countable
things become pieces, anything else is a "serving". Every portion carries its
``gram_weight`` (the default "100 g" weighs 100: the app divides by it), and
its nutrition is the per-100 g values scaled to it. A portion beyond the
physical limits (``products.limits``: a cup weighing 1 kg per ml) is left out
with its reason.

A label's serving size is read as its source wrote it and checked against
the weight the source gives (OFF's ``serving_quantity``): "1,000 ml" weighing
1000 g is a litre (1 g per ml), not 1 ml weighing a kilogram; "2,000 g"
weighing 2000 g is 2 kg; "1.000 ml" in German-style data is a litre too.
Of the readings ``products.amounts`` allows, the one whose weight fits is
taken: a mass within 5 % of the stated weight, a volume at a plausible
density (0.01–3 g per ml; two readings a thousand apart can never both fit
that). Pieces and servings cannot be weighed by their amount: an ambiguous
"1,000 pieces" is left out. A weight the label states in parentheses ("1
portion (30 g)", "2 biscuits (25 g)", "1 can (330 ml)") is held to the same
test whatever the amount counts: a serving labelled 30 g that
``serving_quantity`` says weighs 300 g is left out, not stored as ten times
the nutrition its label promises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from countonme.base.numbers import readable_number
from products import limits
from products.amounts import amount_readings, split_leading_amount
from products.catalog_import.records import FoodRecord, Measure, quantize
from products.units import MILLILITRES_PER_UNIT

HUNDRED = Decimal(100)
DEFAULT_LABEL = "100 g"
# Bounds that keep a scaled value inside the 12-digit decimal columns; a
# measure beyond them is a data error (a 100 kg "serving"), not a portion.
MAX_GRAM_WEIGHT = Decimal(100_000)
MAX_AMOUNT = Decimal(10_000)

# Why a measure was dropped, as the import summary prints it.
NO_GRAM_WEIGHT = "no gram weight"
AMOUNT_NOT_POSITIVE = "amount not positive"
IMPLAUSIBLE_MEASURE = "gram weight above 100 kg or amount above 10000"
REPEATED_MEASURE = "repeats another measure of the food"
# Why a label's serving size ("½ cup (120 ml)") made no portion.
SERVING_WITHOUT_WEIGHT = "serving size without a weight (no serving_quantity)"
SERVING_RANGE = "serving size amount is a range"
SERVING_UNREADABLE = "serving size amount unreadable"
SERVING_WEIGHT_CONTRADICTS = (
    "serving size contradicts its weight (a mass not within 5 % of serving_quantity, "
    "or a volume outside 0.01-3 g per ml)"
)
SERVING_AMBIGUOUS = "serving size amount ambiguous (thousands or decimals?) and not weighable"
BEYOND_LIMITS = "portion beyond the physical limits (density, kcal per g, macros)"
# How far a serving's mass may be from the weight the source gives for it: "1 oz (28 g)".
MASS_TOLERANCE = Decimal("0.05")
# A label's parenthesised part, where it states the serving's weight: "1 portion (30 g)".
STATED_WEIGHT = re.compile(r"\(([^()]*)\)")
# What follows the first amount of a range: "2-3", "2 – 3", "2 to 3", "2 or 3".
RANGE_JOINER = re.compile(r"(?:[-\u2013\u2014]|to\s|or\s)\s*", re.IGNORECASE)
# A text that starts like a number but is none ("1/0 cup", "1,2,3").
NUMBER_START = re.compile(r"\s*[0-9.,/\u2044\u00bc-\u00be\u2150-\u215e\u2189]")

# First word of a measure → (contract unit, millilitres per measure unit when
# the unit has no contract equivalent and is converted to ml).
VOLUMES: dict[str, tuple[str, Decimal | None]] = {
    **dict.fromkeys(("cup", "cups"), ("cup", None)),
    **dict.fromkeys(("tbsp", "tbs", "tablespoon", "tablespoons"), ("tbsp", None)),
    **dict.fromkeys(("tsp", "teaspoon", "teaspoons"), ("tsp", None)),
    **dict.fromkeys(("ml", "milliliter", "milliliters", "millilitre", "millilitres"), ("ml", None)),
    **dict.fromkeys(("l", "liter", "liters", "litre", "litres"), ("l", None)),
    "cl": ("ml", Decimal(10)),
    "dl": ("ml", Decimal(100)),
    # US customary volumes: exact conversions, so they stay volumes.
    **dict.fromkeys(("quart", "quarts", "qt"), ("ml", Decimal("946.353"))),
    **dict.fromkeys(("pint", "pints", "pt"), ("ml", Decimal("473.176"))),
    **dict.fromkeys(("gallon", "gallons", "gal"), ("ml", Decimal("3785.41"))),
}
FLUID_OUNCE_ML = Decimal("29.5735")
GRAMS_PER_MASS_WORD: dict[str, Decimal] = {
    **dict.fromkeys(("g", "gr", "gram", "grams"), Decimal(1)),
    "kg": Decimal(1000),
    "mg": Decimal("0.001"),
    **dict.fromkeys(("oz", "ounce", "ounces"), Decimal("28.3495")),
    **dict.fromkeys(("lb", "lbs", "pound", "pounds"), Decimal("453.592")),
}
MASSES = frozenset(GRAMS_PER_MASS_WORD)
# Things one counts: "1 large", "2 slices", "1 drumstick". The size words lead
# SR28's fruit and egg measures; the rest are the common countable foods.
PIECE_WORDS = """
    large medium small extra mini jumbo whole each item items piece pieces unit units
    fruit fruits slice slices wedge wedges half stalk stalks spear spears leaf leaves ear ears
    head heads clove cloves strip strips link links patty patties fillet fillets steak steaks
    chop chops breast breasts thigh thighs drumstick drumsticks wing wings leg legs egg eggs
    cookie cookies cracker crackers biscuit biscuits bar bars roll rolls bun buns bagel bagels
    muffin muffins doughnut doughnuts pancake pancakes waffle waffles tortilla tortillas
    croissant croissants sandwich sandwiches burrito burritos taco tacos frankfurter
    frankfurters sausage sausages nugget nuggets stick sticks pat pats
"""
PIECES = frozenset(PIECE_WORDS.split())
WORD = re.compile(r"[a-z]+")
# A food's kcal, protein, carbs and fat per 100 g.
PerHundredGrams = tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]


@dataclass(frozen=True, slots=True)
class PortionSpec:
    """A catalog portion to write; ``key`` is unique within its food and stable across imports."""

    key: str
    label: str
    base_amount: Decimal
    base_unit: str
    gram_weight: Decimal | None
    calories: Decimal
    protein: Decimal | None
    carbs: Decimal | None
    fat: Decimal | None
    is_default: bool


def split_amount(text: str) -> tuple[Decimal, str]:
    """A household text's leading amount and the rest: "1½ cups" → (1.5, "cups").

    Read by ``products.amounts`` (fractions, mixed numbers, decimal commas).
    Without a leading amount the amount is 1 and the text is kept whole.
    """
    split = split_leading_amount(text)
    if split is None:
        return Decimal(1), text.strip()
    amount, rest = split
    return quantize(amount), rest


def serving_measure(size: str, quantity: Decimal | None) -> Measure | str:
    """The measure of a label's serving size weighing ``quantity`` g, or why there is none.

    "½ cup (120 ml)" with 120 → ½ cup weighing 120 g, labelled as written.
    Amounts are read by ``products.amounts`` (fractions, mixed numbers,
    decimal commas, thousands separators); a text without one is one of what
    it names ("portion (30 g)" is 1 portion). Of the readings of an amount,
    the one ``quantity`` fits is taken (see the module). A range ("2-3
    biscuits") has no single amount to weigh, and a missing weight leaves
    nothing to convert: both are reasons.
    """
    text = " ".join(size.split())
    if quantity is None or quantity <= 0:
        return SERVING_WITHOUT_WEIGHT
    if _stated_weight_contradicts(text, quantity):
        return SERVING_WEIGHT_CONTRADICTS
    readings = amount_readings(text)
    if not readings:
        if NUMBER_START.match(text):
            return SERVING_UNREADABLE
        return Measure(amount=Decimal(1), description=text, gram_weight=quantity)
    rest = readings[0][1]
    joiner = RANGE_JOINER.match(rest)
    if joiner and split_leading_amount(rest[joiner.end() :]) is not None:
        return SERVING_RANGE
    weighable = _weighs(Decimal(1), rest, Decimal(1)) is not None
    fitting = [amount for amount, _ in readings if _weighs(amount, rest, quantity) is not False]
    if not fitting:
        return SERVING_WEIGHT_CONTRADICTS
    if len(fitting) > 1 and not weighable:
        return SERVING_AMBIGUOUS
    amount = fitting[0]
    return Measure(amount=amount, description=rest or "serving", gram_weight=quantity, label=text)


def label_serving(size: str, quantities: list[Decimal]) -> Measure | str:
    """``serving_measure`` for a weight that may read several ways, or why there is none.

    ``quantities`` are the readings of the source's weight (``records.
    decimal_readings``: "1,000" is 1 or 1000 g). The one reading the serving
    fits is taken: "1 l" weighing "1,000" is a litre of 1000 g. When several
    fit ("1,000 ml" weighing "1,000": 1 ml of 1 g or a litre of 1000 g) the
    serving is ambiguous and left out; when none, the first reading's reason.
    """
    if not quantities:
        return SERVING_WITHOUT_WEIGHT
    measures = [serving_measure(size, quantity) for quantity in quantities]
    fitting = [measure for measure in measures if isinstance(measure, Measure)]
    if len(fitting) > 1:
        return SERVING_AMBIGUOUS
    return fitting[0] if fitting else measures[0]


def _stated_weight_contradicts(text: str, quantity: Decimal) -> bool:
    """Whether ``text`` states its weight in parentheses and no reading of it weighs ``quantity``.

    The weight may be the whole serving's or one counted unit's ("2 biscuits
    (25 g)" weighing 25 or 50): either fits. "1 portion (30 g)" with 300 →
    True; with 30, or "1 portion (approx.)" → False.
    """
    counts = [amount for amount, _ in amount_readings(text)] or [Decimal(1)]
    verdicts = [
        verdict
        for inside in STATED_WEIGHT.findall(text)
        for amount, rest in amount_readings(inside)
        for whole in {amount, *(amount * count for count in counts)}
        if (verdict := _weighs(whole, rest, quantity)) is not None
    ]
    return bool(verdicts) and not any(verdicts)


def _weighs(amount: Decimal, description: str, quantity: Decimal) -> bool | None:
    """Whether ``amount description`` can weigh ``quantity`` g; None when it cannot be told.

    A mass within 5 % of it, a volume at a plausible density; pieces and
    servings weigh anything.
    """
    if not description[:1].isalpha():
        return None  # "1 12 oz can": the unit is not what the amount counts
    words = WORD.findall(description.lower())
    first = words[0] if words else ""
    if first in MASSES:
        grams = amount * GRAMS_PER_MASS_WORD[first]
        return abs(grams - quantity) <= MASS_TOLERANCE * quantity
    millilitres = _millilitres(amount, words)
    if millilitres is None:
        return None
    if millilitres <= 0:
        return False
    return limits.DENSITY_MIN <= quantity / millilitres <= limits.DENSITY_MAX


def _millilitres(amount: Decimal, words: list[str]) -> Decimal | None:
    """``amount`` of the volume unit ``words`` start with, in ml; None when not a volume."""
    first = words[0] if words else ""
    if first == "floz" or (first in ("fl", "fluid") and words[1:2] in (["oz"], ["ounce"])):
        return amount * FLUID_OUNCE_ML
    if first not in VOLUMES:
        return None
    unit, millilitres = VOLUMES[first]
    return amount * (millilitres if millilitres is not None else MILLILITRES_PER_UNIT[unit])


def measure_unit(*, amount: Decimal, description: str, gram_weight: Decimal) -> tuple[str, Decimal]:
    """The contract unit and base amount of a household measure.

    A volume whose amount has no exact 3-place form (⅓ cup) is given in ml
    (80 ml), so the weight of one cup stays exact (120 g for "⅓ cup (40 g)",
    not 120.12 g from 0.333 cup).
    """
    words = WORD.findall(description.lower())
    first = words[0] if words else ""
    if first == "floz" or (first in ("fl", "fluid") and words[1:2] in (["oz"], ["ounce"])):
        return "ml", amount * FLUID_OUNCE_ML
    if first in VOLUMES:
        unit, millilitres = VOLUMES[first]
        if millilitres is None and quantize(amount) != amount:
            return "ml", amount * MILLILITRES_PER_UNIT[unit]
        return unit, amount if millilitres is None else amount * millilitres
    if first in MASSES:
        # "1 oz" is 28.35 g: the base amount is the weight itself.
        return "g", gram_weight
    if first in PIECES:
        return "pcs", amount
    return "serving", amount


def portions_for(record: FoodRecord) -> tuple[list[PortionSpec], list[str]]:
    """The portions of ``record`` (default first), and why any of its measures were dropped."""
    # Every portion scales the figures as stored (3 places), not the source's
    # longer ones (255 kJ is 60.946 kcal, not 60.94646...): otherwise 240 g
    # through "1 cup" and through "100 g" would differ in the last place
    # (docs/api.md §1: the same grams give the same kcal through any portion).
    per_100g = tuple(
        quantize(value)
        for value in (record.kcal_100g, record.protein_100g, record.carbs_100g, record.fat_100g)
    )
    default = _default_portion(per_100g)
    portions = [default]
    dropped: list[str] = []
    # (label, grams) already produced: the default counts as "100 g" weighing 100 g.
    seen = {(DEFAULT_LABEL, HUNDRED)}
    keys = {default.key}
    for measure in record.measures:
        reason = _measure_problem(measure)
        if reason:
            dropped.append(reason)
            continue
        portion = _household_portion(measure, measure.gram_weight, per_100g)
        if limits.portion_breach(_values(portion)) is not None:
            dropped.append(BEYOND_LIMITS)
            continue
        if (portion.label, portion.gram_weight) in seen or (
            portion.base_unit == "g" and portion.base_amount == HUNDRED
        ):
            dropped.append(REPEATED_MEASURE)
            continue
        seen.add((portion.label, portion.gram_weight))
        # Two measures may share a label with different weights ("1 jar"):
        # number the later ones so every key stays unique and stable.
        key, n = portion.key, 1
        while key in keys:
            n += 1
            key = f"{portion.key}#{n}"
        keys.add(key)
        portions.append(replace(portion, key=key) if key != portion.key else portion)
    return portions, dropped


def rederived(
    *, label: str, gram_weight: Decimal | None, is_default: bool, per_100g: PerHundredGrams
) -> PortionSpec | None:
    """A stored catalog portion as an import would write it today; None when it cannot be.

    From its own label and weight and its food's per-100 g values (kcal,
    protein, carbs, fat), through the same rules as ``portions_for``: the
    default "100 g" with its weight, a serving re-read against its weight
    ("1,000 ml" weighing 1000 g is a litre). None when the label no longer
    reads as a measure of that weight, or the result is beyond the physical
    limits: then nothing certain can be said. What ``manage.py audit_numbers
    --fix`` writes.
    """
    if is_default:
        portion = _default_portion(per_100g)
    else:
        if gram_weight is None:
            return None
        measure = serving_measure(label, gram_weight)
        if isinstance(measure, str) or _measure_problem(measure):
            return None
        portion = _household_portion(measure, gram_weight, per_100g)
        if portion.label != label:
            return None
    return portion if limits.portion_breach(_values(portion)) is None else None


def _default_portion(per_100g: PerHundredGrams) -> PortionSpec:
    calories, protein, carbs, fat = (quantize(value) for value in per_100g)
    return PortionSpec(
        key=DEFAULT_LABEL,
        label=DEFAULT_LABEL,
        base_amount=HUNDRED,
        base_unit="g",
        gram_weight=HUNDRED,  # a mass portion carries its mass: the app divides by it
        calories=calories,
        protein=protein,
        carbs=carbs,
        fat=fat,
        is_default=True,
    )


def _values(portion: PortionSpec) -> limits.PortionValues:
    return limits.PortionValues(
        base_amount=portion.base_amount,
        base_unit=portion.base_unit,
        gram_weight=portion.gram_weight,
        calories=portion.calories,
        protein=portion.protein,
        carbs=portion.carbs,
        fat=portion.fat,
    )


def _measure_problem(measure: Measure) -> str | None:
    # Compared after rounding: 0.0001 g would be stored as 0, which no portion may weigh.
    if measure.gram_weight is None or quantize(measure.gram_weight) <= 0:
        return NO_GRAM_WEIGHT
    if quantize(measure.amount) <= 0:
        return AMOUNT_NOT_POSITIVE
    if measure.gram_weight > MAX_GRAM_WEIGHT or measure.amount > MAX_AMOUNT:
        return IMPLAUSIBLE_MEASURE
    return None


def _household_portion(measure: Measure, grams: Decimal, per_100g: PerHundredGrams) -> PortionSpec:
    description = " ".join(measure.description.split())
    label = measure.label or f"{readable_number(measure.amount)} {description}".strip()
    unit, base_amount = measure_unit(
        amount=measure.amount, description=description, gram_weight=grams
    )
    calories, protein, carbs, fat = _fit_macros(
        grams, [None if value is None else quantize(value * grams / HUNDRED) for value in per_100g]
    )
    return PortionSpec(
        key=f"measure:{label}",
        label=label,
        base_amount=quantize(base_amount),
        base_unit=unit,
        gram_weight=quantize(grams),
        calories=calories,
        protein=protein,
        carbs=carbs,
        fat=fat,
        is_default=False,
    )


def _fit_macros(grams: Decimal, values: list[Decimal | None]) -> list[Decimal | None]:
    """Scaled values whose rounded macros sum to the portion's mass at most.

    Macros that sum to exactly 100 g per 100 g may round (half up, each) to
    0.001 g over the portion's mass; the largest gives that back.
    """
    calories, *macros = values
    grams = quantize(grams)
    excess = sum((value or Decimal(0) for value in macros), Decimal(0)) - grams
    if excess > 0:
        largest = max(range(len(macros)), key=lambda index: macros[index] or Decimal(0))
        macros[largest] -= excess
    return [calories, *macros]
