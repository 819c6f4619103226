"""products.limits: the physical limits, one rule for every path that writes a portion."""

from decimal import Decimal

import pytest

from products import limits
from products.limits import (
    PortionValues,
    energy_floor,
    mass_gram_weight,
    per_100g_breach,
    portion_breach,
)

D = Decimal


def portion(**values) -> PortionValues:
    """100 g of a food at 200 kcal with 10/20/5 g of macros, with ``values`` changed."""
    base = {
        "base_amount": D(100),
        "base_unit": "g",
        "gram_weight": None,
        "calories": D(200),
        "protein": D(10),
        "carbs": D(20),
        "fat": D(5),
    }
    return PortionValues(**{**base, **values})


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"calories": D(900), "protein": None, "carbs": None, "fat": D(100)},  # pure fat
        {"gram_weight": D(100)},  # a mass portion may state its mass
        {"base_amount": D("0.25"), "base_unit": "kg", "calories": D(2250)},
        {
            "base_amount": D(1),
            "base_unit": "mg",
            "calories": D("0.009"),
            "protein": None,
            "carbs": None,
            "fat": D("0.001"),
        },
        {"protein": D(30), "carbs": D(60), "fat": D(10)},  # exactly 100 g of macros
        # A cup of popcorn (8 g, 0.03 g/ml) and of honey (340 g, 1.4 g/ml).
        {
            "base_amount": D(1),
            "base_unit": "cup",
            "gram_weight": D(8),
            "calories": D(31),
            "protein": D(1),
            "carbs": D(6),
            "fat": D("0.4"),
        },
        {
            "base_amount": D(1),
            "base_unit": "cup",
            "gram_weight": D(340),
            "calories": D(1030),
            "protein": None,
            "carbs": D(280),
            "fat": None,
        },
        # A volume of unknown weight, held to the densest food (3 g per ml).
        {
            "base_amount": D(1),
            "base_unit": "tbsp",
            "calories": D(405),
            "protein": None,
            "carbs": None,
            "fat": D(45),
        },
        # Pieces of unknown weight: nothing to hold them to but the ranges.
        {"base_amount": D(1), "base_unit": "pcs", "calories": D(5000)},
    ],
)
def test_what_can_exist_passes(values):
    assert portion_breach(portion(**values)) is None


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"base_amount": D("0.001"), "calories": D(1_000_000)}, "calories", "energy_above_limit"),
        (
            {"calories": D("900.001"), "protein": None, "carbs": None, "fat": None},
            "calories",
            "energy_above_limit",
        ),
        ({"protein": D("100.001")}, "protein", "macros_exceed_amount"),
        ({"protein": D(50), "carbs": D(40), "fat": D("10.001")}, None, "macros_exceed_amount"),
        ({"gram_weight": D(50)}, "gram_weight", "gram_weight_mismatch"),
        (
            {
                "base_amount": D("0.4"),
                "base_unit": "mg",
                "calories": D(0),
                "protein": None,
                "carbs": None,
                "fat": None,
            },
            "base_amount",
            "min_value",
        ),
        # 0.5 mg is below 0.001 g (it was stored weighing 0.001 g, twice its mass).
        (
            {
                "base_amount": D("0.5"),
                "base_unit": "mg",
                "calories": D(0),
                "protein": None,
                "carbs": None,
                "fat": None,
            },
            "base_amount",
            "min_value",
        ),
        # 1.5 mg weighs 0.0015 g: no gram_weight of 3 places says so.
        (
            {
                "base_amount": D("1.5"),
                "base_unit": "mg",
                "calories": D(0),
                "protein": None,
                "carbs": None,
                "fat": None,
            },
            "base_amount",
            "max_decimal_places",
        ),
        # "1,000 ml" read as 1 ml weighing a kilogram, and 1000 ml weighing 1 g.
        (
            {"base_amount": D(1), "base_unit": "ml", "gram_weight": D(1000)},
            "gram_weight",
            "implausible_density",
        ),
        (
            {
                "base_amount": D(1000),
                "base_unit": "ml",
                "gram_weight": D(1),
                "calories": D(1),
                "protein": None,
                "carbs": None,
                "fat": None,
            },
            "gram_weight",
            "implausible_density",
        ),
        # A cup weighing 30 g holds 30 g of nutrients at most.
        (
            {
                "base_amount": D(1),
                "base_unit": "cup",
                "gram_weight": D(30),
                "protein": D(60),
                "carbs": None,
                "fat": None,
            },
            "protein",
            "macros_exceed_amount",
        ),
        # 1 ml of unknown weight holds at most 27 kcal (3 g at 9 kcal/g).
        (
            {
                "base_amount": D(1),
                "base_unit": "ml",
                "calories": D(28),
                "protein": None,
                "carbs": None,
                "fat": None,
            },
            "calories",
            "energy_above_limit",
        ),
        (
            {"base_amount": D(1), "base_unit": "pcs", "calories": D(1_000_001)},
            "calories",
            "max_value",
        ),
        # 90 g of fat give at least 0.8 × 90 × 8.37 − 5 = 597.64 kcal, whatever the mass.
        ({"calories": D(10), "fat": D(90), "carbs": D(0)}, "calories", "energy_below_macros"),
        (
            {"base_amount": D(1), "base_unit": "pcs", "calories": D(50), "protein": D(1000)},
            "calories",
            "energy_below_macros",
        ),
    ],
)
def test_what_cannot_exist_names_its_field(values, field, code):
    breach = portion_breach(portion(**values))
    assert breach is not None
    assert (breach.field, breach.code) == (field, code)
    assert breach.message


