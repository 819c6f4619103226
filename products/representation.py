"""The product list's fast path: a compiled query, rows written by ``ProductSerializer``'s writer.

The body is ``ProductSerializer``'s (``countonme.base.row_writer`` derives the
writer from its fields; ``tests/test_lean_paths.py`` compares the bytes): the
SQL is compiled once per process (``countonme.base.compiled``), ``kcal_100g``
read from ``with_default_portion_measure()``'s columns in the same query.
"""

from typing import Any

from rest_framework.response import Response

from countonme.base.compiled import CompiledQuery
from countonme.base.query import apply_filter_values
from countonme.base.representation import fast_list
from countonme.base.row_writer import row_writer
from products.filters import ProductFilter
from products.models import Product
from products.serializers import KCAL_100G, ProductSerializer

PRODUCT_ROWS = row_writer(ProductSerializer, kcal_100g=KCAL_100G)

# ProductViewSet.get_base_queryset, restricted to the device, filtered by ProductFilter.
_PRODUCT_ROWS = CompiledQuery(
    lambda device_id, **values: (
        apply_filter_values(
            Product.objects.with_default_portion_measure().filter(device_id=device_id),
            ProductFilter,
            values,
        )
        .in_list_order()
        .values_list(*PRODUCT_ROWS.columns)
    )
)


def product_list(view: Any, values: dict[str, Any]) -> Response:
    """A page of the device's live products for ``ProductFilter`` values, by name then id."""
    return fast_list(view, _PRODUCT_ROWS, PRODUCT_ROWS, values)
