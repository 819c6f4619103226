"""Where a request comes from, as far as we can trust it."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address: ``REMOTE_ADDR`` unless proxies are trusted.

    With ``TRUSTED_PROXY_COUNT = n``, the n-th address from the right of
    ``X-Forwarded-For`` is the client: each trusted proxy appended the address
    it saw, and anything further left was written by the client itself, so it
    could be forged to buy a fresh throttle budget.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "") or "unknown"
    trusted = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted <= 0 or not forwarded:
        return remote_addr
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote_addr
    return hops[-min(trusted, len(hops))]
