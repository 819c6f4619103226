"""The food-catalog import (manage.py import_catalog) and the starter catalog.

End to end through ``call_command`` on small fixtures in the real formats
(tests/data/README.md): what is created, the portions, what is skipped and
why, idempotency, updates, and the starter catalog shipped with the project.
"""

import gzip
import re
import shutil
import zipfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from products.catalog_import.measures import measure_unit
from products.catalog_import.progress import SilentProgress
from products.catalog_import.records import (
    DUPLICATE,
    ENERGY_OUT_OF_RANGE,
    MACROS_OVER_PORTION,
    MALFORMED_ROW,
    MISSING_ENERGY,
    MISSING_ID,
    MISSING_NAME,
    FoodRecord,
    fit_to_limits,
    skip_reason,
)
from products.catalog_import.sr28 import read_sr28
from products.catalog_import.starter import read_header, read_records
from products.models import CatalogPortion, CatalogProduct, catalog_portion_id, catalog_product_id
from products.starter_catalog import CITATION, DATA_FILE
from products.starter_catalog.build import build

DATA = Path(__file__).parent / "data"
SR28 = DATA / "usda-sr28"
FDC_DIR = DATA / "fdc-sr-legacy"
FDC_ZIP = DATA / "FoodData_Central_sr_legacy_food_csv_2018-04.zip"
OFF_JSONL = DATA / "off" / "openfoodfacts-products.jsonl.gz"
OFF_TSV = DATA / "off" / "en.openfoodfacts.org.products.csv"
NOT_A_FOOD = "laboratory sample, not a food"

pytestmark = pytest.mark.django_db


# --- helpers -------------------------------------------------------------------


class Summary:
    """The counts an import printed: ``summary["created"]``, ``summary.reasons``."""

    def __init__(self, output: str) -> None:
        self.output = output
        self.counts = {
            name: int(number.replace(",", ""))
            for name, number in re.findall(
                r"^  (read|created|updated|unchanged|skipped) +([\d,]+)$", output, re.M
            )
        }
        section = output.split("household measures")[0]
        self.reasons = {
            reason: int(number.replace(",", ""))
            for number, reason in re.findall(r"^ {4} *([\d,]+)  (.+)$", section, re.M)
        }

    def __getitem__(self, name: str) -> int:
        return self.counts[name]


def import_catalog(source: str, path: Path, *extra: str) -> Summary:
    out = StringIO()
    call_command("import_catalog", "--source", source, str(path), *extra, stdout=out)
    return Summary(out.getvalue())


def food(source: str, source_id: str) -> CatalogProduct:
    return CatalogProduct.objects.get(source=source, source_id=source_id)


def portions(product: CatalogProduct) -> dict[str, tuple]:
    """label → (base_amount, base_unit, gram_weight, calories, is_default)."""
    return {
        p.label: (p.base_amount, p.base_unit, p.gram_weight, p.calories, p.is_default)
        for p in product.portions.all()
    }


def snapshot() -> dict:
    """Every catalog row with every column, timestamps included."""
    return {
        "products": {
            row["id"]: row for row in CatalogProduct.objects.values().order_by("source_id")
        },
        "portions": {row["id"]: row for row in CatalogPortion.objects.values()},
    }


def values_only(state: dict) -> dict:
    """``snapshot()`` without timestamps, to compare what two imports stored."""
    drop = {"created_at", "updated_at"}
    return {
        table: {pk: {k: v for k, v in row.items() if k not in drop} for pk, row in rows.items()}
        for table, rows in state.items()
    }


D = Decimal


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


# --- Open Food Facts -------------------------------------------------------------


