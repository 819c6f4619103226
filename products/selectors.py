"""Reads of a device's products that other apps compose (the data export)."""

from django.db.models import Prefetch
from django.db.models.functions import Lower

from countonme.base.models import ChangeCounterModel
from products.models import PORTION_DISPLAY_ORDER, Portion, Product


def product_list_with_portions(*, device: ChangeCounterModel) -> list[Product]:
    """The device's live products by name (case-insensitive, then id), with their portions.

    ``product.portions.all()`` holds its live portions in display order
    (default first); ``kcal_100g`` (``Product.default_per_100g``) reads the
    default among them, without a query of its own. Two queries whatever the
    number of products.
    """
    products = list(
        Product.objects.filter(device=device)
        .order_by(Lower("name"), "id")
        .prefetch_related(
            Prefetch("portions", queryset=Portion.objects.order_by(*PORTION_DISPLAY_ORDER))
        )
    )
    for product in products:
        # What with_default_portion() would load, taken from the portions already here.
        product.live_default_portions = [p for p in product.portions.all() if p.is_default]
    return products
