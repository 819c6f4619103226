from django.apps import AppConfig


class ProductsConfig(AppConfig):
    """Products, portions, the global food catalog, unit conversion and search."""

    name = "products"
    verbose_name = "Products"
