"""products.units: every pair of units, table-driven."""

from decimal import Decimal
from itertools import product as pairs

import pytest

from products import units

D = Decimal
MASS = {"mg": D("0.001"), "g": D(1), "kg": D(1000)}
VOLUME = {"ml": D(1), "l": D(1000), "tsp": D(5), "tbsp": D(15), "cup": D(240)}
COUNT = ("pcs", "serving")


@pytest.mark.parametrize(("source", "target"), list(pairs(MASS, MASS)))
def test_mass_to_mass(source, target):
    assert units.convert(D(3), source, target) == D(3) * MASS[source] / MASS[target]


@pytest.mark.parametrize(("source", "target"), list(pairs(VOLUME, VOLUME)))
def test_volume_to_volume(source, target):
    assert units.convert(D(3), source, target) == D(3) * VOLUME[source] / VOLUME[target]


@pytest.mark.parametrize("unit", COUNT)
def test_counts_only_to_themselves(unit):
    assert units.convert(D(2), unit, unit) == D(2)


MISMATCHES = [
    *pairs(MASS, VOLUME),
    *pairs(VOLUME, MASS),
    *pairs(MASS, COUNT),
    *pairs(COUNT, MASS),
    *pairs(VOLUME, COUNT),
    *pairs(COUNT, VOLUME),
    ("pcs", "serving"),
    ("serving", "pcs"),
]


@pytest.mark.parametrize(("source", "target"), MISMATCHES)
def test_everything_else_is_a_typed_mismatch(source, target):
    with pytest.raises(units.UnitMismatch) as raised:
        units.convert(D(1), source, target)
    assert (raised.value.from_unit, raised.value.to_unit) == (source, target)


@pytest.mark.parametrize(
    ("known", "expected"),
    [("tbsp", D(3)), ("cup", D("0.1875")), ("l", D("0.045"))],
)
def test_worked_volume_examples(known, expected):
    assert units.convert(D(45), "ml", known) == expected


def test_unknown_unit_is_a_value_error():
    with pytest.raises(ValueError, match="Unknown unit 'oz'"):
        units.convert(D(1), "oz", "g")


@pytest.mark.parametrize(
    ("amount", "unit", "base_amount", "base_unit", "gram_weight", "factor"),
    [
        # same dimension: the gram weight is not needed
        (D(50), "g", D(100), "g", None, D("0.5")),
        (D("0.25"), "kg", D(100), "g", None, D("2.5")),
        (D(120), "ml", D(1), "cup", None, D("0.5")),
        (D(2), "tbsp", D(1), "tsp", None, D(6)),
        (D(3), "pcs", D(1), "pcs", None, D(3)),
        (D(1), "serving", D(2), "serving", None, D("0.5")),
        # mass against a portion that knows its weight
        (D(75), "g", D(1), "cup", D(150), D("0.5")),
        (D(59), "g", D(1), "pcs", D(118), D("0.5")),
        (D("0.236"), "kg", D(2), "pcs", D(236), D(1)),
        (D(30), "g", D(1), "serving", D(60), D("0.5")),
    ],
)
def test_base_amounts_in(amount, unit, base_amount, base_unit, gram_weight, factor):
    result = units.base_amounts_in(
        amount=amount,
        unit=unit,
        base_amount=base_amount,
        base_unit=base_unit,
        gram_weight=gram_weight,
    )
    assert result == factor


@pytest.mark.parametrize(
    ("unit", "base_unit", "gram_weight"),
    [
        ("g", "cup", None),  # mass against a volume without a weight
        ("ml", "g", None),  # volume against a mass: no density
        ("ml", "pcs", D(100)),  # a weight does not bridge volume to pieces
        ("pcs", "g", D(100)),  # nor pieces to mass
        ("pcs", "serving", D(100)),
        ("cup", "pcs", D(100)),
    ],
)
def test_base_amounts_in_mismatches(unit, base_unit, gram_weight):
    with pytest.raises(units.UnitMismatch):
        units.base_amounts_in(
            amount=D(1), unit=unit, base_amount=D(1), base_unit=base_unit, gram_weight=gram_weight
        )


@pytest.mark.parametrize(
    ("value", "base_amount", "base_unit", "gram_weight", "expected"),
    [
        (D(100), D(50), "g", None, D(200)),
        (D(100), D(50), "g", D(999), D(200)),  # mass units are exact; the weight is ignored
        (D(1500), D(1), "kg", None, D(150)),
        (D(120), D(1), "cup", D(240), D(50)),
        (D(70), D(1), "pcs", None, None),
        (None, D(100), "g", None, None),
    ],
)
def test_per_100_grams(value, base_amount, base_unit, gram_weight, expected):
    result = units.per_100_grams(
        value, base_amount=base_amount, base_unit=base_unit, gram_weight=gram_weight
    )
    assert result == expected
