"""Goals (docs/api.md §7): calculate, save calculated or manual, current, read, patch, delete."""

import uuid
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from devices.models import Goal
from entries.models import BodyWeight
from tests.assertions import error_codes
from tests.factories import BodyWeightFactory, DeviceFactory, GoalFactory

CALCULATE = "/v1/goals/calculate"
CALCULATED = "/v1/goals/calculated"
MANUAL = "/v1/goals/manual"
CURRENT = "/v1/goals/current"

WORKED_EXAMPLE_PLAN = {
    "bmr_kcal": 1780,
    "tdee_kcal": 2759,
    "daily_calories_kcal": 2759,
    "protein_percent": 25,
    "carbs_percent": 45,
    "fat_percent": 30,
    "protein_grams": 172,
    "carbs_grams": 310,
    "fat_grams": 91,
    "water_ml": 2640,
    "healthy_weight_min_kg": 59.9,
    "healthy_weight_max_kg": 80.7,
    "current_bmi": 24.7,
    "bmi_category": "normal",
}
MANUAL_METRICS_NULL = {
    "gender": None,
    "birth_date": None,
    "height_cm": None,
    "current_weight_kg": None,
    "target_weight_kg": None,
    "activity_level": None,
    "weight_goal_type": None,
    "weight_change_pace": None,
    "bmr_kcal": None,
    "tdee_kcal": None,
    "healthy_weight_min_kg": None,
    "healthy_weight_max_kg": None,
    "current_bmi": None,
    "bmi_category": None,
}


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def today() -> date:
    return timezone.localdate()


def worked_example(**overrides) -> dict:
    """Male, 30 years old today, 180 cm, 80 kg, moderate activity, maintain."""
    body = {
        "gender": "male",
        "birth_date": years_before(today(), 30).isoformat(),
        "height_cm": 180,
        "current_weight_kg": "80",
        "activity_level": "moderate",
        "weight_goal_type": "maintain",
    }
    return {**body, **overrides}


def manual_body(**overrides) -> dict:
    body = {
        "daily_calories_kcal": 2000,
        "protein_percent": 30,
        "carbs_percent": 40,
        "fat_percent": 30,
        "water_ml": 2000,
    }
    return {**body, **overrides}


def without_timestamps_and_id(body: dict) -> dict:
    assert uuid.UUID(body["id"])
    assert body["created_at"].endswith(("Z", "+00:00"))
    assert body["updated_at"].endswith(("Z", "+00:00"))
    return {k: v for k, v in body.items() if k not in {"id", "created_at", "updated_at"}}


def calculated_response(**overrides) -> dict:
    """The GoalResponse (without id and timestamps) of the worked example."""
    return {
        "goal_type": "calculated",
        "gender": "male",
        "birth_date": years_before(today(), 30).isoformat(),
        "height_cm": "180.000",
        "current_weight_kg": "80.000",
        "target_weight_kg": None,
        "activity_level": "moderate",
        "weight_goal_type": "maintain",
        "weight_change_pace": None,
        **WORKED_EXAMPLE_PLAN,
        **overrides,
    }


def manual_response(**overrides) -> dict:
    return {
        "goal_type": "manual",
        **MANUAL_METRICS_NULL,
        "daily_calories_kcal": 2000,
        "protein_percent": 30,
        "carbs_percent": 40,
        "fat_percent": 30,
        "protein_grams": 150,
        "carbs_grams": 200,
        "fat_grams": 66,
        "water_ml": 2000,
        **overrides,
    }


