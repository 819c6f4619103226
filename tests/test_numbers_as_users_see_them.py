"""Every number the app shows is right: the figures people got wrong, tried as they did it.

One test per way a wrong figure reached a user: a barcode scanned and logged
through the app's own flow, an Open Food Facts serving written with a
thousands separator, a portion edited past what food can hold, energy that
contradicts its own kJ and macros, one food logged two ways, and the export
of a deleted product's entries. Each asserts the right figure; on SQLite and
PostgreSQL alike.
"""

from decimal import Decimal

import pytest

from entries.models import FoodEntry
from products.catalog_import.energy import FROM_KJ
from products.models import CatalogPortion, CatalogProduct, Portion
from tests.assertions import assert_error
from tests.catalog_import_calls import import_off
from tests.factories import FoodEntryFactory, PortionFactory, ProductFactory

pytestmark = pytest.mark.django_db

D = Decimal
BATCH = "/v1/food-entries/batch"


def normalize_per_100g(value: str | None, gram_weight: str | None) -> float:
    """The shipping app's ``normalizePer100g``: value ÷ gram_weight × 100; 0 without a weight."""
    if value is None or gram_weight is None:
        return 0
    return float(value) / float(gram_weight) * 100


# --- a barcode scanned and logged through the app's own flow ------------------------


def test_a_scanned_food_is_stored_at_the_kcal_the_screen_previewed(tmp_path, device_client):
    import_off(
        tmp_path,
        {
            "code": "4006381333931",
            "product_name": "Greek style yogurt",
            "serving_size": "150 g",
            "serving_quantity": 150,
            "nutriments": {
                "energy-kcal_100g": 100,
                "energy-kj_100g": 418,
                "proteins_100g": 4,
                "carbohydrates_100g": 12,
                "fat_100g": 3.5,
            },
        },
    )

    # 1. Scan: the catalog item by its barcode.
    scanned = device_client.get("/v1/catalog/products/barcode/4006381333931")
    assert scanned.status_code == 200
    default = scanned.json()["default_portion"]
    # 2. The screen previews 150 g from the portion itself: 150 kcal.
    preview = {
        name: float(default[name]) * 150 / float(default["base_amount"])
        for name in ("calories", "protein", "carbs", "fat")
    }
    assert preview == {"calories": 150, "protein": 6, "carbs": 18, "fat": 5.25}
    # 3. The app's per-100 g values of the food it saves, from the default portion.
    per_100g = {
        name: normalize_per_100g(default[name], default["gram_weight"])
        for name in ("calories", "protein", "carbs", "fat")
    }
    # 4. Save the food and log 150 g of it, as the app does (floats as JavaScript
    # computes them: fat 3.5000000000000004).
    product = device_client.post(
        "/v1/products",
        {
            "name": scanned.json()["display_name"],
            "barcode": "4006381333931",
            "kcal_100g": per_100g["calories"],
            "protein_100g": per_100g["protein"],
            "carbs_100g": per_100g["carbs"],
            "fat_100g": per_100g["fat"],
        },
        format="json",
    )
    assert product.status_code == 201, product.content
    [portion] = device_client.get(f"/v1/products/{product.json()['id']}/portions").json()
    logged = device_client.post(
        "/v1/food-entries",
        {
            "product_id": product.json()["id"],
            "portion_id": portion["id"],
            "day": "2026-03-14",
            "meal_type": "breakfast",
            "amount": 150,
            "unit": "g",
        },
        format="json",
    )

    assert logged.status_code == 201, logged.content
    stored = FoodEntry.objects.get(pk=logged.json()["id"])
    assert (stored.calories, stored.protein, stored.carbs, stored.fat) == (
        D(str(preview["calories"])),
        D(str(preview["protein"])),
        D(str(preview["carbs"])),
        D(str(preview["fat"])),
    )
    assert logged.json()["calories"] == "150.000"
    # The weights the app divides by are there: the catalog's and the saved food's.
    assert (default["label"], default["gram_weight"]) == ("100 g", "100.000")
    assert (portion["base_unit"], portion["gram_weight"]) == ("g", "100.000")
    assert product.json()["kcal_100g"] == "100.000"


# --- a serving written with a thousands separator ------------------------------------


def test_250_ml_of_a_juice_served_as_1_000_ml_is_112_5_kcal(tmp_path, device_client):
    import_off(
        tmp_path,
        {
            "code": "5000000000001",
            "product_name": "Orange juice",
            "serving_size": "1,000 ml",
            "serving_quantity": 1000,
            "nutriments": {
                "energy-kcal_100g": 45,
                "energy-kj_100g": 188,
                "proteins_100g": 0.7,
                "carbohydrates_100g": 10.4,
                "fat_100g": 0.1,
            },
        },
    )
    litre = CatalogPortion.objects.get(label="1,000 ml")

    logged = device_client.post(
        BATCH,
        {
            "entries": [
                {
                    "catalog_product_id": str(litre.product_id),
                    "catalog_portion_id": str(litre.id),
                    "day": "2026-03-14",
                    "meal_type": "breakfast",
                    "amount": 250,
                    "unit": "ml",
                }
            ]
        },
        format="json",
    )

    assert logged.status_code == 201, logged.content
    [entry] = logged.json()
    assert (entry["calories"], entry["carbs"]) == ("112.500", "26.000")
    litre.refresh_from_db()
    assert (litre.base_amount, litre.base_unit, litre.gram_weight, litre.calories) == (
        D(1000),
        "ml",
        D(1000),
        D(450),
    )


# --- a portion edited past what food can hold ------------------------------------------


