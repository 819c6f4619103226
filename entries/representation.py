"""The diary's fast reads: the day list and the stats, from compiled queries and plain rows.

Same bodies as ``FoodEntrySerializer``, ``DayStatsSerializer`` and
``DailyStatsSerializer`` (``tests/test_lean_paths.py`` compares them), for a
fraction of the Python: the SQL is compiled once per process
(``countonme.base.compiled``) and the rows are written by writers derived from
the serializers' own fields (``countonme.base.row_writer``), not restated here.
"""

import datetime as dt
from typing import Any

from rest_framework.response import Response

from countonme.base.compiled import CompiledQuery
from countonme.base.query import apply_filter_values
from countonme.base.representation import fast_list
from countonme.base.row_writer import row_writer
from devices.models import Goal
from entries import stats
from entries.filters import FoodEntryFilter
from entries.models import FoodEntry
from entries.serializers import (
    DailyStatsSerializer,
    DayStatsSerializer,
    FoodEntrySerializer,
    GoalTargetsSerializer,
)

ENTRY_ROWS = row_writer(FoodEntrySerializer)
DAY_STATS = row_writer(DayStatsSerializer)
DAILY_STATS = row_writer(DailyStatsSerializer)
GOAL_TARGETS = row_writer(GoalTargetsSerializer)

# FoodEntryViewSet.get_base_queryset restricted to the device, filtered by FoodEntryFilter.
_ENTRY_ROWS = CompiledQuery(
    lambda device_id, **values: (
        apply_filter_values(FoodEntry.objects.filter(device_id=device_id), FoodEntryFilter, values)
        .in_diary_order()
        .values_list(*ENTRY_ROWS.columns)
    )
)
_CURRENT_GOAL = CompiledQuery(
    lambda device_id: (
        Goal.objects.filter(device_id=device_id).order_by("pk").values_list(*GOAL_TARGETS.columns)
    )
)


def entry_list(view: Any, values: dict[str, Any]) -> Response:
    """A page of the device's entries for ``FoodEntryFilter`` values (``fast_filter_values``)."""
    return fast_list(view, _ENTRY_ROWS, ENTRY_ROWS, values)


def day_stats_body(device_id: Any, day: dt.date) -> dict[str, Any]:
    """``DayStatsSerializer``'s body: the day's totals, per meal type, and the goal's targets."""
    totals, by_meal = stats.device_day_totals(device_id, day)
    goal = _CURRENT_GOAL.fetch(device_id=device_id, limit=1)
    return DAY_STATS.write_dict(
        {
            "day": day,
            "totals": totals,
            "by_meal_type": by_meal,
            "goal": dict(zip(GOAL_TARGETS.columns, goal[0], strict=True)) if goal else None,
        }
    )


def daily_stats_body(device_id: Any, first: dt.date, last: dt.date) -> dict[str, Any]:
    """``DailyStatsSerializer``'s body: every day's totals from ``first`` to ``last``."""
    points = stats.device_daily_totals(device_id, first, last)
    return DAILY_STATS.write_dict(
        {
            "from_day": first,
            "to_day": last,
            "points": [{"day": day, "totals": totals} for day, totals in points],
        }
    )
