"""django-filter filter sets of the product list and the catalog."""

from django.db.models import QuerySet
from django.db.models.functions import Lower
from django_filters import rest_framework as filters

from products.models import Product

PRODUCT_ORDERINGS = {
    "name": (Lower("name"), "id"),
    "-name": (Lower("name").desc(), "-id"),
    "updated_at": ("updated_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
}


class ProductFilter(filters.FilterSet):
    """``?search=``, ``?barcode=`` and ``?ordering=`` of ``GET /v1/products``."""

    search = filters.CharFilter(
        field_name="name",
        lookup_expr="icontains",
        max_length=200,
        help_text="Case-insensitive part of the name.",
    )
    barcode = filters.CharFilter(field_name="barcode", max_length=64, help_text="Exact barcode.")
    ordering = filters.ChoiceFilter(
        choices=[(key, key) for key in PRODUCT_ORDERINGS],
        method="order",
        empty_label=None,
        help_text="name (default, case-insensitive), -name, updated_at or -updated_at.",
    )

    class Meta:
        model = Product
        fields = ["search", "barcode", "ordering"]

    def order(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(*PRODUCT_ORDERINGS[value])
