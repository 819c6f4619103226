"""Reading what people type: "2 large eggs and 1 and 1/2 cups of milk" → pieces with amounts.

Pure, no Django. Digits, decimals and fractions are read by
``products.amounts`` (the one amount reader); this module adds what people
write around them, in the order it reads a piece:

1. **pieces**: commas (not decimal ones), semicolons, "+" and new lines always
   separate foods; "and", "with", "plus", "&" (French "et", "avec") separate
   them too, except inside an amount ("1 and 1/2 cups", "two and a half",
   "une tasse et demie") and — decided by the parser, which can ask the
   database — inside the name of a food ("mac and cheese"): ``split_pieces``
   gives each piece with the soft separators inside it;
2. **the amount**: numbers, number words ("one" … "twenty", "un" …
   "vingt"), "a"/"an", "half", "a couple of", "a few", dozens ("half a dozen",
   "une demi-douzaine"), a count times an amount ("2 x 100g", "2×100 g" is
   200 g); a minus sign makes the piece unusable, never a food;
3. **the unit** (``measures``): "g", "cups", "fl oz", "tranches" …, also
   written after the food ("chicken breast 200g", "rice (150 g)");
4. **the size**: "small", "medium", "large", "extra large", "jumbo";
5. **the food**: the words left, without fillers ("of", "de", "some").

A piece whose only content is an amount or a unit ("200g", "2 cups") names
no food: it says so in ``problem`` and lands in ``unparsed``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from entries.quick_add.measures import FLUID_OUNCE_SPELLINGS, SIZES, UNIT_WORDS
from products.amounts import TYPESET_SPACES, parse_amount, split_leading_amount
from products.folding import fold_name

MAX_TEXT_LENGTH = 500

NEGATIVE, ZERO, NO_FOOD = "negative amount", "zero amount", "no food named"

_NUMBER_NAMES = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty",
    "un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
    "seize dix-sept dix-huit dix-neuf vingt",
)
NUMBER_WORDS: dict[str, Decimal] = {
    **{
        word: Decimal(n) for names in _NUMBER_NAMES for n, word in enumerate(names.split(), start=1)
    },
    "une": Decimal(1),
    "thirty": Decimal(30),
    "forty": Decimal(40),
    "fifty": Decimal(50),
    "trente": Decimal(30),
    "quarante": Decimal(40),
    "cinquante": Decimal(50),
}
ARTICLES = frozenset({"a", "an", "un", "une"})
HALVES = frozenset({"half", "demi", "demie", "mi"})
DOZENS = frozenset({"dozen", "dozens", "douzaine", "douzaines"})
# "a couple of eggs", "a few almonds", "quelques amandes".
VAGUE_COUNTS = {"couple": Decimal(2), "few": Decimal(3), "quelques": Decimal(3)}
FILLERS = frozenset({"of", "de", "d", "du", "des", "the", "le", "la", "les", "x", "some", "my"})
# "demi-litre", "half-pint": half of a measure written as one word (not "demi-écrémé",
# semi-skimmed, a word of the food).
_HALF_A_MEASURE = re.compile(
    r"\b(demi|half)-(?=(?:litres?|liters?|kilos?|kg|livres?|tasses?|verres?|bouteilles?"
    r"|pintes?|pints?|cups?|pounds?|lb)\b)"
)
# In French "the" is "thé" folded (tea, often typed without its accent), not an article.
FILLERS_BY_LOCALE = {"fr": FILLERS - {"the"}}
# Meals and times are not foods ("lunch" is no "School Lunch, chicken patty").
MEAL_WORDS = frozenset(
    {"breakfast", "brunch", "lunch", "dinner", "supper", "meal", "snack"}
    | {"dejeuner", "diner", "souper", "repas", "gouter", "petit"}
)

# Hard separators: always between foods. A comma between digits is a decimal comma.
# A "+" in an exponent ("1e+9") is the number's.
_HARD = re.compile(r"(?<!\d[eE])\+|;|\n|(?<!\d),|,(?!\d)")
_SOFT = {
    "en": re.compile(r"\s+(?:and|with|plus|&)\s+|\s*&\s*", re.IGNORECASE),
    "fr": re.compile(r"\s+(?:et|avec|&)\s+|\s+au(?= lait\b)\s*", re.IGNORECASE),
}
# Fractions written after "and"/"et": "1 and 1/2", "two and a half", "deux et demi".
_FRACTION_WORDS = {
    "a half": "1/2",
    "an half": "1/2",
    "one half": "1/2",
    "a quarter": "1/4",
    "one quarter": "1/4",
    "three quarters": "3/4",
    "a third": "1/3",
    "one third": "1/3",
    "two thirds": "2/3",
    "demi": "1/2",
    "demie": "1/2",
    "quart": "1/4",
    "un quart": "1/4",
    "trois quarts": "3/4",
    "un tiers": "1/3",
}
_WHOLE = r"\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_FRACTION = r"\d+\s*/\s*\d+|[½¼¾⅓⅔⅛]|" + "|".join(
    sorted(map(re.escape, _FRACTION_WORDS), key=len, reverse=True)
)
_MIXED_NUMBER = re.compile(
    rf"\b(?P<whole>{_WHOLE})\s+(?:and|et)\s+(?P<fraction>{_FRACTION})(?![\w/])", re.IGNORECASE
)
# "une tasse et demie" (French puts the half after the unit): "1 1/2 tasse".
_UNIT_AND_A_HALF = re.compile(
    rf"\b(?P<whole>{_WHOLE})\s+(?P<unit>[^\W\d]+)\s+et\s+demie?\b", re.IGNORECASE
)
_UNIT_PATTERN = "|".join(
    sorted((re.escape(word) for word in UNIT_WORDS if " " not in word), key=len, reverse=True)
)
# "chicken breast 200g", "rice (150 g)": an amount written after the food.
_TRAILING_AMOUNT = re.compile(
    rf"^(?P<food>.+?)\s*[(,]?\s*(?P<amount>\d+(?:[.,]\d+)?)\s*(?P<unit>{_UNIT_PATTERN})\.?\s*\)?$"
)
# The same with thousands grouped ("riz 1 500 g", "rice 1,000,000 mg"), tried first: when
# the locale does not read the groups as one number ("rice 2 100 g" in English), the
# plain pattern above takes the last number.
_TRAILING_GROUPED = re.compile(
    rf"^(?P<food>.+?)\s*[(,]?\s*(?P<amount>\d{{1,3}}(?:[ ,.\u00a0\u202f\u2009]\d{{3}})+"
    rf"(?:[.,]\d+)?)\s*(?P<unit>{_UNIT_PATTERN})\.?\s*\)?$"
)
_WORD = re.compile(r"[^\s()]+")
# "2 x 100g rice", "2x100 g", "2 × 100 g": a count of an amount, read as their product.
# Only before a digit: "2 x eggs" keeps "x" as the filler it is.
_MULTIPLIER = re.compile(r"\s*(?P<times>\d+)\s*[x×]\s*(?=\d)")
# "1e9 g", "1.5e2 g": read whole, so that an amount past an entry's range is one
# (and lands in unparsed) instead of 1 of a food called "e9 g rice".
_EXPONENT = re.compile(r"\s*(?P<amount>\d+(?:\.\d+)?e[+-]?\d+)")
# Beyond any entry's range either way (``rules.MAX_QUANTITY``); keeps the
# arithmetic on "1e99999999" finite.
_EXPONENT_LIMIT = 30


def _bounded(value: Decimal) -> Decimal:
    """``value`` within 1e-30 … 1e30, compared by exponent: no context, no overflow."""
    if value.adjusted() > _EXPONENT_LIMIT:
        return Decimal(10) ** _EXPONENT_LIMIT
    if value.adjusted() < -_EXPONENT_LIMIT:
        return Decimal(10) ** -_EXPONENT_LIMIT
    return value


# A food's words that start with a measure: an amount read only in part ("1 500 g
# rice" in English is 1, then "500 g rice"). "2% milk" and "7up" are names.
_MEASURE_FIRST = re.compile(rf"\d+(?:[.,]\d+)?\s*(?:{_UNIT_PATTERN})\b")


def starts_with_measure(food: str) -> bool:
    """Whether a phrase's food words start with an amount and a unit ("500 g rice")."""
    return _MEASURE_FIRST.match(food) is not None


