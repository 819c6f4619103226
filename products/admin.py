"""Back office of products, portions and the food catalog.

Products and portions are read-only, deleted ones included and restorable
(``countonme.base.admin``); the catalog is read-only for everyone, superusers
included: it is imported, not edited.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from countonme.base.admin import (
    ID_SEARCH_HELP,
    DeviceOwnedAdmin,
    LiveOrDeletedFilter,
    admin_number,
    live_count,
)
from products import services
from products.gtin import barcode_key
from products.models import CatalogPortion, CatalogProduct, Portion, Product


class PortionColumns:
    """Portion values for people: "100 g", "250 kcal", never "1E+2"."""

    @admin.display(description="amount")
    def amount(self, obj: Portion) -> str:
        return admin_number(obj.base_amount, obj.base_unit)

    @admin.display(description="grams")
    def grams(self, obj: Portion) -> str:
        return admin_number(obj.gram_weight, "g")

    @admin.display(description="kcal")
    def kcal(self, obj: Portion) -> str:
        return admin_number(obj.calories)

    @admin.display(description="protein / carbs / fat (g)")
    def macros(self, obj: Portion) -> str:
        return " / ".join(admin_number(value) for value in (obj.protein, obj.carbs, obj.fat))


class BarcodeSearch(admin.ModelAdmin):
    """Search also finds a barcode in any of its GTIN forms (EAN-13, UPC-A, GTIN-14...)."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = barcode_key(search_term.strip())
        if key is not None:
            found = found | queryset.filter(barcode_key=key)
        return found, may_have_duplicates


class PortionInline(PortionColumns, admin.TabularInline):
    """A product's portions, deleted ones included and marked."""

    model = Portion
    fields = ["label", "amount", "grams", "kcal", "macros", "is_default", "deleted_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return Portion.all_objects.order_by("deleted_at", "-is_default", "label", "id")

    def has_add_permission(self, request: HttpRequest, obj: Product | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Product | None = None) -> bool:
        return False


@admin.register(Product)
class ProductAdmin(BarcodeSearch, DeviceOwnedAdmin):
    """A device's products: "I deleted a product by mistake" is answered here."""

    list_display = [
        "name",
        "is_deleted_column",
        "device_column",
        "barcode",
        "kcal_100g",
        "portion_count",
        "updated_at",
        "deleted_at",
    ]
    list_filter = [LiveOrDeletedFilter]
    search_fields = ["id", "name", "=barcode"]
    search_help_text = f"{ID_SEARCH_HELP}; or a name or a barcode."
    ordering = ["-updated_at", "-id"]
    inlines = [PortionInline]
    fields = [
        "id",
        "device_column",
        "name",
        "barcode",
        "created_at",
        "updated_at",
        "deleted_at",
        "version",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .with_default_portion()
            .annotate(portion_count=live_count(Portion, "product"))
        )

    @admin.display(description="kcal / 100 g")
    def kcal_100g(self, obj: Product) -> str:
        return admin_number(obj.default_per_100g("calories"))

    @admin.display(description="live portions", ordering="portion_count")
    def portion_count(self, obj: Product) -> int:
        return obj.portion_count

    def undelete(self, obj: Product) -> None:
        services.product_undelete(product=obj)

    def soft_delete(self, obj: Product) -> None:
        services.product_delete(product=obj)


@admin.register(Portion)
class PortionAdmin(PortionColumns, DeviceOwnedAdmin):
    """Portions one by one: a portion deleted on its own is restored here."""

    list_display = [
        "label",
        "is_deleted_column",
        "product",
        "device_column",
        "amount",
        "kcal",
        "is_default",
        "deleted_at",
    ]
    list_filter = [LiveOrDeletedFilter, "is_default"]
    list_select_related = ["product"]
    raw_id_fields = ["product"]
    search_fields = ["id", "label", "product__name"]
    search_help_text = f"{ID_SEARCH_HELP}; or a label or a product name."
    ordering = ["-updated_at", "-id"]

    def undelete(self, obj: Portion) -> None:
        services.portion_undelete(portion=obj)

    def soft_delete(self, obj: Portion) -> None:
        services.portion_delete(portion=obj)


class ReadOnly:
    """Nobody adds, edits or deletes here, superusers included: the catalog is imported."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class CatalogPortionInline(ReadOnly, PortionColumns, admin.TabularInline):
    model = CatalogPortion
    fields = ["label", "amount", "grams", "kcal", "macros", "is_default"]
    readonly_fields = fields
    extra = 0


@admin.register(CatalogProduct)
class CatalogProductAdmin(ReadOnly, BarcodeSearch, admin.ModelAdmin):
    """The shared food catalog (USDA, Open Food Facts): read-only, it is imported
    (``manage.py import_catalog``, ``import_off``), never edited by hand."""

    list_display = ["__str__", "brand", "source", "source_id", "barcode", "kcal_100g"]
    list_filter = ["source"]
    search_fields = ["name", "brand", "=barcode", "=source_id"]
    ordering = ["name", "id"]
    inlines = [CatalogPortionInline]
    list_per_page = 50
    # The catalog holds millions of rows: no unfiltered COUNT(*) per page.
    show_full_result_count = False
    readonly_fields = ["id", "created_at", "updated_at"]

    @admin.display(description="kcal / 100 g", ordering="kcal_100g")
    def kcal_100g(self, obj: CatalogProduct) -> str:
        return admin_number(obj.kcal_100g)
