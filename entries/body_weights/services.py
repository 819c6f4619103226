"""Writes of body weights: one live weight per device and day."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from countonme.base.errors import Conflict, is_unique_violation
from devices.models import Device
from entries.models import BodyWeight


class DuplicateDay(Conflict):
    """409 ``duplicate_day``: the device already has a live body weight on that day."""

    default_detail = "A body weight already exists for this day."
    default_code = "duplicate_day"


def _ensure_day_is_free(*, device_id: uuid.UUID, day: date, exclude_id: uuid.UUID | None) -> None:
    """409 ``duplicate_day`` when another live weight of the device is on ``day``."""
    taken = BodyWeight.objects.filter(device_id=device_id, day=day)
    if exclude_id is not None:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        raise DuplicateDay()


def _save_weight(weight: BodyWeight, **save_kwargs: Any) -> BodyWeight:
    """Save; a live weight that took the day meanwhile is 409 ``duplicate_day``, not 500.

    The callers run under the device's write lock, which already orders one
    device's writers; the constraint is the last word for any writer that
    does not take it.
    """
    try:
        with transaction.atomic():
            weight.save(**save_kwargs)
    except IntegrityError as error:
        if is_unique_violation(error) and (
            BodyWeight.objects.filter(device_id=weight.device_id, day=weight.day)
            .exclude(pk=weight.pk)
            .exists()
        ):
            raise DuplicateDay() from error
        raise
    return weight


def body_weight_replayed(*, device: Device, day: date, weight_kg: Decimal) -> BodyWeight | None:
    """The device's live weight of ``day`` if it holds ``weight_kg``: a create already applied.

    The app posts weights without an id and replays a post whose answer it
    lost; the same weight on the same day is that replay (200 with the row),
    a different one is a conflict (``DuplicateDay``, from ``body_weight_create``).
    """
    return BodyWeight.objects.filter(device_id=device.pk, day=day, weight_kg=weight_kg).first()


@transaction.atomic
def body_weight_create(
    *, device: Device, day: date, weight_kg: Decimal, id: uuid.UUID | None = None
) -> BodyWeight:
    """Record the weight of a day that has no live weight yet (else 409 ``duplicate_day``).

    ``id`` is the client's (a create posted with its id), else the server makes one.
    """
    _ensure_day_is_free(device_id=device.pk, day=day, exclude_id=None)
    weight = BodyWeight(device=device, day=day, weight_kg=weight_kg)
    if id is not None:
        weight.id = id
    return _save_weight(weight, force_insert=True)


@transaction.atomic
def body_weight_restore(*, body_weight: BodyWeight, day: date, weight_kg: Decimal) -> BodyWeight:
    """Bring a soft-deleted weight back on ``day`` (409 ``duplicate_day`` if it is taken)."""
    _ensure_day_is_free(device_id=body_weight.device_id, day=day, exclude_id=body_weight.pk)
    body_weight.day = day
    body_weight.weight_kg = weight_kg
    body_weight.deleted_at = None
    return _save_weight(body_weight)


def body_weight_update(*, body_weight: BodyWeight, weight_kg: Decimal | None = None) -> BodyWeight:
    """Change a live weight's ``weight_kg`` (its day stays); left out, nothing changes."""
    if weight_kg is not None:
        body_weight.weight_kg = weight_kg
    body_weight.save()
    return body_weight
