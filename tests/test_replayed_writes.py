"""The app's sync queue replays writes it already applied: the replays must be harmless (issue 20).

- a DELETE of the device's own already-deleted row is 204 on every resource
  (it was 404, and the app kept the delete queued forever); another device's
  id, deleted or not, stays 404;
- a body-weight create, which the app sends without an id, for a day that
  already holds the same weight is 200 with that row (it was 409).
"""

import uuid
from decimal import Decimal

import pytest

from devices.models import Goal
from entries.models import BodyWeight, FoodEntry
from products.models import Portion, Product
from tests.assertions import assert_error, assert_not_found
from tests.factories import (
    BodyWeightFactory,
    FoodEntryFactory,
    GoalFactory,
    PortionFactory,
    ProductFactory,
)
from tests.goal_bodies import MANUAL, manual_body


def rows_of(device) -> dict[str, tuple[str, object]]:
    """One row of every resource the app deletes, and its DELETE path."""
    entry = FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=device)))
    extra_portion = PortionFactory(product=entry.product, is_default=False, label="slice")
    weight = BodyWeightFactory(device=device)
    goal = GoalFactory(device=device)
    return {
        "products": (f"/v1/products/{entry.product_id}", entry.product),
        "portions": (f"/v1/portions/{extra_portion.pk}", extra_portion),
        "food_entries": (f"/v1/food-entries/{entry.pk}", entry),
        "body_weights": (f"/v1/body-weights/{weight.pk}", weight),
        "goals": (f"/v1/goals/{goal.pk}", goal),
    }


KINDS = ["products", "portions", "food_entries", "body_weights", "goals"]
MODELS = {
    "products": Product,
    "portions": Portion,
    "food_entries": FoodEntry,
    "body_weights": BodyWeight,
    "goals": Goal,
}


@pytest.mark.django_db
class TestReplayedDelete:
    @pytest.mark.parametrize("kind", KINDS)
    def test_deleting_again_is_204_and_changes_nothing(self, device, device_client, kind):
        path, row = rows_of(device)[kind]
        assert device_client.delete(path).status_code == 204
        stored = MODELS[kind].all_objects.filter(pk=row.pk).values().get()
        assert stored["deleted_at"] is not None

        replay = device_client.delete(path)

        assert replay.status_code == 204
        assert replay.content == b""
        # The tombstone is as it was: no new version for sync to send again.
        assert MODELS[kind].all_objects.filter(pk=row.pk).values().get() == stored

    @pytest.mark.parametrize("kind", KINDS)
    def test_another_devices_row_stays_404_deleted_or_not(
        self, device, other_device, other_client, kind
    ):
        path, row = rows_of(device)[kind]
        assert_not_found(other_client.delete(path))
        MODELS[kind].all_objects.filter(pk=row.pk).update(deleted_at=row.created_at)
        assert_not_found(other_client.delete(path))

    @pytest.mark.parametrize(
        "path",
        [
            "/v1/products/{}",
            "/v1/portions/{}",
            "/v1/food-entries/{}",
            "/v1/body-weights/{}",
            "/v1/goals/{}",
        ],
    )
    def test_an_unknown_id_stays_404(self, device_client, path):
        assert_not_found(device_client.delete(path.format(uuid.uuid4())))

    def test_a_portion_deleted_with_its_product(self, device, device_client):
        # The app deletes the product, then replays the delete of its portion.
        portion = PortionFactory(product=ProductFactory(device=device))
        assert device_client.delete(f"/v1/products/{portion.product_id}").status_code == 204
        assert device_client.delete(f"/v1/portions/{portion.pk}").status_code == 204

    def test_a_goal_replaced_by_a_newer_one(self, device, device_client):
        old = GoalFactory(device=device)
        newer = device_client.post(MANUAL, manual_body(), format="json")
        assert newer.status_code == 201
        assert device_client.delete(f"/v1/goals/{old.pk}").status_code == 204
        assert Goal.objects.get(device=device).pk == uuid.UUID(newer.json()["id"])

    def test_a_deleted_row_is_still_404_to_read_and_update(self, device, device_client):
        path, _ = rows_of(device)["food_entries"]
        device_client.delete(path)
        assert_not_found(device_client.get(path))
        assert_not_found(device_client.patch(path, {"amount": 10}, format="json"))


@pytest.mark.django_db
class TestReplayedBodyWeightCreate:
    def test_the_same_weight_on_the_same_day_is_200_with_the_row(self, device, device_client):
        first = device_client.post(
            "/v1/body-weights", {"day": "2026-03-14", "weight_kg": 80.5}, format="json"
        )
        assert first.status_code == 201

        replay = device_client.post(
            "/v1/body-weights", {"day": "2026-03-14", "weight_kg": "80.500"}, format="json"
        )

        assert replay.status_code == 200
        assert replay.json() == first.json()
        assert BodyWeight.all_objects.filter(device=device).count() == 1

    def test_the_same_weight_after_rounding(self, device, device_client):
        BodyWeightFactory(device=device, day="2026-03-14", weight_kg=Decimal("80.5"))
        replay = device_client.post(
            "/v1/body-weights", {"day": "2026-03-14", "weight_kg": 80.5000001}, format="json"
        )
        assert replay.status_code == 200
        assert replay.json()["weight_kg"] == "80.500"

    def test_a_different_weight_is_still_409(self, device, device_client):
        BodyWeightFactory(device=device, day="2026-03-14", weight_kg=Decimal("80.5"))
        response = device_client.post(
            "/v1/body-weights", {"day": "2026-03-14", "weight_kg": 81}, format="json"
        )
        assert_error(response, 409, "duplicate_day")
        assert BodyWeight.objects.get(device=device).weight_kg == Decimal("80.500")

    def test_another_id_with_the_same_weight_gets_the_stored_row(self, device, device_client):
        stored = BodyWeightFactory(device=device, day="2026-03-14", weight_kg=Decimal("80.5"))
        response = device_client.post(
            "/v1/body-weights",
            {"id": str(uuid.uuid4()), "day": "2026-03-14", "weight_kg": 80.5},
            format="json",
        )
        assert response.status_code == 200
        assert response.json()["id"] == str(stored.pk)
        assert BodyWeight.all_objects.filter(device=device).count() == 1

    def test_another_devices_weight_on_that_day_is_no_reason(
        self, device, device_client, other_device
    ):
        BodyWeightFactory(device=other_device, day="2026-03-14", weight_kg=Decimal("80.5"))
        response = device_client.post(
            "/v1/body-weights", {"day": "2026-03-14", "weight_kg": 80.5}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["id"] != str(BodyWeight.objects.get(device=other_device).pk)

    def test_a_deleted_weight_on_that_day_is_no_reason(self, device, device_client):
        deleted = BodyWeightFactory(device=device, day="2026-03-14", weight_kg=Decimal("80.5"))
        device_client.delete(f"/v1/body-weights/{deleted.pk}")
        response = device_client.post(
            "/v1/body-weights", {"day": "2026-03-14", "weight_kg": 80.5}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["id"] != str(deleted.pk)
