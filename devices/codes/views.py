"""``/v1/devices/me/transfer-code``, ``/v1/devices/me/recovery-code``, ``/v1/devices/claim``."""

from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from devices.codes import schema, services
from devices.codes.models import CodeKind
from devices.codes.serializers import (
    ClaimRequestSerializer,
    RecoveryCodeSerializer,
    TransferCodeSerializer,
)
from devices.codes.throttling import ClaimRateThrottle
from devices.serializers import DeviceRegistrationSerializer


class TransferCodeView(APIView):
    """The authenticated device makes a transfer code for its new phone."""

    @schema.transfer_code
    def post(self, request: Request) -> Response:
        issued = services.device_code_make(device=request.auth, kind=CodeKind.TRANSFER)
        body = {"code": issued.code, "expires_at": issued.expires_at}
        return Response(TransferCodeSerializer(body).data, status=status.HTTP_201_CREATED)


class RecoveryCodeView(APIView):
    """The authenticated device makes a recovery code, shown once."""

    @schema.recovery_code
    def post(self, request: Request) -> Response:
        issued = services.device_code_make(device=request.auth, kind=CodeKind.RECOVERY)
        return Response(
            RecoveryCodeSerializer({"code": issued.code}).data, status=status.HTTP_201_CREATED
        )


class ClaimView(APIView):
    """No authentication: the code is the credential. Throttled per client address."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ClaimRateThrottle]

    @schema.claim
    def post(self, request: Request) -> Response:
        body = ClaimRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        claim = services.device_claim(code=body.validated_data["code"])
        payload = {"device_id": claim.device.pk, "device_token": claim.token}
        return Response(DeviceRegistrationSerializer(payload).data)
