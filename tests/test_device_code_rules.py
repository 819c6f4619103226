"""Device codes' rules (issue 20): single use, expiry, wrong codes, revoked and erased devices.

Also the claim throttle, racing claims and what reaches the logs.
"""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from countonme.ops.log_format import JsonLineFormatter, RequestContextFilter
from devices.codes.models import CodeKind, DeviceCode
from devices.codes.services import code_digest, device_code_make
from devices.models import Device
from tests.assertions import assert_error
from tests.concurrency import race
from tests.conftest import client_for
from tests.device_codes import (
    CLAIM,
    TRANSFER,
    assert_invalid_code,
    claim,
    recovery_code,
    transfer_code,
    works,
)
from tests.factories import DeviceFactory


@pytest.mark.django_db
class TestSingleUseAndReplacement:
    def test_a_code_claims_once(self, used_client):
        code = transfer_code(used_client)
        first = claim(code)
        assert first.status_code == 200
        assert_invalid_code(claim(code))
        assert works(first.json()["device_token"])
        assert not DeviceCode.objects.exists()

    def test_a_recovery_code_claims_once(self, used_client):
        code = recovery_code(used_client)
        assert claim(code).status_code == 200
        assert_invalid_code(claim(code))

    @pytest.mark.parametrize("make", [transfer_code, recovery_code])
    def test_a_new_code_replaces_the_previous_one(self, used_client, used_device, make):
        earlier = make(used_client)
        later = make(used_client)
        assert earlier != later
        assert DeviceCode.objects.filter(device=used_device).count() == 1
        assert_invalid_code(claim(earlier))
        assert claim(later).status_code == 200

    def test_a_transfer_leaves_the_recovery_code_valid(self, used_client, used_device):
        saved = recovery_code(used_client)
        moved = claim(transfer_code(used_client)).json()["device_token"]
        # The owner's written-down code still gets the account back.
        response = claim(saved)
        assert response.status_code == 200
        assert response.json()["device_id"] == str(used_device.pk)
        assert not works(moved)

    def test_a_recovery_ends_the_earlier_holders_transfer_code(self, used_client):
        # A lost phone's holder made a transfer code; the owner recovers the account.
        saved = recovery_code(used_client)
        pending = transfer_code(used_client)
        assert claim(saved).status_code == 200
        assert_invalid_code(claim(pending))


@pytest.mark.django_db
class TestExpiry:
    def test_a_transfer_code_works_until_it_expires(self, used_client):
        code = transfer_code(used_client)
        with time_machine.travel(timezone.now() + timedelta(minutes=14, seconds=50)):
            assert claim(code).status_code == 200

    def test_an_expired_transfer_code_is_invalid(self, used_client, used_device):
        code = transfer_code(used_client)
        with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1)):
            assert_invalid_code(claim(code))
        assert works(used_device.token)

    def test_a_recovery_code_does_not_expire(self, used_client):
        code = recovery_code(used_client)
        with time_machine.travel(timezone.now() + timedelta(days=3 * 365)):
            assert claim(code).status_code == 200


@pytest.mark.django_db
class TestWrongCodes:
    @pytest.mark.parametrize(
        "code",
        [
            "0000-0000-0000",  # well formed, nobody's
            "0000-0000-0000-0000-0000",
            "ABCD-EFGH-JKM",  # 11 characters
            "ABCD-EFGH-JKMNP",  # 13
            "ABCD-EFGH-JKMU",  # U is not in the alphabet
            "ABCD-EFGH-JK*N",
            "ABCD-EFGH-JKMNÅ",
        ],
    )
    def test_is_one_answer(self, used_client, used_device, code):
        transfer_code(used_client)
        assert_invalid_code(claim(code))
        assert works(used_device.token)
        assert DeviceCode.objects.filter(device=used_device).exists()

    def test_another_devices_code_claims_that_device_only(self, used_device, used_client):
        other = DeviceFactory(last_seen_at=timezone.now())
        mine = transfer_code(used_client)
        theirs = transfer_code(client_for(other))
        assert claim(theirs).json()["device_id"] == str(other.pk)
        assert claim(mine).json()["device_id"] == str(used_device.pk)

    @pytest.mark.parametrize(
        ("body", "code", "attr"),
        [
            ({}, "required", "code"),
            ({"code": ""}, "blank", "code"),
            ({"code": 123456789012}, "invalid", "code"),
            ({"code": None}, "null", "code"),
            ({"code": "A" * 65}, "max_length", "code"),
        ],
    )
    def test_a_body_without_a_code_is_400(self, api_client, body, code, attr):
        assert_error(api_client.post(CLAIM, body, format="json"), 400, code, attr)

    def test_a_bearer_token_changes_nothing(self, used_device, used_client):
        # The claim takes no authentication: a token sent along is not read.
        code = transfer_code(used_client)
        response = claim(code, HTTP_AUTHORIZATION="Bearer nonsense")
        assert response.status_code == 200


