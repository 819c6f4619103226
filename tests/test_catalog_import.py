"""The food-catalog import (manage.py import_catalog): USDA SR28 and FoodData Central.

End to end through ``call_command`` on small fixtures in the real formats
(tests/data/README.md): what is created, the portions, what is skipped and
why, idempotency, updates.
"""

import shutil
import zipfile

import pytest

from products.catalog_import.records import (
    MISSING_ENERGY,
)
from products.models import CatalogPortion, CatalogProduct, catalog_portion_id, catalog_product_id
from tests.catalog_import_calls import (
    FDC_DIR,
    FDC_ZIP,
    NOT_A_FOOD,
    SR28,
    D,
    food,
    import_catalog,
    portions,
    snapshot,
)

pytestmark = pytest.mark.django_db


# --- USDA SR28 ASCII -------------------------------------------------------------


def test_sr28_import_creates_the_foods_with_their_household_measures():
    summary = import_catalog("usda-sr28", SR28)

    assert summary.counts == {"read": 9, "created": 8, "updated": 0, "unchanged": 0, "skipped": 1}
    assert summary.reasons == {MISSING_ENERGY: 1}
    assert set(CatalogProduct.objects.values_list("source_id", flat=True)) == {
        "01001",
        "01077",
        "05075",
        "08700",
        "09040",
        "09520",
        "04001",
        "42231",
    }
    banana = food("usda", "09040")
    assert banana.id == catalog_product_id("usda", "09040")
    assert (banana.name, banana.display_name, banana.category, banana.brand, banana.barcode) == (
        "Bananas, raw",
        "Bananas, raw",
        "Fruits and Fruit Juices",
        "",
        None,
    )
    assert (banana.kcal_100g, banana.protein_100g, banana.carbs_100g, banana.fat_100g) == (
        D("89"),
        D("1.09"),
        D("22.84"),
        D("0.33"),
    )
    assert portions(banana) == {
        "100 g": (D(100), "g", D(100), D(89), True),
        "1 cup, mashed": (D(1), "cup", D(225), D("200.25"), False),
        "1 cup, sliced": (D(1), "cup", D(150), D("133.5"), False),
        '1 extra small (less than 6" long)': (D(1), "pcs", D(81), D("72.09"), False),
        '1 small (6" to 6-7/8" long)': (D(1), "pcs", D(101), D("89.89"), False),
        '1 medium (7" to 7-7/8" long)': (D(1), "pcs", D(118), D("105.02"), False),
        '1 large (8" to 8-7/8" long)': (D(1), "pcs", D(136), D("121.04"), False),
        '1 extra large (9" or longer)': (D(1), "pcs", D(152), D("135.28"), False),
        "1 NLEA serving": (D(1), "serving", D(126), D("112.14"), False),
    }
    sliced = banana.portions.get(label="1 cup, sliced")
    assert sliced.id == catalog_portion_id(banana.id, "measure:1 cup, sliced")
    assert (sliced.protein, sliced.carbs, sliced.fat) == (D("1.635"), D("34.26"), D("0.495"))
    default = banana.portions.get(is_default=True)
    assert default.id == catalog_portion_id(banana.id, "100 g")
    assert (default.protein, default.carbs, default.fat) == (D("1.09"), D("22.84"), D("0.33"))


def test_sr28_measures_map_to_contract_units():
    import_catalog("usda-sr28", SR28)

    milk = portions(food("usda", "01077"))
    assert milk["1 fl oz"] == (D("29.574"), "ml", D("30.5"), D("18.605"), False)
    assert milk["1 quart"] == (D("946.353"), "ml", D(976), D("595.36"), False)
    assert milk["1 tbsp"] == (D(1), "tbsp", D(15), D("9.15"), False)
    chicken = portions(food("usda", "05075"))
    # A mass measure is expressed in grams: "3 oz" is 85 g.
    assert chicken["3 oz"] == (D(85), "g", D(85), D("181.9"), False)
    assert chicken["1 drumstick with skin"][:2] == (D(1), "pcs")
    assert chicken["1 back with skin"][:2] == (D(1), "serving")
    cereal = food("usda", "08700")
    assert cereal.brand == "Kellogg, Co."
    assert cereal.category == "Breakfast Cereals"
    assert portions(cereal)["1 Cup (1 NLEA serving)"] == (D(1), "cup", D(53), D("184.97"), False)
    butter = portions(food("usda", "01001"))
    assert butter['1 pat (1" sq, 1/3" high)'][:3] == (D(1), "pcs", D(5))
    assert portions(food("usda", "09520"))["1 fruit"] == (D(1), "pcs", D(81), D("51.03"), False)


def test_sr28_second_run_changes_nothing():
    import_catalog("usda-sr28", SR28)
    before = snapshot()

    summary = import_catalog("usda-sr28", SR28)

    assert summary.counts == {"read": 9, "created": 0, "updated": 0, "unchanged": 8, "skipped": 1}
    assert snapshot() == before  # same ids, values and timestamps


