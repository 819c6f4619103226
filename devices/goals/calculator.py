"""Daily targets from body metrics (docs/api.md §7): Mifflin–St Jeor, macros, water, BMI.

Pure Python: no models, no database, no clock (the caller passes ``today``).
Heights and weights arrive as 3-place ``Decimal`` values and all arithmetic
stays in ``Decimal``: the truncations and the half-up rounding of BMI see the
exact value (a BMI of exactly 18.45 rounds to 18.5; as a binary float it is
18.4499... and would round to 18.4).
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Gender(StrEnum):
    """Sex used by the Mifflin–St Jeor equation."""

    MALE = "male"
    FEMALE = "female"


class ActivityLevel(StrEnum):
    """Daily activity; each level has a TDEE multiplier."""

    SEDENTARY = "sedentary"
    LIGHT = "light"
    MODERATE = "moderate"
    ACTIVE = "active"
    VERY_ACTIVE = "very_active"


class WeightGoalType(StrEnum):
    """Whether the user wants to lose, keep or gain weight."""

    LOSE = "lose"
    MAINTAIN = "maintain"
    GAIN = "gain"


class WeightChangePace(StrEnum):
    """How fast to lose or gain; each pace is a daily calorie offset."""

    SLOW = "slow"
    MODERATE = "moderate"
    AGGRESSIVE = "aggressive"


class BmiCategory(StrEnum):
    """WHO adult BMI categories."""

    UNDERWEIGHT = "underweight"
    NORMAL = "normal"
    OVERWEIGHT = "overweight"
    OBESE = "obese"


ACTIVITY_MULTIPLIERS: dict[ActivityLevel, Decimal] = {
    ActivityLevel.SEDENTARY: Decimal("1.2"),
    ActivityLevel.LIGHT: Decimal("1.375"),
    ActivityLevel.MODERATE: Decimal("1.55"),
    ActivityLevel.ACTIVE: Decimal("1.725"),
    ActivityLevel.VERY_ACTIVE: Decimal("1.9"),
}

PACE_KCAL: dict[WeightChangePace, int] = {
    WeightChangePace.SLOW: 250,
    WeightChangePace.MODERATE: 500,
    WeightChangePace.AGGRESSIVE: 750,
}
DEFAULT_PACE = WeightChangePace.MODERATE

# A weight-loss target never goes below this, whatever the TDEE and pace.
MIN_LOSE_CALORIES_KCAL = 1200

WATER_ML_PER_KG = 33
# The largest water target a goal stores (docs/api.md §7: water_ml 0–10000). 33 ml/kg
# passes it only above 303 kg, where more than 10 l a day is no sane advice.
MAX_WATER_ML = 10000

# BMI category thresholds (lower bound of the next category) and healthy range.
BMI_NORMAL_FROM = Decimal("18.5")
BMI_OVERWEIGHT_FROM = Decimal("25")
BMI_OBESE_FROM = Decimal("30")
HEALTHY_BMI_MIN = Decimal("18.5")
HEALTHY_BMI_MAX = Decimal("24.9")

ONE_DECIMAL = Decimal("0.1")
KCAL_PER_GRAM_PROTEIN = 4
KCAL_PER_GRAM_CARBS = 4
KCAL_PER_GRAM_FAT = 9


@dataclass(frozen=True)
class MacroSplit:
    """Share of the daily calories from protein, carbs and fat, in whole percent."""

    protein_percent: int
    carbs_percent: int
    fat_percent: int

    def __post_init__(self) -> None:
        parts = (self.protein_percent, self.carbs_percent, self.fat_percent)
        if any(part < 0 for part in parts) or sum(parts) != 100:
            raise ValueError(f"A macro split needs non-negative parts summing to 100, got {parts}.")


DEFAULT_SPLITS: dict[WeightGoalType, MacroSplit] = {
    WeightGoalType.LOSE: MacroSplit(30, 35, 35),
    WeightGoalType.MAINTAIN: MacroSplit(25, 45, 30),
    WeightGoalType.GAIN: MacroSplit(30, 45, 25),
}


@dataclass(frozen=True)
class MacroGrams:
    """Daily grams of protein, carbs and fat."""

    protein_grams: int
    carbs_grams: int
    fat_grams: int


@dataclass(frozen=True)
class BodyMetrics:
    """What the calculation needs to know about the user."""

    gender: Gender
    birth_date: date
    height_cm: Decimal
    weight_kg: Decimal
    activity_level: ActivityLevel
    weight_goal_type: WeightGoalType
    weight_change_pace: WeightChangePace | None = None


@dataclass(frozen=True)
class GoalPlan:
    """Every target and indicator derived from one set of body metrics."""

    bmr_kcal: int
    tdee_kcal: int
    daily_calories_kcal: int
    protein_percent: int
    carbs_percent: int
    fat_percent: int
    protein_grams: int
    carbs_grams: int
    fat_grams: int
    water_ml: int
    healthy_weight_min_kg: Decimal
    healthy_weight_max_kg: Decimal
    current_bmi: Decimal
    bmi_category: BmiCategory


def age_on(birth_date: date, today: date) -> int:
    """Whole years from ``birth_date`` to ``today`` (negative when born after ``today``).

    A 29 February birthday counts on 1 March in common years.
    """
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - int(before_birthday)


def basal_metabolic_rate(
    *, gender: Gender, weight_kg: Decimal, height_cm: Decimal, age: int
) -> int:
    """Mifflin–St Jeor BMR in kcal/day, truncated toward zero."""
    offset = 5 if gender == Gender.MALE else -161
    return int(10 * weight_kg + Decimal("6.25") * height_cm - 5 * age + offset)


def total_daily_energy_expenditure(*, bmr_kcal: int, activity_level: ActivityLevel) -> int:
    """TDEE: the BMR times the activity multiplier, truncated toward zero."""
    return int(bmr_kcal * ACTIVITY_MULTIPLIERS[activity_level])


def daily_calorie_target(
    *,
    tdee_kcal: int,
    weight_goal_type: WeightGoalType,
    weight_change_pace: WeightChangePace | None = None,
) -> int:
    """The daily calorie target: TDEE shifted by the pace (moderate when not given).

    A loss target never goes below ``MIN_LOSE_CALORIES_KCAL``.
    """
    pace_kcal = PACE_KCAL[weight_change_pace or DEFAULT_PACE]
    if weight_goal_type == WeightGoalType.LOSE:
        return max(tdee_kcal - pace_kcal, MIN_LOSE_CALORIES_KCAL)
    if weight_goal_type == WeightGoalType.GAIN:
        return tdee_kcal + pace_kcal
    return tdee_kcal


def macro_grams(*, daily_calories_kcal: int, split: MacroSplit) -> MacroGrams:
    """Grams of each macro: calories × percent ÷ 100 ÷ kcal per gram, truncated."""

    def grams(percent: int, kcal_per_gram: int) -> int:
        # Integer arithmetic: exact, and truncation is floor for non-negative values.
        return daily_calories_kcal * percent // (100 * kcal_per_gram)

    return MacroGrams(
        protein_grams=grams(split.protein_percent, KCAL_PER_GRAM_PROTEIN),
        carbs_grams=grams(split.carbs_percent, KCAL_PER_GRAM_CARBS),
        fat_grams=grams(split.fat_percent, KCAL_PER_GRAM_FAT),
    )


def water_target_ml(*, weight_kg: Decimal) -> int:
    """33 ml per kg of body weight, truncated, at most ``MAX_WATER_ML``."""
    return min(int(WATER_ML_PER_KG * weight_kg), MAX_WATER_ML)


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _square_metres(height_cm: Decimal) -> Decimal:
    metres = height_cm / 100
    return metres * metres


def body_mass_index(*, weight_kg: Decimal, height_cm: Decimal) -> Decimal:
    """BMI (kg/m²), rounded half up to one decimal."""
    return _one_decimal(weight_kg / _square_metres(height_cm))


def bmi_category(bmi: Decimal) -> BmiCategory:
    """The category of a BMI: each threshold belongs to the category above it."""
    if bmi < BMI_NORMAL_FROM:
        return BmiCategory.UNDERWEIGHT
    if bmi < BMI_OVERWEIGHT_FROM:
        return BmiCategory.NORMAL
    if bmi < BMI_OBESE_FROM:
        return BmiCategory.OVERWEIGHT
    return BmiCategory.OBESE


def healthy_weight_range(*, height_cm: Decimal) -> tuple[Decimal, Decimal]:
    """Weights (kg, one decimal) at BMI 18.5 and 24.9 for this height."""
    area = _square_metres(height_cm)
    return _one_decimal(HEALTHY_BMI_MIN * area), _one_decimal(HEALTHY_BMI_MAX * area)


def calculate_goal(
    metrics: BodyMetrics, *, today: date, split: MacroSplit | None = None
) -> GoalPlan:
    """Every target for ``metrics`` as of ``today``.

    ``split`` replaces the default macro split of the weight goal type. The BMI
    category is taken from the one-decimal BMI, so the category and the number
    the user sees always agree.
    """
    bmr_kcal = basal_metabolic_rate(
        gender=metrics.gender,
        weight_kg=metrics.weight_kg,
        height_cm=metrics.height_cm,
        age=age_on(metrics.birth_date, today),
    )
    tdee_kcal = total_daily_energy_expenditure(
        bmr_kcal=bmr_kcal, activity_level=metrics.activity_level
    )
    daily_calories_kcal = daily_calorie_target(
        tdee_kcal=tdee_kcal,
        weight_goal_type=metrics.weight_goal_type,
        weight_change_pace=metrics.weight_change_pace,
    )
    split = split or DEFAULT_SPLITS[metrics.weight_goal_type]
    grams = macro_grams(daily_calories_kcal=daily_calories_kcal, split=split)
    bmi = body_mass_index(weight_kg=metrics.weight_kg, height_cm=metrics.height_cm)
    healthy_min, healthy_max = healthy_weight_range(height_cm=metrics.height_cm)
    return GoalPlan(
        bmr_kcal=bmr_kcal,
        tdee_kcal=tdee_kcal,
        daily_calories_kcal=daily_calories_kcal,
        protein_percent=split.protein_percent,
        carbs_percent=split.carbs_percent,
        fat_percent=split.fat_percent,
        protein_grams=grams.protein_grams,
        carbs_grams=grams.carbs_grams,
        fat_grams=grams.fat_grams,
        water_ml=water_target_ml(weight_kg=metrics.weight_kg),
        healthy_weight_min_kg=healthy_min,
        healthy_weight_max_kg=healthy_max,
        current_bmi=bmi,
        bmi_category=bmi_category(bmi),
    )
