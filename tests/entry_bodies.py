"""The body of a food entry create, for the tests of entries, replays and batches."""

ENTRIES = "/v1/food-entries"


def food_entry_body(portion, **overrides) -> dict:
    """50 g of ``portion`` (of its own product) at lunch on 2026-03-14, with ``overrides``."""
    return {
        "product_id": str(portion.product_id),
        "portion_id": str(portion.id),
        "day": "2026-03-14",
        "meal_type": "lunch",
        "amount": 50,
        "unit": "g",
        **overrides,
    }
