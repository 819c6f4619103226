"""Serializer pieces every device-owned resource shares."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from countonme.base.compiled import CompiledInstances
from countonme.base.models import DeviceOwnedModel
from countonme.base.strict_input import (
    StrictBooleanField,
    StrictCharField,
    StrictDateField,
    StrictIntegerField,
    StrictUUIDField,
    parse_decimal_or_fail,
    parse_uuid,
)

# Amounts, weights, calories and macros: decimal strings with 3 places out,
# numbers or numeric strings in. Input is rounded to 3 places rather than
# refused: a JavaScript client sends 0.1 + 0.2 as 0.30000000000000004.
DECIMAL_MAX_DIGITS = 12
DECIMAL_PLACES = 3
# The smallest positive value with 3 places: "greater than 0" in a decimal's terms.
DECIMAL_MIN_POSITIVE = Decimal("0.001")


class RoundedDecimalField(serializers.DecimalField):
    """A ``DecimalField`` that rounds extra decimal places instead of refusing them.

    DRF checks the number of digits before it rounds, so without this
    ``0.30000000000000004`` would be a 400 even with ``rounding`` set.
    """

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        # DRF reads "" as null on a nullable DecimalField; "" is no number: 400.
        if isinstance(data, str) and not data.strip():
            self.fail("invalid")
        return serializers.Field.validate_empty_values(self, data)

    def to_internal_value(self, data: Any) -> Decimal:
        # A JSON number or a plain ASCII decimal string (countonme.base.strict_input).
        value = parse_decimal_or_fail(self, data)
        # The range holds for the value as sent, before rounding, so that the
        # schema's minimum/maximum say exactly what is accepted (0.0006 is
        # below a minimum of 0.001 even though it would round to it).
        if self.min_value is not None and value < self.min_value:
            self.fail("min_value", min_value=self.min_value)
        if self.max_value is not None and value > self.max_value:
            self.fail("max_value", max_value=self.max_value)
        rounded = super().to_internal_value(value)
        # -0.0 (a JavaScript client's 0 * -1) is 0: echoed as "-0.000" it read as negative.
        return rounded.copy_abs() if rounded.is_zero() else rounded

    def validate_precision(self, value: Decimal) -> Decimal:
        try:
            rounded = self.quantize(value)
        except InvalidOperation:  # more whole digits than max_digits allows
            self.fail("max_digits", max_digits=self.max_digits)
        return super().validate_precision(rounded)


def decimal_field(**kwargs: Any) -> serializers.DecimalField:
    """A decimal of the API: 3 places, rounded half up, serialised as a string."""
    kwargs.setdefault("max_digits", DECIMAL_MAX_DIGITS)
    return RoundedDecimalField(decimal_places=DECIMAL_PLACES, rounding=ROUND_HALF_UP, **kwargs)


@cache
def _live_rows(model: type[DeviceOwnedModel]) -> CompiledInstances:
    return CompiledInstances(
        model, lambda device_id, pk: model.objects.filter(device_id=device_id, pk=pk).order_by()
    )


def live_row(model: type[DeviceOwnedModel], *, device_id: Any, pk: Any) -> Any:
    """The device's live ``model`` row with primary key ``pk``, or ``None``.

    ``model.objects.filter(device_id=..., pk=...).first()`` on SQL compiled once
    per process and model: an entry's create reads its product and portion so.
    """
    found = _live_rows(model).fetch(device_id=device_id, pk=pk)
    return found[0] if found else None


@extend_schema_field(OpenApiTypes.UUID)
class DeviceOwnedRelatedField(serializers.RelatedField):
    """An input id resolved only among the requesting device's live rows.

    DRF's default related field looks ids up through the model's global
    manager, which would let one device point at another's rows. Here an id
    that is unknown, deleted or another device's is the same 404.
    """

    default_error_messages = {"invalid": "Must be a valid UUID."}

    def __init__(self, model: type[DeviceOwnedModel], **kwargs: Any) -> None:
        # No queryset argument: DRF re-runs __init__ for every serializer it
        # builds, and a queryset made each time cost ~0.1 ms a field.
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self) -> models.QuerySet:
        return self.model.objects.filter(device=self.context["device"])

    def to_internal_value(self, data: Any) -> DeviceOwnedModel:
        try:
            pk = parse_uuid(data)
        except ValueError:
            self.fail("invalid")
        row = live_row(self.model, device_id=self.context["device"].pk, pk=pk)
        if row is None:
            # 404 naming the field, with the same text for unknown and foreign ids.
            raise exceptions.NotFound({self.field_name: [exceptions.NotFound.default_detail]})
        return row

    def use_pk_only_optimization(self) -> bool:
        # Output needs the id only: read the FK column, never fetch the row.
        return True

    def to_representation(self, value: Any) -> str:
        return str(value.pk)


class DeviceOwnedSerializer(serializers.ModelSerializer):
    """Base of device-owned resources: an optional client ``id`` on create, fixed after.

    Model fields become the strict fields of ``countonme.base.strict_input``.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: StrictDateField,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.BooleanField: StrictBooleanField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.SmallIntegerField: StrictIntegerField,
        models.UUIDField: StrictUUIDField,
    }

    id = StrictUUIDField(
        required=False,
        help_text=(
            "Client-chosen id (optional). Reposting an id this device already used "
            "returns the stored row (200) or restores it if deleted (201)."
        ),
    )

    def update(self, instance: DeviceOwnedModel, validated_data: dict[str, Any]) -> Any:
        validated_data.pop("id", None)  # an id never changes
        return super().update(instance, validated_data)


@cache
def shared_serializer(serializer_class: type[serializers.Serializer]) -> serializers.Serializer:
    """One output-only instance of ``serializer_class`` per process, fields built once.

    DRF builds a serializer's fields anew for every instance (a deep copy of the
    declared fields, and a mapping of each model field): ~1 ms a request on
    the hot paths, for the same result every time. ``to_representation`` of a
    built serializer keeps no state, so one instance serves every request and
    thread, for serializers whose output needs no request context.
    """
    serializer = serializer_class(context={})
    serializer.fields  # noqa: B018 - build them now, not under the first requests
    return serializer
