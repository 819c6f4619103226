"""Amounts as labels and people write them: "2", "0,5", "½", "1 1/2", "1½", "1-1/2".

One reader for every place that turns text into a quantity: the serving
sizes of catalog imports ("½ cup (120 ml)") and quick add ("1 1/2 slices").
Pure, no Django.

What is read, at the start of a text:

- integers and decimals with a point or a comma: "30", "1.5", "0,5", ".5";
- thousands separators, as English ("1,000", "12,500.5") and German or
  French data ("1.000", "1.234,5") write them. A number that only one reading
  fits is read so ("1,000,000", "1,234.5", "0,500", "1,5"); one that both
  fit — a single "," or "." followed by exactly three digits, "1,000" — is
  ambiguous: ``amount_readings`` gives both (1.000 and 1000) for a caller that
  can tell them apart (a catalog import checks them against the serving's
  weight), and ``split_leading_amount`` reads it as the ``locale`` writes
  numbers: "en" groups thousands with a comma and writes decimals with a
  point (``1,000 g`` is a kilogram); without a locale both separators are
  decimal ones ("0,5 l" is half a litre) as before;
- thousands grouped by spaces: "1 500" with a no-break, narrow no-break or
  thin space always; with a plain space where the locale writes numbers so
  ("fr": "1 500 g" is 1.5 kg) or when the caller knows the text is one
  number (``amount_readings(spaced=True)``: a dump's "1 500" kJ). Elsewhere
  "2 100 g" stays 2, then "100 g";
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
from dataclasses import dataclass
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
# Grouped thousands: a first group of 1–3 digits (not a lone 0), then groups of
# exactly 3 after one separator used throughout, then optionally decimals after
# the other separator: "1,000", "1.000.000", "12,500.5", "1.234,5". Never
# followed by a digit ("1,0000" is a decimal).
_GROUPED = (
    r"(?P<grouped>(?:[1-9][0-9]{0,2})(?P<sep>[,.])[0-9]{3}(?:(?P=sep)[0-9]{3})*"
    r"(?P<decimals>(?!(?P=sep))[.,][0-9]+)?)(?![0-9])"
)
# Thousands grouped by spaces, as French and typeset text write them: "1 500",
# "12 500,5". A no-break, narrow no-break or thin space between groups is read
# so always (nothing else puts one between digits); a plain space only where
# the locale groups so (``SPACE_GROUPING_LOCALES``): in English "2 100 g
# yogurts" may be two 100 g pots.
TYPESET_SPACES = "\u00a0\u202f\u2009"
SPACE_GROUPING_LOCALES = frozenset({"fr"})


def _spaced(spaces: str) -> str:
    return rf"(?P<spaced>[1-9][0-9]{{0,2}}(?:[{spaces}][0-9]{{3}})+(?:[.,][0-9]+)?)(?![0-9])"


def _leading_amount(spaces: str) -> re.Pattern[str]:
    # Space-grouped, comma/point-grouped thousands, then "0,5", "1.5", ".5", "30".
    number = rf"(?P<number>{_spaced(spaces)}|{_GROUPED}|[0-9]*[.,][0-9]+|[0-9]+)"
    return re.compile(rf"\s*(?:(?:{_WHOLE})?{_FRACTION}|{number})(?P<rest>.*)", re.DOTALL)


LEADING_AMOUNT = _leading_amount(TYPESET_SPACES)
"""Matches a text that starts with an amount; ``split_leading_amount`` reads its groups."""
# The same where a plain space groups thousands too ("1 500 g" in French).
_LEADING_AMOUNT_SPACED = _leading_amount(" " + TYPESET_SPACES)


def amount_readings(text: str, *, spaced: bool = False) -> list[tuple[Decimal, str]]:
    """Every way the amount a text starts with can be read, with the rest; [] without one.

    One reading, except for a number whose single "," or "." may group
    thousands or mark decimals: "1,000 ml" → [(1.000, "ml"), (1000, "ml")],
    the decimal reading first. "1,000,000" and "1,234.5" are grouped only;
    "0,500" and "1,5" are decimals only. Thousands grouped by a no-break or
    thin space ("1\u202f500") are read so; by a plain space only when
    ``spaced`` ("1 500": a caller that knows the text is one number).
    """
    read = _read(text, spaced=spaced)
    return [] if read is None else [(value, read.rest) for value in read.values]


def split_leading_amount(text: str, *, locale: str | None = None) -> tuple[Decimal, str] | None:
    """The amount a text starts with and the rest, stripped; None without one.

    "½ cup (120 ml)" → (Decimal("0.5"), "cup (120 ml)"); "1-1/2 cup" → (1.5,
    "cup"); "30g" → (30, "g"); "cup" → None. Thirds and the like are exact to
    Decimal's 28 significant digits (⅓ → 0.3333…); round where you store.
    A "1,000" or "1.000" both readings fit is read as ``locale`` writes
    numbers: "en" → 1000 for "1,000" (and 1.000 for "1.000"); otherwise as
    decimals.
    """
    read = _read(text, spaced=locale in SPACE_GROUPING_LOCALES)
    if read is None:
        return None
    grouped = locale == "en" and read.ambiguous_separator == ","
    return read.values[-1 if grouped else 0], read.rest


def parse_amount(text: str, *, locale: str | None = None) -> Decimal | None:
    """``text`` read as one amount ("1 1/2" → 1.5, "0,5" → 0.5, "⅔" → 0.666…), else None.

    Surrounding whitespace is ignored; anything else after the amount
    ("2 cups", "1/2/3") makes the text not an amount. ``locale`` as for
    ``split_leading_amount``.
    """
    split = split_leading_amount(text, locale=locale)
    if split is None or split[1]:
        return None
    return split[0]


@dataclass(frozen=True)
class _Reading:
    """The values a leading amount may have (decimal reading first), and the rest of the text."""

    values: list[Decimal]
    rest: str
    ambiguous_separator: str | None = None


def _read(text: str, *, spaced: bool = False) -> _Reading | None:
    match = (_LEADING_AMOUNT_SPACED if spaced else LEADING_AMOUNT).match(text)
    if match is None:
        return None
    rest = match["rest"].strip()
    if match["spaced"] is not None:
        digits = re.sub(rf"[ {TYPESET_SPACES}]", "", match["spaced"]).replace(",", ".")
        return _Reading([Decimal(digits)], rest)  # only grouping fits
    if match["grouped"] is not None:
        grouped, separator, decimals = match["grouped"], match["sep"], match["decimals"]
        whole = grouped[: len(grouped) - len(decimals or "")].replace(separator, "")
        value = Decimal(whole + ("." + decimals[1:] if decimals else ""))
        if decimals or grouped.count(separator) > 1:
            return _Reading([value], rest)  # only grouping fits
        return _Reading([Decimal(grouped.replace(separator, ".")), value], rest, separator)
    if match["number"] is not None:
        return _Reading([Decimal(match["number"].replace(",", "."))], rest)
    value = _fraction_value(match)
    return None if value is None else _Reading([value], rest)


def _fraction_value(match: re.Match[str]) -> Decimal | None:
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
