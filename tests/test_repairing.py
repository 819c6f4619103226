"""Support-granted re-pairing: ``device_allow_repairing`` and ``manage.py allow_repairing``."""

import logging
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from devices.models import Device
from devices.services import device_allow_repairing
from tests.assertions import error_codes
from tests.concurrency import race
from tests.device_codes import works
from tests.factories import DeviceFactory

REGISTER = "/v1/devices/register"


def register(device_id, token: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return APIClient().post(REGISTER, {"device_id": str(device_id)}, format="json", **headers)


@pytest.mark.django_db
class TestGrant:
    def test_default_window_comes_from_the_setting(self, used_device):
        before = timezone.now()
        with override_settings(DEVICE_REPAIRING_WINDOW_HOURS=6):
            until = device_allow_repairing(device=used_device, granted_by="alice")
        assert before + timedelta(hours=6) <= until <= timezone.now() + timedelta(hours=6)
        used_device.refresh_from_db()
        assert used_device.repairing_allowed_until == until

    def test_explicit_window(self, used_device):
        until = device_allow_repairing(
            device=used_device, valid_for=timedelta(minutes=30), granted_by="alice"
        )
        assert timedelta(minutes=29) < until - timezone.now() <= timedelta(minutes=30)

    def test_a_window_that_is_not_positive_is_refused(self, used_device):
        with pytest.raises(ValueError, match="positive"):
            device_allow_repairing(device=used_device, valid_for=timedelta(0), granted_by="a")
        used_device.refresh_from_db()
        assert used_device.repairing_allowed_until is None

    def test_an_erased_device_is_refused(self, used_device):
        Device.objects.filter(pk=used_device.pk).delete()
        with pytest.raises(Device.DoesNotExist):
            device_allow_repairing(device=used_device, granted_by="alice")

    def test_the_grant_is_logged_with_who_granted_it(self, used_device, caplog):
        with caplog.at_level(logging.INFO, logger="countonme.devices"):
            device_allow_repairing(device=used_device, granted_by="alice")
        [record] = [r for r in caplog.records if r.name == "countonme.devices"]
        assert str(used_device.pk) in record.getMessage()
        assert "alice" in record.getMessage()


@pytest.mark.django_db
class TestRegisterWithAGrant:
    def test_without_a_grant_a_used_device_is_409(self, used_device):
        response = register(used_device.pk)
        assert response.status_code == 409
        assert error_codes(response) == [("device_exists", None)]
        assert works(used_device.token)

    def test_the_next_register_without_token_gets_a_fresh_token(self, used_device, caplog):
        device_allow_repairing(device=used_device, granted_by="alice")
        with caplog.at_level(logging.INFO, logger="countonme.devices"):
            response = register(used_device.pk)

        assert response.status_code == 200
        body = response.json()
        assert body["device_id"] == str(used_device.pk)
        new_token = body["device_token"]
        assert works(new_token)
        assert not works(used_device.token)
        used_device.refresh_from_db()
        assert used_device.repairing_allowed_until is None
        assert used_device.token_rotated_at is not None
        # The use is logged; the token never is.
        [record] = [r for r in caplog.records if "re-paired" in r.getMessage()]
        assert str(used_device.pk) in record.getMessage()
        assert new_token.partition(".")[2] not in record.getMessage()

    def test_the_grant_is_single_use(self, used_device):
        device_allow_repairing(device=used_device, granted_by="alice")
        first = register(used_device.pk)
        second = register(used_device.pk)
        assert first.status_code == 200
        assert second.status_code == 409
        assert error_codes(second) == [("device_exists", None)]
        assert works(first.json()["device_token"])

    def test_an_expired_grant_is_409(self, used_device):
        device_allow_repairing(device=used_device, granted_by="alice")
        Device.objects.filter(pk=used_device.pk).update(
            repairing_allowed_until=timezone.now() - timedelta(seconds=1)
        )
        response = register(used_device.pk)
        assert response.status_code == 409
        assert works(used_device.token)

    def test_a_revoked_device_stays_403(self, used_device):
        device_allow_repairing(device=used_device, granted_by="alice")
        Device.objects.filter(pk=used_device.pk).update(revoked_at=timezone.now())
        response = register(used_device.pk)
        assert response.status_code == 403
        assert error_codes(response) == [("device_revoked", None)]
        used_device.refresh_from_db()
        assert used_device.repairing_allowed_until is not None

    def test_a_grant_to_a_never_used_device_is_used_up_by_its_registration(self, device):
        """The fault of issue 20: the grant stayed open after the app registered (200)."""
        device_allow_repairing(device=device, granted_by="alice")
        # The app registers: the device never made a request, so that path answers...
        registered = register(device.pk)
        assert registered.status_code == 200
        app_token = registered.json()["device_token"]
        assert works(app_token)  # ...and the app uses it.

        # Someone who knows the id tries within the window: nothing to take.
        taken = register(device.pk)

        assert taken.status_code == 409
        assert error_codes(taken) == [("device_exists", None)]
        assert works(app_token)
        device.refresh_from_db()
        assert device.repairing_allowed_until is None

    def test_a_rotation_with_the_token_uses_the_grant_up(self, used_device, caplog):
        # The app has its token: the grant is no longer needed, and open it would
        # let anyone who knows the id take the device within the window.
        device_allow_repairing(device=used_device, granted_by="alice")
        with caplog.at_level(logging.INFO, logger="countonme.devices"):
            rotated = register(used_device.pk, token=used_device.token)
        assert rotated.status_code == 200
        used_device.refresh_from_db()
        assert used_device.repairing_allowed_until is None
        assert any("used up by a registration" in r.getMessage() for r in caplog.records)
        assert register(used_device.pk).status_code == 409
        assert works(rotated.json()["device_token"])

    def test_a_grant_lets_nobody_into_another_device(self, used_device, other_device):
        device_allow_repairing(device=used_device, granted_by="alice")
        response = register(other_device.pk)
        # The other device registers as it would without any grant: its own id, its own token.
        assert response.status_code == 200
        assert response.json()["device_id"] == str(other_device.pk)
        token = response.json()["device_token"]
        assert token.startswith(f"{other_device.pk}.")
        me = APIClient().get("/v1/devices/me", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert me.json()["device_id"] == str(other_device.pk)
        # The grant is still there for the device it was given to, unused.
        used_device.refresh_from_db()
        assert used_device.repairing_allowed_until is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_racing_registers_one_takes_the_grant():
    device = DeviceFactory(last_seen_at=timezone.now() - timedelta(days=3))
    device_allow_repairing(device=device, granted_by="alice")
    responses = race(*[lambda: register(device.pk)] * 4)
    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409]
    [winner] = [r for r in responses if r.status_code == 200]
    assert works(winner.json()["device_token"])
    device.refresh_from_db()
    assert device.repairing_allowed_until is None


@pytest.mark.django_db
class TestCommand:
    def run(self, *args: str) -> str:
        out = StringIO()
        call_command("allow_repairing", *args, stdout=out)
        return out.getvalue()

    def test_grants_with_the_default_window(self, used_device):
        output = self.run(str(used_device.pk))
        used_device.refresh_from_db()
        assert used_device.repairing_allowed_until is not None
        assert used_device.repairing_allowed_until.isoformat() in output
        assert register(used_device.pk).status_code == 200

    def test_hours(self, used_device):
        self.run(str(used_device.pk), "--hours", "2")
        used_device.refresh_from_db()
        left = used_device.repairing_allowed_until - timezone.now()
        assert timedelta(hours=1, minutes=59) < left <= timedelta(hours=2)

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["not-a-uuid"], "is not a device id"),
            ([str(uuid.UUID(int=7))], "No device"),
        ],
    )
    def test_bad_device_id(self, db, args, message):
        with pytest.raises(CommandError, match=message):
            self.run(*args)

    def test_hours_must_be_positive(self, used_device):
        with pytest.raises(CommandError, match="at least 1"):
            self.run(str(used_device.pk), "--hours", "0")
        used_device.refresh_from_db()
        assert used_device.repairing_allowed_until is None

    def test_a_revoked_device_is_refused(self, used_device):
        Device.objects.filter(pk=used_device.pk).update(revoked_at=timezone.now())
        with pytest.raises(CommandError, match="revoked"):
            self.run(str(used_device.pk))
