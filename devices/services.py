"""Writes of the device account: registration, token rotation, erasure."""

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from countonme.errors import Conflict
from devices import tokens
from devices.authentication import DeviceRevoked
from devices.models import Device


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
    """Erase the device and every row it owns, for good (right to be forgotten)."""
    Device.objects.filter(pk=device.pk).delete()
