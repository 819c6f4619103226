"""A proposal: foods found, amounts in the food's portions, grams and nutrition.

How a written amount becomes an entry's ``amount unit`` of one portion:

* no quantity and no unit: one of the food's usual pieces (a slice, a strip,
  a piece, a medium one: "bacon" is a slice, an estimate), else its default
  portion, once;
* a mass (g, kg, mg; oz and lb as grams): the first portion that converts a
  mass (measured by mass, or with a ``gram_weight``);
* a volume (ml, l, cup, tbsp, tsp; fluid ounces, pints, quarts, gallons, cl
  and dl as ml): a portion in that unit, else any portion measured by volume;
  "oz" of a food measured in fluid ounces (a portion labelled "fl oz": milk,
  juice, coffee) is fluid ounces;
* a household measure: the portion whose label names it ("1 slice"); else a
  piece is a counted portion, a glass 250 ml (of wine its 5 fl oz serving, a
  bottle of wine 750 ml), a bowl 300 ml, a handful 30 g,
  a splash 30 ml and a serving the default portion (estimates the user adjusts);
* a bare count ("2 eggs"): a counted portion of the size written ("2 large
  eggs": the "1 large" portion), else medium, then large, then the plainest
  label; else a serving, else a cup, else that many default portions.

Conversions are ``products.units``' (the diary's rules), nutrition is the
snapshot ``entries.services.entry_nutrition`` will store.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from countonme.base.numbers import round_half_up
from countonme.base.serializers import DECIMAL_MIN_POSITIVE
from entries.quick_add.foods import Food
from entries.quick_add.measures import GRAMS_PER, MILLILITRES_PER
from entries.serializers import MAX_ENTRY_AMOUNT
from entries.services import MAX_SNAPSHOT_VALUE, Nutrition, entry_nutrition, portion_factor
from products import limits, units
from products.folding import fold_name
from products.models import PortionFields
from products.search_words import number_forms

ZERO = Decimal(0)
# Household measures without a portion of their own: what they usually hold.
HOUSEHOLD_ESTIMATES = {
    "glass": (Decimal(250), "ml"),
    "bowl": (Decimal(300), "ml"),
    "handful": (Decimal(30), "g"),
    # Milk in a coffee ("a coffee with milk", "a splash of milk").
    "splash": (Decimal(30), "ml"),
    # Sugar in a coffee, butter or jam on toast (``rules.SPOONED``).
    "teaspoonful": (Decimal(1), "tsp"),
    "tablespoonful": (Decimal(1), "tbsp"),
}
# USDA counts a chicken breast as both sides and a fish fillet as a whole
# side: its "0.5 breast" (86 g roasted) is the one breast people buy and log,
# its "0.5 fillet" (178 g of salmon) a fillet as sold. "a chicken breast" is
# that portion once, not twice over (172 g).
# Counted portions that are a whole thing a "piece" of it is not.
_WHOLE_THING = re.compile(
    r"^[\d.]+ (?:bars?|packages?|pies?|cakes?|loaf|loaves|pizzas?|box|boxes|sticks?)\b"
)
_HALF_AS_ONE = re.compile(r"^0?\.5 (?:breast|fillet)s?\b")
# Sizes of counted things, in the order a bare count prefers them (None: a
# label with no size, "1 fruit").
_SIZES = ("medium", None, "large", "small", "extra large", "extra small", "jumbo")
# Every size a label may start with, longest first ("extra large" before "large").
_ALL_SIZES = ("extra small", "extra large", "small", "medium", "large", "jumbo")
_FLUID_OUNCES = re.compile(r"\bfl\.? ?oz\b|\bfluid ounces?\b")
_LABEL_WORD = re.compile(r"[a-z]+")
_LEADING_COUNT = re.compile(r"^(?P<count>\d+(?:\.\d+)?) [a-z]")


@dataclass(frozen=True)
class Amount:
    """``amount unit`` of ``portion``; ``exact`` is False when a measure was estimated.

    The amount is rounded as an entry stores it (3 places), so the grams and
    nutrition proposed are the ones the saved entry will have.
    """

    portion: PortionFields
    amount: Decimal
    unit: str
    exact: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", round_half_up(self.amount))


@dataclass(frozen=True)
class Item:
    """One proposed entry."""

    text: str
    food: Food
    amount: Amount
    alternatives: tuple[Food, ...]
    confidence: Decimal
    grams: Decimal | None = field(init=False)
    nutrition: Nutrition = field(init=False)

    def __post_init__(self) -> None:
        portion, amount, unit = self.amount.portion, self.amount.amount, self.amount.unit
        object.__setattr__(self, "grams", grams_of(portion, amount, unit))
        object.__setattr__(
            self, "nutrition", entry_nutrition(portion=portion, amount=amount, unit=unit)
        )

    def with_confidence(self, at_most: Decimal) -> "Item":
        """The same item, its confidence lowered to ``at_most``."""
        return replace(self, confidence=min(self.confidence, at_most))


def storable(item: Item) -> bool:
    """Whether an entry could be stored as proposed (``entries.services.entry_snapshot``).

    Its portion within the physical limits (``products.limits``: a catalog
    row imported before them is never proposed), its amount within an
    entry's range and its nutrition within the snapshot's columns. The one
    check both parsers' items pass.
    """
    portion = limits.PortionValues.of(item.amount.portion)
    return (
        limits.portion_breach(portion) is None
        and DECIMAL_MIN_POSITIVE <= item.amount.amount <= MAX_ENTRY_AMOUNT
        and item.nutrition.largest() <= MAX_SNAPSHOT_VALUE
    )


@dataclass(frozen=True)
class Proposal:
    """What a parser read: items, the pieces it could not match, and which parser it was."""

    items: list[Item]
    unparsed: list[str]
    parser: str

    @property
    def totals(self) -> Nutrition:
        def total(name: str) -> Decimal:
            return sum((getattr(item.nutrition, name) for item in self.items), ZERO)

        return Nutrition(
            calories=total("calories"), protein=total("protein"),
            carbs=total("carbs"), fat=total("fat"),
        )  # fmt: skip

    @classmethod
    def of(
        cls, readings: Iterable[tuple[str, Item | None]], *, unparsed: list[str], parser: str
    ) -> "Proposal":
        """Each piece's text with its item, or None when it found no food: then it is unparsed."""
        items: list[Item] = []
        unparsed = list(unparsed)
        for text, item in readings:
            if item is None:
                unparsed.append(text)
            else:
                items.append(item)
        return cls(items=items, unparsed=unparsed, parser=parser)


