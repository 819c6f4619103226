"""django-filter filter sets of the product list and the catalog."""

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from products import search
from products.gtin import barcode_key
from products.models import PRODUCT_ORDERINGS, Product


class ProductFilter(filters.FilterSet):
    """``?search=``, ``?barcode=`` and ``?ordering=`` of ``GET /v1/products``."""

    search = filters.CharFilter(
        method="name_contains",
        max_length=200,
        help_text="Part of the name, ignoring case and accents ('pate' finds 'Pâté').",
    )
    barcode = filters.CharFilter(
        method="barcode_is",
        max_length=64,
        help_text=(
            "Barcode in any GTIN form: EAN-13, UPC-A, GTIN-14 or EAN-8 with or without "
            "leading zeros, UPC-E; other codes match exactly."
        ),
    )
    ordering = filters.ChoiceFilter(
        choices=[(key, key) for key in PRODUCT_ORDERINGS],
        method="order",
        empty_label=None,
        help_text="name (default, case-insensitive), -name, updated_at or -updated_at.",
    )

    class Meta:
        model = Product
        fields = ["search", "barcode", "ordering"]

    def name_contains(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search.name_contains(queryset, value)

    def barcode_is(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        key = barcode_key(value)
        # A blank barcode matches nothing (filtering on None would mean "no barcode").
        return queryset.none() if key is None else queryset.filter(barcode_key=key)

    def order(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.in_list_order(value)
