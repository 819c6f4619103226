"""The product list's hot read: a compiled query and plain rows, ``kcal_100g`` included.

Same body as ``ProductSerializer`` over ``with_default_portion_measure()``
(``tests/test_lean_paths.py`` compares them): the SQL is compiled once per
process (``countonme.base.compiled``) and each row written by one function.
"""

from typing import Any

from django.db.models.functions import Lower
from rest_framework.response import Response

from countonme.base.compiled import CompiledQuery
from countonme.base.numbers import round_half_up
from countonme.base.representation import PagedRows, datetime_writer, lean_page
from products import units
from products.models import DEFAULT_MEASURE_FIELDS, Product

# ProductSerializer's columns, then the default portion's measure for kcal_100g.
PRODUCT_COLUMNS = (
    "id",
    "name",
    "barcode",
    "created_at",
    "updated_at",
    *(f"default_{field}" for field in DEFAULT_MEASURE_FIELDS),
)

# ProductViewSet.get_base_queryset, restricted to the device.
_PRODUCT_ROWS = CompiledQuery(
    lambda device_id: (
        Product.objects.with_default_portion_measure()
        .filter(device_id=device_id)
        .order_by(Lower("name"), "id")
        .values_list(*PRODUCT_COLUMNS)
    )
)


def _kcal_100g(calories: Any, base_amount: Any, base_unit: str | None, gram_weight: Any) -> Any:
    # Product.default_per_100g("calories") on the annotations; null unit = no live default.
    if base_unit is None:
        return None
    value = units.per_100_grams(
        calories, base_amount=base_amount, base_unit=base_unit, gram_weight=gram_weight
    )
    return None if value is None else f"{round_half_up(value):f}"


def product_bodies(rows: list[tuple]) -> list[dict[str, Any]]:
    """``ProductSerializer`` bodies of ``PRODUCT_COLUMNS`` rows."""
    write_datetime = datetime_writer()
    return [
        {
            "id": str(pk),
            "name": name,
            "barcode": barcode,
            "kcal_100g": _kcal_100g(*measure),
            "created_at": write_datetime(created_at),
            "updated_at": write_datetime(updated_at),
        }
        for pk, name, barcode, created_at, updated_at, *measure in rows
    ]


def product_list(view: Any) -> Response:
    """A page of the device's live products, by name (case-insensitive), then id."""
    device_id = view.device.pk
    rows = PagedRows(
        lambda limit, offset: _PRODUCT_ROWS.fetch(device_id=device_id, limit=limit, offset=offset)
    )
    return lean_page(view, rows, product_bodies)
