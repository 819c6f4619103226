"""Food entries, stats and the device's data (docs/api.md §5, §6, §11)."""

import uuid
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.response import Response

from countonme.base.query import strict_day
from countonme.base.schema import ID_CONFLICT_RESPONSE, error_response
from countonme.base.serializers import shared_serializer
from countonme.base.viewsets import (
    DeviceScopedModelViewSet,
    DeviceScopedViewSet,
    SharedSerializerListMixin,
    client_supplied_id,
)
from devices.models import Device
from devices.services import device_reset_data
from entries import representation, services
from entries.filters import FoodEntryFilter, lean_entry_lookups
from entries.models import BodyWeight, FoodEntry
from entries.selectors import export_document, export_filename, weight_points
from entries.serializers import (
    MAX_RANGE_DAYS,
    CatalogFoodSerializer,
    DailyRangeQuerySerializer,
    DailyStatsSerializer,
    DateRangeQuerySerializer,
    DayPathSerializer,
    DayStatsSerializer,
    ExportSerializer,
    FoodEntryBatchSerializer,
    FoodEntrySerializer,
    WeightStatsSerializer,
    lean_range,
    split_catalog_food,
)
from products.services import portion_from_catalog

BATCH_EXAMPLE = OpenApiExample(
    "A confirmed quick add: a device product and a catalog match",
    request_only=True,
    value={
        "entries": [
            {
                "id": "6f1b8f44-3d0e-4a4e-9d55-0c1f7b1e2a01",
                "product_id": "0b7e5a7c-8f39-4a51-9c55-6a2f3e1d9b10",
                "portion_id": "5c2d6e8f-1a3b-4c5d-8e9f-0a1b2c3d4e5f",
                "day": "2026-03-14",
                "meal_type": "breakfast",
                "amount": "2",
                "unit": "pcs",
            },
            {
                "id": "6f1b8f44-3d0e-4a4e-9d55-0c1f7b1e2a02",
                "catalog_product_id": "d7d5d1b4-4a0c-5d6b-9a39-1f7f3f0f4c11",
                "catalog_portion_id": "3c1d2e0f-7b8a-5c9d-8e1f-2a3b4c5d6e7f",
                "day": "2026-03-14",
                "meal_type": "breakfast",
                "amount": "2.000",
                "unit": "pcs",
            },
        ]
    },
    description=(
        "One entry per proposal item: `amount` = the item's `quantity`, `unit` = its "
        "`unit`. A `product` match gives `product_id` = `match.id` and `portion_id` = "
        "`match.portion_id`; a `catalog` match gives `catalog_product_id` = `match.id` "
        "and `catalog_portion_id` = `match.portion_id`."
    ),
)


