"""Diary statistics, aggregated in SQL: one GROUP BY query per endpoint.

Days without entries are filled in Python from the aggregate, never by a
query per day or a loop over entries. The API's stats (``device_day_totals``,
``device_daily_totals``) run the same aggregates as compiled queries
(``countonme.base.compiled``): their SQL is built once per process.
"""

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet, Sum

from countonme.base.compiled import CompiledQuery
from entries.models import FoodEntry
from products.nutrients import NUTRIENTS

MacroTotals = dict[str, Decimal]


def zero_totals() -> MacroTotals:
    """Totals of an empty day."""
    return dict.fromkeys(NUTRIENTS, Decimal(0))


def _sums() -> dict[str, Sum]:
    return {name: Sum(name) for name in NUTRIENTS}


def _totals_of(row: Mapping[str, Decimal | None]) -> MacroTotals:
    return {name: row[name] or Decimal(0) for name in NUTRIENTS}


def _add(totals: Iterable[MacroTotals]) -> MacroTotals:
    result = zero_totals()
    for item in totals:
        for name in NUTRIENTS:
            result[name] += item[name]
    return result


def _by_meal(entries: QuerySet, day: date) -> QuerySet:
    return entries.filter(day=day).order_by().values("meal_type").annotate(**_sums())


def _by_day(entries: QuerySet, first: date, last: date) -> QuerySet:
    return (
        entries.filter(day__gte=first, day__lte=last).order_by().values("day").annotate(**_sums())
    )


def _day_of(rows: Iterable[Mapping]) -> tuple[MacroTotals, dict[str, MacroTotals]]:
    by_meal = {row["meal_type"]: _totals_of(row) for row in rows}
    return _add(by_meal.values()), dict(sorted(by_meal.items()))


def _every_day(rows: Iterable[Mapping], first: date, last: date) -> list[tuple[date, MacroTotals]]:
    by_day = {row["day"]: _totals_of(row) for row in rows}
    span = (last - first).days
    return [
        (day, by_day.get(day) or zero_totals())
        for day in (first + timedelta(days=offset) for offset in range(span + 1))
    ]


def day_totals(entries: QuerySet, day: date) -> tuple[MacroTotals, dict[str, MacroTotals]]:
    """A day's totals and its totals per meal type (only meal types that have entries)."""
    return _day_of(_by_meal(entries, day))


def daily_totals(entries: QuerySet, first: date, last: date) -> list[tuple[date, MacroTotals]]:
    """Totals of every day from ``first`` to ``last``, zero days included."""
    return _every_day(_by_day(entries, first, last), first, last)


_DEVICE_BY_MEAL = CompiledQuery(
    lambda device_id, day: _by_meal(FoodEntry.objects.filter(device_id=device_id), day)
)
_DEVICE_BY_DAY = CompiledQuery(
    lambda device_id, first, last: _by_day(
        FoodEntry.objects.filter(device_id=device_id), first, last
    )
)


def _named(key: str, rows: list[tuple]) -> list[dict]:
    # The compiled rows are in select order: the group key, then the sums.
    return [dict(zip((key, *NUTRIENTS), row, strict=True)) for row in rows]


def device_day_totals(
    device_id: uuid.UUID, day: date
) -> tuple[MacroTotals, dict[str, MacroTotals]]:
    """``day_totals`` of the device's live entries."""
    rows = _DEVICE_BY_MEAL.fetch(device_id=device_id, day=day)
    return _day_of(_named("meal_type", rows))


def device_daily_totals(
    device_id: uuid.UUID, first: date, last: date
) -> list[tuple[date, MacroTotals]]:
    """``daily_totals`` of the device's live entries."""
    rows = _DEVICE_BY_DAY.fetch(device_id=device_id, first=first, last=last)
    return _every_day(_named("day", rows), first, last)
