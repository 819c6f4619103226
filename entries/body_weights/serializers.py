"""Request and response bodies of ``/v1/body-weights``."""

from decimal import Decimal

from rest_framework import serializers

from countonme.base.serializers import DECIMAL_MIN_POSITIVE, DeviceOwnedSerializer, decimal_field
from entries.models import BodyWeight


class BodyWeightSerializer(DeviceOwnedSerializer):
    """``BodyWeightResponse``; also the ``POST /v1/body-weights`` body."""

    weight_kg = decimal_field(
        min_value=DECIMAL_MIN_POSITIVE, max_value=Decimal(1000), help_text="0 < x ≤ 1000."
    )

    class Meta:
        model = BodyWeight
        fields = ["id", "day", "weight_kg", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {"day": {"help_text": "The user's local calendar day, YYYY-MM-DD."}}


class BodyWeightUpdateSerializer(BodyWeightSerializer):
    """``PATCH /v1/body-weights/{id}``: only the weight changes."""

    id = serializers.UUIDField(read_only=True)
    day = serializers.DateField(read_only=True)
