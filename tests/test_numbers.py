"""Numbers people read: countonme.base.numbers, and the error details and strings using it."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from countonme.base.numbers import readable_number, round_half_up
from tests.assertions import assert_error
from tests.factories import (
    BodyWeightFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)

D = Decimal


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("1E+2"), "100"),  # what Decimal.normalize() makes of 100
        (D("100.000"), "100"),
        (D("0.500"), "0.5"),
        (D("0.5"), "0.5"),
        (D("12.340"), "12.34"),
        (D("1E+6"), "1000000"),
        (D("2.5E-3"), "0.003"),  # rounded half up to 3 places
        (D("0.0004"), "0"),
        (D("-0.0001"), "0"),  # never "-0"
        (D("-1.5"), "-1.5"),
        (D(2) / D(3), "0.667"),
        (D("1234.5"), "1234.5"),
        (D("12345678901234567890.5"), "12345678901234567890.5"),
        (100, "100"),
        (0.1, "0.1"),
        (1234.5, "1234.5"),
    ],
)
def test_readable_number(value, text):
    assert readable_number(value) == text


def test_places_can_be_fewer():
    assert readable_number(D("70.456"), places=1) == "70.5"
    assert readable_number(D("99.96"), places=1) == "100"


@pytest.mark.parametrize(
    ("language", "value", "text"),
    [
        ("en", D("1234.5"), "1,234.5"),
        ("en", D("1E+2"), "100"),
        ("en", 10000, "10,000"),
        ("de", D("1234.5"), "1.234,5"),
        ("fr", D("0.500"), "0,5"),
    ],
)
def test_localized_for_the_admin(language, value, text):
    with translation.override(language):
        assert readable_number(value, localize=True).replace("\u202f", " ") == text.replace(
            "\u202f", " "
        )


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity"), float("inf")])
def test_no_number_is_refused(value):
    with pytest.raises(ValueError, match="not a finite number"):
        readable_number(value)


@pytest.mark.django_db
class TestWhereNumbersAreRead:
    def test_the_macros_error_says_the_mass_as_people_write_it(self, device_client, device):
        product = ProductFactory(device=device)
        response = device_client.post(
            f"/v1/products/{product.id}/portions",
            {
                "label": "100 g",
                "base_amount": "100.000",
                "base_unit": "g",
                "calories": 500,
                "protein": 60,
                "carbs": 30,
                "fat": 11,
            },
            format="json",
        )
        body = assert_error(response, 400, "macros_exceed_amount")
        assert body["errors"][0]["detail"] == (
            "protein + carbs + fat (101 g) may not exceed the portion's mass (100 g)."
        )

    def test_a_kilogram_portion_says_1000_g(self, device_client, device):
        product = ProductFactory(device=device)
        response = device_client.post(
            f"/v1/products/{product.id}/portions",
            {"label": "1 kg", "base_amount": 1, "base_unit": "kg", "calories": 1, "fat": 1001},
            format="json",
        )
        detail = assert_error(response, 400, "macros_exceed_amount", "fat")["errors"][0]["detail"]
        assert detail == "1001 g of fat is more than the portion's 1000 g."

    def test_string_forms_of_models(self):
        portion = PortionFactory(label="100 g", base_amount=D("100.000"), base_unit="g")
        portion.refresh_from_db()  # as the admin reads it: a Decimal with 3 places
        assert str(portion) == "100 g (100 g)"
        half = PortionFactory(
            label="½ cup", base_amount=D("0.5"), base_unit="cup", is_default=False
        )
        half.refresh_from_db()
        assert str(half) == "½ cup (0.5 cup)"
        entry = FoodEntryFactory(amount=D("150.000"), unit="g", day=date(2026, 3, 14))
        entry.refresh_from_db()
        assert str(entry) == "2026-03-14 lunch: 150 g"
        weight = BodyWeightFactory(day=date(2026, 1, 1), weight_kg=D("70.500"))
        weight.refresh_from_db()
        assert str(weight) == "2026-01-01: 70.5 kg"
        goal = GoalFactory(manual=True)
        assert str(goal) == "Manual goal: 2000 kcal/day"


@pytest.mark.parametrize(
    ("value", "places", "rounded"),
    [
        (D("2.5625"), 3, D("2.563")),  # half to even would say 2.562
        (D("0.0125"), 3, D("0.013")),
        (D("-2.5625"), 3, D("-2.563")),  # away from zero on a tie
        (D("2.5624999"), 3, D("2.562")),
        (D("0.125"), 2, D("0.13")),
        (D("1E+2"), 3, D("100.000")),
        (D("12345678901234567890123456.5"), 3, D("12345678901234567890123456.500")),
    ],
)
def test_the_one_rounding_rule_is_half_up(value, places, rounded):
    assert round_half_up(value, places) == rounded
    assert str(round_half_up(value, places)) == str(rounded)


def test_no_rounding_of_what_is_no_number():
    with pytest.raises(ValueError, match="not a finite number"):
        round_half_up(D("NaN"))
