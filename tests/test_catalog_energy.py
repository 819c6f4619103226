"""The energy check of catalog imports: kcal vs kJ ÷ 4.184 vs what the macros can give."""

from decimal import Decimal

import pytest

from products.catalog_import.energy import (
    ENERGY_BELOW_MACROS,
    ENERGY_CONTRADICTS_MACROS,
    ENERGY_UNDECIDED,
    FROM_KCAL,
    FROM_KJ,
    settle_energy,
)
from products.catalog_import.records import FoodRecord

D = Decimal


def record(kcal=None, kj=None, protein=None, carbs=None, fat=None, alcohol=None) -> FoodRecord:
    def number(value):
        return None if value is None else D(str(value))

    return FoodRecord(
        source="off",
        source_id="1",
        name="Food",
        display_name="Food",
        kcal_100g=number(kcal),
        kj_100g=number(kj),
        protein_100g=number(protein),
        carbs_100g=number(carbs),
        fat_100g=number(fat),
        alcohol_100g=number(alcohol),
    )


@pytest.mark.parametrize(
    ("row", "kcal"),
    [
        # kcal and kJ agree (4.184 kJ/kcal, within 5 % or 2 kcal): the kcal as stated.
        (record(kcal=100, kj=418, protein=4, carbs=12, fat="3.5"), D(100)),
        (record(kcal=539, kj=2252, protein="6.3", carbs="57.5", fat="30.9"), D(539)),
        # EU labels compute kJ with their own factors (17/17/37): 2 % apart still agree.
        (record(kcal=400, kj=1640, protein=10, carbs=70, fat=9), D(400)),
        # One figure only: kept unless it is below what fat and protein must give.
        (record(kcal=45, protein="0.7", carbs="10.4", fat="0.1"), D(45)),
        (record(kj=180), D(180) / D("4.184")),
        # Energy above the macros may be alcohol or acids a row does not list.
        (record(kcal=231, protein=0, carbs=0, fat=0), D(231)),
        (record(kcal=21, protein=0, carbs="0.9", fat=0), D(21)),  # cider vinegar
        # Erythritol: 100 g of carbohydrate and no energy.
        (record(kcal=0, protein=0, carbs=100, fat=0), D(0)),
        # Soy lecithin: fat at 7.6 kcal/g is still within the 80 % margin.
        (record(kcal=763, protein=0, carbs=0, fat=100), D(763)),
    ],
)
def test_consistent_energy_is_kept_as_stated(row, kcal):
    assert settle_energy(row).skip is None
    assert settle_energy(row).corrected is None
    assert row.kcal_100g == kcal


@pytest.mark.parametrize(
    ("row", "kcal", "note"),
    [
        # kcal 0 beside 1500 kJ and 20 g of fat: the kJ (358.5 kcal) fit the macros.
        (record(kcal=0, kj=1500, protein="7.5", carbs=60, fat=20), D(1500) / D("4.184"), FROM_KJ),
        # kcal = kJ = 380: the kJ value typed twice; 90.8 kcal is what the macros give.
        (
            record(kcal=380, kj=380, protein=1, carbs="21.5", fat="0.2"),
            D(380) / D("4.184"),
            FROM_KJ,
        ),
        # The kcal typed into the kJ field: the kcal fit.
        (record(kcal=90, kj=90, protein=1, carbs="21.5", fat="0.2"), D(90), FROM_KCAL),
        # Both fit the wide range: the one nearer the 4/4/9 estimate (300).
        (record(kcal=300, kj=1000, protein=10, carbs=40, fat="11.1"), D(300), FROM_KCAL),
        # Alcohol, when the row gives it (OFF: % vol × 0.789 g/ml), counts at 7 kcal/g.
        (
            record(kcal=43, kj=43, protein="0.5", carbs="3.6", fat=0, alcohol="3.9"),
            D(43),
            FROM_KCAL,
        ),
    ],
)
def test_contradicting_energy_is_taken_from_the_figure_the_macros_agree_with(row, kcal, note):
    verdict = settle_energy(row)
    assert (verdict.skip, verdict.corrected) == (None, note)
    assert row.kcal_100g == kcal


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        # No energy at all from 20 g of fat is impossible.
        (record(kcal=0, protein=5, carbs=60, fat=20), ENERGY_BELOW_MACROS),
        (record(kj=0, fat=20), ENERGY_BELOW_MACROS),
        (record(kcal=100, kj=418, fat=30), ENERGY_BELOW_MACROS),
        # Neither kcal nor kJ fits the macros.
        (record(kcal=50, kj=100, protein=10, carbs=10, fat=30), ENERGY_CONTRADICTS_MACROS),
        # kcal and kJ disagree, and without carbs nothing bounds them from above.
        (record(kcal=200, kj=1500, protein=5, fat=5), ENERGY_UNDECIDED),
    ],
)
def test_energy_nothing_can_vouch_for_skips_the_row(row, reason):
    assert settle_energy(row).skip == reason


def test_a_row_without_energy_is_left_to_the_missing_energy_rule():
    row = record(protein=5)
    assert settle_energy(row).skip is None
    assert row.kcal_100g is None