def statements_of(call) -> list[str]:
    """The SQL templates (no values) a call runs."""
    seen: list[str] = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        call()
    return seen


@pytest.mark.django_db
def test_the_invalid_code_answer_takes_constant_work(used_client):
    """Unknown, expired, replaced and used codes: same answer, same single statement.

    The code is compared where it is stored: one indexed read by its HMAC
    digest, with expiry in the condition, finding no row. The attacker picks
    the code, not the digest (a keyed hash), so that comparison's timing says
    nothing about any stored code; and no branch, no extra query, tells the
    four cases apart. (A timing measurement would be a flaky test; the SQL
    each case runs is the proof.)
    """
    used = transfer_code(used_client)
    assert claim(used).status_code == 200
    holder = client_for(DeviceFactory(last_seen_at=timezone.now()))
    replaced = transfer_code(holder)
    transfer_code(holder)
    expired_holder = client_for(DeviceFactory(last_seen_at=timezone.now()))
    expired = transfer_code(expired_holder)
    unknown = "7KQ2-M9XD-4TRB"

    answers, paths = [], []
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1), tick=False):
        for code in (unknown, expired, replaced, used):
            responses: list = []
            paths.append(statements_of(lambda code=code, out=responses: out.append(claim(code))))
            answers.append((responses[0].status_code, responses[0].content))
    assert len(set(answers)) == 1
    assert answers[0][0] == 400
    reads = [[sql for sql in path if "devices_devicecode" in sql] for path in paths]
    assert all(path == reads[0] for path in reads)
    assert len(reads[0]) == 1
    assert reads[0][0].lstrip().upper().startswith("SELECT")


@pytest.mark.django_db
class TestRevokedDevice:
    def test_a_revoked_devices_code_is_403_and_stays(self, used_device, used_client):
        code = transfer_code(used_client)
        Device.objects.filter(pk=used_device.pk).update(revoked_at=timezone.now())
        assert_error(claim(code), 403, "device_revoked")
        assert DeviceCode.objects.filter(device=used_device).exists()
        Device.objects.filter(pk=used_device.pk).update(revoked_at=None)
        assert works(used_device.token)  # nothing changed meanwhile
        assert claim(code).status_code == 200

    def test_an_invalid_code_of_a_revoked_device_is_still_invalid(self, used_device, used_client):
        transfer_code(used_client)
        Device.objects.filter(pk=used_device.pk).update(revoked_at=timezone.now())
        assert_invalid_code(claim("7KQ2-M9XD-4TRB"))


@pytest.mark.django_db
class TestErasure:
    def test_erasure_removes_the_codes(self, used_device, used_client):
        transfer = transfer_code(used_client)
        recovery = recovery_code(used_client)
        assert used_client.delete("/v1/devices/me").status_code == 204
        assert not DeviceCode.objects.exists()
        assert_invalid_code(claim(transfer))
        assert_invalid_code(claim(recovery))

    def test_the_back_offices_erasure_removes_them_too(
        self, admin_client, used_device, used_client
    ):
        code = recovery_code(used_client)
        response = admin_client.post(
            "/admin/devices/device/",
            {"action": "erase", "_selected_action": [str(used_device.pk)], "post": "yes"},
        )
        assert response.status_code == 302
        assert not Device.objects.filter(pk=used_device.pk).exists()
        assert not DeviceCode.objects.exists()
        assert_invalid_code(claim(code))

    def test_other_devices_keep_theirs(self, used_client):
        other = DeviceFactory(last_seen_at=timezone.now())
        kept = recovery_code(client_for(other))
        recovery_code(used_client)
        assert used_client.delete("/v1/devices/me").status_code == 204
        assert claim(kept).json()["device_id"] == str(other.pk)


@pytest.mark.django_db
def test_a_recovery_code_survives_a_pepper_rotation(used_device, used_client, settings):
    code = recovery_code(used_client)
    old = settings.DEVICE_TOKEN_PEPPER
    with override_settings(
        DEVICE_TOKEN_PEPPER="a-new-pepper-" + "x" * 40, DEVICE_TOKEN_PEPPER_FALLBACKS=[old]
    ):
        response = claim(code)
        assert response.status_code == 200
        assert works(response.json()["device_token"])


# --- Throttle -------------------------------------------------------------------------


