"""``limit``/``offset`` pagination that never counts.

Lists stay plain JSON arrays (the app parses them as such). Without ``limit``
a device's list answers every row: the app reads its lists whole and never
follows ``Link`` (a first page of 500 lost a long-term user's newest weigh-ins,
issue 20). With ``limit``, one row past the page is fetched to learn whether
another page exists; if so the response carries ``Link: <next url>;
rel="next"``. No ``COUNT(*)``: on a big table it costs as much as the page
itself. The global catalog pages by default (``CatalogPagination``).
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from countonme.base.query import strict_count
from countonme.base.strict_input import QueryIntegerField

if TYPE_CHECKING:  # DRF imports these modules while rest_framework.views loads
    from rest_framework.views import APIView


# No list reaches a billion rows; past that an offset is a mistake (and past
# 2**63 it would overflow the database's integer).
MAX_OFFSET = 1_000_000_000


class PageParamsSerializer(serializers.Serializer):
    """The ``limit`` and ``offset`` query parameters."""

    limit = QueryIntegerField(min_value=1, required=False)
    offset = QueryIntegerField(min_value=0, max_value=MAX_OFFSET, required=False, default=0)


def read_limit_offset(
    request: Request, *, default_limit: int | None, max_limit: int
) -> tuple[int | None, int]:
    """``limit`` (≥ 1, capped at ``max_limit``) and ``offset`` (≥ 0) from the query string.

    ``limit`` is ``default_limit`` when not given (``None``: every row).
    Not a whole number or out of range: 400 naming the parameter.
    """
    limit, offset = request.query_params.get("limit"), request.query_params.get("offset")
    lean_limit = None if limit is None else strict_count(limit, minimum=1, maximum=2**63)
    lean_offset = 0 if offset is None else strict_count(offset, minimum=0, maximum=MAX_OFFSET)
    if (limit is None or lean_limit is not None) and lean_offset is not None:
        parsed = lean_limit
    else:
        # Anything but plain digits: the serializer decides (and words the 400).
        params = PageParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        parsed, lean_offset = params.validated_data.get("limit"), params.validated_data["offset"]
    if parsed is None:
        return default_limit, lean_offset
    return min(parsed, max_limit), lean_offset


class LimitOffsetNoCountPagination(BasePagination):
    """Plain-array pages with a ``Link: rel="next"`` header and no ``COUNT(*)``.

    ``default_limit`` ``None``: without ``limit``, every row (from ``offset``).
    """

    default_limit: int | None = None
    max_limit = 1000

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: "APIView | None" = None
    ) -> list[Any]:
        self.request = request
        self.limit, self.offset = read_limit_offset(
            request, default_limit=self.default_limit, max_limit=self.max_limit
        )
        if self.limit is None:
            self.has_next = False
            return list(queryset[self.offset :])
        rows = list(queryset[self.offset : self.offset + self.limit + 1])
        self.has_next = len(rows) > self.limit
        return rows[: self.limit]

    def get_paginated_response(self, data: Sequence[Any]) -> Response:
        headers = {}
        if self.has_next:
            url = self.request.build_absolute_uri()
            url = replace_query_param(url, "limit", self.limit)
            url = replace_query_param(url, "offset", self.offset + self.limit)
            headers["Link"] = f'<{url}>; rel="next"'
        return Response(data, headers=headers)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return schema

    def get_schema_operation_parameters(self, view: "APIView") -> list[dict]:
        return [
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": (
                    "Rows per page ("
                    + (
                        f"default {self.default_limit}"
                        if self.default_limit is not None
                        else "default: every row, as the app reads the list"
                    )
                    + f"; values above {self.max_limit} are capped)."
                ),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "offset",
                "in": "query",
                "required": False,
                "description": "Rows to skip (default 0).",
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET},
            },
        ]