def test_off_jsonl_gz_import():
    summary = import_catalog("off", OFF_JSONL)

    assert summary.counts == {"read": 9, "created": 3, "updated": 0, "unchanged": 0, "skipped": 6}
    assert summary.reasons == {
        MISSING_NAME: 1,
        MISSING_ID: 1,
        DUPLICATE: 1,
        MALFORMED_ROW: 1,
        ENERGY_OUT_OF_RANGE: 1,
        MACROS_OVER_PORTION: 1,
    }
    nutella = food("off", "3017620422003")
    assert (nutella.name, nutella.display_name, nutella.brand, nutella.barcode) == (
        "Nutella",  # the first row of a repeated code wins
        "Nutella — Ferrero",
        "Ferrero",
        "3017620422003",
    )
    assert nutella.category == "Hazelnut spreads"
    assert (nutella.kcal_100g, nutella.protein_100g, nutella.carbs_100g, nutella.fat_100g) == (
        D(539),
        D("6.3"),
        D("57.5"),
        D("30.9"),
    )
    assert portions(nutella) == {
        "100 g": (D(100), "g", D(100), D(539), True),
        "15 g": (D(15), "g", D(15), D("80.85"), False),
    }
    cola = food("off", "5449000000996")
    # Named by product_name_en; energy only in kJ (180 / 4.184).
    assert (cola.name, cola.display_name, cola.category) == ("Coca-Cola", "Coca-Cola", "Sodas")
    assert cola.kcal_100g == D("43.021")
    assert portions(cola)["1 can (330 ml)"] == (D(1), "serving", D(330), D("141.969"), False)
    yogurt = food("off", "2000000000003")
    assert (yogurt.brand, yogurt.display_name, yogurt.category) == ("", "Plain yogurt", "Yogurts")
    assert portions(yogurt)["1 pot (125 g)"] == (D(1), "serving", D(125), D("76.25"), False)


def test_off_duplicates_are_caught_across_batches():
    summary = import_catalog("off", OFF_JSONL, "--batch-size", "2")

    assert summary.counts == {"read": 9, "created": 3, "updated": 0, "unchanged": 0, "skipped": 6}
    assert summary.reasons[DUPLICATE] == 1
    assert food("off", "3017620422003").name == "Nutella"


def test_off_tsv_import():
    summary = import_catalog("off", OFF_TSV)

    assert summary.counts == {"read": 4, "created": 2, "updated": 0, "unchanged": 0, "skipped": 2}
    assert summary.reasons == {MALFORMED_ROW: 1, MISSING_ENERGY: 1}
    ice_cream = food("off", "0076840100477")
    assert ice_cream.name == 'Ben & Jerry\'s "Chocolate Fudge Brownie"'
    assert ice_cream.brand == "Ben & Jerry's"
    assert ice_cream.category == "Ice creams"
    # ⅔ cup has no exact 3-place form: 160 ml keeps one cup at 216 g (144 ÷ ⅔).
    assert portions(ice_cream)["2/3 cup (144 g)"] == (
        D(160),
        "ml",
        D(144),
        D("380.16"),
        False,
    )
    milk = food("off", "0041196910759")
    assert (milk.kcal_100g, milk.category, milk.display_name) == (
        D("60.946"),
        "Whole milks",
        "Organic whole milk — Horizon Organic",
    )
    assert portions(milk)["1 cup (240 ml)"] == (D(1), "cup", D(240), D("146.272"), False)


def test_off_second_runs_change_nothing_and_gzip_is_detected_by_content(tmp_path):
    import_catalog("off", OFF_JSONL)
    import_catalog("off", OFF_TSV)
    before = snapshot()
    unnamed_gzip = tmp_path / "products-dump"
    shutil.copyfile(OFF_JSONL, unnamed_gzip)
    plain_jsonl = tmp_path / "products.jsonl"
    plain_jsonl.write_bytes(gzip.decompress(OFF_JSONL.read_bytes()))
    gzipped_tsv = tmp_path / "en.openfoodfacts.org.products.csv.gz"
    gzipped_tsv.write_bytes(gzip.compress(OFF_TSV.read_bytes()))

    runs = [
        import_catalog("off", OFF_JSONL),
        import_catalog("off", unnamed_gzip),
        import_catalog("off", plain_jsonl),
        import_catalog("off", OFF_TSV),
        import_catalog("off", gzipped_tsv),
    ]

    assert [(run["created"], run["updated"], run["unchanged"]) for run in runs] == [
        (0, 0, 3),
        (0, 0, 3),
        (0, 0, 3),
        (0, 0, 2),
        (0, 0, 2),
    ]
    assert snapshot() == before


