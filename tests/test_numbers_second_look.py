"""Wrong figures a second look at issue 18 found, each as a user or an import met it.

Catalog imports of Open Food Facts rows written as people write numbers
(thousands separators in text, a serving whose weight contradicts its own
label) and quick add. Each asserts the right figure, the summary's count and
what is stored; on SQLite and PostgreSQL alike.
"""

from decimal import Decimal

import pytest

from entries.models import FoodEntry
from products.catalog_import.energy import FROM_KCAL, KJ_AMBIGUOUS
from products.catalog_import.measures import SERVING_AMBIGUOUS, SERVING_WEIGHT_CONTRADICTS
from products.models import CatalogPortion, CatalogProduct, Product
from tests.assertions import assert_error
from tests.catalog_import_calls import import_off
from tests.factories import PortionFactory, ProductFactory

pytestmark = pytest.mark.django_db

D = Decimal
GRANOLA = {"proteins_100g": 5, "carbohydrates_100g": 60, "fat_100g": 10}


def food(code: str, **fields) -> dict:
    return {"code": code, "product_name": f"Food {code}", **fields}


# --- kJ written with a thousands separator -------------------------------------------


def test_1_500_kj_written_1_comma_500_is_358_5_kcal_not_a_skipped_row(tmp_path):
    # Read as 1.5 kJ (0.36 kcal) the row was skipped as "energy below what its
    # fat and protein give"; 1500 kJ is 358.5 kcal, within what its macros give.
    summary = import_off(tmp_path, food("1", nutriments={"energy_100g": "1,500", **GRANOLA}))

    assert dict(CatalogProduct.objects.values_list("source_id", "kcal_100g")) == {"1": D("358.509")}
    assert "skipped            0" in summary
    default = CatalogPortion.objects.get(product__source_id="1")
    assert (default.label, default.gram_weight, default.calories) == ("100 g", 100, D("358.509"))


def test_kcal_beside_1_comma_500_kj_agrees_with_it_and_is_no_correction(tmp_path):
    # 358 kcal and "1,500" kJ agree; read as 1.5 kJ they were counted as a
    # contradiction settled in favour of the kcal.
    summary = import_off(
        tmp_path,
        food("2", nutriments={"energy-kcal_100g": 358, "energy-kj_100g": "1,500", **GRANOLA}),
    )

    assert CatalogProduct.objects.get().kcal_100g == D(358)
    assert "energy corrected" not in summary
    assert FROM_KCAL not in summary


def test_kj_that_both_readings_fit_is_no_energy_at_all(tmp_path):
    # "1,000" kJ of a row whose macros are unknown: 0.24 or 239 kcal, nothing tells.
    summary = import_off(tmp_path, food("3", nutriments={"energy_100g": "1,000"}))

    assert not CatalogProduct.objects.exists()
    assert f"            1  {KJ_AMBIGUOUS}" in summary


# --- a serving whose weight contradicts its own label ------------------------------------


def test_a_serving_labelled_30_g_that_serving_quantity_says_weighs_300_is_left_out(tmp_path):
    # "1 portion (30 g)" weighing 300 g was stored as a 1,200 kcal portion
    # labelled 30 g (120 kcal is what 30 g of it holds); pieces and servings
    # were weighed against nothing, though the label states their weight.
    # "2 biscuits (25 g)" may weigh 25 g (the serving) or 50 (25 g each), not 80.
    summary = import_off(
        tmp_path,
        food(
            "4",
            serving_size="1 portion (30 g)",
            serving_quantity=300,
            nutriments={"energy-kcal_100g": 400, **GRANOLA},
        ),
        food(
            "5",
            serving_size="2 biscuits (25 g)",
            serving_quantity=80,
            nutriments={"energy-kcal_100g": 450, **GRANOLA},
        ),
        food(
            "6",
            serving_size="2 biscuits (25 g)",
            serving_quantity=25,
            nutriments={"energy-kcal_100g": 450, **GRANOLA},
        ),
        food(
            "7",
            serving_size="1 can (330 ml)",
            serving_quantity=3300,
            nutriments={"energy-kcal_100g": 45, "proteins_100g": 0, "carbohydrates_100g": 11},
        ),
    )

    servings = CatalogPortion.objects.filter(is_default=False)
    assert list(servings.values_list("product__source_id", "label", "gram_weight", "calories")) == [
        ("6", "2 biscuits (25 g)", D(25), D("112.5"))
    ]
    assert (
        f"            3  {SERVING_WEIGHT_CONTRADICTS}: '1 portion (30 g)', "
        "'2 biscuits (25 g)', '1 can (330 ml)'"
    ) in summary


