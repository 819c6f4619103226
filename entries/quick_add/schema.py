"""OpenAPI of quick add's one operation: its examples and the long description.

Beside the view, not on top of it (``entries.quick_add.views`` applies it by name).
"""

from drf_spectacular.utils import OpenApiExample, extend_schema

from entries.quick_add.serializers import (
    QuickAddParseRequestSerializer,
    QuickAddProposalSerializer,
)

PARSE_EXAMPLES = [
    OpenApiExample(
        "Breakfast in words",
        request_only=True,
        value={
            "text": "2 eggs and a slice of toast",
            "day": "2026-03-14",
            "meal_type": "breakfast",
            "locale": "en",
        },
    ),
    OpenApiExample(
        "The proposal",
        response_only=True,
        value={
            "items": [
                {
                    "text": "2 eggs",
                    "quantity": "2.000",
                    "unit": "pcs",
                    "grams": "88.000",
                    "match": {
                        "kind": "catalog",
                        "id": "d7d5d1b4-4a0c-5d6b-9a39-1f7f3f0f4c11",
                        "name": "Egg, whole, raw, fresh",
                        "portion_id": "3c1d2e0f-7b8a-5c9d-8e1f-2a3b4c5d6e7f",
                        "portion_label": "1 medium",
                    },
                    "alternatives": [
                        {
                            "kind": "catalog",
                            "id": "a1b2c3d4-e5f6-5a7b-8c9d-0e1f2a3b4c5d",
                            "name": "Egg, whole, cooked, hard-boiled",
                            "portion_id": "b2c3d4e5-f6a7-5b8c-9d0e-1f2a3b4c5d6e",
                            "portion_label": "100 g",
                        }
                    ],
                    "nutrition": {
                        "calories": "125.840",
                        "protein": "11.070",
                        "carbs": "0.634",
                        "fat": "8.369",
                    },
                    "confidence": 0.7,
                }
            ],
            "unparsed": ["something tasty"],
            "totals": {
                "calories": "125.840",
                "protein": "11.070",
                "carbs": "0.634",
                "fat": "8.369",
            },
            "parser": "rules",
            "day": "2026-03-14",
            "meal_type": "breakfast",
        },
    ),
]

parse = extend_schema(
    operation_id="quick_add_parse",
    summary="Read a meal in words into proposed entries",
    request=QuickAddParseRequestSerializer,
    responses={200: QuickAddProposalSerializer},
    examples=PARSE_EXAMPLES,
    description=(
        "Reads what was eaten, in words (at most 500 characters), into proposed diary "
        "entries: each food is matched among the device's products first, then the "
        "catalog, with an amount in one of its portions, the estimated grams and "
        "nutrition. Nothing is written: after the user confirms, the app saves the "
        "items with one `POST /v1/food-entries/batch`, one entry per item: `amount` "
        "= `quantity`, `unit` = `unit`, and the match's `id`/`portion_id` as "
        "`product_id`/`portion_id` (kind `product`) or as "
        "`catalog_product_id`/`catalog_portion_id` (kind `catalog`: the batch gives "
        "the device its own copy of the food). Pieces that name no known food land "
        "in `unparsed`; no food "
        "is ever made up. `parser` says whether the offline rules or the configured "
        "language model read the text. Throttled per device (`THROTTLE_QUICK_ADD`, "
        "default 30/min)."
    ),
)
