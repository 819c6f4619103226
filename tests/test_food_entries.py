"""Food entries (docs/api.md §5): create with the nutrition snapshot."""

import uuid
from decimal import Decimal

import pytest

from entries.models import FoodEntry
from tests.assertions import assert_error, assert_not_found
from tests.entry_bodies import ENTRIES
from tests.entry_bodies import food_entry_body as body
from tests.factories import PortionFactory, ProductFactory, entry_factory


@pytest.mark.django_db
class TestCreate:
    def test_creates_with_the_nutrition_snapshot(self, device_client, device, portion):
        response = device_client.post(ENTRIES, body(portion, note="after run"), format="json")

        assert response.status_code == 201
        created = response.json()
        assert {
            k: v for k, v in created.items() if k not in ("id", "created_at", "updated_at")
        } == {
            "product_id": str(portion.product_id),
            "portion_id": str(portion.id),
            "day": "2026-03-14",
            "meal_type": "lunch",
            "amount": "50.000",
            "unit": "g",
            "note": "after run",
            "calories": "100.000",
            "protein": "5.000",
            "carbs": "10.000",
            "fat": "2.500",
        }
        stored = FoodEntry.objects.get(pk=created["id"])
        assert (stored.device_id, stored.calories, stored.fat) == (
            device.id,
            Decimal(100),
            Decimal("2.5"),
        )

    @pytest.mark.parametrize(
        ("portion_values", "amount", "unit", "calories"),
        [
            # mass ↔ mass
            ({"base_amount": Decimal(100), "base_unit": "g"}, "0.25", "kg", "500.000"),
            ({"base_amount": Decimal(1), "base_unit": "kg"}, "250", "g", "50.000"),
            ({"base_amount": Decimal(100), "base_unit": "g"}, "500", "mg", "1.000"),
            # volume ↔ volume
            ({"base_amount": Decimal(1), "base_unit": "cup"}, "120", "ml", "100.000"),
            ({"base_amount": Decimal(15), "base_unit": "ml"}, "2", "tbsp", "400.000"),
            ({"base_amount": Decimal(1), "base_unit": "l"}, "3", "tsp", "3.000"),
            # pieces and servings only to themselves
            ({"base_amount": Decimal(1), "base_unit": "pcs"}, "3", "pcs", "600.000"),
            ({"base_amount": Decimal(2), "base_unit": "serving"}, "1", "serving", "100.000"),
            # any mass through the portion's gram weight
            (
                {"base_amount": Decimal(1), "base_unit": "pcs", "gram_weight": Decimal(120)},
                "60",
                "g",
                "100.000",
            ),
            (
                {"base_amount": Decimal(1), "base_unit": "cup", "gram_weight": Decimal(240)},
                "0.024",
                "kg",
                "20.000",
            ),
        ],
    )
    def test_every_conversion_path(
        self, device_client, device, portion_values, amount, unit, calories
    ):
        portion = PortionFactory(
            product=ProductFactory(device=device),
            protein=None,
            carbs=None,
            fat=None,
            **portion_values,
        )
        response = device_client.post(
            ENTRIES, body(portion, amount=amount, unit=unit), format="json"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["calories"] == calories
        # Missing macros count as 0.
        assert (response.json()["protein"], response.json()["fat"]) == ("0.000", "0.000")

    @pytest.mark.parametrize(
        ("portion_values", "unit"),
        [
            ({"base_amount": Decimal(100), "base_unit": "g"}, "ml"),
            ({"base_amount": Decimal(1), "base_unit": "cup"}, "g"),  # no gram weight
            ({"base_amount": Decimal(1), "base_unit": "pcs"}, "serving"),
            ({"base_amount": Decimal(100), "base_unit": "g"}, "pcs"),
            ({"base_amount": Decimal(1), "base_unit": "pcs", "gram_weight": Decimal(50)}, "ml"),
        ],
    )
    def test_an_impossible_conversion_is_400_unit_mismatch(
        self, device_client, device, portion_values, unit
    ):
        portion = PortionFactory(product=ProductFactory(device=device), **portion_values)
        response = device_client.post(ENTRIES, body(portion, unit=unit), format="json")
        assert_error(response, 400, "unit_mismatch", "unit")
        assert not FoodEntry.all_objects.exists()

    @pytest.mark.parametrize(
        ("change", "code", "attr"),
        [
            ({"amount": 0}, "min_value", "amount"),
            ({"amount": -5}, "min_value", "amount"),
            ({"amount": "a lot"}, "invalid", "amount"),
            ({"unit": "oz"}, "invalid_choice", "unit"),
            ({"meal_type": "brunch"}, "invalid_choice", "meal_type"),
            ({"day": "2026-02-30"}, "invalid", "day"),
            ({"day": None}, "null", "day"),
            ({"note": "x" * 501}, "max_length", "note"),
            ({"product_id": "nope"}, "invalid", "product_id"),
        ],
    )
    def test_invalid_input_is_400(self, device_client, portion, change, code, attr):
        assert_error(
            device_client.post(ENTRIES, body(portion, **change), format="json"), 400, code, attr
        )

    def test_missing_fields_are_400(self, device_client):
        response = device_client.post(ENTRIES, {}, format="json")
        assert response.status_code == 400
        assert {e["attr"] for e in response.json()["errors"]} == {
            "product_id",
            "portion_id",
            "day",
            "meal_type",
            "amount",
            "unit",
        }

    def test_another_devices_product_or_portion_is_404(self, device_client, portion):
        foreign = PortionFactory()
        for overrides, attr in (
            ({"product_id": str(foreign.product_id), "portion_id": str(foreign.id)}, "product_id"),
            ({"portion_id": str(foreign.id)}, "portion_id"),
            ({"product_id": str(foreign.product_id)}, "product_id"),
            ({"product_id": str(uuid.uuid4())}, "product_id"),
        ):
            response = device_client.post(ENTRIES, body(portion, **overrides), format="json")
            assert_not_found(response, attr)
        assert not FoodEntry.all_objects.exists()

    def test_deleted_product_or_portion_is_404(self, device_client, device, portion):
        other = PortionFactory(product=ProductFactory(device=device))
        other.delete()
        assert_not_found(device_client.post(ENTRIES, body(other), format="json"), "portion_id")
        portion.product.delete()
        assert_not_found(device_client.post(ENTRIES, body(portion), format="json"), "product_id")

    def test_a_portion_of_another_product_is_404(self, device_client, device, portion):
        elsewhere = PortionFactory(product=ProductFactory(device=device))
        response = device_client.post(
            ENTRIES, body(portion, portion_id=str(elsewhere.id)), format="json"
        )
        assert_not_found(response, "portion_id")

    def test_idempotent_client_ids(self, device_client, device, portion):
        entry_id = str(uuid.uuid4())
        first = device_client.post(ENTRIES, body(portion, id=entry_id), format="json")
        replay = device_client.post(ENTRIES, body(portion, id=entry_id, amount=999), format="json")
        assert (first.status_code, replay.status_code) == (201, 200)
        assert replay.json() == first.json()
        assert FoodEntry.objects.get(pk=entry_id).amount == Decimal(50)

        FoodEntry.objects.get(pk=entry_id).delete()
        restored = device_client.post(
            ENTRIES, body(portion, id=entry_id, amount=100), format="json"
        )
        assert restored.status_code == 201
        assert (restored.json()["amount"], restored.json()["calories"]) == ("100.000", "200.000")
        assert FoodEntry.objects.filter(pk=entry_id).exists()

        assert_error(
            device_client.post(ENTRIES, body(portion, id=str(portion.id)), format="json"),
            409,
            "id_conflict",
        )
        foreign = entry_factory()
        assert_error(
            device_client.post(ENTRIES, body(portion, id=str(foreign.id)), format="json"),
            409,
            "id_conflict",
        )


@pytest.mark.django_db
class TestSnapshot:
    def test_editing_the_portion_never_rewrites_past_days(self, device_client, device):
        portion = PortionFactory(
            product=ProductFactory(device=device), base_amount=Decimal(100), calories=Decimal(200)
        )
        device_client.post(ENTRIES, body(portion, amount=50), format="json")
        assert (
            device_client.get("/v1/stats/day/2026-03-14").json()["totals"]["calories"] == "100.000"
        )

        response = device_client.patch(
            f"/v1/portions/{portion.id}", {"calories": 450}, format="json"
        )
        assert response.status_code == 200
        assert (
            device_client.get("/v1/stats/day/2026-03-14").json()["totals"]["calories"] == "100.000"
        )

        device_client.delete(f"/v1/products/{portion.product_id}")
        assert (
            device_client.get("/v1/stats/day/2026-03-14").json()["totals"]["calories"] == "100.000"
        )
        assert len(device_client.get(ENTRIES).json()) == 1  # the entry stays: it is history
