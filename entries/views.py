"""Food entries, stats and the device's data (docs/api.md §5, §6, §11)."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.response import Response

from countonme.base.query import fast_filter_values, strict_day
from countonme.base.serializers import shared_serializer
from countonme.base.viewsets import (
    ClientId,
    DeviceScopedDocumentViewSet,
    DeviceScopedModelViewSet,
    Fields,
    SharedSerializerListMixin,
    client_supplied_id,
)
from devices.models import Device
from devices.services import device_reset_data
from entries import representation, schema, services
from entries.filters import FoodEntryFilter
from entries.models import BodyWeight, FoodEntry
from entries.selectors import export_document, export_filename, weight_points
from entries.serializers import (
    MAX_RANGE_DAYS,
    CatalogFoodSerializer,
    DateRangeQuerySerializer,
    DayPathSerializer,
    FoodEntryBatchSerializer,
    FoodEntrySerializer,
    WeightStatsSerializer,
    lean_range,
    split_catalog_food,
)
from products.services import portion_from_catalog


@schema.food_entries
class FoodEntryViewSet(SharedSerializerListMixin, DeviceScopedModelViewSet):
    """The device's food diary."""

    queryset = FoodEntry.objects.all()
    serializer_class = FoodEntrySerializer
    filterset_class = FoodEntryFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_base_queryset(self) -> QuerySet:
        return FoodEntry.objects.in_diary_order()

    def represent(self, instance: FoodEntry) -> Any:
        # The output needs no request context: the process's serializer, fields built once.
        return shared_serializer(FoodEntrySerializer).to_representation(instance)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The app opens on ?day=: FoodEntryFilter's parameters in their strict form
        # (countonme.base.query) skip the FilterSet and the serializer
        # (entries.representation); anything else takes the general path.
        values = fast_filter_values(FoodEntryFilter, request.query_params)
        if values is None:
            return super().list(request, *args, **kwargs)
        return representation.entry_list(self, values)

    @schema.batch
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

    def save(self, validated: Fields, id: ClientId, instance: FoodEntry | None) -> FoodEntry:
        if instance is not None and not instance.is_deleted:
            return services.food_entry_update(entry=instance, **validated)
        # A create, or the restore of a deleted entry whose id was posted again.
        return services.food_entry_create(device=self.device, id=id, entry=instance, **validated)

    def check(self, validated: Fields) -> None:
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


class DiaryStatsViewSet(DeviceScopedDocumentViewSet):
    """``/v1/stats/day/{day}`` and ``/v1/stats/daily``: totals of the device's entries."""

    queryset = FoodEntry.objects.all()

    @schema.stats_day
    def day(self, request: Request, day: str) -> Response:
        the_day = strict_day(day)
        if the_day is None:  # the serializer words the 400
            path = DayPathSerializer(data={"day": day})
            path.is_valid(raise_exception=True)
            the_day = path.validated_data["day"]
        return Response(representation.day_stats_body(self.device.pk, the_day))

    @schema.stats_daily
    def daily(self, request: Request) -> Response:
        first, last = lean_range(request.query_params, max_days=MAX_RANGE_DAYS)
        return Response(representation.daily_stats_body(self.device.pk, first, last))


class WeightStatsViewSet(DeviceScopedDocumentViewSet):
    """``/v1/stats/weight``: the device's body weights over a range."""

    queryset = BodyWeight.objects.all()

    @schema.stats_weight
    def weight(self, request: Request) -> Response:
        query = DateRangeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        first, last = query.validated_data["from"], query.validated_data["to"]
        points = weight_points(device=self.device, first=first, last=last)
        body = {"from_day": first, "to_day": last, "points": points}
        return Response(WeightStatsSerializer(body).data)


class DeviceDataViewSet(DeviceScopedDocumentViewSet):
    """``/v1/data``: reset the diary, export everything."""

    queryset = FoodEntry.objects.all()

    @schema.data_reset
    def reset(self, request: Request) -> Response:
        try:
            device_reset_data(device=self.device)
        except Device.DoesNotExist:
            raise AuthenticationFailed("This device no longer exists.") from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @schema.data_export
    def export(self, request: Request) -> Response:
        now = timezone.now()
        document = export_document(device=self.device, now=now)
        return Response(
            document,
            headers={"Content-Disposition": f'attachment; filename="{export_filename(now)}"'},
        )
