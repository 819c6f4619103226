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

The parsers (``parse_day``, ``parse_query_int``...) are for code that reads
a query string without DRF (a fast path); the fields use them.
"""

import re
import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
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
