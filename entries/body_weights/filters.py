"""The ``from``/``to`` filter of ``GET /v1/body-weights``."""

from countonme.base.query import RangeFilterSet
from countonme.base.strict_input import StrictDateFilter
from entries.models import BodyWeight


class BodyWeightFilter(RangeFilterSet):
    """``?from=`` and ``?to=`` (inclusive days) of ``GET /v1/body-weights``.

    ``to`` before ``from`` is the 400 the stats and the entry list answer.
    """

    ordered_bounds = (("from", "to"),)

    # ``from`` is a Python keyword, so the filters get their names below.
    day_from = StrictDateFilter(
        field_name="day", lookup_expr="gte", help_text="First day included, YYYY-MM-DD."
    )
    day_to = StrictDateFilter(
        field_name="day", lookup_expr="lte", help_text="Last day included, YYYY-MM-DD."
    )

    class Meta:
        model = BodyWeight
        fields: list[str] = []


BodyWeightFilter.base_filters["from"] = BodyWeightFilter.base_filters.pop("day_from")
BodyWeightFilter.base_filters["to"] = BodyWeightFilter.base_filters.pop("day_to")
