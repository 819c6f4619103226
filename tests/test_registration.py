"""POST /v1/devices/register and /v1/auth/register: every case of docs/api.md §2."""

import uuid

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from devices import tokens
from devices.models import Device
from devices.services import DeviceExists
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


def me(token: str):
    return APIClient().get("/v1/devices/me", HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.django_db
class TestExistingDevice:
    def test_rotation_returns_a_new_token_and_the_old_one_works_until_the_new_one_is_used(
        self, api_client, used_device
    ):
        response = register(api_client, used_device.id, token=used_device.token)

        assert response.status_code == 200
        new_token = response.json()["device_token"]
        assert new_token != used_device.token
        assert new_token.startswith(f"{used_device.id}.")
        used_device.refresh_from_db()
        assert used_device.token_rotated_at is not None
        assert used_device.previous_token_hash == tokens.hash_secret(
            used_device.token.partition(".")[2]
        )
        # The old token still works (the answer could have been lost) ...
        assert me(used_device.token).status_code == 200
        # ... until the new one is first used; from then on only the new one does.
        assert me(new_token).status_code == 200
        assert me(used_device.token).status_code == 401
        assert me(new_token).status_code == 200
        used_device.refresh_from_db()
        assert used_device.previous_token_hash == ""

    def test_without_a_token_a_used_device_is_409_device_exists(self, api_client, used_device):
        response = register(api_client, used_device.id)

        assert response.status_code == 409
        assert response.json() == {
            "type": "client_error",
            "errors": [
                {
                    "code": "device_exists",
                    "detail": DeviceExists.default_detail,
                    "attr": None,
                }
            ],
        }
        assert "support" in DeviceExists.default_detail
        assert me(used_device.token).status_code == 200

    def test_with_a_wrong_secret_is_409(self, api_client, used_device):
        response = register(api_client, used_device.id, token=f"{used_device.id}.{'x' * 43}")
        assert response.status_code == 409
        assert error_codes(response) == ["device_exists"]
        assert me(used_device.token).status_code == 200

    def test_with_another_devices_valid_token_is_409(self, api_client, used_device, other_device):
        response = register(api_client, used_device.id, token=other_device.token)
        assert response.status_code == 409
        assert error_codes(response) == ["device_exists"]
        original_hash = Device.objects.get(pk=used_device.id).token_hash
        assert original_hash == DeviceFactory.build(id=used_device.id).token_hash

    def test_an_attacker_with_a_known_id_of_a_used_device_gets_nothing(
        self, api_client, used_device
    ):
        # The id leaks (a screenshot, a support mail); the device has been used.
        for token in (None, "garbage", f"{used_device.id}.{'A' * 43}"):
            response = register(api_client, used_device.id, token=token)
            assert response.status_code == 409
            assert "device_token" not in response.json()
        stored = Device.objects.get(pk=used_device.id)
        assert stored.token_hash == DeviceFactory.build(id=used_device.id).token_hash
        assert stored.previous_token_hash == ""
        assert stored.token_rotated_at is None
        assert me(used_device.token).status_code == 200


@pytest.mark.django_db
class TestTheAppRecovers:
    """The shipping app's exact sequences: on any 401 it registers again, same id, no token."""

    def test_a_lost_first_answer_then_register_again(self, api_client):
        device_id = uuid.uuid4()
        lost = register(api_client, device_id)
        assert lost.status_code == 201  # ... and never reaches the app

        retry = register(api_client, device_id)

        assert retry.status_code == 200
        token = retry.json()["device_token"]
        assert retry.json()["device_id"] == str(device_id)
        assert me(token).status_code == 200
        assert me(lost.json()["device_token"]).status_code == 401  # the lost one is dead
        assert Device.objects.filter(pk=device_id).count() == 1

    def test_once_the_new_device_is_used_its_id_alone_is_409_again(self, api_client):
        device_id = uuid.uuid4()
        token = register(api_client, device_id).json()["device_token"]
        assert me(token).status_code == 200

        response = register(api_client, device_id)

        assert response.status_code == 409
        assert error_codes(response) == ["device_exists"]
        assert me(token).status_code == 200

    def test_a_lost_rotation_answer_costs_nothing(self, api_client, used_device):
        lost = register(api_client, used_device.id, token=used_device.token)
        assert lost.status_code == 200  # ... and never reaches the app

        # The app goes on with the token it has, and may rotate again with it.
        assert me(used_device.token).status_code == 200
        retry = register(api_client, used_device.id, token=used_device.token)
        assert retry.status_code == 200
        newest = retry.json()["device_token"]
        assert me(newest).status_code == 200
        assert me(used_device.token).status_code == 401
        assert me(lost.json()["device_token"]).status_code == 401

    def test_a_rotation_with_the_new_token_retires_the_old_one(self, api_client, used_device):
        first = register(api_client, used_device.id, token=used_device.token).json()
        second = register(api_client, used_device.id, token=first["device_token"])
        assert second.status_code == 200
        assert me(used_device.token).status_code == 401
        assert me(second.json()["device_token"]).status_code == 200

    def test_a_401_on_a_never_used_device_then_register(self, api_client, device):
        # A restored database: the app's token no longer matches, and it never got in.
        Device.objects.filter(pk=device.pk).update(token_hash="f" * 64)
        assert me(device.token).status_code == 401

        response = register(api_client, device.id)

        assert response.status_code == 200
        assert me(response.json()["device_token"]).status_code == 200

    def test_a_401_on_a_used_device_then_register_is_409_without_a_grant(
        self, api_client, used_device
    ):
        Device.objects.filter(pk=used_device.pk).update(token_hash="f" * 64)
        assert me(used_device.token).status_code == 401
        response = register(api_client, used_device.id)
        assert response.status_code == 409
        assert error_codes(response) == ["device_exists"]


@pytest.mark.django_db
class TestPepperFallbacks:
    OLD_PEPPER = "an-older-pepper-that-was-rotated-out-0123456789abcdef"

    def hashed_with_old_pepper(self, device) -> str:
        old_hash = tokens.hash_secret(device.token.partition(".")[2], self.OLD_PEPPER)
        Device.objects.filter(pk=device.pk).update(token_hash=old_hash)
        return old_hash

    def test_a_token_of_an_old_pepper_works_and_is_rehashed_on_first_use(self, used_device):
        old_hash = self.hashed_with_old_pepper(used_device)

        with override_settings(DEVICE_TOKEN_PEPPER_FALLBACKS=[self.OLD_PEPPER]):
            assert me(used_device.token).status_code == 200
            used_device.refresh_from_db()
            assert used_device.token_hash != old_hash
            assert used_device.token_hash == tokens.hash_secret(used_device.token.partition(".")[2])
            assert me(used_device.token).status_code == 200

        # Re-hashed: it works without the fallback too.
        assert me(used_device.token).status_code == 200

    def test_without_the_fallback_the_old_token_is_401(self, used_device):
        self.hashed_with_old_pepper(used_device)
        assert me(used_device.token).status_code == 401

    def test_rotation_with_a_token_of_an_old_pepper(self, api_client, used_device):
        self.hashed_with_old_pepper(used_device)
        with override_settings(DEVICE_TOKEN_PEPPER_FALLBACKS=[self.OLD_PEPPER]):
            response = register(api_client, used_device.id, token=used_device.token)
        assert response.status_code == 200
        assert me(response.json()["device_token"]).status_code == 200
        assert me(used_device.token).status_code == 401


@pytest.mark.django_db
class TestRevoked:
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

    def test_same_statuses_as_the_main_path(self, api_client, used_device):
        assert register(api_client, used_device.id, path="/v1/auth/register").status_code == 409
        rotated = register(
            api_client, used_device.id, token=used_device.token, path="/v1/auth/register"
        )
        assert rotated.status_code == 200
        assert rotated.json()["token"] == rotated.json()["device_token"]


def handed_out_tokens_that_work(responses) -> list[str]:
    handed_out = [r.json()["device_token"] for r in responses if r.status_code in (200, 201)]
    return [token for token in handed_out if me(token).status_code == 200]


# A registration that reads the device after another one committed cannot be
# told from the app's retry after a lost answer, so it may get a fresh token
# (200) rather than 409. What races must never do: answer 500, create two
# rows, or leave more than one handed-out token working.


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_of_one_id_have_one_creation_and_one_working_token():
    device_id = uuid.uuid4()
    contenders = 8
    responses = race(*[lambda: register(APIClient(), device_id)] * contenders)
    statuses = [r.status_code for r in responses]
    assert statuses.count(201) == 1
    assert set(statuses) <= {200, 201, 409}
    assert Device.objects.filter(pk=device_id).count() == 1
    assert len(handed_out_tokens_that_work(responses)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_re_registrations_of_a_never_used_device_leave_one_working_token():
    device_id = uuid.uuid4()
    assert register(APIClient(), device_id).status_code == 201
    responses = race(*[lambda: register(APIClient(), device_id)] * 4)
    assert set(r.status_code for r in responses) <= {200, 409}
    assert 200 in [r.status_code for r in responses]
    assert len(handed_out_tokens_that_work(responses)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_rotations_with_one_token_leave_one_new_working_token():
    device = DeviceFactory(last_seen_at=timezone.now())
    responses = race(*[lambda: register(APIClient(), device.id, token=device.token)] * 4)
    assert set(r.status_code for r in responses) <= {200, 409}
    assert len(handed_out_tokens_that_work(responses)) == 1
