"""Response values written as DRF's fields write them, without a serializer per row.

A ``ModelSerializer`` spends ~0.1 ms of Python per row on the hot lists (a
field lookup, ``get_attribute`` and ``to_representation`` per column, a time
zone lookup per datetime). The hot reads build their bodies from
``values_list()`` rows with these functions instead; each returns exactly
what the named DRF field returns for the same value (``tests/test_lean_paths.py``
compares whole bodies with the serializers').
"""

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Context, Decimal, getcontext
from functools import cache
from typing import Any

from django.utils import timezone
from rest_framework.response import Response

from countonme.base.serializers import DECIMAL_MAX_DIGITS, DECIMAL_PLACES

_PLACES = Decimal(1).scaleb(-DECIMAL_PLACES)


@cache
def _context(max_digits: int) -> Context:
    # DecimalField.quantize: the current context with the field's precision.
    context = getcontext().copy()
    context.prec = max_digits
    return context


def decimal_text(value: Decimal, max_digits: int = DECIMAL_MAX_DIGITS) -> str:
    """``decimal_field(max_digits=...)``'s output: 3 places, half up, as a string.

    ``value`` is not ``None`` (a serializer writes ``None`` before asking the field).
    """
    return f"{value.quantize(_PLACES, rounding=ROUND_HALF_UP, context=_context(max_digits)):f}"


def datetime_writer() -> Callable[[dt.datetime], str]:
    """``DateTimeField``'s output in this request's time zone (ISO 8601, ``Z`` for UTC).

    The zone is looked up once per request, not once per value as the field does.
    """
    zone = timezone.get_current_timezone()

    def write(value: dt.datetime) -> str:
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write


class PagedRows:
    """Rows fetched per page by ``fetch(limit, offset)``: what a paginator slices.

    Lets ``LimitOffsetNoCountPagination`` page a ``CompiledQuery`` as it pages a
    queryset (same parameters, same ``Link`` header). A slice without an end
    (no ``limit``: every row) fetches every row and drops the first ``offset``.
    """

    def __init__(self, fetch: Callable[[int | None, int], list[Any]]) -> None:
        self.fetch = fetch

    def __getitem__(self, page: slice) -> list[Any]:
        if page.stop is None:
            return self.fetch(None, 0)[page.start :]
        return self.fetch(page.stop - page.start, page.start)


def lean_page(view: Any, rows: PagedRows, represent: Callable[[list[Any]], list[Any]]) -> Response:
    """A list page through the view's paginator, each row written by ``represent``."""
    page = view.paginate_queryset(rows)
    return view.get_paginated_response(represent(page))
