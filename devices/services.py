"""Writes of the device account: registration, token rotation, erasure, goals, body weights."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from countonme.errors import Conflict, is_unique_violation
from countonme.models import erase_owned_rows
from devices import tokens
from devices.authentication import DeviceRevoked
from devices.models import BodyWeight, Device, Goal


class DeviceExists(Conflict):
    """409 ``device_exists``: the id is registered and no valid token of it was shown."""

    default_detail = (
        "This device id is already registered. Send its current token as a Bearer "
        "token to rotate it."
    )
    default_code = "device_exists"


@dataclass(frozen=True)
class Registration:
    """The outcome of a registration: the device, its new token, and whether it is new."""

    device: Device
    token: str
    created: bool


def device_register(*, device_id: uuid.UUID, presented_token: str | None) -> Registration:
    """Register a new device, or rotate the token of an existing one.

    A device id alone never yields a token: rotating needs the device's own
    current token. Of concurrent registrations of one new id exactly one
    inserts; the others fail the primary key and get 409 ``device_exists``.
    """
    secret = tokens.new_secret()
    device = Device.objects.filter(pk=device_id).first()
    if device is None:
        try:
            with transaction.atomic():
                device = Device.objects.create(id=device_id, token_hash=tokens.hash_secret(secret))
        except IntegrityError:
            raise DeviceExists() from None
        return Registration(device, tokens.format_token(device_id, secret), created=True)

    if device.is_revoked:
        raise DeviceRevoked()
    parsed = tokens.parse_token(presented_token) if presented_token else None
    if (
        parsed is None
        or parsed.device_id != device.pk
        or not tokens.secret_matches(parsed.secret, device.token_hash)
    ):
        raise DeviceExists()
    # Compare-and-set on the old hash: of two rotations with the same token,
    # one wins and the other finds its token already replaced.
    now = timezone.now()
    rotated = Device.objects.filter(pk=device.pk, token_hash=device.token_hash).update(
        token_hash=tokens.hash_secret(secret), token_rotated_at=now
    )
    if not rotated:
        raise DeviceExists()
    return Registration(device, tokens.format_token(device_id, secret), created=False)


@transaction.atomic
def device_erase(*, device: Device) -> None:
    """Erase the device and every row it owns, for good (right to be forgotten).

    One transaction, one DELETE per table: the token stops working and the
    id may register again. The device's write lock comes first, so a write
    of the device still in flight finishes (and is erased) rather than
    failing on a foreign key at its commit.
    """
    device.lock_for_writes()
    erase_owned_rows(device)


# --- Goals ---------------------------------------------------------------------------


@transaction.atomic
def goal_create(
    *, device: Device, fields: Mapping[str, Any], goal_id: uuid.UUID | None = None
) -> Goal:
    """Save a new goal as the device's one live goal; the previous one is soft-deleted.

    Both writes share one transaction: a device never has zero live goals
    after a failed save, nor two after a successful one.
    """
    Goal.objects.filter(device=device).delete()
    goal = Goal(device=device, **fields)
    if goal_id is not None:
        goal.id = goal_id
    goal.save(force_insert=True)
    return goal


@transaction.atomic
def goal_restore(*, goal: Goal, fields: Mapping[str, Any]) -> Goal:
    """Bring a soft-deleted goal back with new ``fields``, retiring the live one."""
    Goal.objects.filter(device_id=goal.device_id).delete()
    for name, value in fields.items():
        setattr(goal, name, value)
    goal.deleted_at = None
    goal.save()
    return goal


# --- Body weights --------------------------------------------------------------------


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


@transaction.atomic
def body_weight_create(
    *, device: Device, day: date, weight_kg: Decimal, body_weight_id: uuid.UUID | None = None
) -> BodyWeight:
    """Record the weight of a day that has no live weight yet (else 409 ``duplicate_day``)."""
    _ensure_day_is_free(device_id=device.pk, day=day, exclude_id=None)
    weight = BodyWeight(device=device, day=day, weight_kg=weight_kg)
    if body_weight_id is not None:
        weight.id = body_weight_id
    return _save_weight(weight, force_insert=True)


@transaction.atomic
def body_weight_restore(*, body_weight: BodyWeight, day: date, weight_kg: Decimal) -> BodyWeight:
    """Bring a soft-deleted weight back on ``day`` (409 ``duplicate_day`` if it is taken)."""
    _ensure_day_is_free(device_id=body_weight.device_id, day=day, exclude_id=body_weight.pk)
    body_weight.day = day
    body_weight.weight_kg = weight_kg
    body_weight.deleted_at = None
    return _save_weight(body_weight)