def grams_of(portion: PortionFields, amount: Decimal, unit: str) -> Decimal | None:
    """Grams in ``amount unit`` of ``portion``; None when its weight is unknown."""
    if units.dimension(unit) is units.Dimension.MASS:
        return round_half_up(units.convert(amount, unit, "g"))
    base_grams = units.grams_in_base(portion.base_amount, portion.base_unit, portion.gram_weight)
    if base_grams is None:
        return None
    factor = portion_factor(portion=portion, amount=amount, unit=unit)
    return round_half_up(base_grams * factor)


def amount_in_portions(
    food: Food, quantity: Decimal | None, unit: str | None, size: str | None = None
) -> Amount | None:
    """The entry amount for "``quantity unit`` (``size``) of ``food``"; None when none converts."""
    default = food.default_portion or food.portions[0]
    if quantity is None and unit is None and size is None:
        usual = _usual_piece(food)
        if usual is not None:
            return Amount(usual, Decimal(1), "pcs", exact=False)
        return Amount(default, default.base_amount, default.base_unit)
    count = quantity if quantity is not None else Decimal(1)
    if unit == "oz" and measured_in_fluid_ounces(food):
        unit = "floz"
    if unit in GRAMS_PER:
        count, unit = count * GRAMS_PER[unit], "g"
    elif unit in MILLILITRES_PER:
        count, unit = count * MILLILITRES_PER[unit], "ml"
    if unit is None:
        return _counted(food, count, default, size)
    if unit in units.UNITS:
        return _converted(food, count, unit)
    return _household(food, count, unit, default)


