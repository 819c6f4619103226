"""Device endpoints: registration, the current device, erasure.

Goals: ``devices.goals.views``.
"""

from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from countonme.base.throttling import RegisterRateThrottle
from devices import schema, services
from devices.authentication import bearer_token
from devices.serializers import (
    AuthRegistrationSerializer,
    DeviceRegistrationSerializer,
    DeviceSerializer,
    RegisterRequestSerializer,
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

    @schema.register("devices_register", "Register a device", DeviceRegistrationSerializer)
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

    @schema.register("auth_register", "Register a device (alias)", AuthRegistrationSerializer)
    def post(self, request: Request) -> Response:
        return super().post(request)


class CurrentDeviceView(APIView):
    """``/v1/devices/me``: the authenticated device."""

    @schema.devices_me
    def get(self, request: Request) -> Response:
        return Response(DeviceSerializer(request.auth).data)

    @schema.devices_me_erase
    def delete(self, request: Request) -> Response:
        services.device_erase(device=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
