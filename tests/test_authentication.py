"""DeviceTokenAuthentication: every failure, revocation, last_seen_at, constant cost."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from countonme.ops.log_format import JsonLineFormatter
from devices.models import Device
from tests.conftest import client_for
from tests.factories import DeviceFactory

ME = "/v1/devices/me"


def assert_401(response, code: str) -> None:
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["type"] == "client_error"
    assert [error["code"] for error in body["errors"]] == [code]
    assert body["errors"][0]["attr"] is None


@pytest.mark.django_db
class TestFailures:
    def test_missing_header(self, api_client):
        assert_401(api_client.get(ME), "not_authenticated")

    def test_not_a_bearer_header(self, api_client, device):
        assert_401(
            api_client.get(ME, HTTP_AUTHORIZATION=f"Basic {device.token}"), "not_authenticated"
        )

    @pytest.mark.parametrize(
        "header",
        [
            "Bearer",
            "Bearer a b",
            "Bearer no-dot-here",
            "Bearer not-a-uuid.secret",
            "Bearer 9b2f3c1e-0000-4000-8000-000000000000.",
        ],
    )
    def test_malformed(self, api_client, header):
        assert_401(api_client.get(ME, HTTP_AUTHORIZATION=header), "authentication_failed")

    def test_unknown_device(self, api_client, device):
        unknown = DeviceFactory.build()
        assert_401(
            api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {unknown.token}"),
            "authentication_failed",
        )

    def test_wrong_secret(self, api_client, device):
        token = f"{device.id}.{'A' * 43}"
        assert_401(
            api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {token}"), "authentication_failed"
        )

    def test_another_devices_secret(self, api_client, device, other_device):
        secret = other_device.token.partition(".")[2]
        assert_401(
            api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {device.id}.{secret}"),
            "authentication_failed",
        )

    def test_revoked_device_is_403(self, device_client, device):
        Device.objects.filter(pk=device.pk).update(revoked_at=timezone.now())
        response = device_client.get(ME)
        assert response.status_code == 403
        assert response.json()["errors"][0]["code"] == "device_revoked"

    def test_revoked_device_with_a_wrong_secret_is_401_not_403(self, api_client, device):
        Device.objects.filter(pk=device.pk).update(revoked_at=timezone.now())
        token = f"{device.id}.{'A' * 43}"
        assert_401(
            api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {token}"), "authentication_failed"
        )


@pytest.mark.django_db
class TestLastSeen:
    def test_first_request_records_it(self, device_client, device):
        assert device.last_seen_at is None
        before = timezone.now()
        response = device_client.get(ME)
        assert response.status_code == 200
        device.refresh_from_db()
        assert device.last_seen_at >= before
        assert response.json()["last_seen_at"] is not None

    def test_not_written_again_within_five_minutes(
        self, device_client, device, django_assert_num_queries
    ):
        recent = timezone.now() - timedelta(minutes=4)
        Device.objects.filter(pk=device.pk).update(last_seen_at=recent)
        with django_assert_num_queries(1):  # the token lookup, no UPDATE
            assert device_client.get(ME).status_code == 200
        device.refresh_from_db()
        assert device.last_seen_at == recent

    def test_written_again_after_five_minutes(
        self, device_client, device, django_assert_num_queries
    ):
        stale = timezone.now() - timedelta(minutes=6)
        Device.objects.filter(pk=device.pk).update(last_seen_at=stale)
        with django_assert_num_queries(2):  # lookup + one UPDATE
            assert device_client.get(ME).status_code == 200
        device.refresh_from_db()
        assert device.last_seen_at > stale + timedelta(minutes=5)


@pytest.mark.django_db
def test_authentication_costs_one_query_whatever_the_number_of_devices(django_assert_num_queries):
    Device.objects.bulk_create(DeviceFactory.build_batch(2000))
    device = DeviceFactory(last_seen_at=timezone.now())
    client = client_for(device)
    assert Device.objects.count() == 2001
    with django_assert_num_queries(1):
        response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["device_id"] == str(device.id)


@pytest.mark.django_db
def test_tokens_never_reach_the_logs(api_client, device, caplog):
    secret = device.token.partition(".")[2]
    with caplog.at_level(logging.DEBUG):
        api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {device.token}")
        api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {device.id}.wrong-secret-value")
        registered = api_client.post(
            "/v1/devices/register", {"device_id": str(DeviceFactory.build().id)}, format="json"
        )
    new_secret = registered.json()["device_token"].partition(".")[2]
    formatter = JsonLineFormatter()
    logged = "\n".join(formatter.format(r) + repr(r.__dict__) for r in caplog.records)
    assert any(r.name == "countonme.access" for r in caplog.records)
    for value in (secret, new_secret, "wrong-secret-value", "Bearer"):
        assert value not in logged
