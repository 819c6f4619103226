"""Writes of the device account: registration, token rotation, erasure.

Goal writes: ``devices.goals.services``.
"""

import datetime
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from countonme.base.errors import Conflict
from countonme.base.models import erase_owned_rows, soft_delete_owned_rows
from devices import tokens
from devices.authentication import DeviceRevoked
from devices.models import Device, DeviceCode, DeviceNote

# Who re-paired which device and when: support and security read these lines.
# Never a token, nor a hash of one.
log = logging.getLogger("countonme.devices")


class DeviceExists(Conflict):
    """409 ``device_exists``: the id is registered and no valid token of it was shown."""

    default_detail = (
        "This device id is already registered and in use. Send its current token as a "
        "Bearer token to rotate it. If the app has lost its token, contact support with "
        "this device id: they can allow this device to register again once."
    )
    default_code = "device_exists"


@dataclass(frozen=True)
class Registration:
    """The outcome of a registration: the device, its new token, and whether it is new."""

    device: Device
    token: str
    created: bool


def device_register(*, device_id: uuid.UUID, presented_token: str | None) -> Registration:
    """Register a new device (201), or give a known one a fresh token (200).

    A device id alone never hands out an account in use. A known id gets a
    fresh token when the request shows a valid token of the device (its
    current one, or the previous one while the current was never used: a
    rotation), when the device never made an authenticated request (its
    first answer was lost: it owns nothing yet), or through a support grant
    (``device_allow_repairing``). Anything else raises ``DeviceExists``
    (409); a revoked device raises ``DeviceRevoked`` (403).

    Every path writes with one conditional UPDATE on the state it read, so of
    concurrent registrations of one id exactly one succeeds (the others: 409,
    never a second token that silently kills the first). Of concurrent
    creations of one new id exactly one inserts.
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
    match = (
        tokens.match_secret(
            parsed.secret,
            current_hash=device.token_hash,
            previous_hash=device.previous_token_hash,
        )
        if parsed is not None and parsed.device_id == device.pk
        else None
    )
    if match is not None:
        # Rotation: the token shown stays valid until the new one is first used.
        replaced = _rekey(device, secret, previous_hash=tokens.hash_secret(parsed.secret))
    elif not device.has_authenticated:
        # Its first answer (or a rotation's) was lost before any use: nothing to take over.
        replaced = _rekey(device, secret, previous_hash="", last_seen_at__isnull=True)
    else:
        replaced = _repair_with_grant(device, secret)
    if not replaced:
        raise DeviceExists()
    return Registration(device, tokens.format_token(device_id, secret), created=False)


def _rekey(device: Device, secret: str, *, previous_hash: str, **condition: Any) -> bool:
    """Give ``device`` the token ``secret`` if it is still as read; whether it was.

    Compare-and-set on both stored hashes (and ``condition``): of two
    registrations racing from the same state, one wins and the other finds
    the state changed. An open re-pairing grant is used up too: this
    registration is one the grant would have served, and left open it would
    let anyone who knows the id take the device from the app that just
    registered (``_repair_with_grant``).
    """
    rekeyed = Device.objects.filter(
        pk=device.pk,
        token_hash=device.token_hash,
        previous_token_hash=device.previous_token_hash,
        **condition,
    ).update(
        token_hash=tokens.hash_secret(secret),
        previous_token_hash=previous_hash,
        token_rotated_at=timezone.now(),
        repairing_allowed_until=None,
    )
    if rekeyed and device.repairing_allowed_until is not None:
        log.info(
            "Re-pairing grant of device %s (valid until %s) used up by a registration",
            device.pk,
            device.repairing_allowed_until.isoformat(),
        )
    return bool(rekeyed)


def device_allow_repairing(
    *, device: Device, valid_for: datetime.timedelta | None = None, granted_by: str
) -> datetime.datetime:
    """Let the next registration of ``device`` without a token succeed, once, until the expiry.

    Support grants it when a user's app is locked out (a 401 it cannot recover
    from). ``valid_for`` defaults to ``DEVICE_REPAIRING_WINDOW_HOURS``; a new
    grant replaces an unused one. Returns the expiry (aware, UTC). Logged with
    ``granted_by`` (a staff username or "manage.py"). Raises ``ValueError``
    for a window that is not positive, ``Device.DoesNotExist`` when the
    device was erased meanwhile.
    """
    if valid_for is None:
        valid_for = datetime.timedelta(hours=settings.DEVICE_REPAIRING_WINDOW_HOURS)
    if valid_for <= datetime.timedelta(0):
        raise ValueError("The re-pairing window must be positive.")
    until = timezone.now() + valid_for
    if not Device.objects.filter(pk=device.pk).update(repairing_allowed_until=until):
        raise Device.DoesNotExist(f"No device {device.pk}.")
    device.repairing_allowed_until = until
    log.info(
        "Re-pairing of device %s allowed until %s, granted by %s",
        device.pk,
        until.isoformat(),
        granted_by,
    )
    return until


def _repair_with_grant(device: Device, secret: str) -> bool:
    """Give the device the token ``secret`` if a re-pairing grant is open; whether it was.

    One UPDATE checks the grant, consumes it and replaces the token hash, so
    of two registrations racing for one grant exactly one takes it; the other
    goes on as if there were none (409 ``device_exists``).
    """
    until = device.repairing_allowed_until
    now = timezone.now()
    if until is None or until <= now:
        return False
    taken = Device.objects.filter(
        pk=device.pk, repairing_allowed_until=until, repairing_allowed_until__gt=now
    ).update(
        repairing_allowed_until=None,
        token_hash=tokens.hash_secret(secret),
        previous_token_hash="",
        token_rotated_at=now,
    )
    if taken:
        log.info("Device %s re-paired through a support grant (valid until %s)", device.pk, until)
    return bool(taken)


@transaction.atomic
def device_erase(*, device: Device) -> None:
    """Erase the device and every row it owns, for good (right to be forgotten).

    One transaction, one DELETE per table: the token stops working, its
    transfer and recovery codes and staff notes are gone, and the id may register again. The
    device's write lock comes first, so a write of the device still in flight
    finishes (and is erased) rather than failing on a foreign key at its commit.
    """
    device.lock_for_writes()
    DeviceCode.objects.filter(device_id=device.pk).delete()
    DeviceNote.objects.filter(device_id=device.pk).delete()
    erase_owned_rows(device)


@transaction.atomic
def device_reset_data(*, device: Device) -> dict[str, int]:
    """Soft-delete every live row the device owns: "Reset all data" in the app.

    Food entries, products with their portions, goals and body weights (every
    device-owned model) go in one transaction, as sync tombstones; the device
    and its token stay, the catalog is untouched. Returns the number of rows
    deleted per model label (``"entries.FoodEntry"``: 12, ...). Raises
    ``Device.DoesNotExist`` when the device was erased meanwhile.
    """
    if not device.lock_for_writes():
        raise Device.DoesNotExist(f"No device {device.pk}.")
    return soft_delete_owned_rows(device)


def device_revoke(*, device: Device) -> bool:
    """Lock the device out: its token gets 403 ``device_revoked`` from the next request.

    Returns whether it changed anything (False when it was already revoked).
    The token hash stays, so un-revoking gives the same phone its access back.
    """
    revoked = Device.objects.filter(pk=device.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    device.refresh_from_db(fields=["revoked_at"])
    return bool(revoked)


def device_unrevoke(*, device: Device) -> bool:
    """Give a revoked device its access back; False when it was not revoked."""
    restored = Device.objects.filter(pk=device.pk, revoked_at__isnull=False).update(revoked_at=None)
    device.revoked_at = None
    return bool(restored)
