"""The claim's rate: ``THROTTLE_CLAIM`` (default 10/min) per client address."""

from typing import TYPE_CHECKING

from rest_framework.request import Request

from countonme.base.throttling import SlidingWindowThrottle
from countonme.ops.network import client_network

if TYPE_CHECKING:
    from rest_framework.views import APIView


class ClaimRateThrottle(SlidingWindowThrottle):
    """Claims of transfer and recovery codes, per IPv4 address or IPv6 /64.

    Every claim counts, good or bad: the budget is what bounds guessing (the
    arithmetic is in README "Moving and recovering an account"). Counted apart
    from registration, so a user who registered a few times can still claim.
    """

    scope = "claim"
    rate_setting = "THROTTLE_CLAIM"

    def client_key(self, request: Request, view: "APIView") -> str | None:
        return client_network(request)
