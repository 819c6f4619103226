"""The food-catalog import: Open Food Facts, the command itself, the starter catalog.

End to end through ``call_command`` on small fixtures in the real formats
(tests/data/README.md).
"""

import gzip
import shutil
from io import StringIO

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
from products.models import CatalogPortion, CatalogProduct
from products.starter_catalog import CITATION, DATA_FILE
from products.starter_catalog.build import build
from tests.catalog_import_calls import (
    FDC_DIR,
    OFF_JSONL,
    OFF_TSV,
    SR28,
    D,
    Summary,
    food,
    import_catalog,
    portions,
    snapshot,
    values_only,
)

pytestmark = pytest.mark.django_db


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
    # Energy in kJ only (255): the cup scales the stored 60.946 kcal, so 240 g is
    # 146.270 kcal through the cup as through "100 g" (was 146.272).
    assert portions(milk)["1 cup (240 ml)"] == (D(1), "cup", D(240), D("146.270"), False)


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
        "1 glass (200 ml)": (D(1), "serving", D(200), D("121.892"), False),  # 2 × 60.946
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


def test_a_fresh_import_passes_the_number_audit():
    """No portion of a clean import is flagged (the kJ-only milk's cup was, by 0.002 kcal)."""
    import_catalog("off", OFF_TSV)
    out = StringIO()
    call_command("audit_numbers", stdout=out)  # exits 1 (SystemExit) on any finding
    assert "calories" not in out.getvalue()
