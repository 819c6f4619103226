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
            "text": "a banana and 200 ml of milk",
            "day": "2026-03-14",
            "meal_type": "breakfast",
            "locale": "en",
        },
    ),
    OpenApiExample(
        "The proposal",
        response_only=True,
        # What the rules parser answers from the starter catalog (USDA SR Legacy).
        value={
            "items": [
                {
                    "text": "a banana",
                    "quantity": "1.000",
                    "unit": "pcs",
                    "grams": "118.000",
                    "match": {
                        "kind": "catalog",
                        "id": "1145b2a9-f153-5c00-a918-63b8f7a44fdc",
                        "name": "Bananas, raw",
                        "portion_id": "e6214eaa-fd65-5686-a1f5-2e9805d185dc",
                        "portion_label": '1 medium (7" to 7-7/8" long)',
                    },
                    "alternatives": [],
                    "nutrition": {
                        "calories": "105.020",
                        "protein": "1.286",
                        "carbs": "26.951",
                        "fat": "0.389",
                    },
                    "confidence": 0.7,
                },
                {
                    "text": "200 ml of milk",
                    "quantity": "200.000",
                    "unit": "ml",
                    "grams": "206.262",
                    "match": {
                        "kind": "catalog",
                        "id": "f2beee43-2ba0-50b4-a857-d6f1f51b72e1",
                        "name": "Milk, whole, 3.25% milkfat, with added vitamin D",
                        "portion_id": "fc1b6a57-aa90-5f67-bab6-a8d0a630d6b4",
                        "portion_label": "1 fl oz",
                    },
                    "alternatives": [
                        {
                            "kind": "catalog",
                            "id": "2f891e11-09f8-54d6-b0ce-38296eece360",
                            "name": (
                                "Milk, reduced fat, fluid, 2% milkfat, with added vitamin A "
                                "and vitamin D"
                            ),
                            "portion_id": "210612e3-b735-5a1c-bf96-980047f00ea7",
                            "portion_label": "100 g",
                        }
                    ],
                    "nutrition": {
                        "calories": "125.820",
                        "protein": "6.499",
                        "carbs": "9.901",
                        "fat": "6.702",
                    },
                    "confidence": 0.7,
                },
            ],
            "unparsed": [],
            "totals": {
                "calories": "230.840",
                "protein": "7.785",
                "carbs": "36.852",
                "fat": "7.091",
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
