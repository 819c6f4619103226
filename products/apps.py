from django.apps import AppConfig


class ProductsConfig(AppConfig):
    """Products, portions, the global food catalog, unit conversion and search."""

    name = "products"
    verbose_name = "Products"

    def ready(self) -> None:
        from countonme.sync.changes import sync_registry
        from products.models import Portion, Product
        from products.serializers import KCAL_100G, PortionSerializer, ProductSerializer

        sync_registry.register(
            "products",
            Product,
            ProductSerializer,
            prepare=lambda rows: rows.with_default_portion_measure(),
            overrides={"kcal_100g": KCAL_100G},
        )
        sync_registry.register("portions", Portion, PortionSerializer)
