"""Strict input: the one place that decides what a date, a number, a string or an id is.

Python and DRF are generous: ``date.fromisoformat`` takes ``20260101``,
Django's date regex takes ``2026-1-1``, ``int()`` and ``Decimal()`` take
full-width and Arabic-Indic digits and ``1_000``, DRF's ``CharField`` turns
the JSON number ``0`` into ``"0"``, ``BooleanField`` takes ``"yes"`` and
``UUIDField`` takes 32 bare hex digits. The API takes exactly what its schema
says, so clients cannot come to depend on an accident:

- a day is ``YYYY-MM-DD`` in ASCII digits, and a real date;
- a decimal is a JSON number or a string of ASCII digits with an optional
  ``-`` and fraction (no exponent, separator, blank or sign ``+``);
- a whole number in a body is a JSON integer; in a query string ASCII digits;
- a string is a JSON string, a boolean a JSON boolean, an id a canonical UUID
  string (``8-4-4-4-12`` hex digits).

- text people read (names, labels, notes, barcodes) hides nothing: control
  characters, bidirectional overrides and unpaired surrogates are refused,
  invisible characters at either end are trimmed like spaces, and text with
  nothing visible left is blank (``VisibleTextField``).

The parsers (``parse_day``, ``parse_query_int``...) are for code that reads
a query string without DRF (a fast path); the fields use them.
"""

import re
import unicodedata
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from rest_framework import serializers

DAY_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"

# re.ASCII: \d would match any Unicode digit; the classes above spell [0-9] anyway.
_DAY = re.compile(DAY_PATTERN.rstrip("$") + r"\Z", re.ASCII)
_DECIMAL = re.compile(DECIMAL_PATTERN.rstrip("$") + r"\Z", re.ASCII)
_INTEGER = re.compile(r"^-?[0-9]+\Z", re.ASCII)
_UUID = re.compile(UUID_PATTERN.rstrip("$") + r"\Z", re.ASCII)


def parse_day(value: object) -> date:
    """A day from ``YYYY-MM-DD`` (ASCII digits, a real date); ``ValueError`` otherwise."""
    if not isinstance(value, str) or not _DAY.match(value):
        raise ValueError("Use the format YYYY-MM-DD.")
    return date.fromisoformat(value)  # ValueError for 2026-02-30


def parse_decimal(value: object) -> Decimal:
    """A decimal from a JSON number or a plain ASCII decimal string; ``ValueError`` otherwise."""
    if isinstance(value, bool):
        raise ValueError("A number is required.")
    if isinstance(value, int | float):
        result = Decimal(str(value))
    elif isinstance(value, str) and _DECIMAL.match(value):
        result = Decimal(value)
    else:
        raise ValueError("A number is required.")
    if not result.is_finite():
        raise ValueError("A number is required.")
    return result


def parse_query_int(value: str) -> int:
    """A whole number from a query string: ASCII digits with an optional ``-``."""
    if not _INTEGER.match(value):
        raise ValueError("A whole number is required.")
    return int(value)


def parse_uuid(value: object) -> uuid.UUID:
    """An id from its canonical string form; ``ValueError`` otherwise."""
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str) or not _UUID.match(value):
        raise ValueError("Must be a valid UUID.")
    return uuid.UUID(value)


# --- DRF serializer fields ---------------------------------------------------


class StrictDateField(serializers.DateField):
    """A day as ``YYYY-MM-DD`` in ASCII digits, nothing else."""

    def to_internal_value(self, value: Any) -> date:
        try:
            return parse_day(value)
        except ValueError:
            self.fail("invalid", format="YYYY-MM-DD")


class StrictCharField(serializers.CharField):
    """A string that came as a JSON string (DRF turns the number ``0`` into ``"0"``)."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A whole number that came as a JSON integer (``12.0`` is one; ``"12"``, ``true`` are not)."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        if isinstance(data, float) and not data.is_integer():
            self.fail("invalid")
        return super().to_internal_value(data)


class QueryIntegerField(serializers.IntegerField):
    """A whole number in a query string: ASCII digits only (no ``١٢``, ``1_000``, `` 12``)."""

    def to_internal_value(self, data: Any) -> int:
        try:
            value = parse_query_int(data if isinstance(data, str) else "")
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(value)


class StrictBooleanField(serializers.BooleanField):
    """``true`` or ``false`` as JSON booleans (DRF also takes ``"yes"``, ``1``, ``"on"``)."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictUUIDField(serializers.UUIDField):
    """An id given as a canonical UUID string (DRF also takes numbers and bare hex)."""

    def to_internal_value(self, data: Any) -> uuid.UUID:
        try:
            return parse_uuid(data)
        except ValueError:
            self.fail("invalid", value=data)


