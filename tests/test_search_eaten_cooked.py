"""``GET /v1/products/search``: foods sold dry and eaten cooked list the cooked row first.

Against the starter catalog (SR28) through the API. People weigh their plate
and tap the first result: "rice" listed "Rice, white, long-grain, regular,
raw, enriched" (365 kcal/100 g) before the cooked rice (130 kcal/100 g), so
200 g of cooked rice was logged as 730 kcal instead of 260. USDA's survey
database (FNDDS, what NHANES respondents ate) codes rice, pasta, lentils,
beans, quinoa and couscous as cooked. Oats and flour are weighed dry and
keep their dry row first; a query that says "raw" or "dry" still finds it.
"""

import pytest

from tests.quick_add_calls import names

pytestmark = pytest.mark.django_db


def first(client, query: str) -> dict:
    response = client.get("/v1/products/search", {"q": query})
    assert response.status_code == 200, response.content
    return response.json()[0]


@pytest.mark.parametrize(
    ("query", "food", "kcal"),
    [
        ("rice", "Rice, white, long-grain, regular, enriched, cooked", 130.0),
        ("pasta", "Pasta, whole-wheat, cooked", 149.0),
        ("spaghetti", "Spaghetti, spinach, cooked", 130.0),
        ("macaroni", "Macaroni, vegetable, enriched, cooked", 128.0),
        ("lentils", "Lentils, mature seeds, cooked, boiled, with salt", 114.0),
        ("beans", "Beans, navy, mature seeds, cooked, boiled, with salt", 140.0),
        ("quinoa", "Quinoa, cooked", 120.0),
        ("couscous", "Couscous, cooked", 112.0),
        (
            "chickpeas",
            "Chickpeas (garbanzo beans, bengal gram), mature seeds, cooked, boiled, with salt",
            164.0,
        ),
    ],
)
def test_a_food_eaten_cooked_lists_the_cooked_row_first(
    starter_catalog, device_client, query, food, kcal
):
    row = first(device_client, query)
    assert (row["name"], row["calories_per_100g"]) == (food, kcal)


@pytest.mark.parametrize(
    ("query", "food"),
    [
        ("rice raw", "Rice, white, long-grain, regular, raw, enriched"),
        ("raw rice", "Rice, white, long-grain, regular, raw, enriched"),
        ("dry pasta", "Pasta, whole grain, 51% whole wheat, remaining enriched semolina, dry"),
        ("uncooked rice", "Rice, white, glutinous, unenriched, uncooked"),
        # Weighed dry: oats and flour keep their dry rows.
        ("oats", "Oats"),
        ("rice flour", "Rice flour, brown"),
    ],
)
def test_a_query_saying_raw_or_dry_and_foods_weighed_dry_keep_the_dry_row(
    starter_catalog, device_client, query, food
):
    assert names(device_client, query)[0] == food


def test_sprouts_are_still_eaten_raw(starter_catalog, device_client):
    """Sprouted lentils are no dry food: their raw row stays among the first."""
    assert "Lentils, sprouted, raw" in names(device_client, "lentils")[:3]
