"""Making, claiming and revoking transfer and recovery codes (docs/api.md §2, README).

- ``device_code_make``: the device's new transfer code (12 characters, 60 bits,
  ``DEVICE_TRANSFER_CODE_MINUTES``) or recovery code (20 characters, 100 bits,
  no expiry); it replaces the previous one of its kind.
- ``device_claim``: a code in, the code's device and a fresh token out; the code
  is used up and every earlier token of the device stops working.
- ``device_codes_revoke``: support removes a device's codes.

Codes are stored only as HMAC-SHA256 under the token pepper (like tokens,
``devices.tokens``) and are never logged: each make, claim and revoke is
logged with the device id, the kind and times only.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import exceptions, serializers

from devices import tokens
from devices.authentication import DeviceRevoked
from devices.codes import crockford
from devices.codes.models import CodeKind, DeviceCode, live_codes
from devices.models import Device

log = logging.getLogger("countonme.devices")

LENGTHS = {CodeKind.TRANSFER: 12, CodeKind.RECOVERY: 20}
_KIND_OF_LENGTH = {length: kind for kind, length in LENGTHS.items()}
# A new code whose digest another device's live code has (2**-60 per pair for
# transfer codes) is drawn again; three clashes in a row mean something else is wrong.
_DRAWS = 3


class InvalidCode(serializers.ValidationError):
    """400 ``invalid_code``: unknown, expired, replaced or used — one answer for all."""

    default_detail = (
        "This code is not valid: it may be mistyped, expired, replaced by a newer one "
        "or already used."
    )
    default_code = "invalid_code"

    def __init__(self) -> None:
        super().__init__({"code": [self.default_detail]}, code=self.default_code)


@dataclass(frozen=True)
class IssuedCode:
    """A code as shown once to its device (grouped by 4), and when it stops working."""

    code: str
    expires_at: datetime | None


@dataclass(frozen=True)
class Claim:
    """The device a code belonged to and its new token (``{device_id}.{secret}``)."""

    device: Device
    token: str


def code_digest(code: str, pepper: str | None = None) -> str:
    """HMAC-SHA256 of a code in its stored form (``crockford.read_code``), 64 hex.

    Keyed like tokens (``pepper`` defaults to the current one); the ``code:``
    prefix keeps the two kinds of secret apart.
    """
    return tokens.hash_secret(f"code:{code}", pepper)


def _peppered_digests(code: str) -> list[str]:
    """The code's digest under the current pepper and each fallback pepper.

    A recovery code made before a pepper rotation keeps working, as tokens do
    (``DEVICE_TOKEN_PEPPER_FALLBACKS``).
    """
    peppers = [settings.DEVICE_TOKEN_PEPPER, *settings.DEVICE_TOKEN_PEPPER_FALLBACKS]
    return [code_digest(code, pepper) for pepper in peppers]


@transaction.atomic
def device_code_make(*, device: Device, kind: CodeKind) -> IssuedCode:
    """Make ``device``'s new code of ``kind``, replacing the previous one; shown once.

    Transfer codes expire after ``DEVICE_TRANSFER_CODE_MINUTES``; recovery codes
    do not. Runs under the device's row lock and only while the token the
    request showed is still the device's (a claim that committed meanwhile
    ended it: 401), so no code outlives the holder who made it. Returns the
    code grouped by 4 (``XXXX-XXXX-XXXX``) and its expiry (``None`` for
    recovery codes).
    """
    holder = Device.objects.select_for_update().filter(pk=device.pk, token_hash=device.token_hash)
    if not holder.exists():
        raise exceptions.AuthenticationFailed("This token was replaced; use the new one.")
    now = timezone.now()
    expires_at = (
        now + timedelta(minutes=settings.DEVICE_TRANSFER_CODE_MINUTES)
        if kind == CodeKind.TRANSFER
        else None
    )
    for draw in range(_DRAWS):
        code = crockford.new_code(LENGTHS[kind])
        try:
            with transaction.atomic():
                DeviceCode.objects.update_or_create(
                    device=device,
                    kind=kind,
                    defaults={
                        "digest": code_digest(code),
                        "created_at": now,
                        "expires_at": expires_at,
                    },
                )
            break
        except IntegrityError:
            if draw == _DRAWS - 1:
                raise
    log.info(
        "Device %s made a %s%s",
        device.pk,
        CodeKind(kind).label,
        f" valid until {expires_at.isoformat()}" if expires_at else "",
    )
    return IssuedCode(code=crockford.grouped(code), expires_at=expires_at)


@transaction.atomic
def device_claim(*, code: str) -> Claim:
    """Take the account a code belongs to: its device and a fresh token.

    ``code`` as typed (``crockford.read_code``: any case, spaces and hyphens
    ignored). The code is used up; every earlier token of the device stops
    working (the old phone gets 401, and its registration without a token is
    409 as for any used device); the device's live transfer code, made by the
    earlier holder, goes too, and so does an open re-pairing grant. A recovery
    code survives a transfer: it is the owner's backup.

    Raises ``InvalidCode`` (400 ``invalid_code``) for an unknown, expired,
    replaced or used code alike: each is the same one indexed read finding
    no row (expiry is part of its condition), so neither the answer nor the
    work tells them apart. Raises ``DeviceRevoked`` (403) for a revoked
    device, leaving the code as it was.

    Of two claims of one code exactly one succeeds: both take the device's
    row lock before deleting the code, and the second one's DELETE finds it
    gone. The device lock comes before any code row lock, in the same order
    as ``device_code_make``, so a claim and a make never deadlock.
    """
    typed = crockford.read_code(code, lengths=frozenset(_KIND_OF_LENGTH))
    if typed is None:
        raise InvalidCode()
    now = timezone.now()
    # The code is looked up by its digest. The attacker picks the code, not the
    # digest (a keyed hash), so how long the index takes to say "no" tells
    # nothing about any stored code; every miss is this same statement.
    matching = DeviceCode.objects.filter(
        live_codes(now), digest__in=_peppered_digests(typed), kind=_KIND_OF_LENGTH[len(typed)]
    )
    found = matching.values_list("device_id", "kind", "created_at").first()
    if found is None:
        raise InvalidCode()
    device_id, kind, made_at = found
    device = Device.objects.select_for_update().filter(pk=device_id).first()
    if device is None:  # erased since the read
        raise InvalidCode()
    if device.is_revoked:
        raise DeviceRevoked()  # nothing written: the code stays
    used, _ = matching.delete()
    if not used:  # another claim (or a newer code) took it first
        raise InvalidCode()
    secret = tokens.new_secret()
    fresh = {
        "token_hash": tokens.hash_secret(secret),
        "previous_token_hash": "",
        "token_rotated_at": now,
        "repairing_allowed_until": None,
    }
    Device.objects.filter(pk=device.pk).update(**fresh)
    for field, value in fresh.items():
        setattr(device, field, value)
    DeviceCode.objects.filter(device_id=device.pk, kind=CodeKind.TRANSFER).delete()
    log.info(
        "Device %s claimed with its %s made at %s; its earlier tokens no longer work",
        device.pk,
        CodeKind(kind).label,
        made_at.isoformat(),
    )
    return Claim(device=device, token=tokens.format_token(device.pk, secret))


@transaction.atomic
def device_codes_revoke(*, device: Device, revoked_by: str) -> int:
    """Remove every transfer and recovery code of ``device``; how many there were.

    Support does it when a user fears a code was seen (a recovery code on a
    lost note). Logged with ``revoked_by`` (a staff username).
    """
    removed, _ = DeviceCode.objects.filter(device_id=device.pk).delete()
    log.info("Codes of device %s revoked by %s (%d removed)", device.pk, revoked_by, removed)
    return removed