# --- Text people read ----------------------------------------------------------

# Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): they
# reorder what a reader sees ("gpj.exe" shown as "exe.jpg"), and typed text
# never needs them. The marks (LRM, RLM, ALM) only hint and are kept.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Letters and marks that render as nothing: the fillers of "invisible" user names.
BLANK_LOOKING = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
# What a multi-line text (a note) may hold beyond one line.
LINE_BREAKS = frozenset("\n\r\t\u2028\u2029")


def is_refused_character(character: str, *, multiline: bool = False) -> bool:
    """Control characters (C0, DEL, C1, line and paragraph separators), bidi overrides,
    unpaired surrogates; a note keeps its line breaks and tabs."""
    if character in BIDI_CONTROLS:
        return True
    category = unicodedata.category(character)
    if category in ("Cc", "Zl", "Zp"):
        return not (multiline and character in LINE_BREAKS)
    return category == "Cs"


def is_invisible(character: str) -> bool:
    """Whitespace, format characters (zero-width space and joiners, BOM, soft hyphen...)
    and the blank-looking letters: nothing a reader can see."""
    return (
        character.isspace() or unicodedata.category(character) == "Cf" or character in BLANK_LOOKING
    )


def is_trimmed(character: str) -> bool:
    """Dropped from either end of a text, like a space: the invisible characters but the
    bidi overrides (those are refused wherever they are)."""
    return is_invisible(character) and character not in BIDI_CONTROLS


class RefusedCharacter(ValueError):
    """The text holds ``character``, which may not be stored."""

    def __init__(self, character: str) -> None:
        super().__init__(character)
        self.character = character


def visible_text(value: str, *, multiline: bool = False) -> str:
    """``value`` without the invisible characters at its ends ("" when nothing is visible).

    Raises ``RefusedCharacter`` for the first refused character left
    (``is_refused_character``): a trailing newline is trimmed, one inside a
    name is refused. Invisible characters inside the text stay: joiners build
    emoji and shape Persian and Indic scripts.
    """
    start, end = 0, len(value)
    while start < end and is_trimmed(value[start]):
        start += 1
    while end > start and is_trimmed(value[end - 1]):
        end -= 1
    kept = value[start:end]
    for character in kept:
        if is_refused_character(character, multiline=multiline):
            raise RefusedCharacter(character)
    return kept


_SURROGATES = range(0xD800, 0xE000)


def _bmp_class(keep: Callable[[str], bool]) -> str:
    """A regex character class body of the BMP characters ``keep`` accepts, as ranges.

    Surrogates are left out: regex engines that work on code points (Rust's,
    which Schemathesis's generator uses) refuse them in a class, and the
    whole pattern with it.
    """
    ranges: list[tuple[int, int]] = []
    for point in range(0x10000):
        if point not in _SURROGATES and keep(chr(point)):
            if ranges and ranges[-1][1] == point - 1:
                ranges[-1] = (ranges[-1][0], point)
            else:
                ranges.append((point, point))
    return "".join(
        f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges
    )


@cache
def visible_text_pattern(*, multiline: bool, required: bool) -> str:
    """The JSON Schema pattern of what ``VisibleTextField`` accepts.

    Trimmed characters at the ends, then (``required``: always) a text that
    starts and ends with a visible character and holds no refused one.
    Spelled for the BMP without surrogates (ECMA 262 without the ``u`` flag
    cannot range over astral characters); for those the server is the judge
    (an unpaired surrogate is refused).
    """
    trimmed = _bmp_class(is_trimmed)
    refused = _bmp_class(lambda c: is_refused_character(c, multiline=multiline))
    visible = _bmp_class(
        lambda c: not is_trimmed(c) and not is_refused_character(c, multiline=multiline)
    )
    text = f"[{visible}](?:[^{refused}]*[{visible}])?"
    if required:
        return f"^[{trimmed}]*{text}[{trimmed}]*$"
    return f"^[{trimmed}]*(?:{text}[{trimmed}]*)?$"


