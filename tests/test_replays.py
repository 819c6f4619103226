"""Offline replays racing each other: one 201, the rest 200, one row, never a 500."""

import uuid

import pytest

from devices.models import Goal
from entries.models import BodyWeight, FoodEntry
from products.models import Portion, Product
from tests.concurrency import race
from tests.conftest import client_for
from tests.entry_bodies import ENTRIES, food_entry_body
from tests.factories import DeviceFactory, PortionFactory, ProductFactory


def bodies(device) -> dict[str, tuple[str, dict, type]]:
    portion = PortionFactory(product=ProductFactory(device=device))
    return {
        "products": ("/v1/products", {"name": "Replayed", "kcal_100g": 120}, Product),
        "portions": (
            f"/v1/products/{portion.product_id}/portions",
            {"label": "slice", "base_amount": 1, "base_unit": "pcs", "calories": 80},
            Portion,
        ),
        "food_entries": (
            ENTRIES,
            food_entry_body(portion),
            FoodEntry,
        ),
        "body_weights": (
            "/v1/body-weights",
            {"day": "2026-03-14", "weight_kg": "80.5"},
            BodyWeight,
        ),
        "goals": (
            "/v1/goals/manual",
            {
                "daily_calories_kcal": 2000,
                "protein_percent": 30,
                "carbs_percent": 40,
                "fat_percent": 30,
                "water_ml": 2000,
            },
            Goal,
        ),
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["products", "portions", "food_entries", "body_weights", "goals"])
def test_concurrent_replays_of_one_id(kind):
    device = DeviceFactory()
    url, body, model = bodies(device)[kind]
    row_id = str(uuid.uuid4())
    replays = 6

    def replay():
        return client_for(device).post(url, {**body, "id": row_id}, format="json")

    responses = race(*[replay] * replays)

    assert sorted(r.status_code for r in responses) == [200] * (replays - 1) + [201]
    assert {r.json()["id"] for r in responses} == {row_id}
    assert model.all_objects.filter(pk=row_id).count() == 1
