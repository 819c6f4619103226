"""``GET /v1/sync/since``: the device's changes after a cursor (see ``countonme.sync.changes``)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from countonme.base.examples import raised_example, register_parameter_examples
from countonme.base.schema import error_response
from countonme.base.strict_input import QueryIntegerField
from countonme.sync.changes import (
    START,
    Cursor,
    InvalidCursor,
    cursor_needs_reset,
    decode_cursor,
    device_life,
    encode_cursor,
    read_changes,
    sync_registry,
)
from countonme.sync.examples import FIRST_CURSOR, SYNC_PAGE

NOT_A_CURSOR = "Not a cursor of this server."
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
    limit = QueryIntegerField(
        required=False,
        default=DEFAULT_LIMIT,
        min_value=1,
        help_text=f"Rows of all kinds together (default {DEFAULT_LIMIT}, capped at {MAX_LIMIT}).",
    )

    def validate_cursor(self, value: str) -> Cursor | None:
        if not value:
            return None
        try:
            return decode_cursor(value)
        except InvalidCursor:
            raise serializers.ValidationError(NOT_A_CURSOR, code="invalid") from None


def sync_page_serializer() -> type[serializers.Serializer]:
    """The answer's shape: cursor, has_more, reset, and a list per registered kind."""
    fields: dict[str, Any] = {
        "cursor": serializers.CharField(help_text="Pass as `cursor` on the next call."),
        "has_more": serializers.BooleanField(help_text="More changes wait: call again now."),
        "reset": serializers.BooleanField(
            help_text=(
                "(+) True when the server cannot vouch for the cursor: it predates "
                "deletions erased for good, is ahead of the device's counter (a restored "
                "backup), or comes from an earlier life of the device id (erased and "
                "registered again). This answer starts from scratch, like a first sync: "
                "drop local rows it does not bring back once paged to the end."
            )
        ),
    }
    for kind in sync_registry:
        fields[kind.name] = kind.serializer(many=True, read_only=True)
    return type("SyncPageSerializer", (serializers.Serializer,), fields)


register_parameter_examples({"cursor": FIRST_CURSOR})


class SyncView(APIView):
    """The device's rows created, changed or deleted after the cursor, in version order."""

    @extend_schema(
        operation_id="sync_since",
        summary="Changes since a cursor (offline sync)",
        parameters=[SyncQuerySerializer],
        responses={
            200: sync_page_serializer(),
            400: error_response(
                "Unparsable cursor or limit.",
                raised_example(
                    serializers.ValidationError({"cursor": ["Not a cursor of this server."]})
                ),
            ),
        },
        examples=[SYNC_PAGE],
        description=(
            "Every row of this device created, changed or soft-deleted after `cursor` "
            "(tombstones carry `deleted_at`), ordered by change version across kinds; "
            "`limit` caps the rows of all kinds together. Repeat with the returned "
            "`cursor` while `has_more`. The cursor never skips a row, even while the "
            "device writes concurrently, and does not depend on clocks. A well-formed "
            "cursor the server cannot vouch for (ahead of the device's counter, older "
            "than erased tombstones, from an earlier life of the device id, or of the "
            "earlier `v1` format) answers `reset: true` from the start."
        ),
        tags=["sync"],
    )
    def get(self, request: Request) -> Response:
        query = SyncQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        device = request.auth
        cursor = query.validated_data.get("cursor")
        reset = cursor is not None and cursor_needs_reset(cursor, device)
        after = START if cursor is None or reset else cursor.position
        page = read_changes(
            device=device, after=after, limit=min(query.validated_data["limit"], MAX_LIMIT)
        )
        body: dict[str, Any] = {
            "cursor": encode_cursor(page.cursor, life=device_life(device)),
            "has_more": page.has_more,
            "reset": reset,
        }
        for kind in sync_registry:
            body[kind.name] = kind.writer.write(page.rows[kind.name])
        return Response(body)
