"""Device codes (issue 20) in the back office, and the code format."""

import logging
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.utils import timezone

from devices.codes import crockford
from devices.codes.models import CodeKind, DeviceCode
from devices.codes.services import code_digest, device_code_make
from tests.conftest import client_for
from tests.device_codes import (
    assert_invalid_code,
    claim,
    recovery_code,
    transfer_code,
    works,
)
from tests.factories import DeviceFactory

# --- Back office ----------------------------------------------------------------------


DEVICE_PAGE = "/admin/devices/device/{}/change/"


@pytest.mark.django_db
class TestBackOffice:
    def test_the_device_page_shows_whether_a_code_is_live_and_when_it_was_made(
        self, admin_client, used_device, used_client
    ):
        page = admin_client.get(DEVICE_PAGE.format(used_device.pk)).content.decode()
        assert page.count(">none<") == 2
        code = transfer_code(used_client)
        made = DeviceCode.objects.get(device=used_device).created_at
        page = admin_client.get(DEVICE_PAGE.format(used_device.pk)).content.decode()
        assert f"live, made {made:%Y-%m-%d %H:%M} UTC (expires" in page
        assert code not in page
        assert code.replace("-", "") not in page
        assert code_digest(code.replace("-", ""))[:6] not in page
        with time_machine.travel(timezone.now() + timedelta(minutes=16)):
            page = admin_client.get(DEVICE_PAGE.format(used_device.pk)).content.decode()
        assert f"expired, made {made:%Y-%m-%d %H:%M} UTC" in page

    def test_support_revokes_a_devices_codes(self, client, used_device, used_client, caplog):
        user = User.objects.create_user("helper", password="a-long-password-1", is_staff=True)
        user.groups.add(Group.objects.get(name="support"))
        client.force_login(user)
        other = DeviceFactory(last_seen_at=timezone.now())
        kept = recovery_code(client_for(other))
        code = recovery_code(used_client)
        assert 'value="revoke_codes"' in client.get("/admin/devices/device/").content.decode()

        with caplog.at_level(logging.INFO, logger="countonme.devices"):
            response = client.post(
                "/admin/devices/device/",
                {"action": "revoke_codes", "_selected_action": [str(used_device.pk)]},
            )

        assert response.status_code == 302
        assert_invalid_code(claim(code))
        assert claim(kept).status_code == 200
        assert works(used_device.token)  # the device itself is untouched
        entry = LogEntry.objects.get(object_id=str(used_device.pk))
        assert entry.action_flag == CHANGE
        assert "Revoked its codes" in entry.change_message
        assert any("revoked by helper" in r.getMessage() for r in caplog.records)

    def test_staff_without_the_permission_cannot(self, client, used_device, used_client):
        user = User.objects.create_user("viewer", password="a-long-password-1", is_staff=True)
        user.user_permissions.add(
            *Group.objects.get(name="support").permissions.filter(codename="view_device")
        )
        client.force_login(user)
        code = recovery_code(used_client)
        assert 'value="revoke_codes"' not in client.get("/admin/devices/device/").content.decode()
        client.post(
            "/admin/devices/device/",
            {"action": "revoke_codes", "_selected_action": [str(used_device.pk)]},
        )
        assert DeviceCode.objects.filter(device=used_device).exists()
        assert not LogEntry.objects.exists()
        assert claim(code).status_code == 200


# --- The code format ------------------------------------------------------------------


class TestCrockford:
    def test_new_codes_use_the_alphabet_uniformly(self):
        codes = [crockford.new_code(20) for _ in range(200)]
        assert all(len(code) == 20 for code in codes)
        assert set("".join(codes)) == set(crockford.ALPHABET)  # 4,000 draws reach all 32
        assert not set("ILOU") & set("".join(codes))
        assert len(set(codes)) == len(codes)

    def test_grouped_by_four(self):
        assert crockford.grouped("ABCD2345WXYZ") == "ABCD-2345-WXYZ"

    @pytest.mark.parametrize(
        ("typed", "read"),
        [
            ("abcd-2345-wxyz", "ABCD2345WXYZ"),
            ("ABCD 2345\tWXYZ\n", "ABCD2345WXYZ"),
            ("oi1l-2345-wxyz", "0111" + "2345WXYZ"),
            ("ABCD—2345—WXYZ", "ABCD2345WXYZ"),
            ("ABCD-2345-WXYU", None),
            ("ABCD-2345-WXY", None),
            ("ABCD-2345-WXYZ-", "ABCD2345WXYZ"),
            ("ABCD_2345_WXYZ", None),
            ("ＡＢＣＤ2345WXYZ", None),  # full-width letters are not the alphabet
        ],
    )
    def test_reading_a_typed_code(self, typed, read):
        assert crockford.read_code(typed, lengths=frozenset({12})) == read


@pytest.mark.django_db
def test_a_digest_clash_draws_again(used_device, monkeypatch):
    """Two live codes can never share a digest: a clash is drawn again, not a 500."""
    other = DeviceFactory()
    draws = iter(["ABCD2345WXYZ", "ABCD2345WXYZ", "QRST6789VWXY"])
    monkeypatch.setattr(crockford, "new_code", lambda length: next(draws))
    assert device_code_make(device=other, kind=CodeKind.TRANSFER).code == "ABCD-2345-WXYZ"
    assert device_code_make(device=used_device, kind=CodeKind.TRANSFER).code == "QRST-6789-VWXY"
    assert DeviceCode.objects.count() == 2


def test_uuid_is_not_a_code():
    # A device id (which shows in logs and tickets) can never pass as a code.
    assert crockford.read_code(str(uuid.uuid4()), lengths=frozenset({12, 20})) is None
