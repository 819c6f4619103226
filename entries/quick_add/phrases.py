"""Reading what people type: "2 eggs and a slice of toast" → pieces with quantity and unit.

Pure, no Django. Digits, decimals and fractions are read by
``products.amounts`` (the one amount reader); this module adds number words
("one" … "twelve", "a", "an", "half", "a couple of", "a dozen"), the units and
household measures people write, and the splitting into pieces.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from products.amounts import parse_amount, split_leading_amount
from products.folding import fold_name

MAX_TEXT_LENGTH = 500

# What separates foods: "and", "with", "+", commas (not decimal commas: "1,5 kg"),
# semicolons and new lines. French: "et", "avec", and the "au" of "café au lait"
# (coffee with milk; "pain au chocolat" stays one food).
_SEPARATORS = {
    "en": r"\band\b|\bwith\b|\bplus\b|&",
    "fr": r"\bet\b|\bavec\b|\bau(?= lait\b)",
}
_PUNCTUATION = r"\+|;|\n|(?<!\d),|,(?!\d)"

ONE_TO_TWELVE = (
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
    ],
    [
        "un",
        "deux",
        "trois",
        "quatre",
        "cinq",
        "six",
        "sept",
        "huit",
        "neuf",
        "dix",
        "onze",
        "douze",
    ],
)
NUMBER_WORDS: dict[str, Decimal] = {
    **{word: Decimal(n) for words in ONE_TO_TWELVE for n, word in enumerate(words, start=1)},
    "une": Decimal(1),
    "a": Decimal(1),
    "an": Decimal(1),
    "half": Decimal("0.5"),
    "demi": Decimal("0.5"),
    "demie": Decimal("0.5"),
    "dozen": Decimal(12),
}
# Phrases read before single words: "a couple of eggs", "half a cup", "a dozen".
_NUMBER_PHRASES: tuple[tuple[str, Decimal], ...] = (
    ("a couple of", Decimal(2)),
    ("couple of", Decimal(2)),
    ("a couple", Decimal(2)),
    ("a few", Decimal(3)),
    ("half a", Decimal("0.5")),
    ("half an", Decimal("0.5")),
    ("a half", Decimal("0.5")),
    ("a dozen", Decimal(12)),
)

# Written unit → the unit it stands for: a contract unit (products.models.Unit),
# an imperial mass converted to grams, or a household measure resolved against
# the food's portions (``proposal``).
_UNIT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "mg": ("mg", "milligram", "milligrams"),
    "g": ("g", "gr", "gram", "grams", "gramme", "grammes"),
    "kg": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms"),
    "ml": ("ml", "millilitre", "millilitres", "milliliter", "milliliters"),
    "l": ("l", "litre", "litres", "liter", "liters"),
    "oz": ("oz", "ounce", "ounces"),
    "lb": ("lb", "lbs", "pound", "pounds"),
    "cup": ("cup", "cups", "tasse", "tasses"),
    "tbsp": ("tbsp", "tbs", "tablespoon", "tablespoons"),
    "tsp": ("tsp", "teaspoon", "teaspoons"),
    "slice": ("slice", "slices", "tranche", "tranches"),
    "piece": ("piece", "pieces", "pc", "pcs"),
    "bowl": ("bowl", "bowls", "bol", "bols"),
    "glass": ("glass", "glasses", "verre", "verres"),
    "handful": ("handful", "handfuls", "poignee", "poignees"),
    "serving": ("serving", "servings", "portion", "portions"),
}
UNIT_WORDS: dict[str, str] = {
    spelling: unit for unit, spellings in _UNIT_SPELLINGS.items() for spelling in spellings
}
GRAMS_PER_IMPERIAL = {"oz": Decimal("28.3495"), "lb": Decimal("453.592")}
# Words between a quantity or unit and the food: "a cup of rice", "2 tranches de pain".
_FILLERS = frozenset({"of", "de", "d", "du", "des", "the", "le", "la", "les", "x"})
_UNIT_PATTERN = "|".join(sorted(map(re.escape, UNIT_WORDS), key=len, reverse=True))
# "chicken breast 200g", "rice (150 g)": an amount written after the food.
_TRAILING_AMOUNT = re.compile(
    rf"^(?P<food>.+?)\s*\(?\s*(?P<amount>\d+(?:[.,]\d+)?)\s*(?P<unit>{_UNIT_PATTERN})\s*\)?$"
)


@dataclass(frozen=True)
class Phrase:
    """One food as written: ``text``, its quantity and unit (None when not said), the food."""

    text: str
    quantity: Decimal | None
    unit: str | None
    food: str


def split_pieces(text: str, locale: str = "en") -> list[str]:
    """The pieces of ``text`` that each name one food, stripped, empty ones dropped."""
    separators = _SEPARATORS.get(locale, _SEPARATORS["en"])
    pieces = re.split(f"{_PUNCTUATION}|{separators}", text, flags=re.IGNORECASE)
    return [" ".join(piece.split()).strip(" .!?") for piece in pieces if piece and piece.strip()]


def read_phrase(piece: str, locale: str = "en") -> Phrase:
    """A piece read as quantity, unit and food: "½ cup of rice" → (0.5, "cup", "rice").

    Numbers are read as ``locale`` writes them (``products.amounts``): in
    English "1,000 g" is a kilogram.
    """
    rest = piece.lower().replace("’", "'")
    quantity, rest = _leading_quantity(rest, locale)
    # The rest folded (no accents) like the names it is compared with: "poignée" is
    # "poignee". Not before the amount: folding turns "1½" into "11⁄2".
    rest = fold_name(rest).replace("d'", "de ")
    unit, rest = _leading_unit(rest)
    if quantity is not None and unit is None and rest.startswith(("a ", "an ")):
        # "half a banana": the article belongs to the quantity.
        rest = rest.split(" ", 1)[1]
    if quantity is None and unit is None:
        trailing = _TRAILING_AMOUNT.match(rest)
        if trailing is not None:
            quantity = parse_amount(trailing["amount"], locale=locale)
            unit = UNIT_WORDS[trailing["unit"]]
            rest = trailing["food"]
    words = [word for word in re.split(r"[\s()]+", rest) if word]
    while words and words[0] in _FILLERS:
        words.pop(0)
    return Phrase(text=piece, quantity=quantity, unit=unit, food=" ".join(words))


def _leading_quantity(text: str, locale: str) -> tuple[Decimal | None, str]:
    for phrase, value in _NUMBER_PHRASES:
        if text == phrase or text.startswith(phrase + " "):
            return value, text[len(phrase) :].strip()
    split = split_leading_amount(text, locale=locale)
    if split is not None:
        return split
    first, _, rest = text.partition(" ")
    if first in NUMBER_WORDS and rest:
        return NUMBER_WORDS[first], rest.strip()
    return None, text


def _leading_unit(text: str) -> tuple[str | None, str]:
    first, _, rest = text.partition(" ")
    first = first.rstrip(".")
    if first in UNIT_WORDS and rest:
        return UNIT_WORDS[first], rest.strip()
    return None, text
