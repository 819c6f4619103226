"""Example values of the products app's operations (see ``devices.examples`` for the story).

The device's "Rolled oats" (389 kcal, 16.9 g protein, 66.3 g carbs, 6.9 g fat
per 100 g) with its "100 g" default portion and a "1 cup" (80 g) portion; the
catalog's real USDA "Oats" (SR Legacy 20038, in the starter catalog).
"""

from drf_spectacular.utils import OpenApiExample

from countonme.base.examples import EXAMPLE_CREATED_AT, EXAMPLE_UPDATED_AT

OATS_ID = "8d0b7e2c-6a51-4f3e-9c27-1e4b5a6d7f80"
OATS_BARCODE = "5000168001142"
OATS_100G_ID = "5b9e3c1a-7d2f-4e8b-a6c4-0f1d3e5a7b92"
OATS_CUP_ID = "c4e2a1b7-5d3f-4a8e-b9c0-2f1e3d4c5b6a"
CATALOG_OATS_ID = "f3342baf-e0c7-5f8e-a660-a2386762401a"
CATALOG_OATS_100G_ID = "608599e2-d7c0-57c0-a126-ff96957bb672"
CATALOG_OATS_CUP_ID = "8c707a46-0fee-57de-b1d4-b8de178116d0"

PRODUCT = {
    "id": OATS_ID,
    "name": "Rolled oats",
    "barcode": OATS_BARCODE,
    "kcal_100g": "389.000",
    "created_at": EXAMPLE_CREATED_AT,
    "updated_at": EXAMPLE_UPDATED_AT,
}
PORTION_100G = {
    "id": OATS_100G_ID,
    "product_id": OATS_ID,
    "label": "100 g",
    "base_amount": "100.000",
    "base_unit": "g",
    "gram_weight": "100.000",
    "calories": "389.000",
    "protein": "16.900",
    "carbs": "66.300",
    "fat": "6.900",
    "is_default": True,
    "created_at": EXAMPLE_CREATED_AT,
    "updated_at": EXAMPLE_UPDATED_AT,
}
PORTION_CUP = {
    "id": OATS_CUP_ID,
    "product_id": OATS_ID,
    "label": "1 cup",
    "base_amount": "1.000",
    "base_unit": "cup",
    "gram_weight": "80.000",
    "calories": "311.200",
    "protein": "13.520",
    "carbs": "53.040",
    "fat": "5.520",
    "is_default": False,
    "created_at": EXAMPLE_CREATED_AT,
    "updated_at": EXAMPLE_UPDATED_AT,
}
CATALOG_PORTION_100G = {
    "id": CATALOG_OATS_100G_ID,
    "label": "100 g",
    "base_amount": "100.000",
    "base_unit": "g",
    "gram_weight": "100.000",
    "calories": "389.000",
    "protein": "16.890",
    "carbs": "66.270",
    "fat": "6.900",
    "is_default": True,
}
CATALOG_PORTION_CUP = {
    "id": CATALOG_OATS_CUP_ID,
    "label": "1 cup",
    "base_amount": "1.000",
    "base_unit": "cup",
    "gram_weight": "156.000",
    "calories": "606.840",
    "protein": "26.348",
    "carbs": "103.381",
    "fat": "10.764",
    "is_default": False,
}
CATALOG_PRODUCT = {
    "id": CATALOG_OATS_ID,
    "source": "usda",
    "source_id": "20038",
    "name": "Oats",
    "display_name": "Oats",
    "brand": None,
    "barcode": None,
    "category": "Cereal Grains and Pasta",
    "default_portion": CATALOG_PORTION_100G,
}
CATALOG_PRODUCT_DETAIL = {
    **CATALOG_PRODUCT,
    "portions": [CATALOG_PORTION_100G, CATALOG_PORTION_CUP],
}
# An Open Food Facts product, as `import_catalog --source off` stores it (the starter
# catalog has no barcodes).
OFF_PORTION = {
    "id": "2d4f6b8a-1c3e-5a7b-9d0f-4e6a8c0b2d41",
    "label": "100 g",
    "base_amount": "100.000",
    "base_unit": "g",
    "gram_weight": "100.000",
    "calories": "374.000",
    "protein": "11.000",
    "carbs": "60.000",
    "fat": "8.000",
    "is_default": True,
}
OFF_PRODUCT_DETAIL = {
    "id": "7e1a3c5b-9d2f-5b4a-8c6e-1f3a5b7c9d02",
    "source": "off",
    "source_id": OATS_BARCODE,
    "name": "Porridge oats",
    "display_name": "Porridge oats (Quaker)",
    "brand": "Quaker",
    "barcode": OATS_BARCODE,
    "category": "Breakfast cereals",
    "default_portion": OFF_PORTION,
    "portions": [OFF_PORTION],
}

