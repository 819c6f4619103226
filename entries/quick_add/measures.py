"""The units and sizes people write in quick add, and what each one measures.

Three kinds of unit:

- the contract's units (g, kg, mg, ml, l, cup, tbsp, tsp), converted by
  ``products.units`` with the diary's own definitions (a cup is 240 ml);
- US customary and imperial units that are not the contract's (ounces,
  pounds, fluid ounces, pints, quarts, gallons, centilitres, decilitres),
  converted to grams or millilitres by ``pint`` — the factors are read from
  its definitions once per process (a registry costs about 0.25 s to build,
  a conversion 30 µs);
- household measures (slice, piece, bowl, glass, handful, serving, splash) resolved
  against the food's own portions (``proposal``).

"oz" alone is an ounce by weight, except for a food measured in fluid ounces
(its portions say "fl oz": milk, juice, coffee), where "8 oz" is 8 US fluid
ounces, as people mean it. Sizes ("large", "medium", …) pick the portion of
that size ("1 large" egg).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pint

_REGISTRY = pint.UnitRegistry(non_int_type=Decimal)


def _factor(unit: str, to: str) -> Decimal:
    """How many ``to`` one ``unit`` is, from pint's definitions, to 4 decimal places."""
    value = (Decimal(1) * _REGISTRY(unit)).to(to).magnitude
    return Decimal(value).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


# Written unit → (what it converts to, how many of it one is). US customary
# volumes: the US is where people write cups and fluid ounces.
GRAMS_PER: dict[str, Decimal] = {
    "oz": _factor("avoirdupois_ounce", "gram"),
    "lb": _factor("avoirdupois_pound", "gram"),
}
MILLILITRES_PER: dict[str, Decimal] = {
    "floz": _factor("US_fluid_ounce", "milliliter"),
    "pint": _factor("US_pint", "milliliter"),
    "quart": _factor("US_liquid_quart", "milliliter"),
    "gallon": _factor("US_liquid_gallon", "milliliter"),
    "cl": _factor("centiliter", "milliliter"),
    "dl": _factor("deciliter", "milliliter"),
}
CONTRACT_UNITS = ("mg", "g", "kg", "ml", "l", "cup", "tbsp", "tsp")
HOUSEHOLD = ("slice", "piece", "bowl", "glass", "handful", "serving", "splash", "can", "bottle")

# Spellings → the unit they stand for. Two-word units ("fl oz", "fluid
# ounces") are joined into one word before reading ("floz").
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "mg": ("mg", "milligram", "milligrams", "milligramme", "milligrammes"),
    "g": ("g", "gr", "gram", "grams", "gramme", "grammes", "grs"),
    "kg": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes"),
    "ml": ("ml", "mls", "millilitre", "millilitres", "milliliter", "milliliters"),
    "l": ("l", "litre", "litres", "liter", "liters"),
    "cl": ("cl", "centilitre", "centilitres", "centiliter", "centiliters"),
    "dl": ("dl", "decilitre", "decilitres", "deciliter", "deciliters"),
    "oz": ("oz", "ozs", "ounce", "ounces"),
    "floz": ("floz",),
    "lb": ("lb", "lbs", "pound", "pounds", "livre", "livres"),
    "pint": ("pint", "pints", "pt", "pinte", "pintes"),
    "quart": ("quart", "quarts", "qt"),
    "gallon": ("gallon", "gallons", "gal"),
    "cup": ("cup", "cups", "tasse", "tasses"),
    "tbsp": ("tbsp", "tbs", "tbl", "tablespoon", "tablespoons", "cuillere a soupe", "cas"),
    "tsp": ("tsp", "teaspoon", "teaspoons", "cuillere a cafe", "cac"),
    # "une part de pizza", "une part de gâteau": a slice.
    "slice": ("slice", "slices", "tranche", "tranches", "part", "parts"),
    # A strip of bacon is a piece of it ("1 slice cooked").
    "piece": ("piece", "pieces", "pc", "pcs", "morceau", "morceaux", "strip", "strips"),
    # A plate of pasta or rice holds about what a bowl does (an estimate either way).
    "bowl": ("bowl", "bowls", "bol", "bols", "plate", "plates", "assiette", "assiettes"),
    "glass": ("glass", "glasses", "verre", "verres"),
    "handful": ("handful", "handfuls", "poignee", "poignees"),
    "serving": ("serving", "servings", "portion", "portions"),
    "splash": ("splash", "splashes", "nuage", "nuages"),
    # Only through a portion that names them ("1 can or bottle (12 fl oz)").
    "can": ("can", "cans", "tin", "tins", "canette", "canettes", "boite", "boites"),
    "bottle": ("bottle", "bottles", "bouteille", "bouteilles"),
}
UNIT_WORDS: dict[str, str] = {
    spelling: unit for unit, spellings in _SPELLINGS.items() for spelling in spellings
}
# "fl oz", "fl. oz.", "fluid ounces", "fl ounce" → "floz"; the French spoon measures.
FLUID_OUNCE_SPELLINGS = r"\b(?:fl\.?|fluid)\s*(?:oz\.?|ounces?)(?!\w)"

# Size words → the size a portion label names ("1 large", "1 medium (7" long)").
SIZES: dict[str, str] = {
    "small": "small",
    "little": "small",
    "petit": "small",
    "petite": "small",
    "medium": "medium",
    "moyen": "medium",
    "moyenne": "medium",
    "large": "large",
    "big": "large",
    "gros": "large",
    "grosse": "large",
    "grand": "large",
    "grande": "large",
    "extra large": "extra large",
    "extra-large": "extra large",
    "xl": "extra large",
    "jumbo": "jumbo",
    "extra small": "extra small",
}
