"""OpenAPI of the transfer, recovery and claim operations (``devices.codes.views`` applies it)."""

from drf_spectacular.utils import OpenApiExample, extend_schema

from countonme.base.examples import raised_example
from countonme.base.schema import error_response
from devices import examples
from devices.codes.serializers import (
    ClaimRequestSerializer,
    RecoveryCodeSerializer,
    TransferCodeSerializer,
)
from devices.codes.services import InvalidCode
from devices.serializers import DeviceRegistrationSerializer

transfer_code = extend_schema(
    operation_id="devices_me_transfer_code",
    summary="Make a transfer code (move to a new phone)",
    request=None,
    responses={201: TransferCodeSerializer},
    description=(
        "The old phone shows this code; the new phone sends it to `POST /v1/devices/claim` "
        "within `DEVICE_TRANSFER_CODE_MINUTES` (default 15) and becomes the account. "
        "12 Crockford base32 characters (no I, L, O, U; 60 bits), grouped by 4. Single use; "
        "a new transfer code replaces the previous one. Only a keyed hash is stored."
    ),
    examples=[
        OpenApiExample(
            "A transfer code",
            value={"code": "7KQ2-M9XD-4TRB", "expires_at": "2026-03-14T09:45:00Z"},
            response_only=True,
        )
    ],
    tags=["devices"],
)

recovery_code = extend_schema(
    operation_id="devices_me_recovery_code",
    summary="Make a recovery code (get the account back after a reinstall)",
    request=None,
    responses={201: RecoveryCodeSerializer},
    description=(
        "Shown once: the user writes it down or saves it in a password manager. After a "
        "reinstall the app sends it to `POST /v1/devices/claim` and gets the account back. "
        "20 Crockford base32 characters (100 bits), grouped by 4. No expiry, single use; a "
        "new recovery code replaces the previous one. A transfer leaves it valid (it is "
        "the owner's backup). Only a keyed hash is stored."
    ),
    examples=[
        OpenApiExample(
            "A recovery code",
            value={"code": "Q3VB-8N2K-XW7D-5HJC-T9MR"},
            response_only=True,
        )
    ],
    tags=["devices"],
)

claim = extend_schema(
    operation_id="devices_claim",
    summary="Claim an account with a transfer or recovery code",
    request=ClaimRequestSerializer,
    responses={
        200: DeviceRegistrationSerializer,
        400: error_response(
            "Invalid input; a code that is unknown, mistyped, expired, replaced by a newer "
            "one or already used is `invalid_code` (one answer for all, `attr` `code`).",
            raised_example(InvalidCode()),
        ),
        403: error_response(
            "The code's device was revoked by support (`device_revoked`).", examples.DEVICE_REVOKED
        ),
    },
    description=(
        "No authentication. Answers the code's device id and a fresh token: store both "
        "and use the token from now on. The code is used up, and every earlier token of "
        "that device stops working (the old phone gets 401, and registering it again "
        "without a token is 409 `device_exists`); the device's live transfer code goes "
        "too. The code is read forgivingly: any case, spaces and hyphens ignored, I and "
        "L as 1, O as 0. Throttled per client address (`THROTTLE_CLAIM`, default 10/min; "
        "an IPv6 /64 counts as one address)."
    ),
    examples=[
        OpenApiExample("A typed code", value={"code": "7kq2 m9xd 4trb"}, request_only=True),
        OpenApiExample("The account", value=examples.REGISTRATION, response_only=True),
    ],
    tags=["devices"],
)
