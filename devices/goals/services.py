"""Goal writes and their rules: the plan of a calculated goal, the macro split, one live goal.

Each write keeps "at most one live goal per device": the live goal retires
(soft delete) in the same transaction as the new one is stored. Call under
the device's write lock (the API's views take it). The errors are the API's
answers (400 ``percent_sum``, 400 ``implausible_metrics``).
"""

import uuid
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions

from countonme.base.models import ChangeCounterModel
from countonme.base.numbers import readable_number
from devices.goals import calculator as calc
from devices.goals.models import GOAL_FIELDS, MAX_DAILY_CALORIES_KCAL, Goal, GoalType

# current_bmi is stored with 5 digits, one of them after the point.
MAX_BMI = Decimal("9999.9")


class PercentSum(exceptions.ValidationError):
    """400 ``percent_sum`` (``attr`` null): the three percentages do not sum to 100."""

    def __init__(self, total: int) -> None:
        super().__init__(
            "protein_percent, carbs_percent and fat_percent must sum to 100 "
            f"(they sum to {total}).",
            code="percent_sum",
        )


class ImplausibleMetrics(exceptions.ValidationError):
    """400 ``implausible_metrics`` (``attr`` null): valid inputs that give no usable target."""

    def __init__(self, problem: str) -> None:
        super().__init__(
            f"These body metrics give {problem}: check height_cm, current_weight_kg "
            "and birth_date.",
            code="implausible_metrics",
        )


def macro_split(*, protein_percent: int, carbs_percent: int, fat_percent: int) -> calc.MacroSplit:
    """The split of three whole percentages; ``PercentSum`` unless they sum to 100."""
    total = protein_percent + carbs_percent + fat_percent
    if total != 100:
        raise PercentSum(total)
    return calc.MacroSplit(protein_percent, carbs_percent, fat_percent)


def goal_plan(
    *, metrics: calc.BodyMetrics, split: calc.MacroSplit | None = None, today: date | None = None
) -> calc.GoalPlan:
    """Every target for ``metrics`` (``calc.calculate_goal``), ages counted to ``today``.

    ``today`` defaults to the server's date (UTC): the request carries no
    "today", and the one-day difference only matters on the 13th and 121st
    birthdays. Every input may be within its range and the combination still
    give targets no goal can hold (a few cm tall, 500 kg heavy): then
    ``ImplausibleMetrics`` rather than a preview that cannot be saved or a
    database error.
    """
    plan = calc.calculate_goal(metrics, today=today or timezone.localdate(), split=split)
    if plan.bmr_kcal < 1:
        raise ImplausibleMetrics(
            f"a basal metabolic rate of {readable_number(plan.bmr_kcal)} kcal/day"
        )
    if not 1 <= plan.daily_calories_kcal <= MAX_DAILY_CALORIES_KCAL:
        raise ImplausibleMetrics(
            f"a daily target of {readable_number(plan.daily_calories_kcal)} kcal, "
            f"outside 1–{readable_number(MAX_DAILY_CALORIES_KCAL)}"
        )
    if plan.current_bmi > MAX_BMI:
        raise ImplausibleMetrics(f"a BMI above {readable_number(MAX_BMI)}")
    return plan


def goal_preview(*, metrics: calc.BodyMetrics, today: date | None = None) -> calc.GoalPlan:
    """What ``POST /v1/goals/calculate`` answers: the plan of ``metrics``, saved nowhere.

    The default split of the weight goal type; ages counted to ``today`` (as
    ``goal_plan``). Raises ``ImplausibleMetrics`` (400), as saving the same
    metrics would.
    """
    return goal_plan(metrics=metrics, today=today)


def calculated_goal_columns(
    *,
    metrics: calc.BodyMetrics,
    target_weight_kg: Decimal | None = None,
    protein_percent: int | None = None,
    carbs_percent: int | None = None,
    fat_percent: int | None = None,
    water_ml: int | None = None,
) -> dict[str, Any]:
    """The goal columns of a goal calculated from ``metrics``, written nowhere.

    Percentages left out take the weight goal type's default split
    (``calc.DEFAULT_SPLITS``); ``water_ml`` replaces the calculated 33 ml/kg.
    ``target_weight_kg`` is kept with the metrics (the calculation does not
    use it). Raises ``PercentSum`` and ``ImplausibleMetrics`` (400).
    """
    default = calc.DEFAULT_SPLITS[metrics.weight_goal_type]
    split = macro_split(
        protein_percent=default.protein_percent if protein_percent is None else protein_percent,
        carbs_percent=default.carbs_percent if carbs_percent is None else carbs_percent,
        fat_percent=default.fat_percent if fat_percent is None else fat_percent,
    )
    plan = asdict(goal_plan(metrics=metrics, split=split))
    if water_ml is not None:
        plan["water_ml"] = water_ml
    return {
        "goal_type": GoalType.CALCULATED,
        "gender": metrics.gender,
        "birth_date": metrics.birth_date,
        "height_cm": metrics.height_cm,
        "current_weight_kg": metrics.weight_kg,
        "target_weight_kg": target_weight_kg,
        "activity_level": metrics.activity_level,
        "weight_goal_type": metrics.weight_goal_type,
        "weight_change_pace": metrics.weight_change_pace,
        **plan,
    }


