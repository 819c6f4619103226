"""``/v1/body-weights``: the device's weigh-ins (docs/api.md §8)."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from countonme.base.query import fast_filter_values
from countonme.base.viewsets import (
    ClientId,
    DeviceScopedModelViewSet,
    Fields,
    SharedSerializerListMixin,
)
from entries.body_weights import representation, schema
from entries.body_weights.filters import BodyWeightFilter
from entries.body_weights.serializers import BodyWeightSerializer, BodyWeightUpdateSerializer
from entries.body_weights.services import (
    body_weight_create,
    body_weight_replayed,
    body_weight_restore,
    body_weight_update,
)
from entries.models import BodyWeight


@schema.body_weights
@extend_schema(tags=["body-weights"])
class BodyWeightViewSet(SharedSerializerListMixin, DeviceScopedModelViewSet):
    """The device's weigh-ins, one live per day (docs/api.md §8).

    The list (the app reads it whole: a year of weigh-ins) is written by the
    process's serializer, its fields built once, not per request.
    """

    # (The docstring above is the schema's description.) The list takes the fast
    # path for BodyWeightFilter's parameters in their strict form: compiled SQL,
    # plain rows written by the serializer's derived writer
    # (entries.body_weights.representation).

    queryset = BodyWeight.objects.all()
    serializer_class = BodyWeightSerializer
    filterset_class = BodyWeightFilter
    # No PUT: the contract edits a weight with PATCH only.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = fast_filter_values(BodyWeightFilter, request.query_params)
        if values is None:  # the FilterSet decides, and words any 400
            return super().list(request, *args, **kwargs)
        return representation.weight_list(self, values)

    def get_base_queryset(self) -> QuerySet:
        return BodyWeight.objects.in_day_order()

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "partial_update":
            return BodyWeightUpdateSerializer
        return BodyWeightSerializer

    def find_equivalent(
        self, validated: Fields, *, instance: BodyWeight | None = None
    ) -> BodyWeight | None:
        """The app's replay: the day's live weight when it holds the posted weight (200)."""
        return body_weight_replayed(
            device=self.device, day=validated["day"], weight_kg=validated["weight_kg"]
        )

    def save(self, validated: Fields, id: ClientId, instance: BodyWeight | None) -> BodyWeight:
        if instance is None:
            return body_weight_create(device=self.device, id=id, **validated)
        if instance.is_deleted:
            return body_weight_restore(body_weight=instance, **validated)
        return body_weight_update(body_weight=instance, **validated)
