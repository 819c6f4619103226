"""POST /v1/goals/calculate (docs/api.md §7): the preview, its validation."""

from datetime import timedelta

import pytest

from devices.models import Goal
from tests.assertions import error_codes
from tests.goal_bodies import (
    CALCULATE,
    WORKED_EXAMPLE_PLAN,
    today,
    worked_example,
    years_before,
)


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