def goal_save_calculated(
    *,
    device: ChangeCounterModel,
    id: uuid.UUID | None = None,
    goal: Goal | None = None,
    **inputs: Any,
) -> Goal:
    """Save the goal calculated from ``inputs`` as the device's live goal; the goal.

    ``inputs`` are the keywords of ``calculated_goal_columns`` (its signature
    types them, once); ``id`` and ``goal`` as for ``goal_save``. Raises
    ``PercentSum`` and ``ImplausibleMetrics`` (400).
    """
    return goal_save(device=device, id=id, goal=goal, columns=calculated_goal_columns(**inputs))


def manual_goal_columns(
    *,
    daily_calories_kcal: int,
    protein_percent: int,
    carbs_percent: int,
    fat_percent: int,
    water_ml: int,
) -> dict[str, Any]:
    """The goal columns of targets chosen by the user, written nowhere; the macro grams follow.

    A manual goal has no body metrics nor indicators: they are left out (null
    when stored). Raises ``PercentSum`` (400).
    """
    split = macro_split(
        protein_percent=protein_percent, carbs_percent=carbs_percent, fat_percent=fat_percent
    )
    grams = calc.macro_grams(daily_calories_kcal=daily_calories_kcal, split=split)
    return {
        "goal_type": GoalType.MANUAL,
        "daily_calories_kcal": daily_calories_kcal,
        **asdict(split),
        **asdict(grams),
        "water_ml": water_ml,
    }


def goal_save_manual(
    *,
    device: ChangeCounterModel,
    id: uuid.UUID | None = None,
    goal: Goal | None = None,
    **inputs: Any,
) -> Goal:
    """Save targets chosen by the user as the device's live goal; the goal.

    ``inputs`` are the keywords of ``manual_goal_columns``; ``id`` and ``goal``
    as for ``goal_save``. Raises ``PercentSum`` (400).
    """
    return goal_save(device=device, id=id, goal=goal, columns=manual_goal_columns(**inputs))


@transaction.atomic
def goal_save(
    *,
    device: ChangeCounterModel,
    columns: dict[str, Any],
    id: uuid.UUID | None = None,
    goal: Goal | None = None,
) -> Goal:
    """Write ``columns`` as the device's one live goal, retiring the live one; the goal.

    ``columns`` are ``calculated_goal_columns``'s or ``manual_goal_columns``'s.
    ``goal``, a soft-deleted goal of the device, is brought back instead of a
    new row with ``id`` (a create replayed on its id). Every goal column not
    in ``columns`` is null: a restored goal keeps nothing of its previous
    life. Both writes share one transaction: a device never has zero live
    goals after a failed save, nor two after a successful one.
    """
    Goal.objects.filter(device=device).delete()
    if goal is None:
        goal = Goal(device=device)
        if id is not None:
            goal.id = id
    for name in GOAL_FIELDS:
        setattr(goal, name, columns.get(name))
    goal.deleted_at = None
    goal.save(force_insert=goal._state.adding)
    return goal


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    daily_calories_kcal: int | None = None,
    protein_percent: int | None = None,
    carbs_percent: int | None = None,
    fat_percent: int | None = None,
    water_ml: int | None = None,
) -> Goal:
    """Change a live goal's targets; arguments left out keep their value.

    The three percentages must still sum to 100 (else ``PercentSum``, 400)
    and the macro grams are computed again. The goal type and body metrics stay.
    """
    if daily_calories_kcal is not None:
        goal.daily_calories_kcal = daily_calories_kcal
    split = macro_split(
        protein_percent=goal.protein_percent if protein_percent is None else protein_percent,
        carbs_percent=goal.carbs_percent if carbs_percent is None else carbs_percent,
        fat_percent=goal.fat_percent if fat_percent is None else fat_percent,
    )
    grams = calc.macro_grams(daily_calories_kcal=goal.daily_calories_kcal, split=split)
    for name, value in {**asdict(split), **asdict(grams)}.items():
        setattr(goal, name, value)
    if water_ml is not None:
        goal.water_ml = water_ml
    goal.save()
    return goal


@transaction.atomic
def goal_restore(*, goal: Goal) -> Goal:
    """Bring a soft-deleted goal back as it was (the back office); the live one retires."""
    Goal.objects.filter(device_id=goal.device_id).delete()
    goal.deleted_at = None
    goal.save()
    return goal
