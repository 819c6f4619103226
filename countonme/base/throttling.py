"""Throttles whose counters are shared by every worker and incremented atomically.

A sliding-window counter: one counter per client and fixed window, and the
estimate ``previous_window * (share of it still inside the sliding window) +
current_window``. Two counters per client instead of DRF's list of
timestamps (which is read, modified and written back whole, so concurrent
workers overwrite each other). The counters live in Redis or, without it, in
a SQLite file (``countonme.base.throttle_counters``).

Only admitted calls count, as in DRF's own throttles: a refused call takes its
hit back. Counting refusals starved a client that keeps calling above the rate
(the app re-registers after every 401; a user retypes a code): its 429s filled
the next window too, so it got no call through at all instead of the rate.
The hit comes first and the refund after, so concurrent calls never admit
more than the rate.
"""

import math
import time
from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from countonme.base.throttle_counters import throttle_counters
from countonme.ops.network import client_address

if TYPE_CHECKING:  # DRF imports these modules while rest_framework.views loads
    from rest_framework.views import APIView

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/min"`` → ``(10, 60)``: requests allowed per period in seconds."""
    count, _, period = rate.partition("/")
    try:
        allowed = int(count)
        seconds = _PERIODS[period.strip()[:1].lower()]
    except (ValueError, KeyError):
        raise ValueError(f"Invalid throttle rate {rate!r}: use e.g. '10/min'.") from None
    if allowed < 1:
        raise ValueError(f"Invalid throttle rate {rate!r}: allow at least one request.")
    return allowed, seconds


class SlidingWindowThrottle(BaseThrottle):
    """Base: subclasses name a scope, the setting holding the rate and the client key."""

    scope: str = ""
    rate_setting: str = ""
    timer = staticmethod(time.time)  # replaceable in tests

    def client_key(self, request: Request, view: "APIView") -> str | None:
        """Who is counted; ``None`` exempts the request."""
        raise NotImplementedError

    def allow_request(self, request: Request, view: "APIView") -> bool:
        key = self.client_key(request, view)
        if key is None:
            return True
        allowed, period = parse_rate(getattr(settings, self.rate_setting))
        now = self.timer()
        window = int(now // period)
        current_key = f"throttle:{self.scope}:{key}:{window}"
        previous_key = f"throttle:{self.scope}:{key}:{window - 1}"
        # The counter outlives its window by one period: the next window reads it.
        current, previous = throttle_counters().hit_window(
            current_key, previous_key, ttl=2 * period
        )
        elapsed = now - window * period
        estimate = previous * (1 - elapsed / period) + current
        if estimate <= allowed:
            return True
        throttle_counters().release(current_key)
        counted = current - 1  # the admitted calls of this window
        self._wait = self._seconds_until_allowed(allowed, period, previous, counted, elapsed)
        return False

    @staticmethod
    def _seconds_until_allowed(
        allowed: int, period: int, previous: int, current: int, elapsed: float
    ) -> float:
        """Time until one more request fits under the limit, if no other arrives.

        ``current`` counts this window's admitted calls (the refused one excluded).
        """
        room = allowed - 1 - current
        if room >= 0:
            # Still in this window, once the previous window has decayed enough:
            # previous * (1 - (elapsed + t) / period) ≤ room.
            return max(0.0, period * (1 - room / previous) - elapsed)
        # Next window: today's count becomes the decaying previous one.
        return (period - elapsed) + period * max(0.0, 1 - (allowed - 1) / current)

    def wait(self) -> float | None:
        return math.ceil(getattr(self, "_wait", 0)) or 1


class RegisterRateThrottle(SlidingWindowThrottle):
    """Device registration, per client address (``THROTTLE_REGISTER``)."""

    scope = "register"
    rate_setting = "THROTTLE_REGISTER"

    def client_key(self, request: Request, view: "APIView") -> str | None:
        return client_address(request)


class DeviceRateThrottle(SlidingWindowThrottle):
    """Authenticated calls, per device (``THROTTLE_DEVICE``)."""

    scope = "device"
    rate_setting = "THROTTLE_DEVICE"

    def client_key(self, request: Request, view: "APIView") -> str | None:
        device = request.auth
        return str(device.pk) if device is not None else None
