"""Diary statistics, aggregated in SQL: one GROUP BY query per endpoint.

Days without entries are filled in Python from the aggregate, never by a
query per day or a loop over entries.
"""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet, Sum

MACROS = ("calories", "protein", "carbs", "fat")
MacroTotals = dict[str, Decimal]


def zero_totals() -> MacroTotals:
    """Totals of an empty day."""
    return dict.fromkeys(MACROS, Decimal(0))


def _sums() -> dict[str, Sum]:
    return {name: Sum(name) for name in MACROS}


def _totals_of(row: Mapping[str, Decimal | None]) -> MacroTotals:
    return {name: row[name] or Decimal(0) for name in MACROS}


def _add(totals: Iterable[MacroTotals]) -> MacroTotals:
    result = zero_totals()
    for item in totals:
        for name in MACROS:
            result[name] += item[name]
    return result


def day_totals(entries: QuerySet, day: date) -> tuple[MacroTotals, dict[str, MacroTotals]]:
    """A day's totals and its totals per meal type (only meal types that have entries)."""
    rows = entries.filter(day=day).order_by().values("meal_type").annotate(**_sums())
    by_meal = {row["meal_type"]: _totals_of(row) for row in rows}
    return _add(by_meal.values()), dict(sorted(by_meal.items()))


def daily_totals(entries: QuerySet, first: date, last: date) -> list[tuple[date, MacroTotals]]:
    """Totals of every day from ``first`` to ``last``, zero days included."""
    rows = (
        entries.filter(day__gte=first, day__lte=last).order_by().values("day").annotate(**_sums())
    )
    by_day = {row["day"]: _totals_of(row) for row in rows}
    span = (last - first).days
    return [
        (day, by_day.get(day) or zero_totals())
        for day in (first + timedelta(days=offset) for offset in range(span + 1))
    ]
