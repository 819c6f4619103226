"""django-filter filter set of the food entry list."""

from typing import Any

from django.http import QueryDict
from django_filters import rest_framework as filters

from countonme.base.query import strict_day, strict_uuid
from countonme.base.strict_input import StrictDateFilter, StrictUUIDFilter
from entries.models import FoodEntry, MealType

# Query parameter → the lookup FoodEntryFilter applies for it.
_DAY_LOOKUPS = {"day": "day", "date": "day", "from": "day__gte", "to": "day__lte"}
_MEAL_TYPES = frozenset(MealType.values)


class FoodEntryFilter(filters.FilterSet):
    """``day``/``date``, ``from``/``to`` (inclusive), ``meal_type`` and ``product_id``.

    A date that does not parse is a 400 naming the parameter.
    """

    day = StrictDateFilter(field_name="day", help_text="One day, YYYY-MM-DD.")
    date = StrictDateFilter(field_name="day", help_text="Alias of `day`.")
    # "from" is a Python keyword, so it is declared through the class namespace.
    vars()["from"] = StrictDateFilter(
        field_name="day", lookup_expr="gte", help_text="First day, inclusive."
    )
    to = StrictDateFilter(field_name="day", lookup_expr="lte", help_text="Last day, inclusive.")
    meal_type = filters.ChoiceFilter(choices=MealType.choices)
    product_id = StrictUUIDFilter(field_name="product_id")

    class Meta:
        model = FoodEntry
        fields = ["day", "date", "from", "to", "meal_type", "product_id"]


def lean_entry_lookups(params: QueryDict) -> dict[str, Any] | None:
    """``FoodEntryFilter``'s lookups for plain, valid parameters, without a FilterSet.

    ``None`` when a parameter is anything but its strict form (``YYYY-MM-DD``,
    a meal type, a canonical UUID): the FilterSet then decides, and words any
    400, as it always did. Parameters it does not know are ignored, as it does.
    """
    lookups: dict[str, Any] = {}
    for name, lookup in _DAY_LOOKUPS.items():
        if name in params:
            day = strict_day(params.get(name))
            if day is None:
                return None
            # day and date both given: both apply, as two FilterSet filters would.
            key = lookup if lookup not in lookups else f"{lookup}__exact"
            lookups[key] = day
    if "meal_type" in params:
        meal_type = params.get("meal_type")
        if meal_type not in _MEAL_TYPES:
            return None
        lookups["meal_type"] = meal_type
    if "product_id" in params:
        product_id = strict_uuid(params.get("product_id"))
        if product_id is None:
            return None
        lookups["product_id"] = product_id
    return lookups
