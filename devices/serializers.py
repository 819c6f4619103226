"""Request and response bodies of the device endpoints, goals and body weights."""

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from countonme.base.numbers import readable_number
from countonme.base.serializers import DECIMAL_MIN_POSITIVE, DeviceOwnedSerializer, decimal_field
from countonme.base.strict_input import StrictDateField, StrictIntegerField, StrictUUIDField
from devices import goal_calculator as calc
from devices.models import (
    MAX_DAILY_CALORIES_KCAL,
    MAX_WATER_ML,
    BodyWeight,
    Goal,
    GoalType,
    enum_choices,
)


class RegisterRequestSerializer(serializers.Serializer):
    """``POST /v1/devices/register`` body."""

    device_id = StrictUUIDField(help_text="The id the app generated for this phone.")


class DeviceRegistrationSerializer(serializers.Serializer):
    """The new token of a device."""

    device_id = serializers.UUIDField()
    device_token = serializers.CharField(
        help_text="Send as `Authorization: Bearer {device_token}`. Shown once; only a hash is kept."
    )


class AuthRegistrationSerializer(DeviceRegistrationSerializer):
    """``POST /v1/auth/register`` answer: the same, with the token also as ``token``."""

    token = serializers.CharField(help_text="Same value as `device_token`.")


class DeviceSerializer(serializers.Serializer):
    """``GET /v1/devices/me``."""

    device_id = serializers.UUIDField(source="pk")
    created_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField(allow_null=True)


# --- Shared field builders -----------------------------------------------------------


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


def macro_split(*, protein_percent: int, carbs_percent: int, fat_percent: int) -> calc.MacroSplit:
    """The split of three validated percentages; 400 (``attr`` null) unless they sum to 100."""
    total = protein_percent + carbs_percent + fat_percent
    if total != 100:
        raise serializers.ValidationError(
            "protein_percent, carbs_percent and fat_percent must sum to 100 "
            f"(they sum to {total}).",
            code="percent_sum",
        )
    return calc.MacroSplit(protein_percent, carbs_percent, fat_percent)


# --- Goal calculation ----------------------------------------------------------------

MIN_AGE_YEARS = 13
MAX_AGE_YEARS = 120
# current_bmi is stored with 5 digits, one of them after the point.
MAX_BMI = Decimal("9999.9")
# What a calculated goal keeps besides its targets; a manual goal stores null
# for each of these.
BODY_METRIC_FIELDS = (
    "gender",
    "birth_date",
    "height_cm",
    "current_weight_kg",
    "target_weight_kg",
    "activity_level",
    "weight_goal_type",
    "weight_change_pace",
)
ENERGY_FIELDS = ("bmr_kcal", "tdee_kcal")
WEIGHT_RANGE_FIELDS = (
    "healthy_weight_min_kg",
    "healthy_weight_max_kg",
    "current_bmi",
    "bmi_category",
)
CALCULATION_FIELDS = (*BODY_METRIC_FIELDS, *ENERGY_FIELDS, *WEIGHT_RANGE_FIELDS)
TARGET_FIELDS = (
    "daily_calories_kcal",
    "protein_percent",
    "carbs_percent",
    "fat_percent",
    "protein_grams",
    "carbs_grams",
    "fat_grams",
    "water_ml",
)


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

    def calculate(
        self, attrs: dict[str, Any], split: calc.MacroSplit | None = None
    ) -> calc.GoalPlan:
        """The plan for validated ``attrs``; 400 when the metrics give no usable targets."""
        metrics = calc.BodyMetrics(
            gender=calc.Gender(attrs["gender"]),
            birth_date=attrs["birth_date"],
            height_cm=attrs["height_cm"],
            weight_kg=attrs["current_weight_kg"],
            activity_level=calc.ActivityLevel(attrs["activity_level"]),
            weight_goal_type=calc.WeightGoalType(attrs["weight_goal_type"]),
            weight_change_pace=(
                calc.WeightChangePace(attrs["weight_change_pace"])
                if attrs.get("weight_change_pace")
                else None
            ),
        )
        plan = calc.calculate_goal(metrics, today=self.today, split=split)
        # Every input is within its range, yet extreme combinations (a few cm
        # tall, 500 kg heavy) give targets no goal can hold: a clear 400 rather
        # than a preview that cannot be saved or a database error.
        problem = None
        if plan.bmr_kcal < 1:
            problem = f"a basal metabolic rate of {readable_number(plan.bmr_kcal)} kcal/day"
        elif not 1 <= plan.daily_calories_kcal <= MAX_DAILY_CALORIES_KCAL:
            problem = (
                f"a daily target of {readable_number(plan.daily_calories_kcal)} kcal, "
                f"outside 1–{readable_number(MAX_DAILY_CALORIES_KCAL)}"
            )
        elif plan.current_bmi > MAX_BMI:
            problem = f"a BMI above {readable_number(MAX_BMI)}"
        if problem is not None:
            raise serializers.ValidationError(
                f"These body metrics give {problem}: check height_cm, current_weight_kg "
                "and birth_date.",
                code="implausible_metrics",
            )
        return plan


