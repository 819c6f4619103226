"""A day of a device's diary as the app shows it: entries by meal, totals against the goal."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse

from countonme.base.admin import admin_number
from devices.models import Device, Goal
from entries.models import FoodEntry, MealType

NUTRIENTS = ["calories", "protein", "carbs", "fat"]
UNITS = {"calories": "kcal", "protein": "g", "carbs": "g", "fat": "g"}


def _sums(entries: list[FoodEntry]) -> dict[str, Decimal]:
    return {name: sum((getattr(e, name) for e in entries), Decimal(0)) for name in NUTRIENTS}


def _shown(values: dict[str, Decimal]) -> list[str]:
    # kcal as whole numbers, grams with one decimal: how the app shows them.
    return [
        admin_number(values[name], UNITS[name], places=0 if name == "calories" else 1)
        for name in NUTRIENTS
    ]


def day_context(device: Device, day: date, goal: Goal | None) -> dict[str, Any]:
    """The day's live entries grouped by meal (the app's order), each with its row's link.

    ``{"date", "meals": [{"label", "entries": [{"name", "amount", "values", "url"}],
    "totals"}], "totals", "goal": [(nutrient label, total, goal, over)] | None}``;
    values are display strings (kcal whole, grams to 0.1).
    """
    entries = list(
        FoodEntry.objects.filter(device=device, day=day)
        .select_related("product")
        .order_by("created_at", "id")
    )
    meals = []
    for meal in MealType:
        of_meal = [e for e in entries if e.meal_type == meal.value]
        if not of_meal:
            continue
        meals.append(
            {
                "label": meal.label,
                "entries": [
                    {
                        "name": entry.product.name,
                        "amount": admin_number(entry.amount, entry.unit),
                        "values": _shown({n: getattr(entry, n) for n in NUTRIENTS}),
                        "url": reverse("admin:entries_foodentry_change", args=[entry.pk]),
                    }
                    for entry in of_meal
                ],
                "totals": _shown(_sums(of_meal)),
            }
        )
    totals = _sums(entries)
    against = None
    if goal is not None:
        goals = {
            "calories": goal.daily_calories_kcal,
            "protein": goal.protein_grams,
            "carbs": goal.carbs_grams,
            "fat": goal.fat_grams,
        }
        against = [
            (
                name if name != "calories" else "energy",
                admin_number(totals[name], UNITS[name], places=0 if name == "calories" else 1),
                admin_number(goals[name], UNITS[name]),
                totals[name] > goals[name],
            )
            for name in NUTRIENTS
        ]
    return {"date": day, "meals": meals, "totals": _shown(totals), "goal": against}