def test_per_100g_values_are_the_portion_100_g():
    assert per_100g_breach(kcal=D(900), protein=D(0), carbs=D(0), fat=D(100)) is None
    breach = per_100g_breach(kcal=D(901))
    assert (breach.field, breach.code) == ("kcal_100g", "energy_above_limit")
    breach = per_100g_breach(kcal=D(400), protein=D(101))
    assert (breach.field, breach.code) == ("protein_100g", "macros_exceed_amount")
    breach = per_100g_breach(kcal=D(400), protein=D(50), carbs=D(50), fat=D(1))
    assert (breach.field, breach.code) == (None, "macros_exceed_amount")


@pytest.mark.parametrize(
    ("amount", "unit", "grams"),
    [
        (D(100), "g", D("100.000")),
        (D(1), "kg", D("1000.000")),
        (D("250"), "mg", D("0.250")),
        (D("1.5"), "mg", D("0.002")),  # half up
        (D(1), "ml", None),
        (D(1), "pcs", None),
    ],
)
def test_a_mass_portion_weighs_its_mass(amount, unit, grams):
    assert mass_gram_weight(amount, unit) == grams


def test_the_limits_are_the_published_ones():
    assert (D(900), D(100)) == (limits.KCAL_100G_MAX, limits.MACROS_100G_MAX)
    assert (D("0.01"), D(3)) == (limits.DENSITY_MIN, limits.DENSITY_MAX)


@pytest.mark.parametrize(
    ("protein", "fat", "least"),
    [
        (None, None, D(-5)),  # no fat nor protein: no floor
        (D(10), D(5), D("48.000")),  # 0.8 × (24.4 + 41.85) − 5
        (D(0), D(100), D("664.600")),  # pure fat: 0.8 × 837 − 5
    ],
)
def test_the_energy_floor_is_80_percent_of_fat_and_protein_at_the_lowest_factors(
    protein, fat, least
):
    assert energy_floor(protein=protein, fat=fat) == least
    calories = max(least, D(0))
    assert portion_breach(portion(calories=calories, protein=protein, carbs=D(0), fat=fat)) is None
    if least > 0:
        below = portion_breach(
            portion(calories=least - D("0.001"), protein=protein, carbs=D(0), fat=fat)
        )
        assert (below.field, below.code) == ("calories", "energy_below_macros")


def test_a_food_at_its_floor_per_100_g_stays_within_it_at_any_portion_size():
    # Per 100 g: 10 g of fat give at least 0.8 × 83.7 − 5 = 61.96 kcal.
    per_100g = portion(calories=D("61.96"), protein=D(0), carbs=D(0), fat=D(10))
    assert portion_breach(per_100g) is None
    kilogram = portion(
        base_amount=D(1000), calories=D("619.6"), protein=D(0), carbs=D(0), fat=D(100)
    )
    assert portion_breach(kilogram) is None

    # A piece of unknown weight: a flat 5 kcal of slack.
    def piece(calories: str) -> PortionValues:
        return portion(
            base_amount=D(1), base_unit="pcs", calories=D(calories), protein=D(0), fat=D(10)
        )

    assert portion_breach(piece("61.96")) is None
    below = portion_breach(piece("61.95"))
    assert (below.code, below.field) == ("energy_below_macros", "calories")
