"""Device endpoints: registration (and token rotation), the current device, erasure."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from countonme.schema import error_response
from countonme.throttling import RegisterRateThrottle
from devices import services
from devices.authentication import bearer_token
from devices.serializers import (
    AuthRegistrationSerializer,
    DeviceRegistrationSerializer,
    DeviceSerializer,
    RegisterRequestSerializer,
)

_REGISTER_DESCRIPTION = (
    "Creates the device and returns its token (201). Called again for an existing "
    "device with that device's current token as `Authorization: Bearer`, it rotates "
    "the token (200) and the old one stops working. Without it: 409 `device_exists`. "
    "Throttled per client address."
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
        request=RegisterRequestSerializer,
        responses={
            201: DeviceRegistrationSerializer,
            200: OpenApiResponse(DeviceRegistrationSerializer, description="Token rotated."),
            403: error_response("The device was revoked (`device_revoked`)."),
            409: error_response("Registered already, no valid token shown (`device_exists`)."),
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
        request=RegisterRequestSerializer,
        responses={
            201: AuthRegistrationSerializer,
            200: OpenApiResponse(AuthRegistrationSerializer, description="Token rotated."),
            403: error_response("The device was revoked (`device_revoked`)."),
            409: error_response("Registered already, no valid token shown (`device_exists`)."),
        },
        description=_REGISTER_DESCRIPTION,
        tags=["devices"],
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


class CurrentDeviceView(APIView):
    """``/v1/devices/me``: the authenticated device."""

    @extend_schema(operation_id="devices_me", responses={200: DeviceSerializer}, tags=["devices"])
    def get(self, request: Request) -> Response:
        return Response(DeviceSerializer(request.auth).data)

    @extend_schema(
        operation_id="devices_me_erase",
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
