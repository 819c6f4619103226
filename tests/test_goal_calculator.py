"""devices.goals.calculator: the formulas of docs/api.md §7, table by table."""

from datetime import date
from decimal import Decimal

import pytest

from devices.goals import calculator as calc
from devices.goals.calculator import (
    ActivityLevel,
    BmiCategory,
    BodyMetrics,
    Gender,
    MacroSplit,
    WeightChangePace,
    WeightGoalType,
)

TODAY = date(2026, 6, 15)
THIRTY_YEARS_AGO = date(1996, 6, 15)


def metrics(**overrides) -> BodyMetrics:
    """The worked example (male, 30 y, 180 cm, 80 kg, moderate, maintain), with changes."""
    values = {
        "gender": Gender.MALE,
        "birth_date": THIRTY_YEARS_AGO,
        "height_cm": Decimal("180"),
        "weight_kg": Decimal("80"),
        "activity_level": ActivityLevel.MODERATE,
        "weight_goal_type": WeightGoalType.MAINTAIN,
        "weight_change_pace": None,
    }
    return BodyMetrics(**{**values, **overrides})


def test_worked_example():
    plan = calc.calculate_goal(metrics(), today=TODAY)

    assert plan == calc.GoalPlan(
        bmr_kcal=1780,
        tdee_kcal=2759,
        daily_calories_kcal=2759,
        protein_percent=25,
        carbs_percent=45,
        fat_percent=30,
        protein_grams=172,
        carbs_grams=310,
        fat_grams=91,
        water_ml=2640,
        healthy_weight_min_kg=Decimal("59.9"),
        healthy_weight_max_kg=Decimal("80.7"),
        current_bmi=Decimal("24.7"),
        bmi_category=BmiCategory.NORMAL,
    )


def test_female():
    # 10·60 + 6.25·165 − 5·30 − 161 = 1320.25
    plan = calc.calculate_goal(
        metrics(
            gender=Gender.FEMALE,
            height_cm=Decimal("165"),
            weight_kg=Decimal("60"),
            activity_level=ActivityLevel.SEDENTARY,
        ),
        today=TODAY,
    )

    assert (plan.bmr_kcal, plan.tdee_kcal, plan.daily_calories_kcal) == (1320, 1584, 1584)
    assert (plan.protein_grams, plan.carbs_grams, plan.fat_grams) == (99, 178, 52)
    assert plan.water_ml == 1980
    assert (plan.current_bmi, plan.bmi_category) == (Decimal("22.0"), BmiCategory.NORMAL)
    assert (plan.healthy_weight_min_kg, plan.healthy_weight_max_kg) == (
        Decimal("50.4"),
        Decimal("67.8"),
    )


@pytest.mark.parametrize(
    ("activity_level", "tdee"),
    [
        (ActivityLevel.SEDENTARY, 2136),  # 1780 × 1.2
        (ActivityLevel.LIGHT, 2447),  # 1780 × 1.375 = 2447.5
        (ActivityLevel.MODERATE, 2759),  # 1780 × 1.55
        (ActivityLevel.ACTIVE, 3070),  # 1780 × 1.725 = 3070.5
        (ActivityLevel.VERY_ACTIVE, 3382),  # 1780 × 1.9
    ],
)
def test_each_activity_level_multiplies_the_bmr(activity_level, tdee):
    plan = calc.calculate_goal(metrics(activity_level=activity_level), today=TODAY)
    assert (plan.bmr_kcal, plan.tdee_kcal, plan.daily_calories_kcal) == (1780, tdee, tdee)


@pytest.mark.parametrize(
    ("goal_type", "pace", "target"),
    [
        (WeightGoalType.LOSE, WeightChangePace.SLOW, 2509),
        (WeightGoalType.LOSE, WeightChangePace.MODERATE, 2259),
        (WeightGoalType.LOSE, WeightChangePace.AGGRESSIVE, 2009),
        (WeightGoalType.LOSE, None, 2259),  # moderate by default
        (WeightGoalType.GAIN, WeightChangePace.SLOW, 3009),
        (WeightGoalType.GAIN, WeightChangePace.MODERATE, 3259),
        (WeightGoalType.GAIN, WeightChangePace.AGGRESSIVE, 3509),
        (WeightGoalType.GAIN, None, 3259),
        (WeightGoalType.MAINTAIN, WeightChangePace.AGGRESSIVE, 2759),  # pace ignored
    ],
)
def test_each_pace_shifts_the_target_from_tdee(goal_type, pace, target):
    plan = calc.calculate_goal(
        metrics(weight_goal_type=goal_type, weight_change_pace=pace), today=TODAY
    )
    assert plan.tdee_kcal == 2759
    assert plan.daily_calories_kcal == target


def test_lose_never_goes_below_1200():
    # 10·45 + 6.25·150 − 5·60 − 161 = 926.5 → 926; × 1.2 → 1111; − 750 would be 361.
    plan = calc.calculate_goal(
        metrics(
            gender=Gender.FEMALE,
            birth_date=date(1966, 6, 15),
            height_cm=Decimal("150"),
            weight_kg=Decimal("45"),
            activity_level=ActivityLevel.SEDENTARY,
            weight_goal_type=WeightGoalType.LOSE,
            weight_change_pace=WeightChangePace.AGGRESSIVE,
        ),
        today=TODAY,
    )
    assert (plan.bmr_kcal, plan.tdee_kcal, plan.daily_calories_kcal) == (926, 1111, 1200)
    assert (plan.protein_percent, plan.carbs_percent, plan.fat_percent) == (30, 35, 35)
    assert (plan.protein_grams, plan.carbs_grams, plan.fat_grams) == (90, 105, 46)


