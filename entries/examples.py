"""Example values of the diary's operations (see ``devices.examples`` for the story).

60 g of the device's rolled oats for breakfast, logged on its "1 cup" (80 g)
portion: 389 kcal/100 g × 0.6 = 233.4 kcal. A body weight of 72.4 kg that
morning; the calculated goal of ``devices.goals.examples``.
"""

from drf_spectacular.utils import OpenApiExample

from countonme.base.examples import EXAMPLE_CREATED_AT, EXAMPLE_DAY, EXAMPLE_UPDATED_AT
from devices.goals.examples import GOAL
from products.examples import (
    CATALOG_OATS_CUP_ID,
    CATALOG_OATS_ID,
    OATS_CUP_ID,
    OATS_ID,
    PORTION_100G,
    PORTION_CUP,
    PRODUCT,
)

ENTRY_ID = "e7a9c3d1-2b4f-4e6a-8c0d-1f3b5d7e9a20"
BATCH_ENTRY_IDS = ("6f1b8f44-3d0e-4a4e-9d55-0c1f7b1e2a01", "6f1b8f44-3d0e-4a4e-9d55-0c1f7b1e2a02")
BODY_WEIGHT_ID = "b1d3f5a7-9c2e-4a6b-8d0f-3e5a7c9b1d24"

OATS_NUTRITION = {"calories": "233.400", "protein": "10.140", "carbs": "39.780", "fat": "4.140"}
ZERO = {"calories": "0.000", "protein": "0.000", "carbs": "0.000", "fat": "0.000"}
ENTRY = {
    "id": ENTRY_ID,
    "product_id": OATS_ID,
    "portion_id": OATS_CUP_ID,
    "day": EXAMPLE_DAY,
    "meal_type": "breakfast",
    "amount": "60.000",
    "unit": "g",
    "note": "with cinnamon",
    **OATS_NUTRITION,
    "created_at": EXAMPLE_CREATED_AT,
    "updated_at": EXAMPLE_UPDATED_AT,
}
BODY_WEIGHT = {
    "id": BODY_WEIGHT_ID,
    "day": EXAMPLE_DAY,
    "weight_kg": "72.400",
    "created_at": EXAMPLE_CREATED_AT,
    "updated_at": EXAMPLE_UPDATED_AT,
}

ENTRY_REQUEST = OpenApiExample(
    "60 g of rolled oats for breakfast",
    value={
        "id": ENTRY_ID,
        "product_id": OATS_ID,
        "portion_id": OATS_CUP_ID,
        "day": EXAMPLE_DAY,
        "meal_type": "breakfast",
        "amount": 60,
        "unit": "g",
        "note": "with cinnamon",
    },
    request_only=True,
    description="Grams of a cup portion: its `gram_weight` (80 g) converts them.",
)
ENTRY_RESPONSE = OpenApiExample("60 g of rolled oats, 233.4 kcal", value=ENTRY, response_only=True)
ENTRY_CHANGE = OpenApiExample("Make it 80 g", value={"amount": 80, "unit": "g"}, request_only=True)
ENTRY_CHANGED = OpenApiExample(
    "80 g of rolled oats, 311.2 kcal",
    value={
        **ENTRY,
        "amount": "80.000",
        "calories": "311.200",
        "protein": "13.520",
        "carbs": "53.040",
        "fat": "5.520",
        "updated_at": "2026-03-14T07:52:40.615402Z",
    },
    response_only=True,
)

