"""Example values of the goal operations (see ``devices.examples`` for the story)."""

from drf_spectacular.utils import OpenApiExample

from countonme.base.examples import EXAMPLE_CREATED_AT, EXAMPLE_UPDATED_AT

GOAL_ID = "a3f5c7e9-1b2d-4f6a-8c9e-0d2f4b6a8c1e"
MANUAL_GOAL_ID = "0c6e8a2d-4f1b-4d3a-9e5c-7b9d1f3a5c2e"

_BODY = {
    "gender": "female",
    "birth_date": "1990-05-20",
    "height_cm": 168,
    "current_weight_kg": 72.5,
    "activity_level": "moderate",
    "weight_goal_type": "lose",
    "target_weight_kg": 65,
    "weight_change_pace": "moderate",
}
# Mifflin–St Jeor for the body above, 35 years old on the example day (docs/api.md §7):
# BMR 1439, TDEE 1439 × 1.55, 500 kcal less to lose at a moderate pace.
PLAN = {
    "bmr_kcal": 1439,
    "tdee_kcal": 2230,
    "daily_calories_kcal": 1730,
    "protein_percent": 30,
    "carbs_percent": 35,
    "fat_percent": 35,
    "protein_grams": 129,
    "carbs_grams": 151,
    "fat_grams": 67,
    "water_ml": 2392,
    "healthy_weight_min_kg": 52.2,
    "healthy_weight_max_kg": 70.3,
    "current_bmi": 25.7,
    "bmi_category": "overweight",
}
GOAL = {
    "id": GOAL_ID,
    "goal_type": "calculated",
    "gender": "female",
    "birth_date": "1990-05-20",
    "height_cm": "168.000",
    "current_weight_kg": "72.500",
    "target_weight_kg": "65.000",
    "activity_level": "moderate",
    "weight_goal_type": "lose",
    "weight_change_pace": "moderate",
    **PLAN,
    "created_at": EXAMPLE_CREATED_AT,
    "updated_at": EXAMPLE_UPDATED_AT,
}
MANUAL_GOAL = {
    "id": MANUAL_GOAL_ID,
    "goal_type": "manual",
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
    "daily_calories_kcal": 2000,
    "protein_percent": 30,
    "carbs_percent": 40,
    "fat_percent": 30,
    "protein_grams": 150,
    "carbs_grams": 200,
    "fat_grams": 66,
    "water_ml": 2000,
    "healthy_weight_min_kg": None,
    "healthy_weight_max_kg": None,
    "current_bmi": None,
    "bmi_category": None,
    "created_at": EXAMPLE_CREATED_AT,
    "updated_at": EXAMPLE_UPDATED_AT,
}

CALCULATE_REQUEST = OpenApiExample("Lose 7.5 kg", value=_BODY, request_only=True)
CALCULATED_PLAN = OpenApiExample("The targets", value=PLAN, response_only=True)
SAVE_CALCULATED_REQUEST = OpenApiExample(
    "Lose 7.5 kg", value={"id": GOAL_ID, **_BODY}, request_only=True
)
SAVE_MANUAL_REQUEST = OpenApiExample(
    "2000 kcal, 30/40/30",
    value={
        "id": MANUAL_GOAL_ID,
        "daily_calories_kcal": 2000,
        "protein_percent": 30,
        "carbs_percent": 40,
        "fat_percent": 30,
        "water_ml": 2000,
    },
    request_only=True,
)
CALCULATED_GOAL = OpenApiExample("A calculated goal", value=GOAL, response_only=True)
MANUAL_GOAL_SAVED = OpenApiExample("A manual goal", value=MANUAL_GOAL, response_only=True)
UPDATE_REQUEST = OpenApiExample(
    "Eat 1800 kcal a day", value={"daily_calories_kcal": 1800}, request_only=True
)
UPDATED_GOAL = OpenApiExample(
    "The goal, grams recomputed",
    value={
        **GOAL,
        "daily_calories_kcal": 1800,
        "protein_grams": 135,
        "carbs_grams": 157,
        "fat_grams": 70,
        "updated_at": "2026-03-14T07:45:03.119204Z",
    },
    response_only=True,
)
