"""Request and response bodies of the device endpoints and body weights."""

from rest_framework import serializers

from countonme.base.serializers import DeviceOwnedSerializer
from countonme.base.strict_input import StrictUUIDField
from devices.goals.serializers import body_metric_field
from devices.models import BodyWeight


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


# --- Body weights --------------------------------------------------------------------


class BodyWeightSerializer(DeviceOwnedSerializer):
    """``BodyWeightResponse``; also the ``POST /v1/body-weights`` body."""

    weight_kg = body_metric_field(max_value=1000, help_text="0 < x ≤ 1000.")

    class Meta:
        model = BodyWeight
        fields = ["id", "day", "weight_kg", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"day": {"help_text": "The user's local calendar day, YYYY-MM-DD."}}


class BodyWeightUpdateSerializer(BodyWeightSerializer):
    """``PATCH /v1/body-weights/{id}``: only the weight changes."""

    id = serializers.UUIDField(read_only=True)
    day = serializers.DateField(read_only=True)