class VisibleTextField(StrictCharField):
    """A string people read: refused characters are a 400, invisible ends are trimmed.

    ``multiline`` (notes) keeps line breaks and tabs. Text with nothing
    visible is blank, so a required one is 400 ``blank``. ``max_length``
    counts the text as sent.
    """

    default_error_messages = {
        "invalid_character": (
            "Remove {codepoint} {name}: text may not hold control characters, "
            "bidirectional overrides or unpaired surrogates."
        )
    }

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        super().__init__(**kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        if isinstance(data, str):
            # The length as sent, as the schema's maxLength says: trimming must not
            # make room for a padding of invisible characters.
            if self.max_length is not None and len(data) > self.max_length:
                self.fail("max_length", max_length=self.max_length)
            try:
                data = visible_text(data, multiline=self.multiline)
            except RefusedCharacter as refused:
                character = refused.character
                self.fail(
                    "invalid_character",
                    codepoint=f"U+{ord(character):04X}",
                    name=unicodedata.name(character, "(a control character)"),
                )
        return super().run_validation(data)


# --- Forms (django-filter's query parameters) ------------------------------


class _StrictFormField(forms.Field):
    """A form field that parses with one of the functions above."""

    invalid_message = "Enter a valid value."

    @staticmethod
    def parse(value: object) -> Any:
        raise NotImplementedError

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            return self.parse(value)
        except ValueError:
            raise DjangoValidationError(self.invalid_message, code="invalid") from None


class StrictDateFormField(_StrictFormField, forms.DateField):
    """The form field behind ``StrictDateFilter``."""

    invalid_message = "Enter a date as YYYY-MM-DD."
    parse = staticmethod(parse_day)


class StrictUUIDFormField(_StrictFormField, forms.UUIDField):
    """The form field behind ``StrictUUIDFilter``."""

    invalid_message = "Enter a valid UUID."
    parse = staticmethod(parse_uuid)


class StrictDateFilter(filters.DateFilter):
    """``?day=YYYY-MM-DD`` in ASCII digits (django-filter's takes ``2026-1-1`` and more)."""

    field_class = StrictDateFormField


class StrictUUIDFilter(filters.UUIDFilter):
    """``?product_id=`` as a canonical UUID string."""

    field_class = StrictUUIDFormField


def parse_decimal_or_fail(field: serializers.Field, data: Any) -> Decimal:
    """``parse_decimal`` for a DRF field: its ``invalid`` error instead of ``ValueError``."""
    try:
        return parse_decimal(data)
    except (ValueError, InvalidOperation):
        field.fail("invalid")


# --- Decimal ranges as patterns (for the OpenAPI schema) ------------------------

# 12 digits, 3 of them decimal places (countonme.base.serializers.DECIMAL_MAX_DIGITS).
MAX_WHOLE_DIGITS = 9


def _whole_numbers_from_one_to(limit: int) -> str:
    """A regex for the whole numbers 1..``limit`` written without leading zeros."""
    digits = str(limit)
    parts = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for index, digit in enumerate(digits):
        low, high = (1 if index == 0 else 0), int(digit) - 1
        if high >= low:
            parts.append(f"{digits[:index]}[{low}-{high}]" + "[0-9]" * (len(digits) - index - 1))
    parts.append(digits)
    return "(?:" + "|".join(parts) + ")"


def decimal_string_pattern(minimum: Decimal | None, maximum: Decimal | None) -> str:
    """The decimal strings whose value lies in [``minimum``, ``maximum``], as a regex.

    Covers the ranges the API uses: no lower bound (signed), 0, or 0.001 (the
    smallest value with 3 places), up to a whole-number maximum or the column's
    9 whole digits. The value is compared before rounding, as the fields do.
    """
    whole_max = int(maximum) if maximum is not None else 10**MAX_WHOLE_DIGITS - 1
    if maximum is not None and maximum != whole_max:
        return DECIMAL_PATTERN  # not a range this helper spells out
    if minimum is None:
        return DECIMAL_PATTERN
    fraction = r"(?:\.[0-9]+)?"
    top = rf"0*{whole_max}(?:\.0+)?" if maximum is not None else rf"0*{whole_max}{fraction}"
    below = _whole_numbers_from_one_to(whole_max - 1) if whole_max > 1 else None
    if minimum == 0:
        whole = f"(?:0|{below})" if below else "0"
        return rf"^(?:0*{whole}{fraction}|{top})$"
    if minimum == Decimal("0.001"):
        small = r"0+\.(?:[1-9]|0[1-9]|00[1-9])[0-9]*"
        middle = rf"|0*{below}{fraction}" if below else ""
        return rf"^(?:{small}{middle}|{top})$"
    return DECIMAL_PATTERN
