"""``/v1/goals``: preview a calculation, save a calculated or manual goal, read, patch, delete."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from countonme.base.compiled import CompiledQuery
from countonme.base.row_writer import row_writer
from countonme.base.viewsets import (
    ClientId,
    DeviceScopedCreateMixin,
    DeviceScopedUpdateMixin,
    DeviceScopedViewSet,
    Fields,
    SoftDestroyMixin,
)
from devices.goals import schema, services
from devices.goals.models import Goal
from devices.goals.serializers import (
    CalculatedGoalSerializer,
    GoalCalculateSerializer,
    GoalPlanSerializer,
    GoalSerializer,
    GoalUpdateSerializer,
    ManualGoalSerializer,
)

# The live goal, read on every app start: SQL compiled once per process (the
# queryset's build and compile cost more than PostgreSQL's answer), as the
# day list's, and a plain row written by GoalSerializer's derived writer. One
# live goal per device (constraint); the order only makes the read
# deterministic, as get_queryset().first() did.
GOAL_ROWS = row_writer(GoalSerializer)
_LIVE_GOAL = CompiledQuery(
    lambda device_id: (
        Goal.objects.filter(device_id=device_id).order_by("pk").values_list(*GOAL_ROWS.columns)
    )
)

# Each create action's services: the goal's columns (every rule of the save,
# 400 percent_sum and implausible_metrics, writing nothing: the replay check)
# and the save itself.
_CREATE_SERVICES = {
    "calculated": (services.calculated_goal_columns, services.goal_save_calculated),
    "manual": (services.manual_goal_columns, services.goal_save_manual),
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


@schema.goals
@extend_schema(tags=["goals"])
class GoalViewSet(
    DeviceScopedCreateMixin,
    mixins.RetrieveModelMixin,
    DeviceScopedUpdateMixin,
    SoftDestroyMixin,
    DeviceScopedViewSet,
):
    """The device's daily targets (docs/api.md §7). Routed explicitly in ``devices.urls``."""

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

    @schema.calculate
    def calculate(self, request: Request) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        metrics = body.pop_metrics(dict(body.validated_data))
        plan = services.goal_preview(metrics=metrics, today=body.today)
        return Response(GoalPlanSerializer(plan).data)

    @schema.save_calculated
    def calculated(self, request: Request) -> Response:
        return self.create(request)

    @schema.save_manual
    def manual(self, request: Request) -> Response:
        return self.create(request)

    @schema.current
    def current(self, request: Request) -> Response:
        # The device's live goal (get_queryset's filter), a plain row.
        found = _LIVE_GOAL.fetch(device_id=self.device.pk, limit=1)
        return Response(GOAL_ROWS.write(found)[0] if found else None)

    def save(self, validated: Fields, id: ClientId, instance: Goal | None) -> Goal:
        if instance is not None and not instance.is_deleted:
            return services.goal_update(goal=instance, **validated)
        # A create, or the restore of a deleted goal whose id was posted again.
        _, save_goal = _CREATE_SERVICES[self.action]
        return save_goal(device=self.device, id=id, goal=instance, **validated)

    def check(self, validated: Fields) -> None:
        goal_columns, _ = _CREATE_SERVICES[self.action]
        goal_columns(**validated)
