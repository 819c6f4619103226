"""The hot paths' query parameters, parsed without building a form or serializer.

Thin ``None``-returning wrappers of ``countonme.base.strict_input``'s parsers (one
definition of a day, a number, an id for the whole API): a day is exactly
``YYYY-MM-DD`` in ASCII digits, a count ASCII digits, an id a canonical UUID.
For anything else they return ``None`` and the caller hands the request to
the general path (the FilterSet or the serializer that documents the
parameter), which answers 400 in the error shape with the parameter named,
exactly as it always did. So the lean parse changes no answer: it only skips
building a FilterSet or a serializer for the requests that need none
(django-filter and DRF fields cost ~1 ms a request here).
"""

import datetime as dt
import uuid

from countonme.base.strict_input import parse_day, parse_query_int, parse_uuid

_MAX_COUNT_DIGITS = 12


def strict_day(value: str | None) -> dt.date | None:
    """``YYYY-MM-DD`` (ASCII digits, a real calendar day) as a date; else ``None``."""
    try:
        return parse_day(value)
    except ValueError:
        return None


def strict_count(value: str | None, *, minimum: int, maximum: int) -> int | None:
    """A whole number in ASCII digits within ``[minimum, maximum]``; else ``None``."""
    if value is None or len(value) > _MAX_COUNT_DIGITS:
        return None
    try:
        number = parse_query_int(value)
    except ValueError:
        return None
    return number if minimum <= number <= maximum else None


def strict_uuid(value: str | None) -> uuid.UUID | None:
    """A UUID in its canonical 8-4-4-4-12 hex form; else ``None``."""
    try:
        return parse_uuid(value)
    except ValueError:
        return None
