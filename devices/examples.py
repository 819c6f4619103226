"""Example values of the devices app's operations (the OpenAPI document's examples).

One story runs through every app's examples (``countonme.base.examples``):
the device below logs rolled oats for breakfast on 14 March 2026.
tests/test_schema_examples.py validates each against its schema and sends the
requests to the API.
"""

from drf_spectacular.utils import OpenApiExample

from countonme.base.examples import (
    EXAMPLE_CREATED_AT,
    EXAMPLE_DEVICE_ID,
    EXAMPLE_DEVICE_TOKEN,
    exception_example,
)
from devices.authentication import DeviceRevoked
from devices.services import DeviceExists

REGISTER_REQUEST = OpenApiExample(
    "A new phone", value={"device_id": EXAMPLE_DEVICE_ID}, request_only=True
)
REGISTRATION = {"device_id": EXAMPLE_DEVICE_ID, "device_token": EXAMPLE_DEVICE_TOKEN}
REGISTERED = OpenApiExample(
    "The device token", value=REGISTRATION, response_only=True, status_codes=["201", "200"]
)
AUTH_REGISTERED = OpenApiExample(
    "The device token (also as token)",
    value={**REGISTRATION, "token": EXAMPLE_DEVICE_TOKEN},
    response_only=True,
    status_codes=["201", "200"],
)
DEVICE_EXISTS = exception_example(DeviceExists)
DEVICE_REVOKED = exception_example(DeviceRevoked)

DEVICE = OpenApiExample(
    "This device",
    value={
        "device_id": EXAMPLE_DEVICE_ID,
        "created_at": "2026-03-01T18:04:51.207316Z",
        "last_seen_at": EXAMPLE_CREATED_AT,
    },
    response_only=True,
)
