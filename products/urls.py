from django.urls import path
from rest_framework.routers import SimpleRouter

from products import views

router = SimpleRouter(trailing_slash=False)
router.register("products", views.ProductViewSet, basename="product")
router.register("portions", views.PortionViewSet, basename="portion")
router.register("catalog/products", views.CatalogProductViewSet, basename="catalog-product")

urlpatterns = [
    path(
        "products/<uuid:product_id>/portions",
        views.ProductPortionViewSet.as_view({"get": "list", "post": "create"}),
        name="product-portions",
    ),
    *router.urls,
]
