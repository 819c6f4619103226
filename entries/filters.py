"""django-filter filter set of the food entry list."""

from django_filters import rest_framework as filters

from entries.models import FoodEntry, MealType


class FoodEntryFilter(filters.FilterSet):
    """``day``/``date``, ``from``/``to`` (inclusive), ``meal_type`` and ``product_id``.

    A date that does not parse is a 400 naming the parameter.
    """

    day = filters.DateFilter(field_name="day", help_text="One day, YYYY-MM-DD.")
    date = filters.DateFilter(field_name="day", help_text="Alias of `day`.")
    # "from" is a Python keyword, so it is declared through the class namespace.
    vars()["from"] = filters.DateFilter(
        field_name="day", lookup_expr="gte", help_text="First day, inclusive."
    )
    to = filters.DateFilter(field_name="day", lookup_expr="lte", help_text="Last day, inclusive.")
    meal_type = filters.ChoiceFilter(choices=MealType.choices)
    product_id = filters.UUIDFilter(field_name="product_id")

    class Meta:
        model = FoodEntry
        fields = ["day", "date", "from", "to", "meal_type", "product_id"]
