"""Secrets of this instance: from the environment, or generated once for development.

Production (``COUNTONME_ENV=production``) refuses to start when a secret is
missing or weak; development generates a strong one on first use and keeps it
in ``var/`` so sessions and device tokens survive restarts.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_LENGTH = 50
MIN_DISTINCT_CHARACTERS = 5
_GENERATE_HINT = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def secret_weakness(value: str) -> str | None:
    """Why ``value`` is not fit to guard production, or ``None`` when it is."""
    if not value:
        return "is not set"
    if len(value) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    if len(set(value)) < MIN_DISTINCT_CHARACTERS:
        return f"has fewer than {MIN_DISTINCT_CHARACTERS} distinct characters"
    if value.startswith("django-insecure"):
        return "is Django's insecure development placeholder"
    return None


def resolve_secret(name: str, *, production: bool, store_dir: Path) -> str:
    """The secret called ``name``, checked (production) or generated once (development)."""
    value = os.environ.get(name, "").strip()
    if production:
        problem = secret_weakness(value)
        if problem:
            raise ImproperlyConfigured(
                f"{name} {problem}. With COUNTONME_ENV=production it must be set to a "
                f"random value of at least {MIN_SECRET_LENGTH} characters, e.g. the "
                f"output of: {_GENERATE_HINT}"
            )
        return value
    return value or _stored_secret(store_dir / f"{name.lower()}.secret")


def _stored_secret(path: Path) -> str:
    """Read the secret kept at ``path``, creating it (mode 0600) on first use."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(MIN_SECRET_LENGTH))
    try:
        # link() refuses an existing name: when two processes start at once,
        # exactly one secret wins and both read that one.
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text().strip()
