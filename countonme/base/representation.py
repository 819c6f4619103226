"""A fast list page: rows fetched per page, written by a row writer, paged as DRF pages.

A ``ModelSerializer`` spends ~0.1 ms of Python per row on the hot lists (a
field lookup, ``get_attribute`` and ``to_representation`` per column, a time
zone lookup per datetime). The fast lists page plain ``values_list()`` rows
through the view's paginator and write them with the writer derived from the
serializer (``countonme.base.row_writer``).
"""

from collections.abc import Callable
from typing import Any

from rest_framework.response import Response

from countonme.base.compiled import CompiledQuery
from countonme.base.row_writer import RowWriter


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


def fast_list(
    view: Any, query: CompiledQuery, writer: RowWriter, values: dict[str, Any]
) -> Response:
    """A page of the view's device's rows: ``query`` run with ``values``, written by ``writer``.

    ``query`` takes ``device_id`` and the list's FilterSet values
    (``countonme.base.query.fast_filter_values``) and selects ``writer.columns``.
    """
    device_id = view.device.pk
    text = writer.text_positions()  # on PostgreSQL: UUIDs, days and times read as text
    rows = PagedRows(
        lambda limit, offset: query.fetch(
            device_id=device_id, limit=limit, offset=offset, text=text, **values
        )
    )
    return lean_page(view, rows, writer.write)
