"""Goal bodies and expected answers for the goal tests (docs/api.md §7's worked example)."""

import uuid
from datetime import date

from django.utils import timezone

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