@extend_schema_view(
    list=extend_schema(
        operation_id="food_entries_list",
        description="Live entries, newest day first, then newest first within a day.",
    ),
    create=extend_schema(
        operation_id="food_entries_create",
        responses={
            201: FoodEntrySerializer,
            200: OpenApiResponse(FoodEntrySerializer, description="The id was posted before."),
            404: error_response(
                "Product or portion unknown, deleted, another device's, or the portion is "
                "not the product's (`not_found`)."
            ),
            409: ID_CONFLICT_RESPONSE,
        },
        description=(
            "Logs an amount of a product's portion. The entry stores its nutrition as "
            "computed now; `unit` must convert to the portion's unit (mass↔mass, "
            "volume↔volume, pcs/serving only to themselves, a mass to any portion with a "
            "gram_weight), else 400 `unit_mismatch`."
        ),
    ),
    retrieve=extend_schema(operation_id="food_entries_retrieve"),
    partial_update=extend_schema(
        operation_id="food_entries_update",
        description="Changing `amount`, `unit` or `portion_id` recomputes the nutrition.",
    ),
    destroy=extend_schema(operation_id="food_entries_delete"),
)
class FoodEntryViewSet(SharedSerializerListMixin, DeviceScopedModelViewSet):
    """The device's food diary."""

    queryset = FoodEntry.objects.all()
    serializer_class = FoodEntrySerializer
    filterset_class = FoodEntryFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_base_queryset(self) -> QuerySet:
        return FoodEntry.objects.order_by("-day", "-created_at", "-id")

    def represent(self, instance: FoodEntry) -> Any:
        # The output needs no request context: the process's serializer, fields built once.
        return shared_serializer(FoodEntrySerializer).to_representation(instance)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The app opens on ?day=: plain parameters skip the FilterSet and the
        # serializer (entries.representation); anything else takes the general path.
        lookups = lean_entry_lookups(request.query_params)
        if lookups is None:
            return super().list(request, *args, **kwargs)
        return representation.entry_list(self, lookups)

    @extend_schema(
        operation_id="food_entries_batch",
        summary="Create up to 50 food entries at once",
        request=FoodEntryBatchSerializer,
        responses={
            201: OpenApiResponse(
                FoodEntrySerializer(many=True),
                description="Every entry as stored, in the order posted.",
            ),
            400: error_response(
                "An entry is invalid (`attr` = `entries.{index}.{field}`), e.g. it names "
                "both a device product and a catalog food (`invalid`) or half a pair "
                "(`required`)."
            ),
            404: error_response(
                "A product or portion unknown, deleted, another device's, or the portion is "
                "not the product's; a catalog food or portion unknown, or the portion not "
                "the food's (`not_found`, `attr` = `entries.{index}.{field}`)."
            ),
            409: ID_CONFLICT_RESPONSE,
        },
        examples=[BATCH_EXAMPLE],
        description=(
            "Logs up to 50 entries at once (a confirmed quick-add proposal): all or "
            "nothing, in one transaction. Each body is a `POST /v1/food-entries` body "
            "with the same rules, snapshot and idempotent client `id`: an id already "
            "stored comes back as stored, the id of a deleted entry restores it. An entry "
            "names the device's food (`product_id` + `portion_id`) or a catalog food "
            "(`catalog_product_id` + `catalog_portion_id`), never both: for a catalog food "
            "the device gets its own product in the same transaction — the one copied "
            "from that food before if it is still live, else its live product with the "
            "food's barcode, else a new one with every catalog portion — and the entry "
            "is logged on the copied portion. So a parse proposal saves in one call "
            "whatever its matches' kinds. Errors name the entry: `attr` is "
            "`entries.{index}.{field}`."
        ),
    )
    @action(
        detail=False, methods=["post"], url_path="batch", pagination_class=None, filter_backends=[]
    )
    def batch(self, request: Request) -> Response:
        body = FoodEntryBatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            self.lock_device()
            stored = [
                self.store_batch_entry(index, data)
                for index, data in enumerate(body.validated_data["entries"])
            ]
        return Response(self.get_serializer(stored, many=True).data, status=status.HTTP_201_CREATED)

    def store_batch_entry(self, index: int, data: dict) -> FoodEntry:
        """One entry of a batch, as a single create would store it; errors name the index."""
        try:
            client_supplied_id(data)  # a malformed id is answered first, as in a single create
            return self.create_row(self.with_device_food(data))[0]
        except exceptions.APIException as error:
            # The whole batch rolls back; the error says which entry it was.
            error.detail = {"entries": {str(index): error.detail}}
            raise

    def save(
        self,
        validated: dict[str, Any],
        *,
        id: uuid.UUID | None = None,
        instance: FoodEntry | None = None,
    ) -> FoodEntry:
        if instance is not None and not instance.is_deleted:
            return services.food_entry_update(entry=instance, **validated)
        # A create, or the restore of a deleted entry whose id was posted again.
        return services.food_entry_create(device=self.device, id=id, entry=instance, **validated)

    def check(self, validated: dict[str, Any]) -> None:
        services.food_entry_check(
            product=validated["product"],
            portion=validated["portion"],
            amount=validated["amount"],
            unit=validated["unit"],
        )

    def with_device_food(self, data: dict) -> dict:
        """The body, with a catalog food it names replaced by the device's own copy of it.

        Runs before the replay of a client id, so a restored entry gets the copy
        too; a replay of a live entry finds the copy its first post made.
        """
        rest, catalog_ids = split_catalog_food(data)
        if catalog_ids is None:
            return data
        catalog_food = CatalogFoodSerializer(data=catalog_ids)
        catalog_food.is_valid(raise_exception=True)
        portion = portion_from_catalog(
            device=self.device, catalog_portion=catalog_food.validated_data["catalog_portion"]
        )
        return {**rest, "product_id": str(portion.product_id), "portion_id": str(portion.pk)}


