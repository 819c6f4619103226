"""POST /v1/devices/register and /v1/auth/register: every case of API.md §2."""

import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from devices import tokens
from devices.models import Device
from tests.concurrency import race
from tests.factories import DeviceFactory

REGISTER = "/v1/devices/register"


def register(client: APIClient, device_id, token: str | None = None, path: str = REGISTER):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(path, {"device_id": str(device_id)}, format="json", **headers)


def error_codes(response) -> list[str]:
    return [error["code"] for error in response.json()["errors"]]


@pytest.mark.django_db
class TestNewDevice:
    def test_creates_the_device_and_returns_a_working_token(self, api_client):
        device_id = uuid.uuid4()
        response = register(api_client, device_id)

        assert response.status_code == 201
        body = response.json()
        assert body["device_id"] == str(device_id)
        token_device, _, secret = body["device_token"].partition(".")
        assert token_device == str(device_id)
        assert len(secret) >= 43  # token_urlsafe(32): 256 bits
        stored = Device.objects.get(pk=device_id)
        assert stored.token_hash == tokens.hash_secret(secret)
        assert secret not in stored.token_hash
        me = api_client.get("/v1/devices/me", HTTP_AUTHORIZATION=f"Bearer {body['device_token']}")
        assert me.status_code == 200
        assert me.json()["device_id"] == str(device_id)

    def test_a_bad_authorization_header_does_not_block_a_new_registration(self, api_client):
        response = register(api_client, uuid.uuid4(), token="garbage token")
        assert response.status_code == 201

    @pytest.mark.parametrize(
        ("body", "code"),
        [
            ({}, "required"),
            ({"device_id": "not-a-uuid"}, "invalid"),
            ({"device_id": None}, "null"),
            ({"device_id": 12345}, "invalid"),
            ({"device_id": True}, "invalid"),
        ],
    )
    def test_invalid_body_is_400_naming_the_field(self, api_client, body, code):
        response = api_client.post(REGISTER, body, format="json")
        assert response.status_code == 400
        assert response.json() == {
            "type": "validation_error",
            "errors": [
                {
                    "code": code,
                    "detail": response.json()["errors"][0]["detail"],
                    "attr": "device_id",
                }
            ],
        }
        assert Device.objects.count() == 0


@pytest.mark.django_db
class TestExistingDevice:
    def test_rotation_with_its_own_token_returns_a_new_one_and_retires_the_old(
        self, api_client, device
    ):
        response = register(api_client, device.id, token=device.token)

        assert response.status_code == 200
        new_token = response.json()["device_token"]
        assert new_token != device.token
        assert new_token.startswith(f"{device.id}.")
        old = APIClient().get("/v1/devices/me", HTTP_AUTHORIZATION=f"Bearer {device.token}")
        assert old.status_code == 401
        new = APIClient().get("/v1/devices/me", HTTP_AUTHORIZATION=f"Bearer {new_token}")
        assert new.status_code == 200
        device.refresh_from_db()
        assert device.token_rotated_at is not None

    def test_without_a_token_is_409_device_exists(self, api_client, device):
        response = register(api_client, device.id)

        assert response.status_code == 409
        assert response.json()["type"] == "client_error"
        assert error_codes(response) == ["device_exists"]
        assert "device_token" not in response.json()

    def test_with_a_wrong_secret_is_409(self, api_client, device):
        response = register(api_client, device.id, token=f"{device.id}.{'x' * 43}")
        assert response.status_code == 409
        assert error_codes(response) == ["device_exists"]

    def test_with_another_devices_valid_token_is_409(self, api_client, device, other_device):
        response = register(api_client, device.id, token=other_device.token)
        assert response.status_code == 409
        assert error_codes(response) == ["device_exists"]
        original_hash = Device.objects.get(pk=device.id).token_hash
        assert original_hash == DeviceFactory.build(id=device.id).token_hash

    def test_revoked_device_is_403_even_with_its_token(self, api_client, device):
        Device.objects.filter(pk=device.pk).update(revoked_at=timezone.now())
        for token in (None, device.token):
            response = register(api_client, device.id, token=token)
            assert response.status_code == 403
            assert response.json() == {
                "type": "client_error",
                "errors": [
                    {
                        "code": "device_revoked",
                        "detail": "This device has been revoked.",
                        "attr": None,
                    }
                ],
            }


@pytest.mark.django_db
class TestAuthRegisterAlias:
    def test_new_device_gets_token_twice(self, api_client):
        device_id = uuid.uuid4()
        response = register(api_client, device_id, path="/v1/auth/register")
        assert response.status_code == 201
        body = response.json()
        assert body["device_id"] == str(device_id)
        assert body["token"] == body["device_token"]

    def test_same_statuses_as_the_main_path(self, api_client, device):
        assert register(api_client, device.id, path="/v1/auth/register").status_code == 409
        rotated = register(api_client, device.id, token=device.token, path="/v1/auth/register")
        assert rotated.status_code == 200
        assert rotated.json()["token"] == rotated.json()["device_token"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_of_one_id_have_one_winner_and_409s():
    device_id = uuid.uuid4()
    contenders = 8
    responses = race(*[lambda: register(APIClient(), device_id)] * contenders)
    assert sorted(r.status_code for r in responses) == [201] + [409] * (contenders - 1)
    assert Device.objects.filter(pk=device_id).count() == 1
