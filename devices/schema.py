"""drf-spectacular extension: document ``DeviceTokenAuthentication`` as a bearer scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


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
