"""Moving to a new phone (issue 20): making transfer and recovery codes, claiming them."""

from datetime import datetime, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.test import APIClient

from devices.codes import crockford
from devices.codes.models import CodeKind, DeviceCode
from devices.codes.services import code_digest, device_claim, device_code_make
from devices.models import Device
from devices.services import device_allow_repairing
from tests.assertions import assert_error
from tests.device_codes import (
    RECOVERY,
    RECOVERY_CODE,
    REGISTER,
    TRANSFER,
    TRANSFER_CODE,
    claim,
    recovery_code,
    transfer_code,
    works,
)
from tests.factories import FoodEntryFactory, PortionFactory, ProductFactory

# --- Making codes ---------------------------------------------------------------------


@pytest.mark.django_db
class TestTransferCode:
    def test_twelve_crockford_characters_valid_for_the_configured_minutes(self, used_client):
        before = timezone.now()
        with override_settings(DEVICE_TRANSFER_CODE_MINUTES=20):
            response = used_client.post(TRANSFER)
        assert response.status_code == 201
        body = response.json()
        assert set(body) == {"code", "expires_at"}
        assert TRANSFER_CODE.match(body["code"]), body["code"]
        expires_at = datetime.fromisoformat(body["expires_at"])
        assert before + timedelta(minutes=20) <= expires_at
        assert expires_at <= timezone.now() + timedelta(minutes=20)

    def test_fifteen_minutes_by_default(self, used_client):
        before = timezone.now()
        expires_at = datetime.fromisoformat(used_client.post(TRANSFER).json()["expires_at"])
        assert before + timedelta(minutes=15) <= expires_at
        assert expires_at <= timezone.now() + timedelta(minutes=15)

    def test_only_a_keyed_hash_is_stored(self, used_client, used_device):
        code = transfer_code(used_client)
        ungrouped = code.replace("-", "")
        row = DeviceCode.objects.get(device=used_device)
        assert row.kind == CodeKind.TRANSFER
        assert row.digest == code_digest(ungrouped)
        stored = " ".join(str(value) for value in DeviceCode.objects.values().get().values())
        assert ungrouped not in stored
        assert code not in stored

    def test_needs_the_device_token(self, api_client):
        assert_error(api_client.post(TRANSFER), 401, "not_authenticated")
        assert not DeviceCode.objects.exists()

    def test_a_revoked_device_makes_none(self, used_device, used_client):
        Device.objects.filter(pk=used_device.pk).update(revoked_at=timezone.now())
        assert_error(used_client.post(TRANSFER), 403, "device_revoked")
        assert not DeviceCode.objects.exists()

    def test_the_holder_of_a_replaced_token_makes_none(self, used_device, used_client):
        # A claim committed between this request's authentication and its code.
        stale = Device.objects.get(pk=used_device.pk)
        device_claim(code=transfer_code(used_client))
        with pytest.raises(AuthenticationFailed):
            device_code_make(device=stale, kind=CodeKind.TRANSFER)
        assert not DeviceCode.objects.filter(device=used_device).exists()


@pytest.mark.django_db
class TestRecoveryCode:
    def test_twenty_crockford_characters_without_expiry(self, used_client, used_device):
        response = used_client.post(RECOVERY)
        assert response.status_code == 201
        body = response.json()
        assert set(body) == {"code"}
        assert RECOVERY_CODE.match(body["code"]), body["code"]
        row = DeviceCode.objects.get(device=used_device)
        assert (row.kind, row.expires_at) == (CodeKind.RECOVERY, None)
        assert row.digest == code_digest(body["code"].replace("-", ""))

    def test_kinds_are_kept_apart(self, used_client, used_device):
        transfer_code(used_client)
        recovery_code(used_client)
        kinds = set(DeviceCode.objects.filter(device=used_device).values_list("kind", flat=True))
        assert kinds == {CodeKind.TRANSFER, CodeKind.RECOVERY}


# --- Claiming -------------------------------------------------------------------------


@pytest.mark.django_db
class TestClaimMovesTheAccount:
    def test_the_new_phone_sees_the_data_and_the_old_token_stops_working(
        self, used_device, used_client
    ):
        entry = FoodEntryFactory(portion=PortionFactory(product=ProductFactory(device=used_device)))
        code = transfer_code(used_client)

        response = claim(code)

        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"device_id", "device_token"}
        assert body["device_id"] == str(used_device.pk)
        new_phone = APIClient()
        new_phone.credentials(HTTP_AUTHORIZATION=f"Bearer {body['device_token']}")
        assert [row["id"] for row in new_phone.get("/v1/products").json()] == [
            str(entry.product_id)
        ]
        assert [row["id"] for row in new_phone.get("/v1/food-entries").json()] == [str(entry.pk)]
        assert_error(used_client.get("/v1/products"), 401, "authentication_failed")
        # The old phone's own recovery (register without a token) finds a used device.
        old_phone_again = APIClient().post(
            REGISTER, {"device_id": str(used_device.pk)}, format="json"
        )
        assert_error(old_phone_again, 409, "device_exists")
        assert works(body["device_token"])

    def test_a_recovery_code_brings_the_account_back_after_a_reinstall(
        self, used_device, used_client
    ):
        product = ProductFactory(device=used_device)
        code = recovery_code(used_client)
        response = claim(code)
        assert response.status_code == 200
        token = response.json()["device_token"]
        reinstalled = APIClient()
        reinstalled.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        assert [row["id"] for row in reinstalled.get("/v1/products").json()] == [str(product.pk)]
        assert not works(used_device.token)

    def test_a_rotation_in_progress_ends_too(self, used_device, used_client):
        # The previous token of a rotation stays valid until the new one is used;
        # a claim ends both.
        rotated = (
            APIClient()
            .post(
                REGISTER,
                {"device_id": str(used_device.pk)},
                format="json",
                HTTP_AUTHORIZATION=f"Bearer {used_device.token}",
            )
            .json()["device_token"]
        )
        code = transfer_code(used_client)
        assert claim(code).status_code == 200
        assert not works(used_device.token)
        assert not works(rotated)

    @pytest.mark.parametrize(
        "typed",
        [
            lambda code: code.lower(),
            lambda code: code.replace("-", ""),
            lambda code: code.replace("-", " "),
            lambda code: f"  {code.replace('-', ' – ')}  ",
            lambda code: "\u2011".join(code.split("-")),
            lambda code: " ".join(code.replace("-", "")),
        ],
        ids=["lower case", "no hyphens", "spaces", "en dashes", "non-breaking hyphens", "spaced"],
    )
    def test_typing_is_forgiven(self, used_client, used_device, typed):
        code = transfer_code(used_client)
        response = claim(typed(code))
        assert response.status_code == 200, response.content
        assert response.json()["device_id"] == str(used_device.pk)

    def test_look_alike_letters_read_as_digits(self, used_device, used_client, monkeypatch):
        monkeypatch.setattr(crockford, "new_code", lambda length: "10" * (length // 2))
        transfer_code(used_client)
        response = claim("IoLO-iOlo-1O1o")
        assert response.status_code == 200
        assert response.json()["device_id"] == str(used_device.pk)

    def test_the_claim_closes_an_open_repairing_grant(self, used_device, used_client):
        device_allow_repairing(device=used_device, granted_by="alice")
        assert claim(transfer_code(used_client)).status_code == 200
        used_device.refresh_from_db()
        assert used_device.repairing_allowed_until is None
        again = APIClient().post(REGISTER, {"device_id": str(used_device.pk)}, format="json")
        assert_error(again, 409, "device_exists")
