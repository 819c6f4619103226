"""Throttles: registration per client address, calls per device, shared state, no XFF bypass."""

import os
import time
import uuid

import pytest
from rest_framework.test import APIClient

from countonme.base.throttle_counters import RedisCounters, SQLiteCounters, throttle_counters
from countonme.base.throttling import SlidingWindowThrottle, parse_rate
from devices.models import Device
from tests.concurrency import race

REGISTER = "/v1/devices/register"


def register(client: APIClient, **headers):
    return client.post(REGISTER, {"device_id": str(uuid.uuid4())}, format="json", **headers)


@pytest.mark.django_db
class TestRegistrationThrottle:
    def test_ten_per_minute_then_429(self, api_client):
        statuses = [register(api_client).status_code for _ in range(10)]
        assert statuses == [201] * 10
        response = register(api_client)
        assert response.status_code == 429
        assert response.json()["errors"][0]["code"] == "throttled"
        assert 1 <= int(response["Retry-After"]) <= 120

    def test_forged_x_forwarded_for_does_not_buy_a_fresh_budget(self, api_client):
        for index in range(10):
            assert (
                register(api_client, HTTP_X_FORWARDED_FOR=f"203.0.113.{index}").status_code == 201
            )
        response = register(api_client, HTTP_X_FORWARDED_FOR="198.51.100.77")
        assert response.status_code == 429

    def test_other_addresses_have_their_own_budget(self, settings):
        settings.THROTTLE_REGISTER = "2/min"
        first, second = APIClient(REMOTE_ADDR="192.0.2.1"), APIClient(REMOTE_ADDR="192.0.2.2")
        assert [register(first).status_code for _ in range(3)] == [201, 201, 429]
        assert register(second).status_code == 201

    def test_with_a_trusted_proxy_the_proxy_appended_address_counts(self, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        settings.THROTTLE_REGISTER = "2/min"
        proxy = APIClient(REMOTE_ADDR="10.0.0.1")
        # The client forges the left part; the proxy appends the real address last.
        for forged in ("1.1.1.1", "2.2.2.2"):
            assert register(proxy, HTTP_X_FORWARDED_FOR=f"{forged}, 192.0.2.10").status_code == 201
        assert register(proxy, HTTP_X_FORWARDED_FOR="3.3.3.3, 192.0.2.10").status_code == 429
        assert register(proxy, HTTP_X_FORWARDED_FOR="192.0.2.11").status_code == 201

    def test_refused_calls_do_not_lock_a_client_out_beyond_the_rate(
        self, settings, api_client, monkeypatch
    ):
        # A client that keeps calling while refused (the app re-registers after any
        # 401) still gets the stated rate once the window moves: the 429s it was
        # given do not count as calls. Counting them kept it at 429 for ever.
        settings.THROTTLE_REGISTER = "2/min"
        clock = {"now": 6000.0}  # a window boundary (6000 / 60 = 100)
        monkeypatch.setattr(SlidingWindowThrottle, "timer", staticmethod(lambda: clock["now"]))
        assert [register(api_client).status_code for _ in range(2)] == [201, 201]
        for second in range(1, 60):
            clock["now"] = 6000.0 + second
            refused = register(api_client)
            assert refused.status_code == 429
            assert refused.json()["errors"][0]["code"] == "throttled"
        # 31 s into the next window the 2 admitted calls weigh 0.97: one more fits.
        clock["now"] = 6091.0
        device_id = str(uuid.uuid4())
        response = api_client.post(REGISTER, {"device_id": device_id}, format="json")
        assert response.status_code == 201
        assert response.json()["device_id"] == device_id
        assert Device.objects.filter(pk=device_id).exists()


@pytest.mark.django_db
class TestDeviceThrottle:
    def test_per_device_budget(self, settings, device_client, other_client):
        settings.THROTTLE_DEVICE = "3/min"
        statuses = [device_client.get("/v1/devices/me").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert other_client.get("/v1/devices/me").status_code == 200

    def test_unauthenticated_calls_are_not_counted_against_a_device(
        self, settings, api_client, device_client
    ):
        settings.THROTTLE_DEVICE = "2/min"
        for _ in range(5):
            assert api_client.get("/v1/devices/me").status_code == 401
        assert device_client.get("/v1/devices/me").status_code == 200


class FakeRequest:
    auth = None


class ClockedThrottle(SlidingWindowThrottle):
    scope = "test"
    rate_setting = "TEST_RATE"
    now = 0.0
    timer = staticmethod(lambda: ClockedThrottle.now)

    def client_key(self, request, view):
        return "client"


@pytest.mark.django_db
class TestSlidingWindow:
    @pytest.fixture(autouse=True)
    def _rate(self, settings):
        settings.TEST_RATE = "4/min"

    def attempt(self, at: float) -> bool:
        ClockedThrottle.now = at
        return ClockedThrottle().allow_request(FakeRequest(), None)

    def test_the_previous_window_weighs_in_proportion(self):
        start = 6000.0  # window boundary (6000 / 60 = 100)
        assert [self.attempt(start + 50) for _ in range(4)] == [True] * 4
        assert not self.attempt(start + 55)
        # 30 s into the next window the previous 4 admitted calls weigh 2 (the
        # refused one does not count), so two more fit and a third does not.
        assert self.attempt(start + 90)
        assert self.attempt(start + 91)
        assert not self.attempt(start + 92)
        # Two windows later the old counts are gone.
        assert self.attempt(start + 190)

    def test_a_steady_client_above_the_rate_still_gets_the_rate(self):
        # One call every 5 s against 4/min: 12 a minute asked, 4 a minute given,
        # in every minute, not only the first.
        start = 6000.0
        admitted = [self.attempt(start + 5 * tick) for tick in range(12 * 4)]
        per_minute = [admitted[minute * 12 : (minute + 1) * 12].count(True) for minute in range(4)]
        assert per_minute[0] == 4
        assert all(3 <= count <= 4 for count in per_minute[1:]), per_minute

    def test_retry_after_is_when_a_request_fits_again(self):
        start = 6000.0
        for _ in range(4):
            self.attempt(start + 10)
        throttle = ClockedThrottle()
        ClockedThrottle.now = start + 10
        assert not throttle.allow_request(FakeRequest(), None)
        wait = throttle.wait()
        assert 50 <= wait <= 120
        assert self.attempt(start + 10 + wait)


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("10/min", (10, 60)), ("1200/minute", (1200, 60)), ("5/s", (5, 1)), ("2/hour", (2, 3600))],
)
def test_parse_rate(rate, expected):
    assert parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["ten/min", "10/fortnight", "0/min", "10"])
