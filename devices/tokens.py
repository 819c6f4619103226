"""Device tokens: ``{device_id}.{secret}``, stored only as a keyed hash.

The secret carries 256 bits from ``secrets.token_urlsafe(32)``. The server
keeps HMAC-SHA256(pepper, secret) with a pepper that is not ``SECRET_KEY``: a
leaked database alone does not yield working tokens, and checking a token is
one hash, cheap enough for every request (no bcrypt on the request path: the
secret is random, not a password, so slow hashing buys nothing).
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


def hash_secret(secret: str) -> str:
    """HMAC-SHA256 of the secret keyed with the pepper, as 64 hex characters."""
    return hmac.new(
        settings.DEVICE_TOKEN_PEPPER.encode(), secret.encode(), hashlib.sha256
    ).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    """Constant-time comparison of a presented secret with the stored hash."""
    return hmac.compare_digest(hash_secret(secret), stored_hash)


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
