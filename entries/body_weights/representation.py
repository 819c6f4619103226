"""The body-weight list's fast path: compiled SQL, rows written by the serializer's writer.

Same body as the serializer's (``countonme.base.row_writer`` derives the writer
from its fields; ``tests/test_lean_paths.py`` compares the bytes).
"""

from typing import Any

from rest_framework.response import Response

from countonme.base.compiled import CompiledQuery
from countonme.base.query import apply_filter_values
from countonme.base.representation import fast_list
from countonme.base.row_writer import row_writer
from entries.body_weights.filters import BodyWeightFilter
from entries.body_weights.models import BodyWeight
from entries.body_weights.serializers import BodyWeightSerializer

WEIGHT_ROWS = row_writer(BodyWeightSerializer)

# BodyWeightViewSet.get_base_queryset restricted to the device, filtered by BodyWeightFilter.
_WEIGHT_ROWS = CompiledQuery(
    lambda device_id, **values: (
        apply_filter_values(
            BodyWeight.objects.filter(device_id=device_id), BodyWeightFilter, values
        )
        .in_day_order()
        .values_list(*WEIGHT_ROWS.columns)
    )
)


def weight_list(view: Any, values: dict[str, Any]) -> Response:
    """A page of the device's live weights for ``BodyWeightFilter`` values, by day."""
    return fast_list(view, _WEIGHT_ROWS, WEIGHT_ROWS, values)
