"""Amounts as labels and people write them: "2", "0,5", "½", "1 1/2", "1½", "1-1/2".

One reader for every place that turns text into a quantity: the serving
sizes of catalog imports ("½ cup (120 ml)") and quick add ("1 1/2 slices").
Pure, no Django.

What is read, at the start of a text:

- integers and decimals with a point or a comma: "30", "1.5", "0,5", ".5";
  a comma is a decimal comma ("0,5 l" is half a litre) unless it groups
  thousands before a decimal point ("1,234.5");
- fractions with a slash, the fraction slash ⁄ (U+2044) or the division
  slash ∕ (U+2215): "1/2", "3⁄4"; also "¹⁄₂" in superscript/subscript digits;
- every Unicode vulgar fraction character (½ ⅓ ⅔ ¼ ¾ ⅕ … ⅛ ⅞ ⅒ ↉), valued
  by ``unicodedata.numeric``;
- mixed numbers: a whole number, then a fraction directly, after spaces or
  after a hyphen: "1½", "1 ½", "1 1/2", "1-1/2", "1-½".

Number words ("two", "half") are not read here; quick add layers them on top.
A fraction whose denominator is 0 is not an amount.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from fractions import Fraction

# Every character Unicode names VULGAR FRACTION (Latin-1's ¼ ½ ¾ and the
# Number Forms block), with its value. ⅟ ("fraction numerator one") has no
# value of its own and is left out.
VULGAR_FRACTIONS: dict[str, Fraction] = {
    char: Fraction(unicodedata.numeric(char)).limit_denominator(100)
    for char in map(chr, [*range(0x00BC, 0x00BF), *range(0x2150, 0x2160), 0x2189])
    if unicodedata.name(char, "").startswith("VULGAR FRACTION")
    and unicodedata.numeric(char, None) is not None
}
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUBSCRIPT_DIGITS = "₀₁₂₃₄₅₆₇₈₉"
_TO_ASCII = str.maketrans(SUPERSCRIPT_DIGITS + SUBSCRIPT_DIGITS, "0123456789" * 2)

_VULGAR = "[" + "".join(VULGAR_FRACTIONS) + "]"
_SLASH = "[/\u2044\u2215]"
_FRACTION = (
    rf"(?:(?P<num>[0-9]+){_SLASH}(?P<den>[0-9]+)"
    rf"|(?P<sup>[{SUPERSCRIPT_DIGITS}]+){_SLASH}(?P<sub>[{SUBSCRIPT_DIGITS}]+)"
    rf"|(?P<vulgar>{_VULGAR}))"
)
# Spaces within a line, the no-break space of labels included.
_SPACE = r"[^\S\r\n]"
# A mixed number's whole part: followed by spaces or a hyphen, or directly by
# a vulgar fraction ("1½"). A slash fraction needs the separator: "11/2" is
# eleven halves.
_WHOLE = rf"(?P<whole>[0-9]+)(?:{_SPACE}*-{_SPACE}*|{_SPACE}+|(?={_VULGAR}))"
# "1,234.5" (grouped thousands with a decimal point), "0,5", "1.5", ".5", "30".
_NUMBER = r"(?P<number>[0-9]{1,3}(?:,[0-9]{3})+\.[0-9]+|[0-9]*[.,][0-9]+|[0-9]+)"

LEADING_AMOUNT = re.compile(
    rf"\s*(?:(?:{_WHOLE})?{_FRACTION}|{_NUMBER})(?P<rest>.*)",
    re.DOTALL,
)
"""Matches a text that starts with an amount; ``split_leading_amount`` reads its groups."""


def split_leading_amount(text: str) -> tuple[Decimal, str] | None:
    """The amount a text starts with and the rest, stripped; None without one.

    "½ cup (120 ml)" → (Decimal("0.5"), "cup (120 ml)"); "1-1/2 cup" → (1.5,
    "cup"); "30g" → (30, "g"); "cup" → None. Thirds and the like are exact to
    Decimal's 28 significant digits (⅓ → 0.3333…); round where you store.
    """
    match = LEADING_AMOUNT.match(text)
    if match is None:
        return None
    amount = _value(match)
    if amount is None:
        return None
    return amount, match["rest"].strip()


def parse_amount(text: str) -> Decimal | None:
    """``text`` read as one amount ("1 1/2" → 1.5, "0,5" → 0.5, "⅔" → 0.666…), else None.

    Surrounding whitespace is ignored; anything else after the amount
    ("2 cups", "1/2/3") makes the text not an amount.
    """
    split = split_leading_amount(text)
    if split is None or split[1]:
        return None
    return split[0]


def _value(match: re.Match[str]) -> Decimal | None:
    if match["number"] is not None:
        number = match["number"]
        number = number.replace(",", "") if "." in number else number.replace(",", ".")
        return Decimal(number)
    fraction = _fraction(match)
    if fraction is None:
        return None
    whole = match["whole"] or "0"
    value = int(whole) + fraction
    return Decimal(value.numerator) / Decimal(value.denominator)


def _fraction(match: re.Match[str]) -> Fraction | None:
    if match["vulgar"] is not None:
        return VULGAR_FRACTIONS[match["vulgar"]]
    if match["num"] is not None:
        numerator, denominator = match["num"], match["den"]
    else:
        numerator = match["sup"].translate(_TO_ASCII)
        denominator = match["sub"].translate(_TO_ASCII)
    if int(denominator) == 0:
        return None
    return Fraction(int(numerator), int(denominator))
