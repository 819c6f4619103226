"""Example values of ``GET /v1/sync/since`` (the story of ``countonme.base.examples``).

Written out here rather than taken from the apps' examples: ``countonme``
imports no app. tests/test_schema_examples.py validates them against the schema.
"""

import uuid

from drf_spectacular.utils import OpenApiExample

from countonme.base.examples import EXAMPLE_CREATED_AT, EXAMPLE_DAY, EXAMPLE_UPDATED_AT
from countonme.sync.changes import Position, encode_cursor

_OATS_ID = "8d0b7e2c-6a51-4f3e-9c27-1e4b5a6d7f80"
_OATS_100G_ID = "5b9e3c1a-7d2f-4e8b-a6c4-0f1d3e5a7b92"
_ENTRY_ID = "e7a9c3d1-2b4f-4e6a-8c0d-1f3b5d7e9a20"
_WEIGHT_ID = "b1d3f5a7-9c2e-4a6b-8d0f-3e5a7c9b1d24"
# The device's life (its registration time in microseconds) and a position in it.
_LIFE = 1772388291207316
FIRST_CURSOR = encode_cursor(Position(2, "portions", uuid.UUID(_OATS_100G_ID)), life=_LIFE)
NEXT_CURSOR = encode_cursor(Position(4, "body_weights", uuid.UUID(_WEIGHT_ID)), life=_LIFE)
_STAMPS = {"created_at": EXAMPLE_CREATED_AT, "updated_at": EXAMPLE_UPDATED_AT}

SYNC_PAGE = OpenApiExample(
    "An entry logged, a weight deleted",
    value={
        "cursor": NEXT_CURSOR,
        "has_more": False,
        "reset": False,
        "body_weights": [
            {
                "id": _WEIGHT_ID,
                "day": EXAMPLE_DAY,
                "weight_kg": "72.400",
                "created_at": EXAMPLE_CREATED_AT,
                "updated_at": "2026-03-14T08:02:55.730164Z",
                "deleted_at": "2026-03-14T08:02:55.730164Z",
            }
        ],
        "food_entries": [
            {
                "id": _ENTRY_ID,
                "product_id": _OATS_ID,
                "portion_id": _OATS_100G_ID,
                "day": EXAMPLE_DAY,
                "meal_type": "breakfast",
                "amount": "60.000",
                "unit": "g",
                "note": None,
                "calories": "233.400",
                "protein": "10.140",
                "carbs": "39.780",
                "fat": "4.140",
                **_STAMPS,
                "deleted_at": None,
            }
        ],
        "goals": [],
        "portions": [],
        "products": [],
    },
    response_only=True,
    description="Tombstones carry `deleted_at`: delete the row locally.",
)
