"""devices.goals.services: goal writes called directly, their rows and their errors."""

from datetime import date
from decimal import Decimal

import pytest

from devices.goals import calculator as calc
from devices.goals.models import GOAL_FIELDS, Goal
from devices.goals.services import (
    ImplausibleMetrics,
    PercentSum,
    goal_plan,
    goal_restore,
    goal_save_calculated,
    goal_save_manual,
    goal_update,
)
from tests.factories import GoalFactory

TODAY = date(2026, 3, 14)


def worked_example(**changes) -> calc.BodyMetrics:
    """docs/api.md §7's worked example: male, 30 y, 180 cm, 80 kg, moderate, maintain."""
    values = {
        "gender": calc.Gender.MALE,
        "birth_date": date(1995, 3, 14),
        "height_cm": Decimal(180),
        "weight_kg": Decimal(80),
        "activity_level": calc.ActivityLevel.MODERATE,
        "weight_goal_type": calc.WeightGoalType.MAINTAIN,
    }
    return calc.BodyMetrics(**{**values, **changes})


def codes(error) -> list[str]:
    return error.get_codes()


def test_a_plan_of_plausible_metrics_is_the_calculators():
    assert goal_plan(metrics=worked_example(), today=TODAY) == calc.calculate_goal(
        worked_example(), today=TODAY
    )


def test_metrics_that_give_no_usable_target_are_implausible():
    tiny = worked_example(height_cm=Decimal(1), weight_kg=Decimal("0.5"))
    with pytest.raises(ImplausibleMetrics) as raised:
        goal_plan(metrics=tiny, today=TODAY)
    assert codes(raised.value) == ["implausible_metrics"]
    assert "basal metabolic rate" in str(raised.value)


@pytest.mark.django_db
class TestGoalSaveCalculated:
    def test_stores_the_metrics_and_the_plan_and_retires_the_live_goal(self, device):
        previous = GoalFactory(device=device, manual=True)

        goal = goal_save_calculated(
            device=device,
            metrics=worked_example(),
            target_weight_kg=Decimal(75),
            protein_percent=30,
            carbs_percent=40,
            water_ml=2000,
        )

        stored = Goal.objects.get(device=device)
        assert stored.pk == goal.pk
        assert (stored.goal_type, stored.gender, stored.current_weight_kg) == (
            "calculated",
            "male",
            Decimal(80),
        )
        assert stored.target_weight_kg == Decimal(75)
        # fat_percent left out: the maintain split's 30 %.
        assert (stored.protein_percent, stored.carbs_percent, stored.fat_percent) == (30, 40, 30)
        assert stored.water_ml == 2000
        assert Goal.all_objects.get(pk=previous.pk).is_deleted

    def test_a_split_that_does_not_sum_to_100_stores_nothing(self, device):
        live = GoalFactory(device=device)

        with pytest.raises(PercentSum) as raised:
            goal_save_calculated(device=device, metrics=worked_example(), protein_percent=40)

        assert codes(raised.value) == ["percent_sum"]
        assert "they sum to 115" in str(raised.value)
        assert list(Goal.objects.filter(device=device)) == [live]

    def test_brings_back_a_deleted_goal_with_every_column_new(self, device):
        deleted = GoalFactory(device=device, manual=True)
        deleted.delete()

        goal = goal_save_calculated(device=device, metrics=worked_example(), goal=deleted)

        assert goal.pk == deleted.pk
        stored = Goal.objects.get(device=device)
        assert (stored.pk, stored.goal_type, stored.bmi_category) == (
            deleted.pk,
            "calculated",
            "normal",
        )


@pytest.mark.django_db
class TestGoalSaveManual:
    def test_derives_the_grams_and_nulls_everything_calculated(self, device):
        deleted = GoalFactory(device=device)
        deleted.delete()

        goal_save_manual(
            device=device,
            daily_calories_kcal=1800,
            protein_percent=30,
            carbs_percent=40,
            fat_percent=30,
            water_ml=2500,
            goal=deleted,
        )

        stored = Goal.objects.get(pk=deleted.pk)
        assert (stored.protein_grams, stored.carbs_grams, stored.fat_grams) == (135, 180, 60)
        targets = {
            "goal_type",
            "daily_calories_kcal",
            "protein_percent",
            "carbs_percent",
            "fat_percent",
            "protein_grams",
            "carbs_grams",
            "fat_grams",
            "water_ml",
        }
        assert {name: getattr(stored, name) for name in GOAL_FIELDS if name not in targets} == (
            dict.fromkeys(set(GOAL_FIELDS) - targets)
        )

    def test_refuses_a_split_that_does_not_sum_to_100(self, device):
        with pytest.raises(PercentSum):
            goal_save_manual(
                device=device,
                daily_calories_kcal=1800,
                protein_percent=30,
                carbs_percent=30,
                fat_percent=30,
                water_ml=2500,
            )
        assert not Goal.all_objects.exists()


@pytest.mark.django_db
class TestGoalUpdate:
    def test_the_grams_follow_the_changed_targets(self, device):
        goal = GoalFactory(device=device, manual=True)
        version = goal.version

        goal_update(goal=goal, daily_calories_kcal=1800, protein_percent=40, carbs_percent=30)

        stored = Goal.objects.get(pk=goal.pk)
        assert (stored.daily_calories_kcal, stored.protein_grams, stored.carbs_grams) == (
            1800,
            180,
            135,
        )
        assert (stored.fat_grams, stored.water_ml, stored.goal_type) == (60, 2000, "manual")
        assert stored.version > version

    def test_a_split_that_no_longer_sums_to_100_changes_nothing(self, device):
        goal = GoalFactory(device=device, manual=True)

        with pytest.raises(PercentSum):
            goal_update(goal=Goal.objects.get(pk=goal.pk), protein_percent=50)

        assert Goal.objects.get(pk=goal.pk).protein_percent == 30


@pytest.mark.django_db
def test_the_back_offices_restore_makes_an_old_goal_the_live_one(device):
    old = GoalFactory(device=device, manual=True)
    old.delete()
    live = GoalFactory(device=device)

    goal_restore(goal=Goal.all_objects.get(pk=old.pk))

    assert list(Goal.objects.filter(device=device)) == [Goal.objects.get(pk=old.pk)]
    assert Goal.all_objects.get(pk=live.pk).is_deleted
