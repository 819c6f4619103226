"""``GET /v1/sync/since``: the device's changes after a cursor (see ``countonme.sync``)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from countonme.schema import error_response
from countonme.sync import (
    START,
    InvalidCursor,
    Position,
    decode_cursor,
    encode_cursor,
    read_changes,
    sync_registry,
)

DEFAULT_LIMIT = 200
MAX_LIMIT = 1000


class SyncQuerySerializer(serializers.Serializer):
    """``?cursor=&limit=``."""

    cursor = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="The `cursor` of the previous answer; absent or empty for a first (full) sync.",
    )
    limit = serializers.IntegerField(
        required=False,
        default=DEFAULT_LIMIT,
        min_value=1,
        help_text=f"Rows of all kinds together (default {DEFAULT_LIMIT}, capped at {MAX_LIMIT}).",
    )

    def validate_cursor(self, value: str) -> Position:
        if not value:
            return START
        try:
            return decode_cursor(value)
        except InvalidCursor:
            raise serializers.ValidationError(
                "Not a cursor of this server.", code="invalid"
            ) from None


def sync_page_serializer() -> type[serializers.Serializer]:
    """The answer's shape: cursor, has_more, reset, and a list per registered kind."""
    fields: dict[str, Any] = {
        "cursor": serializers.CharField(help_text="Pass as `cursor` on the next call."),
        "has_more": serializers.BooleanField(help_text="More changes wait: call again now."),
        "reset": serializers.BooleanField(
            help_text=(
                "(+) True when the cursor predates deletions the server has since erased "
                "for good: this answer starts from scratch, so drop local rows it does "
                "not bring back."
            )
        ),
    }
    for kind in sync_registry:
        fields[kind.name] = kind.serializer(many=True, read_only=True)
    return type("SyncPageSerializer", (serializers.Serializer,), fields)


class SyncView(APIView):
    """The device's rows created, changed or deleted after the cursor, in version order."""

    @extend_schema(
        operation_id="sync_since",
        summary="Changes since a cursor (offline sync)",
        parameters=[SyncQuerySerializer],
        responses={200: sync_page_serializer(), 400: error_response("Unparsable cursor or limit.")},
        description=(
            "Every row of this device created, changed or soft-deleted after `cursor` "
            "(tombstones carry `deleted_at`), ordered by change version across kinds; "
            "`limit` caps the rows of all kinds together. Repeat with the returned "
            "`cursor` while `has_more`. The cursor never skips a row, even while the "
            "device writes concurrently, and does not depend on clocks."
        ),
        tags=["sync"],
    )
    def get(self, request: Request) -> Response:
        query = SyncQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        device = request.auth
        after = query.validated_data.get("cursor", START)
        # Deletions older than the cursor's position may have been purged for
        # good: the client cannot learn of them, so it starts over.
        reset = after != START and after.version < device.purged_version
        if reset:
            after = START
        page = read_changes(
            device=device, after=after, limit=min(query.validated_data["limit"], MAX_LIMIT)
        )
        body: dict[str, Any] = {
            "cursor": encode_cursor(page.cursor),
            "has_more": page.has_more,
            "reset": reset,
        }
        for kind in sync_registry:
            body[kind.name] = kind.serializer(page.rows[kind.name], many=True).data
        return Response(body)
