"""Request and response bodies of the goal endpoints: field types and ranges.

The rules of a goal (the plan, the split summing to 100, the macro grams)
are ``devices.goals.services``'; the field lists derive from the model
(``GOAL_FIELDS``) and the calculator (``GoalPlan``).
"""

import dataclasses
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from countonme.base.serializers import DECIMAL_MIN_POSITIVE, DeviceOwnedSerializer, decimal_field
from countonme.base.strict_input import StrictDateField, StrictIntegerField
from devices.goals import calculator as calc
from devices.goals.models import (
    GOAL_FIELDS,
    MAX_DAILY_CALORIES_KCAL,
    MAX_WATER_ML,
    Goal,
    enum_choices,
)

MIN_AGE_YEARS = 13
MAX_AGE_YEARS = 120


def body_metric_field(*, max_value: int, **kwargs: Any) -> serializers.DecimalField:
    """A height or weight: a decimal string with 3 places, 0.001 ≤ x ≤ ``max_value``."""
    return decimal_field(min_value=DECIMAL_MIN_POSITIVE, max_value=Decimal(max_value), **kwargs)


def percent_field(**kwargs: Any) -> serializers.IntegerField:
    """A whole percentage of the daily calories, 0–100."""
    return StrictIntegerField(min_value=0, max_value=100, **kwargs)


def one_decimal_field(**kwargs: Any) -> serializers.FloatField:
    """BMI or a healthy weight: a JSON number with one decimal (stored rounded)."""
    return serializers.FloatField(read_only=True, **kwargs)


def daily_calories_field(**kwargs: Any) -> serializers.IntegerField:
    """The daily calorie target, 1–10000 kcal."""
    return StrictIntegerField(min_value=1, max_value=MAX_DAILY_CALORIES_KCAL, **kwargs)


def water_field(**kwargs: Any) -> serializers.IntegerField:
    """The daily water target, 0–10000 ml."""
    return StrictIntegerField(min_value=0, max_value=MAX_WATER_ML, **kwargs)


# --- Goal calculation ----------------------------------------------------------------


