"""The request-body parser: JSON that is unreadable, or absurdly nested, is 400 ``parse_error``.

DRF's ``JSONParser`` turns a ``ValueError`` into ``ParseError`` but lets a
``RecursionError`` through: a 2 KB body of a thousand ``[`` answered 500 on
every route that reads a body, registration included. No body of this API
is nested more than a few levels, so anything deeper than ``MAX_JSON_DEPTH``
is refused before a serializer (or ``repr`` of the value in an error
message) walks it recursively.
"""

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

# The deepest body of the API is an object holding a list of objects; the
# margin leaves room for new shapes without letting a recursive walk near
# Python's recursion limit.
MAX_JSON_DEPTH = 32


def deeper_than(data: Any, limit: int) -> bool:
    """Whether parsed JSON nests objects/arrays more than ``limit`` levels (iteratively)."""
    pending: list[tuple[Any, int]] = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth + 1 > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; every body it cannot read is ``ParseError`` (400 ``parse_error``)."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: dict[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(self.too_deep) from None
        if deeper_than(data, MAX_JSON_DEPTH):
            raise ParseError(self.too_deep)
        return data

    too_deep = f"JSON parse error - nested more than {MAX_JSON_DEPTH} levels deep."