def test_off_product_update_replaces_its_serving(tmp_path):
    import_catalog("off", OFF_TSV)
    changed = tmp_path / "changed.csv"
    changed.write_text(
        OFF_TSV.read_text().replace("1 cup (240 ml)\t240", "1 glass (200 ml)\t200"),
    )

    summary = import_catalog("off", changed)

    assert (summary["updated"], summary["unchanged"]) == (1, 1)
    assert portions(food("off", "0041196910759")) == {
        "100 g": (D(100), "g", D(100), D("60.946"), True),
        "1 glass (200 ml)": (D(1), "serving", D(200), D("121.893"), False),
    }


# --- the command ------------------------------------------------------------------


def test_import_refuses_a_missing_path_or_the_wrong_release(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        import_catalog("usda-sr28", tmp_path / "absent")
    with pytest.raises(CommandError, match=r"food\.csv not found"):
        import_catalog("usda", SR28)
    with pytest.raises(CommandError, match=r"FOOD_DES\.txt not found"):
        import_catalog("usda-sr28", FDC_DIR)
    assert not CatalogProduct.objects.exists()


def test_import_of_a_truncated_download_fails_with_a_message(tmp_path):
    truncated = tmp_path / "openfoodfacts-products.jsonl.gz"
    truncated.write_bytes(OFF_JSONL.read_bytes()[:-40])

    with pytest.raises(CommandError, match="cannot read it to the end"):
        import_catalog("off", truncated)

    # Whatever batches were committed, the complete file finishes the job.
    summary = import_catalog("off", OFF_JSONL)
    assert summary["created"] + summary["unchanged"] == 3
    assert CatalogProduct.objects.filter(source="off").count() == 3


class FakeTerminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal():
    terminal = FakeTerminal()
    call_command("import_catalog", "--source", "usda-sr28", str(SR28), stdout=terminal)
    piped = StringIO()
    call_command("import_catalog", "--source", "usda-sr28", str(SR28), stdout=piped)

    assert "\rreading NUT_DATA.txt [" in terminal.getvalue()
    assert "\rimporting FOOD_DES.txt [" in terminal.getvalue()
    assert "100%" in terminal.getvalue()
    assert "\r" not in piped.getvalue()
    assert CatalogProduct.objects.count() == 8


@pytest.mark.parametrize(
    ("amount", "description", "grams", "expected"),
    [
        ("1", "cup, sliced", "150", ("cup", "1")),
        ("2", "tbsp", "30", ("tbsp", "2")),
        ("1", "tablespoon", "15", ("tbsp", "1")),
        ("1", "fl oz", "30.5", ("ml", "29.5735")),
        ("8", "fl. oz", "240", ("ml", "236.588")),
        ("1", "quart", "976", ("ml", "946.353")),
        ("33", "cl", "330", ("ml", "330")),
        ("3", "oz", "85", ("g", "85")),
        ("1", "lb", "453.6", ("g", "453.6")),
        ("1", 'large (8" to 8-7/8" long)', "136", ("pcs", "1")),
        ("2", "slices", "56", ("pcs", "2")),
        ("1", "NLEA serving", "126", ("serving", "1")),
        ("1", "package (8 oz)", "227", ("serving", "1")),
    ],
)
def test_measure_units(amount, description, grams, expected):
    unit, base_amount = measure_unit(
        amount=D(amount), description=description, gram_weight=D(grams)
    )
    assert (unit, base_amount) == (expected[0], D(expected[1]))


# --- the starter catalog ------------------------------------------------------------


def test_starter_file_builds_reproducibly_and_loads_like_a_direct_import(tmp_path, monkeypatch):
    first, second = tmp_path / "one.jsonl.gz", tmp_path / "two.jsonl.gz"
    written, skipped = build(release=SR28, output=first)
    build(release=SR28, output=second)
    assert first.read_bytes() == second.read_bytes()
    assert written == 8
    assert dict(skipped) == {MISSING_ENERGY: 1}
    accepted = [
        fit_to_limits(r)
        for r in read_sr28(path=SR28, progress=SilentProgress())
        if skip_reason(r) is None
    ]
    assert list(read_records(path=first)) == accepted
    import_catalog("usda-sr28", SR28)
    direct = values_only(snapshot())
    CatalogProduct.objects.all().delete()
    monkeypatch.setattr("products.management.commands.load_starter_catalog.DATA_FILE", first)

    out = StringIO()
    call_command("load_starter_catalog", stdout=out)

    assert Summary(out.getvalue())["created"] == 8
    assert values_only(snapshot()) == direct


def test_committed_starter_file_describes_sr28():
    header = read_header(path=DATA_FILE)
    assert header["foods"] == 8789
    assert header["citation"] == CITATION
    assert DATA_FILE.stat().st_size < 1_000_000
    assert not CatalogProduct.objects.exists()


def test_load_starter_catalog_is_idempotent_and_finds_bananas():
    out = StringIO()
    call_command("load_starter_catalog", stdout=out)
    assert Summary(out.getvalue())["created"] == 8789
    banana = CatalogProduct.objects.get(name="Bananas, raw")
    assert banana.kcal_100g == D(89)
    sliced = banana.portions.get(label="1 cup, sliced")
    assert (sliced.base_unit, sliced.base_amount, sliced.gram_weight) == ("cup", D(1), D(150))
    loaded = (CatalogProduct.objects.count(), CatalogPortion.objects.count(), banana.updated_at)

    again = StringIO()
    call_command("load_starter_catalog", stdout=again)
    assert "already loaded (8,789 foods)" in again.getvalue()
    assert (
        CatalogProduct.objects.count(),
        CatalogPortion.objects.count(),
        CatalogProduct.objects.get(pk=banana.pk).updated_at,
    ) == loaded

    # A missing starter food is put back, under the same id; nothing else is touched.
    banana_id = banana.id
    banana.delete()
    restored = StringIO()
    call_command("load_starter_catalog", stdout=restored)
    assert Summary(restored.getvalue()).counts["created"] == 1
    assert CatalogProduct.objects.get(name="Bananas, raw").id == banana_id
    assert (CatalogProduct.objects.count(), CatalogPortion.objects.count()) == loaded[:2]


def test_rounding_noise_over_the_api_limits_is_fitted_not_dropped():
    """SR28 counts fat at 9.02 kcal/g and rounds macros: such foods stay, within limits."""
    import_catalog("usda-sr28", SR28)
    tallow = food("usda", "04001")
    assert (tallow.kcal_100g, tallow.fat_100g) == (D(900), D(100))
    assert tallow.portions.get(label="1 cup").calories == D("1845")  # 900 x 205 g / 100
    flaxseed = food("usda", "42231")  # 0.11 g protein + 99.98 g fat as published
    assert (flaxseed.protein_100g, flaxseed.fat_100g) == (D("0.109"), D("99.890"))
    assert flaxseed.protein_100g + flaxseed.fat_100g <= 100


@pytest.mark.parametrize(
    ("calories", "fat", "reason"),
    [
        (D(920), D(100), ENERGY_OUT_OF_RANGE),
        (D(800), D(103), MACROS_OVER_PORTION),
        (D(918), D(102), None),
    ],
)
def test_values_past_the_rounding_tolerance_are_skipped(calories, fat, reason):
    record = FoodRecord(
        source="usda",
        source_id="1",
        name="x",
        display_name="x",
        kcal_100g=calories,
        protein_100g=None,
        carbs_100g=None,
        fat_100g=fat,
    )
    assert skip_reason(record) == reason


@pytest.mark.postgres
def test_an_import_leaves_the_planner_statistics_fresh():
    from django.db import connection

    import_catalog("usda-sr28", SR28)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'products_catalogproduct'")
        (estimated_rows,) = cursor.fetchone()
    assert estimated_rows == CatalogProduct.objects.count() == 8