class BodyMetricsSerializer(serializers.Serializer):
    """The body metrics a goal is calculated from (``POST /v1/goals/calculate`` body)."""

    gender = serializers.ChoiceField(choices=enum_choices(calc.Gender))
    birth_date = StrictDateField(
        help_text="YYYY-MM-DD. Age (whole years, on the server's UTC date) 13–120."
    )
    height_cm = body_metric_field(max_value=300, help_text="0 < x ≤ 300.")
    current_weight_kg = body_metric_field(max_value=500, help_text="0 < x ≤ 500.")
    activity_level = serializers.ChoiceField(choices=enum_choices(calc.ActivityLevel))
    weight_goal_type = serializers.ChoiceField(choices=enum_choices(calc.WeightGoalType))
    target_weight_kg = body_metric_field(
        max_value=500,
        required=False,
        allow_null=True,
        help_text="0 < x ≤ 500. Required for lose and gain; not used by the calculation.",
    )
    weight_change_pace = serializers.ChoiceField(
        choices=enum_choices(calc.WeightChangePace),
        required=False,
        allow_null=True,
        help_text="Required for lose and gain: 250, 500 or 750 kcal/day below or above TDEE.",
    )

    @cached_property
    def today(self) -> date:
        """The day ages are counted to.

        Days are the user's local calendar days, but the request carries no
        "today": the server's date (UTC) is off by at most one day, which only
        matters on the 13th and 121st birthdays.
        """
        return timezone.localdate()

    def validate_birth_date(self, value: date) -> date:
        today = self.today
        if value > today:
            raise serializers.ValidationError(
                "The birth date cannot be in the future.", code="future_date"
            )
        age = calc.age_on(value, today)
        if not MIN_AGE_YEARS <= age <= MAX_AGE_YEARS:
            raise serializers.ValidationError(
                f"Age must be {MIN_AGE_YEARS}–{MAX_AGE_YEARS} years; this birth date gives {age}.",
                code="age_out_of_range",
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if attrs["weight_goal_type"] != calc.WeightGoalType.MAINTAIN:
            missing = {
                field: serializers.ErrorDetail(
                    "This field is required when weight_goal_type is lose or gain.",
                    code="required",
                )
                for field in ("target_weight_kg", "weight_change_pace")
                if attrs.get(field) is None
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs

    @staticmethod
    def pop_metrics(attrs: dict[str, Any]) -> calc.BodyMetrics:
        """Take the calculator's metrics out of validated ``attrs`` (the rest stays).

        ``target_weight_kg`` stays: the calculation does not use it.
        """
        pace = attrs.pop("weight_change_pace", None)
        return calc.BodyMetrics(
            gender=calc.Gender(attrs.pop("gender")),
            birth_date=attrs.pop("birth_date"),
            height_cm=attrs.pop("height_cm"),
            weight_kg=attrs.pop("current_weight_kg"),
            activity_level=calc.ActivityLevel(attrs.pop("activity_level")),
            weight_goal_type=calc.WeightGoalType(attrs.pop("weight_goal_type")),
            weight_change_pace=calc.WeightChangePace(pace) if pace else None,
        )


class GoalCalculateSerializer(BodyMetricsSerializer):
    """``POST /v1/goals/calculate``: validated body metrics plus their ``plan``."""

    # The docstring is the schema's description. The plan is the view's call of
    # services.goal_preview on these metrics: the rule lives there, not here.


_PLAN_HELP = {
    "bmr_kcal": "Mifflin–St Jeor basal metabolic rate.",
    "tdee_kcal": "BMR × activity multiplier.",
    "water_ml": "33 ml per kg, at most 10000.",
    "healthy_weight_min_kg": "Weight at BMI 18.5 for this height.",
    "healthy_weight_max_kg": "Weight at BMI 24.9 for this height.",
    "bmi_category": "From the one-decimal BMI.",
}


def _plan_field(field: dataclasses.Field) -> serializers.Field:
    """The output field of one ``GoalPlan`` attribute, by its type."""
    kwargs = {"help_text": _PLAN_HELP[field.name]} if field.name in _PLAN_HELP else {}
    if field.type is int:
        return serializers.IntegerField(**kwargs)
    if field.type is Decimal:
        return one_decimal_field(**kwargs)
    return serializers.ChoiceField(choices=enum_choices(field.type), **kwargs)


class GoalPlanSerializer(serializers.Serializer):
    """The targets and indicators of a calculation (``POST /v1/goals/calculate`` answer)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        # One field per GoalPlan attribute, in its order: the calculator names them.
        return {field.name: _plan_field(field) for field in dataclasses.fields(calc.GoalPlan)}


# --- Saved goals ---------------------------------------------------------------------


class GoalSerializer(DeviceOwnedSerializer):
    """``GoalResponse``: a saved goal. Metrics and indicators are null for manual goals."""

    # The model's columns, read-only; these six differ from the model's own
    # field types: heights and weights are the API's decimal strings, BMI
    # and the healthy weights JSON numbers with one decimal.
    height_cm = decimal_field(read_only=True, allow_null=True)
    current_weight_kg = decimal_field(read_only=True, allow_null=True)
    target_weight_kg = decimal_field(read_only=True, allow_null=True)
    healthy_weight_min_kg = one_decimal_field(allow_null=True)
    healthy_weight_max_kg = one_decimal_field(allow_null=True)
    current_bmi = one_decimal_field(allow_null=True)

    class Meta:
        model = Goal
        fields = ["id", *GOAL_FIELDS, "created_at", "updated_at"]
        read_only_fields = [*GOAL_FIELDS, "created_at", "updated_at"]


class CalculatedGoalSerializer(BodyMetricsSerializer, GoalSerializer):
    """``POST /v1/goals/calculated``: body metrics in, a saved calculated goal out.

    Percentages left out take the weight goal type's default split; the result
    must sum to 100. ``water_ml`` replaces the calculated water target.
    """

    protein_percent = percent_field(required=False)
    carbs_percent = percent_field(required=False)
    fat_percent = percent_field(required=False)
    water_ml = water_field(required=False, help_text="Replaces 33 ml/kg when given.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The arguments of services.goal_save_calculated: the metrics as one value.
        attrs = super().validate(attrs)
        return {"metrics": self.pop_metrics(attrs), **attrs}


class ManualGoalSerializer(GoalSerializer):
    """``POST /v1/goals/manual``: targets chosen by the user; grams are derived."""

    daily_calories_kcal = daily_calories_field()
    protein_percent = percent_field()
    carbs_percent = percent_field()
    fat_percent = percent_field()
    water_ml = water_field()


class GoalUpdateSerializer(GoalSerializer):
    """``PATCH /v1/goals/{id}``: targets only; the grams follow, the split sums to 100."""

    id = serializers.UUIDField(read_only=True)
    daily_calories_kcal = daily_calories_field(required=False)
    protein_percent = percent_field(required=False)
    carbs_percent = percent_field(required=False)
    fat_percent = percent_field(required=False)
    water_ml = water_field(required=False)
