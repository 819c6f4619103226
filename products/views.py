"""Products, portions, merged search and the read-only catalog (docs/api.md §3, §4, §10)."""

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from countonme.base.pagination import LimitOffsetNoCountPagination
from countonme.base.query import fast_filter_values
from countonme.base.viewsets import (
    ClientId,
    DeviceScopedCreateMixin,
    DeviceScopedModelViewSet,
    DeviceScopedUpdateMixin,
    DeviceScopedViewSet,
    Fields,
    SharedSerializerListMixin,
    SoftDestroyMixin,
)
from products import representation, schema, search, services
from products.filters import ProductFilter
from products.gtin import barcode_key
from products.models import (
    PORTION_DISPLAY_ORDER,
    CatalogPortion,
    CatalogProduct,
    Portion,
    Product,
    default_portion_prefetch,
)
from products.serializers import (
    CatalogListQuerySerializer,
    CatalogProductDetailSerializer,
    CatalogProductSerializer,
    CheckNameQuerySerializer,
    PortionSerializer,
    ProductSerializer,
    ProductUpdateSerializer,
    ProductWriteSerializer,
    SearchQuerySerializer,
    SearchResultSerializer,
)

# --- Products ------------------------------------------------------------------


@schema.products
class ProductViewSet(SharedSerializerListMixin, DeviceScopedModelViewSet):
    """The device's products."""

    queryset = Product.objects.all()
    serializer_class = ProductSerializer
    filterset_class = ProductFilter

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Parameters every fast parser knows (ProductFilter's, countonme.base.query)
        # skip the FilterSet and the serializer (products.representation); any
        # other (?search=, ?barcode=, ?ordering=: method filters) takes the general path.
        values = fast_filter_values(ProductFilter, request.query_params)
        if values is None:
            return super().list(request, *args, **kwargs)
        return representation.product_list(self, values)

    def get_base_queryset(self) -> QuerySet:
        # kcal_100g's inputs ride in the same query (no prefetch, no Portion instances).
        return Product.objects.with_default_portion_measure().in_list_order()

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "create":
            return ProductWriteSerializer
        if self.action in ("update", "partial_update"):
            return ProductUpdateSerializer
        return ProductSerializer

    def represent(self, instance: Product) -> Any:
        # kcal_100g needs the default portion; a row just written has not loaded it.
        if not hasattr(instance, "live_default_portions"):
            prefetch_related_objects([instance], default_portion_prefetch())
        return ProductSerializer(instance).data

    def find_equivalent(
        self, validated: Fields, *, instance: Product | None = None
    ) -> Product | None:
        # Barcode dedup (services.product_duplicate), read with the list's joins.
        return services.product_duplicate(
            products=self.get_queryset(), barcode=validated.get("barcode"), restoring=instance
        )

    def save(self, validated: Fields, id: ClientId, instance: Product | None) -> Product:
        if instance is not None and not instance.is_deleted:
            return services.product_update(product=instance, **validated)
        fields = {
            "name": validated["name"],
            "barcode": validated.get("barcode"),
            "nutrition": ProductWriteSerializer.nutrition_of(validated),
        }
        if instance is None:
            return services.product_create(device=self.device, id=id, **fields)
        return services.product_restore(product=instance, **fields)

    def perform_destroy(self, instance: Product) -> None:
        services.product_delete(product=instance)

    @schema.check_name
    @action(detail=False, methods=["get"], url_path="check-name", filterset_class=None)
    def check_name(self, request: Request) -> Response:
        query = CheckNameQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        name = query.validated_data["name"]
        taken = search.with_name(self.get_queryset(), name).exists()
        return Response({"available": not taken})

    @schema.search
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def search(self, request: Request) -> Response:
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        items = search.search_products(
            device=self.device,
            query=query.validated_data["q"],
            limit=min(query.validated_data["limit"], 60),
        )
        return Response(SearchResultSerializer(items, many=True).data)


# --- Portions ------------------------------------------------------------------


@schema.product_portions
class ProductPortionViewSet(DeviceScopedCreateMixin, mixins.ListModelMixin, DeviceScopedViewSet):
    """``/v1/products/{product_id}/portions``: a product's portions."""

    queryset = Portion.objects.all()
    serializer_class = PortionSerializer

    @cached_property
    def product(self) -> Product:
        """The product of the URL, among the device's live products (else 404)."""
        return get_object_or_404(
            Product.objects.filter(device=self.device), pk=self.kwargs["product_id"]
        )

    def get_base_queryset(self) -> QuerySet:
        return Portion.objects.filter(product=self.product).order_by(*PORTION_DISPLAY_ORDER)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The URL's product first: under another device's product the answer is
        # 404 whatever the body, never an id conflict about someone's rows.
        self.product  # noqa: B018
        return super().create(request, *args, **kwargs)

    def claims(self, row: Portion) -> bool:
        # Re-posting the id of a portion of another product is not a move.
        return row.product_id == self.product.pk

    def save(self, validated: Fields, id: ClientId, instance: Portion | None) -> Portion:
        if instance is None:
            return services.portion_create(
                device=self.device, product=self.product, fields=validated, id=id
            )
        return services.portion_save(portion=instance, fields={**validated, "deleted_at": None})


@schema.portions
class PortionViewSet(
    mixins.RetrieveModelMixin, DeviceScopedUpdateMixin, SoftDestroyMixin, DeviceScopedViewSet
):
    """``/v1/portions/{id}``: GET, PATCH, DELETE (the contract has no PUT here)."""

    queryset = Portion.objects.all()
    serializer_class = PortionSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def save(self, validated: Fields, id: ClientId, instance: Portion) -> Portion:
        return services.portion_save(portion=instance, fields=validated)

    def perform_destroy(self, instance: Portion) -> None:
        services.portion_delete(portion=instance)


# --- Catalog -------------------------------------------------------------------


class CatalogPagination(LimitOffsetNoCountPagination):
    """Catalog pages: 50 by default, at most 200."""

    default_limit = 50
    max_limit = 200


_DEFAULT_PORTIONS = Prefetch(
    "portions", queryset=CatalogPortion.objects.filter(is_default=True), to_attr="default_portions"
)
_ALL_PORTIONS = Prefetch(
    "portions", queryset=CatalogPortion.objects.order_by(*PORTION_DISPLAY_ORDER)
)


@schema.catalog_products
class CatalogProductViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """``/v1/catalog/products``: read-only, the same for every device."""

    queryset = CatalogProduct.objects.all()
    serializer_class = CatalogProductSerializer
    pagination_class = CatalogPagination
    lookup_value_regex = DeviceScopedViewSet.lookup_value_regex
    filter_backends = []

    def get_queryset(self) -> QuerySet:
        if self.action == "list":
            query = CatalogListQuerySerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            rows = CatalogProduct.objects.prefetch_related(_DEFAULT_PORTIONS)
            if text := query.validated_data.get("search"):
                return search.ranked_catalog(rows, text)
            return rows.order_by(Lower("name"), "id")
        return CatalogProduct.objects.prefetch_related(_ALL_PORTIONS)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "list":
            return CatalogProductSerializer
        return CatalogProductDetailSerializer

    @schema.catalog_by_barcode
    @action(detail=False, methods=["get"], url_path=r"barcode/(?P<barcode>[^/\x00-\x1f\x7f]{1,64})")
    def barcode(self, request: Request, barcode: str) -> Response:
        key = barcode_key(barcode)
        if key is None:  # blank: no barcode, not "the foods without one"
            raise NotFound()
        # Two sources may know one barcode: answer deterministically.
        product = (
            self.get_queryset().filter(barcode_key=key).order_by("source", "source_id").first()
        )
        if product is None:
            raise NotFound()
        return Response(CatalogProductDetailSerializer(product).data)
