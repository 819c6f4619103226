"""Device tokens: ``{device_id}.{secret}``, stored only as a keyed hash.

The secret carries 256 bits from ``secrets.token_urlsafe(32)``. The server
keeps HMAC-SHA256(pepper, secret) with a pepper that is not ``SECRET_KEY``: a
leaked database alone does not yield working tokens, and checking a token is
one hash, cheap enough for every request (no bcrypt on the request path: the
secret is random, not a password, so slow hashing buys nothing).

Rotating the pepper logs nobody out: ``DEVICE_TOKEN_PEPPER_FALLBACKS`` lists
older peppers (the idea of Django's ``SECRET_KEY_FALLBACKS``); a token hashed
with one still matches, and authentication re-hashes it with the current
pepper on first use.
"""

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings

SECRET_BYTES = 32


@dataclass(frozen=True)
class ParsedToken:
    """A token split into the device it names and the secret it carries."""

    device_id: uuid.UUID
    secret: str


def new_secret() -> str:
    """A fresh random secret (256 bits, URL-safe)."""
    return secrets.token_urlsafe(SECRET_BYTES)


def format_token(device_id: uuid.UUID, secret: str) -> str:
    """The token the client sends: ``{device_id}.{secret}``."""
    return f"{device_id}.{secret}"


def hash_secret(secret: str, pepper: str | None = None) -> str:
    """HMAC-SHA256 of the secret keyed with ``pepper`` (default: the current one), 64 hex."""
    key = settings.DEVICE_TOKEN_PEPPER if pepper is None else pepper
    return hmac.new(key.encode(), secret.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class TokenMatch:
    """Which stored hash a presented secret matched, and whether to re-hash it.

    ``previous``: it is the token a rotation replaced, still valid until the
    new one is first used. ``stale_pepper``: it matched under a fallback
    pepper and should be stored again as ``hash_secret(secret)``.
    """

    previous: bool
    stale_pepper: bool


def match_secret(secret: str, *, current_hash: str, previous_hash: str = "") -> TokenMatch | None:
    """Compare a presented secret with a device's stored hashes; ``None`` when neither matches.

    Constant-time comparisons; one HMAC for a current token under the current
    pepper (the common case), one more per fallback pepper otherwise.
    """
    peppers = [settings.DEVICE_TOKEN_PEPPER, *settings.DEVICE_TOKEN_PEPPER_FALLBACKS]
    for index, pepper in enumerate(peppers):
        presented = hash_secret(secret, pepper)
        if hmac.compare_digest(presented, current_hash):
            return TokenMatch(previous=False, stale_pepper=index > 0)
        if previous_hash and hmac.compare_digest(presented, previous_hash):
            return TokenMatch(previous=True, stale_pepper=index > 0)
    return None


def parse_token(token: str) -> ParsedToken | None:
    """Split ``{device_id}.{secret}``; ``None`` when it is not of that form."""
    device_part, dot, secret = token.partition(".")
    if not dot or not secret or len(secret) > 256:
        return None
    try:
        device_id = uuid.UUID(device_part)
    except ValueError:
        return None
    return ParsedToken(device_id=device_id, secret=secret)
