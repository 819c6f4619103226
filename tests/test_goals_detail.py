"""GET/PATCH/DELETE /v1/goals/{id} (docs/api.md §7), scoping, tokens, erasure."""

import uuid

import pytest

from devices.models import Goal
from entries.models import BodyWeight
from tests.assertions import error_codes
from tests.factories import BodyWeightFactory, GoalFactory
from tests.goal_bodies import (
    CALCULATE,
    CALCULATED,
    CURRENT,
    MANUAL,
    calculated_response,
    manual_body,
    manual_response,
    without_timestamps_and_id,
)


@pytest.mark.django_db
class TestReadUpdateDelete:
    def test_retrieve(self, device_client, device):
        goal = GoalFactory(device=device, manual=True)
        response = device_client.get(f"/v1/goals/{goal.id}")
        assert response.status_code == 200
        assert response.json()["id"] == str(goal.id)
        assert without_timestamps_and_id(response.json()) == manual_response()

    def test_patch_calories_recomputes_the_grams(self, device_client, device):
        goal = GoalFactory(device=device)
        response = device_client.patch(
            f"/v1/goals/{goal.id}", {"daily_calories_kcal": 2000}, format="json"
        )

        assert response.status_code == 200
        # 25/45/30 % of 2000 kcal; the metrics and goal type stay.
        assert without_timestamps_and_id(response.json()) == calculated_response(
            birth_date=goal.birth_date.isoformat(),
            daily_calories_kcal=2000,
            protein_grams=125,
            carbs_grams=225,
            fat_grams=66,
        )
        goal.refresh_from_db()
        assert (goal.daily_calories_kcal, goal.protein_grams, goal.fat_grams) == (2000, 125, 66)

    def test_patch_all_percentages(self, device_client, device):
        goal = GoalFactory(device=device, manual=True)
        response = device_client.patch(
            f"/v1/goals/{goal.id}",
            {"protein_percent": 20, "carbs_percent": 50, "fat_percent": 30, "water_ml": 2500},
            format="json",
        )
        assert response.status_code == 200
        assert without_timestamps_and_id(response.json()) == manual_response(
            protein_percent=20,
            carbs_percent=50,
            protein_grams=100,
            carbs_grams=250,
            water_ml=2500,
        )

    def test_patch_two_percentages_keeping_the_sum(self, device_client, device):
        goal = GoalFactory(device=device, manual=True)  # 30/40/30
        response = device_client.patch(
            f"/v1/goals/{goal.id}", {"protein_percent": 40, "carbs_percent": 30}, format="json"
        )
        assert response.status_code == 200
        assert (response.json()["protein_grams"], response.json()["carbs_grams"]) == (200, 150)

    def test_patch_breaking_the_sum_is_400_and_changes_nothing(self, device_client, device):
        goal = GoalFactory(device=device, manual=True)
        response = device_client.patch(
            f"/v1/goals/{goal.id}", {"protein_percent": 50}, format="json"
        )
        assert response.status_code == 400
        assert error_codes(response) == [("percent_sum", None)]
        goal.refresh_from_db()
        assert (goal.protein_percent, goal.protein_grams) == (30, 150)

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ({"daily_calories_kcal": 0}, [("min_value", "daily_calories_kcal")]),
            ({"water_ml": 20000}, [("max_value", "water_ml")]),
            ({"carbs_percent": None}, [("null", "carbs_percent")]),
        ],
    )
    def test_patch_validation(self, device_client, device, body, expected):
        goal = GoalFactory(device=device, manual=True)
        response = device_client.patch(f"/v1/goals/{goal.id}", body, format="json")
        assert response.status_code == 400
        assert error_codes(response) == expected

    def test_patch_ignores_computed_fields(self, device_client, device):
        goal = GoalFactory(device=device, manual=True)
        response = device_client.patch(
            f"/v1/goals/{goal.id}",
            {"goal_type": "calculated", "protein_grams": 1, "bmr_kcal": 5, "gender": "male"},
            format="json",
        )
        assert response.status_code == 200
        assert without_timestamps_and_id(response.json()) == manual_response()

    def test_put_is_not_allowed(self, device_client, device):
        goal = GoalFactory(device=device, manual=True)
        response = device_client.put(f"/v1/goals/{goal.id}", manual_body(), format="json")
        assert response.status_code == 405
        assert error_codes(response) == [("method_not_allowed", None)]

    def test_delete_is_soft(self, device_client, device):
        goal = GoalFactory(device=device)
        response = device_client.delete(f"/v1/goals/{goal.id}")

        assert response.status_code == 204
        assert response.content == b""
        assert Goal.all_objects.get(pk=goal.id).deleted_at is not None
        assert device_client.get(CURRENT).content == b"null"
        assert device_client.get(f"/v1/goals/{goal.id}").status_code == 404
        # The app's replay of the delete changes nothing (tests/test_replayed_writes.py).
        assert device_client.delete(f"/v1/goals/{goal.id}").status_code == 204

    def test_unknown_id_is_404(self, device_client):
        response = device_client.get(f"/v1/goals/{uuid.uuid4()}")
        assert response.status_code == 404
        assert error_codes(response) == [("not_found", None)]


@pytest.mark.django_db
class TestOtherDevice:
    @pytest.mark.parametrize(
        ("method", "body"),
        [("get", None), ("patch", {"daily_calories_kcal": 1500}), ("delete", None)],
    )
    def test_another_devices_goal_is_404_like_an_unknown_id(
        self, device_client, other_device, method, body
    ):
        theirs = GoalFactory(device=other_device)
        call = getattr(device_client, method)

        response = call(f"/v1/goals/{theirs.id}", body, format="json")
        unknown = call(f"/v1/goals/{uuid.uuid4()}", body, format="json")

        assert response.status_code == 404
        assert response.json() == unknown.json()
        stored = Goal.objects.get(pk=theirs.id)
        assert (stored.daily_calories_kcal, stored.version) == (2759, theirs.version)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", CALCULATE),
        ("post", CALCULATED),
        ("post", MANUAL),
        ("get", CURRENT),
        ("get", "/v1/goals/00000000-0000-4000-8000-000000000000"),
        ("patch", "/v1/goals/00000000-0000-4000-8000-000000000000"),
        ("delete", "/v1/goals/00000000-0000-4000-8000-000000000000"),
    ],
)
def test_every_goal_route_needs_a_device_token(api_client, method, path):
    response = getattr(api_client, method)(path, {}, format="json")
    assert response.status_code == 401
    assert error_codes(response) == [("not_authenticated", None)]


@pytest.mark.django_db
def test_erasing_the_device_erases_its_goals_and_body_weights(device_client, device, other_device):
    GoalFactory(device=device).delete()
    GoalFactory(device=device, manual=True)
    BodyWeightFactory(device=device)
    theirs = GoalFactory(device=other_device)

    response = device_client.delete("/v1/devices/me")

    assert response.status_code == 204
    assert not Goal.all_objects.filter(device_id=device.id).exists()
    assert not BodyWeight.all_objects.filter(device_id=device.id).exists()
    assert list(Goal.objects.all()) == [theirs]