@pytest.mark.django_db
class TestThrottle:
    def test_ten_claims_a_minute_per_address(self):
        for _ in range(10):
            assert_invalid_code(claim("7KQ2-M9XD-4TRB", REMOTE_ADDR="203.0.113.9"))
        refused = claim("7KQ2-M9XD-4TRB", REMOTE_ADDR="203.0.113.9")
        assert_error(refused, 429, "throttled")
        assert int(refused["Retry-After"]) >= 1
        assert_invalid_code(claim("7KQ2-M9XD-4TRB", REMOTE_ADDR="203.0.113.10"))

    def test_an_ipv6_slash_64_is_one_address(self):
        for host in range(10):
            assert_invalid_code(claim("7KQ2-M9XD-4TRB", REMOTE_ADDR=f"2001:db8:1:2::{host + 1:x}"))
        assert_error(claim("7KQ2-M9XD-4TRB", REMOTE_ADDR="2001:db8:1:2:ffff::1"), 429, "throttled")
        assert_invalid_code(claim("7KQ2-M9XD-4TRB", REMOTE_ADDR="2001:db8:1:3::1"))

    def test_the_rate_comes_from_the_setting(self):
        with override_settings(THROTTLE_CLAIM="2/min"):
            claim("7KQ2-M9XD-4TRB", REMOTE_ADDR="198.51.100.1")
            claim("7KQ2-M9XD-4TRB", REMOTE_ADDR="198.51.100.1")
            assert_error(claim("7KQ2-M9XD-4TRB", REMOTE_ADDR="198.51.100.1"), 429, "throttled")


# --- Races ----------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_claims_of_one_code_one_wins():
    device = DeviceFactory(last_seen_at=timezone.now())
    code = device_code_make(device=device, kind=CodeKind.TRANSFER).code
    responses = race(*[lambda: claim(code)] * 4)
    assert sorted(r.status_code for r in responses) == [200, 400, 400, 400]
    [winner] = [r for r in responses if r.status_code == 200]
    for loser in (r for r in responses if r.status_code == 400):
        assert_invalid_code(loser)
    assert works(winner.json()["device_token"])
    assert not DeviceCode.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_claim_racing_the_old_holders_new_code_leaves_it_no_code():
    """Whatever the order, the old holder keeps no transfer code, and nothing deadlocks.

    Both take the device lock first. Make first: the claim removes its code.
    Claim first: the make finds its token replaced (401).
    """
    device = DeviceFactory(last_seen_at=timezone.now())
    code = device_code_make(device=device, kind=CodeKind.RECOVERY).code
    holder = client_for(device)
    made, *claims = race(lambda: holder.post(TRANSFER), lambda: claim(code), lambda: claim(code))
    assert sorted(r.status_code for r in claims) == [200, 400]
    assert made.status_code in (201, 401), made.content
    assert not DeviceCode.objects.filter(device=device, kind=CodeKind.TRANSFER).exists()
    [winner] = [r for r in claims if r.status_code == 200]
    assert works(winner.json()["device_token"])


# --- Logs -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_code_or_token_reaches_a_log_line(used_device, used_client, caplog, admin_client):
    caplog.set_level(logging.DEBUG)
    secrets_seen: list[str] = [used_device.token, used_device.token.partition(".")[2]]

    transfer = transfer_code(used_client)
    recovery = recovery_code(used_client)
    claimed = claim(transfer.lower()).json()["device_token"]
    assert_invalid_code(claim(transfer))
    secrets_seen += [claimed, claimed.partition(".")[2]]
    again = client_for(used_device)
    again.credentials(HTTP_AUTHORIZATION=f"Bearer {claimed}")
    newer = transfer_code(again)
    admin_client.post(
        "/admin/devices/device/",
        {"action": "revoke_codes", "_selected_action": [str(used_device.pk)]},
    )
    for code in (transfer, recovery, newer):
        ungrouped = code.replace("-", "")
        secrets_seen += [code, ungrouped, ungrouped.lower(), code_digest(ungrouped)]

    formatter, context = JsonLineFormatter(), RequestContextFilter()
    lines = []
    for record in caplog.records:
        context.filter(record)
        lines.append(formatter.format(record) + repr(record.__dict__))
    # Each make, the claim and the revoke were logged...
    messages = " ".join(record.getMessage() for record in caplog.records)
    assert "made a transfer code" in messages
    assert "made a recovery code" in messages
    assert "claimed with its transfer code" in messages
    assert f"Codes of device {used_device.pk} revoked by admin" in messages
    # ...and no line holds a code, a token, a secret or a digest.
    for secret in secrets_seen:
        leaking = [line for line in lines if secret in line]
        assert not leaking, f"{secret!r} logged: {leaking[0][:300]}"