def test_sr28_reimport_updates_a_changed_food_and_drops_its_stale_measures(tmp_path):
    import_catalog("usda-sr28", SR28)
    before = snapshot()
    release = tmp_path / "sr28"
    shutil.copytree(SR28, release)
    nutrients = release / "NUT_DATA.txt"
    nutrients.write_bytes(
        nutrients.read_bytes().replace(b"~09040~^~208~^89^", b"~09040~^~208~^90^")
    )
    weights = release / "WEIGHT.txt"
    weights.write_bytes(weights.read_bytes().replace(b"~09040~^1^1^~cup, mashed~^225^^\r\n", b""))

    summary = import_catalog("usda-sr28", release)

    assert summary.counts == {"read": 9, "created": 0, "updated": 1, "unchanged": 7, "skipped": 1}
    banana = food("usda", "09040")
    assert banana.kcal_100g == D(90)
    assert banana.updated_at > before["products"][banana.id]["updated_at"]
    assert banana.created_at == before["products"][banana.id]["created_at"]
    now = portions(banana)
    assert "1 cup, mashed" not in now
    assert now["1 cup, sliced"] == (D(1), "cup", D(150), D(135), False)
    assert now["100 g"] == (D(100), "g", D(100), D(90), True)
    # The surviving portions keep their ids; the other foods are untouched.
    old_ids = {pk for pk, row in before["portions"].items() if row["product_id"] == banana.id}
    assert set(banana.portions.values_list("id", flat=True)) == old_ids - {
        catalog_portion_id(banana.id, "measure:1 cup, mashed")
    }
    after = snapshot()
    others = set(before["products"]) - {banana.id}
    assert {pk: after["products"][pk] for pk in others} == {
        pk: before["products"][pk] for pk in others
    }


def test_sr28_import_is_batched_not_a_query_per_food(django_assert_max_num_queries):
    # Per batch: savepoint, read products, read portions, two upserts, release.
    with django_assert_max_num_queries(8):
        summary = import_catalog("usda-sr28", SR28)
    assert summary["created"] == 8
    assert CatalogPortion.objects.count() == 6 + 4 + 4 + 5 + 1 + 8 + 1 + 3 + 3


# --- USDA FoodData Central CSV --------------------------------------------------


def test_fdc_import_of_a_release_directory():
    summary = import_catalog("usda", FDC_DIR)

    assert summary.counts == {"read": 5, "created": 3, "updated": 0, "unchanged": 0, "skipped": 2}
    assert summary.reasons == {MISSING_ENERGY: 1, NOT_A_FOOD: 1}
    # The SR Legacy banana is stored under its NDB number, padded like SR28's.
    banana = food("usda", "09040")
    assert banana.category == "Fruits and Fruit Juices"
    assert banana.kcal_100g == D(89)
    assert portions(banana)["1 cup, sliced"] == (D(1), "cup", D(150), D("133.5"), False)
    assert len(portions(banana)) == 9
    # A Foundation food: no NDB number, energy from the Atwater specific factors,
    # carbohydrate by difference (205), not by summation (205.2).
    apple = food("usda", "2344719")
    assert (apple.kcal_100g, apple.carbs_100g, apple.protein_100g) == (
        D(63),
        D("15.7"),
        D("0.148"),
    )
    assert portions(apple) == {
        "100 g": (D(100), "g", D(100), D(63), True),
        "1 cup, sliced": (D(1), "cup", D(109), D("68.67"), False),
        "1 piece": (D(1), "pcs", D(182), D("114.66"), False),
    }
    # A Survey (FNDDS) food writes its measure as text; its category id is not ours.
    milk = food("usda", "1750000")
    assert milk.category == ""
    assert portions(milk)["1 cup"] == (D(1), "cup", D(244), D("148.84"), False)
    assert not CatalogProduct.objects.filter(name__startswith="Sweetener").exists()


def test_fdc_zip_gives_the_same_catalog_as_the_directory():
    with zipfile.ZipFile(FDC_ZIP) as archive:
        for info in archive.infolist():
            name = info.filename.split("/")[-1]
            assert archive.read(info) == (FDC_DIR / name).read_bytes(), name
    zipped = import_catalog("usda", FDC_ZIP)
    from_zip = snapshot()

    summary = import_catalog("usda", FDC_DIR)

    assert zipped["created"] == 3
    assert summary.counts == {"read": 5, "created": 0, "updated": 0, "unchanged": 3, "skipped": 2}
    assert snapshot() == from_zip


def test_sr28_and_fdc_imports_of_one_food_share_its_row():
    import_catalog("usda-sr28", SR28)
    banana_before = snapshot()["products"][catalog_product_id("usda", "09040")]

    summary = import_catalog("usda", FDC_DIR)

    # Same food, same values, same measures: nothing to write.
    assert summary.counts == {"read": 5, "created": 2, "updated": 0, "unchanged": 1, "skipped": 2}
    assert CatalogProduct.objects.filter(name="Bananas, raw").count() == 1
    assert snapshot()["products"][banana_before["id"]] == banana_before