@dataclass(frozen=True)
class Piece:
    """A run of text between hard separators, its parts between soft ones ("and") and those."""

    text: str
    parts: tuple[str, ...]
    joiners: tuple[str, ...] = ()  # between parts, as written

    def text_between(self, first: int, last: int) -> str:
        """Parts ``first`` to ``last`` as written, with the "and"s between them."""
        text = self.parts[first]
        for k in range(first, last):
            text += self.joiners[k] + self.parts[k + 1]
        return _clean(text)


@dataclass(frozen=True)
class Phrase:
    """One food as written: ``text``, its amount, unit and size (None when not said), the food.

    ``problem`` says why the text cannot become an entry (a negative or zero
    amount, or no food named); ``food`` is folded ("oeufs" for "œufs").
    """

    text: str
    quantity: Decimal | None
    unit: str | None
    food: str
    size: str | None = None
    problem: str | None = None


def _mixed_numbers(text: str) -> str:
    """ "1 and 1/2" → "1 1/2", "two and a half" → "2 1/2", "une tasse et demie" → "1 1/2 tasse"."""

    def whole(value: str) -> str:
        return str(NUMBER_WORDS.get(value.lower(), value))

    def mixed(match: re.Match[str]) -> str:
        fraction = match["fraction"].lower()
        fraction = _FRACTION_WORDS.get(" ".join(fraction.split()), fraction)
        return f"{whole(match['whole'])} {fraction.replace(' ', '')}"

    text = _MIXED_NUMBER.sub(mixed, text)
    return _UNIT_AND_A_HALF.sub(lambda m: f"{whole(m['whole'])} 1/2 {m['unit']}", text)


