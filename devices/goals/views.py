"""``/v1/goals``: preview a calculation, save a calculated or manual goal, read, patch, delete."""

import uuid
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from countonme.base.schema import ID_CONFLICT_RESPONSE
from countonme.base.viewsets import (
    DeviceScopedCreateMixin,
    DeviceScopedUpdateMixin,
    DeviceScopedViewSet,
    SoftDestroyMixin,
)
from devices.goals import services
from devices.goals.models import Goal
from devices.goals.serializers import (
    CalculatedGoalSerializer,
    GoalCalculateSerializer,
    GoalPlanSerializer,
    GoalSerializer,
    GoalUpdateSerializer,
    ManualGoalSerializer,
)

_GOAL_SAVE_DESCRIPTION = (
    "Saves the device's goal; the previous live goal is soft-deleted in the same "
    "transaction (one live goal per device). Posting an `id` again: the stored goal "
    "with 200 if live, restored with the posted fields (201) if deleted, 409 "
    "`id_conflict` if it is another device's or another kind's."
)


_GOAL_SAVE_RESPONSES = {
    201: GoalSerializer,
    200: OpenApiResponse(GoalSerializer, description="Replay of a live goal's id."),
    409: ID_CONFLICT_RESPONSE,
}


class NullableJSONRenderer(JSONRenderer):
    """JSON renderer that writes ``None`` as ``null`` (DRF's renders an empty body)."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b"null"
        return super().render(data, accepted_media_type, renderer_context)


@extend_schema_view(
    retrieve=extend_schema(operation_id="goals_retrieve", responses={200: GoalSerializer}),
    partial_update=extend_schema(
        operation_id="goals_partial_update",
        request=GoalUpdateSerializer,
        responses={200: GoalSerializer},
        description=(
            "Changes the targets. The three percentages must still sum to 100 after the "
            "change; the macro grams are recomputed. The goal type and body metrics stay."
        ),
    ),
    destroy=extend_schema(
        operation_id="goals_destroy",
        responses={204: None},
        description="Soft delete: afterwards `GET /v1/goals/current` is null.",
    ),
)
@extend_schema(tags=["goals"])
class GoalViewSet(
    DeviceScopedCreateMixin,
    mixins.RetrieveModelMixin,
    DeviceScopedUpdateMixin,
    SoftDestroyMixin,
    DeviceScopedViewSet,
):
    """The device's daily targets (API.md §7). Routed explicitly in ``devices.urls``."""

    queryset = Goal.objects.all()
    serializer_classes: dict[str, type[serializers.BaseSerializer]] = {
        "calculate": GoalCalculateSerializer,
        "calculated": CalculatedGoalSerializer,
        "manual": ManualGoalSerializer,
        "partial_update": GoalUpdateSerializer,
    }

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return self.serializer_classes.get(self.action, GoalSerializer)

    def get_renderers(self) -> list[BaseRenderer]:
        # Only "current" answers a bare null; elsewhere None means "no body" (204).
        if self.action == "current":
            return [NullableJSONRenderer()]
        return super().get_renderers()

    @extend_schema(
        operation_id="goals_calculate",
        summary="Preview a calculated goal",
        request=GoalCalculateSerializer,
        responses={200: GoalPlanSerializer},
        description=(
            "Preview: computes the targets for these body metrics and saves nothing. "
            "Mifflin–St Jeor BMR, TDEE by activity, the target shifted by the pace for "
            "lose (never below 1200) and gain, the default macro split of the weight "
            "goal type, water 33 ml/kg (at most 10000), BMI and the healthy weight range. "
            "Metrics that give no usable target (BMR below 1, daily calories outside "
            "1–10000, BMI above 9999.9) are 400 `implausible_metrics`. Ages are counted "
            "to the server's date (UTC)."
        ),
    )
    def calculate(self, request: Request) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(GoalPlanSerializer(body.validated_data["plan"]).data)

    @extend_schema(
        operation_id="goals_save_calculated",
        summary="Save a calculated goal",
        request=CalculatedGoalSerializer,
        responses=_GOAL_SAVE_RESPONSES,
        description=_GOAL_SAVE_DESCRIPTION
        + " Percentages left out take the default split; all three must sum to 100.",
    )
    def calculated(self, request: Request) -> Response:
        return self.create(request)

    @extend_schema(
        operation_id="goals_save_manual",
        summary="Save a manual goal",
        request=ManualGoalSerializer,
        responses=_GOAL_SAVE_RESPONSES,
        description=_GOAL_SAVE_DESCRIPTION,
    )
    def manual(self, request: Request) -> Response:
        return self.create(request)

    @extend_schema(
        operation_id="goals_current",
        summary="The current goal",
        responses={
            200: OpenApiResponse(
                # drf-spectacular has no nullable top-level serializer: a raw schema
                # pointing at the Goal component (which goals_retrieve registers).
                {"allOf": [{"$ref": "#/components/schemas/Goal"}], "nullable": True},
                description="The live goal, or `null` when the device has none.",
            )
        },
    )
    def current(self, request: Request) -> Response:
        goal = self.get_queryset().first()
        return Response(self.get_serializer(goal).data if goal is not None else None)

    def save(
        self,
        validated: dict[str, Any],
        *,
        id: uuid.UUID | None = None,
        instance: Goal | None = None,
    ) -> Goal:
        if instance is not None and not instance.is_deleted:
            return services.goal_update(goal=instance, **validated)
        # A create, or the restore of a deleted goal whose id was posted again.
        save_goal = {
            "calculated": services.goal_save_calculated,
            "manual": services.goal_save_manual,
        }[self.action]
        return save_goal(device=self.device, id=id, goal=instance, **validated)

    def check(self, validated: dict[str, Any]) -> None:
        goal_columns = {
            "calculated": services.calculated_goal_columns,
            "manual": services.manual_goal_columns,
        }[self.action]
        goal_columns(**validated)
