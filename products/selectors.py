"""Reads of a device's products that other apps compose (the data export)."""

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from countonme.base.models import ChangeCounterModel
from products.models import PORTION_DISPLAY_ORDER, Portion, Product


def product_list_with_portions(
    *, device: ChangeCounterModel, referenced_by: QuerySet | None = None
) -> list[Product]:
    """The device's live products by name (case-insensitive, then id), with their portions.

    ``product.portions.all()`` holds its live portions in display order
    (default first); ``kcal_100g`` (``Product.default_per_100g``) reads the
    default among them, without a query of its own. Two queries whatever the
    number of products.

    ``referenced_by``, rows with ``product_id`` and ``portion_id`` (the
    device's live food entries), brings in the deleted products and portions
    they name, marked by their ``deleted_at``: what was eaten stays named. A
    deleted product's ``kcal_100g`` reads its default among those portions.
    """
    portions_named = products_named = Q(deleted_at__isnull=True)
    if referenced_by is not None:
        portions_named |= Q(pk__in=referenced_by.values("portion_id"))
        products_named |= Q(pk__in=referenced_by.values("product_id"))
    portions = Portion.all_objects.filter(portions_named).order_by(*PORTION_DISPLAY_ORDER)
    rows = list(
        Product.all_objects.filter(products_named, device=device)
        .order_by(Lower("name"), "id")
        .prefetch_related(Prefetch("portions", queryset=portions))
    )
    for product in rows:
        # What with_default_portion() would load, taken from the portions already
        # here: the live default of a live product; of a deleted one, the default
        # deleted with it (product_delete stamps them with one time).
        product.live_default_portions = [
            portion
            for portion in product.portions.all()
            if portion.is_default and portion.deleted_at == product.deleted_at
        ]
    return rows
