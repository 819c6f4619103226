"""django-filter filter set of the food entry list."""

from django_filters import rest_framework as filters

from countonme.base.query import RangeFilterSet
from countonme.base.strict_input import StrictDateFilter, StrictUUIDFilter
from entries.models import FoodEntry, MealType


class FoodEntryFilter(RangeFilterSet):
    """``day``/``date``, ``from``/``to`` (inclusive), ``meal_type`` and ``product_id``.

    A date that does not parse is a 400 naming the parameter. The list's fast
    path parses these same filters (``countonme.base.query.fast_filter_values``):
    a filter added here is served by both paths, or sends the list to this
    FilterSet when no fast parser knows its field. ``to`` before ``from`` is a
    400 on ``to``, worded as the stats word it (``RangeFilterSet``).
    """

    ordered_bounds = (("from", "to"),)

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