PRODUCT_REQUEST = OpenApiExample(
    "Rolled oats, per 100 g",
    value={
        "id": OATS_ID,
        "name": "Rolled oats",
        "barcode": OATS_BARCODE,
        "kcal_100g": 389,
        "protein_100g": 16.9,
        "carbs_100g": 66.3,
        "fat_100g": 6.9,
    },
    request_only=True,
    description="Creates the product and its default portion '100 g' in one call.",
)
PRODUCT_RESPONSE = OpenApiExample("Rolled oats", value=PRODUCT, response_only=True)
PRODUCT_RENAME = OpenApiExample("Rename", value={"name": "Rolled oats, organic"}, request_only=True)
PRODUCT_RENAMED = OpenApiExample(
    "Renamed",
    value={
        **PRODUCT,
        "name": "Rolled oats, organic",
        "updated_at": "2026-03-14T07:40:26.913550Z",
    },
    response_only=True,
)
PRODUCT_REPLACE = OpenApiExample(
    "Name and barcode",
    value={"name": "Rolled oats, organic", "barcode": OATS_BARCODE},
    request_only=True,
)
NAME_AVAILABILITY = OpenApiExample(
    "Taken (by Rolled oats)", value={"available": False}, response_only=True
)

PORTION_REQUEST = OpenApiExample(
    "1 cup of oats (80 g)",
    value={
        "id": OATS_CUP_ID,
        "label": "1 cup",
        "base_amount": 1,
        "base_unit": "cup",
        "gram_weight": 80,
        "calories": 311.2,
        "protein": 13.52,
        "carbs": 53.04,
        "fat": 5.52,
    },
    request_only=True,
)
PORTION_RESPONSE = OpenApiExample("1 cup of oats", value=PORTION_CUP, response_only=True)
PORTION_LIST = OpenApiExample("The default portion", value=PORTION_100G, response_only=True)
PORTION_MAKE_DEFAULT = OpenApiExample(
    "Make it the default", value={"is_default": True}, request_only=True
)
PORTION_MADE_DEFAULT = OpenApiExample(
    "The new default",
    value={**PORTION_CUP, "is_default": True, "updated_at": "2026-03-14T07:41:08.305127Z"},
    response_only=True,
)

SEARCH_RESULTS = OpenApiExample(
    "oats, 2 results",
    value=[
        {
            "id": CATALOG_OATS_ID,
            "name": "Oats",
            "source": "catalog",
            "calories_per_100g": 389.0,
            "protein_per_100g": 16.89,
            "carbs_per_100g": 66.27,
            "fat_per_100g": 6.9,
            "catalog_id": CATALOG_OATS_ID,
            "display_name": "Oats",
            "brand": None,
        },
        {
            "id": "681d59e7-f7a0-5fbe-ac0f-6bdc8bc6955b",
            "name": (
                "Cereals, oats, regular and quick, unenriched, cooked with water (includes "
                "boiling and microwaving), without salt"
            ),
            "source": "catalog",
            "calories_per_100g": 71.0,
            "protein_per_100g": 2.54,
            "carbs_per_100g": 12.0,
            "fat_per_100g": 1.52,
            "catalog_id": "681d59e7-f7a0-5fbe-ac0f-6bdc8bc6955b",
            "display_name": (
                "Cereals, oats, regular and quick, unenriched, cooked with water (includes "
                "boiling and microwaving), without salt"
            ),
            "brand": None,
        },
    ],
    response_only=True,
)
SEARCH_USER_RESULT = OpenApiExample(
    "rolled oats: the device's own product",
    value=[
        {
            "id": OATS_ID,
            "name": "Rolled oats",
            "source": "user",
            "calories_per_100g": 389.0,
            "protein_per_100g": 16.9,
            "carbs_per_100g": 66.3,
            "fat_per_100g": 6.9,
            "catalog_id": None,
            "display_name": "Rolled oats",
            "brand": None,
        }
    ],
    response_only=True,
    description="A device product: `catalog_id` null, per-100 g values from its default portion.",
)
CATALOG_LIST = OpenApiExample("Oats", value=CATALOG_PRODUCT, response_only=True)
CATALOG_DETAIL = OpenApiExample("Oats", value=CATALOG_PRODUCT_DETAIL, response_only=True)
CATALOG_BY_BARCODE = OpenApiExample(
    "Porridge oats (Open Food Facts)", value=OFF_PRODUCT_DETAIL, response_only=True
)