class GoalCalculateSerializer(BodyMetricsSerializer):
    """``POST /v1/goals/calculate``: validated body metrics plus their ``plan``."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        return {**attrs, "plan": self.calculate(attrs)}


class GoalPlanSerializer(serializers.Serializer):
    """The targets and indicators of a calculation (``POST /v1/goals/calculate`` answer)."""

    bmr_kcal = serializers.IntegerField(help_text="Mifflin–St Jeor basal metabolic rate.")
    tdee_kcal = serializers.IntegerField(help_text="BMR × activity multiplier.")
    daily_calories_kcal = serializers.IntegerField()
    protein_percent = serializers.IntegerField()
    carbs_percent = serializers.IntegerField()
    fat_percent = serializers.IntegerField()
    protein_grams = serializers.IntegerField()
    carbs_grams = serializers.IntegerField()
    fat_grams = serializers.IntegerField()
    water_ml = serializers.IntegerField(help_text="33 ml per kg, at most 10000.")
    healthy_weight_min_kg = one_decimal_field(help_text="Weight at BMI 18.5 for this height.")
    healthy_weight_max_kg = one_decimal_field(help_text="Weight at BMI 24.9 for this height.")
    current_bmi = one_decimal_field()
    bmi_category = serializers.ChoiceField(
        choices=enum_choices(calc.BmiCategory), help_text="From the one-decimal BMI."
    )


# --- Saved goals ---------------------------------------------------------------------


class GoalSerializer(DeviceOwnedSerializer):
    """``GoalResponse``: a saved goal. Metrics and indicators are null for manual goals."""

    goal_type = serializers.ChoiceField(choices=GoalType.choices, read_only=True)
    gender = serializers.ChoiceField(
        choices=enum_choices(calc.Gender), read_only=True, allow_null=True
    )
    birth_date = serializers.DateField(read_only=True, allow_null=True)
    height_cm = decimal_field(read_only=True, allow_null=True)
    current_weight_kg = decimal_field(read_only=True, allow_null=True)
    target_weight_kg = decimal_field(read_only=True, allow_null=True)
    activity_level = serializers.ChoiceField(
        choices=enum_choices(calc.ActivityLevel), read_only=True, allow_null=True
    )
    weight_goal_type = serializers.ChoiceField(
        choices=enum_choices(calc.WeightGoalType), read_only=True, allow_null=True
    )
    weight_change_pace = serializers.ChoiceField(
        choices=enum_choices(calc.WeightChangePace), read_only=True, allow_null=True
    )
    bmr_kcal = serializers.IntegerField(read_only=True, allow_null=True)
    tdee_kcal = serializers.IntegerField(read_only=True, allow_null=True)
    daily_calories_kcal = serializers.IntegerField(read_only=True)
    protein_percent = serializers.IntegerField(read_only=True)
    carbs_percent = serializers.IntegerField(read_only=True)
    fat_percent = serializers.IntegerField(read_only=True)
    protein_grams = serializers.IntegerField(read_only=True)
    carbs_grams = serializers.IntegerField(read_only=True)
    fat_grams = serializers.IntegerField(read_only=True)
    water_ml = serializers.IntegerField(read_only=True)
    healthy_weight_min_kg = one_decimal_field(allow_null=True)
    healthy_weight_max_kg = one_decimal_field(allow_null=True)
    current_bmi = one_decimal_field(allow_null=True)
    bmi_category = serializers.ChoiceField(
        choices=enum_choices(calc.BmiCategory), read_only=True, allow_null=True
    )

    class Meta:
        model = Goal
        fields = [
            "id",
            "goal_type",
            *BODY_METRIC_FIELDS,
            *ENERGY_FIELDS,
            *TARGET_FIELDS,
            *WEIGHT_RANGE_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


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
        attrs = super().validate(attrs)
        default = calc.DEFAULT_SPLITS[calc.WeightGoalType(attrs["weight_goal_type"])]
        split = macro_split(
            **{
                field: attrs.get(field, getattr(default, field))
                for field in ("protein_percent", "carbs_percent", "fat_percent")
            }
        )
        plan = asdict(self.calculate(attrs, split))
        if attrs.get("water_ml") is not None:
            plan["water_ml"] = attrs["water_ml"]
        # Every column is set, absent optional ones to null: a restored goal
        # (docs/api.md §3) must not keep values of its previous life.
        return {
            **{field: attrs.get(field) for field in BODY_METRIC_FIELDS},
            **plan,
            **({"id": attrs["id"]} if "id" in attrs else {}),
            "goal_type": GoalType.CALCULATED,
        }


class ManualGoalSerializer(GoalSerializer):
    """``POST /v1/goals/manual``: targets chosen by the user; grams are derived."""

    daily_calories_kcal = daily_calories_field()
    protein_percent = percent_field()
    carbs_percent = percent_field()
    fat_percent = percent_field()
    water_ml = water_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        split = macro_split(
            protein_percent=attrs["protein_percent"],
            carbs_percent=attrs["carbs_percent"],
            fat_percent=attrs["fat_percent"],
        )
        grams = calc.macro_grams(daily_calories_kcal=attrs["daily_calories_kcal"], split=split)
        return {
            **attrs,
            **asdict(grams),
            **dict.fromkeys(CALCULATION_FIELDS),
            "goal_type": GoalType.MANUAL,
        }


class GoalUpdateSerializer(GoalSerializer):
    """``PATCH /v1/goals/{id}``: targets only; the grams follow, the split sums to 100."""

    id = serializers.UUIDField(read_only=True)
    daily_calories_kcal = daily_calories_field(required=False)
    protein_percent = percent_field(required=False)
    carbs_percent = percent_field(required=False)
    fat_percent = percent_field(required=False)
    water_ml = water_field(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        merged = {
            field: attrs.get(field, getattr(self.instance, field))
            for field in ("daily_calories_kcal", "protein_percent", "carbs_percent", "fat_percent")
        }
        split = macro_split(
            protein_percent=merged["protein_percent"],
            carbs_percent=merged["carbs_percent"],
            fat_percent=merged["fat_percent"],
        )
        grams = calc.macro_grams(daily_calories_kcal=merged["daily_calories_kcal"], split=split)
        return {**attrs, **asdict(grams)}


# --- Body weights --------------------------------------------------------------------


class BodyWeightSerializer(DeviceOwnedSerializer):
    """``BodyWeightResponse``; also the ``POST /v1/body-weights`` body."""

    weight_kg = body_metric_field(max_value=1000, help_text="0 < x ≤ 1000.")

    class Meta:
        model = BodyWeight
        fields = ["id", "day", "weight_kg", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"day": {"help_text": "The user's local calendar day, YYYY-MM-DD."}}


class BodyWeightUpdateSerializer(BodyWeightSerializer):
    """``PATCH /v1/body-weights/{id}``: only the weight changes."""

    id = serializers.UUIDField(read_only=True)
    day = serializers.DateField(read_only=True)
