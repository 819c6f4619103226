"""A create replayed on the id of a live row: the stored row, or the error a first create gets.

The app retries a create whose answer it lost; the answer is the row as
stored (200). A body a first create would refuse is refused on the replay
too, for the rules the services apply beyond the serializer's field checks
(``DeviceScopedCreateMixin.check``): nothing is written either way.
"""

import uuid

import pytest

from devices.models import Goal
from entries.models import FoodEntry
from tests.assertions import assert_error, assert_not_found, error_codes
from tests.entry_bodies import ENTRIES
from tests.entry_bodies import food_entry_body as entry_body
from tests.factories import PortionFactory, ProductFactory
from tests.goal_bodies import CALCULATED, MANUAL, manual_body, worked_example


@pytest.fixture
def logged(device_client, device):
    """A live entry of 50 g of a 200 kcal/100 g portion, posted with a client id."""
    portion = PortionFactory(product=ProductFactory(device=device))
    entry_id = str(uuid.uuid4())
    response = device_client.post(ENTRIES, entry_body(portion, id=entry_id), format="json")
    assert response.status_code == 201
    return portion, entry_id, response.json()


@pytest.mark.django_db
class TestFoodEntryReplays:
    def test_a_valid_replay_answers_the_stored_entry(self, device_client, logged):
        portion, entry_id, first = logged
        replay = device_client.post(ENTRIES, entry_body(portion, id=entry_id), format="json")
        assert replay.status_code == 200
        assert replay.json() == first

    def test_a_replay_a_create_would_refuse_for_its_unit_is_400(self, device_client, logged):
        portion, entry_id, _first = logged
        version = FoodEntry.objects.get(pk=entry_id).version
        replay = device_client.post(
            ENTRIES, entry_body(portion, id=entry_id, unit="ml"), format="json"
        )
        assert_error(replay, 400, "unit_mismatch", "unit")
        stored = FoodEntry.objects.get(pk=entry_id)
        assert (stored.unit, str(stored.calories), stored.version) == ("g", "100.000", version)

    def test_a_replay_naming_a_portion_of_another_product_is_404(
        self, device_client, device, logged
    ):
        portion, entry_id, _first = logged
        elsewhere = PortionFactory(product=ProductFactory(device=device))
        replay = device_client.post(
            ENTRIES, entry_body(portion, id=entry_id, portion_id=str(elsewhere.id)), format="json"
        )
        assert_not_found(replay, "portion_id")
        assert FoodEntry.objects.get(pk=entry_id).portion_id == portion.id


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "body", "refused"),
    [
        (MANUAL, manual_body(), {"protein_percent": 20}),
        (CALCULATED, worked_example(), {"protein_percent": 20, "carbs_percent": 40}),
        (CALCULATED, worked_example(), {"height_cm": "0.001", "current_weight_kg": "0.001"}),
    ],
)
def test_a_goal_replay_a_create_would_refuse_is_400(device_client, path, body, refused):
    goal_id = str(uuid.uuid4())
    first = device_client.post(path, {**body, "id": goal_id}, format="json")
    assert first.status_code == 201
    refused_first = device_client.post(path, {**body, **refused}, format="json")
    replay = device_client.post(path, {**body, **refused, "id": goal_id}, format="json")
    assert replay.status_code == refused_first.status_code == 400
    assert error_codes(replay) == error_codes(refused_first)
    assert error_codes(replay)[0][0] in {"percent_sum", "implausible_metrics"}
    assert Goal.all_objects.count() == 1
    assert device_client.get("/v1/goals/current").json()["id"] == goal_id