def test_parse_rate_refuses_nonsense(rate):
    with pytest.raises(ValueError, match="Invalid throttle rate"):
        parse_rate(rate)


class TestCountersUnderConcurrency:
    """The stated rate holds however many workers count at once (no lost increments)."""

    def hammer(self, counters, threads: int = 8, hits: int = 50) -> list[int]:
        def worker():
            return [counters.hit("contended", ttl=60) for _ in range(hits)]

        return [count for counts in race(*[worker] * threads) for count in counts]

    def test_the_sqlite_store_never_loses_a_hit(self, tmp_path):
        counters = SQLiteCounters(tmp_path / "counters.sqlite3")
        seen = self.hammer(counters)
        assert sorted(seen) == list(range(1, 401))
        assert counters.peek("contended") == 400

    def test_the_configured_store_never_loses_a_hit(self, db):
        # Redis in the PostgreSQL pass of CI (REDIS_URL set), the SQLite file otherwise.
        counters = throttle_counters()
        assert sorted(self.hammer(counters)) == list(range(1, 401))

    def test_a_throttle_admits_exactly_its_rate_under_concurrency(self, settings):
        settings.TEST_RATE = "100/min"
        ClockedThrottle.now = 6000.0

        def worker():
            return [ClockedThrottle().allow_request(FakeRequest(), None) for _ in range(40)]

        admitted = [ok for oks in race(*[worker] * 6) for ok in oks]
        assert admitted.count(True) == 100

    def test_counters_expire(self, tmp_path, monkeypatch):
        counters = SQLiteCounters(tmp_path / "counters.sqlite3")
        assert counters.hit("k", ttl=60) == 1
        assert counters.hit("k", ttl=60) == 2
        later = time.time() + 61
        monkeypatch.setattr("countonme.base.throttle_counters.time.time", lambda: later)
        assert counters.peek("k") == 0
        assert counters.hit("k", ttl=60) == 1


class TestHitWindow:
    """One call counts this window and reads the previous one, on either store."""

    def check(self, counters) -> None:
        assert counters.hit_window("w:2", "w:1", ttl=60) == (1, 0)
        counters.hit("w:1", ttl=60)
        counters.hit("w:1", ttl=60)
        assert counters.hit_window("w:2", "w:1", ttl=60) == (2, 2)
        assert counters.peek("w:2") == 2
        # A refused call gives its hit back; an absent counter stays absent.
        counters.release("w:2")
        assert counters.peek("w:2") == 1
        counters.release("w:absent")
        assert counters.peek("w:absent") == 0
        counters.hit("w:2", ttl=60)

    def test_sqlite_store(self, tmp_path):
        self.check(SQLiteCounters(tmp_path / "counters.sqlite3"))

    @pytest.mark.redis
    def test_redis_store_in_one_round_trip_with_an_expiry(self, monkeypatch):
        counters = RedisCounters(os.environ["REDIS_URL"])
        counters.clear()
        self.check(counters)
        assert 0 < counters.client.ttl("countonme:w:2") <= 60
        commands = []
        original = type(counters.client).execute_command

        def counting(client, *args, **options):
            commands.append(args[0])
            return original(client, *args, **options)

        monkeypatch.setattr(type(counters.client), "execute_command", counting)
        assert counters.hit_window("w:2", "w:1", ttl=60) == (3, 2)
        assert commands == ["EVALSHA"]
