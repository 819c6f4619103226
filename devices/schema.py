"""OpenAPI of the devices app: the bearer scheme of its authentication, its operations.

``DeviceTokenScheme`` documents ``DeviceTokenAuthentication`` (registered by
``DevicesConfig.ready()``); the decorators below are applied by name in
``devices.views``, so the views read as what the endpoints do.
"""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema

from countonme.base.schema import error_response
from devices import examples
from devices.serializers import (
    AuthRegistrationSerializer,
    DeviceSerializer,
    RegisterRequestSerializer,
)


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Bearer {device_id}.{secret}``."""

    target_class = "devices.authentication.DeviceTokenAuthentication"
    name = "DeviceToken"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "{device_id}.{secret}",
            "description": (
                "The device token from `POST /v1/devices/register`, sent as "
                "`Authorization: Bearer {device_id}.{secret}`."
            ),
        }


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


def register(operation_id: str, summary: str, answer: Any) -> Any:
    """The schema of a registration endpoint answering with ``answer`` (both paths share it)."""
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        request=RegisterRequestSerializer,
        responses={
            201: answer,
            200: OpenApiResponse(
                answer, description="A fresh token for a known device (rotation or recovery)."
            ),
            403: error_response(
                "The device was revoked (`device_revoked`).", examples.DEVICE_REVOKED
            ),
            409: error_response(
                "Registered and in use, no valid token shown, no re-pairing granted "
                "(`device_exists`).",
                examples.DEVICE_EXISTS,
            ),
        },
        examples=[
            examples.REGISTER_REQUEST,
            examples.AUTH_REGISTERED
            if answer is AuthRegistrationSerializer
            else examples.REGISTERED,
        ],
        description=_REGISTER_DESCRIPTION,
        tags=["devices"],
    )


devices_me = extend_schema(
    operation_id="devices_me",
    summary="The authenticated device",
    responses={200: DeviceSerializer},
    examples=[examples.DEVICE],
    tags=["devices"],
)

devices_me_erase = extend_schema(
    operation_id="devices_me_erase",
    summary="Erase the device and its data",
    responses={204: None},
    description=(
        "Permanent erasure: the device and every row it owns are deleted in one "
        "transaction. The token stops working; the id may register again."
    ),
    tags=["devices"],
)