def _converted(food: Food, amount: Decimal, unit: str, *, exact: bool = True) -> Amount | None:
    # A portion in the same unit first (it converts exactly), then the others;
    # "1 cup" before "0.75 cup" in each, "1 serving medium" before "large".
    def preference(portion: PortionFields) -> tuple[bool, bool, int, str]:
        size_rank = _size_preference(portion)[0]
        return (portion.base_unit != unit, portion.base_amount != 1, size_rank, portion.label)

    for portion in sorted(food.portions, key=preference):
        if converts(portion, amount, unit):
            return Amount(portion, amount, unit, exact)
    return None


def converts(portion: PortionFields, amount: Decimal, unit: str) -> bool:
    """Whether ``amount unit`` can be logged against ``portion`` (the diary's unit rules)."""
    try:
        portion_factor(portion=portion, amount=amount, unit=unit)
    except units.UnitMismatch:
        return False
    return True


def measured_in_fluid_ounces(food: Food) -> bool:
    """Whether a portion of ``food`` is in fluid ounces ("1 fl oz", "cup (8 fl oz)"): a drink."""
    return any(_FLUID_OUNCES.search(fold_name(portion.label)) for portion in food.portions)


def _counted(food: Food, count: Decimal, default: PortionFields, size: str | None = None) -> Amount:
    pieces = [portion for portion in food.portions if portion.base_unit == "pcs"]
    if measured_in_fluid_ounces(food):
        # "an orange juice" is a glass of it, not "1 fruit yields" (86 g).
        pieces = [portion for portion in pieces if "yield" not in fold_name(portion.label)]
    if size is not None:
        sized = [portion for portion in pieces if _size_of(portion.label) == size]
        if sized:
            # "large (7-1/4" long)" before "strip large": the size of the whole thing.
            return Amount(min(sized, key=_size_first), count, "pcs")
    if pieces:
        portion = min(pieces, key=_size_preference)
        if _HALF_AS_ONE.match(fold_name(portion.label)):
            count *= portion.base_amount
        return Amount(portion, count, "pcs", exact=size is None)
    # Then "a coffee" is a cup of it, "an avocado" its "1 avocado" serving, "a coke"
    # its can (not the 22 fl oz fountain drink its medium is).
    for unit in ("serving", "cup"):
        measured = [portion for portion in food.portions if portion.base_unit == unit]
        if measured:
            portion = min(
                measured, key=lambda one: (not _names_container(one), _size_preference(one))
            )
            if _counts_pieces(food, portion):
                # "10 grapes" is 10 servings of one grape: "20 grapes" is 20 of them.
                return Amount(portion, count, unit, exact=False)
            return Amount(portion, count * portion.base_amount, unit, exact=False)
    return Amount(default, count * default.base_amount, default.base_unit, exact=False)


# The counted portions a food named without an amount means: "bacon" is a slice
# of it (USDA's "1 slice cooked", 8.1 g), "toast" a slice (22 g), not 100 g.
_USUAL_PIECE = re.compile(r"^1 (?:slices?|strips?|pieces?|medium)\b")


def _usual_piece(food: Food) -> PortionFields | None:
    """The one counted portion "bacon" or "toast" without an amount means; None when none.

    A slice, a strip, a piece or a medium one (an estimate the app asks
    about); a food without one keeps its default portion.
    """
    usual = [
        portion
        for portion in food.portions
        if portion.base_unit == "pcs" and _USUAL_PIECE.match(fold_name(portion.label))
    ]
    return min(usual, key=_size_preference) if usual else None


def _names_container(portion: PortionFields) -> bool:
    """Whether the portion is a can or a bottle of the food: "1 can or bottle (12 fl oz)"."""
    return _names_measure(portion.label, "can") or _names_measure(portion.label, "bottle")


def _counts_pieces(food: Food, portion: PortionFields) -> bool:
    """Whether the portion's amount counts pieces of the food: "10 grapes" of grapes.

    Its label starts with its amount and a word of the food's name ("22 chips",
    "10 beans (4\" long)"); "6 inch sub" measures the thing instead (6 of it is one sub).
    """
    words = _LABEL_WORD.findall(fold_name(portion.label))
    leading = _LEADING_COUNT.match(fold_name(portion.label))
    if leading is None or Decimal(leading["count"]) != portion.base_amount or not words:
        return False
    named = {
        form for word in _LABEL_WORD.findall(fold_name(food.name)) for form in number_forms(word)
    }
    return bool(number_forms(words[0]) & named)