BATCH_REQUEST = OpenApiExample(
    "A confirmed quick add: a device product and a catalog match",
    request_only=True,
    value={
        "entries": [
            {
                "id": BATCH_ENTRY_IDS[0],
                "product_id": OATS_ID,
                "portion_id": OATS_CUP_ID,
                "day": EXAMPLE_DAY,
                "meal_type": "breakfast",
                "amount": "1",
                "unit": "cup",
            },
            {
                "id": BATCH_ENTRY_IDS[1],
                "catalog_product_id": CATALOG_OATS_ID,
                "catalog_portion_id": CATALOG_OATS_CUP_ID,
                "day": EXAMPLE_DAY,
                "meal_type": "snacks",
                "amount": "0.5",
                "unit": "cup",
            },
        ]
    },
    description=(
        "One entry per proposal item: `amount` = the item's `quantity`, `unit` = its "
        "`unit`. A `product` match gives `product_id` = `match.id` and `portion_id` = "
        "`match.portion_id`; a `catalog` match gives `catalog_product_id` = `match.id` "
        "and `catalog_portion_id` = `match.portion_id`."
    ),
)
BATCH_RESPONSE = OpenApiExample(
    "Both entries as stored",
    response_only=True,
    value=[
        {
            **ENTRY,
            "id": BATCH_ENTRY_IDS[0],
            "amount": "1.000",
            "unit": "cup",
            "note": None,
            "calories": "311.200",
            "protein": "13.520",
            "carbs": "53.040",
            "fat": "5.520",
        },
        {
            **ENTRY,
            "id": BATCH_ENTRY_IDS[1],
            # The device's own copy of the catalog's Oats, made by this call.
            "product_id": "1d3b5f7a-9c2e-4b6d-8f0a-2c4e6a8b0d13",
            "portion_id": "9e7c5a3b-1f2d-4e6a-8b0c-3d5f7a9b1c24",
            "meal_type": "snacks",
            "amount": "0.500",
            "unit": "cup",
            "note": None,
            "calories": "303.420",
            "protein": "13.174",
            "carbs": "51.691",
            "fat": "5.382",
        },
    ],
)

DAY_STATS = OpenApiExample(
    "Breakfast logged, a goal set",
    value={
        "day": EXAMPLE_DAY,
        "totals": OATS_NUTRITION,
        "by_meal_type": {"breakfast": OATS_NUTRITION},
        "goal": {
            "daily_calories_kcal": GOAL["daily_calories_kcal"],
            "protein_grams": GOAL["protein_grams"],
            "carbs_grams": GOAL["carbs_grams"],
            "fat_grams": GOAL["fat_grams"],
        },
    },
    response_only=True,
)
DAILY_STATS = OpenApiExample(
    "Two days, one empty",
    value={
        "from_day": "2026-03-13",
        "to_day": EXAMPLE_DAY,
        "points": [
            {"day": "2026-03-13", "totals": ZERO},
            {"day": EXAMPLE_DAY, "totals": OATS_NUTRITION},
        ],
    },
    response_only=True,
)
WEIGHT_STATS = OpenApiExample(
    "A week with two weigh-ins",
    value={
        "from_day": "2026-03-08",
        "to_day": EXAMPLE_DAY,
        "points": [
            {"day": "2026-03-09", "weight_kg": "72.900"},
            {"day": EXAMPLE_DAY, "weight_kg": "72.400"},
        ],
    },
    response_only=True,
)
EXPORT = OpenApiExample(
    "A device's data",
    value={
        "exported_at": "2026-03-14T20:02:37.154871Z",
        "device": {
            "device_id": "3f1c2b9e-7d4a-4c1e-9b8f-2a6d5e4c3b21",
            "created_at": "2026-03-01T18:04:51.207316Z",
            "last_seen_at": "2026-03-14T20:02:36.981114Z",
        },
        "products": [
            {
                **PRODUCT,
                "deleted_at": None,
                "portions": [
                    {**PORTION_100G, "deleted_at": None},
                    {**PORTION_CUP, "deleted_at": None},
                ],
            }
        ],
        "food_entries": [ENTRY],
        "body_weights": [BODY_WEIGHT],
        "goal": GOAL,
    },
    response_only=True,
)

BODY_WEIGHT_REQUEST = OpenApiExample(
    "72.4 kg this morning",
    value={"id": BODY_WEIGHT_ID, "day": EXAMPLE_DAY, "weight_kg": 72.4},
    request_only=True,
)
BODY_WEIGHT_RESPONSE = OpenApiExample("72.4 kg", value=BODY_WEIGHT, response_only=True)
BODY_WEIGHT_CHANGE = OpenApiExample(
    "Corrected to 72.2 kg", value={"weight_kg": 72.2}, request_only=True
)
BODY_WEIGHT_CHANGED = OpenApiExample(
    "72.2 kg",
    value={**BODY_WEIGHT, "weight_kg": "72.200", "updated_at": "2026-03-14T07:58:19.402781Z"},
    response_only=True,
)