@pytest.mark.parametrize(
    ("goal_type", "pace", "split", "grams"),
    [
        (WeightGoalType.LOSE, WeightChangePace.MODERATE, (30, 35, 35), (169, 197, 87)),  # 2259
        (WeightGoalType.MAINTAIN, None, (25, 45, 30), (172, 310, 91)),  # 2759
        (WeightGoalType.GAIN, WeightChangePace.SLOW, (30, 45, 25), (225, 338, 83)),  # 3009
    ],
)
def test_default_macro_split_of_each_goal_type(goal_type, pace, split, grams):
    plan = calc.calculate_goal(
        metrics(weight_goal_type=goal_type, weight_change_pace=pace), today=TODAY
    )
    assert (plan.protein_percent, plan.carbs_percent, plan.fat_percent) == split
    assert (plan.protein_grams, plan.carbs_grams, plan.fat_grams) == grams


def test_a_given_split_replaces_the_default():
    plan = calc.calculate_goal(metrics(), today=TODAY, split=MacroSplit(40, 30, 30))
    assert (plan.protein_percent, plan.carbs_percent, plan.fat_percent) == (40, 30, 30)
    # 2759 × 40 ÷ 400 = 275.9; × 30 ÷ 400 = 206.9; × 30 ÷ 900 = 91.9
    assert (plan.protein_grams, plan.carbs_grams, plan.fat_grams) == (275, 206, 91)


@pytest.mark.parametrize("parts", [(30, 30, 30), (50, 50, 1), (-10, 60, 50)])
def test_a_split_must_be_non_negative_and_sum_to_100(parts):
    with pytest.raises(ValueError, match="summing to 100"):
        MacroSplit(*parts)


@pytest.mark.parametrize(
    ("weight_kg", "water_ml"),
    [
        (Decimal("80"), 2640),
        (Decimal("80.5"), 2656),  # 2656.5 truncated
        (Decimal("303.03"), 9999),
        (Decimal("400"), 10000),  # 13200 capped at the stored maximum
    ],
)
def test_water_is_33_ml_per_kg_truncated_and_capped(weight_kg, water_ml):
    assert calc.water_target_ml(weight_kg=weight_kg) == water_ml


@pytest.mark.parametrize(
    ("weight_kg", "bmi", "category"),
    [
        # At 100 cm the BMI is the weight: each threshold belongs to the category above.
        (Decimal("18.4"), Decimal("18.4"), BmiCategory.UNDERWEIGHT),
        (Decimal("18.449"), Decimal("18.4"), BmiCategory.UNDERWEIGHT),
        (Decimal("18.45"), Decimal("18.5"), BmiCategory.NORMAL),  # half up, not half even
        (Decimal("18.5"), Decimal("18.5"), BmiCategory.NORMAL),
        (Decimal("24.9"), Decimal("24.9"), BmiCategory.NORMAL),
        (Decimal("24.96"), Decimal("25.0"), BmiCategory.OVERWEIGHT),  # the shown value decides
        (Decimal("25"), Decimal("25.0"), BmiCategory.OVERWEIGHT),
        (Decimal("29.9"), Decimal("29.9"), BmiCategory.OVERWEIGHT),
        (Decimal("30"), Decimal("30.0"), BmiCategory.OBESE),
        (Decimal("45"), Decimal("45.0"), BmiCategory.OBESE),
    ],
)
def test_bmi_and_category_boundaries(weight_kg, bmi, category):
    plan = calc.calculate_goal(metrics(height_cm=Decimal("100"), weight_kg=weight_kg), today=TODAY)
    assert plan.current_bmi == bmi
    assert plan.current_bmi.as_tuple().exponent == -1
    assert plan.bmi_category == category


@pytest.mark.parametrize(
    ("height_cm", "healthy_min", "healthy_max"),
    [
        (Decimal("180"), Decimal("59.9"), Decimal("80.7")),  # 59.94, 80.676
        (Decimal("165"), Decimal("50.4"), Decimal("67.8")),  # 50.366, 67.790
        (Decimal("100"), Decimal("18.5"), Decimal("24.9")),
    ],
)
def test_healthy_weight_range_is_bmi_18_5_to_24_9_at_the_height(
    height_cm, healthy_min, healthy_max
):
    assert calc.healthy_weight_range(height_cm=height_cm) == (healthy_min, healthy_max)


@pytest.mark.parametrize(
    ("birth_date", "today", "age"),
    [
        (date(2000, 6, 15), date(2030, 6, 15), 30),  # on the birthday
        (date(2000, 6, 15), date(2030, 6, 14), 29),  # the day before
        (date(2000, 6, 15), date(2030, 12, 31), 30),
        (date(2000, 2, 29), date(2013, 2, 28), 12),  # leap-day birthday, common year
        (date(2000, 2, 29), date(2013, 3, 1), 13),
        (date(2000, 2, 29), date(2016, 2, 29), 16),
        (date(2030, 6, 16), date(2030, 6, 15), -1),  # born tomorrow
    ],
)
def test_age_in_whole_years(birth_date, today, age):
    assert calc.age_on(birth_date, today) == age


def test_age_enters_the_bmr():
    day_before_31st_birthday = date(2027, 6, 14)
    on_31st_birthday = date(2027, 6, 15)
    assert calc.calculate_goal(metrics(), today=day_before_31st_birthday).bmr_kcal == 1780
    assert calc.calculate_goal(metrics(), today=on_31st_birthday).bmr_kcal == 1775


def test_bmr_is_truncated_toward_zero():
    # 10·70.05 + 6.25·175.5 − 5·40 + 5 = 1602.375
    bmr = calc.basal_metabolic_rate(
        gender=Gender.MALE, weight_kg=Decimal("70.05"), height_cm=Decimal("175.5"), age=40
    )
    assert bmr == 1602
