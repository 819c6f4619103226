"""Device endpoints: registration, the current device, erasure.

Goals: ``devices.goals.views``.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from countonme.base.schema import error_response
from countonme.base.throttling import RegisterRateThrottle
from devices import services
from devices.authentication import bearer_token
from devices.serializers import (
    AuthRegistrationSerializer,
    DeviceRegistrationSerializer,
    DeviceSerializer,
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
