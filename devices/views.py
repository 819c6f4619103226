"""Device endpoints (registration, the current device, erasure), goals and body weights."""

import uuid
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from countonme.base.schema import ID_CONFLICT_RESPONSE, error_response
from countonme.base.throttling import RegisterRateThrottle
from countonme.base.viewsets import (
    DeviceScopedCreateMixin,
    DeviceScopedModelViewSet,
    DeviceScopedUpdateMixin,
    DeviceScopedViewSet,
    SoftDestroyMixin,
)
from devices import services
from devices.authentication import bearer_token
from devices.filters import BodyWeightFilter
from devices.models import BodyWeight, Goal
from devices.serializers import (
    AuthRegistrationSerializer,
    BodyWeightSerializer,
    BodyWeightUpdateSerializer,
    CalculatedGoalSerializer,
    DeviceRegistrationSerializer,
    DeviceSerializer,
    GoalCalculateSerializer,
    GoalPlanSerializer,
    GoalSerializer,
    GoalUpdateSerializer,
    ManualGoalSerializer,
    RegisterRequestSerializer,
)

_REGISTER_DESCRIPTION = (
    "Creates the device and returns its token (201). For a known device id, 200 with "
    "a fresh token when: the request carries a valid token of that device as "
    "`Authorization: Bearer` (rotation; the token shown stays valid until the new one "
    "is first used, so a lost answer costs nothing); or the device has never made an "
    "authenticated request (its first answer was lost; earlier tokens stop working); "
    "or support granted a re-pairing (`manage.py allow_repairing`: time-limited, "
    "single use). Otherwise 409 `device_exists` (a device id alone never hands out an "
    "account in use); 403 `device_revoked` for a revoked device. Tokens hashed with a "
    "pepper listed in `DEVICE_TOKEN_PEPPER_FALLBACKS` keep working. Throttled per "
    "client address."
)


def _optional_token(request: Request) -> str | None:
    """The bearer token if one is readable; registration never fails on a bad header."""
    try:
        return bearer_token(request)
    except AuthenticationFailed:
        return None


class RegisterView(APIView):
    """``POST /v1/devices/register``: no authentication; a Bearer token asks for rotation."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [RegisterRateThrottle]
    response_serializer = DeviceRegistrationSerializer

    @extend_schema(
        operation_id="devices_register",
        summary="Register a device",
        request=RegisterRequestSerializer,
        responses={
            201: DeviceRegistrationSerializer,
            200: OpenApiResponse(
                DeviceRegistrationSerializer,
                description="A fresh token for a known device (rotation or recovery).",
            ),
            403: error_response("The device was revoked (`device_revoked`)."),
            409: error_response(
                "Registered and in use, no valid token shown, no re-pairing granted "
                "(`device_exists`)."
            ),
        },
        description=_REGISTER_DESCRIPTION,
        tags=["devices"],
    )
    def post(self, request: Request) -> Response:
        body = RegisterRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        registration = services.device_register(
            device_id=body.validated_data["device_id"], presented_token=_optional_token(request)
        )
        payload = {"device_id": registration.device.pk, "device_token": registration.token}
        if self.response_serializer is AuthRegistrationSerializer:
            payload["token"] = registration.token
        return Response(
            self.response_serializer(payload).data,
            status=status.HTTP_201_CREATED if registration.created else status.HTTP_200_OK,
        )


class AuthRegisterView(RegisterView):
    """``POST /v1/auth/register``: the seed design's name; the answer also has ``token``."""

    response_serializer = AuthRegistrationSerializer

    @extend_schema(
        operation_id="auth_register",
        summary="Register a device (alias)",
        request=RegisterRequestSerializer,
        responses={
            201: AuthRegistrationSerializer,
            200: OpenApiResponse(
                AuthRegistrationSerializer,
                description="A fresh token for a known device (rotation or recovery).",
            ),
            403: error_response("The device was revoked (`device_revoked`)."),
            409: error_response(
                "Registered and in use, no valid token shown, no re-pairing granted "
                "(`device_exists`)."
            ),
        },
        description=_REGISTER_DESCRIPTION,
        tags=["devices"],
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


class CurrentDeviceView(APIView):
    """``/v1/devices/me``: the authenticated device."""

    @extend_schema(
        operation_id="devices_me",
        summary="The authenticated device",
        responses={200: DeviceSerializer},
        tags=["devices"],
    )
    def get(self, request: Request) -> Response:
        return Response(DeviceSerializer(request.auth).data)

    @extend_schema(
        operation_id="devices_me_erase",
        summary="Erase the device and its data",
        responses={204: None},
        description=(
            "Permanent erasure: the device and every row it owns are deleted in one "
            "transaction. The token stops working; the id may register again."
        ),
        tags=["devices"],
    )
    def delete(self, request: Request) -> Response:
        services.device_erase(device=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Goals ---------------------------------------------------------------------------

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
        if instance is None:
            return services.goal_create(device=self.device, fields=validated, goal_id=id)
        if instance.is_deleted:
            return services.goal_restore(goal=instance, fields=validated)
        return services.goal_update(goal=instance, fields=validated)


# --- Body weights --------------------------------------------------------------------


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
            return services.body_weight_create(device=self.device, body_weight_id=id, **validated)
        if instance.is_deleted:
            return services.body_weight_restore(body_weight=instance, **validated)
        return services.body_weight_update(body_weight=instance, **validated)
