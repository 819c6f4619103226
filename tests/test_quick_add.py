"""``POST /v1/quick-add/parse``: the proposal's shape, scoping, limits, its own throttle."""

from decimal import Decimal

import pytest
from django.test import override_settings

from entries.models import FoodEntry
from tests.assertions import assert_error
from tests.factories import (
    PortionFactory,
    ProductFactory,
)

PARSE = "/v1/quick-add/parse"
BATCH = "/v1/food-entries/batch"


@pytest.fixture
def oats(device):
    """The device's own oats: 380 kcal per 100 g, and a 40 g serving."""
    product = ProductFactory(device=device, name="Morning oats")
    default = PortionFactory(
        product=product,
        calories=Decimal(380),
        protein=Decimal(13),
        carbs=Decimal(60),
        fat=Decimal(7),
    )
    serving = PortionFactory(
        product=product,
        label="1 serving",
        base_amount=Decimal(1),
        base_unit="serving",
        gram_weight=Decimal(40),
        calories=Decimal(152),
        protein=Decimal("5.2"),
        carbs=Decimal(24),
        fat=Decimal("2.8"),
        is_default=False,
    )
    return product, default, serving


@pytest.mark.django_db
class TestParse:
    def test_proposal_shape_and_values(self, device_client, banana_catalog, oats):
        banana, _, medium = banana_catalog
        product, _, serving = oats

        response = device_client.post(
            PARSE,
            {
                "text": "a banana and 2 servings of morning oats, something tasty",
                "day": "2026-03-14",
                "meal_type": "breakfast",
                "locale": "en",
            },
            format="json",
        )

        assert response.status_code == 200, response.content
        assert response.json() == {
            "items": [
                {
                    "text": "a banana",
                    "quantity": "1.000",
                    "unit": "pcs",
                    "grams": "118.000",
                    "match": {
                        "kind": "catalog",
                        "id": str(banana.id),
                        "name": "Bananas, raw",
                        "portion_id": str(medium.id),
                        "portion_label": medium.label,
                    },
                    "alternatives": [],
                    "nutrition": {
                        "calories": "105.020",
                        "protein": "1.286",
                        "carbs": "26.951",
                        "fat": "0.389",
                    },
                    "confidence": 0.7,
                },
                {
                    "text": "2 servings of morning oats",
                    "quantity": "2.000",
                    "unit": "serving",
                    "grams": "80.000",
                    "match": {
                        "kind": "product",
                        "id": str(product.id),
                        "name": "Morning oats",
                        "portion_id": str(serving.id),
                        "portion_label": "1 serving",
                    },
                    "alternatives": [],
                    "nutrition": {
                        "calories": "304.000",
                        "protein": "10.400",
                        "carbs": "48.000",
                        "fat": "5.600",
                    },
                    "confidence": 0.9,
                },
            ],
            "unparsed": ["something tasty"],
            "totals": {
                "calories": "409.020",
                "protein": "11.686",
                "carbs": "74.951",
                "fat": "5.989",
            },
            "parser": "rules",
            "day": "2026-03-14",
            "meal_type": "breakfast",
        }

    def test_writes_nothing(self, device_client, device, oats):
        device.refresh_from_db()
        version = device.last_version

        response = device_client.post(PARSE, {"text": "100 g morning oats"}, format="json")

        assert response.status_code == 200
        assert response.json()["items"][0]["grams"] == "100.000"
        assert not FoodEntry.all_objects.exists()
        device.refresh_from_db()
        assert device.last_version == version

    def test_never_sees_another_devices_products(self, device_client, other_device):
        PortionFactory(product=ProductFactory(device=other_device, name="Secret stew"))

        response = device_client.post(PARSE, {"text": "a bowl of secret stew"}, format="json")

        assert response.status_code == 200
        assert response.json()["items"] == []
        assert response.json()["unparsed"] == ["a bowl of secret stew"]

    def test_a_proposal_of_own_products_saves_through_the_batch(self, device_client, device, oats):
        proposal = device_client.post(
            PARSE,
            {"text": "2 servings of morning oats + 50 g morning oats"},
            format="json",
        ).json()
        entries = [
            {
                "product_id": item["match"]["id"],
                "portion_id": item["match"]["portion_id"],
                "day": "2026-03-14",
                "meal_type": "breakfast",
                "amount": item["quantity"],
                "unit": item["unit"],
            }
            for item in proposal["items"]
        ]

        saved = device_client.post(BATCH, {"entries": entries}, format="json")

        assert saved.status_code == 201
        assert (
            [row["calories"] for row in saved.json()]
            == [item["nutrition"]["calories"] for item in proposal["items"]]
            == ["304.000", "190.000"]
        )

    @pytest.mark.parametrize(
        ("payload", "code", "attr"),
        [
            ({}, "required", "text"),
            ({"text": ""}, "blank", "text"),
            ({"text": "x" * 501}, "max_length", "text"),
            ({"text": "an apple", "locale": "de"}, "invalid_choice", "locale"),
            ({"text": "an apple", "day": "14/03/2026"}, "invalid", "day"),
            ({"text": "an apple", "meal_type": "brunch"}, "invalid_choice", "meal_type"),
            ({"text": ["an apple"]}, "invalid", "text"),
            ({"text": 7}, "invalid", "text"),
            ({"text": "an apple", "day": "2026-3-14"}, "invalid", "day"),
        ],
    )
    def test_bad_input_is_400(self, device_client, payload, code, attr):
        assert_error(device_client.post(PARSE, payload, format="json"), 400, code, attr)

    def test_five_hundred_characters_are_fine_and_at_most_fifty_pieces_are_looked_up(
        self, device_client, django_assert_max_num_queries
    ):
        text = ("tea, " * 100)[:500]

        with django_assert_max_num_queries(2 + 1 + 50 * 2 + 2):
            response = device_client.post(PARSE, {"text": text}, format="json")

        assert response.status_code == 200
        assert response.json()["items"] == []
        assert response.json()["unparsed"] == ["tea"] * 100

    def test_quantities_no_entry_could_hold_are_unparsed(self, device_client, oats):
        text = f"0 g morning oats, {'9' * 40} g morning oats, 1000001 g morning oats"

        response = device_client.post(PARSE, {"text": text}, format="json")

        assert response.status_code == 200
        assert response.json()["items"] == []
        assert response.json()["unparsed"] == text.split(", ")

    def test_an_amount_whose_nutrition_no_entry_could_hold_is_unparsed(self, device_client, device):
        PortionFactory(
            product=ProductFactory(device=device, name="Pure energy"),
            base_amount=Decimal("0.001"),
            calories=Decimal(999_999_999),
        )

        response = device_client.post(PARSE, {"text": "1000 g pure energy"}, format="json")

        assert response.status_code == 200
        assert response.json()["unparsed"] == ["1000 g pure energy"]

    def test_a_thousand_grams_with_a_thousands_separator_are_a_kilogram(self, device_client, oats):
        response = device_client.post(PARSE, {"text": "1,000 g morning oats"}, format="json")

        assert response.status_code == 200
        [item] = response.json()["items"]
        assert (item["quantity"], item["unit"], item["grams"]) == ("1000.000", "g", "1000.000")
        assert item["nutrition"]["calories"] == "3800.000"

    def test_a_food_whose_portions_break_the_physical_limits_is_never_proposed(
        self, device_client, device
    ):
        # Stored before the limits: 1000 kcal in 1 g (only pure fat reaches 9).
        PortionFactory(
            product=ProductFactory(device=device, name="Impossible bar"),
            base_amount=Decimal(1),
            calories=Decimal(1000),
            protein=None,
            carbs=None,
            fat=None,
        )

        response = device_client.post(PARSE, {"text": "20 g impossible bar"}, format="json")

        assert response.status_code == 200
        assert (response.json()["items"], response.json()["unparsed"]) == (
            [],
            ["20 g impossible bar"],
        )

    def test_needs_a_device(self, api_client):
        assert_error(
            api_client.post(PARSE, {"text": "an apple"}, format="json"), 401, "not_authenticated"
        )

    @override_settings(THROTTLE_QUICK_ADD="2/min")
    def test_has_its_own_rate_per_device(self, device_client, other_device):
        from tests.conftest import client_for

        for _ in range(2):
            assert device_client.post(PARSE, {"text": "tea"}, format="json").status_code == 200

        throttled = device_client.post(PARSE, {"text": "tea"}, format="json")

        assert_error(throttled, 429, "throttled")
        assert int(throttled["Retry-After"]) >= 1
        # Other endpoints and other devices keep their budgets.
        assert device_client.get("/v1/food-entries").status_code == 200
        assert (
            client_for(other_device).post(PARSE, {"text": "tea"}, format="json").status_code == 200
        )

    def test_a_bounded_number_of_queries_per_piece(
        self, device_client, banana_catalog, django_assert_max_num_queries
    ):
        text = ", ".join(["a banana"] * 10)

        # Auth; the preferred catalog rows; per piece the device's products; the portions.
        with django_assert_max_num_queries(2 + 1 + 10 + 2):
            response = device_client.post(PARSE, {"text": text}, format="json")

        assert len(response.json()["items"]) == 10
