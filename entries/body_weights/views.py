"""``/v1/body-weights``: the device's weigh-ins (docs/api.md §8)."""

import uuid
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers

from countonme.base.schema import error_response
from countonme.base.viewsets import DeviceScopedModelViewSet
from entries.body_weights.filters import BodyWeightFilter
from entries.body_weights.serializers import BodyWeightSerializer, BodyWeightUpdateSerializer
from entries.body_weights.services import (
    body_weight_create,
    body_weight_restore,
    body_weight_update,
)
from entries.models import BodyWeight


@extend_schema_view(
    list=extend_schema(
        operation_id="body_weights_list",
        description="Live body weights, ordered by day; `from`/`to` are inclusive.",
    ),
    create=extend_schema(
        operation_id="body_weights_create",
        request=BodyWeightSerializer,
        responses={
            201: BodyWeightSerializer,
            200: OpenApiResponse(
                BodyWeightSerializer, description="Replay of a live body weight's id."
            ),
            409: error_response(
                "A live weight exists for that day (`duplicate_day`), or the id belongs to "
                "another device or another kind (`id_conflict`)."
            ),
        },
        description=(
            "Records the weight of a day. Posting an `id` again: the stored row with 200 "
            "if live, restored with the posted fields (201) if deleted."
        ),
    ),
    retrieve=extend_schema(operation_id="body_weights_retrieve"),
    partial_update=extend_schema(
        operation_id="body_weights_partial_update",
        request=BodyWeightUpdateSerializer,
        responses={200: BodyWeightSerializer},
        description="Changes `weight_kg`; the day stays.",
    ),
    destroy=extend_schema(operation_id="body_weights_destroy", responses={204: None}),
)
@extend_schema(tags=["body-weights"])
class BodyWeightViewSet(DeviceScopedModelViewSet):
    """The device's weigh-ins, one live per day (API.md §8)."""

    queryset = BodyWeight.objects.all()
    serializer_class = BodyWeightSerializer
    filterset_class = BodyWeightFilter
    # No PUT: the contract edits a weight with PATCH only.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_base_queryset(self) -> QuerySet:
        # The day is unique among live rows, so it is a total order.
        return BodyWeight.objects.order_by("day")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "partial_update":
            return BodyWeightUpdateSerializer
        return BodyWeightSerializer

    def save(
        self,
        validated: dict[str, Any],
        *,
        id: uuid.UUID | None = None,
        instance: BodyWeight | None = None,
    ) -> BodyWeight:
        if instance is None:
            return body_weight_create(device=self.device, body_weight_id=id, **validated)
        if instance.is_deleted:
            return body_weight_restore(body_weight=instance, **validated)
        return body_weight_update(body_weight=instance, **validated)