def test_a_serving_quantity_written_1_comma_000_is_read_the_way_its_serving_fits(tmp_path):
    # serving_quantity "1,000" was read as 1 g: "1,000 ml" became a 1 ml
    # portion at 0.45 kcal under the label "1,000 ml" (a litre is 450 kcal).
    juice = {"energy-kcal_100g": 45, "proteins_100g": 0.7, "carbohydrates_100g": 10.4}
    summary = import_off(
        tmp_path,
        food("8", serving_size="1,000 ml", serving_quantity="1,000", nutriments=juice),
        food("9", serving_size="1 l", serving_quantity="1,000", nutriments=juice),
    )

    servings = CatalogPortion.objects.filter(is_default=False)
    assert list(
        servings.values_list("product__source_id", "label", "base_amount", "base_unit")
    ) == [("9", "1 l", D(1), "l")]
    litre = servings.get()
    assert (litre.gram_weight, litre.calories) == (D(1000), D(450))
    # 1 ml weighing 1 g and 1000 ml weighing 1000 g both fit: nothing tells them apart.
    assert f"            1  {SERVING_AMBIGUOUS}: '1,000 ml'" in summary


# --- thousands grouped by a space ----------------------------------------------------------


def test_kj_written_1_space_500_is_1500_kj(tmp_path):
    # "1 500" (French and typeset text) was no number: the row was skipped as
    # missing energy.
    summary = import_off(
        tmp_path,
        food("10", nutriments={"energy_100g": "1 500", **GRANOLA}),
        food("11", nutriments={"energy-kj_100g": "1\u202f500", **GRANOLA}),
    )

    assert dict(CatalogProduct.objects.values_list("source_id", "kcal_100g")) == {
        "10": D("358.509"),
        "11": D("358.509"),
    }
    assert "skipped            0" in summary


def test_quick_add_in_french_reads_1_space_500_g_as_a_kilo_and_a_half(device_client, device):
    # "1 500 g de riz" found no food ("500 g riz"); in English a narrow no-break
    # space gave 1 × the default 100 g: 130 kcal for 1.5 kg of rice.
    rice = ProductFactory(device=device, name="Riz")
    PortionFactory(product=rice, calories=D(130), protein=D("2.7"), carbs=D(28), fat=D("0.3"))

    def proposed(text: str, locale: str) -> list:
        response = device_client.post(
            "/v1/quick-add/parse", {"text": text, "locale": locale}, format="json"
        )
        assert response.status_code == 200, response.content
        return [
            (item["quantity"], item["unit"], item["grams"], item["nutrition"]["calories"])
            for item in response.json()["items"]
        ]

    kilo_and_a_half = [("1500.000", "g", "1500.000", "1950.000")]
    assert proposed("1 500 g de riz", "fr") == kilo_and_a_half
    assert proposed("riz 1 500 g", "fr") == kilo_and_a_half
    assert proposed("1\u202f500 g riz", "en") == kilo_and_a_half
    assert not FoodEntry.objects.exists()  # a proposal writes nothing


def test_an_amount_read_only_in_part_is_proposed_with_a_low_confidence(device_client, device):
    # In English "1 500 g rice" may be 1,500 g or 1 × 500 g; it was proposed as
    # 1 × the default 100 g (130 kcal) at 0.72, as sure as any estimate. What
    # follows the amount still starts with a number: the app must ask.
    rice = ProductFactory(device=device, name="Rice")
    PortionFactory(product=rice, calories=D(130), protein=D("2.7"), carbs=D(28), fat=D("0.3"))

    response = device_client.post(
        "/v1/quick-add/parse", {"text": "1 500 g rice, 200 g rice, 1 2% rice"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert [(item["text"], item["confidence"]) for item in response.json()["items"]] == [
        ("1 500 g rice", 0.2),
        ("200 g rice", 0.9),
        ("1 2% rice", 0.72),  # "2%" is a name ("2% milk"), not a measure
    ]
    assert not FoodEntry.objects.exists()


@pytest.mark.django_db
def test_a_product_with_less_energy_than_its_fat_gives_is_refused(device_client, device):
    """10 kcal beside 90 g of fat per 100 g (a typo: fat alone gives ≥ 597 kcal)."""
    body = {"name": "Ghee", "kcal_100g": 10, "fat_100g": 90}
    response = device_client.post("/v1/products", body, format="json")
    error = assert_error(response, 400, "energy_below_macros", "kcal_100g")
    assert "90 g of fat" in error["errors"][0]["detail"]
    assert not Product.all_objects.filter(device=device).exists()
    ok = device_client.post("/v1/products", {**body, "kcal_100g": 810}, format="json")
    assert ok.status_code == 201
    assert ok.json()["kcal_100g"] == "810.000"