def _size_of(label: str) -> str | None:
    """The size a portion's label names early on: "1 extra large" → "extra large",
    "croissant, large" → "large"; None for "1 fruit"."""
    words = _LABEL_WORD.findall(fold_name(label))[:3]
    for size in _ALL_SIZES:
        length = len(size.split())
        if any(words[i : i + length] == size.split() for i in range(len(words))):
            return size
    return None


def _size_first(portion: PortionFields) -> tuple[int, int, str]:
    words = _LABEL_WORD.findall(fold_name(portion.label))
    position = next((i for i, word in enumerate(words) if word in _ALL_SIZES), len(words))
    return (position, len(portion.label), portion.label)


def _size_preference(portion: PortionFields) -> tuple[int, int, str]:
    """A bare count's portion: a medium one, else one of no size ("1 fruit"), else large…"""
    size = _size_of(portion.label)
    rank = _SIZES.index(size) if size in _SIZES else len(_SIZES)
    return (rank, len(portion.label), portion.label)


def _household(food: Food, count: Decimal, measure: str, default: PortionFields) -> Amount | None:
    named = [portion for portion in food.portions if _names_measure(portion.label, measure)]
    if named:
        # "1 serving medium" before "1 serving large" and "small", as a bare count does.
        portion = min(named, key=_size_preference)
        if portion.base_unit in units.COUNT_UNITS:
            return Amount(portion, count, portion.base_unit)
        return Amount(portion, count * portion.base_amount, portion.base_unit)
    if measure == "piece":
        # "a piece of chocolate" is no whole bar (112 g, 648 kcal): a piece is a
        # counted portion that is not the whole thing; none, no proposal.
        parts = [
            portion
            for portion in food.portions
            if not _WHOLE_THING.search(fold_name(portion.label))
        ]
        if not any(portion.base_unit == "pcs" for portion in parts):
            return None
        return _counted(replace(food, portions=tuple(parts)), count, default)
    wine = _wine_measure(food, count, measure)
    if wine is not None:
        return wine
    if measure in ("can", "bottle"):
        # None named ("a bottle of beer": its "1 can"): read as a count of the food.
        return replace(_counted(food, count, default), exact=False)
    if measure == "serving":
        return Amount(default, count * default.base_amount, default.base_unit)
    if measure in HOUSEHOLD_ESTIMATES:
        size, unit = HOUSEHOLD_ESTIMATES[measure]
        return _converted(food, count * size, unit, exact=False)
    return None


# Wine's glass and bottle: the standard serving of wine is 5 US fl oz (SR28's
# "serving (5 fl oz)", 147–148 g; the Dietary Guidelines' and NIAAA's drink), not
# quick add's 250 ml glass; a bottle is 750 ml (the standard wine bottle), not
# one serving. A beer's bottle stays its 12 fl oz "1 can".
_WINE = re.compile(r"\bwine\b")
_FIVE_FLUID_OUNCES = re.compile(r"\b5 fl\.? ?oz\b")
WINE_GLASS_ML = MILLILITRES_PER["floz"] * 5
WINE_BOTTLE_ML = Decimal(750)


def _wine_measure(food: Food, count: Decimal, measure: str) -> Amount | None:
    """A glass of wine (its 5 fl oz serving) or a bottle (750 ml); None for other foods."""
    if measure not in ("glass", "bottle") or not _WINE.search(fold_name(food.name)):
        return None
    if measure == "bottle":
        return _converted(food, count * WINE_BOTTLE_ML, "ml", exact=False)
    served = [p for p in food.portions if _FIVE_FLUID_OUNCES.search(fold_name(p.label))]
    if served:
        portion = served[0]
        return Amount(portion, count * portion.base_amount, portion.base_unit, exact=False)
    return _converted(food, count * WINE_GLASS_ML, "ml", exact=False)


def _names_measure(label: str, measure: str) -> bool:
    """The label's measure word is ``measure``: "1 slice, large" names a slice."""
    words = _LABEL_WORD.findall(fold_name(label))
    forms = (measure, measure + "s", measure + "es")
    if words[1:2] == ["or"]:
        words = [words[0], *words[2:]]  # "1 can or bottle (12 fl oz)" names a bottle too
        return bool(set(words[:2]) & set(forms))
    return bool(words) and words[0] in forms
