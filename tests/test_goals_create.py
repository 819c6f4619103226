"""POST /v1/goals/calculated and /manual (docs/api.md §7): saving, one live goal, replays."""

import uuid

import pytest
from django.db import IntegrityError, transaction

from devices.models import Goal
from tests.assertions import error_codes
from tests.factories import BodyWeightFactory, DeviceFactory, GoalFactory
from tests.goal_bodies import (
    CALCULATED,
    CURRENT,
    MANUAL,
    calculated_response,
    manual_body,
    manual_response,
    without_timestamps_and_id,
    worked_example,
)


@pytest.mark.django_db
class TestSaveCalculated:
    def test_saves_the_worked_example(self, device_client, device):
        response = device_client.post(CALCULATED, worked_example(), format="json")

        assert response.status_code == 201
        body = response.json()
        assert without_timestamps_and_id(body) == calculated_response()
        stored = Goal.objects.get(device=device)
        assert str(stored.id) == body["id"]
        assert (stored.goal_type, stored.bmr_kcal, stored.daily_calories_kcal) == (
            "calculated",
            1780,
            2759,
        )
        assert str(stored.current_bmi) == "24.7"

    def test_keeps_target_and_pace(self, device_client):
        body = worked_example(
            weight_goal_type="lose", target_weight_kg="75.25", weight_change_pace="slow"
        )
        response = device_client.post(CALCULATED, body, format="json")

        assert response.status_code == 201
        assert without_timestamps_and_id(response.json()) == calculated_response(
            weight_goal_type="lose",
            target_weight_kg="75.250",
            weight_change_pace="slow",
            daily_calories_kcal=2509,
            protein_percent=30,
            carbs_percent=35,
            fat_percent=35,
            protein_grams=188,
            carbs_grams=219,
            fat_grams=97,
        )

    def test_given_split_and_water_replace_the_defaults(self, device_client):
        body = worked_example(protein_percent=40, carbs_percent=30, fat_percent=30, water_ml=3000)
        response = device_client.post(CALCULATED, body, format="json")

        assert response.status_code == 201
        assert without_timestamps_and_id(response.json()) == calculated_response(
            protein_percent=40,
            carbs_percent=30,
            fat_percent=30,
            protein_grams=275,
            carbs_grams=206,
            fat_grams=91,
            water_ml=3000,
        )

    def test_missing_percentages_come_from_the_default_split(self, device_client):
        # maintain: fat defaults to 30, so 35 + 35 + 30 = 100.
        body = worked_example(protein_percent=35, carbs_percent=35)
        response = device_client.post(CALCULATED, body, format="json")

        assert response.status_code == 201
        body = response.json()
        assert (body["protein_percent"], body["carbs_percent"], body["fat_percent"]) == (35, 35, 30)

    @pytest.mark.parametrize(
        "percents",
        [
            {"protein_percent": 40, "carbs_percent": 40, "fat_percent": 30},
            {"protein_percent": 30},  # 30 + 45 + 30 with the maintain defaults
        ],
    )
    def test_percentages_must_sum_to_100(self, device_client, percents):
        response = device_client.post(CALCULATED, worked_example(**percents), format="json")
        assert response.status_code == 400
        assert error_codes(response) == [("percent_sum", None)]
        assert not Goal.all_objects.exists()

    @pytest.mark.parametrize(
        ("overrides", "expected"),
        [
            ({"water_ml": 10001}, [("max_value", "water_ml")]),
            ({"water_ml": -1}, [("min_value", "water_ml")]),
            ({"protein_percent": 101}, [("max_value", "protein_percent")]),
            ({"fat_percent": "lots"}, [("invalid", "fat_percent")]),
            ({"id": "not-a-uuid"}, [("invalid", "id")]),
            ({"weight_goal_type": "lose"}, [("required", "target_weight_kg")]),
        ],
    )
    def test_invalid_body_is_400(self, device_client, overrides, expected):
        response = device_client.post(CALCULATED, worked_example(**overrides), format="json")
        assert response.status_code == 400
        assert error_codes(response)[: len(expected)] == expected
        assert not Goal.all_objects.exists()

    def test_computed_and_server_fields_in_the_body_are_ignored(self, device_client, device):
        other = DeviceFactory()
        body = worked_example(
            goal_type="manual",
            bmr_kcal=1,
            protein_grams=999,
            current_bmi=99.9,
            device_id=str(other.id),
            deleted_at="2020-01-01T00:00:00Z",
            version=99,
        )
        response = device_client.post(CALCULATED, body, format="json")

        assert response.status_code == 201
        assert without_timestamps_and_id(response.json()) == calculated_response()
        stored = Goal.objects.get()
        assert stored.device_id == device.id
        assert stored.deleted_at is None
        assert stored.version != 99