def split_pieces(text: str, locale: str = "en") -> list[Piece]:
    """The pieces of ``text``, each with its parts between "and"-like words; empty ones dropped."""
    soft = _SOFT.get(locale, _SOFT["en"])
    pieces = []
    for chunk in _HARD.split(_mixed_numbers(text.replace("’", "'"))):
        text_of_chunk = _clean(chunk)
        if not text_of_chunk:
            continue
        # re.split with the separator captured: part, joiner, part, joiner, part …
        # Padded, so that a lone "and" is a separator with nothing around it.
        split = re.split(f"({soft.pattern})", f" {text_of_chunk} ", flags=soft.flags)
        parts: list[str] = []
        joiners: list[str] = []
        for index in range(0, len(split), 2):
            part = _clean(split[index])
            if not part:
                continue
            for n, copy in enumerate(_repeats(part)):
                if parts:
                    joiners.append(" " if n else split[index - 1])
                parts.append(copy)
        if parts:
            pieces.append(Piece(text=text_of_chunk, parts=tuple(parts), joiners=tuple(joiners)))
    return pieces


def _repeats(part: str) -> list[str]:
    """A phrase written several times over as its copies: "2 eggs 2 eggs" → two "2 eggs".

    Read as one, the food would be "eggs 2 eggs" (an egg custard mix through
    its "2%"); each copy is an item the user sees and can remove. Only copies
    that start with an amount: "mahi mahi" is one fish.
    """
    words = part.split()
    folded = [word.casefold() for word in words]
    if not folded or not (folded[0][0].isdigit() or folded[0] in NUMBER_WORDS.keys() | ARTICLES):
        return [part]
    for length in range(2, len(words) // 2 + 1):  # an amount and a food
        times, rest = divmod(len(words), length)
        if not rest and folded == folded[:length] * times:
            return [" ".join(words[k : k + length]) for k in range(0, len(words), length)]
    return [part]


# A no-break, narrow no-break or thin space between digits groups thousands
# ("1\u202f500 g"): joined before spaces are collapsed, which would make it two numbers.
_TYPESET_GROUP = re.compile(rf"(?<=\d)[{TYPESET_SPACES}](?=\d{{3}}(?!\d))")


def _clean(text: str) -> str:
    return " ".join(_TYPESET_GROUP.sub("", text).split()).strip(" .!?")


def read_phrase(piece: str, locale: str = "en") -> Phrase:
    """A piece read as amount, unit, size and food: "½ cup of rice" → (0.5, "cup", "rice").

    Numbers are read as ``locale`` writes them (``products.amounts``): in
    English "1,000 g" is a kilogram.
    """
    text = piece.lower().replace("’", "'")
    text = _HALF_A_MEASURE.sub(r"\1 ", text)  # "un demi-litre" is "un demi litre": 0.5 l
    if re.match(r"\s*(?:[-−–]|minus\s+|moins\s+)\s*\d", text):
        return Phrase(text=piece, quantity=None, unit=None, food="", problem=NEGATIVE)
    times = _MULTIPLIER.match(text)
    if times is not None:
        text = text[times.end() :]
    exponent = _EXPONENT.match(text)
    if exponent is not None:
        quantity, rest = _bounded(Decimal(exponent["amount"])), text[exponent.end() :].strip()
    else:
        quantity, rest = _leading_quantity(text, locale)
    if times is not None and quantity is not None:
        quantity *= Decimal(times["times"])
    # The rest folded (no accents) like the names it is compared with: "poignée" is
    # "poignee", "œufs" "oeufs". Not before the amount: folding turns "1½" into "11⁄2".
    rest = re.sub(FLUID_OUNCE_SPELLINGS, "floz", fold_name(rest))
    rest = re.sub(r"\b(?:cuilleres?|c\.?) a (?:soupe|s\.)", "tbsp", rest)
    rest = re.sub(r"\b(?:cuilleres?|c\.?) a (?:cafe|c\.)", "tsp", rest)
    rest = re.sub(r"\b([dl])'", r"\1e ", rest)  # "d'oeufs" → "de oeufs"
    fillers = FILLERS_BY_LOCALE.get(locale, FILLERS)
    unit, rest = _leading_unit(rest, fillers)
    if unit is None:
        # "a small glass of wine": the size is the glass's, not a word of the food's.
        sized, after = _leading_size(rest)
        if sized is not None and _leading_unit(after, fillers)[0] is not None:
            unit, rest = _leading_unit(after, fillers)
    size, rest = _leading_size(_without_fillers(rest, fillers))
    if quantity is None and unit is None and re.search(r"\d", rest):
        grouped = _TRAILING_GROUPED.match(rest)
        if grouped is not None and parse_amount(grouped["amount"], locale=locale) is not None:
            trailing = grouped
        else:
            trailing = _TRAILING_AMOUNT.match(rest)
        if trailing is not None:
            quantity = parse_amount(trailing["amount"], locale=locale)
            unit = UNIT_WORDS[trailing["unit"]]
            rest = trailing["food"]
    food = " ".join(_without_fillers(" ".join(_WORD.findall(rest)), fillers).split())
    problem = None
    if quantity is not None and quantity <= 0:
        problem = ZERO
    elif (
        not re.search(r"[^\W\d_]", food)
        or food in UNIT_WORDS
        or food in SIZES
        or set(food.split()) <= MEAL_WORDS | fillers
    ):
        problem = NO_FOOD  # "200g", "2 cups", "2", "lunch": no food named
    return Phrase(text=piece, quantity=quantity, unit=unit, food=food, size=size, problem=problem)


def _without_fillers(text: str, fillers: frozenset[str] = FILLERS) -> str:
    words = text.split()
    while words and words[0] in fillers | ARTICLES:
        words.pop(0)
    return " ".join(words)


def _leading_quantity(text: str, locale: str) -> tuple[Decimal | None, str]:
    """The amount a piece starts with, in words or digits, and the rest."""
    value: Decimal | None = None
    article = False  # "a"/"an" alone is one, but gives way to what follows ("a half")
    split = split_leading_amount(text, locale=locale)
    if split is not None:
        value, text = split
    words = text.split()
    while words:
        word = words[0]
        if word in ARTICLES and (value is None or article) and len(words) > 1:
            value, article = value or Decimal(1), value is None
        elif word in ARTICLES and value is not None:
            pass  # "half a banana", "half a dozen"
        elif word in NUMBER_WORDS and value is None:
            value = NUMBER_WORDS[word]
        elif word in HALVES and (value is None or article):
            value, article = Decimal("0.5"), False
        elif word in DOZENS:
            value, article = (value or Decimal(1)) * 12, False
        elif word in VAGUE_COUNTS and (value is None or article):
            value, article = VAGUE_COUNTS[word], False
        elif word in FILLERS and value is not None and len(words) > 1 and words[1] in DOZENS:
            pass  # "half of a dozen"
        else:
            break
        words.pop(0)
    if article and value == 1 and words and words[0] in FILLERS:
        words.pop(0)
    return value, " ".join(words)


def _leading_unit(text: str, fillers: frozenset[str] = FILLERS) -> tuple[str | None, str]:
    first, _, rest = text.partition(" ")
    first = first.rstrip(".")
    if first in UNIT_WORDS:
        return UNIT_WORDS[first], _without_fillers(rest.strip(), fillers)
    return None, text


def _leading_size(text: str) -> tuple[str | None, str]:
    for words in (2, 1):
        head = " ".join(text.split()[:words])
        if head in SIZES and len(text.split()) > words:
            return SIZES[head], " ".join(text.split()[words:])
    return None, text
