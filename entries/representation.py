"""The diary's hot reads: the day list and the stats, from compiled queries and plain rows.

Same bodies as ``FoodEntrySerializer``, ``DayStatsSerializer`` and
``DailyStatsSerializer`` (``tests/test_lean_paths.py`` compares them), for a
fraction of the Python: the SQL is compiled once per process
(``countonme.base.compiled``) and each row is written by one function
(``countonme.base.representation``) instead of a serializer field per column.
"""

import datetime as dt
from typing import Any

from rest_framework.response import Response

from countonme.base.compiled import CompiledQuery
from countonme.base.representation import PagedRows, datetime_writer, decimal_text, lean_page
from devices.models import Goal
from entries import stats
from entries.models import FoodEntry
from entries.serializers import TOTAL_MAX_DIGITS, FoodEntrySerializer

# FoodEntrySerializer's fields are its columns (product_id and portion_id: the
# foreign keys' own); entry_bodies writes them in this order.
ENTRY_COLUMNS = tuple(FoodEntrySerializer.Meta.fields)
GOAL_TARGETS = ("daily_calories_kcal", "protein_grams", "carbs_grams", "fat_grams")

# The list's order (FoodEntryViewSet.get_base_queryset) and FoodEntryFilter's lookups.
_ENTRY_ROWS = CompiledQuery(
    lambda device_id, **lookups: (
        FoodEntry.objects.filter(device_id=device_id, **lookups)
        .order_by("-day", "-created_at", "-id")
        .values_list(*ENTRY_COLUMNS)
    )
)
_CURRENT_GOAL = CompiledQuery(
    lambda device_id: (
        Goal.objects.filter(device_id=device_id).order_by("pk").values_list(*GOAL_TARGETS)
    )
)


def entry_bodies(rows: list[tuple]) -> list[dict[str, Any]]:
    """``FoodEntrySerializer`` bodies of ``ENTRY_COLUMNS`` rows."""
    write_datetime = datetime_writer()
    return [
        {
            "id": str(pk),
            "product_id": str(product_id),
            "portion_id": str(portion_id),
            "day": day.isoformat(),
            "meal_type": meal_type,
            "amount": decimal_text(amount),
            "unit": unit,
            "note": note,
            "calories": decimal_text(calories),
            "protein": decimal_text(protein),
            "carbs": decimal_text(carbs),
            "fat": decimal_text(fat),
            "created_at": write_datetime(created_at),
            "updated_at": write_datetime(updated_at),
        }
        for (
            pk,
            product_id,
            portion_id,
            day,
            meal_type,
            amount,
            unit,
            note,
            calories,
            protein,
            carbs,
            fat,
            created_at,
            updated_at,
        ) in rows
    ]


def entry_list(view: Any, lookups: dict[str, Any]) -> Response:
    """A page of the device's entries matching ``FoodEntryFilter`` lookups (plain values)."""
    device_id = view.device.pk
    rows = PagedRows(
        lambda limit, offset: _ENTRY_ROWS.fetch(
            device_id=device_id, limit=limit, offset=offset, **lookups
        )
    )
    return lean_page(view, rows, entry_bodies)


def _totals_body(totals: stats.MacroTotals) -> dict[str, str]:
    return {name: decimal_text(value, TOTAL_MAX_DIGITS) for name, value in totals.items()}


def day_stats_body(device_id: Any, day: dt.date) -> dict[str, Any]:
    """``DayStatsSerializer``'s body: the day's totals, per meal type, and the goal's targets."""
    totals, by_meal = stats.device_day_totals(device_id, day)
    goal = _CURRENT_GOAL.fetch(device_id=device_id, limit=1)
    return {
        "day": day.isoformat(),
        "totals": _totals_body(totals),
        "by_meal_type": {meal: _totals_body(meal_totals) for meal, meal_totals in by_meal.items()},
        "goal": dict(zip(GOAL_TARGETS, map(int, goal[0]), strict=True)) if goal else None,
    }


def daily_stats_body(device_id: Any, first: dt.date, last: dt.date) -> dict[str, Any]:
    """``DailyStatsSerializer``'s body: every day's totals from ``first`` to ``last``."""
    return {
        "from_day": first.isoformat(),
        "to_day": last.isoformat(),
        "points": [
            {"day": day.isoformat(), "totals": _totals_body(totals)}
            for day, totals in stats.device_daily_totals(device_id, first, last)
        ],
    }