@pytest.mark.django_db
class TestSaveManual:
    def test_saves_the_targets_and_derives_the_grams(self, device_client, device):
        response = device_client.post(MANUAL, manual_body(), format="json")

        assert response.status_code == 201
        assert without_timestamps_and_id(response.json()) == manual_response()
        stored = Goal.objects.get(device=device)
        assert (stored.goal_type, stored.protein_grams, stored.gender) == ("manual", 150, None)

    @pytest.mark.parametrize(
        ("overrides", "expected"),
        [
            ({"daily_calories_kcal": 0}, [("min_value", "daily_calories_kcal")]),
            ({"daily_calories_kcal": 10001}, [("max_value", "daily_calories_kcal")]),
            ({"water_ml": -1}, [("min_value", "water_ml")]),
            ({"water_ml": 10001}, [("max_value", "water_ml")]),
            ({"fat_percent": -1}, [("min_value", "fat_percent")]),
            ({"protein_percent": 31}, [("percent_sum", None)]),
        ],
    )
    def test_invalid_body_is_400(self, device_client, overrides, expected):
        response = device_client.post(MANUAL, manual_body(**overrides), format="json")
        assert response.status_code == 400
        assert error_codes(response) == expected
        assert not Goal.all_objects.exists()

    @pytest.mark.parametrize(
        "field",
        ["daily_calories_kcal", "protein_percent", "carbs_percent", "fat_percent", "water_ml"],
    )
    def test_every_target_is_required(self, device_client, field):
        body = manual_body()
        del body[field]
        response = device_client.post(MANUAL, body, format="json")
        assert response.status_code == 400
        assert error_codes(response) == [("required", field)]

    def test_limits_are_inclusive(self, device_client):
        body = manual_body(
            daily_calories_kcal=10000, protein_percent=100, carbs_percent=0, fat_percent=0
        )
        response = device_client.post(MANUAL, {**body, "water_ml": 0}, format="json")
        assert response.status_code == 201
        assert response.json()["protein_grams"] == 2500
        assert response.json()["water_ml"] == 0


@pytest.mark.django_db
class TestOneLiveGoal:
    def test_a_new_goal_retires_the_previous_one(self, device_client, device):
        first = device_client.post(CALCULATED, worked_example(), format="json").json()
        second = device_client.post(MANUAL, manual_body(), format="json")

        assert second.status_code == 201
        assert list(Goal.objects.filter(device=device).values_list("id", flat=True)) == [
            uuid.UUID(second.json()["id"])
        ]
        retired = Goal.all_objects.get(pk=first["id"])
        assert retired.deleted_at is not None
        assert device_client.get(CURRENT).json()["id"] == second.json()["id"]
        assert device_client.get(f"/v1/goals/{first['id']}").status_code == 404

    def test_the_database_allows_one_live_goal_per_device(self, device):
        first = GoalFactory(device=device)
        with pytest.raises(IntegrityError), transaction.atomic():
            GoalFactory(device=device, manual=True)
        first.delete()
        second = GoalFactory(device=device, manual=True)
        assert list(Goal.objects.filter(device=device)) == [second]

    def test_an_invalid_save_keeps_the_current_goal(self, device_client, device):
        goal = GoalFactory(device=device)
        response = device_client.post(MANUAL, manual_body(fat_percent=50), format="json")
        assert response.status_code == 400
        assert device_client.get(CURRENT).json()["id"] == str(goal.id)


