"""The anonymous account: a device, and the goals and body weights it records."""

from datetime import datetime, timedelta
from enum import StrEnum

from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.utils import timezone

from countonme.base.models import LIVE, ChangeCounterModel, DeviceOwnedModel
from countonme.base.numbers import readable_number
from devices import goal_calculator

# last_seen_at is refreshed at most this often: a write per request would turn
# every read into a write.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


class Device(ChangeCounterModel):
    """A phone running the app. The device id is the account; it has no password.

    ``token_hash`` is the keyed hash of the current token's secret
    (``devices.tokens``). A rotation moves the old hash to
    ``previous_token_hash``, which keeps working until the new token is first
    used: a rotation whose answer was lost costs the app nothing.
    """

    id = models.UUIDField(primary_key=True, help_text="Chosen by the app.")
    token_hash = models.CharField(max_length=64, editable=False)
    previous_token_hash = models.CharField(
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text="The token a rotation replaced; cleared when the new one is first used.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    token_rotated_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set by support staff to lock the device out (403 device_revoked).",
    )
    repairing_allowed_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            "Set by support staff (devices.services.device_allow_repairing): until then, "
            "one registration of this id without a token succeeds and takes this grant."
        ),
    )

    class Meta:
        verbose_name = "device"
        verbose_name_plural = "devices"
        ordering = ["-created_at"]
        # The back office's actions (devices/admin.py); the support group gets
        # all but erasure (entries/migrations/0003_support_group.py).
        permissions = [
            ("revoke_device", "Can revoke and un-revoke devices"),
            ("allow_repairing_device", "Can allow a device to pair again"),
            ("export_device", "Can export a device's data"),
            ("erase_device", "Can erase a device and all its data"),
        ]

    def __str__(self) -> str:
        return str(self.id)

    # DRF's IsAuthenticated asks the authenticated principal these questions.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def is_revoked(self) -> bool:
        """Whether support staff revoked the device."""
        return self.revoked_at is not None

    @property
    def has_authenticated(self) -> bool:
        """Whether the device ever made an authenticated request (only those set last_seen_at).

        A device that never did owns nothing yet: registering its id again
        without a token gives nobody anything (``devices.services.device_register``).
        """
        return self.last_seen_at is not None

    def last_seen_is_stale(self, now: datetime) -> bool:
        """Whether ``last_seen_at`` is old enough to be written again."""
        return self.last_seen_at is None or now - self.last_seen_at >= LAST_SEEN_RESOLUTION


# --- Goals and body weights ----------------------------------------------------------

# Heights and weights: 3 decimal places like every amount of the API.
BODY_METRIC = {"max_digits": 7, "decimal_places": 3}
# BMI and the healthy weight range are stored as shown: one decimal.
ONE_DECIMAL = {"max_digits": 5, "decimal_places": 1}
MAX_DAILY_CALORIES_KCAL = 10000
MAX_WATER_ML = goal_calculator.MAX_WATER_ML


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
        max_length=6, choices=enum_choices(goal_calculator.Gender), null=True, blank=True
    )
    birth_date = models.DateField(null=True, blank=True)
    height_cm = models.DecimalField(**BODY_METRIC, null=True, blank=True)
    current_weight_kg = models.DecimalField(**BODY_METRIC, null=True, blank=True)
    target_weight_kg = models.DecimalField(**BODY_METRIC, null=True, blank=True)
    activity_level = models.CharField(  # noqa: DJ001 - null: a manual goal has no metrics
        max_length=11, choices=enum_choices(goal_calculator.ActivityLevel), null=True, blank=True
    )
    weight_goal_type = models.CharField(  # noqa: DJ001 - null: a manual goal has no metrics
        max_length=8, choices=enum_choices(goal_calculator.WeightGoalType), null=True, blank=True
    )
    weight_change_pace = models.CharField(  # noqa: DJ001 - null: maintain and manual have none
        max_length=10, choices=enum_choices(goal_calculator.WeightChangePace), null=True, blank=True
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
        max_length=11, choices=enum_choices(goal_calculator.BmiCategory), null=True, blank=True
    )

    class Meta(DeviceOwnedModel.Meta):
        verbose_name = "goal"
        verbose_name_plural = "goals"
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


class BodyWeight(DeviceOwnedModel):
    """A weigh-in on one of the user's local calendar days; one live weight per day."""

    day = models.DateField(help_text="The user's local calendar day.")
    weight_kg = models.DecimalField(max_digits=7, decimal_places=3)

    class Meta(DeviceOwnedModel.Meta):
        verbose_name = "body weight"
        verbose_name_plural = "body weights"
        permissions = [("restore_bodyweight", "Can restore deleted body weights")]
        constraints = [
            # Its partial unique index, (device_id, day) WHERE deleted_at IS NULL,
            # is also the index of the list (a device's live rows by day, within
            # from/to): a second index on the same columns would only slow writes.
            models.UniqueConstraint(
                fields=["device", "day"], condition=LIVE, name="bodyweight_one_live_per_day"
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__gt=0) & Q(weight_kg__lte=1000),
                name="bodyweight_weight_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()}: {readable_number(self.weight_kg)} kg"
