"""The goal row: a device's daily targets and, for a calculated goal, what they came from.

Part of the ``devices`` app (``devices.models`` imports it): the table and
its migrations are ``devices``'.
"""

from enum import StrEnum

from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact

from countonme.base.models import LIVE, DeviceOwnedModel
from countonme.base.numbers import readable_number
from devices.goals import calculator as calc

# Heights and weights: 3 decimal places like every amount of the API.
BODY_METRIC = {"max_digits": 7, "decimal_places": 3}
# BMI and the healthy weight range are stored as shown: one decimal.
ONE_DECIMAL = {"max_digits": 5, "decimal_places": 1}
MAX_DAILY_CALORIES_KCAL = 10000
MAX_WATER_ML = calc.MAX_WATER_ML


def enum_choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """Model choices from one of the calculator's vocabularies."""
    return [(member.value, member.value.replace("_", " ").capitalize()) for member in enum]


class GoalType(models.TextChoices):
    """How a goal's targets were set."""

    CALCULATED = "calculated"
    MANUAL = "manual"


class Goal(DeviceOwnedModel):
    """The daily targets of a device; at most one live goal per device.

    A calculated goal keeps the body metrics it was computed from and the
    derived indicators (BMR, TDEE, BMI, healthy weight range); a manual goal
    has only the targets, the rest is null.
    """

    goal_type = models.CharField(max_length=10, choices=GoalType.choices)

    # Body metrics (calculated goals).
    gender = models.CharField(  # noqa: DJ001 - null: a manual goal has no metrics
        max_length=6, choices=enum_choices(calc.Gender), null=True, blank=True
    )
    birth_date = models.DateField(null=True, blank=True)
    height_cm = models.DecimalField(**BODY_METRIC, null=True, blank=True)
    current_weight_kg = models.DecimalField(**BODY_METRIC, null=True, blank=True)
    target_weight_kg = models.DecimalField(**BODY_METRIC, null=True, blank=True)
    activity_level = models.CharField(  # noqa: DJ001 - null: a manual goal has no metrics
        max_length=11, choices=enum_choices(calc.ActivityLevel), null=True, blank=True
    )
    weight_goal_type = models.CharField(  # noqa: DJ001 - null: a manual goal has no metrics
        max_length=8, choices=enum_choices(calc.WeightGoalType), null=True, blank=True
    )
    weight_change_pace = models.CharField(  # noqa: DJ001 - null: maintain and manual have none
        max_length=10, choices=enum_choices(calc.WeightChangePace), null=True, blank=True
    )
    bmr_kcal = models.IntegerField(null=True, blank=True)
    tdee_kcal = models.IntegerField(null=True, blank=True)

    # Targets (every goal).
    daily_calories_kcal = models.PositiveIntegerField()
    protein_percent = models.PositiveSmallIntegerField()
    carbs_percent = models.PositiveSmallIntegerField()
    fat_percent = models.PositiveSmallIntegerField()
    protein_grams = models.PositiveIntegerField()
    carbs_grams = models.PositiveIntegerField()
    fat_grams = models.PositiveIntegerField()
    water_ml = models.PositiveIntegerField()

    # Weight range indicators (calculated goals).
    healthy_weight_min_kg = models.DecimalField(**ONE_DECIMAL, null=True, blank=True)
    healthy_weight_max_kg = models.DecimalField(**ONE_DECIMAL, null=True, blank=True)
    current_bmi = models.DecimalField(**ONE_DECIMAL, null=True, blank=True)
    bmi_category = models.CharField(  # noqa: DJ001 - null: a manual goal has no metrics
        max_length=11, choices=enum_choices(calc.BmiCategory), null=True, blank=True
    )

    class Meta(DeviceOwnedModel.Meta):
        permissions = [("restore_goal", "Can restore deleted goals")]
        constraints = [
            # Also the index of GET /v1/goals/current.
            models.UniqueConstraint(
                fields=["device"], condition=LIVE, name="goal_one_live_per_device"
            ),
            models.CheckConstraint(
                condition=Exact(F("protein_percent") + F("carbs_percent") + F("fat_percent"), 100),
                name="goal_percent_sum_100",
            ),
            models.CheckConstraint(
                condition=Q(daily_calories_kcal__gte=1)
                & Q(daily_calories_kcal__lte=MAX_DAILY_CALORIES_KCAL),
                name="goal_daily_calories_range",
            ),
            models.CheckConstraint(
                condition=Q(water_ml__lte=MAX_WATER_ML), name="goal_water_range"
            ),
            models.CheckConstraint(
                condition=Q(height_cm__isnull=True) | Q(height_cm__gt=0, height_cm__lte=300),
                name="goal_height_range",
            ),
            models.CheckConstraint(
                condition=Q(current_weight_kg__isnull=True)
                | Q(current_weight_kg__gt=0, current_weight_kg__lte=500),
                name="goal_current_weight_range",
            ),
            models.CheckConstraint(
                condition=Q(target_weight_kg__isnull=True)
                | Q(target_weight_kg__gt=0, target_weight_kg__lte=500),
                name="goal_target_weight_range",
            ),
            # A calculated goal always carries what it was calculated from.
            models.CheckConstraint(
                condition=Q(goal_type=GoalType.MANUAL)
                | Q(
                    gender__isnull=False,
                    birth_date__isnull=False,
                    height_cm__isnull=False,
                    current_weight_kg__isnull=False,
                    activity_level__isnull=False,
                    weight_goal_type__isnull=False,
                    bmr_kcal__isnull=False,
                    tdee_kcal__isnull=False,
                    current_bmi__isnull=False,
                    bmi_category__isnull=False,
                ),
                name="goal_calculated_has_metrics",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_goal_type_display()} goal: "
            f"{readable_number(self.daily_calories_kcal)} kcal/day"
        )


# The goal's own columns in declaration order, as the API shows them: every
# other list of goal fields is derived from the model (serializers, services).
GOAL_FIELDS = tuple(
    field.name
    for field in Goal._meta.concrete_fields
    if field.name not in {base.name for base in DeviceOwnedModel._meta.fields}
)
