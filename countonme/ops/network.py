"""Where a request comes from, as far as we can trust it."""

import ipaddress

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


# An IPv6 host is handed a whole /64 (SLAAC, privacy addresses): counted per
# address, one machine could take 2**64 fresh budgets.
IPV6_HOST_PREFIX = 64


def client_network(request: HttpRequest) -> str:
    """Who to count a per-address budget against: the IPv4 address, or the IPv6 /64.

    ``client_address`` as it is when it is not an IP address (a test client).
    """
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:203.0.113.9 is that IPv4 address
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_HOST_PREFIX}", strict=False))
    return str(ip)