class DiaryStatsViewSet(DeviceScopedViewSet):
    """``/v1/stats/day/{day}`` and ``/v1/stats/daily``: totals of the device's entries."""

    queryset = FoodEntry.objects.all()
    pagination_class = None
    filter_backends = []

    @extend_schema(
        operation_id="stats_day",
        summary="Totals of a day",
        parameters=[
            OpenApiParameter(
                "day", OpenApiTypes.DATE, OpenApiParameter.PATH, description="YYYY-MM-DD"
            )
        ],
        responses={200: DayStatsSerializer, 400: error_response("`day` is not a date.")},
        description="Totals of a day, per meal type, and the current goal's targets (or null).",
    )
    def day(self, request: Request, day: str) -> Response:
        the_day = strict_day(day)
        if the_day is None:  # the serializer words the 400
            path = DayPathSerializer(data={"day": day})
            path.is_valid(raise_exception=True)
            the_day = path.validated_data["day"]
        return Response(representation.day_stats_body(self.device.pk, the_day))

    @extend_schema(
        operation_id="stats_daily",
        summary="Daily totals over a range",
        parameters=[DailyRangeQuerySerializer],
        responses={200: DailyStatsSerializer},
        description=(
            "One point for every day from `from` to `to` (at most 366 days), zero days included."
        ),
    )
    def daily(self, request: Request) -> Response:
        first, last = lean_range(request.query_params, max_days=MAX_RANGE_DAYS)
        return Response(representation.daily_stats_body(self.device.pk, first, last))


class WeightStatsViewSet(DeviceScopedViewSet):
    """``/v1/stats/weight``: the device's body weights over a range."""

    queryset = BodyWeight.objects.all()
    pagination_class = None
    filter_backends = []

    @extend_schema(
        operation_id="stats_weight",
        summary="Body weight over a range",
        parameters=[DateRangeQuerySerializer],
        responses={200: WeightStatsSerializer},
        description="Body weights from `from` to `to`, by day (days without a weight are absent).",
    )
    def weight(self, request: Request) -> Response:
        query = DateRangeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        first, last = query.validated_data["from"], query.validated_data["to"]
        points = weight_points(device=self.device, first=first, last=last)
        body = {"from_day": first, "to_day": last, "points": points}
        return Response(WeightStatsSerializer(body).data)


class DeviceDataViewSet(DeviceScopedViewSet):
    """``/v1/data``: reset the diary, export everything."""

    queryset = FoodEntry.objects.all()
    pagination_class = None
    filter_backends = []

    @extend_schema(
        operation_id="data_reset",
        summary="Reset the food diary",
        request=None,
        responses={204: None},
        description=(
            '"Reset all data": soft-deletes every live row the device owns (food '
            "entries, products with their portions, goals, body weights) in one "
            "transaction. They become sync tombstones: a sync from the last cursor "
            "returns exactly them. The device and its token stay; the catalog is "
            "untouched."
        ),
    )
    def reset(self, request: Request) -> Response:
        try:
            device_reset_data(device=self.device)
        except Device.DoesNotExist:
            raise AuthenticationFailed("This device no longer exists.") from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        operation_id="data_export",
        summary="Export all data",
        responses={200: ExportSerializer},
        description=(
            "Every live row the device owns, as one JSON document served as an "
            "attachment. A constant number of queries whatever the data size."
        ),
    )
    def export(self, request: Request) -> Response:
        now = timezone.now()
        document = export_document(device=self.device, now=now)
        return Response(
            document,
            headers={"Content-Disposition": f'attachment; filename="{export_filename(now)}"'},
        )
