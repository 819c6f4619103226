"""What the device-code tests share: the routes, the code formats, the client's calls."""

import re

from rest_framework.test import APIClient

from tests.assertions import assert_error

TRANSFER = "/v1/devices/me/transfer-code"
RECOVERY = "/v1/devices/me/recovery-code"
CLAIM = "/v1/devices/claim"
REGISTER = "/v1/devices/register"

CROCKFORD = "[0-9A-HJKMNP-TV-Z]"
TRANSFER_CODE = re.compile(rf"^{CROCKFORD}{{4}}-{CROCKFORD}{{4}}-{CROCKFORD}{{4}}$")
RECOVERY_CODE = re.compile(rf"^{CROCKFORD}{{4}}(?:-{CROCKFORD}{{4}}){{4}}$")


def claim(code: str, **extra):
    return APIClient().post(CLAIM, {"code": code}, format="json", **extra)


def transfer_code(client) -> str:
    response = client.post(TRANSFER)
    assert response.status_code == 201, response.content
    return response.json()["code"]


def recovery_code(client) -> str:
    response = client.post(RECOVERY)
    assert response.status_code == 201, response.content
    return response.json()["code"]


def works(token: str) -> bool:
    response = APIClient().get("/v1/devices/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    return response.status_code == 200


def assert_invalid_code(response) -> None:
    body = assert_error(response, 400, "invalid_code", "code")
    assert body["errors"][0]["detail"].startswith("This code is not valid")
