"""``manage.py audit_numbers``: stored rows that break the number rules, fixed where certain."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from entries.models import FoodEntry
from products.models import CatalogPortion, Portion
from tests.factories import (
    CatalogPortionFactory,
    CatalogProductFactory,
    DeviceFactory,
    FoodEntryFactory,
    PortionFactory,
    ProductFactory,
)

D = Decimal


def audit(*args: str) -> tuple[int, str]:
    """The command's exit status and output."""
    out = StringIO()
    try:
        call_command("audit_numbers", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue()
    return 0, out.getvalue()


# "1,000 ml" read with a decimal comma: 1 ml weighing 1000 g, at 45 kcal per 100 ml.
LITRE_READ_AS_1_ML = {
    "label": "1,000 ml",
    "base_amount": D(1),
    "base_unit": "ml",
    "gram_weight": D(1000),
    "calories": D(450),
    "protein": D(7),
    "carbs": D(104),
    "fat": D(1),
    "is_default": False,
}


@pytest.fixture
def juice_as_imported_before(db):
    """An OFF juice as the old importer stored it, copied and logged by a device.

    "1,000 ml" read with a decimal comma: 1 ml weighing 1000 g at 450 kcal, and
    the default "100 g" without its gram weight. The device logged 250 ml of its
    copy: 112,500 kcal.
    """
    juice = CatalogProductFactory(
        source="off",
        source_id="5000000000001",
        name="Orange juice",
        kcal_100g=D(45),
        protein_100g=D("0.7"),
        carbs_100g=D("10.4"),
        fat_100g=D("0.1"),
    )
    default = CatalogPortionFactory(product=juice, gram_weight=None)
    litre = CatalogPortionFactory(product=juice, **LITRE_READ_AS_1_ML)
    device = DeviceFactory()
    product = ProductFactory(device=device, name="Orange juice", copied_from_catalog=juice.id)
    copied_default = PortionFactory(
        product=product,
        copied_from_catalog=default.id,
        gram_weight=None,
        calories=D(45),
        protein=D("0.7"),
        carbs=D("10.4"),
        fat=D("0.1"),
    )
    copy = PortionFactory(product=product, copied_from_catalog=litre.id, **LITRE_READ_AS_1_ML)
    entry = FoodEntryFactory(
        portion=copy,
        day=date(2026, 3, 14),
        amount=D(250),
        unit="ml",
        calories=D(112500),
        protein=D(1750),
        carbs=D(26000),
        fat=D(250),
    )
    return {
        "default": default,
        "litre": litre,
        "copied_default": copied_default,
        "copy": copy,
        "entry": entry,
    }


def test_a_clean_database_says_so(db):
    CatalogPortionFactory()
    PortionFactory()
    assert audit() == (0, "Every stored number is within the rules.\n")


def test_without_fix_it_reports_and_changes_nothing(juice_as_imported_before):
    rows = juice_as_imported_before
    status, output = audit()

    assert status == 1
    assert f"catalog portion {rows['litre'].id} (Orange juice · 1,000 ml): implausible_density" in (
        output
    )
    assert "→ fix: base_amount 1000\n" in output  # 450 kcal stay: they are a litre's
    assert f"food entry {rows['entry'].id}" in output
    assert "run with --fix to apply them" in output
    rows["litre"].refresh_from_db()
    rows["entry"].refresh_from_db()
    assert (rows["litre"].base_amount, rows["entry"].calories) == (D(1), D(112500))


def test_fix_derives_the_catalog_again_and_the_copies_and_entries_follow(
    juice_as_imported_before,
):
    rows = juice_as_imported_before
    version_before = rows["copy"].version

    status, output = audit("--fix")

    assert status == 0, output
    litre = CatalogPortion.objects.get(pk=rows["litre"].pk)
    assert (litre.base_amount, litre.base_unit, litre.gram_weight, litre.calories) == (
        D(1000),
        "ml",
        D(1000),
        D(450),
    )
    assert (litre.protein, litre.carbs, litre.fat) == (D(7), D(104), D(1))
    assert CatalogPortion.objects.get(pk=rows["default"].pk).gram_weight == D(100)
    copy = Portion.objects.get(pk=rows["copy"].pk)
    assert (copy.base_amount, copy.gram_weight, copy.calories) == (D(1000), D(1000), D(450))
    assert copy.version > version_before  # the phone gets it on its next sync
    assert Portion.objects.get(pk=rows["copied_default"].pk).gram_weight == D(100)
    # 250 ml of a juice at 45 kcal per 100 ml: 112.5 kcal, as the label meant.
    entry = FoodEntry.objects.get(pk=rows["entry"].pk)
    assert (entry.calories, entry.protein, entry.carbs, entry.fat) == (
        D("112.500"),
        D("1.750"),
        D("26.000"),
        D("0.250"),
    )
    assert f"food entry {entry.id}" in output
    assert "calories 112500 → 112.5" in output
    assert "Fixed 5 rows; 0 findings left to a person." in output
    # A second run finds nothing.
    assert audit() == (0, "Every stored number is within the rules.\n")


def test_what_a_user_typed_is_reported_never_guessed(db):
    # 1,000,000 kcal in 0.001 g, saved before the limits, and an entry of it.
    portion = PortionFactory(
        base_amount=D("0.001"),
        calories=D(1_000_000),
        protein=None,
        carbs=None,
        fat=None,
        gram_weight=D("0.001"),
    )
    entry = FoodEntryFactory(portion=portion, amount=D(1), unit="g", calories=D("99999999"))

    status, output = audit("--fix")

    assert status == 1
    assert f"portion {portion.id}" in output
    assert "energy_above_limit" in output
    assert f"food entry {entry.id}" in output
    assert "Fixed 0 rows; 2 findings left to a person." in output
    portion.refresh_from_db()
    entry.refresh_from_db()
    assert (portion.calories, entry.calories) == (D(1_000_000), D("99999999"))


def test_a_catalog_food_beyond_the_limits_is_reported_for_a_reimport(db):
    food = CatalogProductFactory(kcal_100g=D(1500), protein_100g=None, carbs_100g=None)
    status, output = audit("--fix")
    assert status == 1
    assert f"catalog food {food.id}" in output
    assert "energy_above_limit" in output
    assert "re-import its source" in output
    food.refresh_from_db()
    assert food.kcal_100g == D(1500)


def test_an_entry_whose_portion_changed_since_is_history_not_a_finding(db):
    # Logged at 200 kcal/100 g, the portion edited to 100 since: the snapshot stays.
    portion = PortionFactory(calories=D(100), gram_weight=D(100))
    FoodEntryFactory(portion=portion, amount=D(50), calories=D(100))
    assert audit("--fix")[0] == 0
    assert FoodEntry.objects.get().calories == D(100)


def test_a_mass_portion_without_its_weight_gets_it(db):
    portion = PortionFactory(
        base_amount=D("0.25"), base_unit="kg", calories=D(500), gram_weight=None
    )
    ProductFactory()  # another product without portions
    status, output = audit("--fix")
    assert status == 0, output
    assert "a mass portion without its gram_weight" in output
    portion.refresh_from_db()
    assert portion.gram_weight == D(250)


def test_a_catalog_serving_its_own_label_contradicts_is_reported_for_a_reimport(db):
    # Imported before the label's weight was checked: "1 portion (30 g)" weighing 300 g.
    food = CatalogProductFactory(source="off", kcal_100g=D(400), protein_100g=None, carbs_100g=None)
    serving = CatalogPortionFactory(
        product=food,
        label="1 portion (30 g)",
        base_amount=D(1),
        base_unit="serving",
        gram_weight=D(300),
        calories=D(1200),
        protein=None,
        carbs=None,
        fat=None,
        is_default=False,
    )

    status, output = audit("--fix")

    assert status == 1
    assert f"catalog portion {serving.id}" in output
    assert "its label states a weight its gram_weight contradicts; re-import" in output
    serving.refresh_from_db()
    assert (serving.gram_weight, serving.calories) == (D(300), D(1200))  # never guessed
