"""Request and response bodies of the device endpoints."""

from rest_framework import serializers

from countonme.base.strict_input import StrictUUIDField


class RegisterRequestSerializer(serializers.Serializer):
    """``POST /v1/devices/register`` body."""

    device_id = StrictUUIDField(help_text="The id the app generated for this phone.")


class DeviceRegistrationSerializer(serializers.Serializer):
    """The new token of a device."""

    device_id = serializers.UUIDField()
    device_token = serializers.CharField(
        help_text="Send as `Authorization: Bearer {device_token}`. Shown once; only a hash is kept."
    )


class AuthRegistrationSerializer(DeviceRegistrationSerializer):
    """``POST /v1/auth/register`` answer: the same, with the token also as ``token``."""

    token = serializers.CharField(help_text="Same value as `device_token`.")


class DeviceSerializer(serializers.Serializer):
    """``GET /v1/devices/me``."""

    device_id = serializers.UUIDField(source="pk")
    created_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField(allow_null=True)