def test_a_default_portion_edited_to_1_000_000_kcal_in_a_milligram_is_400(device_client, device):
    product = ProductFactory(device=device)
    portion = PortionFactory(product=product, calories=D(150), protein=None, carbs=None, fat=None)

    response = device_client.patch(
        f"/v1/portions/{portion.id}",
        {"base_amount": "0.001", "base_unit": "g", "calories": 1_000_000},
        format="json",
    )

    body = assert_error(response, 400, "energy_above_limit", "calories")
    assert body["errors"][0]["detail"] == (
        "1000000 kcal in 0.001 g is 100000000000 kcal per 100 g; food holds at most 900 (pure fat)."
    )
    portion.refresh_from_db()
    assert (portion.base_amount, portion.calories) == (D(100), D(150))
    assert device_client.get(f"/v1/products/{product.id}").json()["kcal_100g"] == "150.000"


# --- energy that contradicts its own kJ and macros ----------------------------------------


def test_energy_is_taken_from_the_figure_its_kj_and_macros_agree_with(tmp_path):
    summary = import_off(
        tmp_path,
        {
            # kcal 0 beside 1500 kJ and 20 g of fat: the kJ are right (358.5 kcal).
            "code": "1",
            "product_name": "Granola",
            "nutriments": {
                "energy-kcal_100g": 0,
                "energy-kj_100g": 1500,
                "proteins_100g": 7.5,
                "carbohydrates_100g": 60,
                "fat_100g": 20,
            },
        },
        {
            # The kJ typed into the kcal field too: 380 kJ is 90.8 kcal, as the macros say.
            "code": "2",
            "product_name": "Apple juice",
            "nutriments": {
                "energy-kcal_100g": 380,
                "energy-kj_100g": 380,
                "proteins_100g": 1,
                "carbohydrates_100g": 21.5,
                "fat_100g": 0.2,
            },
        },
    )

    kcal = dict(CatalogProduct.objects.values_list("source_id", "kcal_100g"))
    assert kcal == {"1": D("358.509"), "2": D("90.822")}
    assert "  energy corrected: 2" in summary
    assert f"            2  {FROM_KJ}" in summary


# --- one food logged two ways --------------------------------------------------------


def test_the_same_grams_logged_two_ways_give_the_same_kcal(tmp_path, device_client):
    import_off(
        tmp_path,
        {
            "code": "3",
            "product_name": "Hot chocolate powder",
            "serving_size": "1 sachet (12.5 g)",
            "serving_quantity": 12.5,
            "nutriments": {
                "energy-kcal_100g": 20.5,
                "proteins_100g": 1,
                "carbohydrates_100g": 3,
                "fat_100g": 0.1,
            },
        },
    )
    sachet = CatalogPortion.objects.get(label="1 sachet (12.5 g)")
    hundred = CatalogPortion.objects.get(label="100 g")
    assert sachet.calories == D("2.563")  # 2.5625, half up

    def entry(portion: CatalogPortion, amount, unit: str) -> dict:
        return {
            "catalog_product_id": str(portion.product_id),
            "catalog_portion_id": str(portion.id),
            "day": "2026-03-14",
            "meal_type": "snacks",
            "amount": amount,
            "unit": unit,
        }

    logged = device_client.post(
        BATCH,
        {"entries": [entry(sachet, 1, sachet.base_unit), entry(hundred, "12.5", "g")]},
        format="json",
    )

    assert logged.status_code == 201, logged.content
    assert [row["calories"] for row in logged.json()] == ["2.563", "2.563"]
    totals = device_client.get("/v1/stats/day/2026-03-14").json()["totals"]
    assert totals["calories"] == "5.126"


def test_kcal_per_100g_rounds_half_up_in_the_list_the_product_and_search(device_client, device):
    # 0.001 kcal in 8 g is 0.0125 kcal per 100 g.
    product = ProductFactory(device=device, name="Sugar-free mint")
    PortionFactory(
        product=product,
        label="1 mint",
        base_amount=D(8),
        calories=D("0.001"),
        protein=None,
        carbs=None,
        fat=None,
    )
    assert device_client.get("/v1/products").json()[0]["kcal_100g"] == "0.013"
    assert device_client.get(f"/v1/products/{product.id}").json()["kcal_100g"] == "0.013"
    [found] = device_client.get("/v1/products/search", {"q": "mint"}).json()
    assert found["calories_per_100g"] == 0.013


# --- the export of a deleted product's entries -----------------------------------------


def test_the_export_names_what_was_eaten_after_its_product_was_deleted(device_client, device):
    product = ProductFactory(device=device, name="Lasagne")
    portion = PortionFactory(product=product, label="1 plate", calories=D(560))
    entry = FoodEntryFactory(portion=portion, amount=D(100), calories=D(560))
    assert device_client.delete(f"/v1/products/{product.id}").status_code == 204

    document = device_client.get("/v1/data/export").json()

    [exported_entry] = document["food_entries"]
    assert (exported_entry["id"], exported_entry["calories"]) == (str(entry.id), "560.000")
    [exported] = document["products"]
    assert (exported["id"], exported["name"]) == (str(product.id), "Lasagne")
    assert exported["deleted_at"] is not None
    assert exported["kcal_100g"] == "560.000"
    [exported_portion] = exported["portions"]
    assert (exported_portion["id"], exported_portion["label"]) == (str(portion.id), "1 plate")
    assert exported_portion["deleted_at"] == exported["deleted_at"]
    assert not Portion.objects.filter(pk=portion.pk).exists()  # still deleted