@pytest.mark.django_db
class TestCalculate:
    def test_worked_example(self, device_client):
        response = device_client.post(CALCULATE, worked_example(), format="json")

        assert response.status_code == 200
        assert response.json() == WORKED_EXAMPLE_PLAN
        # JSON numbers, not strings: integers for targets, one-decimal floats for BMI.
        assert b'"current_bmi":24.7' in response.content
        assert b'"bmr_kcal":1780' in response.content
        assert not Goal.all_objects.exists()

    def test_lose_with_target_and_pace(self, device_client):
        body = worked_example(
            weight_goal_type="lose", target_weight_kg=72.5, weight_change_pace="aggressive"
        )
        response = device_client.post(CALCULATE, body, format="json")

        assert response.status_code == 200
        assert response.json() == {
            **WORKED_EXAMPLE_PLAN,
            "daily_calories_kcal": 2009,
            "protein_percent": 30,
            "carbs_percent": 35,
            "fat_percent": 35,
            "protein_grams": 150,
            "carbs_grams": 175,
            "fat_grams": 78,
        }

    def test_female_gain(self, device_client):
        body = worked_example(
            gender="female",
            weight_goal_type="gain",
            target_weight_kg="85",
            weight_change_pace="slow",
        )
        response = device_client.post(CALCULATE, body, format="json")

        assert response.status_code == 200
        # BMR 1780 − 166 = 1614; × 1.55 = 2501.7; + 250.
        assert response.json()["bmr_kcal"] == 1614
        assert response.json()["tdee_kcal"] == 2501
        assert response.json()["daily_calories_kcal"] == 2751

    def test_maintain_accepts_null_target_and_pace(self, device_client):
        body = worked_example(target_weight_kg=None, weight_change_pace=None)
        response = device_client.post(CALCULATE, body, format="json")
        assert response.status_code == 200
        assert response.json() == WORKED_EXAMPLE_PLAN

    @pytest.mark.parametrize(
        ("birth_date", "age_ok"),
        [
            (lambda t: years_before(t, 13), True),  # 13th birthday today
            (lambda t: years_before(t, 13) + timedelta(days=1), False),  # 13 tomorrow
            (lambda t: years_before(t, 121) + timedelta(days=1), True),  # 120 and 364 days
            (lambda t: years_before(t, 121), False),  # 121 today
        ],
    )
    def test_age_limits_are_13_and_120(self, device_client, birth_date, age_ok):
        body = worked_example(birth_date=birth_date(today()).isoformat())
        response = device_client.post(CALCULATE, body, format="json")
        if age_ok:
            assert response.status_code == 200
        else:
            assert response.status_code == 400
            assert error_codes(response) == [("age_out_of_range", "birth_date")]

    @pytest.mark.parametrize(
        ("overrides", "expected"),
        [
            ({"gender": None}, [("null", "gender")]),
            ({"gender": "other"}, [("invalid_choice", "gender")]),
            ({"birth_date": "1990-13-01"}, [("invalid", "birth_date")]),
            ({"height_cm": 0}, [("min_value", "height_cm")]),
            ({"height_cm": "-5"}, [("min_value", "height_cm")]),
            ({"height_cm": "300.001"}, [("max_value", "height_cm")]),
            ({"height_cm": "tall"}, [("invalid", "height_cm")]),
            ({"current_weight_kg": 0}, [("min_value", "current_weight_kg")]),
            ({"current_weight_kg": 500.5}, [("max_value", "current_weight_kg")]),
            ({"activity_level": "couch"}, [("invalid_choice", "activity_level")]),
            ({"weight_goal_type": "bulk"}, [("invalid_choice", "weight_goal_type")]),
            (
                {"weight_goal_type": "lose"},
                [("required", "target_weight_kg"), ("required", "weight_change_pace")],
            ),
            (
                {"weight_goal_type": "gain", "target_weight_kg": 90},
                [("required", "weight_change_pace")],
            ),
            (
                {"weight_goal_type": "lose", "weight_change_pace": "slow"},
                [("required", "target_weight_kg")],
            ),
            (
                {"weight_goal_type": "lose", "target_weight_kg": 0, "weight_change_pace": "slow"},
                [("min_value", "target_weight_kg")],
            ),
            (
                {"weight_goal_type": "gain", "target_weight_kg": 90, "weight_change_pace": "fast"},
                [("invalid_choice", "weight_change_pace")],
            ),
        ],
    )
    def test_invalid_body_is_400_naming_the_field(self, device_client, overrides, expected):
        response = device_client.post(CALCULATE, worked_example(**overrides), format="json")
        assert response.status_code == 400
        assert error_codes(response) == expected

    @pytest.mark.parametrize(
        "field",
        ["gender", "birth_date", "height_cm", "current_weight_kg", "activity_level"],
    )
    def test_each_metric_is_required(self, device_client, field):
        body = worked_example()
        del body[field]
        response = device_client.post(CALCULATE, body, format="json")
        assert response.status_code == 400
        assert error_codes(response) == [("required", field)]

    def test_birth_date_in_the_future_is_400(self, device_client):
        tomorrow = today() + timedelta(days=1)
        response = device_client.post(
            CALCULATE, worked_example(birth_date=tomorrow.isoformat()), format="json"
        )
        assert response.status_code == 400
        assert error_codes(response) == [("future_date", "birth_date")]

    @pytest.mark.parametrize(
        "overrides",
        [
            # 1 cm tall and 500 kg: a BMI of five million.
            {"height_cm": 1, "current_weight_kg": 500},
            # 300 cm, 500 kg, very active, gaining: more than 10000 kcal a day.
            {
                "height_cm": 300,
                "current_weight_kg": 500,
                "activity_level": "very_active",
                "weight_goal_type": "gain",
                "target_weight_kg": 500,
                "weight_change_pace": "aggressive",
            },
            # A negative basal metabolic rate.
            {"height_cm": "0.001", "current_weight_kg": "0.001", "gender": "female"},
        ],
    )
    def test_metrics_without_a_usable_target_are_400(self, device_client, overrides):
        response = device_client.post(CALCULATE, worked_example(**overrides), format="json")
        assert response.status_code == 400
        assert error_codes(response) == [("implausible_metrics", None)]

    def test_needs_a_device_token(self, api_client):
        response = api_client.post(CALCULATE, worked_example(), format="json")
        assert response.status_code == 401
        assert error_codes(response) == [("not_authenticated", None)]


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
class TestCurrent:
    def test_is_null_without_a_goal(self, device_client):
        response = device_client.get(CURRENT)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert response.content == b"null"

    def test_is_the_live_goal(self, device_client, device):
        goal = GoalFactory(device=device)
        response = device_client.get(CURRENT)
        assert response.status_code == 200
        assert response.json()["id"] == str(goal.id)
        assert without_timestamps_and_id(response.json()) == calculated_response(
            birth_date=goal.birth_date.isoformat()
        )

    def test_ignores_other_devices_and_deleted_goals(self, device_client, device, other_device):
        GoalFactory(device=other_device)
        GoalFactory(device=device).delete()
        response = device_client.get(CURRENT)
        assert response.status_code == 200
        assert response.json() is None

    def test_query_budget(self, device_client, device, django_assert_max_num_queries):
        GoalFactory(device=device)
        # Device lookup, last_seen_at refresh, the goal.
        with django_assert_max_num_queries(3):
            assert device_client.get(CURRENT).status_code == 200


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
        assert device_client.delete(f"/v1/goals/{goal.id}").status_code == 404

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