@pytest.mark.django_db
class TestIdempotentCreates:
    def test_replaying_an_id_returns_the_stored_goal_unchanged(self, device_client, device):
        goal_id = str(uuid.uuid4())
        first = device_client.post(MANUAL, manual_body(id=goal_id), format="json")
        version = Goal.objects.get(pk=goal_id).version

        replay = device_client.post(
            MANUAL, manual_body(id=goal_id, daily_calories_kcal=1500), format="json"
        )

        assert first.status_code == 201
        assert replay.status_code == 200
        assert replay.json() == first.json()
        assert Goal.all_objects.count() == 1
        assert Goal.objects.get(pk=goal_id).version == version

    def test_the_id_of_a_deleted_goal_restores_it_and_retires_the_live_one(
        self, device_client, device
    ):
        old_id = str(uuid.uuid4())
        device_client.post(CALCULATED, worked_example(id=old_id), format="json")
        newer = device_client.post(MANUAL, manual_body(), format="json").json()

        response = device_client.post(
            MANUAL, manual_body(id=old_id, daily_calories_kcal=1800), format="json"
        )

        assert response.status_code == 201
        assert response.json()["id"] == old_id
        # Restored with the posted fields: now manual, the old metrics are gone.
        assert without_timestamps_and_id(response.json()) == manual_response(
            daily_calories_kcal=1800, protein_grams=135, carbs_grams=180, fat_grams=60
        )
        assert list(Goal.objects.filter(device=device).values_list("id", flat=True)) == [
            uuid.UUID(old_id)
        ]
        assert Goal.all_objects.get(pk=newer["id"]).deleted_at is not None
        assert device_client.get(CURRENT).json()["id"] == old_id

    def test_restoring_as_calculated_clears_nothing_it_needs(self, device_client, device):
        goal = GoalFactory(device=device, manual=True)
        goal.delete()
        body = worked_example(
            id=str(goal.id), weight_goal_type="gain", target_weight_kg=90, weight_change_pace="slow"
        )

        response = device_client.post(CALCULATED, body, format="json")

        assert response.status_code == 201
        assert without_timestamps_and_id(response.json()) == calculated_response(
            weight_goal_type="gain",
            target_weight_kg="90.000",
            weight_change_pace="slow",
            daily_calories_kcal=3009,
            protein_percent=30,
            carbs_percent=45,
            fat_percent=25,
            protein_grams=225,
            carbs_grams=338,
            fat_grams=83,
        )

    def test_an_invalid_restore_leaves_the_goal_deleted(self, device_client, device):
        goal = GoalFactory(device=device, manual=True)
        goal.delete()
        response = device_client.post(
            MANUAL, manual_body(id=str(goal.id), fat_percent=0), format="json"
        )
        assert response.status_code == 400
        assert Goal.all_objects.get(pk=goal.id).deleted_at is not None

    @pytest.mark.parametrize("deleted", [False, True])
    def test_another_devices_goal_id_is_409(self, device_client, other_device, deleted):
        theirs = GoalFactory(device=other_device)
        if deleted:
            theirs.delete()
        response = device_client.post(MANUAL, manual_body(id=str(theirs.id)), format="json")
        assert response.status_code == 409
        assert error_codes(response) == [("id_conflict", None)]
        assert Goal.all_objects.get(pk=theirs.id).device_id == other_device.id

    def test_an_id_of_another_kind_is_409(self, device_client, device):
        weight = BodyWeightFactory(device=device)
        response = device_client.post(CALCULATED, worked_example(id=str(weight.id)), format="json")
        assert response.status_code == 409
        assert error_codes(response) == [("id_conflict", None)]
        assert not Goal.all_objects.exists()
